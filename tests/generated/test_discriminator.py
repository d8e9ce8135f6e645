"""oneOf with a discriminator: the property's value picks the model, with and without `mapping`."""

from __future__ import annotations

from pathlib import Path

import httpx
from conftest import generate_package

SPEC = """
openapi: 3.1.0
info: {title: Pets, version: '1'}
servers: [{url: 'http://pets.test'}]
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: array
                items:
                  oneOf:
                    - $ref: '#/components/schemas/Cat'
                    - $ref: '#/components/schemas/Dog'
                  discriminator: {propertyName: kind, mapping: {kitty: '#/components/schemas/Cat'}}
  /animals:
    get:
      operationId: listAnimals
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: array
                items:
                  oneOf:
                    - $ref: '#/components/schemas/Cat'
                    - $ref: '#/components/schemas/Dog'
                  discriminator: {propertyName: kind}
components:
  schemas:
    Cat:
      type: object
      required: [kind]
      properties: {kind: {type: string}, name: {type: string}}
    Dog:
      type: object
      required: [kind]
      properties: {kind: {type: string}, name: {type: string}}
"""


def _client(pkg, body):  # type: ignore[no-untyped-def]
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=body))
    return pkg.Client(http_client=httpx.Client(transport=transport))


def test_discriminator_with_and_without_mapping(tmp_path: Path) -> None:
    pkg, _ = generate_package(tmp_path, SPEC)
    # Cat and Dog have the same shape: only the discriminator can tell them apart.
    with _client(pkg, [{"kind": "Dog", "name": "rex"}, {"kind": "kitty", "name": "tom"}]) as client:
        dog, cat = client.list_pets()
    assert type(dog).__name__ == "Dog" and dog.name == "rex"
    assert type(cat).__name__ == "Cat" and cat.name == "tom"
    with _client(pkg, [{"kind": "Dog"}, {"kind": "Cat"}, {"kind": "Bird"}]) as client:
        dog, cat, other = client.list_animals()
    assert (type(dog).__name__, type(cat).__name__) == ("Dog", "Cat")
    assert type(other).__name__ == "Cat"  # unknown tag: first member whose shape fits
