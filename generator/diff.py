"""Diff: two API surfaces in, a list of changes (each breaking or not) out.

The surface is a compact, JSON-ready summary of what a generated client exposes, computed from
the IR (`surface(api)`). It lists each enum once (its values), each model once (its own fields,
its base) and each operation (keyed ``"METHOD /path"``: name, CLI words, parameters, request
body fields, the success response); a field, parameter or body entry has a type label,
`required`, the enum it takes its values from and the models its type refers to (``refs``:
``[suffix, model]`` pairs, the suffix saying where the model sits: ``[]`` list item, ``{}`` map
value). Nothing is expanded, so the surface grows linearly with the spec however deep models
nest. `oagen generate` stores it beside the output (`.oagen-surface.json`) to report what changed
since the last run; `oagen diff OLD NEW` compares two specs (or stored surfaces). A surface of
the first format (models expanded into every operation) is not read: `is_surface` rejects it.

Operations are matched by method and path, then by method and a normalised path (trailing slash
and parameter names ignored), then by Python name (the path changed). Models are matched through
the operations: the models at the same place of two matched operations (or of two matched model
fields) form a pair, by name, or the single model left on each side (a renamed schema is not a
change, changing its fields is). Each pair's fields are compared once: a changed nested field is
reported once, on its model, with every operation that reaches the model (transitively).
Breaking: a removed operation, parameter or field, a changed path or method, a new required
parameter or body field, an optional input becoming required, a response field becoming
optional, a type change, a removed enum value, an operation that starts or stops paginating (its
method returns a page object, or no longer does). Not breaking: anything added that is optional,
a required input becoming optional, an added enum value, another way of paging.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any, Literal

from generator.model import Api
from generator.surface import (
    SURFACE_FILE,
    SURFACE_FORMAT,
    Entry,
    is_surface,
    label,
    section_texts,
    surface,
    surface_text,
)

__all__ = [  # the surface's names, re-exported: `diff.surface`, `diff.SURFACE_FILE`, ...
    "SURFACE_FILE",
    "SURFACE_FORMAT",
    "is_surface",
    "label",
    "section_texts",
    "surface",
    "surface_text",
]

Role = Literal["input", "output"]
Pair = tuple[str, str]  # (old model name, new model name)


# -- the comparison --------------------------------------------------------------------------

Kind = Literal["added", "removed", "changed"]
Where = Literal["operation", "parameter", "body", "response", "model"]


@dataclass(frozen=True)
class Change:
    kind: Kind
    breaking: bool
    operation: str  # "METHOD /path" (the new one for changed operations); "" for a model
    name: str  # the operation's Python name, or the (new) model's name
    where: Where
    item: str  # parameter or field name ("" for the operation itself)
    message: str
    operations: tuple[str, ...] = ()  # for a model: every operation that reaches it

    def format(self) -> str:
        flag = "BREAKING" if self.breaking else "ok      "
        if self.where == "model":
            return f"{flag} model {self.name}: {self.message} (in {_ops_text(self.operations)})"
        return f"{flag} {self.operation} ({self.name}): {self.message}"


def _ops_text(keys: tuple[str, ...], shown: int = 3) -> str:
    text = ", ".join(keys[:shown])
    return f"{text} and {len(keys) - shown} more" if len(keys) > shown else text


def _norm_path(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path).rstrip("/") or "/"


def match_operations(
    old: dict[str, Any], new: dict[str, Any]
) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """(matched (old key, new key) pairs, removed old keys, added new keys)."""
    pairs = [(k, k) for k in old if k in new]
    left = [k for k in old if k not in new]
    right = [k for k in new if k not in old]
    for key_of in (lambda o: (o["method"], _norm_path(o["path"])), lambda o: o["name"]):
        index: dict[Any, list[str]] = {}
        for k in right:
            index.setdefault(key_of(new[k]), []).append(k)
        right_set = set(right)
        for k in list(left):
            candidates = index.get(key_of(old[k]), [])
            if len(candidates) == 1 and candidates[0] in right_set:
                pairs.append((k, candidates[0]))
                left.remove(k)
                right.remove(candidates[0])
                right_set.discard(candidates[0])
    return sorted(pairs), sorted(left), sorted(right)


def pair_refs(old: list[list[str]] | None, new: list[list[str]] | None) -> list[Pair]:
    """The model pairs two entries' `refs` form: same place and name, else the single model
    left on each side at that place (a renamed schema)."""
    if not old or not new:
        return []
    olds: dict[str, list[str]] = {}
    news: dict[str, list[str]] = {}
    for refs, places in ((old, olds), (new, news)):
        for suffix, name in refs:
            places.setdefault(suffix, []).append(name)
    out: list[Pair] = []
    for suffix, a in olds.items():
        b = news.get(suffix, [])
        common = set(a) & set(b)
        out.extend((n, n) for n in sorted(common))
        rest_a = [n for n in a if n not in common]
        rest_b = [n for n in b if n not in common]
        if len(rest_a) == 1 and len(rest_b) == 1:
            out.append((rest_a[0], rest_b[0]))
    return out


def diff_surfaces(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every change from `old` to `new` (two `surface()` results), sorted: operations first,
    then models."""
    old_ops, new_ops = old["operations"], new["operations"]
    pairs, removed, added = match_operations(old_ops, new_ops)
    changes = [
        Change("removed", True, k, old_ops[k]["name"], "operation", "", "operation removed")
        for k in removed
    ] + [
        Change("added", False, k, new_ops[k]["name"], "operation", "", "operation added")
        for k in added
    ]
    comparison = _Comparison(old, new)
    for old_key, new_key in pairs:
        changes.extend(comparison.operation(old_ops[old_key], new_key, new_ops[new_key]))
    changes.extend(comparison.models())
    return sorted(changes, key=_order)


