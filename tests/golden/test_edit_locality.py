"""An edit of the spec changes only the generated files whose content shows it (issue 17, item 2).

Each file's header names the generator and the spec's file, not the spec's sha256 (the manifest
records that), so editing one operation's summary must leave every other file byte-identical:
code review diffs stay small and `.pyc` files stay fresh.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from generator import pipeline
from generator.config import Config

ROOT = Path(__file__).resolve().parents[1]
while not (ROOT / "pyproject.toml").is_file():
    ROOT = ROOT.parent
VASTAI_FULL = ROOT.parent / "shared" / "specs" / "vastai" / "vastai-full.yaml"
NEW_SUMMARY = "Zebra-striped summary for the locality test"


def _generate(spec: dict, folder: Path) -> dict[str, str]:
    path = folder / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    result = pipeline.generate(path, Config(package="pkg"), display="spec.json")
    return dict(result.files)


def _changed_by_summary_edit(spec: dict, tmp_path: Path) -> tuple[set[str], set[str], int]:
    before = _generate(spec, tmp_path)
    operation = next(
        op
        for item in spec["paths"].values()
        for method, op in item.items()
        if method in ("get", "put", "post", "delete", "patch")
    )
    operation["summary"] = NEW_SUMMARY
    after = _generate(spec, tmp_path)
    changed = {name for name in after if after[name] != before.get(name)}
    showing = {name for name, text in after.items() if NEW_SUMMARY in text}
    return changed, showing, len(after)


def test_a_summary_edit_of_the_seed_rewrites_only_the_files_showing_it(tmp_path: Path) -> None:
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    changed, showing, total = _changed_by_summary_edit(spec, tmp_path)
    assert showing, "the summary should appear somewhere (docstring, docs)"
    assert changed == showing, (changed, showing)
    assert len(changed) < total


def test_a_summary_edit_of_vastai_full_rewrites_only_the_files_showing_it(tmp_path: Path) -> None:
    if not VASTAI_FULL.is_file():
        pytest.skip(f"{VASTAI_FULL} is absent (../shared is not beside this checkout)")
    spec = yaml.safe_load(VASTAI_FULL.read_text(encoding="utf-8"))
    changed, showing, total = _changed_by_summary_edit(spec, tmp_path)
    assert changed == showing, (changed, showing)
    # the operation's client module, its docs page and the docs index, of ~130 files
    assert 1 <= len(changed) <= 4, sorted(changed)
    assert total > 100


def test_the_spec_hash_is_in_the_manifest_not_in_the_files(tmp_path: Path) -> None:
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    result = pipeline.generate(path, Config(package="pkg"), display="spec.json")
    sha = result.manifest["spec_sha256"]
    assert len(sha) == 64
    assert not [name for name, text in result.files.items() if sha in text]
