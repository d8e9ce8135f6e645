"""Server-sent events arrive as they are sent (issue 13): `Stream[T]` over a loopback server.

The server sends events one by one and, between them, waits for the test: the first event
must reach the caller before the server sends the last (ordering, not wall time). Early exit
closes the connection; an error status before the first event raises its typed error; a 429
before the stream is retried; a connection that breaks off mid-stream raises
`ApiConnectionError` after the events already received.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from conftest import generate_package
from recording_server import DROP, Received, Recorder

SPEC = """
openapi: 3.1.0
info: {title: Streams, version: "1"}
servers: [{url: "http://example.invalid"}]
paths:
  /chat:
    post:
      operationId: createChat
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [prompt]
              properties:
                prompt: {type: string}
                stream: {type: boolean}
      responses:
        "200":
          description: a completion, or its chunks as events when stream is true
          content:
            application/json: {schema: {$ref: "#/components/schemas/Completion"}}
            text/event-stream: {schema: {$ref: "#/components/schemas/Chunk"}}
        "400":
          description: bad
          content:
            application/json: {schema: {$ref: "#/components/schemas/Problem"}}
  /events:
    get:
      operationId: listenEvents
      responses:
        "200":
          description: events only
          content:
            text/event-stream: {schema: {$ref: "#/components/schemas/Chunk"}}
components:
  schemas:
    Completion:
      type: object
      properties: {text: {type: string}}
    Chunk:
      type: object
      required: [delta]
      properties: {delta: {type: string}, index: {type: integer}}
    Problem:
      type: object
      properties: {message: {type: string}}
"""


def sse(data: Any, event: str | None = None) -> bytes:
    text = data if isinstance(data, str) else json.dumps(data)
    head = f"event: {event}\n" if event else ""
    return (head + "".join(f"data: {line}\n" for line in text.split("\n")) + "\n").encode()


SSE_HEADERS = {"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    module, _ = generate_package(tmp_path_factory.mktemp("streams"), SPEC)
    return module


@pytest.fixture()
def server() -> Iterator[Recorder]:
    recorder = Recorder()
    yield recorder
    recorder.close()


class Gate:
    """The server's side of the ordering check: it sends the last event only after `go`."""

    def __init__(self) -> None:
        self.go = threading.Event()
        self.sent_last = threading.Event()

    def handler(self, _: Received) -> tuple[int, dict[str, str], list[Any]]:
        return (
            200,
            SSE_HEADERS,
            [
                b": keep-alive comment\n\n",
                sse({"delta": "Hel", "index": 0}),
                self.go,
                sse({"delta": "lo", "index": 1}),
                sse("[DONE]"),
                self.sent_last.set,
                sse({"delta": "after done"}),
            ],
        )


def test_events_arrive_before_the_last_is_sent(pkg: ModuleType, server: Recorder) -> None:
    gate = Gate()
    server.replies["/chat"] = gate.handler
    with pkg.Client(base_url=server.url, max_retries=0) as client:
        stream = client.create_chat(prompt="hi", stream=True)
        assert isinstance(stream, pkg.Stream)
        seen = []
        for chunk in stream:
            if not seen:
                assert not gate.sent_last.is_set()  # the first event came before the last
                gate.go.set()
            seen.append(chunk)
    assert [type(c).__name__ for c in seen] == ["Chunk", "Chunk"]
    assert [c.delta for c in seen] == ["Hel", "lo"]  # and nothing after [DONE]
    assert server.last.headers["accept"] == "application/json, text/event-stream"
    assert json.loads(server.last.body) == {"prompt": "hi", "stream": True}


def test_json_answer_of_the_same_operation_is_a_model(pkg: ModuleType, server: Recorder) -> None:
    server.replies["/chat"] = lambda _: (
        200,
        {"Content-Type": "application/json"},
        [b'{"text": "Hello"}'],
    )
    with pkg.Client(base_url=server.url, max_retries=0) as client:
        completion = client.create_chat(prompt="hi")
    assert type(completion).__name__ == "Completion" and completion.text == "Hello"


def test_async_events_arrive_before_the_last_is_sent(pkg: ModuleType, server: Recorder) -> None:
    gate = Gate()
    server.replies["/events"] = gate.handler

    async def main() -> list[Any]:
        seen = []
        async with pkg.AsyncClient(base_url=server.url, max_retries=0) as client:
            stream = await client.listen_events()
            assert isinstance(stream, pkg.AsyncStream)
            async for chunk in stream:
                if not seen:
                    assert not gate.sent_last.is_set()
                    gate.go.set()
                seen.append(chunk.delta)
        return seen

    assert asyncio.run(main()) == ["Hel", "lo"]
    assert server.last.headers["accept"] == "text/event-stream"


def test_leaving_the_loop_early_closes_the_connection(pkg: ModuleType, server: Recorder) -> None:
    go = threading.Event()
    server.replies["/events"] = lambda _: (
        200,
        SSE_HEADERS,
        [sse({"delta": "first"}), go] + [x for i in range(200) for x in (sse({"delta": i}), 0.01)],
    )
    with pkg.Client(base_url=server.url, max_retries=0) as client:
        for chunk in client.listen_events():
            assert chunk.delta == "first"
            break
        go.set()
        assert server.disconnected.wait(10), "the server kept writing to an open connection"


