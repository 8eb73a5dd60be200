"""Count the SQL statements a block of code runs (as FrappeTestCase.assertQueryCount does)."""

from contextlib import contextmanager

import frappe


@contextmanager
def count_queries():
	"""Yield a list that collects every statement run through frappe.db.sql inside the block."""
	queries: list[str] = []
	original_sql = frappe.db.sql

	def sql_with_count(*args, **kwargs):
		result = original_sql(*args, **kwargs)
		queries.append(str(frappe.db.last_query)[:500])
		return result

	frappe.db.sql = sql_with_count
	try:
		yield queries
	finally:
		frappe.db.sql = original_sql
