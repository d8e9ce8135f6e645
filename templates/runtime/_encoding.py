"""Values on the wire: form bodies, multipart bodies and parameter styles, by OpenAPI's rules.

Part of the runtime copied verbatim into each generated package (import it through
`_runtime`). Every function here takes JSON-ready data (what `encode` returns) and gives
text: scalars as their JSON spelling without quotes (`true`, `1.5`), containers flattened
into keys by the parameter's `style` (never Python's `repr`). Files (`FileInput`) become
multipart parts with a filename and a content type.

- form (`application/x-www-form-urlencoded`) and query: `form_pairs` (`style`/`explode` per
  property; objects and arrays of objects in bracket form, `a[b][c]=v`, `a[0][b]=v`, as
  Stripe's clients send them; arrays of scalars repeated, `a=x&a=y`, or `a[]=x` when the
  style is `deepObject`);
- path: `path_text` (`simple`, `label`, `matrix`);
- multipart: `multipart_body` (one part per file and per array item).
"""

from __future__ import annotations

import enum
import json
import mimetypes
import os
import pathlib
import secrets
import urllib.parse
from collections.abc import Iterable, Mapping
from typing import IO, Any, TypeAlias

# A file to upload: its bytes, a binary file object, a path, or (filename, content,
# content type) where content is bytes or a binary file object (either name may be None).
FileContent: TypeAlias = "bytes | bytearray | IO[bytes]"
FileInput: TypeAlias = (
    "bytes | bytearray | IO[bytes] | pathlib.Path | tuple[str | None, FileContent]"
    " | tuple[str | None, FileContent, str | None]"
)

Pairs = list[tuple[str, str]]


