"""The Prism mock server (npm `@stoplight/prism-cli`, pinned in package.json) as a pytest fixture.

Import the fixture into a test module (`from prism import prism_url`); it is session-scoped and
the server is shared: modules that import it reuse one Prism process.

Prism is run as `prism mock openapi.yaml -h 127.0.0.1 -p <free port> --errors`:

- Request validation is always on in mock mode (it cannot be turned off): a request that breaks
  the spec is answered with the operation's own 400 response when the spec declares one
  (this spec does, so it is 400, not Prism's generic 422), and a request without valid
  credentials with its 401. Either way Prism adds an `sl-violations` header naming the
  violation, which is how the tests tell "Prism rejected the request" from "Prism answered
  the status asked for with `Prefer: code=...`" (that answer has no `sl-violations`).
- `--errors` makes Prism also validate its own mocked *response* against the spec and answer
  500 (problem+json, "VIOLATIONS") if it does not match, instead of only logging a warning:
  a bad example in the spec then fails loudly rather than feeding the client a wrong body.
- `-h 127.0.0.1`: listen on loopback only.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi.yaml"
PRISM_BIN = ROOT / "node_modules" / ".bin" / "prism"
HOST = "127.0.0.1"
START_DEADLINE = 60.0  # seconds; Prism usually needs 2-5
STOP_DEADLINE = 10.0
PRISM_FLAGS = ("--errors",)


def violations(response: httpx.Response) -> list[dict[str, Any]]:
    """The request/response violations Prism reported for `response` (its `sl-violations`)."""
    raw = response.headers.get("sl-violations")
    return json.loads(raw) if raw else []


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _tail(log: Path, lines: int = 40) -> str:
    try:
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate Prism and anything it started (its own process group), bounded."""
    if proc.poll() is not None:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=STOP_DEADLINE)
            return
        except subprocess.TimeoutExpired:
            continue


class PrismServer:
    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = ""
        self.log = log_dir / "prism.log"

    def command(self, port: int) -> list[str]:
        return [str(PRISM_BIN), "mock", str(SPEC), "-h", HOST, "-p", str(port), *PRISM_FLAGS]

    def start(self) -> str:
        if not PRISM_BIN.exists():
            pytest.fail(
                f"{PRISM_BIN} is missing: the contract tests need the Prism mock server; "
                f"run `npm ci` in {ROOT} (make test does)",
                pytrace=False,
            )
        why = ""
        for attempt in range(3):  # another process may grab the free port before Prism does
            port = _free_port()
            self.log = self.log_dir / f"prism-{attempt}.log"
            with self.log.open("wb") as log:
                self.proc = subprocess.Popen(
                    self.command(port),
                    cwd=ROOT,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            url = f"http://{HOST}:{port}"
            if self._wait_ready(url):
                self.url = url
                return url
            code = self.proc.poll()
            why = f"exited with code {code}" if code is not None else "not ready in time"
            _stop(self.proc)
            if "EADDRINUSE" not in _tail(self.log):
                break
        pytest.fail(
            f"Prism did not start ({why}; waited at most {START_DEADLINE:.0f} s): "
            f"{' '.join(self.command(port))}\n--- {self.log} ---\n{_tail(self.log)}",
            pytrace=False,
        )

    def _wait_ready(self, url: str) -> bool:
        """Ready once Prism says it listens on `url` and answers HTTP there."""
        assert self.proc is not None
        deadline = time.monotonic() + START_DEADLINE
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            if f"listening on {url}" in self.log.read_text(encoding="utf-8", errors="replace"):
                try:
                    httpx.get(url + "/", timeout=2.0)  # Prism: 404 "no path matched"
                    return True
                except httpx.TransportError:
                    pass
            time.sleep(0.2)
        return False

    def stop(self) -> None:
        if self.proc is not None:
            _stop(self.proc)


# Each module that imports `prism_url` gets its own copy of the fixture definition; the server
# is shared between them by reference counting, so the session starts Prism once.
_shared: dict[str, Any] = {"server": None, "users": 0}


@pytest.fixture(scope="session")
def prism_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a Prism mock of openapi.yaml on 127.0.0.1 (validating every request)."""
    if _shared["server"] is None:
        server = PrismServer(tmp_path_factory.mktemp("prism"))
        try:
            server.start()
        except BaseException:
            server.stop()
            raise
        _shared["server"] = server
    _shared["users"] += 1
    server = _shared["server"]
    try:
        yield server.url
    finally:
        _shared["users"] -= 1
        if _shared["users"] == 0:
            _shared["server"] = None
            server.stop()
