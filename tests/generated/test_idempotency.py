"""Issue 14: a retried POST or PATCH carries the same `Idempotency-Key` on every attempt.

Against a loopback server (`recording_server.Recorder`) that answers 503 (with `Retry-After: 0`,
so the retry does not wait) and then 200. The key is a fresh UUID per call, sent from the first
attempt on (the server can only tell a retry from a new request if the first carried the key);
idempotent methods carry none; a header the caller gives wins; the setting `idempotency_header`
renames it or (`""`) turns it off.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import generate_package
from recording_server import Received, Recorder

SPEC = """
openapi: 3.1.0
info: {title: Idem, version: "1"}
servers: [{url: "http://127.0.0.1:1"}]
paths:
  /things:
    get:
      operationId: listThings
      responses: {"200": {description: ok}}
    post:
      operationId: createThing
      requestBody:
        content: {application/json: {schema: {type: object, properties: {name: {type: string}}}}}
      responses: {"200": {description: ok}}
    patch:
      operationId: patchThing
      responses: {"200": {description: ok}}
    put:
      operationId: putThing
      responses: {"200": {description: ok}}
    delete:
      operationId: deleteThing
      responses: {"200": {description: ok}}
"""


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    module, _ = generate_package(tmp_path_factory.mktemp("idem"), SPEC)
    return module


@pytest.fixture
def server() -> Iterator[Recorder]:
    """Each path answers 503 once, then 200."""
    recorder = Recorder()
    seen: set[tuple[str, str]] = set()

    def flaky(request: Received) -> tuple[int, dict[str, str], list[bytes]]:
        key = (request.method, request.path)
        if key not in seen:
            seen.add(key)
            return 503, {"Retry-After": "0", "Content-Length": "0"}, []
        return 200, {"Content-Length": "0"}, []

    recorder.replies["/"] = flaky
    try:
        yield recorder
    finally:
        recorder.close()


def call(pkg: ModuleType, kind: str, url: str, method: str, **kwargs: Any) -> None:
    if kind == "sync":
        with pkg.Client(base_url=url) as client:
            getattr(client, method)(**kwargs)
        return

    async def main() -> None:
        async with pkg.AsyncClient(base_url=url) as client:
            await getattr(client, method)(**kwargs)

    asyncio.run(main())


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("method", ["create_thing", "patch_thing"])
def test_a_retried_post_or_patch_carries_the_same_key_on_both_attempts(
    pkg: ModuleType, server: Recorder, kind: str, method: str
) -> None:
    kwargs = {"name": "x"} if method == "create_thing" else {}
    call(pkg, kind, server.url, method, **kwargs)
    first, second = server.received
    assert first.method == second.method in ("POST", "PATCH")
    key = first.headers["idempotency-key"]
    assert second.headers["idempotency-key"] == key
    assert uuid.UUID(key).version == 4
    # another call: another key
    server.received.clear()
    call(pkg, kind, server.url, method, **kwargs)
    assert server.received[0].headers["idempotency-key"] != key


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("method", ["list_things", "put_thing", "delete_thing"])
def test_idempotent_methods_carry_no_key(
    pkg: ModuleType, server: Recorder, kind: str, method: str
) -> None:
    call(pkg, kind, server.url, method)
    assert len(server.received) == 2  # retried after the 503 all the same
    assert all("idempotency-key" not in r.headers for r in server.received)


def test_a_key_the_caller_gives_wins(pkg: ModuleType, server: Recorder) -> None:
    call(pkg, "sync", server.url, "create_thing", extra_headers={"idempotency-key": "mine-1"})
    assert [r.headers["idempotency-key"] for r in server.received] == ["mine-1", "mine-1"]
    server.received.clear()
    with pkg.Client(base_url=server.url, default_headers={"Idempotency-Key": "mine-2"}) as client:
        client.patch_thing()
    assert [r.headers["idempotency-key"] for r in server.received] == ["mine-2", "mine-2"]


@pytest.mark.parametrize(("setting", "header"), [("X-Request-Key", "x-request-key"), ("", None)])
def test_the_setting_renames_or_turns_off_the_header(
    tmp_path: Path, server: Recorder, setting: str, header: str | None
) -> None:
    module, _ = generate_package(tmp_path, SPEC, idempotency_header=setting)
    call(module, "sync", server.url, "create_thing", name="x")
    for request in server.received:
        assert "idempotency-key" not in request.headers
    if header is not None:
        keys = {r.headers[header] for r in server.received}
        assert len(keys) == 1 and len(server.received) == 2
