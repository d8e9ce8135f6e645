"""Incremental regeneration is exact: after random edits, a run with warm caches (the reused IR of
`generator.reuse`, the render memos, every other cache) gives byte for byte the files and the
findings of a cold run with a fresh, empty cache.

Each round applies one to three seeded random edits to the spec, cumulatively: an operation's
summary or description (the edits the reused IR serves), a "CLI Usage:" line (it names the CLI
command, so the IR must be built again), a schema's property added, retyped or removed, a
schema's description, an operation added or removed, an operationId removed (its summary then
names its command), a validator finding where no text is, a `$ref` made to point at a file, at a
URL, or back inside. Rounds with only text edits must reuse the stored IR, and skip resolving
(`reuse.Known`: the document's references are known) and, while the texts stand where they
stood, making the validator's key; all others must build and resolve.
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import SHARED_SPECS, requires_shared

from generator import modules, pipeline, reuse, validate
from generator.cache import Memo
from generator.config import Config
from generator.diagnostics import SpecError
from generator.render import client, ops, package

METHODS = ("get", "put", "post", "delete", "patch")


def _operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        op
        for item in spec["paths"].values()
        for method, op in item.items()
        if method in METHODS and isinstance(op, dict)
    ]


def _object_schemas(spec: dict[str, Any]) -> list[dict[str, Any]]:
    schemas = spec.get("components", {}).get("schemas", {})
    return [s for s in schemas.values() if isinstance(s.get("properties"), dict)]


_TEXT_EDITS = ["summary", "description"]
_OTHER_EDITS = ["usage", "add_property", "retype", "drop_property", "schema_text", "add_op",
                "drop_op", "drop_id", "finding"]  # fmt: skip
# a `$ref` of a schema property: to a file beside the spec, to a URL (an error), back inside
_REF_EDITS = {"file_ref": "shared.json#/Thing", "remote_ref": "https://example.com/s.json#/T",
              "inner_ref": "#/components/schemas/Owner"}  # fmt: skip
_SHARED_FILE = {"Thing": {"type": "object", "properties": {"size": {"type": "integer"}}}}


def _edit(
    spec: dict[str, Any], rng: random.Random, n: int, text_only: bool, kind: str = ""
) -> str:
    """Apply one random edit to `spec` (of `kind` if given); its kind: "text" when only an
    operation's text changed in a way the build does not read."""
    ops = _operations(spec)
    if text_only:
        ops = [op for op in ops if op.get("operationId")]
    elif kind == "unnamed_summary":
        ops = [op for op in ops if not op.get("operationId")]
        kind = "summary"
    op = rng.choice(ops)
    kind = kind or rng.choice(_TEXT_EDITS if text_only else _TEXT_EDITS + _OTHER_EDITS)
    if kind == "summary":
        op["summary"] = f"{op.get('summary', 'Do it')} (edit {n})"
        return "text" if op.get("operationId") else "build"
    if kind == "description":
        op["description"] = f"{op.get('description', '')}\n\nEdited {n}: see `other` docs.".strip()
        return "text"
    if kind == "usage":
        op["description"] = f"Usage edit {n}.\n\nCLI Usage: `tool edited{n} thing`"
        return "build"
    if kind == "finding":  # the validator's finding; no text, and nothing the build reads
        spec["info"]["termsOfService"] = n
        return "build"
    if kind in _REF_EDITS:
        pet = spec["components"]["schemas"]["Pet"]
        pet["properties"]["owner"] = {"$ref": _REF_EDITS[kind]}
        pet["x-edit"] = n  # never the document of an earlier round (its IR may be stored)
        return "build"
    schemas = _object_schemas(spec)
    schema = rng.choice(schemas)
    props = schema["properties"]
    if kind == "add_property":
        props[f"added_{n}"] = rng.choice([{"type": "integer"}, {"type": "string"}])
    elif kind == "retype" and props:
        key = rng.choice(sorted(props))
        props[key] = {"type": "number"} if props[key].get("type") != "number" else {}
    elif kind == "drop_property" and len(props) > 1:
        del props[rng.choice(sorted(props))]
    elif kind == "schema_text":
        schema["description"] = f"Schema text, edit {n}."
    elif kind == "add_op":
        new = copy.deepcopy(op)
        new["operationId"] = f"addedOperation{n}"
        new.pop("parameters", None)
        spec["paths"][f"/added/{n}"] = {"post": new}
    elif kind == "drop_op" and len(ops) > 2:
        for path, item in list(spec["paths"].items()):
            for method in METHODS:
                if item.get(method) is op:
                    del item[method]
            if not any(m in item for m in METHODS):
                del spec["paths"][path]
    elif kind == "drop_id":
        op.pop("operationId", None)
        op["summary"] = f"Unnamed edit {n}"
    else:
        schema["properties"][f"fallback_{n}"] = {"type": "boolean"}
    return "build"


