"""Example values for the docs: a value for each parameter that the client's own validation
accepts, as JSON (the CLI and curl lines) and as Python code (the Python examples).

A parameter's value is its example, else its default, when that fits its type (a model's
required fields present, an enum's member, text in the format, the constraints met); else a
minimal value built from the schema: a model with its required fields, an enum's first member,
a list of one item, a number inside its bounds, text of the right length and format.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import decimal
import importlib
import re
import uuid
from collections.abc import Mapping
from typing import Any

from generator.model import (
    MISSING,
    Api,
    Const,
    Constraints,
    Enum,
    EnumRef,
    Field,
    ListOf,
    MapOf,
    Model,
    ModelRef,
    Nullable,
    Parameter,
    Primitive,
    TypeRef,
    UnionOf,
)
from generator.render.text import pyrepr
from generator.render.types import Imports

_NATIVE_TEXT = {
    "datetime": "2024-01-02T03:04:05Z",
    "date": "2024-01-02",
    "time": "03:04:05",
    "uuid": "123e4567-e89b-12d3-a456-426614174000",
}
_TEXT_CANDIDATES = (
    "string",
    "abc",
    "a",
    "1",
    "A",
    "abc123",
    "example",
    "en",
    "US",
    "usd",
    "2024-01-02",
    "user@example.com",
    "https://example.com",
    "+15555550100",
    "123e4567-e89b-12d3-a456-426614174000",
)
_MAX_DEPTH = 8
# the regular expression parser of `re` (no type stubs: a private module, stable since 3.11)
_re_parser: Any = importlib.import_module("re._parser")
_NONE = Constraints()


class ExampleValues:
    """Example values for the parameters of one API's operations."""

    def __init__(self, api: Api) -> None:
        self.models: Mapping[str, Model] = {m.name: m for m in api.models}
        self.enums: Mapping[str, Enum] = {e.name: e for e in api.enums}

    # -- JSON values ---------------------------------------------------------------------------
    def wire(self, p: Parameter) -> Any:
        """The parameter's value as JSON: its example or default when it fits, else built."""
        for candidate in (p.example, p.default):
            if candidate is not MISSING and self.fits(candidate, p.type, p.constraints):
                return candidate
        return self.build(p.type, p.constraints)

    def fields(self, name: str) -> dict[str, Field]:
        """wire name -> field of a model and its bases."""
        chain: list[Model] = []
        model = self.models.get(name)
        while model is not None and model not in chain:
            chain.append(model)
            model = self.models.get(model.base) if model.base else None
        out: dict[str, Field] = {}
        for m in reversed(chain):
            out.update({f.wire: f for f in m.fields})
        return out

    def fits(self, value: Any, t: TypeRef, c: Constraints = _NONE, depth: int = 0) -> bool:
        """Would the client accept `value` (JSON) for type `t` with constraints `c`?"""
        if depth > _MAX_DEPTH:
            return True
        match t:
            case Nullable(inner=inner):
                return value is None or self.fits(value, inner, c, depth + 1)
            case Primitive(kind=kind, format=fmt):
                return _primitive_fits(value, kind, fmt) and _constraints_met(value, c)
            case ListOf(item=item):
                return (
                    isinstance(value, list)
                    and all(self.fits(v, item, Constraints(), depth + 1) for v in value)
                    and _constraints_met(value, c)
                )
            case MapOf(value=inner):
                return isinstance(value, dict) and all(
                    self.fits(v, inner, Constraints(), depth + 1) for v in value.values()
                )
            case ModelRef(name=name):
                if not isinstance(value, dict):
                    return False
                fields = self.fields(name)
                return all(
                    (f.wire in value or not f.required)
                    and (
                        f.wire not in value
                        or self.fits(value[f.wire], f.type, f.constraints, depth + 1)
                    )
                    for f in fields.values()
                )
            case EnumRef(name=name):
                return name in self.enums and any(
                    value == m.value and type(value) is type(m.value)
                    for m in self.enums[name].members
                )
            case UnionOf(items=items):
                return any(self.fits(value, item, c, depth + 1) for item in items)
            case Const(value=const):
                return bool(value == const)
        return True  # AnyType

    def build(self, t: TypeRef, c: Constraints = _NONE, stack: tuple[str, ...] = ()) -> Any:
        """A minimal JSON value of type `t` that meets `c`."""
        match t:
            case Nullable(inner=inner):
                if isinstance(inner, ModelRef) and inner.name in stack or len(stack) > _MAX_DEPTH:
                    return None
                return self.build(inner, c, stack)
            case Primitive(kind=kind, format=fmt):
                return _primitive(kind, fmt, c)
            case ListOf(item=item):
                if c.max_items == 0 or len(stack) > _MAX_DEPTH:
                    return []
                return [self.build(item, Constraints(), stack)] * max(1, c.min_items or 0)
            case MapOf():
                return {}
            case ModelRef(name=name):
                if name in stack or len(stack) > _MAX_DEPTH:
                    return {}
                return {
                    f.wire: self.build(f.type, f.constraints, (*stack, name))
                    for f in self.fields(name).values()
                    if f.required
                }
            case EnumRef(name=name):
                members = self.enums[name].members if name in self.enums else ()
                return members[0].value if members else "string"
            case UnionOf(items=items, discriminator=disc, mapping=mapping):
                item = items[0]
                value = self.build(item, c, stack)
                if disc and isinstance(item, ModelRef) and isinstance(value, dict):
                    tags = [tag for tag, model in mapping if model == item.name]
                    value[disc] = tags[0] if tags else value.get(disc, item.name)
                return value
            case Const(value=const):
                return const
        return {}  # AnyType

    # -- Python code ---------------------------------------------------------------------------
    def code(self, value: Any, t: TypeRef, imports: Imports, depth: int = 0) -> str:
        """`value` (JSON, as `fits` accepts it) as a Python expression of the annotated type;
        `imports` records `datetime`, `decimal`, `uuid` and `models` (as `.`, "models")."""
        if depth > _MAX_DEPTH * 4:
            return pyrepr(value)
        match t:
            case Nullable(inner=inner):
                return "None" if value is None else self.code(value, inner, imports, depth + 1)
            case Primitive(kind=kind, format=fmt):
                return _primitive_code(value, kind, fmt, imports)
            case ListOf(item=item) if isinstance(value, list):
                return "[" + ", ".join(self.code(v, item, imports, depth + 1) for v in value) + "]"
            case MapOf(value=inner) if isinstance(value, dict):
                items = (
                    f"{pyrepr(k)}: {self.code(v, inner, imports, depth + 1)}"
                    for k, v in value.items()
                )
                return "{" + ", ".join(items) + "}"
            case ModelRef(name=name) if isinstance(value, dict):
                imports.add(".", "models")
                fields = self.fields(name)
                args = [
                    f"{fields[k].name}={self.code(v, fields[k].type, imports, depth + 1)}"
                    for k, v in value.items()
                    if k in fields and not (fields[k].fixed and v == fields[k].default)
                ]
                extra = {k: v for k, v in value.items() if k not in fields}
                if extra:
                    args.append(f"additional_properties={pyrepr(extra)}")
                return f"models.{name}({', '.join(args)})"
            case EnumRef(name=name) if name in self.enums:
                for member in self.enums[name].members:
                    if member.value == value and type(member.value) is type(value):
                        imports.add(".", "models")
                        return f"models.{name}.{member.name}"
            case UnionOf(items=items):
                for item in items:
                    if self.fits(value, item):
                        return self.code(value, item, imports, depth + 1)
        return pyrepr(value)


