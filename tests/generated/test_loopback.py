"""The generated client and CLI over real sockets on 127.0.0.1 (and nowhere else).

* a server that accepts and never answers (or answers too late): read timeouts;
* a port with nothing listening: refused connections;
* a small `http.server` in a thread: end-to-end calls, and `python -m vastai_api` subprocesses.

Timeouts are 0.2 s and retries are off or their waits patched out, so the file runs in seconds.
"""

from __future__ import annotations

import asyncio
import http.server
import importlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest
from conftest import GENERATED

HOST = "127.0.0.1"
KEY = "sk-loopback-SECRET-5555"
OK_BODY = {"success": True, "result": 12345}


# --------------------------------------------------------------------------------------------
# Servers


class SilentServer:
    """Accepts connections and never answers, or answers only after `reply_after` seconds."""

    def __init__(self, reply_after: float | None = None) -> None:
        self.reply_after = reply_after
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind((HOST, 0))
        self.sock.listen(16)
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://{HOST}:{self.port}"
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.conns: list[socket.socket] = []
        self.threads: list[threading.Thread] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def accepted(self) -> int:
        with self.lock:
            return len(self.conns)

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self.lock:
                self.conns.append(conn)
            if self.reply_after is not None:
                t = threading.Thread(target=self._late_reply, args=(conn,), daemon=True)
                self.threads.append(t)
                t.start()

    def _late_reply(self, conn: socket.socket) -> None:
        if self.stop.wait(self.reply_after):
            return
        body = json.dumps(OK_BODY).encode()
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        try:
            conn.sendall(head.encode() + body)
        except OSError:
            pass

    def wait_accepted(self, n: int, within: float = 5.0) -> int:
        """The number of connections accepted, once it reaches `n` (or `within` s passed)."""
        deadline = time.monotonic() + within
        while self.accepted < n and time.monotonic() < deadline:
            self.stop.wait(0.01)
        return self.accepted

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        for t in self.threads:
            t.join(5)
        with self.lock:
            for conn in self.conns:
                conn.close()
        self.sock.close()


@pytest.fixture
def silent() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.close()


@pytest.fixture
def late() -> Iterator[SilentServer]:
    """Answers 200 after 2 s: a call whose 0.2 s timeout were ignored would succeed."""
    server = SilentServer(reply_after=2.0)
    yield server
    server.close()


