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
- the files that miss are formatted on both cores when there is a lot of work (2 M characters
  for black; below that the helper's memory costs more than its wall time saves): this
  process takes one share and forked helpers the others (split by size).
- before any of this, `blackproof` reads the body and proves which statements black would
  leave as they are (black's output for them is modelled from their tokens, their blank lines
  from black's blank-line rules): a file proven whole is not formatted at all; otherwise black
  formats only the residual (`residual.plan`: the unproven statements with the block headers
  and the `__future__` import around them) and its statements are put back in place
  (`residual.splice`); where the residual cannot stand for the file (no
  `from __future__ import annotations`, a `with` or `except` in it, an output that does not
  line up) the whole body goes to black as before. The result is cached under the body's key
  like black's, so a warm run reads it and neither proves nor formats again; the verdicts on
  multi-row statements are kept too (`proofcache`), so a changed body proves only its new
  statements.
  `PROVE = False` formats every body whole
  (the tests compare the two); tests/unit/test_blackproof.py and tests/e2e/test_blackproof_corpus.py
  hold the proofs to black.
A file black cannot parse is a bug in a template: the error names the output path.
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Collection, Iterable
from pathlib import Path

from generator import blackproof, proofcache, residual
from generator.cache import cache_dir, read_text, write_text
from generator.diagnostics import SpecError, error

# What black still formats goes to a forked helper only above this: the helper's black trees
# and the pages it copies raised the peak memory of the process tree by about 80 MiB on
# github.json (319 vs 243 MiB; its residual, 663k characters, is about 5 s of black), for
# about 3 s of wall; with the residual that small, memory wins. PROVE = False or a spec whose
# output is mostly unproven still uses both cores.
_PARALLEL_MIN_CHARS = 2_000_000
MODE_KEY = "black-default-mode"
_RESIDUAL = "\0residual:"
PROVE = True  # False: every body goes to black whole (the tests compare both ways)
PROOFS = True  # False: no verdicts kept between runs (`proofcache`)


def _key(text: str, version: str) -> str:
    return hashlib.sha256(f"{version}\0{MODE_KEY}\0{text}".encode()).hexdigest()


def _format_one(item: tuple[str, str]) -> tuple[str, str]:
    import black

    path, text = item
    try:
        return path, black.format_str(text, mode=black.Mode())
    except black.parsing.InvalidInput as exc:
        if path.startswith(_RESIDUAL):  # a residual black cannot parse: the body goes whole
            return path, ""
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


def _plan(body: str, kept: dict[str, bool] | None) -> residual.Plan | str | None:
    """The body itself when proven whole, the residual black formats instead, or None (the
    whole body goes to black)."""
    if not PROVE:
        return None
    lines = blackproof.read(body, kept)
    if lines is None or not residual.blanks_ok(lines):
        return None
    if all(line.proven for line in lines):
        return body
    return residual.plan(lines, body.split("\n"))


def format_files(
    files: dict[str, str],
    cache: Path | None | bool = True,
    verbatim: Collection[str] = (),
) -> dict[str, str]:
    """Format every file; `cache=True` uses `cache_dir()`, `None`/`False` disables the cache."""
    import importlib.metadata

    folder = cache_dir() if cache is True else (cache or None)
    version = importlib.metadata.version("black")
    out: dict[str, str] = {}
    headers: dict[str, str] = {}
    keys: dict[str, str] = {}  # each body's cache key
    plans: dict[str, residual.Plan] = {}  # the residual's plan
    bodies: dict[str, str] = {}  # for black: a residual or a whole body
    kept: dict[str, bool] | None = None  # verdicts kept between runs, read at the first miss
    loaded = 0
    for path, text in files.items():
        if not path.endswith(".py") or path in verbatim:
            out[path] = _trim(text) if not path.endswith(".py") else text
            continue
        headers[path], body = split_header(text)
        keys[path] = _key(body, version)
        hit = read_text(_entry(folder, keys[path])) if folder else None
        if hit is not None:  # a warm run proves nothing again
            out[path] = headers[path] + hit
            continue
        if kept is None and folder and PROVE and PROOFS:
            kept = proofcache.load(folder, version)
            loaded = len(kept)
        found = _plan(body, kept)
        if isinstance(found, str):
            out[path] = text  # the header and the proven body, as rendered: not copied
            _store(folder, keys[path], body)  # black's output, found without black
        elif found is None:
            bodies[path] = body
        else:
            plans[path], bodies[path] = found, found.text
    named = {(_RESIDUAL + path if path in plans else path): text for path, text in bodies.items()}
    formatted = {
        path.removeprefix(_RESIDUAL): text for path, text in _black(named, folder, version).items()
    }
    whole: dict[str, str] = {}
    for path, result in formatted.items():
        if path in plans:
            spliced = residual.splice(plans[path], result)
            if spliced is None:  # the residual did not stand for the file: black it whole
                whole[path] = split_header(files[path])[1]
                continue
            result = spliced
            _store(folder, keys[path], result)
        out[path] = headers[path] + result
    for path, result in _black(whole, folder, version).items():
        out[path] = headers[path] + result
    if folder and kept is not None:
        proofcache.save(folder, version, kept, loaded)
    return {path: out[path] for path in files}


def _store(folder: Path | None, key: str, result: str) -> None:
    """Cache black's output for a body, found without black (stored as it is found, so that
    no copy of the proven bodies is held to the end of the stage)."""
    if folder:
        write_text(_entry(folder, key), result)


def _black(texts: dict[str, str], folder: Path | None, version: str) -> dict[str, str]:
    """black's output for each text, from the cache or formatted (and then cached)."""
    done: dict[str, str] = {}
    todo: list[tuple[str, str]] = []
    keys: dict[str, str] = {}
    for path, text in texts.items():
        key = keys[path] = _key(text, version)
        hit = read_text(_entry(folder, key)) if folder else None
        if hit is not None:
            done[path] = hit
        else:
            todo.append((path, text))
    for path, result in _format_many(todo):
        done[path] = result
        if folder and result:
            write_text(_entry(folder, keys[path]), result)
    return done


def _entry(folder: Path, key: str) -> Path:
    return folder / key[:2] / key
