"""Validate: a resolved document in, diagnostics out.

Checks the `openapi` version field itself (missing, Swagger 2.0, unknown) and then runs
openapi-spec-validator (3.0 or 3.1 rules). Validator findings are warnings: real specs are often
slightly invalid and oagen still generates what is sound (`--strict` makes them errors). The
builder reports, as errors, whatever it cannot map.
"""

from __future__ import annotations

from typing import Any

from generator.diagnostics import Diagnostic, SpecError, error, pointer, warning
from generator.load import SourceMap


def check_version(data: dict[str, Any], source: SourceMap) -> str:
    """Return "3.0" or "3.1", or raise `SpecError` saying why the document is not supported."""
    if "swagger" in data and "openapi" not in data:
        ptr = pointer("swagger")
        raise SpecError(
            [
                error(
                    f"Swagger {data['swagger']} is not supported: oagen reads OpenAPI 3.0 and 3.1 "
                    "(convert it first, e.g. with swagger2openapi)",
                    ptr,
                    source.file,
                    source.line_of(ptr),
                )
            ]
        )
    version = data.get("openapi")
    if version is None:
        raise SpecError(
            [
                error(
                    "missing `openapi` version field (expected 3.0.x or 3.1.x)", "#", source.file, 1
                )
            ]
        )
    text = str(version)
    ptr = pointer("openapi")
    if text.startswith("3.0"):
        return "3.0"
    if text.startswith("3.1"):
        return "3.1"
    raise SpecError(
        [
            error(
                f"unsupported OpenAPI version {text!r} (expected 3.0.x or 3.1.x)",
                ptr,
                source.file,
                source.line_of(ptr),
            )
        ]
    )


def validate(data: dict[str, Any], version: str, source: SourceMap) -> list[Diagnostic]:
    """Run openapi-spec-validator and turn each finding into a located warning."""
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    cls = OpenAPIV31SpecValidator if version == "3.1" else OpenAPIV30SpecValidator
    found: list[Diagnostic] = []
    seen: set[tuple[str, str]] = set()
    try:
        for err in cls(data).iter_errors():
            ptr = pointer(*err.path) if err.path else "#"
            message = _shorten(str(err.message))
            if (ptr, message) in seen:
                continue
            seen.add((ptr, message))
            found.append(warning(message, ptr, source.file, source.line_of(ptr)))
    except RecursionError:
        message = "validator stopped: the document nests too deeply or a $ref loops"
        found.append(warning(message, "#", source.file, 1))
    except Exception as exc:  # the validator itself can fail on documents it has already flagged
        if not found:
            text = str(exc).split(" within {", 1)[0]  # never echo the whole document
            text = _shorten(f"{type(exc).__name__}: {text}", 200)
            found.append(warning(f"validator stopped: {text}", "#", source.file, 1))
    return found


def _shorten(message: str, limit: int = 300) -> str:
    message = " ".join(message.split())
    return message if len(message) <= limit else message[: limit - 3] + "..."