@pytest.fixture
def refused_url() -> str:
    """A loopback URL with nothing listening (the port was just free)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        port = s.getsockname()[1]
    return f"http://{HOST}:{port}"


class ApiServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__((HOST, 0), ApiHandler)
        self.script: list[tuple[int, dict[str, str], Any]] = [(200, {}, OK_BODY)]
        self.seen: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}"


class ApiHandler(http.server.BaseHTTPRequestHandler):
    server: ApiServer

    def do_POST(self) -> None:  # noqa: N802 - the http.server naming
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        with self.server.lock:
            self.server.seen.append(
                {
                    "method": self.command,
                    "path": self.path,
                    "headers": dict(self.headers),
                    "body": body,
                }
            )
            script = self.server.script
            status, headers, payload = script.pop(0) if len(script) > 1 else script[0]
        data = json.dumps(payload).encode()
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def api() -> Iterator[ApiServer]:
    server = ApiServer()
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture
def sleeps(vastai_api: ModuleType, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    delays: list[float] = []

    async def fake_async_sleep(delay: float, result: Any = None) -> Any:
        delays.append(delay)
        return result

    monkeypatch.setattr(vastai_api._http.time, "sleep", delays.append)
    monkeypatch.setattr(vastai_api._http.asyncio, "sleep", fake_async_sleep)
    return delays


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VAST_API_KEY", raising=False)
    monkeypatch.delenv("VAST_URL", raising=False)


def get_op(pkg: ModuleType) -> Any:
    return pkg._runtime.Op(
        name="get_thing", method="GET", path="/thing", security=(("BearerAuth",),)
    )


# --------------------------------------------------------------------------------------------
# Read timeouts


def test_client_timeout_expiry_raises_api_timeout_error(
    vastai_api: ModuleType, silent: SilentServer
) -> None:
    with vastai_api.Client(api_key=KEY, base_url=silent.url, timeout=0.2) as client:
        with pytest.raises(vastai_api.ApiTimeoutError) as info:
            client.create_endpoint(min_load=1)
    assert isinstance(info.value, vastai_api.ApiConnectionError)
    assert isinstance(info.value.__cause__, httpx.ReadTimeout)
    assert "timed out" in str(info.value)
    # the default two retries do not repeat a POST that may have reached the server
    assert silent.wait_accepted(1) == 1


def test_per_call_timeout_overrides_the_client(vastai_api: ModuleType, late: SilentServer) -> None:
    with vastai_api.Client(api_key=KEY, base_url=late.url, timeout=30, max_retries=0) as client:
        with pytest.raises(vastai_api.ApiTimeoutError):
            client.create_endpoint(min_load=1, timeout=0.2)
    assert late.wait_accepted(1) == 1


def test_raw_response_per_call_timeout(vastai_api: ModuleType, late: SilentServer) -> None:
    with vastai_api.Client(api_key=KEY, base_url=late.url) as client:
        with pytest.raises(vastai_api.ApiTimeoutError):
            client.with_raw_response.create_endpoint(timeout=httpx.Timeout(0.2), max_retries=0)


def test_late_answer_within_the_timeout_succeeds(vastai_api: ModuleType) -> None:
    server = SilentServer(reply_after=0.05)
    try:
        with vastai_api.Client(
            api_key=KEY, base_url=server.url, timeout=10, max_retries=0
        ) as client:
            assert client.create_endpoint(min_load=1).result == 12345
    finally:
        server.close()


def test_idempotent_read_timeouts_are_retried(
    vastai_api: ModuleType, silent: SilentServer, sleeps: list[float]
) -> None:
    with vastai_api.Client(api_key=KEY, base_url=silent.url, timeout=0.2, max_retries=1) as client:
        with pytest.raises(vastai_api.ApiTimeoutError):
            client._call(get_op(vastai_api), {})
    assert len(sleeps) == 1
    assert silent.wait_accepted(2) == 2


def test_async_timeout_expiry(vastai_api: ModuleType, late: SilentServer) -> None:
    async def main() -> None:
        async with vastai_api.AsyncClient(api_key=KEY, base_url=late.url, timeout=30) as client:
            with pytest.raises(vastai_api.ApiTimeoutError):
                await client.create_endpoint(min_load=1, timeout=0.2)
        async with vastai_api.AsyncClient(api_key=KEY, base_url=late.url, timeout=0.2) as client:
            with pytest.raises(vastai_api.ApiTimeoutError):
                await client.create_endpoint(min_load=1)

    asyncio.run(main())
    assert late.wait_accepted(2) == 2


# --------------------------------------------------------------------------------------------
# Refused connections


def test_refused_connection_raises_api_connection_error(
    vastai_api: ModuleType, refused_url: str
) -> None:
    with vastai_api.Client(api_key=KEY, base_url=refused_url, max_retries=0) as client:
        with pytest.raises(vastai_api.ApiConnectionError) as info:
            client.create_endpoint(min_load=1)
    assert not isinstance(info.value, vastai_api.ApiTimeoutError)
    assert isinstance(info.value.__cause__, httpx.ConnectError)
    assert "connection failed" in str(info.value)
    assert KEY not in str(info.value)


def test_refused_connection_is_retried_even_for_post(
    vastai_api: ModuleType, refused_url: str, sleeps: list[float]
) -> None:
    with vastai_api.Client(api_key=KEY, base_url=refused_url) as client:
        with pytest.raises(vastai_api.ApiConnectionError):
            client.create_endpoint(min_load=1)
    assert len(sleeps) == 2  # the default two retries, with backoff
    assert 0.375 <= sleeps[0] <= 0.5 and 0.75 <= sleeps[1] <= 1.0


def test_async_refused_connection(
    vastai_api: ModuleType, refused_url: str, sleeps: list[float]
) -> None:
    async def main() -> None:
        async with vastai_api.AsyncClient(
            api_key=KEY, base_url=refused_url, max_retries=1
        ) as client:
            with pytest.raises(vastai_api.ApiConnectionError) as info:
                await client.create_endpoint(min_load=1)
            assert not isinstance(info.value, vastai_api.ApiTimeoutError)

    asyncio.run(main())
    assert len(sleeps) == 1


# --------------------------------------------------------------------------------------------
# A real HTTP server


def test_end_to_end_over_a_real_socket(vastai_api: ModuleType, api: ApiServer) -> None:
    api.script = [
        (429, {"Retry-After": "0"}, {"detail": "slow"}),
        (201, {"X-Request-Id": "r-1"}, OK_BODY),
    ]
    with vastai_api.Client(api_key=KEY, base_url=api.url) as client:
        raw = client.with_raw_response.create_endpoint(min_load=50, endpoint_name="my_endpoint")
    assert raw.status_code == 201
    assert raw.headers["x-request-id"] == "r-1"
    assert raw.parse() == vastai_api.CreateEndpointResponse(success=True, result=12345)
    assert len(api.seen) == 2
    first = api.seen[0]
    assert first["path"] == "/api/v0/endptjobs/"
    assert first["headers"]["Authorization"] == f"Bearer {KEY}"
    assert first["headers"]["User-Agent"].startswith("vastai_api/1.0.0 ")
    assert json.loads(first["body"]) == {"min_load": 50.0, "endpoint_name": "my_endpoint"}
    assert api.seen[1]["body"] == first["body"]


def test_async_end_to_end_error_over_a_real_socket(vastai_api: ModuleType, api: ApiServer) -> None:
    body = {"success": False, "error": "invalid_args", "msg": "bad"}
    api.script = [(400, {"x-request-id": "abc"}, body)]

    async def main() -> Any:
        async with vastai_api.AsyncClient(api_key=KEY, base_url=api.url) as client:
            with pytest.raises(vastai_api.BadRequestError) as info:
                await client.create_endpoint(min_load=1)
        return info.value

    err = asyncio.run(main())
    assert err.request_id == "abc"
    assert isinstance(err.body, vastai_api.CreateEndpointBadRequest)
    assert err.body.error == "invalid_args"
    assert len(api.seen) == 1


# --------------------------------------------------------------------------------------------
# The CLI over real sockets, in-process


def cli_main(pkg: ModuleType, argv: list[str]) -> int:
    module = importlib.import_module(pkg.__name__ + "._cli")
    code: int = module.main(argv)
    return code


def test_cli_timeout_exits_1(
    vastai_api: ModuleType, late: SilentServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli_main(
        vastai_api, ["create", "endpoint", "--url", late.url, "--api-key", KEY, "--timeout", "0.2"]
    )
    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    assert "timed out" in err
    assert KEY not in err


def test_cli_refused_exits_1(
    vastai_api: ModuleType, refused_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli_main(
        vastai_api,
        ["--max-retries", "0", "--url", refused_url, "create", "endpoint", "--api-key", KEY],
    )
    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    assert "connection failed" in err


def test_cli_in_process_against_a_real_server(
    vastai_api: ModuleType, api: ApiServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli_main(
        vastai_api,
        ["create", "endpoint", "--min-load", "7", "--url", api.url, "--api-key", KEY, "--raw"],
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert json.loads(out) == OK_BODY
    assert json.loads(api.seen[0]["body"]) == {"min_load": 7.0}


# --------------------------------------------------------------------------------------------
# `python -m vastai_api` in a subprocess


def run_module(
    args: list[str], env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("VAST_API_KEY", "VAST_URL")}
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "vastai_api", *args],
        cwd=GENERATED,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_subprocess_call_against_a_real_server(api: ApiServer) -> None:
    proc = run_module(
        ["create", "endpoint", "--min_load", "50"], {"VAST_API_KEY": KEY, "VAST_URL": api.url}
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"success": True, "result": 12345}  # piped: JSON
    assert proc.stderr == ""
    (seen,) = api.seen
    assert seen["headers"]["Authorization"] == f"Bearer {KEY}"
    assert json.loads(seen["body"]) == {"min_load": 50.0}


def test_subprocess_api_error_exits_1_with_the_message(api: ApiServer) -> None:
    api.script = [
        (400, {}, {"success": False, "error": "invalid_args", "msg": "min_load is too low"})
    ]
    proc = run_module(["create", "endpoint", "--min_load", "0", "--url", api.url, "--api-key", KEY])
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert "400" in proc.stderr and "min_load is too low" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_subprocess_dry_run_and_verbose_never_show_the_key(api: ApiServer) -> None:
    proc = run_module(
        ["--verbose", "create", "endpoint", "--min-load", "5", "--dry-run"],
        {"VAST_API_KEY": KEY, "VAST_URL": api.url},
    )
    assert proc.returncode == 0, proc.stderr
    assert api.seen == []  # nothing sent
    assert KEY not in proc.stdout and KEY not in proc.stderr
    assert proc.stdout.splitlines()[0] == f"POST {api.url}/api/v0/endptjobs/"
    assert "Bearer ***" in proc.stdout.splitlines()[-1]


def test_subprocess_verbose_call(api: ApiServer) -> None:
    proc = run_module(["create", "endpoint", "-v"], {"VAST_API_KEY": KEY, "VAST_URL": api.url})
    assert proc.returncode == 0, proc.stderr
    assert "vastai_api: request POST" in proc.stderr and "Bearer ***" in proc.stderr
    assert KEY not in proc.stderr and KEY not in proc.stdout
    assert "12345" in proc.stdout and "request POST" not in proc.stdout


def test_subprocess_usage_error_exits_2() -> None:
    proc = run_module(["create", "endpoint", "--min_load", "abc"], {"VAST_API_KEY": KEY})
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "min_load" in proc.stderr and "invalid float value" in proc.stderr
