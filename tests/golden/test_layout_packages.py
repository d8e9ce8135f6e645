"""Whole generated packages come out of render already formatted: black changes nothing.

The snippet-level checks of `generator/layout.py` are in tests/unit/test_layout.py; these run
render on the seed spec and on two large specs and hold every rendered Python file to black.
"""

from __future__ import annotations

from pathlib import Path

import black
import pytest
from conftest import ROOT, SHARED_SPECS

from generator import pipeline
from generator.config import Config
from generator.format import split_header

MODE = black.Mode()


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


def test_seed_package_is_rendered_already_formatted() -> None:
    files = rendered(ROOT / "openapi.yaml")
    assert len(files) >= 7
    assert changed_by_black(files) == []


@pytest.mark.corpus
@pytest.mark.parametrize(
    "relative", ["vastai/vastai-full.yaml", "corpus/asana/asana_oas.yaml"]
)
def test_large_packages_are_rendered_already_formatted(relative: str) -> None:
    spec = SHARED_SPECS / relative
    if not spec.is_file():
        pytest.skip(f"{spec} is absent (../shared/specs is not beside this clone)")
    files = rendered(spec)
    assert len(files) > 15
    assert changed_by_black(files) == []
