"""Operations and their answers: `Op`, `Scheme`, raw responses, parsed bodies, status errors.

Part of the runtime copied verbatim into each generated package (import it through
`_runtime`). The generated `_ops.py` declares one `Op` per operation; the method wrappers
here let `AsyncClient` and the raw-response classes reuse `Client`'s methods, so that every
operation's signature and docstring are written once.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, cast

import httpx

from ._descriptors import Descriptor, Model, _resolve, decode
from ._errors import ApiStatusError, error_class
from ._pagination import Paging
from ._validation import Arg

T = TypeVar("T")
P = ParamSpec("P")


@dataclasses.dataclass(frozen=True)
class Op(Generic[T]):
    """Everything the runtime needs to send one operation and read its answer."""

    name: str
    method: str
    path: str
    args: tuple[Arg, ...] = ()
    result: Descriptor | None = None  # the success body's type; None: no JSON body
    result_kind: str = "json"  # json, text, binary, empty
    errors: Mapping[str, Descriptor] = dataclasses.field(
        default_factory=dict
    )  # status -> body type
    body: str | None = None  # json, form, multipart, binary, text
    content_type: str | None = None
    # `encoding.<property>.contentType` of a form or multipart body
    part_types: Mapping[str, str] = dataclasses.field(default_factory=dict)
    array_brackets: bool = False  # multipart array items as `name[]` parts (openai)
    accept: str | None = None  # the media types the responses declare; None: JSON
    # the type of its server-sent events' data, if it declares `text/event-stream`
    events: Descriptor | None = None
    flattened: bool = False
    security: tuple[tuple[str, ...], ...] = ()
    servers: tuple[str, ...] = ()
    deprecated: bool = False
    # a list whose pages follow one another (`_pagination`)
    paging: Paging | None = None


@dataclasses.dataclass(frozen=True)
class Scheme:
    """How one security scheme sends the credential."""

    kind: str  # bearer, basic, api_key, oauth2
    location: str = "header"
    wire: str = "Authorization"
    arg: str = "api_key"  # the client's argument holding the credential (not basic's)
    token_url: str = ""  # oauth2: the client-credentials flow's token endpoint


class RawResponse(Generic[T]):
    """The HTTP response of a call, with its body parsed on demand by `parse()`."""

    def __init__(
        self,
        http_response: httpx.Response,
        op: Op[T],
        page: Callable[[httpx.Response], Any] | None = None,
    ) -> None:
        self.http_response = http_response
        self._op = op
        self._page = page  # a paginated operation's: the page this response is

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    def parse(self) -> T:
        if self._page is not None:
            return cast(T, self._page(self.http_response))
        return _parse_success(self._op, self.http_response)

    def __repr__(self) -> str:
        return f"<RawResponse {self._op.name} {self.status_code}>"


class _RawView:
    """Stands in for a client so that a client method's body returns the raw response."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def _call(
        self, op: Op[T], args: Mapping[str, Any], **options: Any
    ) -> RawResponse[T]:
        return cast(RawResponse[T], self._client._call_raw(op, args, **options))


class _AsyncRawView(_RawView):
    async def _call(  # type: ignore[override]
        self, op: Op[T], args: Mapping[str, Any], **options: Any
    ) -> RawResponse[T]:
        return cast(RawResponse[T], await self._client._call_raw(op, args, **options))


def forget_cached(obj: T) -> T:
    """`obj` without the values of its `functools.cached_property`s: a copy of a client
    rebuilds its namespaces (built for the client they were read from) for itself."""
    for name in [k for k in vars(obj) if _is_cached(type(obj), k)]:
        del vars(obj)[name]
    return obj


def _is_cached(cls: type, name: str) -> bool:
    return isinstance(getattr(cls, name, None), functools.cached_property)


def async_method(
    method: Callable[Concatenate[Any, P], T],
) -> Callable[Concatenate[Any, P], Coroutine[Any, Any, T]]:
    """`Client.<op>` as a coroutine method of `AsyncClient`: the same arguments and docs.

    A generated method's body is only `return self._call(...)`; on an `AsyncClient` that
    returns the coroutine of `AsyncClient._call`, which this wrapper awaits. So every
    operation's signature and docstring are written once, in `Client`.
    """

    @functools.wraps(method)
    async def call(self: Any, /, *args: P.args, **kwargs: P.kwargs) -> T:
        result = await cast(Awaitable[T], method(self, *args, **kwargs))
        return result

    return call


