"""The IR of an earlier run, reused when only operations' text changed (part of the build stage).

The usual edit of a spec is an operation's `summary` or `description`. Building the IR of a
large spec takes seconds (github.json: ~6,600 schemas walked, every name decided globally), yet
such an edit changes nothing in the IR but that operation's `summary` and `description`. So the
builder's result is kept in the user cache under a key of the document with exactly those
texts left out (`text_blind_key`), and a run whose key matches takes the stored IR and puts
each operation's current text back in (`patch_texts`).

Where the build reads those texts for anything else, the key keeps what it reads:
- a `description` gives the CLI usage line (`cli_usage.usage_line`): the key holds that line;
- a `summary` gives the CLI words of an operation without a usable operationId
  (`build._Builder._cli_words`): such an operation's summary stays in the key as it is.
Non-string values, path items behind a `$ref` and everything else stay in the key unchanged.
The builder's findings are stored without their lines and located again in the new text,
unless it differs from the text they were last located in within one line (`_locate`: no line
break in what changed) while its document has the same key and keys in the same places.
The equality of a reused IR with a fresh build is what tests/e2e/test_incremental_edits.py
checks on random edits.

Beside the IR, `Known` records what else holds for every document with one key, so that the
pipeline need not find it out again on the next text edit: that the document refers to no
file (resolving it is skipped) and, with the same `text_layout` (where the operations' texts
stand), the validator's verdict key (its blanked copy of the whole document is not made).
"""

from __future__ import annotations

import gc
import hashlib
import json
import pickle
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from generator import cli_usage, naming
from generator import pointer as jsonpointer
from generator.build import METHODS, build_unlocated
from generator.cache import code_fingerprint, read_text, write_text
from generator.diagnostics import Diagnostic, Severity
from generator.load import SourceMap
from generator.model import Api

_FORMAT = 1
_TEXTS = ("summary", "description")
_KNOWN = "keys.json"


def _blind_operation(op: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in op.items() if k not in _TEXTS or not isinstance(v, str)}
    description = op.get("description")
    text = description if isinstance(description, str) else ""  # as `cli_usage` reads it
    out["\0usage"] = cli_usage.usage_line(text, op.get("x-cli-usage"))
    operation_id = op.get("operationId")
    named = isinstance(operation_id, str) and bool(naming.words(operation_id))
    if isinstance(op.get("summary"), str) and not named:
        out["summary"] = op["summary"]  # its CLI words may come from the summary
    return out


def text_blind_key(data: dict[str, Any]) -> str | None:
    """sha256 of the document with each operation's summary and description left out (but for
    what the build derives from them), and of oagen's code; None if it cannot be made."""
    paths = data.get("paths")
    blind: dict[str, Any] = dict(data)
    if isinstance(paths, dict):
        blind_paths: dict[Any, Any] = {}
        for path, item in paths.items():
            if isinstance(item, dict) and "$ref" not in item:
                item = {
                    k: _blind_operation(v) if k in METHODS and isinstance(v, dict) else v
                    for k, v in item.items()
                }
            blind_paths[path] = item
        blind["paths"] = blind_paths
    try:
        text = pickle.dumps((_FORMAT, code_fingerprint(), blind), protocol=5)
    except (RecursionError, pickle.PicklingError, TypeError, ValueError):
        return None
    return hashlib.sha256(text).hexdigest()


@dataclass(frozen=True)
class Known:
    """What holds for every document whose `text_blind_key` is `build` (kept beside the IR, in
    `keys.json`), so that a run whose key matches need not find it out again:

    - `validate`: the validator's verdict key (`validate.text_blind_key`) of the documents
      whose `text_layout` is also `layout` (None: unknown). Two documents with one key and one
      layout differ at most in the string `summary` and `description` of operations, at the
      same places (the layout: an operation's keys, in order), which the validator's key
      blanks (it blanks every such string); elsewhere this key's pickle tells apart whatever
      that key's JSON does (types, key order): it is never coarser;
    - `single_file`: every `$ref` of the document points inside it (`resolve.check_refs` found
      no file reference), so resolving returns it as it is. Texts are strings, never
      references: documents with this key have the same `$ref`s at the same places.
    """

    build: str
    layout: str | None
    validate: str | None
    single_file: bool


