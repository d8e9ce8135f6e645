"""The no-op fast path: decide "nothing to do" before importing anything heavy.

Regeneration runs on every commit that touches the spec, and most runs change nothing. After a
run that leaves the output as generated, `record()` stores in the user's cache folder (never in
the output folder, so nothing committed churns) what that output was made from:
- oagen's version and the stat of its own source and template files (so editing oagen itself,
  or installing another version, invalidates the record);
- the configuration fingerprint and the spec's path and sha256;
- size and mtime of every file oagen owns in the output folder, and the manifest's;
- the warnings that run printed, to print them again.
`check()` answers with those warnings when all of it still holds, else None (run the pipeline).
The spec is hashed in full (a changed spec can never be missed); output files are compared by
stat, so a hand edit, a `git checkout` or a deleted file sends the run down the full path.
Multi-file specs are not recorded (their other files are not tracked): they always run in full.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from generator import __version__
from generator.cache import cache_dir, write_text

_ROOT = Path(__file__).resolve().parent


def _own_files() -> list[Path]:
    found = sorted(_ROOT.glob("*.py"))
    for templates in (_ROOT / "templates", _ROOT.parent / "templates"):
        if templates.is_dir():
            found += sorted(
                p for p in templates.rglob("*") if p.is_file() and "__pycache__" not in p.parts
            )
    return found


def _stat(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def _fingerprint() -> str:
    digest = hashlib.sha256(__version__.encode())
    for path in _own_files():
        digest.update(f"{path}:{_stat(path)}".encode())
    return digest.hexdigest()


def _record_path(out_dir: Path) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    key = hashlib.sha256(str(out_dir.resolve()).encode()).hexdigest()[:32]
    return folder / "noop" / f"{key}.json"


def _spec_sha(spec: Path) -> str | None:
    try:
        return hashlib.sha256(spec.read_bytes()).hexdigest()
    except OSError:
        return None


def check(out_dir: Path, spec: Path, config_fingerprint: str) -> list[str] | None:
    """The stored warning lines if the output is known to be current, else None."""
    path = _record_path(out_dir)
    if path is None:
        return None
    try:
        record: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("oagen") != _fingerprint():
        return None
    if record.get("config") != config_fingerprint or record.get("spec") != str(spec.resolve()):
        return None
    stats = record.get("stats")
    if not isinstance(stats, dict) or not stats:
        return None
    for rel, stat in stats.items():
        if _stat(out_dir / rel) != stat:
            return None
    if record.get("spec_sha256") != _spec_sha(spec):
        return None
    warnings = record.get("warnings")
    return [str(w) for w in warnings] if isinstance(warnings, list) else None


def record(
    out_dir: Path, spec: Path, config_fingerprint: str, owned: list[str], warnings: list[str]
) -> None:
    """Remember that `out_dir` is exactly what `spec` + config give (best effort)."""
    path = _record_path(out_dir)
    sha = _spec_sha(spec)
    if path is None or sha is None:
        return
    stats = {rel: _stat(out_dir / rel) for rel in [*owned, ".oagen-manifest.json"]}
    if any(s is None for s in stats.values()):
        return
    data = {
        "oagen": _fingerprint(),
        "config": config_fingerprint,
        "spec": str(spec.resolve()),
        "spec_sha256": sha,
        "stats": stats,
        "warnings": warnings,
    }
    write_text(path, json.dumps(data))


def forget(out_dir: Path) -> None:
    path = _record_path(out_dir)
    if path is not None:
        path.unlink(missing_ok=True)
