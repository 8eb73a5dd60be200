"""One import point for the test base class, so the move to Frappe v16 is a one-line change."""

try:  # Frappe v16
	from frappe.tests import IntegrationTestCase as CIACTestCase
except ImportError:  # Frappe v15
	from frappe.tests.utils import FrappeTestCase as CIACTestCase

__all__ = ["CIACTestCase"]

# The programme's Frappe modules (issue 24: the former single module "Tutoring", split as the
# programme reads); Third Sector has its own tests.
PROGRAMME_MODULES = ("Tutoring", "Activation", "Pairing", "Monitoring", "Privacy")
