"""proofcache: verdicts kept between runs change nothing but the work done.

A second `format_files` into the same cache folder, its formatted texts dropped (as when a
module changes), proves no multi-row statement again and gives the same bytes as the first run
and as black on every file (`PROVE = False`); an unreadable verdict file is ignored.
"""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest

from generator import blackproof, proofcache
from generator import format as fmt

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "generated" / "vastai_api"
FILES = {
    f"p/{path.name}": path.read_text(encoding="utf-8")
    for path in sorted(PACKAGE.glob("*.py"))
    if path.name in ("client.py", "_ops.py", "models.py", "_cli.py")
}


def _drop_formatted(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file() and not path.name.startswith("proofs-"):
            path.unlink()


def _multi_row_proofs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    original = blackproof._prove

    def counted(line: blackproof.Line, text: str) -> bool:
        if "\n" in text:
            seen.append(text)
        return original(line, text)

    monkeypatch.setattr(blackproof, "_prove", counted)
    return seen


def test_kept_verdicts_are_read_and_change_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert FILES
    proved = _multi_row_proofs(monkeypatch)
    first = fmt.format_files(FILES, cache=tmp_path)
    assert proved and list(tmp_path.glob("proofs-*.json"))
    _drop_formatted(tmp_path)
    proved.clear()
    second = fmt.format_files(FILES, cache=tmp_path)
    assert second == first
    assert proved == []  # every multi-row verdict came from the file
    monkeypatch.setattr(fmt, "PROVE", False)
    assert fmt.format_files(FILES, cache=None) == first


def test_an_unreadable_verdict_file_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = fmt.format_files(FILES, cache=None)
    fmt.format_files(FILES, cache=tmp_path)
    for path in tmp_path.glob("proofs-*.json"):
        path.write_text('{"x": [', encoding="utf-8")
    _drop_formatted(tmp_path)
    proved = _multi_row_proofs(monkeypatch)
    assert fmt.format_files(FILES, cache=tmp_path) == first
    assert proved  # proven again, and kept again
    assert proofcache.load(tmp_path, importlib.metadata.version("black"))


def test_the_key_holds_depth_and_docstring() -> None:
    keys = {proofcache.key("x", d, doc) for d in (0, 1) for doc in (False, True)}
    assert len(keys) == 4
