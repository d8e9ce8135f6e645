"""Model fields are read from the dataclass annotations at run time: they must say what the IR says.

Generated models declare each field once, as an annotation; the runtime derives the wire
name, the type descriptor (`_runtime.Descriptor`) and whether the field is required from it,
plus `_wire` (renamed fields) and `_descriptors` (what an annotation cannot say: discriminated
unions, object constants). These tests generate real packages, import them, and compare
every model's derived fields with the descriptors the IR gives (`render.types.descriptor`), on
inline specs that hit each case and on real specs from ../shared when present.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import SHARED_SPECS, generate_package

from generator import pipeline
from generator.config import Config
from generator.model import Api
from generator.render.types import Imports, descriptor

Spec = Any


def flat(spec: Spec) -> tuple[Any, ...]:
    """The alternatives of a descriptor in order, nullability as a `None` const, deduplicated.

    `A | (B | None)` and `(A | B) | None` decode the same way; this makes them compare equal.
    """
    out: list[Any] = []
    if isinstance(spec, str):
        out = [spec]
    elif spec[0] == "null":
        out = [*flat(spec[1]), ("const", None)]
    elif spec[0] == "union" and len(spec) == 2:
        out = [alt for item in spec[1] for alt in flat(item)]
    elif spec[0] in ("list", "map"):
        out = [(spec[0], flat(spec[1]))]
    elif spec[0] == "union":  # discriminated: compared exactly, members flattened
        out = [("union", tuple(flat(i) for i in spec[1]), spec[2], tuple(sorted(spec[3].items())))]
    else:
        out = [spec]
    unique: list[Any] = []
    for alt in out:
        if alt not in unique:
            unique.append(alt)
    return ("any",) if "any" in unique else tuple(unique)


def expected_fields(api: Api, name: str, rt: ModuleType) -> dict[str, tuple[str, Any, bool]]:
    by_name = {m.name: m for m in api.models}
    chain = []
    current = by_name.get(name)
    while current is not None:
        chain.append(current)
        current = by_name.get(current.base) if current.base else None
    out: dict[str, tuple[str, Any, bool]] = {}
    for model in reversed(chain):
        for f in model.fields:
            spec = eval(descriptor(f.type, Imports()), {"rt": rt})  # noqa: S307 - our own generated code
            # a fixed field (one value: the default) is never required from the user
            out[f.wire] = (f.name, flat(spec), f.required and not f.fixed)
    return out


def check_package(api: Api, package: ModuleType) -> int:
    rt = package._runtime
    checked = 0
    for model in api.models:
        cls = getattr(package.models, model.name)
        derived = {f.wire: (f.name, flat(f.type), f.required) for f in cls._all_fields()}
        assert derived == expected_fields(api, model.name, rt), model.name
        checked += 1
    return checked


INLINE = """
openapi: 3.1.0
info: {title: Fields, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Zoo"}
components:
  schemas:
    Cat:
      type: object
      required: [kind]
      properties:
        kind: {const: cat}
        purrs: {type: boolean}
    Dog:
      type: object
      required: [kind]
      properties:
        kind: {const: dog}
        barkVolume: {type: [number, "null"]}
    Base:
      type: object
      required: [id]
      properties:
        id: {type: string}
        class: {type: string}
    Zoo:
      allOf:
        - $ref: "#/components/schemas/Base"
        - type: object
          required: [animals, shape]
          properties:
            animals:
              type: array
              items:
                oneOf: [{$ref: "#/components/schemas/Cat"}, {$ref: "#/components/schemas/Dog"}]
                discriminator: {propertyName: kind, mapping: {cat: Cat, dog: "#/components/schemas/Dog"}}
            shape: {const: {sides: 4}}
            ratio: {const: 1.5}
            mode: {enum: [a, 1, true]}
            nothing: {type: "null"}
            anything: {}
            maybeAnything: {type: [object, "null"]}
            byName:
              type: object
              additionalProperties: {oneOf: [{type: string}, {type: integer}, {type: "null"}]}
            stamp: {type: string, format: date-time}
            blob: {type: string, format: binary}
"""


def test_inline_spec_fields_match_the_ir(tmp_path: Path) -> None:
    package, _ = generate_package(tmp_path, INLINE)
    spec_path = tmp_path / "openapi.yaml"
    api = pipeline.generate(spec_path, Config(package="x")).api
    assert check_package(api, package) == len(api.models)
    zoo = package.models.Zoo
    # `id` keeps its wire name (issue 12), `class` is a keyword
    assert package.models.Base._wire == {"class_": "class"}  # where declared
    assert zoo._wire == {"maybe_anything": "maybeAnything", "by_name": "byName"}
    # the discriminated list and the non-Literal constants need explicit descriptors; no more
    assert set(zoo._descriptors) == {"animals", "shape", "ratio"}
    decoded = zoo.from_dict(
        {"id": "z", "class": "c", "animals": [{"kind": "dog", "barkVolume": 3}], "shape": {}}
    )
    assert type(decoded.animals[0]).__name__ == "Dog"
    assert decoded.animals[0].bark_volume == 3.0 and isinstance(decoded.animals[0].bark_volume, float)
    assert decoded.class_ == "c"
    assert decoded.to_dict()["class"] == "c"


def test_missing_required_field_is_tolerated_and_optional_is_unset(tmp_path: Path) -> None:
    package, _ = generate_package(tmp_path, INLINE)
    zoo = package.models.Zoo.from_dict({"animals": []})
    assert zoo.id is package.UNSET  # required, but the server left it out: tolerated
    assert zoo.ratio is package.UNSET
    assert "ratio" not in zoo.to_dict()


REAL = ["vastai/vastai-full.yaml", "corpus/spotify/fixed-spotify-open-api.yml", "corpus/asana/asana_oas.yaml"]


@pytest.mark.corpus
@pytest.mark.parametrize("relative", REAL)
def test_real_spec_fields_match_the_ir(relative: str, tmp_path: Path) -> None:
    spec_path = SHARED_SPECS / relative
    if not spec_path.is_file():
        pytest.skip(f"{spec_path} is absent (../shared/specs is not beside this clone)")
    package, _ = generate_package(tmp_path, spec_path.read_text(encoding="utf-8"))
    api = pipeline.generate(tmp_path / "openapi.yaml", Config(package="x")).api
    assert check_package(api, package) == len(api.models) > 10
