"""The build stage's context: one resolved OpenAPI document, and the findings made while reading it.

`Document` holds the tree (`data`, as `resolve` left it: internal `#/...` references still
references), the `SourceMap` that turns a JSON pointer into a line of the spec file, and the one
diagnostics sink of the build stage: the builder and the schema walker report through `warn` and
`fail`, so every finding carries the file, the line and the pointer. `lookup` and `deref` follow
internal references (any `#/...` pointer, not only components); a reference loop or a dangling
reference is reported and read as an empty mapping. Pointers are written with `generator.pointer`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from generator import pointer as jsonpointer
from generator.diagnostics import Diagnostic, error, warning
from generator.load import SourceMap


class Document:
    """One resolved document, its source map and the diagnostics found in it (in order)."""

    def __init__(self, data: dict[str, Any], source: SourceMap) -> None:
        self.data = data
        self.source = source
        self._located: list[Diagnostic] = []
        self._pending: list[Diagnostic] = []  # not yet located (line None)

    # -- diagnostics -------------------------------------------------------------------------
    @property
    def diagnostics(self) -> list[Diagnostic]:
        """The findings so far, in order, each with its line in the spec file.

        Findings are located in batches, when read: one pass over the spec text finds the
        lines of all of them (`SourceMap.lines_of`), without keeping an index of every node
        (on github.json that index is 258,000 entries and ~70 MiB)."""
        if self._pending:
            lines = self.source.lines_of(d.pointer for d in self._pending)
            self._located += [replace(d, line=lines[d.pointer]) for d in self._pending]
            self._pending = []
        return list(self._located)

    def unlocated(self) -> list[Diagnostic]:
        """The findings so far, in order, without their lines (for callers that locate them
        in another text)."""
        return [replace(d, line=None) for d in self._located] + list(self._pending)

    def warn(self, message: str, ptr: str) -> None:
        """Record a warning at `ptr` (located in the spec file through the source map)."""
        self._pending.append(warning(message, ptr, self.source.file))

    def fail(self, message: str, ptr: str) -> None:
        """Record an error at `ptr` (located in the spec file through the source map)."""
        self._pending.append(error(message, ptr, self.source.file))

    # -- the tree ----------------------------------------------------------------------------
    def components(self, kind: str) -> dict[str, Any]:
        """`components.<kind>` (e.g. "schemas"), or {} where it is absent or not a mapping."""
        components = self.data.get("components")
        found = components.get(kind) if isinstance(components, dict) else None
        return found if isinstance(found, dict) else {}

    def lookup(self, ref: str) -> Any | None:
        """The node an internal reference (``#/...``) names, else None (also for other refs)."""
        if not ref.startswith("#"):
            return None
        found, node = jsonpointer.follow(self.data, jsonpointer.split(ref))
        return node if found else None

    def deref(self, node: Any, ptr: str) -> tuple[Any, str]:
        """(`node`, `ptr`), or what its `$ref` chain ends at and the pointer of that.

        A loop or a reference that points nowhere is reported as an error and gives ({}, the
        pointer where the chain stopped).
        """
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                self.fail(f"reference loop through {ref!r}", ptr)
                return {}, ptr
            seen.add(ref)
            target = self.lookup(ref)
            if target is None:
                self.fail(f"reference {ref!r} points nowhere", ptr + "/$ref")
                return {}, ptr
            node, ptr = target, ref
        return node, ptr
