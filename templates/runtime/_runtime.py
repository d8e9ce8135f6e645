"""HTTP runtime shared by every operation: requests, retries, errors, models, validation.

This file is copied verbatim into each generated package (it is not rendered), and it needs
only httpx. The generated modules are thin: `models.py` declares dataclasses over `Model`,
`client.py` declares one `Op` per operation and methods that call `_call`.
"""

from __future__ import annotations

import asyncio
import calendar
import dataclasses
import datetime
import email.utils
import enum
import functools
import json
import logging
import math
import os
import platform
import random
import re
import time
import types
import typing
import urllib.parse
import warnings
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    Concatenate,
    Generic,
    ParamSpec,
    TypeVar,
    cast,
)

import httpx

if (
    TYPE_CHECKING
):  # only for the type checker: at run time annotations stay strings (3.10+)
    from typing_extensions import Self  # noqa: UP035 (typing.Self is 3.11+)

T = TypeVar("T")
P = ParamSpec("P")

# --------------------------------------------------------------------------------------------
# Omitted vs None


class Unset:
    """The type of `UNSET`: an argument or field that was left out (as opposed to `None`)."""

    __slots__ = ()
    _instance: ClassVar[Unset | None] = None

    def __new__(cls) -> Self:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cast("Self", cls._instance)

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "UNSET"

    def __copy__(self) -> Unset:
        return self

    def __deepcopy__(self, memo: object) -> Unset:
        return self


UNSET: Any = Unset()

# --------------------------------------------------------------------------------------------
# Errors


class ApiError(Exception):
    """Base class of every error raised by the client."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RequestValidationError(ApiError, ValueError):
    """An argument does not match the schema; raised before anything is sent."""


class MissingCredentialsError(ApiError):
    """The operation needs credentials and none were given (argument or environment)."""


class ApiConnectionError(ApiError):
    """The server could not be reached (refused, DNS, TLS, dropped connection)."""


class ApiTimeoutError(ApiConnectionError):
    """The request timed out (connect, read, write or pool)."""


class ApiStatusError(ApiError):
    """The server answered with a non-2xx status."""

    status: ClassVar[int | None] = None

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: Any,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.response = response
        self.status_code = response.status_code
        self.headers = response.headers
        self.body = body
        self.request_id = response.headers.get("x-request-id") or response.headers.get(
            "request-id"
        )
        self.retry_after = retry_after


class BadRequestError(ApiStatusError):
    status = 400


class AuthenticationError(ApiStatusError):
    status = 401


class PermissionDeniedError(ApiStatusError):
    status = 403


class NotFoundError(ApiStatusError):
    status = 404


class ConflictError(ApiStatusError):
    status = 409


class UnprocessableEntityError(ApiStatusError):
    status = 422


class RateLimitError(ApiStatusError):
    status = 429


class InternalServerError(ApiStatusError):
    status = 500


_ERRORS: dict[int, type[ApiStatusError]] = {
    cls.status: cls
    for cls in (
        BadRequestError,
        AuthenticationError,
        PermissionDeniedError,
        NotFoundError,
        ConflictError,
        UnprocessableEntityError,
        RateLimitError,
    )
    if cls.status is not None
}


def error_class(status: int) -> type[ApiStatusError]:
    """The exception class raised for an HTTP status."""
    if status >= 500:
        return InternalServerError
    return _ERRORS.get(status, ApiStatusError)


# --------------------------------------------------------------------------------------------
# Type descriptors: how a value is validated, encoded to JSON and decoded from it.
# A descriptor is a string ("str", "int", "float", "bool", "bytes", "any") or a tuple:
# ("list", item), ("map", value), ("model", name), ("enum", name), ("union", (items...)),
# ("const", value), ("null", inner).

TypeSpec = str | tuple[Any, ...]
_TYPES: dict[str, type[Any]] = {}


def list_of(item: TypeSpec) -> TypeSpec:
    return ("list", item)


def map_of(value: TypeSpec) -> TypeSpec:
    return ("map", value)


def model(name: str) -> TypeSpec:
    return ("model", name)


def enum_of(name: str) -> TypeSpec:
    return ("enum", name)


def union(
    *items: TypeSpec,
    discriminator: str | None = None,
    mapping: Mapping[str, str] | None = None,
) -> TypeSpec:
    """One of `items`; with a `discriminator` property, its value picks the member: through
    `mapping` (value -> model name), else a model named like the value, else by shape.
    """
    if discriminator is None:
        return ("union", items)
    return ("union", items, discriminator, dict(mapping or {}))


def const(value: Any) -> TypeSpec:
    return ("const", value)


def nullable(inner: TypeSpec) -> TypeSpec:
    return ("null", inner)


class OpenEnum(enum.Enum):
    """An enum that tolerates values the spec did not list (they become pseudo-members)."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        base = str if issubclass(cls, str) else int if issubclass(cls, int) else None
        if base is None or not isinstance(value, base) or isinstance(value, bool):
            return None
        member = cast(Any, base).__new__(cls, value)
        member._name_ = f"UNKNOWN_{value}"
        member._value_ = value
        return member

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _TYPES[cls.__name__] = cls

    def __str__(self) -> str:
        return str(self.value)


