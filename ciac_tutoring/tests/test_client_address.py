"""The guests' rate limit keys on the address the connection (or a trusted proxy) saw, never on a
header the client sets. (test_portal_pages.py tries a forged X-Forwarded-For over HTTP.)"""

import frappe
import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from ciac_tutoring.portal.http import client_address


@pytest.fixture
def request_from():
	saved_request, saved_proxies = (
		getattr(frappe.local, "request", None),
		frappe.conf.get("ciac_trusted_proxies"),
	)

	def make(peer: str, forwarded: str | None = None, trusted: list | None = None):
		headers = {"X-Forwarded-For": forwarded} if forwarded else {}
		frappe.local.request = Request(
			EnvironBuilder(headers=headers, environ_base={"REMOTE_ADDR": peer}).get_environ()
		)
		frappe.local.conf["ciac_trusted_proxies"] = trusted
		return client_address()

	yield make
	frappe.local.request = saved_request
	frappe.local.conf["ciac_trusted_proxies"] = saved_proxies


def test_a_client_header_is_ignored_without_a_trusted_proxy(request_from):
	assert request_from("198.51.100.4", forwarded="203.0.113.9") == "198.51.100.4"
	assert request_from("127.0.0.1", forwarded="203.0.113.9") == "127.0.0.1"


def test_behind_a_trusted_proxy_the_address_it_saw_counts(request_from):
	proxy = ["127.0.0.1"]
	# nginx replacing the header with $remote_addr
	assert request_from("127.0.0.1", forwarded="198.51.100.4", trusted=proxy) == "198.51.100.4"
	# a proxy appending what it saw to what the client sent: the client's own entries do not count
	assert request_from("127.0.0.1", forwarded="203.0.113.9, 198.51.100.4", trusted=proxy) == "198.51.100.4"
	# a connection that does not come from the proxy is its own address
	assert request_from("198.51.100.4", forwarded="203.0.113.9", trusted=proxy) == "198.51.100.4"
	assert request_from("127.0.0.1", trusted=proxy) == "127.0.0.1"
