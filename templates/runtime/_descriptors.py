"""Values and types: `UNSET`, the type descriptors, models and enums, JSON encode/decode.

Part of the runtime copied verbatim into each generated package (import it through
`_runtime`). A type descriptor says how one value is validated, encoded to JSON and decoded
from it; generated code writes them with `list_of`, `map_of`, `model`, ... and the models'
annotations give the rest.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import types
import typing
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, cast

from ._scalars import (
    NATIVE_TYPES,
    SCALARS,
    bytes_text,
    native_to_json,
    parse,
    to_json,
)

if (
    TYPE_CHECKING
):  # only for the type checker: at run time annotations stay strings (3.10+)
    from typing_extensions import Self  # noqa: UP035 (typing.Self is 3.11+)

# --------------------------------------------------------------------------------------------
# Omitted vs None


class Unset:
    """The type of `UNSET`: an argument or field that was left out (as opposed to `None`)."""

    __slots__ = ()
    _instance: ClassVar[Unset | None] = None

    def __new__(cls) -> Self:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cast("Self", cls._instance)

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "UNSET"

    def __copy__(self) -> Unset:
        return self

    def __deepcopy__(self, memo: object) -> Unset:
        return self


UNSET: Any = Unset()


# --------------------------------------------------------------------------------------------
# Type descriptors: how a value is validated, encoded to JSON and decoded from it.
# A descriptor is a string ("str", "int", "float", "bool", "bytes", "any", or a native
# scalar of `_scalars.SCALARS`: "datetime", "date", "uuid", ...) or a tuple:
# ("list", item), ("map", value), ("model", name), ("enum", name), ("union", (items...)),
# ("const", value), ("null", inner).

Descriptor = str | tuple[Any, ...]
_TYPES: dict[str, type[Any]] = {}


def list_of(item: Descriptor) -> Descriptor:
    return ("list", item)


def map_of(value: Descriptor) -> Descriptor:
    return ("map", value)


def model(name: str) -> Descriptor:
    return ("model", name)


def enum_of(name: str) -> Descriptor:
    return ("enum", name)


def union(
    *items: Descriptor,
    discriminator: str | None = None,
    mapping: Mapping[str, str] | None = None,
) -> Descriptor:
    """One of `items`; with a `discriminator` property, its value picks the member: through
    `mapping` (value -> model name), else a model named like the value, else by shape.
    """
    if discriminator is None:
        return ("union", items)
    return ("union", items, discriminator, dict(mapping or {}))


def const(value: Any) -> Descriptor:
    return ("const", value)


def nullable(inner: Descriptor) -> Descriptor:
    return ("null", inner)


def fixed_enum(name: str, value: Any) -> Any:
    """The default of a model field that always has `value` of enum `name` (an enum of
    another module, found by name when an instance is made)."""
    return dataclasses.field(default_factory=lambda: _resolve(name)(value))


class OpenEnum(enum.Enum):
    """An enum that tolerates values the spec did not list (they become pseudo-members)."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        base = str if issubclass(cls, str) else int if issubclass(cls, int) else None
        if base is None or not isinstance(value, base) or isinstance(value, bool):
            return None
        member = cast(Any, base).__new__(cls, value)
        member._name_ = f"UNKNOWN_{value}"
        member._value_ = value
        return member

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _TYPES[cls.__name__] = cls

    def __str__(self) -> str:
        return str(self.value)


@dataclasses.dataclass(frozen=True)
class F:
    """One model field: Python name, wire name, type descriptor, required."""

    name: str
    wire: str
    type: Descriptor
    required: bool = False


_FIELDS: dict[type[Any], tuple[F, ...]] = {}