@dataclasses.dataclass(frozen=True)
class F:
    """One model field: Python name, wire name, type descriptor, required."""

    name: str
    wire: str
    type: TypeSpec
    required: bool = False


_FIELDS: dict[type[Any], tuple[F, ...]] = {}


def _spec_of(hint: Any) -> TypeSpec:
    """The type descriptor of an evaluated annotation (`list[Pet] | None | Unset`, ...)."""
    if hint in (str, int, float, bool, bytes):
        return str(hint.__name__)
    if hint is type(None):
        return ("const", None)
    if isinstance(hint, type):
        if issubclass(hint, Model):
            return ("model", hint.__name__)
        if issubclass(hint, enum.Enum):
            return ("enum", hint.__name__)
        return "any"
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is list and args:
        return ("list", _spec_of(args[0]))
    if origin is dict and len(args) == 2:
        return ("map", _spec_of(args[1]))
    if origin is typing.Literal:
        consts = tuple(("const", a) for a in args)
        return consts[0] if len(consts) == 1 else ("union", consts)
    if origin is typing.Union or origin is types.UnionType:
        members = [a for a in args if a is not Unset]
        inner = [a for a in members if a is not type(None)]
        spec: TypeSpec = (
            _spec_of(inner[0])
            if len(inner) == 1
            else ("union", tuple(_spec_of(a) for a in inner))
        )
        return ("null", spec) if len(inner) < len(members) else spec
    return "any"


@dataclasses.dataclass(kw_only=True)
class Model:
    """Base of every generated model: `to_dict` / `from_dict` driven by its annotations.

    A field's type descriptor comes from its annotation and it is required when it has no
    default; `_wire` names the fields whose JSON name differs from the Python one, and
    `_specs` gives the descriptors an annotation cannot say (discriminated unions).
    """

    _wire: ClassVar[dict[str, str]] = {}
    _specs: ClassVar[dict[str, TypeSpec]] = {}
    additional_properties: dict[str, Any] = dataclasses.field(
        default_factory=dict, repr=False
    )
    """Fields the server sent that the spec does not declare (kept, never dropped)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _TYPES[cls.__name__] = cls

    @classmethod
    def _all_fields(cls) -> tuple[F, ...]:
        cached = _FIELDS.get(cls)
        if cached is None:
            cached = _FIELDS[cls] = cls._derive_fields()
        return cached

    @classmethod
    def _derive_fields(cls) -> tuple[F, ...]:
        # names from other model modules are imported there only for type checkers: resolve
        # every class name through the registry
        hints = typing.get_type_hints(cls, localns=dict(_TYPES))
        wire: dict[str, str] = {}
        specs: dict[str, TypeSpec] = {}
        for klass in reversed(cls.__mro__):
            wire.update(klass.__dict__.get("_wire", {}))
            specs.update(klass.__dict__.get("_specs", {}))
        seen: dict[str, F] = {}
        for field in dataclasses.fields(cls):
            if field.name == "additional_properties":
                continue
            required = (
                field.default is dataclasses.MISSING
                and field.default_factory is dataclasses.MISSING
            )
            spec = specs.get(field.name) or _spec_of(hints[field.name])
            name = wire.get(field.name, field.name)
            seen[name] = F(field.name, name, spec, required)
        return tuple(seen.values())

    def to_dict(self) -> dict[str, Any]:
        """The JSON object for this model; fields left `UNSET` are omitted, `None` is kept."""
        out: dict[str, Any] = dict(self.additional_properties)
        for f in self._all_fields():
            value = getattr(self, f.name, UNSET)
            if value is not UNSET:
                out[f.wire] = encode(value, f.type)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Build from a decoded JSON object; unknown keys go to `additional_properties`."""
        if not isinstance(data, Mapping):
            raise TypeError(
                f"{cls.__name__}.from_dict expects a JSON object, got {type(data).__name__}"
            )
        kwargs: dict[str, Any] = {}
        known: set[str] = set()
        for f in cls._all_fields():
            known.add(f.wire)
            if f.wire in data:
                kwargs[f.name] = decode(data[f.wire], f.type)
            elif f.required:
                kwargs[f.name] = (
                    UNSET  # tolerated: the server left out a required field
                )
        extra = {k: v for k, v in data.items() if k not in known}
        return cls(**kwargs, additional_properties=extra)


def _resolve(name: str) -> type[Any]:
    try:
        return _TYPES[name]
    except KeyError:  # pragma: no cover - generated code registers every name it uses
        raise LookupError(f"unknown model or enum {name!r}") from None


