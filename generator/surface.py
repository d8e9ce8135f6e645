"""The API surface: a compact, JSON-ready summary of what a generated client exposes, made
from the IR (`surface(api)`), and its stored text (`surface_text`: one line per enum, model and
operation). What it holds and how two are compared: `diff`'s docstring (`diff` re-exports these
names).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping
from typing import Any

from generator.model import (
    AnyType,
    Api,
    Const,
    EnumRef,
    ListOf,
    MapOf,
    Model,
    ModelRef,
    Nullable,
    Operation,
    Primitive,
    TypeRef,
    UnionOf,
)

SURFACE_FILE = ".oagen-surface.json"
SURFACE_FORMAT = 2  # 1: models expanded into every operation (exponential in nesting depth)

# {"type": label, "required": bool, "enum"?: enum name, "refs"?: [[suffix, model]], "in"?: location}
Entry = dict[str, Any]


# -- the surface -----------------------------------------------------------------------------


def label(t: TypeRef) -> str:
    """A structural type label: models are `object` (their fields are listed separately)."""
    match t:
        case Primitive(kind=kind):
            return kind
        case ListOf(item=item):
            return f"list[{label(item)}]"
        case MapOf(value=value):
            return f"map[{label(value)}]"
        case ModelRef():
            return "object"
        case EnumRef():
            return "enum"
        case UnionOf(items=items):
            return " | ".join(sorted({label(i) for i in items}))
        case Const(value=value):
            return f"const {json.dumps(value)}"
        case Nullable(inner=inner):
            return f"{label(inner)} | null"
        case AnyType():
            return "any"
    raise TypeError(t)  # pragma: no cover


def _refs(t: TypeRef, suffix: str = "") -> Iterator[tuple[str, str]]:
    """(suffix, model name) for each model `t` refers to; the suffix says where it sits."""
    match t:
        case ModelRef(name=name):
            yield suffix, name
        case ListOf(item=inner):
            yield from _refs(inner, suffix + "[]")
        case MapOf(value=inner):
            yield from _refs(inner, suffix + "{}")
        case Nullable(inner=inner):
            yield from _refs(inner, suffix)
        case UnionOf(items=items):
            for item in items:
                yield from _refs(item, suffix)


def _enum_name(t: TypeRef) -> str | None:
    match t:
        case EnumRef(name=name):
            return name
        case ListOf(item=inner) | Nullable(inner=inner):
            return _enum_name(inner)
        case _:
            return None


def _entry(t: TypeRef, required: bool, refs: bool = True) -> Entry:
    out: Entry = {"type": label(t), "required": required}
    enum = _enum_name(t)
    if enum is not None:
        out["enum"] = enum
    found = sorted(set(_refs(t))) if refs else []
    if found:
        out["refs"] = [list(r) for r in found]
    return out


def _model_surface(model: Model) -> dict[str, Any]:
    out: dict[str, Any] = {"fields": {f.wire: _entry(f.type, f.required) for f in model.fields}}
    if model.base:
        out["base"] = model.base
    return out


def _operation_surface(op: Operation) -> dict[str, Any]:
    params: dict[str, Entry] = {}
    body: dict[str, Entry] = {}
    for p in op.params:
        if p.location == "body":
            body[p.wire] = _entry(p.type, p.required)
        else:
            key = p.wire if p.wire not in params else f"{p.location}:{p.wire}"
            params[key] = {**_entry(p.type, p.required, refs=False), "in": p.location}
    if op.body is not None and op.body.type is not None:
        body["(body)"] = _entry(op.body.type, op.body.required)
    success = op.success
    response: dict[str, Entry] = {}
    if success is not None and success.type is not None:
        response["(response)"] = _entry(success.type, True)
    return {
        "name": op.name,
        "cli": " ".join(op.cli_words),
        "method": op.method,
        "path": op.path,
        "params": params,
        "body": body,
        "body_required": op.body.required if op.body is not None else None,
        "content_type": op.body.content_type if op.body is not None else None,
        "response": response,
        "response_kind": success.kind if success is not None else "empty",
        # how the method's pages follow one another (its return type is a page), or None
        "pagination": op.pagination.kind if op.pagination is not None else None,
    }


def surface(api: Api, skip: Collection[str] = ()) -> dict[str, Any]:
    """The API surface of `api` as JSON-ready data (see `diff`'s docstring); the sections in
    `skip` ("enums", "models", "operations") left out."""
    out: dict[str, Any] = {"oagen_surface": SURFACE_FORMAT}
    out.update(title=api.title, version=api.version)
    if "enums" not in skip:
        out["enums"] = {e.name: sorted((m.value for m in e.members), key=repr) for e in api.enums}
    if "models" not in skip:
        out["models"] = {m.name: _model_surface(m) for m in api.models}
    if "operations" not in skip:
        out["operations"] = {
            f"{op.method} {op.path}": _operation_surface(op) for op in api.operations
        }
    return out


_SECTIONS = ("enums", "models", "operations")  # one line per item in the stored text


def _one(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _texts(data: dict[str, Any], sections: Collection[str]) -> dict[str, str]:
    out = {}
    for section in sections:
        items = data.get(section, {})
        rows = [f"  {_one(k)}: {_one(items[k])}" for k in sorted(items)]
        out[section] = f" {_one(section)}: " + ("{\n" + ",\n".join(rows) + "\n }" if rows else "{}")
    return out


def section_texts(api: Api, sections: Collection[str]) -> dict[str, str]:
    """The text of each of `sections` in `surface_text(api)` (kept, then given back as
    `known` while they are unchanged)."""
    return _texts(surface(api, skip=[s for s in _SECTIONS if s not in sections]), sections)


def surface_text(
    api_or_surface: Api | dict[str, Any], known: Mapping[str, str] | None = None
) -> str:
    """The surface as JSON with one line per enum, model and operation (short diffs, and
    json's C encoder). `known`: the text of some sections, as `section_texts` made it."""
    known = known or {}
    data = api_or_surface
    if not isinstance(data, dict):
        data = surface(data, skip=tuple(known))
    lines = [f" {_one(k)}: {_one(v)}" for k, v in sorted(data.items()) if k not in _SECTIONS]
    made = {**_texts(data, [s for s in _SECTIONS if s not in known]), **known}
    return "{\n" + ",\n".join(lines + [made[s] for s in _SECTIONS]) + "\n}\n"


def is_surface(data: Any) -> bool:
    """A surface of this format (an older stored one is not: the caller treats it as absent)."""
    return isinstance(data, dict) and data.get("oagen_surface") == SURFACE_FORMAT
