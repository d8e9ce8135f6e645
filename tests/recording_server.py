"""A loopback HTTP server for wire-format tests: it records each request as received and
parses it with the standard library only (`urllib.parse` for query and form bodies, `email`
for multipart), so a test checks what a real server would read.

`Recorder.reply` maps a path prefix to a handler `(request) -> (status, headers, chunks)`;
chunks are sent one by one (a number is a pause in seconds, an `Event` a wait, a callable
is called, `DROP` breaks the connection off), so a test can stream server-sent events or a
large download.
"""

from __future__ import annotations

import dataclasses
import email.parser
import email.policy
import http.server
import json
import socket
import sys
import threading
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from email.message import Message
from typing import Any

HOST = "127.0.0.1"
DROP = object()  # a chunk that closes the connection without finishing the body


@dataclasses.dataclass
class Received:
    method: str
    target: str  # the request line's target: path and query, as sent
    headers: dict[str, str]
    body: bytes

    @property
    def path(self) -> str:
        return urllib.parse.urlsplit(self.target).path

    @property
    def query(self) -> list[tuple[str, str]]:
        return urllib.parse.parse_qsl(urllib.parse.urlsplit(self.target).query, True)

    @property
    def raw_query(self) -> str:
        return urllib.parse.urlsplit(self.target).query

    def form(self) -> list[tuple[str, str]]:
        assert self.headers["content-type"] == "application/x-www-form-urlencoded"
        return urllib.parse.parse_qsl(self.body.decode("ascii"), True, strict_parsing=True)

    def parts(self) -> list[Message]:
        """The multipart parts, parsed by `email` (each: name, filename, type, payload)."""
        ctype = self.headers["content-type"]
        assert ctype.startswith("multipart/form-data; boundary="), ctype
        raw = f"Content-Type: {ctype}\r\n\r\n".encode() + self.body
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(raw)
        assert message.is_multipart() and not message.defects, message.defects
        return list(message.iter_parts())


Handler = Callable[[Received], tuple[int, dict[str, str], Iterable[Any]]]


def json_reply(body: Any = None, status: int = 200) -> Handler:
    data = json.dumps({} if body is None else body).encode()
    return lambda _: (status, {"Content-Type": "application/json"}, [data])


class _QuietServer(http.server.ThreadingHTTPServer):
    """A client that hangs up (a test leaving a stream early) is expected, not an error: the
    handler's last flush after it would otherwise print a traceback into the test output."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class Recorder:
    """A threaded `http.server` on 127.0.0.1 that records and answers requests."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.replies: dict[str, Handler] = {}
        recorder = self

        class _Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                got = Received(
                    self.command,
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                recorder.received.append(got)
                handler = recorder.handler_for(got.path)
                status, headers, chunks = handler(got)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                streamed = "Content-Length" not in headers
                if streamed:
                    self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                try:
                    for chunk in chunks:
                        if isinstance(chunk, (int, float)):
                            threading.Event().wait(chunk)
                            continue
                        if isinstance(chunk, threading.Event):
                            chunk.wait(10)
                            continue
                        if chunk is DROP:  # the connection breaks off mid-body
                            self.wfile.flush()
                            self.connection.shutdown(socket.SHUT_RDWR)
                            self.close_connection = True
                            return
                        if callable(chunk):  # a marker: the test learns how far we got
                            chunk()
                            continue
                        if streamed:
                            self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                        else:
                            self.wfile.write(chunk)
                        self.wfile.flush()
                    if streamed:
                        self.wfile.write(b"0\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    recorder.disconnected.set()
                    self.close_connection = True

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _any

        self.disconnected = threading.Event()
        self.server = _QuietServer((HOST, 0), _Handler)
        self.server.daemon_threads = True
        self.url = f"http://{HOST}:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def handler_for(self, path: str) -> Handler:
        best = max((p for p in self.replies if path.startswith(p)), key=len, default=None)
        return self.replies[best] if best is not None else json_reply({})

    @property
    def last(self) -> Received:
        return self.received[-1]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def recorder() -> Iterator[Recorder]:
    server = Recorder()
    try:
        yield server
    finally:
        server.close()