def encode(value: Any, spec: TypeSpec = "any") -> Any:
    """A value as JSON-ready data, following its type descriptor."""
    if value is None or value is UNSET:
        return None
    if isinstance(value, Model):
        return value.to_dict()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(spec, tuple):
        kind = spec[0]
        if kind == "null":
            return encode(value, spec[1])
        if kind == "list" and isinstance(value, (list, tuple)):
            return [encode(v, spec[1]) for v in value]
        if kind == "map" and isinstance(value, Mapping):
            return {str(k): encode(v, spec[1]) for k, v in value.items()}
    if spec == "float" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def decode(value: Any, spec: TypeSpec) -> Any:
    """Decoded JSON as typed values (models, enums); anything unexpected is kept as it came."""
    if value is None:
        return None
    if isinstance(spec, str):
        if spec == "float" and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        return value
    kind = spec[0]
    if kind == "null":
        return decode(value, spec[1])
    if kind == "model":
        cls = _resolve(spec[1])
        return cls.from_dict(value) if isinstance(value, Mapping) else value
    if kind == "enum":
        try:
            return _resolve(spec[1])(value)
        except (ValueError, TypeError):
            return value
    if kind == "list":
        return [decode(v, spec[1]) for v in value] if isinstance(value, list) else value
    if kind == "map":
        return (
            {k: decode(v, spec[1]) for k, v in value.items()}
            if isinstance(value, Mapping)
            else value
        )
    if kind == "union":
        picked = _discriminated(value, spec)
        if picked is not None:
            return decode(value, picked)
        for option in spec[1]:
            if _matches(value, option):
                return decode(value, option)
        return value
    return value


def _discriminated(value: Any, spec: tuple[Any, ...]) -> TypeSpec | None:
    """The union member named by the value's discriminator property, if the union has one."""
    if len(spec) < 4 or not isinstance(value, Mapping):
        return None
    tag = value.get(spec[2])
    if not isinstance(tag, str):
        return None
    target = spec[3].get(tag)
    if target is not None:
        return model(target)
    for option in spec[1]:
        if isinstance(option, tuple) and option[0] == "model" and option[1] == tag:
            return option
    return None


def _matches(value: Any, spec: TypeSpec) -> bool:
    """Does decoded JSON have the shape of `spec`? (used to pick a union member)"""
    if isinstance(spec, str):
        return {
            "str": isinstance(value, str),
            "bytes": isinstance(value, (str, bytes)),
            "int": isinstance(value, int) and not isinstance(value, bool),
            "float": isinstance(value, (int, float)) and not isinstance(value, bool),
            "bool": isinstance(value, bool),
        }.get(spec, True)
    kind = spec[0]
    if kind == "null":
        return value is None or _matches(value, spec[1])
    if kind == "const":
        return bool(value == spec[1])
    if kind == "enum":
        cls = _resolve(spec[1])
        members = list(cls.__members__.values())
        return (
            any(value == m.value for m in members)
            or bool(members)
            and isinstance(value, type(members[0].value))
        )
    if kind == "list":
        return isinstance(value, list)
    if kind == "map":
        return isinstance(value, Mapping)
    if kind == "model":
        if not isinstance(value, Mapping):
            return False
        fields = _resolve(spec[1])._all_fields()
        required = {f.wire for f in fields if f.required}
        return required <= set(value) and (
            not fields or bool(set(value) & {f.wire for f in fields}) or not value
        )
    if kind == "union":
        return any(_matches(value, option) for option in spec[1])
    return True


# --------------------------------------------------------------------------------------------
# Client-side validation


@dataclasses.dataclass(frozen=True)
class Arg:
    """One argument of an operation: where it goes on the wire and what it must look like."""

    name: str
    wire: str
    location: str  # path, query, header, cookie, body
    type: TypeSpec = "any"
    required: bool = False
    style: str | None = None
    explode: bool | None = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    min_items: int | None = None
    max_items: int | None = None


def _describe(spec: TypeSpec) -> str:
    if isinstance(spec, str):
        return {
            "str": "a string",
            "int": "an integer",
            "float": "a number",
            "bool": "a boolean",
            "bytes": "bytes",
            "any": "any value",
        }.get(spec, spec)
    kind = spec[0]
    if kind == "null":
        return _describe(spec[1]) + " or None"
    if kind == "enum":
        return "one of " + ", ".join(repr(m.value) for m in _resolve(spec[1]))
    if kind == "const":
        return repr(spec[1])
    if kind == "model":
        return f"a {spec[1]} (or a dict)"
    if kind == "list":
        return "a list"
    if kind == "map":
        return "a dict"
    return " or ".join(_describe(s) for s in spec[1])


def _type_ok(value: Any, spec: TypeSpec) -> bool:
    if isinstance(spec, str):
        if spec == "int":
            return isinstance(value, int) and not isinstance(value, bool)
        if spec == "float":
            return isinstance(value, (int, float)) and not isinstance(value, bool)
        if spec == "str":
            return isinstance(value, str)
        if spec == "bool":
            return isinstance(value, bool)
        if spec == "bytes":
            return isinstance(value, (bytes, bytearray, str)) or hasattr(value, "read")
        return True
    kind = spec[0]
    if kind == "null":
        return value is None or _type_ok(value, spec[1])
    if kind == "enum":
        cls = _resolve(spec[1])
        return isinstance(value, cls) or any(value == m.value for m in cls)
    if kind == "model":
        return isinstance(value, (_resolve(spec[1]), Mapping))
    if kind == "list":
        return isinstance(value, (list, tuple)) and all(
            _type_ok(v, spec[1]) for v in value
        )
    if kind == "map":
        return isinstance(value, Mapping)
    if kind == "const":
        return bool(value == spec[1])
    if kind == "union":
        return any(_type_ok(value, s) for s in spec[1])
    return True


