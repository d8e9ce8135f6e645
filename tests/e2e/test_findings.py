"""Every validator finding names its line and JSON pointer (issue 17, item 3): the validator's own
checks (a `default` that does not fit its schema, an undeclared `required` name, duplicates, an
unresolved path parameter) used to print as `FILE:1: #`."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import SHARED_SPECS

from generator import pipeline, validate
from generator.config import Config
from generator.diagnostics import Diagnostic

SPEC = """
openapi: {version}
info: {{title: T, version: '1'}}
tags:
  - {{name: a}}
  - {{name: a}}
paths:
  /a/{{id}}:
    get:
      operationId: same
      parameters:
        - {{name: n, in: query, schema: {{type: integer, default: abc}}}}
        - {{name: q, in: query, schema: {{type: string}}}}
        - {{name: q, in: query, schema: {{type: string}}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/A'}}
  /b:
    get:
      operationId: same
      responses: {{'200': {{description: ok}}}}
components:
  schemas:
    A:
      type: object
      required: [zzz]
      allOf:
        - {{$ref: '#/components/schemas/B'}}
      properties:
        size: {{type: integer, default: big}}
        tags:
          type: array
          items: {{type: string}}
          default: [1, 2]
        owner:
          allOf: [{{$ref: '#/components/schemas/B'}}]
          default: {{x: 3}}
    B:
      type: object
      properties:
        x: {{type: string}}
"""


def findings_of(tmp_path: Path, text: str) -> list[Diagnostic]:
    path = tmp_path / "spec.yaml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return [d for d in pipeline.analyse(path, Config())[1] if d.severity == "warning"]


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_each_finding_of_the_validators_own_checks_is_located(
    tmp_path: Path, version: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OAGEN_CACHE_DIR", str(tmp_path / "cache"))
    found = {
        (d.line, d.pointer, d.message) for d in findings_of(tmp_path, SPEC.format(version=version))
    }
    expected = {
        (3, "#/tags", "Duplicate tag name 'a'"),
        (11, "#/paths/~1a~1{id}/get/parameters/0/schema/default", "'abc' is not of type 'integer'"),
        (10, "#/paths/~1a~1{id}/get/parameters", "Duplicate parameter 'q'"),
        (
            8,
            "#/paths/~1a~1{id}/get",
            "Path parameter 'id' for 'get' operation in '/a/{id}' was not resolved",
        ),
        (21, "#/paths/~1b/get", "Operation ID 'same' for 'get' in '/b' is not unique"),
        (26, "#/components/schemas/A", "Required list has not defined properties: ['zzz']"),
        (32, "#/components/schemas/A/properties/size/default", "'big' is not of type 'integer'"),
        (36, "#/components/schemas/A/properties/tags/default/0", "1 is not of type 'string'"),
        (36, "#/components/schemas/A/properties/tags/default/1", "2 is not of type 'string'"),
        (39, "#/components/schemas/A/properties/owner/default/x", "3 is not of type 'string'"),
    }
    assert expected <= found
    assert all(line is not None and line > 1 and pointer != "#" for line, pointer, _ in found)


def test_node_pointers_name_where_each_node_is_written() -> None:
    shared = {"type": "string"}
    doc = {"a": [{"b": shared}], "c": {"d/e": {}}}
    nodes = validate._node_pointers(doc)
    assert nodes[id(doc)] == ()
    assert nodes[id(doc["a"])] == ("a",)
    assert nodes[id(shared)] == ("a", "0", "b")  # the first place a shared node is written
    assert nodes[id(doc["c"]["d/e"])] == ("c", "d/e")


K8S = SHARED_SPECS / "corpus" / "k8s-apps-v1"


def test_kubernetes_findings_are_all_located(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    specs = sorted(K8S.glob("*.json")) if K8S.is_dir() else []
    if not specs:
        pytest.skip(f"{K8S} is absent (the shared corpus is not checked out beside this repo)")
    monkeypatch.setenv("OAGEN_CACHE_DIR", str(tmp_path / "cache"))
    found = pipeline.analyse(specs[0], Config())[1]
    warnings = [d for d in found if d.severity == "warning"]
    assert len(warnings) > 30  # `default` values that do not fit their schemas, mostly
    unlocated = [d for d in warnings if d.line is None or d.line <= 1 or d.pointer == "#"]
    assert unlocated == []
    assert any(d.pointer.endswith("/default") for d in warnings)
