"""Downloads read as they arrive: `client.with_streaming_response.<method>(...)` (issue 13).

A loopback server sends a 50 MB body in 64 KiB chunks; the client writes it to a file with
`write_to_file` while `tracemalloc` watches: the peak of Python allocations stays far below
the file's size (the body is never held whole). `iter_bytes`, `iter_lines`, `read`, the
async client, typed errors before the body and the `Accept` of a binary-only operation are
checked against the same server.
"""

from __future__ import annotations

import asyncio
import hashlib
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import generate_package
from recording_server import Received, Recorder

SPEC = """
openapi: 3.1.0
info: {title: Files, version: "1"}
servers: [{url: "http://example.invalid"}]
paths:
  /files/{name}:
    get:
      operationId: downloadFile
      parameters:
        - {name: name, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: the file
          content:
            application/octet-stream: {schema: {type: string, format: binary}}
        "404":
          description: no such file
          content:
            application/json: {schema: {type: object, properties: {message: {type: string}}}}
  /log:
    get:
      operationId: getLog
      responses:
        "200": {description: text, content: {text/plain: {schema: {type: string}}}}
"""

CHUNK = bytes(range(256)) * 256  # 64 KiB
SIZE = 50 * 1024 * 1024


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    module, _ = generate_package(tmp_path_factory.mktemp("downloads"), SPEC)
    return module


@pytest.fixture(scope="module")
def server() -> Iterator[Recorder]:
    recorder = Recorder()

    def download(got: Received) -> tuple[int, dict[str, str], Any]:
        if got.path.endswith("/missing"):
            return 404, {"Content-Type": "application/json"}, [b'{"message": "no such file"}']
        chunks = (CHUNK for _ in range(SIZE // len(CHUNK)))
        return 200, {"Content-Type": "application/octet-stream"}, chunks

    recorder.replies["/files/"] = download
    recorder.replies["/log"] = lambda _: (
        200,
        {"Content-Type": "text/plain; charset=utf-8"},
        [b"line one\nline ", b"two\nline three\n"],
    )
    yield recorder
    recorder.close()


def test_50_mb_download_streams_to_a_file(
    pkg: ModuleType, server: Recorder, tmp_path: Path
) -> None:
    target = tmp_path / "big.bin"
    with pkg.Client(base_url=server.url, max_retries=0) as client:
        tracemalloc.start()
        try:
            with client.with_streaming_response.download_file(name="big.bin") as response:
                assert response.status_code == 200
                written = response.write_to_file(target)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert server.last.headers["accept"] == "application/octet-stream, application/json"
    assert written == SIZE == target.stat().st_size
    assert peak < SIZE / 10, f"peak {peak} bytes of Python allocations for a {SIZE}-byte body"
    expected = hashlib.sha256()
    for _ in range(SIZE // len(CHUNK)):
        expected.update(CHUNK)
    assert hashlib.sha256(target.read_bytes()).hexdigest() == expected.hexdigest()


def test_iter_bytes_and_read(pkg: ModuleType, server: Recorder) -> None:
    with pkg.Client(base_url=server.url, max_retries=0) as client:
        with client.with_streaming_response.download_file(name="a") as response:
            first = next(response.iter_bytes(1024))
            assert len(first) == 1024 and first == CHUNK[:1024]
        with client.with_streaming_response.download_file(name="b") as response:
            assert len(response.read()) == SIZE


def test_iter_lines_of_a_text_body(pkg: ModuleType, server: Recorder) -> None:
    with pkg.Client(base_url=server.url, max_retries=0) as client:
        with client.with_streaming_response.get_log() as response:
            assert list(response.iter_lines()) == ["line one", "line two", "line three"]
        assert client.get_log() == "line one\nline two\nline three\n"


def test_error_status_raises_before_the_body(pkg: ModuleType, server: Recorder) -> None:
    with pkg.Client(base_url=server.url, max_retries=0) as client:
        with pytest.raises(pkg.NotFoundError, match="no such file"):
            with client.with_streaming_response.download_file(name="missing"):
                pass


def test_async_download(pkg: ModuleType, server: Recorder, tmp_path: Path) -> None:
    target = tmp_path / "async.bin"

    async def main() -> int:
        async with pkg.AsyncClient(base_url=server.url, max_retries=0) as client:
            async with client.with_streaming_response.download_file(name="x") as response:
                return int(await response.awrite_to_file(target))

    assert asyncio.run(main()) == SIZE == target.stat().st_size


USER_CODE = """
from pathlib import Path

from {name} import AsyncClient, Client


def sync(client: Client) -> int:
    with client.with_streaming_response.download_file(name="a") as response:
        return response.write_to_file(Path("a.bin"))


async def asynchronous(client: AsyncClient) -> bytes:
    async with client.with_streaming_response.download_file(name="a") as response:
        return await response.aread()
"""


def test_streaming_response_type_checks(pkg: ModuleType) -> None:
    import subprocess
    import sys

    folder = Path(pkg.__file__ or "").parent
    user = folder.parent / "use_downloads.py"
    user.write_text(USER_CODE.format(name=pkg.__name__), encoding="utf-8")
    checked = subprocess.run(
        [
            str(Path(sys.executable).parent / "mypy"),
            "--strict",
            "--python-version",
            "3.10",
            pkg.__name__,
            user.name,
        ],
        capture_output=True,
        text=True,
        cwd=folder.parent,
        timeout=600,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