def _counted(real: Any, calls: list[str], name: str) -> Any:
    def counting(*args: Any) -> Any:
        calls.append(name)
        return real(*args)

    return counting


def _run(spec_path: Path, cache: Path | str, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("OAGEN_CACHE_DIR", str(cache))
    try:
        result = pipeline.generate(spec_path, Config(spec=str(spec_path), package="edited"))
    except SpecError as exc:  # the same errors as a cold run, then
        return {}, [d.format() for d in exc.diagnostics]
    return result.files, [d.format() for d in result.diagnostics]


def _rounds(
    base: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
    rounds: int,
    as_yaml: bool,
    kinds_by_round: tuple[str, ...] = (),
) -> None:
    """`rounds` rounds of random edits (`kinds_by_round`: one edit of each kind instead)."""
    rng = random.Random(seed)
    spec = copy.deepcopy(base)
    spec_path = tmp_path / ("spec.yaml" if as_yaml else "spec.json")
    warm = tmp_path / "warm-cache"
    builds: list[int] = []
    real = reuse.build_unlocated

    def counting(*args: Any) -> Any:
        builds.append(1)
        return real(*args)

    monkeypatch.setattr(reuse, "build_unlocated", counting)
    resolved: list[int] = []  # documents resolved, and validator keys made (the warm runs')
    blinded: list[int] = []
    real_resolve, real_blind = pipeline.resolve, validate.text_blind_key

    def resolving(*args: Any) -> Any:
        resolved.append(1)
        return real_resolve(*args)

    def blinding(*args: Any) -> Any:
        blinded.append(1)
        return real_blind(*args)

    monkeypatch.setattr(pipeline, "resolve", resolving)
    planned: list[str] = []  # files made again, not recalled whole (they show no op's text)
    laid: list[str] = []  # `Op(...)` entries laid out again
    monkeypatch.setattr(ops, "op_code", _counted(ops.op_code, laid, "op_code"))
    remade = ((modules, "plan"), (ops, "context"), (client, "_client"), (package, "_init"),
              (pipeline, "drop_unused_inline"))  # fmt: skip
    for owner, name in remade:
        monkeypatch.setattr(owner, name, _counted(getattr(owner, name), planned, name))
    monkeypatch.setattr(validate, "text_blind_key", blinding)
    (tmp_path / "shared.json").write_text(json.dumps(_SHARED_FILE))
    laid_out: list[str] = []  # render memo misses: texts laid out again
    real_put = Memo.put

    def put(self: Memo, key: str, text: str) -> str:
        laid_out.append(key)
        return real_put(self, key, text)

    monkeypatch.setattr(Memo, "put", put)

    def write() -> None:
        text = yaml.safe_dump(spec, sort_keys=False) if as_yaml else json.dumps(spec, indent=1)
        spec_path.write_text(text)

    write()
    _run(spec_path, warm, monkeypatch)  # warm the caches
    hits = 0
    for n in range(1, rounds + 1):
        layout = reuse.text_layout(spec)
        edits = 1 if kinds_by_round else rng.randint(1, 3)
        if kinds_by_round:
            kinds = {_edit(spec, rng, n, False, kinds_by_round[n - 1])}
        else:
            text_only = rng.random() < 0.5
            kinds = {_edit(spec, rng, n, text_only) for _ in range(edits)}
        write()
        for counted in (builds, laid_out, resolved, blinded, planned, laid):
            counted.clear()
        warm_files, warm_found = _run(spec_path, warm, monkeypatch)
        reused, misses = not builds, len(laid_out)
        shortcut, recalled, ops_laid = (not resolved, not blinded), not planned, len(laid)
        cold_files, cold_found = _run(spec_path, tmp_path / f"cold-{n}", monkeypatch)
        assert sorted(warm_files) == sorted(cold_files), f"round {n}: other files"
        for path, text in cold_files.items():
            assert warm_files[path] == text, f"round {n} ({kinds}): {path} differs from cold"
        assert warm_found == cold_found, f"round {n}: other findings"
        if kinds == {"text"}:
            assert reused, f"round {n}: a text-only edit built the IR again"
            assert recalled, f"round {n}: a text-only edit made {planned} again"
            if "shared.json" not in json.dumps(spec):  # no file to bundle
                assert shortcut[0], f"round {n}: a text-only edit resolved the document"
            # texts added, removed or moved: the validator's key is made again, else not
            moved = reuse.text_layout(spec) != layout
            assert shortcut[1] is not moved, f"round {n}: validator's key made: {not moved}"
            # an edited operation's group module, `Op(...)`, CLI entry and docs page, and the
            # API surface's text (its key covers every operation), no more
            assert misses <= 4 * edits + 1, f"round {n}: {misses} texts laid out again"
            hits += 1
        else:
            assert not reused or not warm_files, f"round {n} ({kinds}): the IR was reused"
            assert not shortcut[0], f"round {n} ({kinds}): the document was not resolved"
            if kinds_by_round[n - 1 : n] == ("schema_text",):  # no operation shows it
                assert not ops_laid, f"round {n}: a schema's text laid out {ops_laid} `Op`s"
    assert hits or kinds_by_round, "no round had only text edits: choose another seed"


_SYNTHETIC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Edited", "version": "1"},
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "summary": "List pets",
                "description": "All of them.",
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}}}}},
            },
            "post": {
                "summary": "Create pet",
                "description": "CLI Usage: `tool create pet`",
                "requestBody": {"content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Pet"}}}},
                "responses": {"201": {"description": "made"}},
            },
        },
        "/pets/{id}": {
            "get": {
                "summary": "Show pet",
                "parameters": [{"name": "id", "in": "path", "required": True,
                                "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Owner"}}}}},
            },
            "delete": {
                "operationId": "deletePet",
                "parameters": [{"name": "id", "in": "path", "required": True,
                                "schema": {"type": "integer"}}],
                "responses": {"204": {"description": "gone"}},
            },
        },
    },
    "components": {"schemas": {
        "Pet": {"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string"}, "tag": {"type": "string"},
            "owner": {"$ref": "#/components/schemas/Owner"}}},
        "Owner": {"type": "object", "properties": {
            "id": {"type": "integer"}, "kind": {"type": "string", "enum": ["a", "b"]},
            # a builder's warning (two names for one attribute) below every operation: its
            # line moves when an operation's text gains or loses a line
            "+1": {"type": "integer"}, "-1": {"type": "integer"}}},
    }},
}  # fmt: skip