def read_known(folder: Path | None) -> Known | None:
    """The `Known` record stored in `folder`, or None."""
    text = read_text(folder / _KNOWN) if folder is not None else None
    try:
        data = json.loads(text) if text else None
    except ValueError:
        return None
    if not (isinstance(data, dict) and data.get("format") == _FORMAT):
        return None
    build_key, single = data.get("build"), data.get("single_file")
    if not isinstance(build_key, str) or not isinstance(single, bool):
        return None
    layout, validate = (data.get(k) for k in ("layout", "validate"))
    if not (isinstance(layout, str) and isinstance(validate, str)):
        layout = validate = None
    return Known(build_key, layout, validate, single)


def write_known(folder: Path | None, known: Known) -> None:
    if folder is not None:
        record = {"format": _FORMAT, **asdict(known)}
        write_text(folder / _KNOWN, json.dumps(record, sort_keys=True))


def text_layout(data: dict[str, Any]) -> str | None:
    """sha256 of the keys, in order, of each operation whose texts `text_blind_key` leaves out:
    beside that key, where those texts stand (`Known`); None if it cannot be made."""
    paths = data.get("paths")
    layout: list[tuple[Any, ...]] = []
    if isinstance(paths, dict):
        for item in paths.values():
            if isinstance(item, dict) and "$ref" not in item:
                layout.extend(
                    tuple(v) for k, v in item.items() if k in METHODS and isinstance(v, dict)
                )
    try:
        return hashlib.sha256(pickle.dumps(layout, protocol=5)).hexdigest()
    except (RecursionError, pickle.PicklingError, TypeError, ValueError):
        return None


def patch_texts(api: Api, data: dict[str, Any]) -> Api:
    """`api` with each operation's summary and description read again from `data`."""
    operations = []
    for op in api.operations:
        found, node = jsonpointer.follow(data, jsonpointer.split(op.pointer))
        node = node if found and isinstance(node, dict) else {}
        summary, description = (_text(node.get(key)) for key in _TEXTS)
        if summary != op.summary or description != op.description:
            op = replace(op, summary=summary, description=description)
        operations.append(op)
    return replace(api, operations=tuple(operations))


def _text(value: Any) -> str:  # as the builder reads an operation's text
    return value if isinstance(value, str) else "" if value is None else str(value)


Found = list[tuple[str, str, str]]  # (severity, message, pointer), not located


def build(
    data: dict[str, Any],
    source: SourceMap,
    folder: Path | None,
    before_store: Callable[[], None] = lambda: None,
    key: str | None = None,
    layout: str | None = None,
) -> tuple[Api, list[Diagnostic]]:
    """`build.build_api(data, source)`, reusing the stored IR when only texts changed.

    `folder`: where the one stored build lives (None: build, store nothing). `before_store` is
    called before a new IR is stored and read back (the pipeline waits there for the forked
    validator: storing holds the IR about twice, and the two peaks must not meet). `key`:
    `text_blind_key(data)` when the caller made it already; `layout`: `text_layout(data)`,
    when `source` is the text of all of `data` (no file referred to), else None."""
    if key is None and folder is not None:
        key = text_blind_key(data)
    path = folder / "build.pickle" if folder is not None else None
    stored = _read(path, key)
    if stored is not None:
        api, raw = stored
        api = patch_texts(api, data)
    else:
        built, unlocated = build_unlocated(data, source)
        raw = [(d.severity.value, d.message, d.pointer) for d in unlocated]
        blob = None
        if path is not None and key is not None:
            if not any(d.severity is Severity.ERROR for d in unlocated):
                before_store()
                blob = _write(path, key, built, raw)
        if blob is not None and key is not None:
            # the IR as read back from what was stored: equal to the one built, its equal
            # objects shared as a stored IR shares them (the render memos' keys are pickles,
            # which see that sharing); the built one is let go first (peak memory)
            del built
            stored = _read_blob(blob, key)
            assert stored is not None
            api = stored[0]
        else:
            api = built
    lines = _locate(source, sorted({pointer for _, _, pointer in raw}), folder, key, layout)
    found = [
        Diagnostic(Severity(severity), message, pointer, source.file, lines[pointer])
        for severity, message, pointer in raw
    ]
    return api, found


