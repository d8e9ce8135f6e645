"""Responses read as they arrive: server-sent events (`Stream`) and downloads (`StreamedResponse`).

Part of the runtime copied verbatim into each generated package (import it through
`_runtime`). An operation whose success response declares `text/event-stream` returns a
`Stream[T]` when the server answers with that media type: iterating it yields each event's
data as the event arrives, JSON decoded into the declared type where it parses, and stops at
the end of the stream or at the `[DONE]` sentinel (OpenAI's). Leaving the loop early (break,
an exception) or `close()` closes the connection; a connection that drops mid-stream raises
`ApiConnectionError` after the events already received. The same object is iterated with
`for` on a `Client` and with `async for` on an `AsyncClient` (`AsyncStream`).
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import json
import pathlib
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Iterator,
    Mapping,
)
from types import TracebackType
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, cast

import httpx

from ._descriptors import Descriptor, decode
from ._errors import ApiConnectionError, ApiTimeoutError
from ._operation import Op, RawResponse

T = TypeVar("T")
P = ParamSpec("P")

DONE = "[DONE]"


class _Events:
    """Server-sent events from lines (the WHATWG parsing rules): (event, data) per event."""

    def __init__(self) -> None:
        self.data: list[str] = []
        self.event = ""

    def feed(self, line: str) -> tuple[str, str] | None:
        """Take one line; return (event type, data) when it ends an event."""
        if line == "":
            if not self.data:
                self.event = ""
                return None
            found = (self.event, "\n".join(self.data))
            self.data, self.event = [], ""
            return found
        if line.startswith(":"):
            return None  # a comment (keep-alive)
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "data":
            self.data.append(value)
        elif field == "event":
            self.event = value
        return None

    def end(self) -> tuple[str, str] | None:
        return self.feed("") if self.data else None

    def data_of(self, line: str | None) -> str | None:
        """Feed one line (None: the stream ended); a finished event's data, else None."""
        found = self.feed(line) if line is not None else self.end()
        return None if found is None else found[1]


def _connection_error(name: str, exc: httpx.TransportError) -> ApiConnectionError:
    if isinstance(exc, httpx.TimeoutException):
        return ApiTimeoutError(f"{name}(): the stream timed out ({type(exc).__name__})")
    return ApiConnectionError(f"{name}(): the stream broke off: {exc}")


class Stream(Generic[T]):
    """The events of a streaming response, each event's data decoded, as they arrive.

    `for event in stream` (a `Client`'s) or `async for event in stream` (an `AsyncClient`'s);
    also a context manager (`with` / `async with`) that closes the connection on exit.
    """

    def __init__(
        self, response: httpx.Response, descriptor: Descriptor = "any", name: str = ""
    ) -> None:
        self.response = response
        self._descriptor = descriptor
        self._name = name or "stream"

    def _decode(self, data: str) -> T:
        try:
            value = json.loads(data)
        except ValueError:
            return data  # type: ignore[return-value]
        try:
            result: T = decode(value, self._descriptor)
        except Exception:  # noqa: BLE001 (a misfit event is kept as JSON)
            return value  # type: ignore[no-any-return]
        return result

    def _events(self, lines: Iterable[str]) -> Iterator[T]:
        parser = _Events()
        for line in itertools.chain(lines, (None,)):
            data = parser.data_of(line)
            if data == DONE:
                return
            if data is not None:
                yield self._decode(data)

    def __iter__(self) -> Iterator[T]:
        try:
            yield from self._events(self.response.iter_lines())
        except httpx.TransportError as exc:
            raise _connection_error(self._name, exc) from exc
        finally:
            self.response.close()

    async def __aiter__(self) -> AsyncIterator[T]:
        parser = _Events()
        try:
            async for line in self.response.aiter_lines():
                data = parser.data_of(line)
                if data == DONE:
                    return
                if data is not None:
                    yield self._decode(data)
            data = parser.data_of(None)
            if data is not None and data != DONE:
                yield self._decode(data)
        except httpx.TransportError as exc:
            raise _connection_error(self._name, exc) from exc
        finally:
            await self.response.aclose()

    def close(self) -> None:
        self.response.close()

    async def aclose(self) -> None:
        await self.response.aclose()

    def __enter__(self) -> Stream[T]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    async def __aenter__(self) -> Stream[T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._name} {self.response.status_code}>"


class AsyncStream(Stream[T]):
    """A `Stream` of an `AsyncClient`: iterate it with `async for`."""


def open_stream(
    client: Any, op: Op[Any], args: Mapping[str, Any], options: Mapping[str, Any]
) -> Stream[Any] | RawResponse[Any]:
    """For the CLI: a `Stream` when the server answers with events, else the `RawResponse`
    (read whole), so that events are shown as they arrive."""
    response = cast(httpx.Response, client._send_open(op, args, **options))
    if streams(op.events, response):
        return Stream(response, op.events or "any", op.name)
    response.read()
    return RawResponse(response, op)


def streams(events: Descriptor | None, response: httpx.Response) -> bool:
    """Is this a server-sent event stream of an operation that declares one?"""
    if events is None:
        return False
    ctype = str(response.headers.get("content-type", ""))
    return ctype.split(";", 1)[0].strip().lower() == "text/event-stream"


def keeps_open(
    events: Descriptor | None, response: httpx.Response, keep_open: bool | None
) -> bool:
    """Is the body of `response` left unread (to stream it)? Never an error's; None: when
    it is the event stream the operation declares (`events`)."""
    if not response.is_success:
        return False
    return streams(events, response) if keep_open is None else keep_open