@pytest.mark.parametrize("seed", [1, 2])
def test_random_edits_of_a_small_spec_equal_a_cold_run(
    seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _rounds(_SYNTHETIC, tmp_path, monkeypatch, seed, rounds=8, as_yaml=seed % 2 == 0)


def test_each_edit_that_changes_the_build_alone_equals_a_cold_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One round per kind of edit the IR depends on, each alone (a random round may hide one
    behind another that changes the key anyway)."""
    kinds = (*_OTHER_EDITS, "unnamed_summary")
    _rounds(_SYNTHETIC, tmp_path, monkeypatch, 3, len(kinds), False, kinds)


def test_reference_edits_are_resolved_again_and_equal_a_cold_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A `$ref` made to point at a file (bundled), then text edits while it does, back inside,
    at a URL (refused: the same error as a cold run), back inside again, then text edits."""
    kinds = ("file_ref", "description", "inner_ref", "description", "remote_ref", "inner_ref",
             "description", "finding", "description")  # fmt: skip
    _rounds(_SYNTHETIC, tmp_path, monkeypatch, 4, len(kinds), False, kinds)


def test_a_selection_changed_with_warm_caches_equals_a_cold_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files that show no operation's text are recalled whole by the IR's key, the selection
    and the render settings: a selection that keeps fewer operations (and models), or other
    settings, are not served the files of the whole API or of the settings before."""
    spec_path = tmp_path / "spec.json"
    spec_path.write_text(json.dumps(_SYNTHETIC))
    monkeypatch.setenv("OAGEN_CACHE_DIR", str(tmp_path / "warm"))
    pipeline.generate(spec_path, Config(spec=str(spec_path), package="edited"))
    changes: list[dict[str, Any]] = [
        {"operations": ("deletePet",)},
        {"operations": ("listPets",)},
        {},
        {"max_retries": 7, "group_by": "tag"},
        {"package": "other"},
    ]
    for change in changes:
        config = Config(spec=str(spec_path), **{"package": "edited", **change})
        monkeypatch.setenv("OAGEN_CACHE_DIR", str(tmp_path / "warm"))
        warm = pipeline.generate(spec_path, config).files
        monkeypatch.setenv("OAGEN_CACHE_DIR", "")
        assert warm == pipeline.generate(spec_path, config).files, change


@requires_shared()
def test_random_edits_of_vastai_full_equal_a_cold_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = SHARED_SPECS / "vastai" / "vastai-full.yaml"
    if not spec.is_file():
        pytest.skip(f"{spec} is absent")
    base = yaml.safe_load(spec.read_text())
    _rounds(base, tmp_path, monkeypatch, seed=16, rounds=6, as_yaml=False)
