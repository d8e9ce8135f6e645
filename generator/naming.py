"""Naming: every identifier oagen emits is decided here, once.

Pure functions from spec text to Python identifiers (snake_case for functions, parameters and
fields; PascalCase for classes; UPPER_CASE for enum members), anything that is not an identifier
character dropped, and a `Namer` that hands out unique names in a scope in a stable order
(`name`, `name_2`, ...).

What is escaped by a trailing `_` depends on where the name goes:
- `snake` (methods, modules, the package) and `pascal`: keywords, builtins and the names the
  generated modules bind (`class` -> `class_`, `list` -> `list_`, `to_dict` -> `to_dict_`);
- `attribute` (model fields): keywords and the runtime `Model`'s own attributes only, so that
  `customer.id`, `event.type`, `obj.object` keep their wire names; `field_names` also renames a
  builtin-named field that would hide the builtin from a later annotation of its class (mypy
  reads a class body's names in order: `list: ...` then `tags: list[str]` does not type-check);
- `parameter` (method arguments): keywords, `self`, the per-call options beside them and the
  names a method's body uses.

A method is named after its operationId (FastAPI's generated `<function>_<path>_<method>` ids
lose their tail: `fastapi_stem`), else its CLI words. CLI words come from `x-cli-name`, else a
"CLI Usage: `tool verb noun`" line, else the operationId, else the summary, else method + path;
`settle_commands` makes them unique for the CLI alone, never touching method names.
"""

from __future__ import annotations

import functools
import keyword
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator import contract
from generator.model import (
    AnyType,
    Const,
    EnumRef,
    ListOf,
    MapOf,
    ModelRef,
    Nullable,
    Primitive,
    TypeRef,
    UnionOf,
)

# Names the generated modules use themselves, or that would shadow what generated code needs.
_RESERVED = frozenset(
    set(keyword.kwlist)
    | set(keyword.softkwlist)
    | {
        "self",
        "cls",
        "bool",
        "int",
        "float",
        "str",
        "bytes",
        "list",
        "dict",
        "type",
        "object",
        "None",
        "True",
        "False",
        "print",
        "id",
        # names the generated modules use at module or class level
        "rt",
        "ops",
        "models",
        "dataclasses",
        "additional_properties",
        "to_dict",
        "from_dict",
        "httpx",
        "typing",
    }
    # a generated method's per-call options (`timeout=`, ...) beside the operation's parameters
    | set(contract.CALL_OPTIONS)
)

