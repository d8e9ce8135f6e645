"""Types: every projection of a `TypeRef` to text, and the imports that text needs.

Each projection is one `match` over the `TypeRef` union (adding a type case means one arm in
each function of this module):

- `annotation`: the Python annotation (`list[models.Pet] | None`);
- `descriptor`: the runtime type descriptor as code (`rt.list_of(rt.model("Pet"))`, see
  `_runtime`), which the runtime uses to validate, encode and decode values;
- `type_label`: a short human name for the docs (`list of Pet`);
- `annotation_says_all`: whether the runtime can derive the descriptor from the annotation.

The code projections record in an `Imports` collector each name their text uses (`Any`,
`Literal`, `models`, `rt`), so every generated module's import block is derived from what was
rendered into it, never from searching the rendered text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from generator import layout
from generator.model import (
    AnyType,
    Const,
    Enum,
    EnumRef,
    ListOf,
    MapOf,
    ModelRef,
    Nullable,
    Primitive,
    TypeRef,
    UnionOf,
)
from generator.modules import import_key, natural
from generator.render.text import pyrepr

RT = "_runtime as rt"  # `from . import _runtime as rt`: the runtime, for descriptors
_STDLIB = frozenset(
    {"collections", "dataclasses", "datetime", "decimal", "functools", "typing", "uuid"}
)
# Primitive kinds with a Python type of their own: (module, class, runtime descriptor)
NATIVE: dict[str, tuple[str, str, str]] = {
    "datetime": ("datetime", "datetime", "datetime"),
    "date": ("datetime", "date", "date"),
    "time": ("datetime", "time", "time"),
    "uuid": ("uuid", "UUID", "uuid"),
    "decimal": ("decimal", "Decimal", "decimal"),
}


class Imports:
    """The names a piece of generated code uses, recorded while it is rendered.

    `add("typing", "Any")` records `from typing import Any`; `add("dataclasses")` records
    `import dataclasses`; `add(".", RT)` records `from . import _runtime as rt`. `block()` writes
    the import statements in ruff's isort order: standard library, third party, then the
    package's own modules, a blank line between sections.
    """

    __slots__ = ("_names",)

    def __init__(self, *pieces: Imports) -> None:
        self._names: set[tuple[str, str]] = set()
        for piece in pieces:
            self._names |= piece._names

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, str]]) -> Imports:
        """A collector holding the (module, name) `pairs` (as `__getstate__` lists them)."""
        out = cls()
        out._names.update(pairs)
        return out

    def __getstate__(self) -> tuple[tuple[str, str], ...]:
        """Sorted, so equal collectors pickle alike (a set's order depends on the hash seed):
        render memos key on pickles."""
        return tuple(sorted(self._names))

    def __setstate__(self, state: tuple[tuple[str, str], ...]) -> None:
        self._names = set(state)

    def add(self, module: str, *names: str) -> Imports:
        """Record `names` from `module` (no names: `import module`); returns self."""
        self._names.update((module, name) for name in names or ("",))
        return self

    def update(self, others: Iterable[Imports]) -> Imports:
        """Record everything the others recorded; returns self."""
        for other in others:
            self._names |= other._names
        return self

    def has(self, module: str, name: str = "") -> bool:
        return (module, name) in self._names

    def discard(self, module: str, name: str = "") -> bool:
        """Forget `name` from `module`; whether it was recorded."""
        found = (module, name) in self._names
        self._names.discard((module, name))
        return found

    def block(self) -> str:
        """The import statements, one section per kind, sections separated by a blank line."""
        sections: list[list[str]] = [[], [], []]
        by_module: dict[str, list[str]] = {}
        for module, name in self._names:
            by_module.setdefault(module, []).append(name)
        for module in sorted(by_module, key=lambda m: natural(m.lower())):
            if module.startswith("."):
                section = sections[2]
            else:
                top = module.split(" ")[0].split(".")[0]  # `import datetime as _datetime`
                section = sections[0] if top in _STDLIB else sections[1]
            section.extend(_statements(module, by_module[module]))
        for section in sections:  # `import x` before `from x import y`, as isort has them
            section.sort(key=lambda line: not line.startswith("import "))
        return "\n\n".join("\n".join(section) for section in sections if section)


def _statements(module: str, names: list[str]) -> list[str]:
    """`import module`, then `from module import ...`: aliases each on a statement of its own."""
    out = [f"import {module}"] if "" in names else []
    plain = sorted((n for n in names if n and " as " not in n), key=import_key)
    froms = [(plain[0], layout.import_from(module, plain))] if plain else []
    froms += [(alias, f"from {module} import {alias}") for alias in names if " as " in alias]
    froms.sort(key=lambda pair: import_key(pair[0]))
    return out + [line for _, line in froms]


def annotation(
    t: TypeRef,
    imports: Imports,
    prefix: str = "",
    *,
    loose_enums: Mapping[str, Enum] | None = None,
    aliases: Mapping[str, str] | None = None,
) -> str:
    """The Python annotation for a type; `prefix` ("models.") qualifies model and enum names.

    With `loose_enums` (every enum by name: an argument's annotation), an enum also accepts its
    values as literals and a native scalar its text (`datetime.datetime | str`). `aliases` names
    a module under another name (`{"uuid": "_uuid"}`: in a class with a field named `uuid`).
    """
    match t:
        case Primitive(kind=kind, format=fmt):
            loose = loose_enums is not None
            if kind in NATIVE:
                module, name, _ = NATIVE[kind]
                alias = (aliases or {}).get(module, module)
                imports.add(module if alias == module else f"{module} as {alias}")
                text = f"{alias}.{name}"
                if loose and kind == "decimal":
                    return f"{text} | float | str"
                return f"{text} | str" if loose else text
            if loose and kind == "bytes" and fmt == "byte":
                return "bytes | str"
            if loose and kind == "bytes":  # a file to send: bytes, a file, a path, a tuple
                imports.add("._runtime", "FileInput")
                return "FileInput | str"
            return kind
        case ListOf(item=item):
            inner = annotation(item, imports, prefix, loose_enums=loose_enums, aliases=aliases)
            return f"list[{inner}]"
        case MapOf(value=value):
            inner = annotation(value, imports, prefix, loose_enums=loose_enums, aliases=aliases)
            return f"dict[str, {inner}]"
        case ModelRef(name=name):
            return _qualified(name, prefix, imports)
        case EnumRef(name=name):
            if loose_enums is not None:
                literals = ", ".join(pyrepr(m.value) for m in loose_enums[name].members)
                imports.add("typing", "Literal")
                return f"{_qualified(name, prefix, imports)} | Literal[{literals}]"
            return _qualified(name, prefix, imports)
        case UnionOf(items=items):
            parts: list[str] = []
            for item in items:
                text = annotation(item, imports, prefix, loose_enums=loose_enums, aliases=aliases)
                if text not in parts:
                    parts.append(text)
            return " | ".join(parts)
        case Const(value=value):
            if value is None:
                return "None"
            imports.add("typing", "Literal")
            return f"Literal[{pyrepr(value)}]"
        case Nullable(inner=inner):
            text = annotation(inner, imports, prefix, loose_enums=loose_enums, aliases=aliases)
            return text if text == "Any" else f"{text} | None"
        case AnyType():
            imports.add("typing", "Any")
            return "Any"
    raise TypeError(t)  # pragma: no cover


def _qualified(name: str, prefix: str, imports: Imports) -> str:
    if prefix:
        imports.add(".", prefix.rstrip("."))
    return prefix + name


def descriptor(t: TypeRef, imports: Imports) -> str:
    """The runtime type descriptor (see `_runtime`) as Python source."""
    match t:
        case Primitive(kind=kind, format=fmt):
            return pyrepr(scalar_descriptor(kind, fmt))
        case AnyType():
            return '"any"'
    imports.add(".", RT)
    match t:
        case ListOf(item=item):
            return f"rt.list_of({descriptor(item, imports)})"
        case MapOf(value=value):
            return f"rt.map_of({descriptor(value, imports)})"
        case ModelRef(name=name):
            return f"rt.model({pyrepr(name)})"
        case EnumRef(name=name):
            return f"rt.enum_of({pyrepr(name)})"
        case UnionOf(items=items, discriminator=disc, mapping=mapping):
            args = [descriptor(i, imports) for i in items]
            if disc is not None:
                args.append(f"discriminator={pyrepr(disc)}")
                if mapping:
                    args.append(f"mapping={pyrepr(dict(mapping))}")
            return "rt.union(" + ", ".join(args) + ")"
        case Const(value=value):
            return f"rt.const({pyrepr(value)})"
        case Nullable(inner=inner):
            return f"rt.nullable({descriptor(inner, imports)})"
    raise TypeError(t)  # pragma: no cover


def scalar_descriptor(kind: str, fmt: str | None) -> str:
    """The runtime descriptor of a `Primitive` (`"datetime"`, `"base64"`, `"int"`, ...)."""
    if kind == "bytes" and fmt == "byte":
        return "base64"
    if kind == "decimal" and fmt == "number":
        return "decimal_number"
    return NATIVE[kind][2] if kind in NATIVE else kind


def type_label(t: TypeRef) -> str:
    """A short human name for docs: `number`, `list of string`, `Error`, ..."""
    match t:
        case Primitive(kind=kind, format=fmt):
            if kind == "bytes":
                return "base64 bytes" if fmt == "byte" else "binary"
            if kind == "decimal":
                return "number (decimal)" if fmt == "number" else "string (decimal)"
            base = {"int": "integer", "float": "number", "bool": "boolean"}.get(kind, "string")
            return f"{base} ({fmt})" if fmt else base
        case ListOf(item=item):
            return f"list of {type_label(item)}"
        case MapOf(value=value):
            return f"map of {type_label(value)}"
        case ModelRef(name=name) | EnumRef(name=name):
            return name
        case UnionOf(items=items):
            return " or ".join(type_label(i) for i in items)
        case Const(value=value):
            return json.dumps(value)
        case Nullable(inner=inner):
            return f"{type_label(inner)} or null"
    return "any"


def annotation_says_all(t: TypeRef) -> bool:
    """Can the runtime derive `t`'s descriptor from its annotation alone?

    Not for a discriminated union (the discriminator is not in the annotation) nor for a
    `const` whose value is not a plain `Literal` value (a JSON object, array or float).
    """
    match t:
        case Primitive(kind=kind, format=fmt):  # `bytes` says raw bytes, `Decimal` says text
            return scalar_descriptor(kind, fmt) not in ("base64", "decimal_number")
        case UnionOf(items=items, discriminator=disc):
            return disc is None and all(annotation_says_all(i) for i in items)
        case Const(value=value):
            return value is None or isinstance(value, str | int)
        case ListOf(item=inner) | MapOf(value=inner) | Nullable(inner=inner):
            return annotation_says_all(inner)
    return True
