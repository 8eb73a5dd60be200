"""`python -m demo SITE`, from the bench's sites folder: load the demo data into SITE."""

import sys

import frappe

from demo import load_demo_data


def main(site: str) -> None:
	frappe.init(site=site, sites_path=".")
	frappe.connect()
	try:
		frappe.set_user("Administrator")
		load_demo_data()
	finally:
		frappe.destroy()


if __name__ == "__main__":
	main(sys.argv[1])