def validate(op_name: str, arg: Arg, value: Any) -> None:
    """Raise `RequestValidationError` if `value` breaks the schema of `arg`."""
    where = f"{op_name}(): {arg.name}"
    if not _type_ok(value, arg.type):
        raise RequestValidationError(
            f"{where} must be {_describe(arg.type)}, got {value!r}"
        )
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if arg.minimum is not None and value < arg.minimum:
            raise RequestValidationError(
                f"{where} must be >= {arg.minimum:g}, got {value!r}"
            )
        if arg.maximum is not None and value > arg.maximum:
            raise RequestValidationError(
                f"{where} must be <= {arg.maximum:g}, got {value!r}"
            )
        if arg.exclusive_minimum is not None and value <= arg.exclusive_minimum:
            raise RequestValidationError(
                f"{where} must be > {arg.exclusive_minimum:g}, got {value!r}"
            )
        if arg.exclusive_maximum is not None and value >= arg.exclusive_maximum:
            raise RequestValidationError(
                f"{where} must be < {arg.exclusive_maximum:g}, got {value!r}"
            )
        if isinstance(value, float) and not math.isfinite(value):
            raise RequestValidationError(
                f"{where} must be a finite number, got {value!r}"
            )
    if isinstance(value, str):
        if arg.min_length is not None and len(value) < arg.min_length:
            raise RequestValidationError(
                f"{where} must have at least {arg.min_length} characters"
            )
        if arg.max_length is not None and len(value) > arg.max_length:
            raise RequestValidationError(
                f"{where} must have at most {arg.max_length} characters"
            )
        if arg.pattern is not None:
            try:
                ok = re.search(arg.pattern, value) is not None
            except re.error:
                ok = True  # an ECMA-only pattern: the server will judge
            if not ok:
                raise RequestValidationError(
                    f"{where} must match {arg.pattern!r}, got {value!r}"
                )
    if isinstance(value, (list, tuple)):
        if arg.min_items is not None and len(value) < arg.min_items:
            raise RequestValidationError(
                f"{where} must have at least {arg.min_items} items"
            )
        if arg.max_items is not None and len(value) > arg.max_items:
            raise RequestValidationError(
                f"{where} must have at most {arg.max_items} items"
            )


# --------------------------------------------------------------------------------------------
# Operations, responses


@dataclasses.dataclass(frozen=True)
class Op(Generic[T]):
    """Everything the runtime needs to send one operation and read its answer."""

    name: str
    method: str
    path: str
    args: tuple[Arg, ...] = ()
    result: TypeSpec | None = None  # the success body's type; None: no JSON body
    result_kind: str = "json"  # json, text, binary, empty
    errors: Mapping[str, TypeSpec] = dataclasses.field(
        default_factory=dict
    )  # status -> body type
    body: str | None = None  # json, form, multipart, binary, text
    content_type: str | None = None
    flattened: bool = False
    security: tuple[tuple[str, ...], ...] = ()
    servers: tuple[str, ...] = ()
    deprecated: bool = False


@dataclasses.dataclass(frozen=True)
class Scheme:
    """How one security scheme sends the credential."""

    kind: str  # bearer, basic, api_key
    location: str = "header"
    wire: str = "Authorization"


class RawResponse(Generic[T]):
    """The HTTP response of a call, with its body parsed on demand by `parse()`."""

    def __init__(self, http_response: httpx.Response, op: Op[T]) -> None:
        self.http_response = http_response
        self._op = op

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    def parse(self) -> T:
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


# A generated method calls `self._call(ops.<OP>, locals())`: these names in that mapping are
# the method's own `self` and the per-call options, not arguments of the operation.
_SCOPE_NAMES = frozenset(
    {"self", "extra_headers", "extra_query", "timeout", "max_retries"}
)


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
    spec = (
        op.errors.get(status)
        or op.errors.get(status[0] + "XX")
        or op.errors.get("default")
    )
    if spec is None:
        return data
    try:
        return decode(data, spec)
    except Exception:  # noqa: BLE001 (a misfit body is kept as JSON)
        return data


