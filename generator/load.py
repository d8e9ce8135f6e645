"""Load: a spec file's bytes in, a parsed document (plus a way to find line numbers) out.

Reads the file with a size cap, parses JSON with `json` and YAML with PyYAML's C loader
(`CSafeLoader`, falling back to `SafeLoader`), never touches the network, and refuses YAML alias
bombs and alias cycles by measuring the expanded size of the parsed tree without expanding it.
Line numbers are only needed for diagnostics, so they are computed lazily (`SourceMap`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator import chunks
from generator import pointer as jsonpointer
from generator.diagnostics import SpecError, error

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # C loader when PyYAML has it

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
DEFAULT_MAX_NODES = 5_000_000


@dataclass
class SourceMap:
    """Finds the line of a JSON pointer in the original text, on demand.

    The first call indexes every mapping key and sequence item by its path, from YAML's event
    stream (no tags resolved, no nodes built: about half the cost of `yaml.compose`); a pointer
    to something absent gets the line of its nearest existing ancestor.
    """

    file: str
    # the spec's text, or its bytes (UTF-8), decoded each time lines are looked up: held as a
    # `str`, a 13 MB spec with one emoji in it takes 4 bytes per character (github.json: 50 MiB)
    text: str | bytes
    layout: chunks.Layout | None = field(default=None, repr=False)  # when parsed in pieces
    _index: dict[tuple[str, ...], int] | None = field(default=None, repr=False)
    _by_last: dict[str, list[tuple[str, ...]]] | None = field(default=None, repr=False)

    def absolute(self, pointer: str) -> tuple[str, int]:
        """(`pointer`, 0) if it names something in the document, else (the first place whose
        path ends with it, how many other places do) -- openapi-spec-validator reports findings
        inside a schema relative to that schema -- else (`pointer`, 0)."""
        tokens = jsonpointer.split(pointer)
        index = self._lines()
        if len(tokens) < 3 or tokens in index:  # a shorter tail matches too much to mean much
            return pointer, 0
        if self._by_last is None:
            self._by_last = {}
            for path in index:
                if path:
                    self._by_last.setdefault(path[-1], []).append(path)
        size = len(tokens)
        found = [p for p in self._by_last.get(tokens[-1], ()) if p[-size:] == tokens]
        if not found or len(found) > 20:
            return pointer, 0
        first = jsonpointer.join(*found[0])
        return first, len(found) - 1

    def _lines(self) -> dict[tuple[str, ...], int]:
        if self._index is None:
            try:
                self._index = self._build_index()
            except (yaml.YAMLError, RecursionError):
                self._index = {}
        return self._index

    def _build_index(self) -> dict[tuple[str, ...], int]:
        return _piecewise_or_whole(self)

    def line_of(self, pointer: str) -> int | None:
        """The line of `pointer`, else of its nearest existing ancestor; None if unknown."""
        return _find(self._lines(), jsonpointer.split(pointer))

    def lines_of(self, pointers: Iterable[str]) -> dict[str, int | None]:
        """`line_of` of each pointer, in one pass over the text that keeps only the lines of
        these pointers and their ancestors (the whole index is kept only once built, or
        when the document was parsed in pieces, whose indexes are cached)."""
        paths = {p: jsonpointer.split(p) for p in pointers}
        if self._index is not None or self.layout is not None or len(paths) <= 1:
            return {p: self.line_of(p) for p in paths}
        wanted = {path[:n] for path in paths.values() for n in range(len(path) + 1)}
        text = self.decoded()
        try:
            index = _json_line_index(text, wanted) if _is_json(text) else None
        except (ValueError, IndexError, RecursionError):  # not JSON after all: read as YAML
            index = None
        try:
            index = _line_index(text, wanted) if index is None else index
        except (yaml.YAMLError, RecursionError):
            index = {}
        return {p: _find(index, path) for p, path in paths.items()}

    def decoded(self) -> str:
        """The spec's text."""
        return self.text if isinstance(self.text, str) else self.text.decode("utf-8-sig")


def _find(index: dict[tuple[str, ...], int], path: tuple[str, ...]) -> int | None:
    if not index:
        return None
    while path and path not in index:
        path = path[:-1]
    return index.get(path, 1)


def _piecewise_or_whole(source: SourceMap) -> dict[tuple[str, ...], int]:
    if source.layout is not None:
        return chunks.line_index(source.layout, _line_index)
    return _line_index(source.decoded())


