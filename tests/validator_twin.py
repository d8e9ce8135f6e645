"""openapi-spec-validator's stock classes beside oagen's: what each finds in one document.

oagen's validator class (`validate.spec_validator`) must report what the stock class reports:
the same messages, in the same order, at the same paths. It locates the findings of the
validator's own checks (a `_At(node)` token, then, for `default`, the member's name, before
the path the stock class gives relative to the node checked); `twin_findings` strips that
prefix, and compares everything else as it is. A validator that stops with an exception must
stop, after the same findings, with the same exception.
"""

from __future__ import annotations

import copy
import os
from typing import Any

from generator import validate

Found = tuple[list[tuple[str, tuple[Any, ...]]], str | None]  # (message, path)s, the exception


def stock_class(version: str) -> Any:
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    return OpenAPIV31SpecValidator if version == "3.1" else OpenAPIV30SpecValidator


def guarded_stock_class(version: str) -> Any:
    """The stock class with only oagen's cycle guard on the property collection
    (`validate._acyclic`): where a schema reaches itself through `allOf`/`items`/..., the stock
    class runs out of stack, and this is what oagen's findings are compared with."""
    base = stock_class(version)
    schema = validate._acyclic(base.keyword_validators["schema"])
    return type(
        base.__name__,
        (base,),
        {"keyword_validators": {**base.keyword_validators, "schema": schema}},
    )


def run(cls: Any, doc: dict[str, Any]) -> Found:
    """Every error of `cls(doc)`, in order, then the exception it stopped with (if any)."""
    os.environ[validate._BACKEND_ENV] = "jsonschema"  # what `validate.findings` pins
    out: list[tuple[str, tuple[Any, ...]]] = []
    try:
        for err in cls(doc).iter_errors():
            out.append((str(err.message), tuple(err.path)))
    except (Exception, RecursionError) as exc:  # noqa: BLE001 - compared, not handled
        return out, f"{type(exc).__name__}: {str(exc)[:500]}"
    return out, None


def unlocated(found: Found, stock: Found) -> Found:
    """oagen's findings with each located path made relative again, as the stock class gives it
    (`_At`, and the `default` member the default checker adds, dropped)."""
    errors = []
    for index, (message, path) in enumerate(found[0]):
        if path and isinstance(path[0], validate._At):
            path = path[1:]
            theirs = stock[0][index][1] if index < len(stock[0]) else None
            if path[:1] == ("default",) and theirs != path:
                path = path[1:]
        errors.append((message, path))
    return errors, found[1]


def twin_findings(doc: dict[str, Any], version: str) -> tuple[Found, Found]:
    """(oagen's findings made comparable, the stock class's findings) on copies of `doc`."""
    stock = run(stock_class(version), copy.deepcopy(doc))
    if stock[1] is not None and stock[1].startswith("RecursionError"):
        stock = run(guarded_stock_class(version), copy.deepcopy(doc))
    ours = run(validate.spec_validator(version), copy.deepcopy(doc))
    return unlocated(ours, stock), stock
