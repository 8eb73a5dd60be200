"""What every benchmark script needs: a connection to a site of the development bench."""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def connect(site: str) -> None:
	"""Connect as Administrator, from the sites folder (Frappe logs to ../logs)."""
	import frappe

	bench = Path(os.environ.get("CIAC_BENCH", REPO / ".bench")).resolve()
	sites = bench / "sites"
	os.chdir(sites)
	frappe.init(site=site, sites_path=str(sites))
	frappe.connect()
	frappe.set_user("Administrator")
