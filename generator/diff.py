"""Diff: two API surfaces in, a list of changes (each breaking or not) out.

The surface is a compact, JSON-ready summary of what a generated client exposes, computed from
the IR (`surface(api)`): per operation (keyed ``"METHOD /path"``) its name, CLI words, parameters,
request body fields and success-response fields, with a type label, `required` and enum values.
Model fields are expanded structurally (``instances[].gpu_name``), so renaming a schema is not a
change but changing its fields is. `oagen generate` stores the surface beside the output
(`.oagen-surface.json`) to report what changed since the last run; `oagen diff OLD NEW` compares
two specs (or stored surfaces).

Operations are matched by method and path, then by method and a normalised path (trailing slash
and parameter names ignored), then by Python name (the path changed). Breaking: a removed
operation, parameter or field, a changed path or method, a new required parameter or body field,
an optional input becoming required, a response field becoming optional, a type change, a
removed enum value. Not breaking: anything added that is optional, a required input becoming
optional, an added enum value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any, Literal

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
    Primitive,
    TypeRef,
    UnionOf,
)

SURFACE_FILE = ".oagen-surface.json"
SURFACE_FORMAT = 1
_MAX_DEPTH = 4  # nested model levels expanded per operation

Entry = dict[str, Any]  # {"type": str, "required": bool, "enum"?: [values], "in"?: location}


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


class _Walker:
    def __init__(self, api: Api) -> None:
        self.models = {m.name: m for m in api.models}
        self.enums = {e.name: e for e in api.enums}
        self._fields: dict[str, list[Any]] = {}

    def fields(self, model: Model) -> list[Any]:
        known = self._fields.get(model.name)
        if known is not None:
            return known
        chain: list[Model] = []
        current: Model | None = model
        while current is not None and all(current.name != m.name for m in chain):
            chain.append(current)
            current = self.models.get(current.base) if current.base else None
        merged: dict[str, Any] = {}
        for m in reversed(chain):
            for f in m.fields:
                merged[f.wire] = f
        self._fields[model.name] = list(merged.values())
        return self._fields[model.name]

    def enum_values(self, t: TypeRef) -> list[str | int] | None:
        match t:
            case EnumRef(name=name) if name in self.enums:
                return sorted((m.value for m in self.enums[name].members), key=repr)
            case ListOf(item=inner) | Nullable(inner=inner):
                return self.enum_values(inner)
        return None

    def entry(self, t: TypeRef, required: bool) -> Entry:
        out: Entry = {"type": label(t), "required": required}
        values = self.enum_values(t)
        if values is not None:
            out["enum"] = values
        return out

    def expand(
        self, t: TypeRef, path: str, required: bool, chain: tuple[str, ...]
    ) -> Iterator[tuple[str, Entry]]:
        if path:
            yield path, self.entry(t, required)
        for suffix, model in self._models_in(t):
            if model.name in chain or len(chain) >= _MAX_DEPTH:
                continue
            for f in self.fields(model):
                prefix = f"{path}{suffix}." if path or suffix else ""
                yield from self.expand(f.type, prefix + f.wire, f.required, (*chain, model.name))

    def _models_in(self, t: TypeRef, suffix: str = "") -> Iterator[tuple[str, Model]]:
        match t:
            case ModelRef(name=name) if name in self.models:
                yield suffix, self.models[name]
            case ListOf(item=inner):
                yield from self._models_in(inner, suffix + "[]")
            case MapOf(value=inner):
                yield from self._models_in(inner, suffix + "{}")
            case Nullable(inner=inner):
                yield from self._models_in(inner, suffix)
            case UnionOf(items=items):
                for item in items:
                    yield from self._models_in(item, suffix)


def surface(api: Api) -> dict[str, Any]:
    """The API surface of `api` as JSON-ready data (see the module docstring)."""
    walker = _Walker(api)
    operations: dict[str, Any] = {}
    for op in api.operations:
        params: dict[str, Entry] = {}
        body: dict[str, Entry] = {}
        for p in op.params:
            if p.location == "body":
                body.update(walker.expand(p.type, p.wire, p.required, ()))
            else:
                params[p.wire if p.wire not in params else f"{p.location}:{p.wire}"] = {
                    **walker.entry(p.type, p.required),
                    "in": p.location,
                }
        if op.body is not None and op.body.type is not None:
            body.update(walker.expand(op.body.type, "", op.body.required, ()))
            if not body:
                body["(body)"] = walker.entry(op.body.type, op.body.required)
        success = op.success
        response: dict[str, Entry] = {}
        if success is not None and success.type is not None:
            response = dict(walker.expand(success.type, "", True, ()))
        operations[f"{op.method} {op.path}"] = {
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
        }
    return {
        "oagen_surface": SURFACE_FORMAT,
        "title": api.title,
        "version": api.version,
        "operations": operations,
    }


def surface_text(api_or_surface: Api | dict[str, Any]) -> str:
    """The surface as JSON with one line per operation (short diffs, and json's C encoder)."""
    data = api_or_surface if isinstance(api_or_surface, dict) else surface(api_or_surface)

    def one(value: Any) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)

    lines = [f" {one(k)}: {one(v)}," for k, v in sorted(data.items()) if k != "operations"]
    operations = data.get("operations", {})
    rows = [f"  {one(k)}: {one(operations[k])}" for k in sorted(operations)]
    block = "{\n" + ",\n".join(rows) + "\n }" if rows else "{}"
    return "{\n" + "\n".join(lines) + '\n "operations": ' + block + "\n}\n"


