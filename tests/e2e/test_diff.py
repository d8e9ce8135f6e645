"""API-change report: `generator.diff` on the IR, `oagen diff OLD NEW`, and the one-line summary."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT, SHARED_SPECS, requires_shared, run_oagen

from generator import diff, pipeline
from generator.config import Config
from generator.model import Api

BASE = """
openapi: 3.1.0
info: {title: Shop, version: '1'}
paths:
  /pets/:
    get:
      operationId: listPets
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
        - {name: kind, in: query, schema: {type: string, enum: [dog, cat, bird]}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: array
                items: {$ref: '#/components/schemas/Pet'}
    post:
      operationId: createPet
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string}
                age: {type: integer}
      responses:
        '201': {description: created}
  /pets/{id}/:
    delete:
      operationId: deletePet
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        '204': {description: gone}
components:
  schemas:
    Pet:
      type: object
      required: [id]
      properties:
        id: {type: integer}
        name: {type: string}
        tag: {type: string}
"""


def api_of(tmp_path: Path, text: str, name: str = "openapi.yaml") -> Api:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return pipeline.analyse(path, Config())[0]


def changes(tmp_path: Path, new_text: str) -> list[diff.Change]:
    return diff.diff_apis(api_of(tmp_path, BASE, "old.yaml"), api_of(tmp_path, new_text))


def messages(found: list[diff.Change]) -> set[tuple[bool, str]]:
    """Operation changes as `name: message`; model changes as `Model (via OPS): message`."""
    return {
        (
            (c.breaking, f"{c.name} (via {', '.join(c.operations)}): {c.message}")
            if c.where == "model"
            else (c.breaking, f"{c.name}: {c.message}")
        )
        for c in found
    }


def test_no_change(tmp_path: Path) -> None:
    assert changes(tmp_path, BASE) == []
    assert diff.summary([]) == "no API change"


def test_description_only_changes_are_not_api_changes(tmp_path: Path) -> None:
    assert changes(tmp_path, BASE.replace("description: ok", "description: fine")) == []


def test_added_optional_things_are_not_breaking(tmp_path: Path) -> None:
    new = BASE.replace(
        "        - {name: limit, in: query, schema: {type: integer}}",
        "        - {name: limit, in: query, schema: {type: integer}}\n"
        "        - {name: order, in: query, schema: {type: string}}",
    ).replace(
        "        tag: {type: string}", "        tag: {type: string}\n        color: {type: string}"
    )
    new = new.replace("enum: [dog, cat, bird]", "enum: [dog, cat, bird, fish]")
    new = new.replace(
        "components:",
        "  /stores/:\n    get:\n      operationId: listStores\n"
        "      responses:\n        '200': {description: ok}\ncomponents:",
    )
    found = changes(tmp_path, new)
    assert messages(found) == {
        (False, "list_pets: parameter 'order' added"),
        (False, "list_pets: parameter 'kind': enum values added: \"fish\""),
        (False, "Pet (via GET /pets/): response field 'color' added"),
        (False, "list_stores: operation added"),
    }
    assert not any(c.breaking for c in found)


def test_breaking_changes(tmp_path: Path) -> None:
    new = (
        BASE.replace("enum: [dog, cat, bird]", "enum: [dog, cat]")  # narrowed enum
        .replace(
            "{name: limit, in: query, schema: {type: integer}}",
            "{name: limit, in: query, required: true, schema: {type: integer}}",
        )
        .replace(
            "                age: {type: integer}", "                age: {type: string}"
        )  # type change
        .replace("        tag: {type: string}\n", "")  # removed response field
        .replace("              required: [name]", "              required: [name, age]")
    )
    new = new[: new.index("  /pets/{id}/:")] + new[new.index("components:") :]  # removed op
    found = changes(tmp_path, new)
    assert messages(found) == {
        (True, "list_pets: parameter 'kind': enum values removed: \"bird\""),
        (True, "list_pets: parameter 'limit': now required"),
        (True, "Pet (via GET /pets/): response field 'tag' removed"),
        (True, "create_pet: body field 'age': type int -> str"),
        (True, "create_pet: body field 'age': now required"),
        (True, "delete_pet: operation removed"),
    }
    assert diff.summary(found) == "6 API change(s), 6 breaking"


def test_new_required_parameter_is_breaking(tmp_path: Path) -> None:
    new = BASE.replace(
        "        - {name: limit, in: query, schema: {type: integer}}",
        "        - {name: limit, in: query, schema: {type: integer}}\n"
        "        - {name: shop, in: query, required: true, schema: {type: string}}",
    )
    assert messages(changes(tmp_path, new)) == {
        (True, "list_pets: parameter 'shop' added (required)")
    }


def test_changed_path_is_matched_and_breaking(tmp_path: Path) -> None:
    new = BASE.replace("  /pets/:", "  /pets:").replace("  /pets/{id}/:", "  /animals/{pet_id}:")
    new = new.replace("{name: id, in: path", "{name: pet_id, in: path")
    found = changes(tmp_path, new)
    assert messages(found) == {
        (True, "list_pets: path changed from /pets/"),
        (True, "create_pet: path changed from /pets/"),
        (True, "delete_pet: path changed from /pets/{id}/"),  # matched by name
        (True, "delete_pet: parameter 'id' removed"),
        (True, "delete_pet: parameter 'pet_id' added (required)"),
    }
    assert {c.operation for c in found} == {"GET /pets", "POST /pets", "DELETE /animals/{pet_id}"}


def test_response_field_becoming_optional_is_breaking_and_the_reverse_is_not(
    tmp_path: Path,
) -> None:
    new = BASE.replace("      required: [id]\n", "      required: [name]\n")
    assert messages(changes(tmp_path, new)) == {
        (True, "Pet (via GET /pets/): response field 'id': now optional"),
        (False, "Pet (via GET /pets/): response field 'name': now required"),
    }


def test_surface_is_json_and_round_trips(tmp_path: Path) -> None:
    api = api_of(tmp_path, BASE)
    data = json.loads(diff.surface_text(api))
    assert diff.is_surface(data)
    # each model once, and the operation refers to it by name
    assert data["models"]["Pet"]["fields"]["id"] == {"type": "int", "required": True}
    assert data["operations"]["GET /pets/"]["response"] == {
        "(response)": {"type": "list[object]", "required": True, "refs": [["[]", "Pet"]]}
    }
    assert diff.diff_surfaces(data, diff.surface(api)) == []


# -- the command -------------------------------------------------------------------------------


oagen = run_oagen


def test_oagen_diff_exit_codes_and_json(tmp_path: Path) -> None:
    (tmp_path / "old.yaml").write_text(textwrap.dedent(BASE).lstrip())
    (tmp_path / "same.yaml").write_text(textwrap.dedent(BASE).lstrip())
    (tmp_path / "added.yaml").write_text(
        textwrap.dedent(BASE)
        .lstrip()
        .replace(
            "        tag: {type: string}", "        tag: {type: string}\n        x: {type: string}"
        )
    )
    (tmp_path / "removed.yaml").write_text(
        textwrap.dedent(BASE).lstrip().replace("        tag: {type: string}\n", "")
    )
    same = oagen("diff", "old.yaml", "same.yaml", cwd=tmp_path)
    assert (same.returncode, same.stdout) == (0, "no API change\n")
    added = oagen("diff", "old.yaml", "added.yaml", cwd=tmp_path)
    assert added.returncode == 0
    assert "ok       model Pet: response field 'x' added (in GET /pets/)" in added.stdout
    removed = oagen("diff", "old.yaml", "removed.yaml", "--format", "json", cwd=tmp_path)
    assert removed.returncode == 1
    data = json.loads(removed.stdout)
    assert data["breaking"] == 1 and data["total"] == 1
    assert data["changes"][0] == {
        "kind": "removed",
        "breaking": True,
        "operation": "",
        "name": "Pet",
        "where": "model",
        "item": "tag",
        "message": "response field 'tag' removed",
        "operations": ["GET /pets/"],
    }
    missing = oagen("diff", "old.yaml", "nope.yaml", cwd=tmp_path)
    assert missing.returncode == 2 and "nope.yaml" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_generate_reports_changes_since_the_last_run(tmp_path: Path) -> None:
    shutil.copy(ROOT / "openapi.yaml", tmp_path / "openapi.yaml")
    (tmp_path / "openapi.yaml").chmod(0o644)
    first = oagen("generate", "--package", "shop", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "since the last generation" not in first.stderr
    surface = tmp_path / "generated" / diff.SURFACE_FILE
    manifest = json.loads((tmp_path / "generated" / ".oagen-manifest.json").read_text())
    assert diff.SURFACE_FILE in manifest["files"]  # an owned file: --check covers it
    spec = tmp_path / "openapi.yaml"
    spec.write_text(
        spec.read_text().replace("                cold_workers:", "                cold_workerz:")
    )
    second = oagen("generate", "--package", "shop", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    line = next(x for x in second.stderr.splitlines() if "since the last generation" in x)
    assert "2 API change(s), 1 breaking" in line and "cold_workers" in line
    assert "cold_workerz" in surface.read_text()
    # the stored surface can be diffed against a spec
    proc = oagen("diff", f"generated/{diff.SURFACE_FILE}", "openapi.yaml", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, "no API change\n")
    # a hand edit of the surface file is drift like any other
    surface.write_text(surface.read_text().replace("cold_workerz", "cold_workerq"))
    check = oagen("generate", "--package", "shop", "--check", cwd=tmp_path)
    assert check.returncode == 1 and diff.SURFACE_FILE in check.stdout


# -- the Vast.ai versions ---------------------------------------------------------------------

VAST = SHARED_SPECS / "vastai"
FULL = VAST / "vastai-full.yaml"
OTHERS = [
    "vastai-full-docs-f9c190d.yaml",
    "vastai-full-docs-main-head-e758d35.yaml",
    "vastai-full-docs-preview-000751a.yaml",
    "vastai-full-vastcli-combined-f05b04c.yaml",
]


@pytest.fixture(scope="module")
def surfaces() -> dict[str, dict[str, object]]:
    cache: dict[str, dict[str, object]] = {}
    return cache


def surface_of(name: str, cache: dict[str, dict[str, object]]) -> dict[str, object]:
    path = VAST / name
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    if name not in cache:
        cache[name] = diff.surface(pipeline.analyse(path, Config())[0])
    return cache[name]


@requires_shared()
@pytest.mark.slow
def test_vastai_trailing_slashes_dropped_is_breaking(
    surfaces: dict[str, dict[str, object]],
) -> None:
    old = surface_of("vastai-full.yaml", surfaces)
    new = surface_of("vastai-full-docs-main-head-e758d35.yaml", surfaces)
    found = diff.diff_surfaces(old, new)
    moved = [c for c in found if c.message.startswith("path changed from ")]
    assert len(moved) >= 60
    for c in moved:
        old_path = c.message.removeprefix("path changed from ")
        assert c.breaking
        assert old_path.endswith("/")
    create = [c for c in moved if c.name == "create_endpoint"]
    assert [c.format() for c in create] == [
        "BREAKING POST /api/v0/endptjobs (create_endpoint): path changed from /api/v0/endptjobs/"
    ]
    # matched, not reported as removed + added
    assert not any(
        c.name == "create_endpoint" and c.where == "operation" and c.kind != "changed"
        for c in found
    )  # noqa: E501


@requires_shared()
@pytest.mark.slow
@pytest.mark.parametrize("other", OTHERS)
def test_vastai_versions_diff_cleanly_both_ways(
    other: str, surfaces: dict[str, dict[str, object]]
) -> None:
    old = surface_of("vastai-full.yaml", surfaces)
    new = surface_of(other, surfaces)
    forward = diff.diff_surfaces(old, new)
    backward = diff.diff_surfaces(new, old)
    # what one direction adds, the other removes
    added = {c.operation for c in forward if c.kind == "added" and c.where == "operation"}
    removed_back = {c.operation for c in backward if c.kind == "removed" and c.where == "operation"}
    assert added == removed_back
    assert all(c.breaking for c in backward if c.kind == "removed")
    json.loads(diff.report_json(forward))
    assert diff.report_text(forward).endswith(diff.summary(forward) + "\n")


@requires_shared()
@pytest.mark.slow
def test_oagen_diff_command_on_vastai(tmp_path: Path) -> None:
    if not FULL.is_file():
        pytest.skip(f"{FULL} is absent")
    proc = oagen("diff", str(FULL), str(VAST / OTHERS[1]), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "BREAKING POST /api/v0/endptjobs (create_endpoint): path changed" in proc.stdout
    assert proc.stdout.rstrip().splitlines()[-1].endswith("breaking")


PAGED = """
openapi: 3.0.3
info: {title: Paged, version: "1"}
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {type: array, items: {$ref: '#/components/schemas/Item'}}
components:
  schemas:
    Item:
      type: object
      properties:
        id: {type: string}
