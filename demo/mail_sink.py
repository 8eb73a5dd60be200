"""A local mail sink: a real SMTP server on loopback that keeps every message it receives.

The demo's outgoing Email Account (`./dev/run`) and the email tests send to it instead of a
provider: Frappe's own sending path (Email Queue, SMTP) runs unchanged, and what was sent can be
read. Each message is written to FOLDER as `<received>-<n>.eml`; `./dev/run` also serves the
folder's index as a page (subject, recipients, date; each message as text).

    python -m demo.mail_sink FOLDER [--smtp-port 2525] [--http-port 8025]
"""

import argparse
import email
import email.policy
import html
import itertools
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


class KeepEveryMessage:
	"""aiosmtpd handler: accept every recipient, write each message to the folder."""

	def __init__(self, folder: Path):
		self.folder = folder
		self.folder.mkdir(parents=True, exist_ok=True)
		self.counter = itertools.count(1)
		self.lock = threading.Lock()

	async def handle_DATA(self, server, session, envelope):
		with self.lock:
			name = f"{time.strftime('%Y%m%d-%H%M%S')}-{next(self.counter):05d}.eml"
		envelope_header = f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n".encode()
		(self.folder / name).write_bytes(envelope_header + envelope.original_content)
		return "250 Message accepted for delivery"


class Inbox:
	"""What a local stand-in keeps (this mail sink, demo/sms_gateway.py): its `messages()`, and
	`wait_for` one of them."""

	def messages(self) -> list:
		raise NotImplementedError

	def wait_for(self, predicate, seconds: float = 30):
		"""The first message `predicate` accepts, waiting up to `seconds` for it to arrive."""
		deadline = time.time() + seconds
		while True:
			found = [message for message in self.messages() if predicate(message)]
			if found:
				return found[0]
			if time.time() > deadline:
				raise AssertionError(f"no such message reached {type(self).__name__} in {seconds} s")
			time.sleep(0.2)


class MailSink(Inbox):
	"""`with MailSink(folder) as sink:` an SMTP server on `sink.port` until the block ends."""

	def __init__(self, folder: Path, port: int = 0):
		self.folder = Path(folder)
		self.controller = Controller(KeepEveryMessage(self.folder), hostname=HOST, port=port or free_port())
		self.port = self.controller.port

	def __enter__(self) -> "MailSink":
		self.controller.start()
		return self

	def __exit__(self, *exc) -> None:
		self.controller.stop()

	def messages(self) -> list[email.message.EmailMessage]:
		return read_messages(self.folder)


def free_port() -> int:
	import socket

	with socket.socket() as probe:
		probe.bind((HOST, 0))
		return probe.getsockname()[1]


def read_messages(folder: Path) -> list[email.message.EmailMessage]:
	messages = []
	for path in sorted(Path(folder).glob("*.eml")):
		message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
		message["X-Sink-File"] = path.name
		messages.append(message)
	return messages


def text_of(message: email.message.EmailMessage) -> str:
	"""The message's readable text (the plain part, else the HTML part)."""
	part = message.get_body(preferencelist=("plain", "html"))
	return part.get_content() if part else ""


def index_page(folder: Path) -> str:
	rows = "".join(
		f"<tr><td>{html.escape(str(m['Date'] or ''))}</td><td>{html.escape(str(m['X-Envelope-To'] or ''))}</td>"
		f'<td><a href="/{html.escape(m["X-Sink-File"])}">{html.escape(str(m["Subject"] or ""))}</a></td></tr>'
		for m in reversed(read_messages(folder))
	)
	return (
		'<!doctype html><html lang="en"><meta charset="utf-8"><title>Mail sink</title>'
		"<h1>Mails sent by the demo</h1><table><tr><th>Date</th><th>To</th><th>Subject</th></tr>"
		f"{rows}</table></html>"
	)


def serve_index(folder: Path, port: int) -> ThreadingHTTPServer:
	class Pages(BaseHTTPRequestHandler):
		def do_GET(self):
			name = self.path.lstrip("/")
			if name and "/" not in name and (folder / name).is_file():
				message = email.message_from_bytes((folder / name).read_bytes(), policy=email.policy.default)
				headers = "".join(f"{key}: {value}\n" for key, value in message.items())
				body, kind = f"{headers}\n{text_of(message)}", "text/plain"
			else:
				body, kind = index_page(folder), "text/html"
			data = body.encode()
			self.send_response(200)
			self.send_header("Content-Type", f"{kind}; charset=utf-8")
			self.send_header("Content-Length", str(len(data)))
			self.end_headers()
			self.wfile.write(data)

		def log_message(self, *args):
			pass

	server = ThreadingHTTPServer((HOST, port), Pages)
	threading.Thread(target=server.serve_forever, daemon=True).start()
	return server


def main() -> None:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("folder", type=Path)
	parser.add_argument("--smtp-port", type=int, default=2525)
	parser.add_argument("--http-port", type=int, default=8025)
	args = parser.parse_args()
	with MailSink(args.folder, args.smtp_port):
		serve_index(args.folder, args.http_port)
		print(
			f"[mail] SMTP on {HOST}:{args.smtp_port}, mails in {args.folder}, page http://{HOST}:{args.http_port}"
		)
		try:
			threading.Event().wait()
		except KeyboardInterrupt:
			pass


if __name__ == "__main__":
	main()