def is_surface(data: Any) -> bool:
    return isinstance(data, dict) and data.get("oagen_surface") == SURFACE_FORMAT


# -- the comparison --------------------------------------------------------------------------

Kind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class Change:
    kind: Kind
    breaking: bool
    operation: str  # "METHOD /path" (the new one for changed operations, else the one there is)
    name: str  # the operation's Python name
    where: Literal["operation", "parameter", "body", "response"]
    item: str  # parameter or field path ("" for the operation itself)
    message: str

    def format(self) -> str:
        flag = "BREAKING" if self.breaking else "ok      "
        return f"{flag} {self.operation} ({self.name}): {self.message}"


def _norm_path(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path).rstrip("/") or "/"


def match_operations(
    old: dict[str, Any], new: dict[str, Any]
) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """(matched (old key, new key) pairs, removed old keys, added new keys)."""
    pairs = [(k, k) for k in old if k in new]
    left = [k for k in old if k not in new]
    right = [k for k in new if k not in old]
    for key_of in (
        lambda o: (o["method"], _norm_path(o["path"])),
        lambda o: o["name"],
    ):
        index: dict[Any, list[str]] = {}
        for k in right:
            index.setdefault(key_of(new[k]), []).append(k)
        for k in list(left):
            candidates = index.get(key_of(old[k]), [])
            if len(candidates) == 1 and candidates[0] in right:
                pairs.append((k, candidates[0]))
                left.remove(k)
                right.remove(candidates[0])
    return sorted(pairs), sorted(left), sorted(right)