def _server_message(body: Any) -> str | None:
    if isinstance(body, Model):
        body = body.to_dict()
    if isinstance(body, Mapping):
        for key in ("msg", "message", "error_description", "detail", "error", "title"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
            if isinstance(value, Mapping) and isinstance(value.get("message"), str):
                return str(value["message"])
    if isinstance(body, str) and body.strip():
        return body.strip()[:500]
    return None


def make_status_error(
    op: Op[Any], response: httpx.Response, retry_after: float | None = None
) -> ApiStatusError:
    body = _error_body(op, response)
    reason = response.reason_phrase or ""
    message = f"{response.status_code} {reason}".strip()
    detail = _server_message(body)
    if detail:
        message += f": {detail}"
    return error_class(response.status_code)(
        message, response=response, body=body, retry_after=retry_after
    )


# --------------------------------------------------------------------------------------------
# Retries


RETRY_STATUSES = frozenset({408, 429, 502, 503, 504})
IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
INITIAL_BACKOFF = 0.5
MAX_BACKOFF = 8.0


def parse_retry_after(
    headers: Mapping[str, str], now: float | None = None
) -> float | None:
    """Seconds to wait from `retry-after-ms`, or `Retry-After` in seconds or as an HTTP date.

    Header names are matched case-insensitively, also in a plain dict. None: no usable value.
    """
    if not isinstance(headers, httpx.Headers):
        headers = {k.lower(): v for k, v in headers.items()}
    value = headers.get("retry-after-ms")
    if value is not None:
        try:
            ms = float(value)
            if math.isfinite(ms) and ms >= 0:
                return ms / 1000.0
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    # an HTTP date is UTC ("GMT"); a naive result means UTC too
    stamp = calendar.timegm(when.utctimetuple())
    current = time.time() if now is None else now
    return max(0.0, stamp - current)


def backoff(attempt: int) -> float:
    """Exponential backoff with jitter: attempt 0 -> 0.375..0.5 s, doubling, capped at 8 s."""
    delay = min(INITIAL_BACKOFF * (2.0**attempt), MAX_BACKOFF)
    return delay * (1 - 0.25 * random.random())


def should_retry_status(method: str, status: int) -> bool:
    if status in RETRY_STATUSES:
        return True
    return status >= 500 and method.upper() in IDEMPOTENT


# --------------------------------------------------------------------------------------------
# Requests

Timeout = float | httpx.Timeout | None
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
_SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "x-api-key", "api-key"}
)


def _to_timeout(value: Timeout | Unset) -> httpx.Timeout:
    """An `httpx.Timeout` from seconds (read; connect at most 5 s) or a `Timeout`.

    None means the default (connect 5 s, read 60 s): a request never waits forever.
    """
    if isinstance(value, httpx.Timeout):
        return value
    if value is None or isinstance(value, Unset):
        return DEFAULT_TIMEOUT
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"timeout must be a number of seconds, got {value!r}")
    seconds = float(value)
    if not (math.isfinite(seconds) and seconds > 0):
        raise ValueError(f"timeout must be a positive number of seconds, got {value!r}")
    return httpx.Timeout(seconds, connect=min(seconds, 5.0))


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return _scalar(value.value)
    if isinstance(value, float) and value.is_integer():
        return repr(value)
    return str(value)


def _query_pairs(arg: Arg, value: Any) -> list[tuple[str, str]]:
    value = encode(value, arg.type)
    style = arg.style or "form"
    explode = arg.explode if arg.explode is not None else style == "form"
    if isinstance(value, list):
        if explode:
            return [(arg.wire, _scalar(v)) for v in value]
        sep = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
        return [(arg.wire, sep.join(_scalar(v) for v in value))]
    if isinstance(value, Mapping):
        if style == "deepObject":
            return [(f"{arg.wire}[{k}]", _scalar(v)) for k, v in value.items()]
        if explode:
            return [(str(k), _scalar(v)) for k, v in value.items()]
        return [(arg.wire, ",".join(f"{k},{_scalar(v)}" for k, v in value.items()))]
    return [(arg.wire, _scalar(value))]


def _path_value(value: Any) -> str:
    value = encode(value)
    if isinstance(value, list):
        text = ",".join(_scalar(v) for v in value)
    else:
        text = _scalar(value)
    return urllib.parse.quote(text, safe="")


def redact_headers(
    headers: Mapping[str, str], secret: Iterable[str] = ()
) -> dict[str, str]:
    """A copy of `headers` with credentials replaced by `***`."""
    hidden = _SECRET_HEADERS | {h.lower() for h in secret}
    return {
        k: (_redact_value(v) if k.lower() in hidden else v) for k, v in headers.items()
    }


def _redact_value(value: str) -> str:
    scheme, _, rest = value.partition(" ")
    return (
        f"{scheme} ***"
        if rest and scheme.lower() in ("bearer", "basic", "token")
        else "***"
    )


def redact_url(url: str, secret_params: Iterable[str] = ()) -> str:
    names = set(secret_params)
    if not names:
        return url
    parts = urllib.parse.urlsplit(url)
    query = [
        (k, "***" if k in names else v)
        for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    ]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def _token(text: str) -> str:
    """`text` as an HTTP token (RFC 9110): anything else becomes `_`."""
    return re.sub(r"[^!#$%&'*+\-.^_`|~0-9A-Za-z]", "_", text) or "_"


