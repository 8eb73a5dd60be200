"""A local SMS gateway: a real HTTP server on loopback that keeps every message Frappe sends it.

Frappe's SMS Settings post each message to an HTTP gateway (CIAC sets its provider's URL and
parameters there, README). On the demo and test sites they point here instead: Frappe's own
sending path runs unchanged and what was sent can be read. Each message is written to FOLDER as
`<received>-<n>.json` (`to`, `text`, every parameter, when); GET / lists them as a page.

    python -m demo.sms_gateway FOLDER [--port 8026]

SMS Settings for it: URL http://127.0.0.1:PORT/send, message parameter `text`, receiver
parameter `to`, Use POST ticked (`configure_sms_settings`).
"""

import argparse
import html
import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlparse

from demo.mail_sink import Inbox

HOST = "127.0.0.1"
MESSAGE_PARAMETER, RECEIVER_PARAMETER = "text", "to"


class SmsGateway(Inbox):
	"""`with SmsGateway(folder) as gateway:` a gateway on `gateway.url` until the block ends."""

	def __init__(self, folder: Path, port: int = 0):
		self.folder = Path(folder)
		self.folder.mkdir(parents=True, exist_ok=True)
		self.server = ThreadingHTTPServer((HOST, port), handler_for(self.folder))
		self.port = self.server.server_address[1]
		self.url = f"http://{HOST}:{self.port}/send"

	def __enter__(self) -> "SmsGateway":
		threading.Thread(target=self.server.serve_forever, daemon=True).start()
		return self

	def __exit__(self, *exc) -> None:
		self.server.shutdown()
		self.server.server_close()

	def messages(self) -> list[dict]:
		return read_messages(self.folder)


def read_messages(folder: Path) -> list[dict]:
	return [json.loads(path.read_text()) for path in sorted(Path(folder).glob("*.json"))]


def handler_for(folder: Path):
	counter, lock = itertools.count(1), threading.Lock()

	class Gateway(BaseHTTPRequestHandler):
		def do_POST(self):
			length = int(self.headers.get("Content-Length") or 0)
			body = self.rfile.read(length).decode("utf-8") if length else ""
			if "json" in (self.headers.get("Content-Type") or ""):
				params = json.loads(body or "{}")
			else:
				params = dict(parse_qsl(body, keep_blank_values=True))
			self.keep(params)

		def do_GET(self):
			url = urlparse(self.path)
			if url.path == "/send":
				self.keep(dict(parse_qsl(url.query, keep_blank_values=True)))
				return
			self.answer(200, index_page(folder), "text/html")

		def keep(self, params: dict) -> None:
			if not params.get(RECEIVER_PARAMETER) or MESSAGE_PARAMETER not in params:
				self.answer(400, "to and text are required", "text/plain")
				return
			with lock:
				name = f"{time.strftime('%Y%m%d-%H%M%S')}-{next(counter):05d}.json"
			message = {
				"to": params[RECEIVER_PARAMETER],
				"text": params[MESSAGE_PARAMETER],
				"received": time.strftime("%Y-%m-%d %H:%M:%S"),
				"parameters": params,
			}
			(folder / name).write_text(json.dumps(message, ensure_ascii=False, indent=1))
			self.answer(200, "OK", "text/plain")

		def answer(self, status: int, text: str, kind: str) -> None:
			data = text.encode()
			self.send_response(status)
			self.send_header("Content-Type", f"{kind}; charset=utf-8")
			self.send_header("Content-Length", str(len(data)))
			self.end_headers()
			self.wfile.write(data)

		def log_message(self, *args):
			pass

	return Gateway


def index_page(folder: Path) -> str:
	rows = "".join(
		f"<tr><td>{html.escape(m['received'])}</td><td>{html.escape(m['to'])}</td>"
		f"<td>{html.escape(m['text'])}</td></tr>"
		for m in reversed(read_messages(folder))
	)
	return (
		'<!doctype html><html lang="en"><meta charset="utf-8"><title>SMS gateway</title>'
		"<h1>SMS sent by the demo</h1><table><tr><th>Received</th><th>To</th><th>Text</th></tr>"
		f"{rows}</table></html>"
	)


def configure_sms_settings(gateway_url: str) -> None:
	"""Point the site's SMS Settings at a local gateway (the demo and the tests; never production)."""
	import frappe

	settings = frappe.get_doc("SMS Settings")
	settings.sms_gateway_url = gateway_url
	settings.message_parameter = MESSAGE_PARAMETER
	settings.receiver_parameter = RECEIVER_PARAMETER
	settings.use_post = 1
	settings.set("parameters", [])
	settings.save(ignore_permissions=True)


def main() -> None:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("folder", type=Path)
	parser.add_argument("--port", type=int, default=8026)
	args = parser.parse_args()
	with SmsGateway(args.folder, args.port) as gateway:
		print(f"[sms] gateway {gateway.url}, messages in {args.folder}, page http://{HOST}:{args.port}")
		try:
			threading.Event().wait()
		except KeyboardInterrupt:
			pass


if __name__ == "__main__":
	main()