def test_error_status_before_the_stream_raises_typed_error(
    pkg: ModuleType, server: Recorder
) -> None:
    server.replies["/chat"] = lambda _: (
        400,
        {"Content-Type": "application/json"},
        [b'{"message": "prompt too long"}'],
    )
    with pkg.Client(base_url=server.url, max_retries=0) as client:
        with pytest.raises(pkg.BadRequestError, match="prompt too long") as caught:
            client.create_chat(prompt="x" * 10, stream=True)
    assert type(caught.value.body).__name__ == "Problem"


def test_429_before_the_stream_is_retried(
    pkg: ModuleType, server: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    def handler(got: Received) -> tuple[int, dict[str, str], list[Any]]:
        calls.append(got)
        if len(calls) == 1:
            return 429, {"Content-Type": "application/json", "Retry-After": "0"}, [b"{}"]
        return 200, SSE_HEADERS, [sse({"delta": "ok"})]

    server.replies["/events"] = handler
    with pkg.Client(base_url=server.url, max_retries=2) as client:
        assert [c.delta for c in client.listen_events()] == ["ok"]
    assert len(calls) == 2


def test_a_stream_that_breaks_off_raises_after_the_events_received(
    pkg: ModuleType, server: Recorder
) -> None:
    server.replies["/events"] = lambda _: (
        200,
        SSE_HEADERS,
        [sse({"delta": "one"}), sse({"delta": "two"}), 0.05, DROP],
    )
    seen = []
    with pkg.Client(base_url=server.url, max_retries=0) as client:
        with pytest.raises(pkg.ApiConnectionError, match="listen_events"):
            for chunk in client.listen_events():
                seen.append(chunk.delta)
    assert seen == ["one", "two"]


def test_multi_line_data_and_text_events(pkg: ModuleType, server: Recorder) -> None:
    server.replies["/events"] = lambda _: (
        200,
        SSE_HEADERS,
        [sse("plain\ntext", event="note"), b"data: {\"delta\"\ndata: : 1}\n\n"],
    )
    with pkg.Client(base_url=server.url, max_retries=0) as client:
        seen = list(client.listen_events())
    assert seen[0] == "plain\ntext"
    assert seen[1].delta == 1 or seen[1].to_dict() == {"delta": 1}


USER_CODE = """
from {name} import AsyncClient, Client, Stream, models


def sync(client: Client) -> list[str]:
    out = [chunk.delta for chunk in client.listen_events()]
    answer = client.create_chat(prompt="hi", stream=True)
    if isinstance(answer, Stream):
        out += [chunk.delta for chunk in answer]
    else:
        completion: models.Completion = answer
    return out


def overloads(client: Client, flag: bool) -> None:
    chunks: Stream[models.Chunk] = client.create_chat(prompt="hi", stream=True)
    completion: models.Completion = client.create_chat(prompt="hi")
    also: models.Completion = client.create_chat(prompt="hi", stream=False)
    either: models.Completion | Stream[models.Chunk] = client.create_chat(
        prompt="hi", stream=flag
    )


async def asynchronous(client: AsyncClient) -> list[str]:
    chunks: Stream[models.Chunk] = await client.create_chat(prompt="hi", stream=True)
    completion: models.Completion = await client.create_chat(prompt="hi")
    raw = await client.with_raw_response.create_chat(prompt="hi")
    return [chunk.delta async for chunk in await client.listen_events()]
"""


def test_stream_annotations_type_check(pkg: ModuleType) -> None:
    import subprocess
    import sys
    from pathlib import Path

    folder = Path(pkg.__file__ or "").parent
    user = folder.parent / "use_streams.py"
    user.write_text(USER_CODE.format(name=pkg.__name__), encoding="utf-8")
    bin_dir = Path(sys.executable).parent
    checked = subprocess.run(
        [str(bin_dir / "mypy"), "--strict", "--python-version", "3.10", pkg.__name__, user.name],
        capture_output=True,
        text=True,
        cwd=folder.parent,
        timeout=600,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    from generator.contract import RUNTIME_FILES

    rendered = [
        f"{pkg.__name__}/{p.name}" for p in folder.glob("*.py") if p.name not in RUNTIME_FILES
    ]
    linted = subprocess.run(
        [str(bin_dir / "ruff"), "check", "--isolated", "--select", "F,I", *rendered],
        capture_output=True,
        text=True,
        cwd=folder.parent,
    )
    assert linted.returncode == 0, linted.stdout


def test_cli_prints_each_event_as_a_json_line_as_it_arrives(
    pkg: ModuleType, server: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib
    import io

    gate = Gate()
    server.replies["/events"] = gate.handler
    lines: list[str] = []

    class Terminal(io.StringIO):
        def write(self, text: str) -> int:
            if text.strip() and not lines:
                assert not gate.sent_last.is_set()  # printed before the last event was sent
                gate.go.set()
            if text.strip():
                lines.append(text.strip())
            return super().write(text)

    monkeypatch.setattr("sys.stdout", Terminal())
    cli = importlib.import_module(pkg.__name__ + "._cli")
    assert cli.main(["--url", server.url, "listen", "events"]) == 0
    assert [json.loads(line) for line in lines] == [
        {"delta": "Hel", "index": 0},
        {"delta": "lo", "index": 1},
    ]
