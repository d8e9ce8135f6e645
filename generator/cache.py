"""The user cache folder oagen keeps between runs (black output, validator verdicts, compiled
templates, no-op records): where it is, and reading and writing its entries.

Every entry is keyed by a content hash of everything it depends on, so an entry can be missing
but never wrong; writes are atomic and best effort (a cache that cannot be written is not used).
Standard library only: the no-op fast path imports this before anything heavy.
"""

from __future__ import annotations

import os
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