"""
WITH_OFFSET = PAGED.replace(
    "        - {name: limit, in: query, schema: {type: integer}}\n",
    "        - {name: limit, in: query, schema: {type: integer}}\n"
    "        - {name: offset, in: query, schema: {type: integer}}\n",
)


def test_an_operation_that_starts_or_stops_paginating_is_a_breaking_change(
    tmp_path: Path,
) -> None:
    """Its method's return type changes (a page object, or the response model): an optional
    `offset` added beside `limit` is such a change, though it looks like an optional parameter."""
    plain, paged = api_of(tmp_path, PAGED, "plain.yaml"), api_of(tmp_path, WITH_OFFSET)
    assert paged.operations[0].pagination is not None  # the offset makes it page
    assert plain.operations[0].pagination is None
    started = diff.diff_apis(plain, paged)
    assert (
        True,
        "list_items: now paginated (offset): the method returns a page, not the response",
    ) in messages(started)
    stopped = diff.diff_apis(paged, plain)
    assert (True, "list_items: no longer paginated (was offset): returns the response") in messages(
        stopped
    )
    # another way of paging keeps the page object: reported, not breaking
    old, new = diff.surface(paged), diff.surface(paged)
    new["operations"]["GET /items"]["pagination"] = "cursor"
    assert messages(diff.diff_surfaces(old, new)) == {
        (False, "list_items: pagination changed from offset to cursor")
    }
    # a surface written before pagination was recorded: nothing reported against it
    del old["operations"]["GET /items"]["pagination"]
    assert diff.diff_surfaces(old, diff.surface(paged)) == []