_SURROGATES = re.compile(
    r"\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})|\\u[dD][89a-fA-F][0-9a-fA-F]{2}"
)


def _pair(match: re.Match[str]) -> str:
    """A JSON surrogate-pair escape as the character it stands for (a lone one as U+FFFD)."""
    if match.group(1) is None:
        return "\\ufffd"
    high, low = int(match.group(1), 16), int(match.group(2), 16)
    return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))


def _line_index(
    text: str, wanted: Container[tuple[str, ...]] | None = None
) -> dict[tuple[str, ...], int]:
    """path (tuple of pointer tokens) -> 1-based line, for every key and item in the document
    (only the paths in `wanted`, when given).

    JSON's surrogate-pair escapes (`"\\ud83d\\udc4d"`), which YAML's scanner refuses, are read
    as the characters they stand for first (lines do not move).
    """
    if "\\u" in text:
        text = _SURROGATES.sub(_pair, text)
    index: dict[tuple[str, ...], int] = {(): 1}
    stack: list[list[Any]] = []  # [is_mapping, path, pending key or next item index]
    event: Any
    for event in yaml.parse(text, Loader=_Loader):
        kind = type(event)
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            stack.pop()
            continue
        if kind not in _NODE_EVENTS:
            continue
        path: tuple[str, ...] = ()
        if stack:
            top = stack[-1]
            if top[0]:  # a mapping: a key, then its value
                if top[2] is None:
                    key = event.value if kind is yaml.ScalarEvent else "?"
                    top[2] = key
                    keyed = (*top[1], key)
                    if wanted is None or keyed in wanted:
                        index.setdefault(keyed, event.start_mark.line + 1)
                    if kind is yaml.ScalarEvent or kind is yaml.AliasEvent:
                        continue
                    path = (*top[1], "?")  # a complex key: indexed under "?"
                else:
                    path = (*top[1], top[2])
                    top[2] = None
            else:
                path = (*top[1], str(top[2]))
                top[2] += 1
                if wanted is None or path in wanted:
                    index.setdefault(path, event.start_mark.line + 1)
        if kind is yaml.MappingStartEvent:
            stack.append([True, path, None])
        elif kind is yaml.SequenceStartEvent:
            stack.append([False, path, 0])
    return index


def _is_json(text: str) -> bool:
    return text.lstrip().startswith(("{", "["))


_SPACE = re.compile(r"[ \t\n\r]*")
_SKIP = json.JSONDecoder().raw_decode
_STRING: Any = getattr(json.decoder, "scanstring")  # noqa: B009 - untyped in typeshed


def _json_line_index(text: str, wanted: Container[tuple[str, ...]]) -> dict[tuple[str, ...], int]:
    """`_line_index(text, wanted)` for JSON text, without reading all of it in Python: the
    walk enters only the objects and arrays on the way to a wanted path and skips every other
    value with `json`'s C decoder (on github.json about 10x faster than the YAML events).
    Raises ValueError (or IndexError) where the text is not JSON."""
    index: dict[tuple[str, ...], int] = {(): 1}
    counted = [0, 1]  # [position, its line]: positions are visited in increasing order

    def line_at(pos: int) -> int:
        counted[1] += text.count("\n", counted[0], pos)
        counted[0] = pos
        return counted[1]

    def value(pos: int, path: tuple[str, ...]) -> int:
        """Walk the value at `pos` (no space before it); the position after it."""
        opener = text[pos]
        if opener not in "{[":
            return _SKIP(text, pos)[1]
        closer, n = ("}" if opener == "{" else "]"), 0
        pos = _SPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
        if text[pos] == closer:
            return pos + 1
        while True:
            if opener == "{":
                if text[pos] != '"':
                    raise ValueError("a key must be a string")
                key, after = _STRING(text, pos + 1)
                item = (*path, key)
                if item in wanted:
                    index.setdefault(item, line_at(pos))
                pos = _SPACE.match(text, after).end()  # type: ignore[union-attr]
                if text[pos] != ":":
                    raise ValueError("':' expected")
                pos = _SPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
            else:
                item = (*path, str(n))
                n += 1
                if item in wanted:
                    index.setdefault(item, line_at(pos))
            pos = value(pos, item) if item in wanted else _SKIP(text, pos)[1]
            pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
            if text[pos] == closer:
                return pos + 1
            if text[pos] != ",":
                raise ValueError("',' expected")
            pos = _SPACE.match(text, pos + 1).end()  # type: ignore[union-attr]

    value(_SPACE.match(text).end(), ())  # type: ignore[union-attr]
    return index


