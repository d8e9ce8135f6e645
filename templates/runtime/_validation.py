"""Client-side validation: what each argument of an operation must look like (`Arg`).

Part of the runtime copied verbatim into each generated package (import it through
`_runtime`). Arguments are checked before anything is sent, so a bad value raises
`RequestValidationError` naming the argument instead of costing a round trip.
"""

from __future__ import annotations

import dataclasses
import decimal
import math
import re
from collections.abc import Mapping
from typing import Any

from ._descriptors import Descriptor, _resolve
from ._encoding import is_file
from ._errors import RequestValidationError
from ._scalars import SCALARS, accepts

# The schema constraints `Arg` accepts, as keyword names (JSON Schema's `minLength` is
# `min_length`); the generator writes them in this order.
# The options every generated method takes besides the operation's own arguments (the
# keyword-only parameters of `_call` after `args`; a next page repeats them).
CALL_OPTIONS = ("extra_headers", "extra_query", "timeout", "max_retries")
CONSTRAINTS = (
    "minimum",
    "maximum",
    "exclusive_minimum",
    "exclusive_maximum",
    "min_length",
    "max_length",
    "pattern",
    "min_items",
    "max_items",
)


@dataclasses.dataclass(frozen=True)
class Arg:
    """One argument of an operation: where it goes on the wire and what it must look like."""

    name: str
    wire: str
    location: str  # path, query, header, cookie, body
    type: Descriptor = "any"
    required: bool = False
    style: str | None = None
    explode: bool | None = None
    # the constraints (`CONSTRAINTS`, in this order)
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    min_items: int | None = None
    max_items: int | None = None


def _describe(descriptor: Descriptor) -> str:
    if isinstance(descriptor, str):
        return {
            "str": "a string",
            "int": "an integer",
            "float": "a number",
            "bool": "a boolean",
            "bytes": "bytes",
            "any": "any value",
            **SCALARS,
        }.get(descriptor, descriptor)
    kind = descriptor[0]
    if kind == "null":
        return _describe(descriptor[1]) + " or None"
    if kind == "enum":
        return "one of " + ", ".join(repr(m.value) for m in _resolve(descriptor[1]))
    if kind == "const":
        return repr(descriptor[1])
    if kind == "model":
        return f"a {descriptor[1]} (or a dict)"
    if kind == "list":
        return "a list"
    if kind == "map":
        return "a dict"
    return " or ".join(_describe(s) for s in descriptor[1])


def _type_ok(value: Any, descriptor: Descriptor) -> bool:
    if isinstance(descriptor, str) and descriptor in SCALARS:
        return accepts(value, descriptor)
    if isinstance(descriptor, str):
        if descriptor == "int":
            return isinstance(value, int) and not isinstance(value, bool)
        if descriptor == "float":
            return isinstance(value, (int, float)) and not isinstance(value, bool)
        if descriptor == "str":
            return isinstance(value, str)
        if descriptor == "bool":
            return isinstance(value, bool)
        if descriptor == "bytes":  # a `FileInput`, or text
            return isinstance(value, str) or is_file(value)
        return True
    kind = descriptor[0]
    if kind == "null":
        return value is None or _type_ok(value, descriptor[1])
    if kind == "enum":
        cls = _resolve(descriptor[1])
        return isinstance(value, cls) or any(value == m.value for m in cls)
    if kind == "model":
        return isinstance(value, (_resolve(descriptor[1]), Mapping))
    if kind == "list":
        return isinstance(value, (list, tuple)) and all(
            _type_ok(v, descriptor[1]) for v in value
        )
    if kind == "map":
        return isinstance(value, Mapping)
    if kind == "const":
        return bool(value == descriptor[1])
    if kind == "union":
        return any(_type_ok(value, s) for s in descriptor[1])
    return True


def validate(op_name: str, arg: Arg, value: Any) -> None:
    """Raise `RequestValidationError` if `value` breaks the schema of `arg`."""
    if not _type_ok(value, arg.type):
        problem: str | None = f"must be {_describe(arg.type)}, got {value!r}"
    elif isinstance(value, (int, float, decimal.Decimal)) and not isinstance(
        value, bool
    ):
        problem = _number_problem(arg, value)
    elif isinstance(value, str):
        problem = _text_problem(arg, value)
    elif isinstance(value, (list, tuple)):
        problem = _items_problem(arg, value)
    else:
        problem = None
    if problem is not None:
        raise RequestValidationError(f"{op_name}(): {arg.name} {problem}")


def _number_problem(arg: Arg, value: float | decimal.Decimal) -> str | None:
    if arg.minimum is not None and value < arg.minimum:
        return f"must be >= {arg.minimum:g}, got {value!r}"
    if arg.maximum is not None and value > arg.maximum:
        return f"must be <= {arg.maximum:g}, got {value!r}"
    if arg.exclusive_minimum is not None and value <= arg.exclusive_minimum:
        return f"must be > {arg.exclusive_minimum:g}, got {value!r}"
    if arg.exclusive_maximum is not None and value >= arg.exclusive_maximum:
        return f"must be < {arg.exclusive_maximum:g}, got {value!r}"
    if isinstance(value, (float, decimal.Decimal)) and not math.isfinite(value):
        return f"must be a finite number, got {value!r}"
    return None


def _text_problem(arg: Arg, value: str) -> str | None:
    if arg.min_length is not None and len(value) < arg.min_length:
        return f"must have at least {arg.min_length} characters"
    if arg.max_length is not None and len(value) > arg.max_length:
        return f"must have at most {arg.max_length} characters"
    if arg.pattern is not None:
        try:
            ok = re.search(arg.pattern, value) is not None
        except re.error:
            ok = True  # an ECMA-only pattern: the server will judge
        if not ok:
            return f"must match {arg.pattern!r}, got {value!r}"
    return None


def _items_problem(arg: Arg, value: list[Any] | tuple[Any, ...]) -> str | None:
    if arg.min_items is not None and len(value) < arg.min_items:
        return f"must have at least {arg.min_items} items"
    if arg.max_items is not None and len(value) > arg.max_items:
        return f"must have at most {arg.max_items} items"
    return None
