"""A loopback HTTP server for CLI tests: it parses and records every request it receives."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit


class Recorder(BaseHTTPRequestHandler):
    seen: list[dict[str, Any]] = []
    reply: tuple[bytes, str] = (b'{"success": true}', "application/json")

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        type(self).seen.append(
            {
                "method": self.command,
                "path": unquote(url.path),
                "query": dict(parse_qsl(url.query)),
                "body": json.loads(raw) if raw[:1] in (b"{", b"[") else raw or None,
                "headers": dict(self.headers),
            }
        )
        body, media = type(self).reply
        self.send_response(200)
        self.send_header("content-type", media)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _answer

    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def loopback() -> Iterator[str]:
    """A running server's base URL; `Recorder.seen` holds what it received."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
