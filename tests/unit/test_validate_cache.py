"""The validator's verdict is reused across edits of description/summary text, and only then."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from generator import validate
from generator.load import SourceMap

DOC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1", "description": "first"},
    "paths": {
        "/a": {
            "get": {
                "summary": "one",
                "parameters": [
                    {"name": "q", "in": "query", "schema": {"type": "string", "default": "d"}}
                ],
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
}


@pytest.fixture()
def calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    monkeypatch.setenv("OAGEN_CACHE_DIR", str(tmp_path / "cache"))
    real = validate.findings
    counted: list[int] = []

    def counting(data: dict[str, Any], version: str) -> list[validate.Finding]:
        counted.append(1)
        return real(data, version)

    monkeypatch.setattr(validate, "findings", counting)
    return counted


def _run(doc: dict[str, Any]) -> list[str]:
    return [d.format() for d in validate.start(doc, "3.1").result(SourceMap("x.yaml", ""))]


def test_text_edits_reuse_the_verdict_and_structure_edits_do_not(calls: list[int]) -> None:
    assert _run(DOC) == []
    edited = copy.deepcopy(DOC)
    edited["info"]["description"] = "second"
    edited["paths"]["/a"]["get"]["summary"] = "two"
    assert _run(edited) == [] and len(calls) == 1  # reused
    changed = copy.deepcopy(DOC)
    changed["paths"]["/a"]["get"]["parameters"][0]["in"] = "nowhere"
    found = _run(changed)
    assert len(calls) == 2 and any("nowhere" in f for f in found)
    data_edit = copy.deepcopy(DOC)
    data_edit["paths"]["/a"]["get"]["parameters"][0]["schema"]["default"] = 5  # a default is data
    assert any("default" in f or "5" in f for f in _run(data_edit)) and len(calls) == 3


def test_a_finding_about_a_description_is_never_reused(calls: list[int]) -> None:
    bad = copy.deepcopy(DOC)
    bad["info"]["description"] = 42  # not a string: a finding located at the description
    assert any("#/info/description" in f for f in _run(bad))
    assert any("#/info/description" in f for f in _run(bad))
    assert len(calls) == 2


def test_the_validator_backend_is_pinned_to_pure_python() -> None:
    """A user's environment (or an installed jsonschema-rs) cannot change the findings."""
    import json
    import os
    import subprocess
    import sys

    bad = copy.deepcopy(DOC)
    bad["paths"]["/a"]["get"]["responses"] = {"200": {"no-description": True}}
    code = (
        "import json, sys\n"
        "from generator import validate\n"
        "print(json.dumps(validate.findings(json.loads(sys.argv[1]), '3.1')))\n"
    )
    env = {**os.environ, validate._BACKEND_ENV: "jsonschema-rs"}
    done = subprocess.run(
        [sys.executable, "-c", code, json.dumps(bad)],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found and not any("validator stopped" in message for message, _, _ in found)
    assert any("description" in message for message, _, _ in found)


@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_pre_crawled_validator_finds_what_the_stock_one_finds(version: str) -> None:
    """oagen's validator class (memoized, findings located) finds what the stock one finds."""
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    stock = OpenAPIV31SpecValidator if version == "3.1" else OpenAPIV30SpecValidator
    fast = validate.spec_validator(version)
    assert fast is not stock and issubclass(fast, stock)  # the fast path is in use
    doc = copy.deepcopy(DOC)
    doc["openapi"] = f"{version}.0"
    doc["paths"]["/a"]["get"]["responses"] = {"200": {"no-description": True}}
    doc["paths"]["/a"]["get"]["parameters"][0]["in"] = "nowhere"
    doc["components"] = {"schemas": {"S": {"type": "object", "properties": {"n": {"type": 5}}}}}

    def errors(cls: Any) -> set[tuple[str, tuple[Any, ...]]]:
        out = set()
        for e in cls(doc).iter_errors():
            path = list(e.path)
            if path and isinstance(path[0], validate._At):  # oagen's: from the node checked
                path = [*validate._node_pointers(doc)[id(path[0].node)], *path[1:]]
            out.add((str(e.message), tuple(path)))
        return out

    found, stock_found = errors(fast), errors(stock)
    assert len(found) >= 2
    assert {m for m, _ in found} == {m for m, _ in stock_found}
    # the same places; the stock class gives its own checks' paths relative to the node checked
    for message, path in stock_found:
        assert any(m == message and p[len(p) - len(path) :] == path for m, p in found)
    assert (
        "5 is not valid under any of the given schemas",
        ("components", "schemas", "S", "properties", "n", "type"),
    ) in found


def test_background_validation_of_a_small_spec_finds_the_same() -> None:
    """The command line validates even small specs in a forked process (importing the
    validator costs more than the rest of such a run); the findings are the same."""
    import os

    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: oagen validates in-process")
    bad = copy.deepcopy(DOC)
    bad["paths"]["/a"]["get"]["responses"] = {"200": {"no-description": True}}
    source = SourceMap("openapi.yaml", "")
    inline = validate.start(bad, "3.1", cache=False)
    assert inline._future is None  # a small spec: here, unless asked
    forked = validate.start(bad, "3.1", cache=False, background=True)
    assert forked._future is not None
    assert forked.result(source) == inline.result(source)
    assert any("description" in d.message for d in forked.result(source))