def _descriptor_of(hint: Any) -> Descriptor:
    """The type descriptor of an evaluated annotation (`list[Pet] | None | Unset`, ...)."""
    if hint in (str, int, float, bool, bytes):
        return str(hint.__name__)
    if isinstance(hint, type) and hint in NATIVE_TYPES:
        return NATIVE_TYPES[hint]
    if hint is type(None):
        return ("const", None)
    if isinstance(hint, type) and issubclass(hint, _Pending):
        return (hint.kind, hint.__name__)
    if isinstance(hint, type):
        if issubclass(hint, Model):
            return ("model", hint.__name__)
        if issubclass(hint, enum.Enum):
            return ("enum", hint.__name__)
        return "any"
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is list and args:
        return ("list", _descriptor_of(args[0]))
    if origin is dict and len(args) == 2:
        return ("map", _descriptor_of(args[1]))
    if origin is typing.Literal:
        consts = tuple(("const", a) for a in args)
        return consts[0] if len(consts) == 1 else ("union", consts)
    if origin is typing.Union or origin is types.UnionType:
        members = [a for a in args if a is not Unset]
        inner = [a for a in members if a is not type(None)]
        descriptor: Descriptor = (
            _descriptor_of(inner[0])
            if len(inner) == 1
            else ("union", tuple(_descriptor_of(a) for a in inner))
        )
        return ("null", descriptor) if len(inner) < len(members) else descriptor
    return "any"


@dataclasses.dataclass(kw_only=True)
class Model:
    """Base of every generated model: `to_dict` / `from_dict` driven by its annotations.

    A field's type descriptor comes from its annotation and it is required when it has no
    default; `_wire` names the fields whose JSON name differs from the Python one, and
    `_descriptors` gives the descriptors an annotation cannot say (discriminated unions).
    """

    _wire: ClassVar[dict[str, str]] = {}
    _descriptors: ClassVar[dict[str, Descriptor]] = {}
    _discriminator: ClassVar[tuple[str, dict[str, str]] | None] = None
    """(property, {value: subclass name}) of a base whose discriminator picks a subclass."""
    additional_properties: dict[str, Any] = dataclasses.field(
        default_factory=dict, repr=False
    )
    """Fields the server sent that the spec does not declare (kept, never dropped)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _TYPES[cls.__name__] = cls

    @classmethod
    def _all_fields(cls) -> tuple[F, ...]:
        cached = _FIELDS.get(cls)
        if cached is None:
            cached = _FIELDS[cls] = cls._derive_fields()
        return cached

    @classmethod
    def _derive_fields(cls) -> tuple[F, ...]:
        # names from other model modules are imported there only for type checkers: resolve
        # every class name through the registry
        hints = typing.get_type_hints(cls, localns=_Names())
        wire: dict[str, str] = {}
        descriptors: dict[str, Descriptor] = {}
        for klass in reversed(cls.__mro__):
            wire.update(klass.__dict__.get("_wire", {}))
            descriptors.update(klass.__dict__.get("_descriptors", {}))
        seen: dict[str, F] = {}
        for field in dataclasses.fields(cls):
            if field.name == "additional_properties":
                continue
            required = (
                field.default is dataclasses.MISSING
                and field.default_factory is dataclasses.MISSING
            )
            descriptor = descriptors.get(field.name) or _descriptor_of(
                hints[field.name]
            )
            name = wire.get(field.name, field.name)
            seen[name] = F(field.name, name, descriptor, required)
        return tuple(seen.values())

    def to_dict(self) -> dict[str, Any]:
        """The JSON object for this model; fields left `UNSET` are omitted, `None` is kept."""
        out: dict[str, Any] = dict(self.additional_properties)
        for f in self._all_fields():
            value = getattr(self, f.name, UNSET)
            if value is not UNSET:
                out[f.wire] = encode(value, f.type)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Build from a decoded JSON object; unknown keys go to `additional_properties`."""
        if not isinstance(data, Mapping):
            raise TypeError(
                f"{cls.__name__}.from_dict expects a JSON object, got {type(data).__name__}"
            )
        subclass = cls._subclass_for(data)
        if subclass is not None:
            return subclass.from_dict(data)
        kwargs: dict[str, Any] = {}
        known: set[str] = set()
        for f in cls._all_fields():
            known.add(f.wire)
            if f.wire in data:
                kwargs[f.name] = decode(data[f.wire], f.type)
            elif f.required:
                kwargs[f.name] = (
                    UNSET  # tolerated: the server left out a required field
                )
        extra = {k: v for k, v in data.items() if k not in known}
        return cls(**kwargs, additional_properties=extra)

    @classmethod
    def _subclass_for(cls, data: Mapping[str, Any]) -> type[Self] | None:
        """The subclass of `cls` that the discriminator's value in `data` names, if any."""
        if cls._discriminator is None:
            return None
        prop, mapping = cls._discriminator
        tag = data.get(prop)
        target = _find(mapping.get(tag, "")) if isinstance(tag, str) else None
        if isinstance(target, type) and issubclass(target, cls) and target is not cls:
            return target
        return None


