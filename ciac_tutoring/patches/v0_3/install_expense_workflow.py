"""Existing sites get the expense claims' approval workflow (new sites get it on install)."""

from ciac_tutoring.third_sector.install import install_expense_workflow


def execute():
	install_expense_workflow()