_WORD_SPLIT = re.compile(r"[^0-9A-Za-z]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def words(text: str) -> list[str]:
    """Split text into lower-case ASCII words: `createEndpoint` -> create, endpoint."""
    return list(_words(text))


@functools.lru_cache(maxsize=65536)
def _words(text: str) -> tuple[str, ...]:
    normal = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    out: list[str] = []
    for chunk in _WORD_SPLIT.split(normal):
        if chunk:
            out.extend(part.lower() for part in _CAMEL.split(chunk) if part)
    return tuple(out)


def snake(text: str, *, fallback: str = "value") -> str:
    """A safe snake_case identifier for functions, parameters and fields."""
    name = "_".join(words(text)) or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    return escape_reserved(name)


def pascal(text: str, *, fallback: str = "Model") -> str:
    """A safe PascalCase identifier for classes."""
    name = "".join(w[:1].upper() + w[1:] for w in words(text)) or fallback
    if name[0].isdigit():
        name = f"{fallback}{name}"
    return escape_reserved(name)


def constant(text: str, *, fallback: str = "VALUE") -> str:
    """An UPPER_CASE identifier for enum members."""
    name = "_".join(words(text)).upper() or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if name in {"MRO", "NAME", "VALUE"} or keyword.iskeyword(name.lower()) and name.lower() == name:
        name += "_"
    return name


def escape_reserved(name: str) -> str:
    return name + "_" if name in _RESERVED or name.startswith("_") else name


_KEYWORDS = frozenset(keyword.kwlist)  # soft keywords (`type`, `match`) are fine as names
# Names no model field takes: keywords, the runtime `Model`'s own attributes, and the names a
# model's class body uses at run time (`rt.` in its `_descriptors`).
_FIELD_RESERVED = _KEYWORDS | set(contract.MODEL_ATTRIBUTES) | {"rt", "self", "cls"}
# Names no method parameter takes: keywords, the method's `self`, the per-call options beside
# the operation's arguments, and what the method's body uses (`self._call(ops.X, locals())`).
_PARAM_RESERVED = _KEYWORDS | {"self", "ops", "locals"} | set(contract.CALL_OPTIONS)
# The ClassVars closing a model's body (`_wire: ClassVar[dict[str, str]]`, `_descriptors`,
# `_discriminator: ClassVar[tuple[str, dict[str, str]] | None]`) use these whatever its fields.
_CLASS_BODY_NAMES = frozenset({"dict", "str", "tuple"})
# The builtin scalar types an annotation names as they are; the standard library's types
# (`datetime.datetime`, `uuid.UUID`) are not a field's concern: render imports their module
# under an alias in a class with a field of the module's name.
_BUILTIN_SCALARS = frozenset({"str", "int", "float", "bool", "bytes"})


def _identifier(text: str, fallback: str) -> str:
    name = "_".join(words(text)) or fallback
    return f"{fallback}_{name}" if name[0].isdigit() else name


def attribute(text: str, *, fallback: str = "field") -> str:
    """A model field's name: the wire name in snake_case; a keyword or an attribute of every
    model gets a trailing `_` (`class` -> `class_`, `to_dict` -> `to_dict_`), a builtin does not
    (`id`, `type`, `object`)."""
    name = _identifier(text, fallback)
    return name + "_" if name in _FIELD_RESERVED else name


def parameter(text: str, *, fallback: str = "param") -> str:
    """A method parameter's name: the wire name in snake_case; a keyword or a name the method
    uses itself gets a trailing `_` (`from` -> `from_`, `timeout` -> `timeout_`)."""
    name = _identifier(text, fallback)
    return name + "_" if name in _PARAM_RESERVED else name


def escape_parameter(name: str) -> str:
    """A field's name as a parameter's: `timeout` -> `timeout_` (see `parameter`)."""
    return name + "_" if name in _PARAM_RESERVED else name


def _why_reserved(name: str) -> str:
    if name in _KEYWORDS:
        return f"`{name}` is a Python keyword"
    if name in contract.MODEL_ATTRIBUTES:
        return f"`{name}` is an attribute of every model"
    if name in contract.CALL_OPTIONS:
        return f"`{name}` is an option of every method"
    return f"`{name}` is a name the generated code uses"


def annotation_names(t: TypeRef) -> frozenset[str]:
    """The lower-case names the annotation of `t` uses unqualified (`list[int] | None` -> list,
    int): a field of one of these names hides the builtin or module from annotations after it."""
    match t:
        case Primitive(kind=kind):
            return frozenset({kind}) & _BUILTIN_SCALARS
        case ListOf(item=inner):
            return annotation_names(inner) | {"list"}
        case MapOf(value=inner):
            return annotation_names(inner) | {"dict", "str"}
        case Nullable(inner=inner):
            return annotation_names(inner)
        case UnionOf(items=items):
            return frozenset().union(*(annotation_names(i) for i in items))
        case ModelRef() | EnumRef() | Const() | AnyType():
            return frozenset()  # class names and typing names are capitalised
    return frozenset()  # pragma: no cover


@dataclass(frozen=True)
class Renamed:
    """Why a name is not what the spec text gives: the name wanted, the reason, and the wire
    name of the property or parameter it clashed with, if it did."""

    wanted: str
    reason: str
    other: str | None = None

    def message(self, wire: str, name: str, pointers: Mapping[str, str]) -> str:
        """The warning for property `wire` named `name`; `pointers`: wire name -> pointer."""
        where = f" at {pointers[self.other]}" if self.other and self.other in pointers else ""
        return f"property {wire!r} is attribute `{name}`: {self.reason}{where}"


def field_names(
    props: Sequence[tuple[str, TypeRef]], inherited: Mapping[str, str] | None = None
) -> list[tuple[str, Renamed | None]]:
    """The attribute names of a model's own properties, (wire name, type) in class-body order.

    A property a base has too keeps the base's name (`inherited`: wire name -> name). Each name
    comes with why it differs from `attribute(wire)`'s, or None: it would hide a builtin from a
    later annotation (`list_`), or another property has it already (`type_2`).
    """
    inherited = dict(inherited or {})
    holders: dict[str, str] = {name: wire for wire, name in inherited.items()}
    later: list[frozenset[str]] = [_CLASS_BODY_NAMES] * (len(props) + 1)
    for index in range(len(props) - 1, -1, -1):
        later[index] = later[index + 1] | annotation_names(props[index][1])
    out: list[tuple[str, Renamed | None]] = []
    for index, (wire, _) in enumerate(props):
        if wire in inherited:
            out.append((inherited[wire], None))
            continue
        wanted = _identifier(wire, "field")
        name, why = attribute(wire), None
        if name != wanted:
            why = Renamed(wanted, _why_reserved(wanted))
        elif name in later[index + 1]:
            name = wanted + "_"
            why = Renamed(wanted, f"`{wanted}` would hide a builtin from the annotations after it")
        if name in holders:
            other, base, n = holders[name], name, 2
            while f"{base}_{n}" in holders:
                n += 1
            name = f"{base}_{n}"
            why = Renamed(wanted, f"`{base}` is also the name of property {other!r}", other)
        holders[name] = wire
        out.append((name, why))
    return out


class Namer:
    """Hands out unique names within one scope: the first `x` stays `x`, the next is `x_2`.

    Class names use `sep=""` (`Pet`, `Pet2`) so that they stay PascalCase.
    """

    def __init__(self, taken: set[str] | None = None, sep: str = "_") -> None:
        self._taken: set[str] = set(taken or ())
        self._sep = sep

    def claim(self, name: str, sep: str | None = None) -> str:
        sep = self._sep if sep is None else sep
        candidate, n = name, 2
        while candidate in self._taken:
            candidate = f"{name}{sep}{n}"
            n += 1
        self._taken.add(candidate)
        return candidate

    def __contains__(self, name: str) -> bool:
        return name in self._taken


def cli_words_from_text(text: str) -> tuple[str, ...] | None:
    """`x-cli-name: "create endpoint"` -> ("create", "endpoint"); each word made CLI-safe."""
    out = tuple(cli_word(w) for w in text.split() if words(w))
    return out or None


def cli_word(text: str) -> str:
    """One command word: lower-case ASCII words joined by `-` (`ssh_keys` -> `ssh-keys`)."""
    return "-".join(words(text)) or "x"


def cli_words_from_name(text: str) -> tuple[str, ...]:
    """`createEndpoint` / `create endpoint` -> ("create", "endpoint")."""
    return tuple(words(text)) or ("call",)


def cli_words_from_route(method: str, path: str) -> tuple[str, ...]:
    """`GET /users/{id}/` -> ("get", "users", "id")."""
    return (method.lower(), *words(path)) if words(path) else (method.lower(), "root")


def unique_commands(commands: list[tuple[tuple[str, ...], bool]]) -> list[tuple[str, ...]]:
    """Make every command unique and usable by argparse (see `settle_commands`)."""
    return [ws for ws, _ in settle_commands(commands)]


def settle_commands(
    commands: list[tuple[tuple[str, ...], bool]],
) -> list[tuple[tuple[str, ...], int | None]]:
    """Make every command unique and usable by argparse, keeping the first of each in place.

    `commands` are (words, has positional arguments), in document order. Words are normalised
    (`cli_word`); a repeated command gets its last word suffixed (`ssh-keys-2`, `-3`, ...); a
    command with positional arguments that is also the start of a longer command (`get endpoint
    <id>` beside `get endpoint logs`) is suffixed the same way, since argparse could not tell the
    argument from the sub-command. A command without positionals may stay a prefix (`create team`
    beside `create team role`). Each command comes with the index of the command it clashed
    with when it had to change, else None.
    """
    normal = [tuple(cli_word(w) for w in ws) or ("call",) for ws, _ in commands]
    prefixes: dict[tuple[str, ...], int] = {}
    for index, ws in enumerate(normal):
        for i in range(1, len(ws)):
            prefixes.setdefault(ws[:i], index)
    taken: dict[tuple[str, ...], int] = {}
    out: list[tuple[tuple[str, ...], int | None]] = []
    for index, (ws, (_, positional)) in enumerate(zip(normal, commands, strict=True)):
        candidate, n, other = ws, 2, None
        while candidate in taken or (positional and candidate in prefixes):
            if other is None:
                other = taken[candidate] if candidate in taken else prefixes[candidate]
            candidate = (*ws[:-1], f"{ws[-1]}-{n}")
            n += 1
        taken[candidate] = index
        out.append((candidate, other))
    return out


def operation_stems(ops: Sequence[tuple[object, str, str]]) -> list[str | None]:
    """Each operation's operationId as its method and command should read it, else None, from
    (operationId, method, path): a FastAPI default id (`read_item_items__id__get`) loses its
    path-and-method tail where no other operation's method would then have the same name."""
    ids = [oid if isinstance(oid, str) and words(oid) else None for oid, _, _ in ops]
    stems = [
        fastapi_stem(oid, method, path) if oid else None
        for oid, (_, method, path) in zip(ids, ops, strict=True)
    ]
    full = Counter(method_name(oid) for oid in ids if oid)
    chosen = Counter(method_name(s or o or "") for s, o in zip(stems, ids, strict=True) if s or o)
    out: list[str | None] = []
    for oid, stem in zip(ids, stems, strict=True):
        short = method_name(stem) if stem else None
        out.append(stem if short and chosen[short] == 1 and short not in full else oid)
    return out


def fastapi_stem(operation_id: str, method: str, path: str) -> str | None:
    """The function name in a FastAPI default operationId, else None.

    FastAPI writes `<function name><path, non-word characters as _>_<method>`:
    `read_flow_runs_flow_runs_filter_post` for `read_flow_runs` at `POST /flow_runs/filter`.
    """
    tail = re.sub(r"\W", "_", path) + "_" + method.lower()
    if len(operation_id) > len(tail) and operation_id.endswith(tail):
        stem = operation_id[: -len(tail)]
        return stem if words(stem) else None
    return None


def command_name(words_: tuple[str, ...]) -> str:
    """The Python method name that goes with CLI words."""
    return snake("_".join(words_), fallback="call")


def method_name(operation_id: str) -> str:
    """The Python method name of an operationId (`getCollection` -> `get_collection`)."""
    return snake(operation_id, fallback="call")
