"""Proofcache: blackproof's verdicts on multi-row statements, kept between runs.

In: the cache folder and black's version. Out: `load(folder, version)`, the verdicts kept so
far by key (`key(text, depth, docstring)`: a hash of a statement's rows, its depth and whether
it is a docstring, everything `blackproof` decides from), which `blackproof.read(text, kept)`
reads and fills; `save(folder, version, kept, loaded)` writes them back when some were added.

Only multi-row statements are kept: a one-row statement is proven in microseconds (and
remembered within a run), a multi-row one is what an edit of one operation would otherwise
prove again in the changed module. The file name holds `cache.code_fingerprint()` and black's
version, so a verdict made by other code is never read; the newest `LIMIT` verdicts are kept;
a file that cannot be read is ignored (a verdict can be missing, never wrong).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from generator.cache import code_fingerprint, read_text, write_text

LIMIT = 300_000


def key(text: str, depth: int, docstring: bool) -> str:
    return hashlib.blake2b(f"{depth}\0{docstring:d}\0{text}".encode(), digest_size=16).hexdigest()


def _path(folder: Path, version: str) -> Path:
    tag = hashlib.sha256(f"{code_fingerprint()}\0{version}".encode()).hexdigest()[:24]
    return folder / f"proofs-{tag}.json"


def load(folder: Path, version: str) -> dict[str, bool]:
    try:
        data = json.loads(read_text(_path(folder, version)) or "{}")
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: bool(v) for k, v in data.items() if isinstance(k, str) and v in (0, 1)}


def save(folder: Path, version: str, kept: dict[str, bool], loaded: int) -> None:
    """Write the verdicts when this run added some; drop the files of other code."""
    if len(kept) == loaded:
        return
    path = _path(folder, version)
    newest = list(kept.items())[-LIMIT:]
    write_text(path, json.dumps({k: int(v) for k, v in newest}, separators=(",", ":")))
    for other in folder.glob("proofs-*.json"):
        if other != path:
            other.unlink(missing_ok=True)
