"""Media types: which request and response content an operation uses, and its `encoding`.

Part of the build stage: `build.py` asks which of a body's media types the client sends
(`pick_content`, JSON first), which response body it reads (`pick_response_content`), and
what the Encoding Object says per property (`encoding_of`, `part_types`).
"""

from __future__ import annotations

from typing import Any

from generator import pointer as jsonpointer
from generator.model import BodyKind, Operation, TypeRef
from generator.schema import SchemaWalker


def encoding_of(media: dict[str, Any], wire: str, key: str, kind: type[Any]) -> Any:
    """`encoding.<wire>.<key>` of a request body's media type when it has type `kind`."""
    encoding = media.get("encoding")
    entry = encoding.get(wire) if isinstance(encoding, dict) else None
    value = entry.get(key) if isinstance(entry, dict) else None
    return value if isinstance(value, kind) else None


def part_types(media: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """(property, content type) for each `encoding` entry that names a `contentType`."""
    encoding = media.get("encoding")
    if not isinstance(encoding, dict):
        return ()
    return tuple(
        (str(wire), entry["contentType"])
        for wire, entry in encoding.items()
        if isinstance(entry, dict) and isinstance(entry.get("contentType"), str)
    )


def is_json(content_type: str) -> bool:
    base = content_type.split(";", 1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json") or base == "*/*"


def pick_content(types: list[str]) -> tuple[str | None, BodyKind]:
    lowered = [(t, t.split(";", 1)[0].strip().lower()) for t in types]
    for original, base in lowered:
        if is_json(base):
            return original, "json"
    for original, base in lowered:
        if base == "application/x-www-form-urlencoded":
            return original, "form"
    for original, base in lowered:
        if base.startswith("multipart/"):
            return original, "multipart"
    for original, base in lowered:
        if base.startswith("text/"):
            return original, "text"
    if lowered:
        return lowered[0][0], "binary"
    return None, "json"


def pick_response_content(types: list[str]) -> str | None:
    for t in types:
        if is_json(t):
            return t
    return types[0] if types else None


def event_type(
    walker: SchemaWalker, content: dict[str, Any], ptr: str, context: str, status: str
) -> TypeRef | None:
    """The type of each event's data where a success response declares `text/event-stream`
    (any data when it gives no schema); None for any other response."""
    if not status.startswith("2"):
        return None
    for media_type, media in content.items():
        if str(media_type).split(";", 1)[0].strip().lower() == "text/event-stream":
            schema = media.get("schema") if isinstance(media, dict) else None
            where = jsonpointer.append(ptr, "content", str(media_type), "schema")
            return walker.type_of(schema if schema is not None else {}, where, context + "Event")
    return None


def accept_header(op: Operation) -> str:
    """The `Accept` of an operation: every media type its responses declare, the success
    responses' first (JSON first among them), then the others' (errors); JSON when none."""
    found: list[str] = []
    for success in (True, False):
        ranked: list[str] = []
        for response in op.responses:
            if response.status.startswith("2") == success:
                ranked += [m for m in response.media_types if m not in found + ranked]
        found += sorted(ranked, key=lambda m: not is_json(m) or m == "*/*")
    return ", ".join(found) or "application/json"
