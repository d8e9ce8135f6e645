"""oagen's memoized validator finds what openapi-spec-validator's stock class finds, on real specs.

Every OpenAPI 3.x spec of ../shared/specs/corpus (and vastai-full), every broken document of
tests/broken that gets as far as the validator, and (separately, slow) GitHub's and Jira's
specs: loaded and bundled as `oagen generate` does, then validated by both classes; the
findings must be the same messages in the same order at the same paths (tests/validator_twin.py).
Skipped, with a message, when ../shared is absent.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SHARED_SPECS, corpus_entries, requires_shared
from validator_twin import twin_findings

from generator import validate
from generator.diagnostics import SpecError
from generator.load import load
from generator.resolve import resolve

SCALE = SHARED_SPECS / "scale"


def _corpus() -> list[tuple[str, Path]]:
    out = [(name, entry) for name, entry, swagger in corpus_entries() if not swagger]
    return [*out, ("vastai-full", SHARED_SPECS / "vastai" / "vastai-full.yaml")]


def _bundled(path: Path) -> tuple[dict[str, Any], str]:
    """The document the validator sees in `oagen generate`, and its version."""
    loaded = load(path, max_bytes=64 * 1024 * 1024, display=path.name)
    version = validate.check_version(loaded.data, loaded.source)
    return resolve(loaded.data, path, loaded.source), version


def _same(path: Path) -> tuple[Any, Any]:
    doc, version = _bundled(path)
    ours, stock = twin_findings(doc, version)
    assert ours == stock, path.name
    return ours, stock


@pytest.mark.corpus
@requires_shared()
@pytest.mark.parametrize("name, path", _corpus(), ids=[name for name, _ in _corpus()])
def test_corpus_findings_are_the_stock_class_s(name: str, path: Path) -> None:
    _same(path)


def test_broken_documents_findings_are_the_stock_class_s() -> None:
    compared = []
    for path in sorted((ROOT / "tests" / "broken").iterdir()):
        if path.suffix == ".stderr":
            continue
        try:
            _, stock = _same(path)
        except SpecError:  # refused before the validator (size, syntax, version, refs)
            continue
        compared.append((path.name, stock))
    names = [name for name, _ in compared]
    assert {"bad-structure.yaml", "duplicate-operationid.yaml", "ref-loop.yaml"} <= set(names)
    assert all(errors or stopped for _, (errors, stopped) in compared)  # each has a finding


@pytest.mark.slow
@pytest.mark.parametrize(
    "name, opt_in",
    [("jira.json", None), ("github.json", "OAGEN_TWINS_GITHUB")],
)
def test_large_specs_findings_are_the_stock_class_s(name: str, opt_in: str | None) -> None:
    """Jira's spec (499 operations; the stock class takes about 5 s CPU here) and, when
    OAGEN_TWINS_GITHUB=1, GitHub's (1,223 operations; about 30 s)."""
    if not (SCALE / name).is_file():
        pytest.skip(f"{SCALE / name} is absent (a user's clone has no ../shared): skipped")
    if opt_in and os.environ.get(opt_in) != "1":
        pytest.skip(f"slow (about 40 s): run with {opt_in}=1")
    _same(SCALE / name)