def _order(c: Change) -> tuple[bool, str, bool, str, str]:
    model = c.where == "model"
    return (model, c.name if model else c.operation, c.where != "operation", c.where, c.item)


_NOUNS = {frozenset({"input"}): "body field", frozenset({"output"}): "response field"}


class _Comparison:
    """Two surfaces compared: operation by operation, then each model pair reached once."""

    def __init__(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        self.tables = (old.get("models", {}), new.get("models", {}))
        self.enums = (old.get("enums", {}), new.get("enums", {}))
        self.roots: dict[Pair, set[tuple[str, Role]]] = {}  # pair -> (operation, role)
        self.parents: dict[Pair, set[Pair]] = {}
        self._merged: tuple[dict[str, dict[str, Entry]], ...] = ({}, {})
        self._enum_diffs: dict[tuple[str, str], tuple[list[Any], list[Any]]] = {}

    def operation(self, a: dict[str, Any], new_key: str, b: dict[str, Any]) -> list[Change]:
        """The changes of one matched operation (its own entries); records its model pairs."""
        out: list[Change] = []
        name = b["name"]

        def add(kind: Kind, breaking: bool, where: Where, item: str, message: str) -> None:
            out.append(Change(kind, breaking, new_key, name, where, item, message))

        for kind, breaking, where, message in _operation_header(a, b):
            add(kind, breaking, where, "", message)
        sections: tuple[tuple[Where, str, str, Role], ...] = (
            ("parameter", "params", "parameter", "input"),
            ("body", "body", "body field", "input"),
            ("response", "response", "response field", "output"),
        )
        for where, what, noun, role in sections:
            for kind, breaking, item, message in self.entries(a[what], b[what], noun, {role}):
                add(kind, breaking, where, item, message)
            for key, x in a[what].items():
                y = b[what].get(key)
                for pair in pair_refs(x.get("refs"), y.get("refs") if y else None):
                    self.roots.setdefault(pair, set()).add((new_key, role))
        return out

    def models(self) -> list[Change]:
        """Each model pair the operations reach, compared once."""
        roles: dict[Pair, set[Role]] = {}
        stack = [(pair, role) for pair, seen in self.roots.items() for _, role in seen]
        while stack:
            pair, role = stack.pop()
            known = roles.setdefault(pair, set())
            if role in known:
                continue
            known.add(role)
            for child in self._children(pair):
                self.parents.setdefault(child, set()).add(pair)
                stack.append((child, role))
        out: list[Change] = []
        for pair in sorted(roles):
            fields = self._fields(0, pair[0]), self._fields(1, pair[1])
            found = list(
                self.entries(*fields, _NOUNS.get(frozenset(roles[pair]), "field"), roles[pair])
            )
            if not found:
                continue
            operations = self._reaching(pair)
            for kind, breaking, item, message in found:
                out.append(Change(kind, breaking, "", pair[1], "model", item, message, operations))
        return out

    def _children(self, pair: Pair) -> Iterator[Pair]:
        old, new = self._fields(0, pair[0]), self._fields(1, pair[1])
        for key, x in old.items():
            y = new.get(key)
            if y is not None:
                yield from pair_refs(x.get("refs"), y.get("refs"))

    def _reaching(self, pair: Pair) -> tuple[str, ...]:
        """Every operation from which `pair` is reached (through any chain of model fields)."""
        seen = {pair}
        stack = [pair]
        operations: set[str] = set()
        while stack:
            current = stack.pop()
            operations.update(key for key, _ in self.roots.get(current, ()))
            for parent in self.parents.get(current, ()):
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        return tuple(sorted(operations))

    def _fields(self, side: int, name: str) -> dict[str, Entry]:
        """A model's fields, its bases' included (the base's first, overridden by its own)."""
        cache = self._merged[side]
        known = cache.get(name)
        if known is not None:
            return known
        models = self.tables[side]
        chain: list[str] = []
        current: str | None = name
        while current is not None and current in models and current not in chain:
            chain.append(current)
            current = models[current].get("base")
        merged: dict[str, Entry] = {}
        for n in reversed(chain):
            merged.update(models[n]["fields"])
        cache[name] = merged
        return merged

    def _enum_diff(self, old: str, new: str) -> tuple[list[Any], list[Any]]:
        """(values removed, values added) from enum `old` to enum `new`."""
        known = self._enum_diffs.get((old, new))
        if known is None:
            x, y = self.enums[0].get(old, []), self.enums[1].get(new, [])
            xs, ys = set(map(_key, x)), set(map(_key, y))
            known = [v for v in x if _key(v) not in ys], [v for v in y if _key(v) not in xs]
            self._enum_diffs[(old, new)] = known
        return known

    def entries(
        self, old: dict[str, Entry], new: dict[str, Entry], noun: str, roles: set[Role]
    ) -> Iterator[tuple[Kind, bool, str, str]]:
        """(kind, breaking, key, message) per change from `old` to `new` entries; `roles`:
        whether they are sent (input), received (output) or both."""
        sent, received = "input" in roles, "output" in roles
        for key in old:
            if key not in new:
                yield "removed", True, key, f"{noun} {key!r} removed"
        for key, entry in new.items():
            if key not in old:
                required = bool(entry.get("required")) and sent
                detail = " (required)" if required else ""
                yield "added", required, key, f"{noun} {key!r} added{detail}"
        for key, x in old.items():
            y = new.get(key)
            if y is None:
                continue
            if x["type"] != y["type"]:
                yield "changed", True, key, f"{noun} {key!r}: type {x['type']} -> {y['type']}"
            if x.get("in") != y.get("in"):
                text = f"{noun} {key!r}: moved from {x.get('in')} to {y.get('in')}"
                yield "changed", True, key, text
            if x["required"] != y["required"]:
                breaking = (received and x["required"]) or (sent and y["required"])
                state = "required" if y["required"] else "optional"
                yield "changed", breaking, key, f"{noun} {key!r}: now {state}"
            if "enum" in x and "enum" in y:
                gone, added = self._enum_diff(x["enum"], y["enum"])
                if gone:
                    text = f"{noun} {key!r}: enum values removed: {_values(gone)}"
                    yield "changed", True, key, text
                if added:
                    text = f"{noun} {key!r}: enum values added: {_values(added)}"
                    yield "changed", False, key, text


def _key(value: Any) -> tuple[str, Any]:
    return type(value).__name__, value


def _operation_header(
    a: dict[str, Any], b: dict[str, Any]
) -> Iterator[tuple[Kind, bool, Where, str]]:
    """Changes of an operation's method, path, names, request body and response kind."""
    if a["method"] != b["method"]:
        yield "changed", True, "operation", f"method changed from {a['method']}"
    if a["path"] != b["path"]:
        yield "changed", True, "operation", f"path changed from {a['path']}"
    if a["name"] != b["name"]:
        yield "changed", True, "operation", f"Python method renamed from {a['name']}"
    if a["cli"] != b["cli"]:
        yield "changed", True, "operation", f"CLI command changed from {a['cli']!r}"
    if a["body_required"] is None and b["body_required"]:
        yield "added", True, "body", "a required request body was added"
    elif a["body_required"] is not None and b["body_required"] is None:
        yield "removed", True, "body", "the request body was removed"
    elif a["body_required"] is False and b["body_required"] is True:
        yield "changed", True, "body", "the request body became required"
    if a["content_type"] and b["content_type"] and a["content_type"] != b["content_type"]:
        text = f"request content type changed from {a['content_type']} to {b['content_type']}"
        yield "changed", True, "body", text
    if a["response_kind"] != b["response_kind"]:
        text = f"response changed from {a['response_kind']} to {b['response_kind']}"
        yield "changed", True, "response", text
    yield from _pagination(a, b)


def _pagination(a: dict[str, Any], b: dict[str, Any]) -> Iterator[tuple[Kind, bool, Where, str]]:
    """An operation that starts or stops paginating changes its method's return type (a page
    object, or the response model); another way of paging keeps it. Surfaces written before
    pagination was recorded have no entry: nothing is reported against them."""
    if "pagination" not in a or "pagination" not in b or a["pagination"] == b["pagination"]:
        return
    old, new = a["pagination"], b["pagination"]
    if old is None:
        text = f"now paginated ({new}): the method returns a page, not the response"
        yield "changed", True, "response", text
    elif new is None:
        yield "changed", True, "response", f"no longer paginated (was {old}): returns the response"
    else:
        yield "changed", False, "response", f"pagination changed from {old} to {new}"


def _values(values: list[Any]) -> str:
    return ", ".join(json.dumps(v) for v in values)


def diff_apis(old: Api, new: Api) -> list[Change]:
    return diff_surfaces(surface(old), surface(new))


# -- reports ---------------------------------------------------------------------------------


def summary(changes: list[Change]) -> str:
    breaking = sum(1 for c in changes if c.breaking)
    return f"{len(changes)} API change(s), {breaking} breaking" if changes else "no API change"


def report_text(changes: list[Change]) -> str:
    return "".join(f"{c.format()}\n" for c in changes) + summary(changes) + "\n"


def report_json(changes: list[Change]) -> str:
    breaking = sum(1 for c in changes if c.breaking)
    data = {"breaking": breaking, "total": len(changes), "changes": [asdict(c) for c in changes]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