def text(value: Any) -> str:
    """A scalar as wire text: booleans `true`/`false`, None empty, containers as JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return repr(value)
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    if isinstance(value, (Mapping, list, tuple)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, enum.Enum):
        return text(value.value)
    return str(value)


def _is_json(content_type: str | None) -> bool:
    if not content_type:
        return False
    base = content_type.split(";", 1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def _nested(value: Any) -> bool:
    return isinstance(value, (Mapping, list, tuple))


def brackets(prefix: str, value: Any) -> Pairs:
    """`value` flattened under `prefix` in bracket form: `a[b][c]=v`, `a[0][b]=v`, `a[]=x`."""
    if isinstance(value, Mapping):
        if not value:
            return [(prefix, "")]
        out: Pairs = []
        for key, item in value.items():
            out += brackets(f"{prefix}[{key}]", item)
        return out
    if isinstance(value, (list, tuple)):
        if not any(_nested(v) for v in value):
            return [(f"{prefix}[]", text(v)) for v in value]
        out = []
        for i, item in enumerate(value):
            out += brackets(f"{prefix}[{i}]", item)
        return out
    return [(prefix, text(value))]


def form_pairs(
    name: str,
    value: Any,
    style: str | None = None,
    explode: bool | None = None,
    content_type: str | None = None,
    *,
    body: bool = False,
) -> Pairs:
    """One form property's or query parameter's (key, text) pairs.

    `style` defaults to `form`, `explode` to true for `form` and false otherwise (OpenAPI).
    An object, or an array holding objects, is written in bracket form when the style is
    `deepObject` or (in a form body, unless the style says `form`) as Stripe's clients do;
    `content_type` JSON sends the value as one JSON text.
    """
    if value is None:
        return []
    if _is_json(content_type):
        return [(name, json.dumps(value, ensure_ascii=False, separators=(",", ":")))]
    if explode is None:
        explode = (style or "form") == "form"
    deep = style == "deepObject" or (body and style is None)
    if isinstance(value, Mapping):
        if deep:
            return brackets(name, value)
        if explode:
            return [(str(k), text(v)) for k, v in value.items()]
        return [(name, ",".join(f"{k},{text(v)}" for k, v in value.items()))]
    if isinstance(value, (list, tuple)):
        if any(_nested(v) for v in value):
            return brackets(name, value)
        if style == "deepObject":
            return [(f"{name}[]", text(v)) for v in value]
        if explode:
            return [(name, text(v)) for v in value]
        sep = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style or "form", ",")
        return [(name, sep.join(text(v) for v in value))]
    return [(name, text(value))]


def form_body(pairs: Iterable[tuple[str, str]]) -> bytes:
    """`application/x-www-form-urlencoded` bytes (spaces as `+`, brackets percent-encoded)."""
    return urllib.parse.urlencode(list(pairs)).encode("ascii")


def path_text(
    name: str,
    value: Any,
    style: str | None = None,
    explode: bool | None = None,
    *,
    quote: bool = True,
) -> str:
    """A path parameter's text by style: `simple` (`a,b`), `label` (`.a.b`), `matrix` (`;n=a`);
    with `quote=False` (a header's or a cookie's `simple` value) nothing is percent-encoded.
    """

    def q(v: Any) -> str:
        return urllib.parse.quote(text(v), safe="") if quote else text(v)

    style = style or "simple"
    explode = bool(explode)
    if isinstance(value, Mapping):
        items = [(q(k), q(v)) for k, v in value.items()]
        if style == "matrix":
            if explode:
                return "".join(f";{k}={v}" for k, v in items)
            return f";{name}=" + ",".join(f"{k},{v}" for k, v in items)
        joined = ",".join(f"{k}={v}" if explode else f"{k},{v}" for k, v in items)
        if style == "label":
            sep = "." if explode else ","
            return "." + sep.join(
                f"{k}={v}" if explode else f"{k},{v}" for k, v in items
            )
        return joined
    if isinstance(value, (list, tuple)):
        parts = [q(v) for v in value]
        if style == "label":
            return "." + ("." if explode else ",").join(parts)
        if style == "matrix":
            if explode:
                return "".join(f";{name}={p}" for p in parts)
            return f";{name}=" + ",".join(parts)
        return ",".join(parts)
    if style == "label":
        return "." + q(value)
    if style == "matrix":
        return f";{name}={q(value)}"
    return q(value)


# -- multipart -------------------------------------------------------------------------------


def is_file(value: Any) -> bool:
    """Is `value` a `FileInput` (bytes, a binary file object, a path or a file tuple)?"""
    if isinstance(value, (bytes, bytearray, pathlib.PurePath)) or hasattr(
        value, "read"
    ):
        return True
    return (
        isinstance(value, tuple)
        and len(value) in (2, 3)
        and (value[0] is None or isinstance(value[0], str))
        and (isinstance(value[1], (bytes, bytearray, str)) or hasattr(value[1], "read"))
    )


def file_part(
    value: Any, default_name: str, content_type: str | None = None
) -> tuple[str, bytes, str]:
    """(filename, content, content type) of a `FileInput`; a `str` is sent as UTF-8 text."""
    filename: str | None = None
    declared: str | None = None
    content: Any = value
    if isinstance(value, tuple):
        filename, content = value[0], value[1]
        declared = value[2] if len(value) == 3 else None
    if isinstance(content, pathlib.PurePath):
        filename = filename or content.name
        content = pathlib.Path(content).read_bytes()
    elif hasattr(content, "read"):
        name = getattr(content, "name", None)
        if filename is None and isinstance(name, str) and name:
            filename = os.path.basename(name)
        content = content.read()
    if isinstance(content, str):
        content = content.encode("utf-8")
    filename = filename or default_name
    if declared is None and content_type and "*" not in content_type:
        declared = content_type
    if declared is None:
        declared = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return filename, bytes(content), declared


def _quote(name: str) -> str:
    """A name in a `Content-Disposition` header (as browsers send it)."""
    return (
        name.replace("\\", "\\\\")
        .replace('"', "%22")
        .replace("\r", "%0D")
        .replace("\n", "%0A")
    )


Part = tuple[
    str, str | None, str | None, bytes
]  # name, filename, content type, content


def multipart_parts(
    payload: Mapping[str, Any],
    part_types: Mapping[str, str] | None = None,
    files: Iterable[str] = (),
    *,
    array_brackets: bool = False,
) -> list[Part]:
    """One part per property, per array item and per file.

    `files`: the wire names of binary properties (a `str` given for one is still a file
    part). `part_types`: `encoding.<name>.contentType` per property. Objects (and objects in
    arrays) go as JSON; other values as text. `array_brackets` names array parts `name[]`.
    """
    types = part_types or {}
    binary = set(files)
    out: list[Part] = []
    for name, value in payload.items():
        if value is None:
            continue
        declared = types.get(name)
        items = value if isinstance(value, list) and not _is_json(declared) else [value]
        wire = f"{name}[]" if array_brackets and isinstance(value, list) else name
        for item in items:
            if (name in binary and isinstance(item, str)) or is_file(item):
                filename, content, file_type = file_part(item, name, declared)
                out.append((wire, filename, file_type, content))
            elif _is_json(declared) or isinstance(item, (Mapping, list)):
                data = json.dumps(item, ensure_ascii=False).encode("utf-8")
                out.append((wire, None, declared or "application/json", data))
            else:
                ctype = declared if declared and "*" not in declared else None
                out.append((wire, None, ctype, text(item).encode("utf-8")))
    return out


def multipart_body(parts: list[Part], boundary: str | None = None) -> tuple[bytes, str]:
    """(body, Content-Type header) of `multipart/form-data` holding `parts`."""
    boundary = boundary or secrets.token_hex(16)
    chunks: list[bytes] = []
    for name, filename, ctype, content in parts:
        disposition = f'form-data; name="{_quote(name)}"'
        if filename is not None:
            disposition += f'; filename="{_quote(filename)}"'
        head = f"--{boundary}\r\nContent-Disposition: {disposition}\r\n"
        if ctype:
            head += f"Content-Type: {ctype}\r\n"
        chunks += [head.encode("utf-8"), b"\r\n", content, b"\r\n"]
    chunks.append(f"--{boundary}--\r\n".encode("ascii"))
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"