def _locate(
    source: SourceMap,
    pointers: list[str],
    folder: Path | None,
    key: str | None,
    layout: str | None,
) -> dict[str, int | None]:
    """`source.lines_of(pointers)`, or the lines found in an earlier run's text (kept in
    `folder`) when this text differs from it within one line (no line break in what changed)
    and its document had this `key` and `layout`: the same keys in the same places, differing
    only in operations' texts, so every pointer (or its nearest ancestor) is on its line."""
    if folder is None or key is None or layout is None or not pointers:
        return source.lines_of(pointers)
    text = source.text
    raw = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    path = folder / "located"
    mark = [key, layout]
    try:
        head, old = path.read_bytes().split(b"\n", 1)
        record = json.loads(head)
    except (OSError, ValueError):
        record, old = None, b""
    if isinstance(record, dict) and record.get("of") == mark and _one_line_apart(old, raw):
        known = record.get("lines")
        if isinstance(known, dict) and all(p in known for p in pointers):
            lines = {p: known[p] for p in pointers}
            if old != raw:  # the next run's text is compared with this one
                _store(path, mark, lines, raw)
            return lines
    lines = source.lines_of(pointers)
    _store(path, mark, lines, raw)
    return lines


def _store(path: Path, mark: list[str], lines: dict[str, int | None], text: bytes) -> None:
    """The lines and the text they were found in, in one file (atomically; best effort)."""
    import os

    head = json.dumps({"of": mark, "lines": lines}).encode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temp.write_bytes(head + b"\n" + text)
        os.replace(temp, path)
    except OSError:
        pass


# Line breaks as YAML counts them (JSON's is `\n`): one byte, and in UTF-8, NEL, LS and PS
_BREAKS = (b"\n", b"\r")
_WIDE_BREAKS = ("\x85".encode(), "\u2028".encode(), "\u2029".encode())


def _one_line_apart(old: bytes, new: bytes) -> bool:
    """Whether `old` and `new` differ only within one line: what lies between their common
    start and their common end holds no line break, in either."""
    if old == new:
        return True
    short = min(len(old), len(new))
    start = _common(short, lambda i, j: old[i:j] == new[i:j])
    end = _common(
        short - start,
        lambda i, j: old[len(old) - j : len(old) - i] == new[len(new) - j : len(new) - i],
    )
    for text in (old, new):
        changed = text[start : len(text) - end]
        around = text[max(start - 2, 0) : len(text) - end + 2]  # a wide break cut in two
        if any(b in changed for b in _BREAKS) or any(b in around for b in _WIDE_BREAKS):
            return False
    return True


def _common(limit: int, same: Callable[[int, int], bool], block: int = 1 << 16) -> int:
    """The length (at most `limit`) of the common part, where `same(i, j)` says whether the
    two texts agree from `i` to `j`: block by block (copying each block once), then by halving
    the block where they part."""
    low = 0
    while low < limit and same(low, min(low + block, limit)):
        low += block
    if low >= limit:
        return limit
    high = min(low + block, limit) - 1  # they part before this: agree up to at most it
    start = low
    while low < high:
        middle = (low + high + 1) // 2
        if same(start, middle):
            low = middle
        else:
            high = middle - 1
    return low


def _read(path: Path | None, key: str | None) -> tuple[Api, Found] | None:
    if path is None or key is None:
        return None
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    return _read_blob(blob, key)


def _read_blob(blob: bytes, key: str) -> tuple[Api, Found] | None:
    if blob[:64] != key.encode():
        return None
    gc.disable()  # unpickling makes ~10^6 objects and frees none: collecting is pure cost
    try:
        value = pickle.loads(blob[64:])
    except Exception:  # noqa: BLE001 - a damaged entry is a miss
        return None
    finally:
        # the IR (and the parsed spec) live to the end of the run: out of the collector's
        # sight, so that each full collection does not walk them again (freed objects are
        # still freed by their reference counts; neither holds a cycle)
        gc.freeze()
        gc.enable()
    if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], Api)):
        return None
    return value[0], value[1]


def _write(path: Path, key: str, api: Api, raw: Found) -> bytes | None:
    """Store the build (atomically; best effort), the key in its first 64 bytes; what was
    stored, or None if it could not be pickled."""
    import os

    try:
        blob = key.encode() + pickle.dumps((api, raw), protocol=5)
    except (pickle.PicklingError, RecursionError):
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temp.write_bytes(blob)
        os.replace(temp, path)
    except OSError:
        pass
    return blob
