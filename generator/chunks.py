"""Chunks: parse a block-style YAML spec piece by piece, reusing the pieces parsed last time.

On the pre-commit path one operation's text changes and the rest of a 3 MB spec does not, yet
parsing it all again is the largest cost left (0.7 s for OpenAI's spec). So the text is cut
where its structure is plain to see: at each top-level key, and inside large block mappings
(`paths`, `components`, `schemas`) at each key of the mapping's own indentation. Each piece
is one `key: value` parsed on its own with the same loader, and the parsed values of pieces
are kept in the user cache keyed by the sha256 of their text: an unchanged piece is not
parsed again, and a cache entry can only ever give the value of exactly that text.

A cut in the wrong place cannot pass unnoticed: every piece must parse to a mapping with one
key, the key its header line names; a piece cut inside a quoted scalar or a flow collection
does not parse, and an alias to an anchor in another piece is undefined. Any such failure,
and any document with directives or several documents, falls back to parsing the whole text
(the caller's path), so the result is always what parsing the whole text gives.

The cache stores pickles, read back with an unpickler that only builds plain data and dates.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import io
import pickle
from pathlib import Path
from typing import Any

import yaml

from generator.cache import cache_dir

SPLIT_MIN = 16 * 1024  # a block mapping smaller than this is parsed as one piece
_KEY_START_REJECT = " \t#-{}[],?&*!|>%@`"  # not the first character of a plain or quoted key


class _Unsplittable(Exception):
    pass


def parse(text: str, loader: Any, spec_id: str) -> dict[Any, Any] | None:
    """The document, from cached and freshly parsed pieces; None if it cannot be cut safely
    (or there is no cache folder), and the caller parses the whole text."""
    folder = cache_dir()
    if text.startswith("---\n"):  # an explicit start of the (one) document
        text = text[4:]
    if folder is None or text.startswith(("---", "%")) or "\n---" in text or "\n..." in text:
        return None
    path = folder / "yaml" / (hashlib.sha256(spec_id.encode()).hexdigest() + ".pickle")
    known = _read(path)
    fresh: dict[str, Any] = {}
    used: set[str] = set()

    def value_of(piece: str) -> Any:
        digest = hashlib.sha256(piece.encode("utf-8", "surrogatepass")).hexdigest()
        if digest in fresh:
            return copy.deepcopy(fresh[digest])
        if digest in known:
            found = known[digest]
        else:
            try:
                found = yaml.load(piece, Loader=loader)
            except yaml.YAMLError:
                raise _Unsplittable from None
        fresh[digest] = found
        if digest in used:  # the same text twice: do not share one object
            return copy.deepcopy(found)
        used.add(digest)
        return found

    lines = text.split("\n")
    try:
        data = _mapping(lines, 0, len(lines), 0, value_of, loader)
    except (_Unsplittable, RecursionError):
        return None
    if fresh.keys() != known.keys():
        _write(path, fresh)
    return data


def _mapping(
    lines: list[str], lo: int, hi: int, indent: int, value_of: Any, loader: Any
) -> dict[Any, Any]:
    """The block mapping whose keys sit at column `indent` in `lines[lo:hi]`."""
    starts = [i for i in range(lo, hi) if _is_key(lines[i], indent)]
    if not starts or any(
        line.strip() and not line.lstrip().startswith("#") for line in lines[lo : starts[0]]
    ):
        raise _Unsplittable  # something before the first key that is not a comment
    out: dict[Any, Any] = {}
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else hi
        key, nested = _nested(lines[start:end], indent, loader)
        if nested is not None and sum(len(line) + 1 for line in lines[start:end]) >= SPLIT_MIN:
            try:
                out[key] = _mapping(lines, start + 1, end, nested, value_of, loader)
                continue
            except _Unsplittable:
                pass  # not a plain block mapping after all: this piece is parsed whole
        # the piece's own text: its lines and the line break after the last (if the text has one)
        piece = "\n".join(lines[start:end]) + ("\n" if end < len(lines) else "")
        value = value_of(piece)
        if not isinstance(value, dict) or len(value) != 1:
            raise _Unsplittable
        ((parsed_key, parsed_value),) = value.items()
        if key is not None and parsed_key != key:
            raise _Unsplittable
        out[parsed_key] = parsed_value
    return out


def _is_key(line: str, indent: int) -> bool:
    return (
        len(line) > indent
        and line[:indent] == " " * indent
        and line[indent] not in _KEY_START_REJECT
        and not line.startswith(("---", "..."), indent)
    )


def _nested(piece: list[str], indent: int, loader: Any) -> tuple[Any, int | None]:
    """(the key of `piece`'s header line if it opens a block mapping, that mapping's indent)."""
    header = piece[0]
    if not header.rstrip().endswith(":") or header.lstrip().startswith(("?", "&", "*", "!")):
        return None, None
    try:
        parsed = yaml.load(header.strip() + "\n", Loader=loader)
    except yaml.YAMLError:
        return None, None
    if not isinstance(parsed, dict) or len(parsed) != 1 or next(iter(parsed.values())) is not None:
        return None, None
    key = next(iter(parsed))
    for line in piece[1:]:
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        depth = len(line) - len(stripped)
        if depth > indent and stripped[0] not in _KEY_START_REJECT:
            return key, depth
        return None, None  # a sequence, a scalar or something unusual: one piece
    return None, None


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