class BaseClient:
    """State and request building shared by the sync and async clients."""

    _package: ClassVar[str] = "api"
    _version: ClassVar[str] = "0"
    _api_key_env: ClassVar[str | None] = None
    _base_url_env: ClassVar[str | None] = None
    _servers: ClassVar[tuple[str, ...]] = ()
    _schemes: ClassVar[Mapping[str, Scheme]] = {}
    # defaults a generated client may override (from the generator's configuration)
    _default_timeout: ClassVar[httpx.Timeout] = DEFAULT_TIMEOUT
    _default_max_retries: ClassVar[int] = 2
    _default_retry_after_cap: ClassVar[float] = 60.0

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | None = None,
        retry_after_cap: float | None = None,
        default_headers: Mapping[str, str] | None = None,
        username: str | None = None,
        password: str | None = None,
    ) -> None:
        if api_key is None and self._api_key_env:
            api_key = os.environ.get(self._api_key_env) or None
        env_url = os.environ.get(self._base_url_env) if self._base_url_env else None
        self._explicit_base_url = bool(base_url or env_url)
        url = base_url or env_url or (self._servers[0] if self._servers else "")
        if not url:
            raise ApiError("no base URL: pass base_url= (the spec declares no servers)")
        self.base_url = url.rstrip("/")
        self._api_key = api_key
        self._basic = (username, password) if username is not None else None
        self.timeout = (
            self._default_timeout if timeout is UNSET else _to_timeout(timeout)
        )
        if max_retries is None:
            max_retries = self._default_max_retries
        if retry_after_cap is None:
            retry_after_cap = self._default_retry_after_cap
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        self.max_retries = max_retries
        self.retry_after_cap = retry_after_cap
        self._default_headers = dict(default_headers or {})
        self._log = logging.getLogger(self._package)

    def __repr__(self) -> str:
        key = "set" if self._api_key else "unset"
        return f"<{type(self).__name__} base_url={self.base_url!r} api_key={key}>"

    @property
    def user_agent(self) -> str:
        """`<package>/<version> httpx/<v> python/<v>` (characters a header cannot hold: `_`)."""
        python = platform.python_version()
        product = f"{_token(self._package)}/{_token(self._version)}"
        return f"{product} httpx/{httpx.__version__} python/{python}"

    def _secret_names(self) -> tuple[set[str], set[str]]:
        headers, params = set(), set()
        for scheme in self._schemes.values():
            if scheme.location == "query":
                params.add(scheme.wire)
            elif scheme.location == "header":
                headers.add(scheme.wire)
        return headers, params

    def _auth(
        self,
        op: Op[Any],
        headers: dict[str, str],
        query: list[tuple[str, str]],
        cookies: dict[str, str],
    ) -> None:
        if not op.security:
            return
        for requirement in op.security:
            if not requirement:
                return  # anonymous access allowed
            schemes = [self._schemes[k] for k in requirement if k in self._schemes]
            if all(self._can_satisfy(s) for s in schemes):
                for scheme in schemes:
                    self._apply(scheme, headers, query, cookies)
                return
        hint = f" or set {self._api_key_env}" if self._api_key_env else ""
        raise MissingCredentialsError(
            f"{op.name}() needs credentials: pass api_key={hint}"
        )

    def _can_satisfy(self, scheme: Scheme) -> bool:
        return bool(self._basic) if scheme.kind == "basic" else bool(self._api_key)

    def _apply(
        self,
        scheme: Scheme,
        headers: dict[str, str],
        query: list[tuple[str, str]],
        cookies: dict[str, str],
    ) -> None:
        if scheme.kind == "basic" and self._basic:
            headers["Authorization"] = httpx.BasicAuth(
                *[s or "" for s in self._basic]
            )._auth_header
        elif scheme.kind == "bearer" and self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        elif scheme.kind == "api_key" and self._api_key:
            if scheme.location == "query":
                query.append((scheme.wire, self._api_key))
            elif scheme.location == "cookie":
                cookies[scheme.wire] = self._api_key
            else:
                headers[scheme.wire] = self._api_key

    def build_request(
        self,
        op: Op[Any],
        args: Mapping[str, Any],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        require_auth: bool = True,
        _stacklevel: int = 2,
    ) -> httpx.Request:
        """Validate `args` against `op` and build the HTTP request (nothing is sent)."""
        if op.deprecated:
            warnings.warn(
                f"{op.name}() is deprecated by the API",
                DeprecationWarning,
                stacklevel=_stacklevel,
            )
        path = op.path
        query: list[tuple[str, str]] = []
        headers: dict[str, str] = {
            "User-Agent": self.user_agent,
            "Accept": "application/json",
        }
        cookies: dict[str, str] = {}
        body: dict[str, Any] = {}
        raw_body: Any = UNSET
        for arg in op.args:
            value = args.get(arg.name, UNSET)
            if value is UNSET:
                if arg.required:
                    raise RequestValidationError(
                        f"{op.name}(): missing required argument {arg.name!r}"
                    )
                continue
            validate(op.name, arg, value)
            if arg.location == "path":
                path = path.replace("{" + arg.wire + "}", _path_value(value))
            elif arg.location == "query":
                if value is not None:
                    query.extend(_query_pairs(arg, value))
            elif arg.location == "header":
                if value is not None:
                    enc = encode(value, arg.type)
                    headers[arg.wire] = (
                        ",".join(map(_scalar, enc))
                        if isinstance(enc, list)
                        else _scalar(enc)
                    )
            elif arg.location == "cookie":
                if value is not None:
                    cookies[arg.wire] = _scalar(encode(value, arg.type))
            elif op.flattened:
                body[arg.wire] = encode(value, arg.type)
            else:
                raw_body = value
        if require_auth:
            self._auth(op, headers, query, cookies)
        elif self._api_key or self._basic:
            try:
                self._auth(op, headers, query, cookies)
            except MissingCredentialsError:
                pass
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        for key, value in (extra_query or {}).items():
            query.append((key, _scalar(value)))
        base = (
            op.servers[0].rstrip("/")
            if op.servers and not self._explicit_base_url
            else self.base_url
        )
        kwargs: dict[str, Any] = {}
        if op.body is not None and (body or raw_body is not UNSET):
            payload = body if op.flattened else raw_body
            if op.body == "json":
                kwargs["content"] = json.dumps(
                    encode(payload), ensure_ascii=False
                ).encode("utf-8")
                headers["Content-Type"] = op.content_type or "application/json"
            elif op.body == "form":
                kwargs["data"] = {k: _scalar(v) for k, v in encode(payload).items()}
            elif op.body == "multipart":
                files, data = {}, {}
                for k, v in (payload.items() if isinstance(payload, Mapping) else ()):
                    if isinstance(v, (bytes, bytearray)) or hasattr(v, "read"):
                        files[k] = v
                    else:
                        data[k] = v if isinstance(v, str) else json.dumps(encode(v))
                kwargs["data"], kwargs["files"] = data, files or None
            elif op.body == "text":
                kwargs["content"] = str(payload).encode("utf-8")
                headers["Content-Type"] = op.content_type or "text/plain"
            else:
                kwargs["content"] = payload
                headers["Content-Type"] = op.content_type or "application/octet-stream"
        headers.update(self._default_headers)
        headers.update(extra_headers or {})
        return httpx.Request(
            op.method, base + path, params=tuple(query), headers=headers, **kwargs
        )

    def describe(self, request: httpx.Request) -> str:
        """The request as text (for logs and --dry-run), credentials redacted."""
        secret_headers, secret_params = self._secret_names()
        headers = redact_headers(request.headers, secret_headers)
        url = redact_url(str(request.url), secret_params)
        return f"{request.method} {url} headers={headers}"

    def _retry_delay(
        self, op: Op[Any], response: httpx.Response, attempt: int, retries: int
    ) -> float | None:
        """Seconds to wait before retrying `response`, or None to give up."""
        if attempt >= retries or not should_retry_status(
            op.method, response.status_code
        ):
            return None
        wait = parse_retry_after(response.headers)
        if wait is None:
            return backoff(attempt)
        if wait > self.retry_after_cap:
            return None
        return wait

    def _prepare(
        self,
        op: Op[Any],
        args: Mapping[str, Any],
        extra_headers: Mapping[str, str] | None,
        extra_query: Mapping[str, Any] | None,
        timeout: Timeout | Unset,
        max_retries: int | None,
    ) -> tuple[httpx.Request, int]:
        """The request to send (validated, timeout attached) and how many retries it gets."""
        if (
            "self" in args
        ):  # a generated method's `locals()`: its parameters and options
            scope = args
            args = {k: v for k, v in scope.items() if k not in _SCOPE_NAMES}
            extra_headers = scope.get("extra_headers", extra_headers)
            extra_query = scope.get("extra_query", extra_query)
            timeout = scope.get("timeout", timeout)
            max_retries = scope.get("max_retries", max_retries)
        if max_retries is not None and (
            isinstance(max_retries, bool)
            or not isinstance(max_retries, int)
            or max_retries < 0
        ):
            raise ValueError(
                f"max_retries must be an integer >= 0, got {max_retries!r}"
            )
        # build_request <- _prepare <- _send <- _call <- the generated method <- the caller
        request = self.build_request(
            op,
            args,
            extra_headers=extra_headers,
            extra_query=extra_query,
            _stacklevel=6,
        )
        chosen = self.timeout if timeout is UNSET or timeout is None else timeout
        request.extensions["timeout"] = _to_timeout(chosen).as_dict()
        retries = self.max_retries if max_retries is None else max_retries
        return request, retries

    def _transport_retry(
        self, op: Op[Any], exc: httpx.TransportError, attempt: int, retries: int
    ) -> float | None:
        """Seconds to wait before retrying after `exc`, or None to give up.

        Failures before the request reached the server (refused, connect or pool timeout)
        are retried for every method; failures after it may have (read timeout, dropped
        connection) only for idempotent methods, so a POST is never sent twice.
        """
        if attempt >= retries or isinstance(exc, httpx.UnsupportedProtocol):
            return None
        unsent = isinstance(
            exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
        )
        if not unsent and op.method.upper() not in IDEMPOTENT:
            return None
        delay = backoff(attempt)
        self._log_retry(op, type(exc).__name__, delay, attempt, retries)
        return delay

    @staticmethod
    def _transport_error(op: Op[Any], exc: httpx.TransportError) -> ApiConnectionError:
        if isinstance(exc, httpx.TimeoutException):
            return ApiTimeoutError(
                f"{op.name}(): request timed out ({type(exc).__name__})"
            )
        return ApiConnectionError(f"{op.name}(): connection failed: {exc}")

    def _check(self, op: Op[Any], response: httpx.Response) -> None:
        if response.is_success:
            return
        retry_after = parse_retry_after(response.headers)
        raise make_status_error(op, response, retry_after)

    def _log_request(self, request: httpx.Request, attempt: int) -> None:
        if self._log.isEnabledFor(logging.DEBUG):
            self._log.debug(
                "request %s (attempt %d)", self.describe(request), attempt + 1
            )

    def _log_retry(
        self, op: Op[Any], why: str, delay: float, attempt: int, retries: int
    ) -> None:
        self._log.debug(
            "%s: %s; retrying in %.2fs (retry %d of %d)",
            op.name,
            why,
            delay,
            attempt + 1,
            retries,
        )


