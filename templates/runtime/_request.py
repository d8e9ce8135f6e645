"""Building a request: arguments to path, query, headers, cookies and body; timeouts; redaction.

Part of the runtime copied verbatim into each generated package (import it through
`_runtime`). Pure functions of an `Op` and its arguments; the clients (`_http`) add the
credentials and send.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import math
import re
import urllib.parse
from collections.abc import Iterable, Mapping
from typing import Any

import httpx

from ._descriptors import UNSET, Unset, encode
from ._errors import RequestValidationError
from ._operation import Op
from ._validation import Arg, validate

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


@dataclasses.dataclass
class RequestParts:
    """A request while it is built: the operation's arguments placed where they go."""

    path: str
    headers: dict[str, str]
    query: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    cookies: dict[str, str] = dataclasses.field(default_factory=dict)
    body: dict[str, Any] = dataclasses.field(default_factory=dict)  # flattened fields
    raw_body: Any = UNSET  # the one body argument of an operation that is not flattened


def place_args(
    op: Op[Any], args: Mapping[str, Any], headers: dict[str, str]
) -> RequestParts:
    """Validate `args` against `op` and put each where `op` says (nothing is sent)."""
    parts = RequestParts(op.path, headers)
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
            parts.path = parts.path.replace("{" + arg.wire + "}", _path_value(value))
        elif arg.location == "query":
            if value is not None:
                parts.query.extend(_query_pairs(arg, value))
        elif arg.location == "header":
            if value is not None:
                enc = encode(value, arg.type)
                parts.headers[arg.wire] = (
                    ",".join(map(_scalar, enc))
                    if isinstance(enc, list)
                    else _scalar(enc)
                )
        elif arg.location == "cookie":
            if value is not None:
                parts.cookies[arg.wire] = _scalar(encode(value, arg.type))
        elif op.flattened:
            parts.body[arg.wire] = encode(value, arg.type)
        else:
            parts.raw_body = value
    return parts


def body_content(op: Op[Any], parts: RequestParts) -> dict[str, Any]:
    """The body as `httpx.Request` keyword arguments (setting `Content-Type` as needed)."""
    if op.body is None or not (parts.body or parts.raw_body is not UNSET):
        return {}
    payload = parts.body if op.flattened else parts.raw_body
    headers = parts.headers
    if op.body == "json":
        headers["Content-Type"] = op.content_type or "application/json"
        text = json.dumps(encode(payload), ensure_ascii=False)
        return {"content": text.encode("utf-8")}
    if op.body == "form":
        return {"data": {k: _scalar(v) for k, v in encode(payload).items()}}
    if op.body == "multipart":
        files, data = {}, {}
        for k, v in payload.items() if isinstance(payload, Mapping) else ():
            if isinstance(v, (bytes, bytearray)) or hasattr(v, "read"):
                files[k] = v
            else:
                data[k] = v if isinstance(v, str) else json.dumps(encode(v))
        return {"data": data, "files": files or None}
    if op.body == "text":
        headers["Content-Type"] = op.content_type or "text/plain"
        return {"content": str(payload).encode("utf-8")}
    headers["Content-Type"] = op.content_type or "application/octet-stream"
    return {"content": payload}