def raw_method(
    method: Callable[Concatenate[Any, P], T],
) -> Callable[Concatenate[Any, P], RawResponse[T]]:
    """`Client.<op>` as a method of `ClientWithRawResponse`: same arguments, raw response.

    One line per operation instead of a second copy of every signature; type checkers see
    the exact parameters of the original method.
    """

    @functools.wraps(method)
    def call(self: Any, /, *args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        return cast(RawResponse[T], method(_RawView(self._client), *args, **kwargs))

    call.__doc__ = f"Like `{method.__qualname__}`, returning the raw response."
    return call


def async_raw_method(
    method: Callable[Concatenate[Any, P], Awaitable[T]],
) -> Callable[Concatenate[Any, P], Awaitable[RawResponse[T]]]:
    """`AsyncClient.<op>` as a method of `AsyncClientWithRawResponse`."""

    @functools.wraps(method)
    async def call(self: Any, /, *args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        result = await method(_AsyncRawView(self._client), *args, **kwargs)
        return cast(RawResponse[T], result)

    call.__doc__ = f"Like `{method.__qualname__}`, returning the raw response."
    return call


def _parse_success(op: Op[T], response: httpx.Response) -> T:
    if op.result_kind == "empty" or not response.content:
        return None  # type: ignore[return-value]
    if op.result_kind == "text":
        return response.text  # type: ignore[return-value]
    if op.result_kind == "binary":
        return response.content  # type: ignore[return-value]
    try:
        data = response.json()
    except ValueError:
        return response.text  # type: ignore[return-value]
    result: T = decode(data, op.result) if op.result is not None else data
    return result


def _error_body(op: Op[Any], response: httpx.Response) -> Any:
    try:
        data = response.json()
    except ValueError:
        return response.text
    status = str(response.status_code)
    descriptor = (
        op.errors.get(status)
        or op.errors.get(status[0] + "XX")
        or op.errors.get("default")
    )
    if descriptor is None or not _fits(data, descriptor):
        return data  # a body that does not fit the declared model is kept as received
    try:
        return decode(data, descriptor)
    except Exception:  # noqa: BLE001 (a misfit body is kept as JSON)
        return data


# JSON types of the plain scalar descriptors (any other descriptor string accepts anything:
# native scalars such as dates are strings on the wire, and decode keeps what does not parse)
_JSON_TYPES: dict[str, type[Any] | tuple[type[Any], ...]] = {
    "str": str,
    "int": int,
    "float": (int, float),
    "bool": bool,
}


def _fits(value: Any, descriptor: Descriptor) -> bool:
    """Does decoded JSON have the declared shape? Types of scalars, lists and maps, a model's
    required fields present and at least one of its fields when it declares any, recursively.
    Decoding is lenient (it never loses data); an error body that does not fit is kept as
    received instead of becoming a model with its fields missing."""
    if isinstance(descriptor, str):
        expected = _JSON_TYPES.get(descriptor)
        if expected is None:
            return True
        return isinstance(value, expected) and (
            descriptor == "bool" or not isinstance(value, bool)
        )
    kind = descriptor[0]
    if kind == "null":
        return value is None or _fits(value, descriptor[1])
    if kind == "const":
        return bool(value == descriptor[1])
    if kind == "list":
        return isinstance(value, list) and all(_fits(v, descriptor[1]) for v in value)
    if kind == "map":
        return isinstance(value, Mapping) and all(
            _fits(v, descriptor[1]) for v in value.values()
        )
    if kind == "union":
        return any(_fits(value, option) for option in descriptor[1])
    if kind == "model":
        if not isinstance(value, Mapping):
            return False
        fields = _resolve(descriptor[1])._all_fields()
        if fields and value and not any(f.wire in value for f in fields):
            return False
        return all(
            # a null stands for "no value" (servers send it for optional fields)
            (
                value[f.wire] is None or _fits(value[f.wire], f.type)
                if f.wire in value
                else not f.required
            )
            for f in fields
        )
    return True


# how much of a server's body an error message quotes when no message field is found in it
BODY_EXCERPT = 300


def _excerpt(text: str, limit: int = BODY_EXCERPT) -> str | None:
    """The start of a body on one line (whitespace runs collapsed), cut at `limit` characters."""
    line = " ".join(text.split())
    if not line:
        return None
    if len(line) <= limit:
        return line
    return f"{line[:limit]}... ({len(text)} characters)"


def _validation_details(value: Any) -> str | None:
    """`detail: [{loc, msg}, ...]` (FastAPI's and pydantic's 422) as `loc: msg; ...`."""
    if not isinstance(value, list) or not value:
        return None
    found = []
    for item in value:
        if not isinstance(item, Mapping) or not isinstance(item.get("msg"), str):
            return None
        loc = item.get("loc")
        where = ".".join(str(p) for p in loc) if isinstance(loc, list) else ""
        found.append(f"{where}: {item['msg']}" if where else item["msg"])
    return _excerpt("; ".join(found))


def _server_message(body: Any) -> str | None:
    """The server's own words from an error body: a message field, else None."""
    if isinstance(body, Model):
        body = body.to_dict()
    if isinstance(body, Mapping):
        for key in ("msg", "message", "error_description", "detail", "error", "title"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return _excerpt(value)
            if isinstance(value, Mapping) and isinstance(value.get("message"), str):
                return _excerpt(str(value["message"]))
            found = _validation_details(value)
            if found:
                return found
    return None


def make_status_error(
    op: Op[Any],
    response: httpx.Response,
    retry_after: float | None = None,
    *,
    note: str | None = None,
) -> ApiStatusError:
    """The exception for a non-2xx answer: `<status> <reason>: <the server's words>`.

    The server's words are its message field when the body has one, else the start of the
    body as received (JSON or text), so that a body that fits no declared model still shows.
    `exc.body` is the body decoded into the declared error model when it fits, else the JSON
    or the text received. `note` (the client's own explanation, a sentence) ends the message.
    """
    body = _error_body(op, response)
    reason = response.reason_phrase or ""
    message = f"{response.status_code} {reason}".strip()
    detail = _server_message(body)
    if detail is None:
        detail = _excerpt(response.text)
    if detail:
        message += f": {detail}"
    if note:
        message = f"{message.rstrip('.')}. {note}"
    return error_class(response.status_code)(
        message, response=response, body=body, retry_after=retry_after
    )