class SyncClient(BaseClient):
    """The blocking client: a thin loop of send, check, retry over `httpx.Client`."""

    def __init__(
        self, *, http_client: httpx.Client | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self._owns_http = http_client is None
        self._http = (
            http_client
            if http_client is not None
            else httpx.Client(timeout=self.timeout)
        )

    def close(self) -> None:
        """Close the HTTP connection pool (unless it was passed in)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(
        self,
        op: Op[T],
        args: Mapping[str, Any],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | None = None,
    ) -> T:
        response = self._send(
            op, args, extra_headers, extra_query, timeout, max_retries
        )
        return _parse_success(op, response)

    def _call_raw(
        self,
        op: Op[T],
        args: Mapping[str, Any],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | None = None,
    ) -> RawResponse[T]:
        return RawResponse(
            self._send(op, args, extra_headers, extra_query, timeout, max_retries), op
        )

    def _send(
        self,
        op: Op[Any],
        args: Mapping[str, Any],
        extra_headers: Mapping[str, str] | None,
        extra_query: Mapping[str, Any] | None,
        timeout: Timeout | Unset,
        max_retries: int | None,
    ) -> httpx.Response:
        request, retries = self._prepare(
            op, args, extra_headers, extra_query, timeout, max_retries
        )
        attempt = 0
        while True:
            self._log_request(request, attempt)
            try:
                response = self._http.send(request)
            except httpx.TransportError as exc:
                delay = self._transport_retry(op, exc, attempt, retries)
                if delay is None:
                    raise self._transport_error(op, exc) from exc
                time.sleep(delay)
                attempt += 1
                continue
            delay_ = self._retry_delay(op, response, attempt, retries)
            if delay_ is None:
                response.read()
                self._check(op, response)
                return response
            response.close()
            self._log_retry(
                op, f"status {response.status_code}", delay_, attempt, retries
            )
            time.sleep(delay_)
            attempt += 1


class AsyncClient(BaseClient):
    """The asyncio client: same behaviour as `SyncClient`; waits never block the event loop."""

    def __init__(
        self, *, http_client: httpx.AsyncClient | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self._owns_http = http_client is None
        self._http = (
            http_client
            if http_client is not None
            else httpx.AsyncClient(timeout=self.timeout)
        )

    async def close(self) -> None:
        """Close the HTTP connection pool (unless it was passed in)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _call(
        self,
        op: Op[T],
        args: Mapping[str, Any],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | None = None,
    ) -> T:
        response = await self._send(
            op, args, extra_headers, extra_query, timeout, max_retries
        )
        return _parse_success(op, response)

    async def _call_raw(
        self,
        op: Op[T],
        args: Mapping[str, Any],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | None = None,
    ) -> RawResponse[T]:
        return RawResponse(
            await self._send(
                op, args, extra_headers, extra_query, timeout, max_retries
            ),
            op,
        )

    async def _send(
        self,
        op: Op[Any],
        args: Mapping[str, Any],
        extra_headers: Mapping[str, str] | None,
        extra_query: Mapping[str, Any] | None,
        timeout: Timeout | Unset,
        max_retries: int | None,
    ) -> httpx.Response:
        request, retries = self._prepare(
            op, args, extra_headers, extra_query, timeout, max_retries
        )
        attempt = 0
        while True:
            self._log_request(request, attempt)
            try:
                response = await self._http.send(request)
            except httpx.TransportError as exc:
                delay = self._transport_retry(op, exc, attempt, retries)
                if delay is None:
                    raise self._transport_error(op, exc) from exc
                await asyncio.sleep(delay)
                attempt += 1
                continue
            delay_ = self._retry_delay(op, response, attempt, retries)
            if delay_ is None:
                await response.aread()
                self._check(op, response)
                return response
            await response.aclose()
            self._log_retry(
                op, f"status {response.status_code}", delay_, attempt, retries
            )
            await asyncio.sleep(delay_)
            attempt += 1


__all__ = [
    "UNSET",
    "ApiConnectionError",
    "ApiError",
    "ApiStatusError",
    "ApiTimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "MissingCredentialsError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RawResponse",
    "RequestValidationError",
    "UnprocessableEntityError",
    "Unset",
]