def diff_surfaces(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every change from `old` to `new` (two `surface()` results), sorted."""
    old_ops, new_ops = old["operations"], new["operations"]
    pairs, removed, added = match_operations(old_ops, new_ops)
    changes: list[Change] = []
    for k in removed:
        changes.append(
            Change("removed", True, k, old_ops[k]["name"], "operation", "", "operation removed")
        )
    for k in added:
        changes.append(
            Change("added", False, k, new_ops[k]["name"], "operation", "", "operation added")
        )
    for old_key, new_key in pairs:
        changes.extend(_diff_operation(old_key, old_ops[old_key], new_key, new_ops[new_key]))
    return sorted(changes, key=lambda c: (c.operation, c.where != "operation", c.where, c.item))


def _diff_operation(
    old_key: str, a: dict[str, Any], new_key: str, b: dict[str, Any]
) -> list[Change]:
    out: list[Change] = []
    name = b["name"]

    def add(kind: Kind, breaking: bool, where: Any, item: str, message: str) -> None:
        out.append(Change(kind, breaking, new_key, name, where, item, message))

    if a["method"] != b["method"]:
        add("changed", True, "operation", "", f"method changed from {a['method']}")
    if a["path"] != b["path"]:
        add("changed", True, "operation", "", f"path changed from {a['path']}")
    if a["name"] != b["name"]:
        add("changed", True, "operation", "", f"Python method renamed from {a['name']}")
    if a["cli"] != b["cli"]:
        add("changed", True, "operation", "", f"CLI command changed from {a['cli']!r}")
    if a["body_required"] is None and b["body_required"]:
        add("added", True, "body", "", "a required request body was added")
    elif a["body_required"] is not None and b["body_required"] is None:
        add("removed", True, "body", "", "the request body was removed")
    elif a["body_required"] is False and b["body_required"] is True:
        add("changed", True, "body", "", "the request body became required")
    if a["content_type"] and b["content_type"] and a["content_type"] != b["content_type"]:
        add(
            "changed",
            True,
            "body",
            "",
            f"request content type changed from {a['content_type']} to {b['content_type']}",
        )
    if a["response_kind"] != b["response_kind"]:
        add(
            "changed",
            True,
            "response",
            "",
            f"response changed from {a['response_kind']} to {b['response_kind']}",
        )
    for where, what, noun in (
        ("parameter", "params", "parameter"),
        ("body", "body", "body field"),
        ("response", "response", "response field"),
    ):
        for kind, breaking, item, message in _diff_entries(a[what], b[what], noun):
            add(kind, breaking, where, item, message)
    return out


def _diff_entries(
    old: dict[str, Entry], new: dict[str, Entry], noun: str
) -> Iterator[tuple[Kind, bool, str, str]]:
    response = noun == "response field"
    removed = [k for k in old if k not in new]
    added = [k for k in new if k not in old]

    def nested(key: str, keys: list[str]) -> bool:
        return any(key.startswith(parent + ".") or key.startswith(parent + "[") for parent in keys)

    for key in removed:
        if not nested(key, removed):
            yield "removed", True, key, f"{noun} {key!r} removed"
    for key in added:
        if nested(key, added):
            continue
        required = bool(new[key].get("required"))
        breaking = required and not response
        detail = " (required)" if required and not response else ""
        yield "added", breaking, key, f"{noun} {key!r} added{detail}"
    for key in old:
        if key not in new:
            continue
        x, y = old[key], new[key]
        if x["type"] != y["type"]:
            yield "changed", True, key, f"{noun} {key!r}: type {x['type']} -> {y['type']}"
        if x.get("in") != y.get("in"):
            yield "changed", True, key, f"{noun} {key!r}: moved from {x.get('in')} to {y.get('in')}"
        if x["required"] != y["required"]:
            if response:
                breaking = x["required"] and not y["required"]
            else:
                breaking = y["required"] and not x["required"]
            state = "required" if y["required"] else "optional"
            yield "changed", breaking, key, f"{noun} {key!r}: now {state}"
        if "enum" in x and "enum" in y:
            gone = [v for v in x["enum"] if v not in y["enum"]]
            new_values = [v for v in y["enum"] if v not in x["enum"]]
            if gone:
                yield "changed", True, key, f"{noun} {key!r}: enum values removed: {_values(gone)}"
            if new_values:
                text = f"{noun} {key!r}: enum values added: {_values(new_values)}"
                yield "changed", False, key, text


def _values(values: list[Any]) -> str:
    return ", ".join(json.dumps(v) for v in values)


def diff_apis(old: Api, new: Api) -> list[Change]:
    return diff_surfaces(surface(old), surface(new))


# -- reports ---------------------------------------------------------------------------------


def summary(changes: list[Change]) -> str:
    breaking = sum(1 for c in changes if c.breaking)
    if not changes:
        return "no API change"
    return f"{len(changes)} API change(s), {breaking} breaking"


def report_text(changes: list[Change]) -> str:
    lines = [c.format() for c in changes]
    lines.append(summary(changes))
    return "\n".join(lines) + "\n"


def report_json(changes: list[Change]) -> str:
    data = {
        "breaking": sum(1 for c in changes if c.breaking),
        "total": len(changes),
        "changes": [asdict(c) for c in changes],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
