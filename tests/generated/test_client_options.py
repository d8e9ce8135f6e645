"""Issue 14: the typed constructor, `with_options`, `default_headers` and `default_query`.

- `Client(...)` takes explicit keyword arguments: a typo (`api_kye=`) is a `TypeError` at run
  time and a `mypy --strict` error (mypy runs on a small file that misspells it, beside the seed
  spec's generated package, which must itself pass `--strict`);
- `client.with_options(...)` is a copy that shares the connection pool; what it changes reaches
  the server (a loopback `recording_server.Recorder`), the original is unchanged;
- `default_headers` / `default_query` go with every request; a call's own options win.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from conftest import ROOT, generate_package
from recording_server import Received, Recorder

BIN = Path(sys.executable).parent

SPEC = """
openapi: 3.1.0
info: {title: Options, version: "1"}
servers: [{url: "http://127.0.0.1:1"}]
paths:
  /things:
    get:
      operationId: listThings
      parameters: [{name: limit, in: query, schema: {type: integer}}]
      responses: {"200": {description: ok}}
"""


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    module, _ = generate_package(tmp_path_factory.mktemp("options"), SPEC)
    return module


@pytest.fixture
def server() -> Iterator[Recorder]:
    recorder = Recorder()
    try:
        yield recorder
    finally:
        recorder.close()


def unavailable(request: Received) -> tuple[int, dict[str, str], list[bytes]]:
    return 503, {"Retry-After": "0", "Content-Length": "0"}, []


@pytest.mark.parametrize("cls", ["Client", "AsyncClient"])
def test_a_misspelt_constructor_argument_is_a_type_error(pkg: ModuleType, cls: str) -> None:
    with pytest.raises(TypeError, match="api_kye"):
        getattr(pkg, cls)(api_kye="k", base_url="http://127.0.0.1:1")


def test_default_headers_and_query_go_with_every_request(pkg: ModuleType, server: Recorder) -> None:
    with pkg.Client(
        base_url=server.url, default_headers={"X-Team": "a"}, default_query={"tenant": "t1"}
    ) as client:
        client.list_things(limit=5)
        client.list_things(extra_headers={"X-Team": "b"}, extra_query={"tenant": "t2"})
    first, second = server.received
    assert first.headers["x-team"] == "a" and first.query == [("limit", "5"), ("tenant", "t1")]
    assert second.headers["x-team"] == "b" and second.query == [("tenant", "t2")]


def test_with_options_changes_the_copy_only_and_shares_the_pool(
    pkg: ModuleType, server: Recorder
) -> None:
    other = Recorder()
    server.replies["/"] = unavailable
    try:
        client = pkg.Client(base_url=server.url, max_retries=1, default_headers={"X-A": "1"})
        copy = client.with_options(
            max_retries=0, default_headers={"X-B": "2"}, default_query={"q": "1"}, timeout=3
        )
        assert copy._http is client._http  # one connection pool
        assert type(copy) is pkg.Client and copy.timeout.read == 3.0
        with pytest.raises(pkg.ApiStatusError):
            copy.list_things()
        [request] = server.received  # no retry: max_retries=0
        assert request.headers["x-a"] == "1" and request.headers["x-b"] == "2"
        assert request.query == [("q", "1")]
        server.received.clear()
        with pytest.raises(pkg.ApiStatusError):
            client.list_things()
        assert len(server.received) == 2  # the original still retries once
        assert all("x-b" not in r.headers and not r.query for r in server.received)
        moved = client.with_options(base_url=other.url)
        moved.list_things()
        assert len(other.received) == 1 and len(server.received) == 2
        moved.close()  # a copy does not close the shared pool
        copy.close()
        client.with_options(base_url=other.url).list_things()
        assert len(other.received) == 2
        client.close()
        assert client._http.is_closed
    finally:
        other.close()


def test_async_with_options(pkg: ModuleType, server: Recorder) -> None:
    async def main() -> None:
        async with pkg.AsyncClient(base_url="http://127.0.0.1:1") as client:
            copy = client.with_options(base_url=server.url, default_query={"k": "v"})
            assert copy._http is client._http
            await copy.list_things()
            await copy.close()
            await copy.list_things()

    asyncio.run(main())
    assert [r.query for r in server.received] == [[("k", "v")], [("k", "v")]]


CHECK = """\
from {pkg} import AsyncClient, Client

Client(api_key="k")
Client(api_kye="k")
AsyncClient(api_kye="k")
Client(timeout=5, max_retries=1, default_headers={{"a": "b"}}, default_query={{"q": 1}})
Client(base_url="http://x").with_options(timeout=1.5, max_retries=0, base_url="http://y")
Client().with_options(max_retry=0)
"""


def test_mypy_strict_rejects_a_misspelt_argument_and_passes_the_seed_package(
    tmp_path: Path,
) -> None:
    """One mypy run: the seed spec's package passes `--strict`; the check file's typos (and only
    they) are errors."""
    _, out = generate_package(tmp_path, (ROOT / "openapi.yaml").read_text(), package="seed_api")
    (out / "check_typos.py").write_text(CHECK.format(pkg="seed_api"), encoding="utf-8")
    done = subprocess.run(
        [
            str(BIN / "mypy"),
            "--strict",
            "--python-version",
            "3.10",
            "--no-incremental",
            "--cache-dir",
            os.devnull,
            "seed_api",
            "check_typos.py",
        ],
        capture_output=True,
        text=True,
        cwd=out,
        timeout=600,
    )
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert [e.split(":")[:2] for e in errors] == [
        ["check_typos.py", "4"],
        ["check_typos.py", "5"],
        ["check_typos.py", "8"],
    ], done.stdout
    assert 'Unexpected keyword argument "api_kye" for "Client"' in errors[0]
    assert 'Unexpected keyword argument "api_kye" for "AsyncClient"' in errors[1]
    assert 'Unexpected keyword argument "max_retry"' in errors[2]