def _primitive_fits(value: Any, kind: str, fmt: str | None) -> bool:
    if kind == "bool":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if kind == "int":
        return isinstance(value, int)
    if kind == "float":
        return isinstance(value, (int, float))
    if kind == "decimal":
        return isinstance(value, (int, float, str)) and _decimal(value) is not None
    if not isinstance(value, str):
        return False
    if kind in _NATIVE_TEXT:
        return _native(value, kind) is not None
    if kind == "bytes" and fmt == "byte":
        return _base64(value) is not None
    return True


def _constraints_met(value: Any, c: Constraints) -> bool:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return not (
            (c.minimum is not None and value < c.minimum)
            or (c.maximum is not None and value > c.maximum)
            or (c.exclusive_minimum is not None and value <= c.exclusive_minimum)
            or (c.exclusive_maximum is not None and value >= c.exclusive_maximum)
        )
    if isinstance(value, str):
        return (
            (c.min_length is None or len(value) >= c.min_length)
            and (c.max_length is None or len(value) <= c.max_length)
            and _matches(c.pattern, value)
        )
    if isinstance(value, list):
        return (c.min_items is None or len(value) >= c.min_items) and (
            c.max_items is None or len(value) <= c.max_items
        )
    return True


def _matches(pattern: str | None, text: str) -> bool:
    if pattern is None:
        return True
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return True  # the client does not check a pattern Python cannot read


def _number(c: Constraints, value: float, step: float) -> float:
    low = c.minimum if c.minimum is not None else None
    if c.exclusive_minimum is not None:
        low = c.exclusive_minimum + step if low is None else max(low, c.exclusive_minimum + step)
    high = c.maximum
    if c.exclusive_maximum is not None:
        high = c.exclusive_maximum - step if high is None else min(high, c.exclusive_maximum - step)
    if low is not None and value < low:
        value = low
    if high is not None and value > high:
        value = high
    return value


