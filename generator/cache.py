"""The user cache folder oagen keeps between runs (black output, validator verdicts, compiled
templates, no-op records, memos of rendered text and of the IR): where it is, and reading and
writing its entries.

Every entry is keyed by a content hash of everything it depends on, so an entry can be missing
but never wrong; writes are atomic and best effort (a cache that cannot be written is not used).
Standard library only: the no-op fast path imports this before anything heavy.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path


def cache_dir() -> Path | None:
    """`$OAGEN_CACHE_DIR`, else `$XDG_CACHE_HOME/oagen`, else `~/.cache/oagen`; "" disables."""
    configured = os.environ.get("OAGEN_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "oagen"


def read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def write_text(path: Path, text: str) -> None:
    """Write an entry atomically (temp file, then rename); errors are ignored."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, path)
    except OSError:
        pass


def code_fingerprint() -> str:
    """sha256 of oagen's own code: every file of `generator/` and `templates/` (content, not
    stat), Python's version and jinja2's; a memo made by other code is never read."""
    global _CODE
    if _CODE is None:
        import importlib.metadata  # not at the top: the no-op path imports this module

        root = Path(__file__).resolve().parent
        digest = hashlib.sha256(sys.version.encode())
        try:
            digest.update(importlib.metadata.version("jinja2").encode())
        except importlib.metadata.PackageNotFoundError:  # pragma: no cover
            digest.update(b"no jinja2")
        for folder in (root, root.parent / "templates"):
            for path in sorted(folder.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    digest.update(f"\0{path.relative_to(root.parent)}\0".encode())
                    digest.update(path.read_bytes())
        _CODE = digest.hexdigest()
    return _CODE


_CODE: str | None = None


def key_of(*parts: object) -> str:
    """A content key of `parts` (IR nodes, views, strings): sha256 of their pickle. Equal
    pickles mean equal values. The pickle also records which equal objects are one object, so
    equal values built otherwise may key apart (a miss, never a wrong hit): `reuse` hands the
    renderers an IR that went through pickle either way, so that a stored IR and a fresh
    one share alike."""
    import pickle

    return hashlib.sha256(pickle.dumps(parts, protocol=5)).hexdigest()


class Memo:
    """Texts by content key, kept between runs in a folder of JSON files
    (`folder/<name>-<code>/<shard>.json`, a shard per first hex digit of the key).

    Each key is a hash of everything the text is made from, and the folder name includes
    `code_fingerprint()`, so an entry can be missing but never wrong. `save()` keeps only the
    entries asked for in this run (the files do not grow with stale entries) and writes only
    the shards whose set of entries changed: a run that lays out a few texts again rewrites a
    few sixteenths of the memo, not all of it. A Memo without a folder remembers nothing.
    """

    def __init__(self, folder: Path | None, name: str) -> None:
        self.path = None if folder is None else folder / f"{name}-{code_fingerprint()[:24]}"
        self.stored: dict[str, str] = {}
        self.used: dict[str, str] = {}
        if self.path is None:
            return
        for shard in _SHARDS:
            try:
                data = json.loads(read_text(self.path / f"{shard}.json") or "{}")
            except ValueError:
                continue
            if isinstance(data, dict):
                self.stored.update((k, v) for k, v in data.items() if isinstance(v, str))

    def get(self, key: str) -> str | None:
        text = self.stored.get(key)
        if text is not None:
            self.used[key] = text
        return text

    def put(self, key: str, text: str) -> str:
        self.used[key] = text
        return text

    def save(self) -> None:
        """Keep this run's entries; drop the files of this memo made by other code."""
        if self.path is None or self.used.keys() == self.stored.keys():
            return
        used: dict[str, dict[str, str]] = {shard: {} for shard in _SHARDS}
        for key, text in self.used.items():
            used[_shard(key)][key] = text
        stored: dict[str, set[str]] = {shard: set() for shard in _SHARDS}
        for key in self.stored:
            stored[_shard(key)].add(key)
        for shard in _SHARDS:
            if used[shard].keys() != stored[shard]:
                write_text(self.path / f"{shard}.json", json.dumps(used[shard]))
        stem = self.path.name.rsplit("-", 1)[0]
        for other in self.path.parent.glob(f"{stem}-*"):
            if other != self.path:
                _remove(other)


_SHARDS = tuple("0123456789abcdef_")  # `_`: a key that does not start with a hex digit


def _shard(key: str) -> str:
    return key[:1] if key[:1] in _SHARDS[:-1] else "_"


def _remove(path: Path) -> None:
    """Delete a memo of other code: a folder of shards, or one file (the format before)."""
    import shutil

    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
