"""Chunks: parse a block-style YAML spec piece by piece, reusing the pieces parsed last time.

On the pre-commit path one operation's text changes and the rest of a 3 MB spec does not, yet
parsing it all again was the largest cost left (0.8 s for OpenAI's spec). So the text is cut
where its structure is plain to see: at each top-level key, and inside large block mappings
(`paths`, `components`, `schemas`) at each key of the mapping's own indentation. Each piece
is one `key: value` parsed on its own with the same loader, and the parsed values of pieces
are kept in the user cache keyed by the sha256 of their text: an unchanged piece is not
parsed again, and a cache entry can only ever give the value of exactly that text. (Even with
an empty cache this is faster than one parse of the whole text: 0.39 s for OpenAI's spec.)

A cut in the wrong place is refused rather than trusted: every piece must parse to a mapping
with one key, the key its header line names; a piece cut inside a quoted scalar or a flow
collection does not parse, and an alias to an anchor in another piece is undefined. A mapping
that fails this is parsed as one piece; a document with directives or several documents, or
a top level that fails, is parsed whole by the caller. tests/e2e/test_chunks.py compares the
result (values, key order, key and value types) and the line numbers with a whole parse on
every YAML file of the corpus, cut as finely as possible.

Line numbers for diagnostics come from the pieces too (`line_index`): each piece's own index,
cached by its sha256, offset to where the piece starts.

The cache stores pickles, read back with an unpickler that only builds plain data and dates.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import io
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.cache import cache_dir

SPLIT_MIN = 16 * 1024  # a block mapping smaller than this is parsed as one piece
_KEY_START_REJECT = " \t#-{}[],?&*!|>%@`"  # not the first character of a plain or quoted key


_WS = " \t\r"  # YAML's white space (str.strip would also take Unicode spaces, like U+00A0)
_OTHER_BREAKS = re.compile("[\x85\u2028\u2029]|\r(?!\n)")


class _Unsplittable(Exception):
    pass


@dataclass
class Layout:
    """Where the pieces sit in the text, to find line numbers piece by piece (`line_index`)."""

    spec_id: str
    headers: list[tuple[tuple[str, ...], int]] = field(default_factory=list)  # (path, line)
    # (path of the enclosing mapping, first line, sha256 of the text, the text), in order;
    # a header comes before the pieces inside it
    pieces: list[tuple[tuple[str, ...], int, str, str]] = field(default_factory=list)
    order: list[tuple[str, int]] = field(default_factory=list)  # ("h" or "p", position)


def parse(text: str, loader: Any, spec_id: str) -> tuple[dict[Any, Any], Layout] | None:
    """The document, from cached and freshly parsed pieces, and where the pieces are; None if
    it cannot be cut safely (or there is no cache folder): the caller parses the whole text."""
    folder = cache_dir()
    first_line = 1
    if text.startswith("---\n"):  # an explicit start of the (one) document
        text, first_line = text[4:], 2
    if folder is None or text.startswith(("---", "%")) or "\n---" in text or "\n..." in text:
        return None
    if _OTHER_BREAKS.search(text):  # line breaks YAML counts and str.split("\n") does not
        return None
    path = folder / "yaml" / (hashlib.sha256(spec_id.encode()).hexdigest() + ".pickle")
    cutter = _Cutter(text.split("\n"), loader, _read(path), Layout(spec_id), first_line)
    try:
        data = cutter.mapping(0, len(cutter.lines), 0, ())
    except (_Unsplittable, RecursionError):
        return None
    if cutter.fresh.keys() != cutter.known.keys():
        _write(path, cutter.fresh)
    return data, cutter.layout


class _Cutter:
    """One cut of one text: the pieces parsed so far, and where they sit."""

    def __init__(
        self, lines: list[str], loader: Any, known: dict[str, Any], layout: Layout, first: int
    ) -> None:
        self.lines = lines
        self.loader = loader
        self.known = known  # sha256 -> value, from the cache
        self.layout = layout
        self.first = first  # the line number of lines[0]
        self.fresh: dict[str, Any] = {}  # what the cache will hold after this run
        self.used: set[str] = set()

    def mapping(self, lo: int, hi: int, indent: int, prefix: tuple[str, ...]) -> dict[Any, Any]:
        """The block mapping whose keys sit at column `indent` in `lines[lo:hi]`."""
        lines, layout = self.lines, self.layout
        starts = [i for i in range(lo, hi) if _is_key(lines[i], indent)]
        if not starts or any(
            line.strip(_WS) and not line.lstrip(_WS).startswith("#")
            for line in lines[lo : starts[0]]
        ):
            raise _Unsplittable  # something before the first key that is not a comment
        out: dict[Any, Any] = {}
        for n, start in enumerate(starts):
            end = starts[n + 1] if n + 1 < len(starts) else hi
            key, raw, nested = _nested(lines[start:end], indent, self.loader)
            if nested is not None and sum(len(line) + 1 for line in lines[start:end]) >= SPLIT_MIN:
                mark = (len(layout.order), len(layout.headers), len(layout.pieces))
                try:
                    layout.order.append(("h", len(layout.headers)))
                    layout.headers.append(((*prefix, raw), self.first + start))
                    out[key] = self.mapping(start + 1, end, nested, (*prefix, raw))
                    continue
                except _Unsplittable:  # not a plain block mapping after all: one piece
                    del layout.order[mark[0] :], layout.headers[mark[1] :]
                    del layout.pieces[mark[2] :]
            # the piece's own text: its lines and the line break after the last (if any)
            piece = "\n".join(lines[start:end]) + ("\n" if end < len(lines) else "")
            value = self.value_of(piece, prefix, start)
            if not isinstance(value, dict) or len(value) != 1:
                raise _Unsplittable
            ((parsed_key, parsed_value),) = value.items()
            if key is not None and parsed_key != key:
                raise _Unsplittable
            out[parsed_key] = parsed_value
        return out

    def value_of(self, piece: str, prefix: tuple[str, ...], start: int) -> Any:
        digest = hashlib.sha256(piece.encode("utf-8", "surrogatepass")).hexdigest()
        self.layout.order.append(("p", len(self.layout.pieces)))
        self.layout.pieces.append((prefix, self.first + start, digest, piece))
        if digest in self.fresh:
            return copy.deepcopy(self.fresh[digest])
        if digest in self.known:
            found = self.known[digest]
        else:
            try:
                found = yaml.load(piece, Loader=self.loader)
            except yaml.YAMLError:
                raise _Unsplittable from None
        self.fresh[digest] = found
        if digest in self.used:  # the same text twice: do not share one object
            return copy.deepcopy(found)
        self.used.add(digest)
        return found


def line_index(layout: Layout, index_of: Any) -> dict[tuple[str, ...], int]:
    """The document's line index (path -> line) from each piece's own, offset to its place.

    `index_of(text)` indexes one text; a piece's index is kept in the cache by the piece's
    sha256 (relative lines), so only the pieces that changed are indexed again.
    """
    folder = cache_dir()
    path = None
    if folder is not None:
        name = hashlib.sha256(layout.spec_id.encode()).hexdigest() + ".lines.pickle"
        path = folder / "yaml" / name
    known = _read(path) if path is not None else {}
    fresh: dict[str, Any] = {}
    index: dict[tuple[str, ...], int] = {(): 1}
    for kind, position in layout.order:
        if kind == "h":
            key_path, line = layout.headers[position]
            index.setdefault(key_path, line)
            continue
        prefix, first, digest, text = layout.pieces[position]
        own = fresh.get(digest) or known.get(digest)
        if own is None:
            own = index_of(text)
        fresh[digest] = own
        for rel, line in own.items():
            if rel:
                index.setdefault(prefix + rel, first + line - 1)
    if path is not None and fresh.keys() != known.keys():
        _write(path, fresh)
    return index


def _is_key(line: str, indent: int) -> bool:
    return (
        len(line) > indent
        and line[:indent] == " " * indent
        and line[indent] not in _KEY_START_REJECT
        and not line.startswith(("---", "..."), indent)
    )


def _nested(piece: list[str], indent: int, loader: Any) -> tuple[Any, str, int | None]:
    """(the key of `piece`'s header line, as parsed and as written, and the indent of the block
    mapping it opens); (None, "", None) if it opens none."""
    header = piece[0]
    if not header.rstrip(_WS).endswith(":") or header.lstrip(_WS).startswith(("?", "&", "*", "!")):
        return None, "", None
    try:
        text = header.strip(_WS) + "\n"
        parsed = yaml.load(text, Loader=loader)
        raw = next(
            e.value for e in yaml.parse(text, Loader=loader) if isinstance(e, yaml.ScalarEvent)
        )
    except (yaml.YAMLError, StopIteration):
        return None, "", None
    if not isinstance(parsed, dict) or len(parsed) != 1 or next(iter(parsed.values())) is not None:
        return None, "", None
    key = next(iter(parsed))
    for line in piece[1:]:
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        depth = len(line) - len(stripped)
        if depth > indent and stripped[0] not in _KEY_START_REJECT:
            return key, raw, depth
        return None, "", None  # a sequence, a scalar or something unusual: one piece
    return None, "", None


class _Restricted(pickle.Unpickler):
    """Builds plain data only: the YAML loader's values plus dates and times."""

    _ALLOWED = {
        ("datetime", "date"): datetime.date,
        ("datetime", "datetime"): datetime.datetime,
        ("datetime", "timedelta"): datetime.timedelta,
        ("datetime", "timezone"): datetime.timezone,
    }

    def find_class(self, module: str, name: str) -> Any:
        try:
            return self._ALLOWED[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(f"{module}.{name} is not plain data") from None


def _read(path: Path) -> dict[str, Any]:
    try:
        data = _Restricted(io.BytesIO(path.read_bytes())).load()
    except Exception:  # noqa: BLE001 - a missing or damaged entry is only a cache miss
        return {}
    return data if isinstance(data, dict) else {}


def _write(path: Path, pieces: dict[str, Any]) -> None:
    import os

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temp.write_bytes(pickle.dumps(pieces, protocol=5))
        os.replace(temp, path)
    except (OSError, pickle.PicklingError, RecursionError, TypeError):
        pass