def _primitive(kind: str, fmt: str | None, c: Constraints) -> Any:
    if kind == "bool":
        return True
    if kind == "int":
        return int(_number(c, 1, 1))
    if kind == "float":
        return _number(c, 1.5, 0.5)
    if kind == "decimal":
        value = _number(c, 1.5, 0.5)
        return value if fmt == "number" else str(value)
    if kind in _NATIVE_TEXT:
        return _NATIVE_TEXT[kind]
    if kind == "bytes":
        return "ZGF0YQ==" if fmt == "byte" else "data"
    candidates = [*_TEXT_CANDIDATES, _from_pattern(c.pattern)] if c.pattern else _TEXT_CANDIDATES
    for text in candidates:
        if text is not None and _constraints_met(_sized(text, c), c):
            return _sized(text, c)
    return _sized("string", c)


def _from_pattern(pattern: str) -> str | None:
    """A short text matching a regular expression (the first choice of each part), or None."""
    try:
        parsed = _re_parser.parse(pattern)
        return "".join(_pattern_text(parsed.data if hasattr(parsed, "data") else list(parsed)))
    except (re.error, ValueError, TypeError, IndexError, RecursionError):
        return None


def _pattern_text(items: list[tuple[Any, Any]]) -> list[str]:
    out: list[str] = []
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "NOT_LITERAL":
            out.append("a" if arg != ord("a") else "b")
        elif name == "ANY":
            out.append("a")
        elif name == "IN":
            out.append(_class_char(arg))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _, sub = arg
            out.extend(_pattern_text(list(sub)) * max(low, 0))
        elif name == "SUBPATTERN":
            out.extend(_pattern_text(list(arg[-1])))
        elif name == "BRANCH":
            out.extend(_pattern_text(list(arg[1][0])))
        elif name == "ATOMIC_GROUP":
            out.extend(_pattern_text(list(arg)))
        elif name == "CATEGORY":
            out.append(_category_char(str(arg)))
        elif name not in ("AT", "ASSERT", "ASSERT_NOT"):
            raise ValueError(name)
    return out


def _class_char(items: list[tuple[Any, Any]]) -> str:
    if items and str(items[0][0]) == "NEGATE":
        excluded = {chr(a) for op, a in items[1:] if str(op) == "LITERAL"}
        return next(ch for ch in "a0A_" if ch not in excluded)
    op, arg = items[0]
    name = str(op)
    if name == "LITERAL":
        return chr(arg)
    if name == "RANGE":
        return chr(arg[0])
    if name == "CATEGORY":
        return _category_char(str(arg))
    raise ValueError(name)


def _category_char(category: str) -> str:
    return {"CATEGORY_DIGIT": "0", "CATEGORY_SPACE": " ", "CATEGORY_WORD": "a"}.get(category, "a")


def _sized(text: str, c: Constraints) -> str:
    if c.min_length is not None and len(text) < c.min_length:
        text = (text * c.min_length)[: c.min_length]
    if c.max_length is not None and len(text) > c.max_length:
        text = text[: c.max_length]
    return text


def _native(text: str, kind: str) -> Any:
    normal = re.sub(r"[Zz]$", "+00:00", text)
    try:
        if kind == "datetime" and re.fullmatch(r"\d{4}-\d{2}-\d{2}[Tt ].+", text):
            return datetime.datetime.fromisoformat(normal)
        if kind == "date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return datetime.date.fromisoformat(text)
        if kind == "time" and re.fullmatch(r"\d{2}:\d{2}.*", text):
            return datetime.time.fromisoformat(normal)
        if kind == "uuid":
            return uuid.UUID(text)
    except ValueError:
        return None
    return None


def _base64(text: str) -> bytes | None:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


def _decimal(value: Any) -> decimal.Decimal | None:
    try:
        return decimal.Decimal(value if isinstance(value, str) else repr(value))
    except (decimal.InvalidOperation, ValueError):
        return None


def _primitive_code(value: Any, kind: str, fmt: str | None, imports: Imports) -> str:
    if kind in ("datetime", "date", "time") and isinstance(value, str):
        native = _native(value, kind)
        if native is not None:
            imports.add("datetime")
            return f"datetime.{kind}.fromisoformat({pyrepr(native.isoformat())})"
    if kind == "uuid" and isinstance(value, str) and _native(value, kind) is not None:
        imports.add("uuid")
        return f"uuid.UUID({pyrepr(str(uuid.UUID(value)))})"
    if kind == "decimal" and _decimal(value) is not None:
        imports.add("decimal")
        return f"decimal.Decimal({pyrepr(str(_decimal(value)))})"
    if kind == "bytes" and isinstance(value, str):
        raw = _base64(value) if fmt == "byte" else value.encode("utf-8")
        return repr(raw if raw is not None else value.encode("utf-8"))
    return pyrepr(value)