# the package's `models` module, where a class not defined yet is found (and so defined)
_MODELS = __name__.rpartition(".")[0] + ".models" if "." in __name__ else ""


def _models() -> Any:
    try:
        return importlib.import_module(_MODELS) if _MODELS else None
    except ImportError:  # pragma: no cover - the runtime outside a generated package
        return None


def _find(name: str) -> type[Any] | None:
    """The model or enum class named `name`: defined already, else loaded from `models`
    (whose parts are imported when first used), else None."""
    found = _TYPES.get(name)
    if found is None and name.isidentifier():
        value = getattr(_models(), name, None)
        found = value if isinstance(value, type) else None
    return found


class _Pending:
    """Stands in, in a model's evaluated annotations, for a class of a part of `models` not
    imported yet: its descriptor names it, and decoding a value of it imports it."""

    kind: ClassVar[str] = "model"


_PENDING: dict[str, type[_Pending]] = {}


class _Names(dict[str, Any]):
    """The names a model's annotations may use beside its module's: every class, by name; one
    of a part of `models` not imported yet is a `_Pending` stand-in (deriving a model's fields
    imports no other part: a value decoded does, when there is one)."""

    def __missing__(self, key: str) -> Any:
        found = _TYPES.get(key)
        if found is not None:
            return found
        models = _models()
        home = getattr(models, "_HOME", None)
        if isinstance(home, Mapping) and key in home:
            pending = _PENDING.get(key)
            if pending is None:
                kind = "enum" if key in getattr(models, "_ENUMS", ()) else "model"
                pending = _PENDING[key] = type(key, (_Pending,), {"kind": kind})
            return pending
        found = _find(key)
        if found is None:
            raise KeyError(key)
        return found


def _resolve(name: str) -> type[Any]:
    found = _find(name)
    if found is None:  # pragma: no cover - generated code declares every name it uses
        raise LookupError(f"unknown model or enum {name!r}")
    return found


def encode(value: Any, descriptor: Descriptor = "any") -> Any:
    """A value as JSON-ready data, following its type descriptor."""
    if value is None or value is UNSET:
        return None
    if isinstance(value, Model):
        return value.to_dict()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(descriptor, tuple):
        kind = descriptor[0]
        if kind == "null":
            return encode(value, descriptor[1])
        if kind == "list" and isinstance(value, (list, tuple)):
            return [encode(v, descriptor[1]) for v in value]
        if kind == "map" and isinstance(value, Mapping):
            return {str(k): encode(v, descriptor[1]) for k, v in value.items()}
    if descriptor == "float" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(descriptor, str) and descriptor in SCALARS:
        return to_json(value, descriptor)
    if descriptor == "bytes" and isinstance(value, (bytes, bytearray, memoryview)):
        return bytes_text(
            value
        )  # inside JSON (files of a multipart body are not encoded)
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): encode(v) for k, v in value.items()}
    return native_to_json(value)


