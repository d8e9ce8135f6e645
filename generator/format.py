"""Format: rendered `{path: text}` in, black-formatted `{path: text}` out.

Python files go through `black.format_str` in memory (black's default mode, the same one
`black --check` applies to the output); other files pass through with trailing whitespace
trimmed. black is the slowest stage (about 2,800 lines/s), so:
- the leading `#` comment block (the provenance header, which names the spec's sha256 and so
  changes with every edit of the spec) is set aside and the rest is formatted on its own: black
  leaves leading comments as they are, so the result is the same, and an edit of one operation
  only reformats the files whose body changed;
- each result is cached on disk, keyed by the sha256 of (black's version, the mode, the body):
  a body that has not changed since any earlier run is not formatted again, and black is not
  even imported when every file hits the cache; a cache entry can only ever map a text to its
  formatted form, so it cannot serve stale output;
- files the caller names as `verbatim` (the static runtime modules, kept black-clean in the
  source tree and checked by the tests) are not formatted at all;
- the files that miss are formatted on both cores when there is enough work to pay for it:
  this process takes one share and forked helpers the others (split by size).
A file black cannot parse is a bug in a template: the error names the output path.
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Collection, Iterable
from pathlib import Path

from generator.cache import cache_dir, read_text, write_text
from generator.diagnostics import SpecError, error

_PARALLEL_MIN_CHARS = 400_000  # below this a pool costs more than it saves
MODE_KEY = "black-default-mode"


def _key(text: str, version: str) -> str:
    return hashlib.sha256(f"{version}\0{MODE_KEY}\0{text}".encode()).hexdigest()


def _format_one(item: tuple[str, str]) -> tuple[str, str]:
    import black

    path, text = item
    try:
        return path, black.format_str(text, mode=black.Mode())
    except black.parsing.InvalidInput as exc:
        message = f"internal error: generated {path} does not parse ({exc}); report it"
        raise SpecError([error(message, file=path)]) from None


def _format_many(items: list[tuple[str, str]]) -> Iterable[tuple[str, str]]:
    total = sum(len(text) for _, text in items)
    cores = min(os.cpu_count() or 1, 4)
    if total >= _PARALLEL_MIN_CHARS and len(items) > 1 and cores > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        import black  # noqa: F401  (imported before forking so the workers share it)

        try:
            context = multiprocessing.get_context("fork")
        except ValueError:  # pragma: no cover - platforms without fork
            return [_format_one(item) for item in items]
        # this process formats one share itself (it would only wait otherwise), forked
        # helpers the others: one process fewer, and the same cores busy
        shares: list[list[tuple[str, str]]] = [[] for _ in range(cores)]
        loads = [0] * cores
        for item in sorted(items, key=lambda kv: -len(kv[1])):  # largest first, to the
            least = loads.index(min(loads))  # least loaded share
            shares[least].append(item)
            loads[least] += len(item[1])
        helped = [item for share in shares[1:] for item in share]
        gc.freeze()  # the helpers' garbage collectors then leave shared pages alone
        try:
            pool = ProcessPoolExecutor(max_workers=cores - 1, mp_context=context)
            pending = pool.map(_format_one, helped, chunksize=1)
        finally:
            gc.unfreeze()
        with pool:
            own = [_format_one(item) for item in shares[0]]
            return own + list(pending)
    return [_format_one(item) for item in items]


def _trim(text: str) -> str:
    if not text:
        return ""
    return "\n".join(line.rstrip() for line in text.split("\n")).rstrip("\n") + "\n"


def split_header(text: str) -> tuple[str, str]:
    """(the leading `#` comment lines, the rest); no split if the rest starts blank."""
    end = 0
    while text.startswith("#", end):
        newline = text.find("\n", end)
        if newline < 0:
            return "", text
        end = newline + 1
    body = text[end:]
    if not body or body[0] in "\n\r \t":
        return "", text
    return text[:end], body


def format_files(
    files: dict[str, str], cache: Path | None | bool = True, verbatim: Collection[str] = ()
) -> dict[str, str]:
    """Format every file; `cache=True` uses `cache_dir()`, `None`/`False` disables the cache."""
    import importlib.metadata

    folder = cache_dir() if cache is True else (cache or None)
    version = importlib.metadata.version("black")
    out: dict[str, str] = {}
    todo: list[tuple[str, str]] = []
    keys: dict[str, str] = {}
    headers: dict[str, str] = {}
    for path, text in files.items():
        if not path.endswith(".py") or path in verbatim:
            out[path] = _trim(text) if not path.endswith(".py") else text
            continue
        headers[path], body = split_header(text)
        key = keys[path] = _key(body, version)
        hit = read_text(_entry(folder, key)) if folder else None
        if hit is not None:
            out[path] = headers[path] + hit
        else:
            todo.append((path, body))
    for path, formatted in _format_many(todo):
        out[path] = headers[path] + formatted
        if folder:
            write_text(_entry(folder, keys[path]), formatted)
    return {path: out[path] for path in files}


def _entry(folder: Path, key: str) -> Path:
    return folder / key[:2] / key
