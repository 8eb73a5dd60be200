"""One import point for the test base class, so the move to Frappe v16 is a one-line change."""

try:  # Frappe v16
	from frappe.tests import IntegrationTestCase as CIACTestCase
except ImportError:  # Frappe v15
	from frappe.tests.utils import FrappeTestCase as CIACTestCase

__all__ = ["CIACTestCase"]