def decode(value: Any, descriptor: Descriptor) -> Any:
    """Decoded JSON as typed values (models, enums); anything unexpected is kept as it came."""
    if value is None:
        return None
    if isinstance(descriptor, str):
        if (
            descriptor == "float"
            and isinstance(value, int)
            and not isinstance(value, bool)
        ):
            return float(value)
        if descriptor in SCALARS:
            parsed = parse(value, descriptor)
            return value if parsed is None else parsed  # raw when it does not parse
        if descriptor == "bytes" and isinstance(value, str):
            return value.encode(
                "utf-8"
            )  # binary inside JSON: UTF-8 text (pydantic's way)
        return value
    kind = descriptor[0]
    if kind == "null":
        return decode(value, descriptor[1])
    if kind == "model":
        cls = _resolve(descriptor[1])
        return cls.from_dict(value) if isinstance(value, Mapping) else value
    if kind == "enum":
        try:
            return _resolve(descriptor[1])(value)
        except (ValueError, TypeError):
            return value
    if kind == "list":
        return (
            [decode(v, descriptor[1]) for v in value]
            if isinstance(value, list)
            else value
        )
    if kind == "map":
        return (
            {k: decode(v, descriptor[1]) for k, v in value.items()}
            if isinstance(value, Mapping)
            else value
        )
    if kind == "union":
        picked = _discriminated(value, descriptor)
        if picked is not None:
            return decode(value, picked)
        for tags in (True, False):  # a member whose tags agree first, then any by shape
            for option in descriptor[1]:
                if _matches(value, option, tags=tags):
                    return decode(value, option)
        return value
    return value


def _discriminated(value: Any, descriptor: tuple[Any, ...]) -> Descriptor | None:
    """The union member named by the value's discriminator property, if the union has one."""
    if len(descriptor) < 4 or not isinstance(value, Mapping):
        return None
    tag = value.get(descriptor[2])
    if not isinstance(tag, str):
        return None
    target = descriptor[3].get(tag)
    if target is not None:
        return model(target)
    for option in descriptor[1]:
        if isinstance(option, tuple) and option[0] == "model" and option[1] == tag:
            return option
    return None


def _matches(value: Any, descriptor: Descriptor, *, tags: bool = False) -> bool:
    """Does decoded JSON have the shape of `descriptor`? (used to pick a union member)

    With `tags`, a model also needs the values of its fields that admit one value (a
    `Literal`, a one-member enum) to be those values, when the JSON has them.
    """
    if isinstance(descriptor, str) and descriptor in SCALARS:
        return parse(value, descriptor) is not None
    if isinstance(descriptor, str):
        return {
            "str": isinstance(value, str),
            "bytes": isinstance(value, (str, bytes)),
            "int": isinstance(value, int) and not isinstance(value, bool),
            "float": isinstance(value, (int, float)) and not isinstance(value, bool),
            "bool": isinstance(value, bool),
        }.get(descriptor, True)
    kind = descriptor[0]
    if kind == "null":
        return value is None or _matches(value, descriptor[1], tags=tags)
    if kind == "const":
        return bool(value == descriptor[1])
    if kind == "enum":
        cls = _resolve(descriptor[1])
        members = list(cls.__members__.values())
        return (
            any(value == m.value for m in members)
            or bool(members)
            and isinstance(value, type(members[0].value))
        )
    if kind == "list":
        return isinstance(value, list)
    if kind == "map":
        return isinstance(value, Mapping)
    if kind == "model":
        if not isinstance(value, Mapping):
            return False
        fields = _resolve(descriptor[1])._all_fields()
        required = {f.wire for f in fields if f.required}
        if tags and any(
            f.wire in value and not _is_tag(value[f.wire], f.type) for f in fields
        ):
            return False
        return required <= set(value) and (
            not fields or bool(set(value) & {f.wire for f in fields}) or not value
        )
    if kind == "union":
        return any(_matches(value, option, tags=tags) for option in descriptor[1])
    return True


def _is_tag(value: Any, descriptor: Descriptor) -> bool:
    """False when `descriptor` admits one value (a `Literal`, a one-member enum) and
    `value` is another."""
    if isinstance(descriptor, tuple) and descriptor[0] == "const":
        return bool(value == descriptor[1])
    if isinstance(descriptor, tuple) and descriptor[0] == "enum":
        members = list(_resolve(descriptor[1]).__members__.values())
        return len(members) != 1 or bool(value == members[0].value)
    return True
