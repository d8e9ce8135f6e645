"""Large APIs spread their models over `_models_<n>` modules; `models` re-exports them all.

Generated with a tiny `modules.CHUNK` so that a small inline spec splits: the package must
import, decode across modules, keep each class with its base, type-check with mypy --strict,
and give each class the same module when another schema is added.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import generate_package

from generator import modules, pipeline
from generator.config import Config

SPEC = """
openapi: 3.1.0
info: {title: Zoo, version: "1"}
paths:
  /zoo:
    get:
      operationId: getZoo
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Zoo"}
components:
  schemas:
    Zoo:
      type: object
      properties:
        keeper: {$ref: "#/components/schemas/Keeper"}
        animals: {type: array, items: {$ref: "#/components/schemas/Animal"}}
        size: {type: string, enum: [small, large]}
    Keeper:
      type: object
      required: [name]
      properties:
        name: {type: string}
        zoo: {$ref: "#/components/schemas/Zoo"}
    Animal:
      type: object
      properties:
        kind: {$ref: "#/components/schemas/Kind"}
    Cat:
      allOf:
        - $ref: "#/components/schemas/Animal"
        - type: object
          properties: {purrs: {type: boolean}}
    Kitten:
      allOf:
        - $ref: "#/components/schemas/Cat"
        - type: object
          properties: {age: {type: integer}}
    Kind: {type: string, enum: [cat, dog]}
    Food: {type: object, properties: {name: {type: string}}}
"""


@pytest.fixture()
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(modules, "CHUNK", 2)


def test_split_package_imports_and_decodes_across_modules(tmp_path: Path, small_chunks: None) -> None:
    package, out = generate_package(tmp_path, SPEC)
    files = sorted(p.name for p in (out / package.__name__).glob("_models_*.py"))
    assert len(files) >= 3, files
    models = package.models
    for name in ("Zoo", "Keeper", "Animal", "Cat", "Kitten", "Kind", "Food"):
        assert name in models.__all__ and getattr(package, name) is getattr(models, name)
    # a class lives with its base, in one module
    assert models.Kitten.__module__ == models.Cat.__module__ == models.Animal.__module__
    zoo = models.Zoo.from_dict(
        {"keeper": {"name": "k", "zoo": {"size": "large"}}, "animals": [{"kind": "cat"}], "size": "small"}
    )
    assert isinstance(zoo.keeper, models.Keeper) and isinstance(zoo.keeper.zoo, models.Zoo)
    assert zoo.keeper.zoo.size is models.ZooSize.LARGE
    assert isinstance(zoo.animals[0], models.Animal) and zoo.animals[0].kind is models.Kind.CAT
    assert zoo.to_dict()["keeper"] == {"name": "k", "zoo": {"size": "large"}}
    # the modules do refer to each other (the split is real)
    modules_of = {getattr(models, n).__module__ for n in ("Zoo", "Keeper", "Animal", "Kind")}
    assert len(modules_of) > 1


def test_split_package_passes_mypy_strict_and_ruff(tmp_path: Path, small_chunks: None) -> None:
    package, out = generate_package(tmp_path, SPEC)
    name = package.__name__
    use = out / "use_it.py"
    use.write_text(
        f"from {name} import Kitten, Zoo, models\n"
        "z = Zoo.from_dict({})\n"
        "k: models.Keeper | None = None\n"
        "reveal_type(Kitten().purrs)\n",
        encoding="utf-8",
    )
    bin_dir = Path(sys.executable).parent
    checked = subprocess.run(
        [str(bin_dir / "mypy"), "--strict", "--python-version", "3.10", name, "use_it.py"],
        capture_output=True,
        text=True,
        cwd=out,
        timeout=600,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert 'Revealed type is "bool | ' in checked.stdout and "Unset" in checked.stdout
    linted = subprocess.run(
        [str(bin_dir / "ruff"), "check", "--isolated", name], capture_output=True, text=True, cwd=out
    )
    assert linted.returncode == 0, linted.stdout


def test_adding_a_schema_moves_no_other_class(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(modules, "CHUNK", 3)  # 8 and 9 classes: 4 modules either way
    def homes(spec: str, folder: Path) -> dict[str, str]:
        folder.mkdir()
        path = folder / "openapi.yaml"
        path.write_text(spec, encoding="utf-8")
        api = pipeline.generate(path, Config(package="x")).api
        return {
            name: module.name
            for module in modules.plan(api)
            for name in module.names
        }

    doc = yaml.safe_load(SPEC)
    before = homes(yaml.safe_dump(doc), tmp_path / "a")
    doc["components"]["schemas"]["Extra"] = {"type": "object", "properties": {"x": {"type": "string"}}}
    after = homes(yaml.safe_dump(doc), tmp_path / "b")
    assert set(after) == set(before) | {"Extra"}
    assert len(set(after.values())) > 1 and set(before.values()) <= {f"_models_{i}" for i in range(4)}
    assert {n: after[n] for n in before} == before


def test_small_apis_keep_one_models_module(tmp_path: Path) -> None:
    package, out = generate_package(tmp_path, SPEC)
    assert not list((out / package.__name__).glob("_models_*.py"))
    assert package.models.Zoo.__module__ == f"{package.__name__}.models"
