"""Schema keywords read as IR values (part of the build stage): spec data in, plain values out.

No references are followed here: the schema walker (`schema.py`) and the builder (`build.py`)
pass in the schemas they have already dereferenced. `jsonable` turns spec values (defaults,
examples, `const`, enum values) into JSON data; `constraints_of` reads the validation keywords;
`field_of` makes a model `Field` from a property; `merge_parts` gathers the properties of a
model's parts; `ref_context` names what a `$ref` points at.
"""

from __future__ import annotations

import datetime
import math
from typing import Any

from generator import pointer as jsonpointer
from generator.model import MISSING, Constraints, Field, Primitive, TypeRef

# Keywords that only annotate: a `$ref` beside only these is still a plain reference.
ANNOTATIONS = frozenset(
    {
        "description",
        "summary",
        "title",
        "example",
        "examples",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "externalDocs",
        "xml",
        "$comment",
    }
)
_GENERIC_TOKENS = frozenset(
    {"schema", "items", "properties", "content", "allof", "oneof", "anyof", "additionalproperties"}
)


def jsonable(value: Any) -> Any:
    """Spec values as plain JSON data (YAML dates become ISO strings; NaN/inf become strings)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


# String formats with a Python type of their own (`format: time` -> `datetime.time`).
_STRING_FORMATS: dict[str, Primitive] = {
    "date-time": Primitive("datetime", "date-time"),
    "date": Primitive("date", "date"),
    "time": Primitive("time", "time"),
    "uuid": Primitive("uuid", "uuid"),
    "byte": Primitive("bytes", "byte"),
    "binary": Primitive("bytes", "binary"),
    "decimal": Primitive("decimal", "decimal"),
}


def scalar(kind: str, fmt: str | None) -> Primitive:
    """The `Primitive` of a `string`, `integer`, `number` or `boolean` schema with `format`."""
    if kind == "string":
        return _STRING_FORMATS.get(fmt or "", Primitive("str", fmt))
    if kind in ("integer", "number") and fmt == "decimal":
        return Primitive("decimal", "number")  # a Decimal sent as a JSON number
    if kind == "integer":
        return Primitive("int", fmt)
    if kind == "number":
        return Primitive("float", fmt)
    return Primitive("bool")


def ref_siblings(schema: dict[str, Any]) -> dict[str, Any]:
    """The keywords beside a `$ref` that constrain (not only annotate) the schema."""
    return {k: v for k, v in schema.items() if k != "$ref" and k not in ANNOTATIONS}


def ref_context(ref: str) -> str:
    """A name for what a non-component `$ref` points at: its last meaningful pointer token."""
    tokens = [t for t in jsonpointer.split(ref) if t]
    for token in reversed(tokens):
        if not token.isdigit() and token.lower() not in _GENERIC_TOKENS and "/" not in token:
            return token
    return "Schema"


def enum_kind(values: list[Any]) -> str | None:
    """ "str" or "int" when every enum value is one (an enum class is generated), else None."""
    if values and all(isinstance(v, str) for v in values):
        return "str"
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "int"
    return None


def constraints_of(schema: Any) -> Constraints:
    """The validation keywords of `schema` (3.0's boolean `exclusiveMinimum` read as 3.1's)."""
    if not isinstance(schema, dict):
        return Constraints()

    def num(key: str) -> float | None:
        value = schema.get(key)
        return (
            float(value)
            if isinstance(value, (int, float)) and not isinstance(value, bool)
            else None
        )

    def count(key: str) -> int | None:
        value = schema.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    minimum, maximum = num("minimum"), num("maximum")
    ex_min, ex_max = num("exclusiveMinimum"), num("exclusiveMaximum")
    if schema.get("exclusiveMinimum") is True:  # 3.0 style
        ex_min, minimum = minimum, None
    if schema.get("exclusiveMaximum") is True:
        ex_max, maximum = maximum, None
    pattern = schema.get("pattern")
    return Constraints(
        minimum=minimum,
        maximum=maximum,
        exclusive_minimum=ex_min,
        exclusive_maximum=ex_max,
        min_length=count("minLength"),
        max_length=count("maxLength"),
        pattern=pattern if isinstance(pattern, str) else None,
        min_items=count("minItems"),
        max_items=count("maxItems"),
    )


def field_of(
    name: str, wire: str, ftype: TypeRef, required: bool, prop: Any, resolved: Any
) -> Field:
    """A model field; annotations on the property itself (`prop`, perhaps a `$ref` with
    siblings) win over those of the schema it resolves to (`resolved`)."""
    schema = resolved if isinstance(resolved, dict) else {}
    annotated = prop if isinstance(prop, dict) else {}
    description = annotated.get("description") or schema.get("description") or ""
    default = annotated.get("default", schema.get("default", MISSING))
    example = annotated.get("example", schema.get("example", MISSING))
    return Field(
        name=name,
        wire=wire,
        type=ftype,
        required=required,
        description=str(description),
        default=MISSING if default is MISSING else jsonable(default),
        example=MISSING if example is MISSING else jsonable(example),
        constraints=constraints_of(schema),
        read_only=bool(schema.get("readOnly")),
        write_only=bool(schema.get("writeOnly")),
        deprecated=bool(annotated.get("deprecated") or schema.get("deprecated")),
    )


def merge_parts(
    parts: list[tuple[dict[str, Any], str]],
) -> tuple[dict[str, tuple[Any, str]], list[str], Any]:
    """(wire name -> (property schema, pointer), required names, `additionalProperties`) of
    the parts of a model; a later part's property or `additionalProperties` wins."""
    properties: dict[str, tuple[Any, str]] = {}
    required: list[str] = []
    additional: Any = None
    for part, part_ptr in parts:
        props = part.get("properties")
        if isinstance(props, dict):
            for key, prop in props.items():
                properties[str(key)] = (prop, jsonpointer.append(part_ptr, "properties", key))
        req = part.get("required")
        if isinstance(req, list):
            required.extend(str(r) for r in req if str(r) not in required)
        if "additionalProperties" in part:
            additional = part["additionalProperties"]
    return properties, required, additional