_NODE_EVENTS = (
    yaml.ScalarEvent,
    yaml.AliasEvent,
    yaml.MappingStartEvent,
    yaml.SequenceStartEvent,
)


@dataclass
class LoadedSpec:
    path: Path
    data: dict[str, Any]
    sha256: str
    source: SourceMap


def load(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, display: str | None = None
) -> LoadedSpec:
    """Read and parse `path`. Raises `SpecError` with located diagnostics on any failure."""
    name = display or str(path)
    try:
        if path.is_dir():
            raise SpecError([error("is a folder, not a spec file", file=name)])
        size = path.stat().st_size
        if size > max_bytes:
            raise SpecError(
                [
                    error(
                        f"file is {size} bytes, over the {max_bytes}-byte limit (--max-bytes)",
                        file=name,
                    )
                ]
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SpecError([error("no such file", file=name)]) from None
    except PermissionError:
        raise SpecError([error("permission denied", file=name)]) from None
    except OSError as exc:
        raise SpecError([error(f"cannot read: {exc.strerror or exc}", file=name)]) from None
    data, layout = _parse(raw, name, cache_key=str(path.resolve()))
    source = SourceMap(name, raw, layout)
    return LoadedSpec(path, data, hashlib.sha256(raw).hexdigest(), source)


def parse(raw: bytes, name: str) -> dict[str, Any]:
    """Parse JSON or YAML bytes into a mapping, or raise `SpecError`."""
    return _parse(raw, name, None)[0]


def _parse(
    raw: bytes, name: str, cache_key: str | None
) -> tuple[dict[str, Any], chunks.Layout | None]:
    """`parse`; with a `cache_key` (the spec's path), YAML is parsed piece by piece and the
    unchanged pieces come from the user cache (`chunks`), else it is parsed whole."""
    layout = None
    if not raw.strip():
        raise SpecError([error("empty file: expected an OpenAPI document", file=name, line=1)])
    if b"\x00" in raw:
        raise SpecError([error("binary data (NUL bytes): not a JSON or YAML document", file=name)])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
        raise SpecError([error("not valid UTF-8 text", file=name, line=bad_line)]) from None
    data: Any
    is_json = _is_json(text)
    if is_json:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SpecError(
                [error(f"invalid JSON: {exc.msg}", file=name, line=exc.lineno)]
            ) from None
        except RecursionError:
            raise SpecError([error("invalid JSON: nested too deeply", file=name)]) from None
    else:
        try:
            pieces = chunks.parse(text, _Loader, cache_key) if cache_key else None
            if pieces is None:
                data = yaml.load(text, Loader=_Loader)
            else:
                data, layout = pieces
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            line: int | None = mark.line + 1 if mark is not None else None
            problem = exc.problem or str(exc)
            raise SpecError([error(f"invalid YAML: {problem}", file=name, line=line)]) from None
        except yaml.YAMLError as exc:
            raise SpecError([error(f"invalid YAML: {exc}", file=name)]) from None
        except RecursionError:
            raise SpecError([error("invalid YAML: nested too deeply", file=name)]) from None
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "nothing"
        raise SpecError(
            [error(f"expected a mapping at the top level, found {kind}", file=name, line=1)]
        )
    if not is_json:  # JSON has no aliases: its tree is as large as its text (`max_bytes`)
        _check_size(data, name)
    return data, layout


def _check_size(data: Any, name: str, max_nodes: int = DEFAULT_MAX_NODES) -> None:
    """Refuse alias bombs and alias cycles: count the expanded tree without expanding it."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        node, done = stack.pop()
        if not isinstance(node, (dict, list)):
            continue
        key = id(node)
        children = list(node.values()) if isinstance(node, dict) else node
        if done:
            on_path.discard(key)
            total = 1
            for child in children:
                total += sizes.get(id(child), 1) if isinstance(child, (dict, list)) else 1
            sizes[key] = total
            if total > max_nodes:
                raise SpecError(
                    [
                        error(
                            f"document expands to over {max_nodes} nodes (YAML alias bomb?)",
                            file=name,
                        )
                    ]
                )
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise SpecError([error("YAML alias refers to itself (cycle)", file=name)])
        on_path.add(key)
        stack.append((node, True))
        for child in children:
            if isinstance(child, (dict, list)) and id(child) not in sizes:
                if id(child) in on_path:
                    raise SpecError([error("YAML alias refers to itself (cycle)", file=name)])
                stack.append((child, False))
