"""Holding generated code to black: shared by tests/unit/test_layout.py (snippets),
tests/golden/test_layout_packages.py (whole packages) and tests/e2e/test_scale.py."""

from __future__ import annotations

import difflib
from pathlib import Path

import black

from generator import pipeline
from generator.config import Config
from generator.format import split_header

MODE = black.Mode()


def assert_black_stable(code: str) -> None:
    formatted = black.format_str(code, mode=MODE)
    assert formatted == code, "\n".join(
        difflib.unified_diff(
            code.splitlines(), formatted.splitlines(), "layout", "black", lineterm=""
        )
    )


def rendered(spec: Path) -> dict[str, str]:
    captured: dict[str, str] = {}

    def grab(files: dict[str, str], **_: object) -> dict[str, str]:
        captured.update(files)
        return files

    original = pipeline.format_files
    pipeline.format_files = grab  # type: ignore[assignment]
    try:
        pipeline.generate(spec, Config(package="p"))
    finally:
        pipeline.format_files = original  # type: ignore[assignment]
    return {k: v for k, v in captured.items() if k.endswith(".py")}


def changed_by_black(files: dict[str, str]) -> list[str]:
    out = []
    for path, text in sorted(files.items()):
        body = split_header(text)[1]
        if black.format_str(body, mode=MODE) != body:
            out.append(path)
    return out