class StreamedResponse:
    """A response whose body has not been read: read it in pieces, or whole, or to a file.

    From `client.with_streaming_response.<method>(...)`, a context manager that closes the
    connection on exit. Nothing is read before you ask: `iter_bytes()` and `iter_lines()`
    yield as the data arrives, `write_to_file(path)` writes chunk by chunk.
    """

    def __init__(self, response: httpx.Response, name: str = "") -> None:
        self.http_response = response
        self._name = name

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        try:
            yield from self.http_response.iter_bytes(chunk_size)
        except httpx.TransportError as exc:
            raise _connection_error(self._name, exc) from exc

    def iter_lines(self) -> Iterator[str]:
        try:
            yield from self.http_response.iter_lines()
        except httpx.TransportError as exc:
            raise _connection_error(self._name, exc) from exc

    def read(self) -> bytes:
        return b"".join(self.iter_bytes())

    def text(self) -> str:
        return self.read().decode(self.http_response.encoding or "utf-8")

    def json(self) -> Any:
        return json.loads(self.read())

    def write_to_file(self, path: str | pathlib.Path, chunk_size: int = 1 << 16) -> int:
        """Write the body to `path` as it arrives; return the number of bytes written."""
        written = 0
        with open(path, "wb") as out:
            for chunk in self.iter_bytes(chunk_size):
                out.write(chunk)
                written += len(chunk)
        return written

    async def aiter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        try:
            async for chunk in self.http_response.aiter_bytes(chunk_size):
                yield chunk
        except httpx.TransportError as exc:
            raise _connection_error(self._name, exc) from exc

    async def aiter_lines(self) -> AsyncIterator[str]:
        try:
            async for line in self.http_response.aiter_lines():
                yield line
        except httpx.TransportError as exc:
            raise _connection_error(self._name, exc) from exc

    async def aread(self) -> bytes:
        return b"".join([chunk async for chunk in self.aiter_bytes()])

    async def awrite_to_file(
        self, path: str | pathlib.Path, chunk_size: int = 1 << 16
    ) -> int:
        written = (
            0  # file I/O in a worker thread: the event loop never blocks on the disk
        )
        out = await asyncio.to_thread(open, path, "wb")
        try:
            async for chunk in self.aiter_bytes(chunk_size):
                await asyncio.to_thread(out.write, chunk)
                written += len(chunk)
        finally:
            await asyncio.to_thread(out.close)
        return written

    def close(self) -> None:
        self.http_response.close()

    async def aclose(self) -> None:
        await self.http_response.aclose()

    def __repr__(self) -> str:
        return f"<StreamedResponse {self._name} {self.status_code}>"


class StreamedCall:
    """`with client.with_streaming_response.<method>(...) as response:` sends the request on
    entry (retries and typed errors as usual), leaves the body unread, closes on exit.
    """

    def __init__(self, send: Callable[[], httpx.Response], name: str) -> None:
        self._send = send
        self._name = name
        self._response: StreamedResponse | None = None

    def __enter__(self) -> StreamedResponse:
        self._response = StreamedResponse(self._send(), self._name)
        return self._response

    def __exit__(self, *exc: object) -> None:
        if self._response is not None:
            self._response.close()


class AsyncStreamedCall:
    """`async with client.with_streaming_response.<method>(...) as response:`."""

    def __init__(
        self, send: Callable[[], Awaitable[httpx.Response]], name: str
    ) -> None:
        self._send = send
        self._name = name
        self._response: StreamedResponse | None = None

    async def __aenter__(self) -> StreamedResponse:
        self._response = StreamedResponse(await self._send(), self._name)
        return self._response

    async def __aexit__(self, *exc: object) -> None:
        if self._response is not None:
            await self._response.aclose()


class _StreamingView:
    """Stands in for a client so that a client method's body returns a `StreamedCall`."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def _call(self, op: Any, args: Mapping[str, Any], **options: Any) -> StreamedCall:
        def send() -> httpx.Response:
            return cast(httpx.Response, self._client._send_open(op, args, **options))

        return StreamedCall(send, op.name)


class _AsyncStreamingView(_StreamingView):
    def _call(  # type: ignore[override]
        self, op: Any, args: Mapping[str, Any], **options: Any
    ) -> AsyncStreamedCall:
        async def send() -> httpx.Response:
            response = await self._client._send_open(op, args, **options)
            return cast(httpx.Response, response)

        return AsyncStreamedCall(send, op.name)


def streaming_method(
    method: Callable[Concatenate[Any, P], Any],
) -> Callable[Concatenate[Any, P], StreamedCall]:
    """`Client.<op>` as a method of `ClientWithStreamingResponse`: same arguments, a
    `StreamedCall` (`with ... as response:`) whose body is read only as you ask."""

    @functools.wraps(method)
    def call(self: Any, /, *args: P.args, **kwargs: P.kwargs) -> StreamedCall:
        return cast(StreamedCall, method(_StreamingView(self._client), *args, **kwargs))

    call.__doc__ = f"Like `{method.__qualname__}`, streaming the response body."
    return call


def async_streaming_method(
    method: Callable[Concatenate[Any, P], Any],
) -> Callable[Concatenate[Any, P], AsyncStreamedCall]:
    """`Client.<op>` as a method of `AsyncClientWithStreamingResponse` (`async with`)."""

    @functools.wraps(method)
    def call(self: Any, /, *args: P.args, **kwargs: P.kwargs) -> AsyncStreamedCall:
        view = _AsyncStreamingView(self._client)
        return cast(AsyncStreamedCall, method(view, *args, **kwargs))

    call.__doc__ = f"Like `{method.__qualname__}`, streaming the response body."
    return call
