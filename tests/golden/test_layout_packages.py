"""Whole generated packages come out of render already formatted: black changes nothing.

The snippet-level checks of `generator/layout.py` are in tests/unit/test_layout.py; these run
render on the seed spec and on two large specs and hold every rendered Python file to black.
"""

from __future__ import annotations

import pytest
from black_checks import changed_by_black, rendered
from conftest import ROOT, SHARED_SPECS


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
