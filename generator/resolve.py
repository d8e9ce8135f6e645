"""Resolve: a parsed document in, one tree with every external file reference inlined out.

External file `$ref`s are inlined by prance's `RefResolver` with `resolve_types=RESOLVE_FILES`;
internal `#/components/...` references stay references so that component names survive into
the IR, and keywords beside a `$ref` (OpenAPI 3.1) are kept. Before prance sees the tree every
`$ref` is checked: remote references (any URL scheme) are refused without opening a connection,
and file references must stay inside the spec's folder. `$ref`s inside `x-` extensions and
`example`/`examples` values are data and are never followed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, SpecError, error, pointer
from generator.load import SourceMap

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_DATA_KEYS = frozenset({"example", "examples", "default", "const", "enum"})


def iter_refs(node: Any, path: tuple[object, ...] = ()) -> Iterator[tuple[tuple[object, ...], str]]:
    """Every `$ref` string in the tree with its location, skipping `x-` extensions and examples."""
    stack: list[tuple[Any, tuple[object, ...]]] = [(node, path)]
    while stack:
        current, where = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str):
                yield where, ref
            for key, value in current.items():
                if isinstance(key, str) and (key.startswith("x-") or key in _DATA_KEYS):
                    continue
                if key == "$ref":
                    continue
                if isinstance(value, (dict, list)):
                    stack.append((value, (*where, key)))
        elif isinstance(current, list):
            for index, value in enumerate(current):
                if isinstance(value, (dict, list)):
                    stack.append((value, (*where, index)))


def check_refs(data: dict[str, Any], spec_path: Path, source: SourceMap) -> list[tuple[tuple[object, ...], str]]:
    """Refuse remote refs and refs that leave the spec's folder; return the external file refs."""
    root = spec_path.resolve().parent
    problems: list[Diagnostic] = []
    external: list[tuple[tuple[object, ...], str]] = []
    for where, ref in iter_refs(data):
        if ref.startswith("#"):
            continue
        ptr = pointer(*where, "$ref")
        if _SCHEME.match(ref) and not re.match(r"^[A-Za-z]:[\\/]", ref):
            problems.append(
                error(f"remote reference {ref!r} refused: oagen never fetches URLs", ptr, source.file, source.line_of(ptr))
            )
            continue
        file_part = ref.split("#", 1)[0]
        target = (root / file_part).resolve() if not os.path.isabs(file_part) else Path(file_part).resolve()
        if not target.is_relative_to(root):
            problems.append(
                error(
                    f"file reference {ref!r} leaves the spec's folder ({root}): refused",
                    ptr,
                    source.file,
                    source.line_of(ptr),
                )
            )
            continue
        if not target.is_file():
            problems.append(error(f"file reference {ref!r}: no such file", ptr, source.file, source.line_of(ptr)))
            continue
        external.append((where, ref))
    if problems:
        raise SpecError(problems)
    return external


def resolve(data: dict[str, Any], spec_path: Path, source: SourceMap) -> dict[str, Any]:
    """Inline external file references with prance; internal refs are left in place."""
    external = check_refs(data, spec_path, source)
    if not external:
        return data  # nothing to inline: skip prance entirely (and its imports)
    from prance.util.resolver import RESOLVE_FILES, RefResolver
    from prance.util.url import ResolutionError, absurl

    url = absurl(spec_path.resolve().as_uri())
    resolver = RefResolver(data, url, resolve_types=RESOLVE_FILES)
    try:
        resolver.resolve_references()
    except (ResolutionError, OSError, ValueError) as exc:
        raise SpecError([error(f"cannot resolve file references: {exc}", file=source.file)]) from None
    resolved = resolver.specs
    assert isinstance(resolved, dict)
    return resolved
