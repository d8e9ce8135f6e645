"""Building a request: arguments to path, query, headers, cookies and body; timeouts; redaction.

Part of the runtime copied verbatim into each generated package (import it through
`_runtime`). Pure functions of an `Op` and its arguments; the clients (`_http`) add the
credentials and send.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import urllib.parse
from collections.abc import Iterable, Mapping
from typing import Any

import httpx

from ._descriptors import UNSET, Unset, encode
from ._encoding import (
    file_part,
    form_body,
    form_pairs,
    is_file,
    multipart_body,
    multipart_parts,
    path_text,
    text,
)
from ._errors import RequestValidationError
from ._operation import Op
from ._scalars import bytes_text
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
    """A header, cookie or extra query value as text (`_encoding.text`: never a repr)."""
    return text(value)


def _query_pairs(arg: Arg, value: Any) -> list[tuple[str, str]]:
    return form_pairs(arg.wire, encode(value, arg.type), arg.style, arg.explode)


def _path_value(arg: Arg, value: Any) -> str:
    return path_text(arg.wire, encode(value, arg.type), arg.style, arg.explode)


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
            parts.path = parts.path.replace(
                "{" + arg.wire + "}", _path_value(arg, value)
            )
        elif arg.location == "query":
            if value is not None:
                parts.query.extend(_query_pairs(arg, value))
        elif arg.location == "header":
            if value is not None:
                enc = encode(value, arg.type)  # style simple: `a,b`, `k,v` or `k=v`
                parts.headers[arg.wire] = path_text(
                    arg.wire, enc, "simple", arg.explode, quote=False
                )
        elif arg.location == "cookie":
            if value is not None:
                enc = encode(value, arg.type)  # style form, not exploded: `a,b`, `k,v`
                parts.cookies[arg.wire] = path_text(
                    arg.wire, enc, "simple", False, quote=False
                )
        elif op.flattened:  # files of a multipart body are sent as given
            keep = op.body == "multipart" and _binary(arg.type)
            parts.body[arg.wire] = value if keep else encode(value, arg.type)
        else:  # JSON is encoded by its type here; other bodies are sent as given
            parts.raw_body = encode(value, arg.type) if op.body == "json" else value
    return parts


def _binary(descriptor: Any) -> bool:
    """Is an argument of this type a file (`bytes`, a list of them, maybe nullable)?"""
    while isinstance(descriptor, tuple) and descriptor[0] in ("null", "list"):
        descriptor = descriptor[1]
    return bool(descriptor == "bytes")


def _form_pairs(op: Op[Any], payload: Any) -> list[tuple[str, str]]:
    if not isinstance(payload, Mapping):
        raise RequestValidationError(f"{op.name}(): a form body must be a mapping")
    args = {a.wire: a for a in op.args if a.location == "body"}
    pairs: list[tuple[str, str]] = []
    for key, value in encode(payload).items():
        arg = args.get(key)
        style, explode = (arg.style, arg.explode) if arg else (None, None)
        ctype = op.part_types.get(key)
        pairs += form_pairs(key, value, style, explode, ctype, body=True)
    return pairs


def _bytes_in_json(value: Any) -> str:
    """Raw bytes inside a JSON body where no type said so (an untyped field): as typed ones."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes_text(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def body_content(op: Op[Any], parts: RequestParts) -> dict[str, Any]:
    """The body as `httpx.Request` keyword arguments (setting `Content-Type` as needed)."""
    if op.body is None or not (parts.body or parts.raw_body is not UNSET):
        return {}
    payload = parts.body if op.flattened else parts.raw_body
    headers = parts.headers
    if op.body == "json":
        headers["Content-Type"] = op.content_type or "application/json"
        text = json.dumps(encode(payload), ensure_ascii=False, default=_bytes_in_json)
        return {"content": text.encode("utf-8")}
    if op.body == "form":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        return {"content": form_body(_form_pairs(op, payload))}
    if op.body == "multipart":
        files = [a.wire for a in op.args if a.location == "body" and _binary(a.type)]
        if not isinstance(payload, Mapping):  # one binary or text body: one part
            payload = {"file": payload}
            files.append("file")
        found = multipart_parts(
            payload, op.part_types, files, array_brackets=op.array_brackets
        )
        content, headers["Content-Type"] = multipart_body(found)
        return {"content": content}
    if op.body == "text":
        headers["Content-Type"] = op.content_type or "text/plain"
        return {"content": str(payload).encode("utf-8")}
    if is_file(payload) and not isinstance(payload, (bytes, bytearray)):
        _, payload, guessed = file_part(payload, "body", op.content_type)
        headers["Content-Type"] = guessed
    else:
        headers["Content-Type"] = op.content_type or "application/octet-stream"
    return {"content": payload}
