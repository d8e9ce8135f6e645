"""Unions tagged by `const`, tags always sent, discriminators on an `allOf` base (issue 12).

* pydantic writes a discriminated union as `anyOf` of objects whose tag property is
  `{type: string, const: pause, default: pause}`, often with no `discriminator`: the tag picks
  the member (it used to be the first member whose required fields were present, so a pause
  decoded as `DoNothing` and its `reason` was lost);
* a property that admits one value (a `const`, or a one-value enum that is required or a tag)
  always has it: the constructor does not ask for it and `to_dict()` always sends it; a
  different value decoded from a server is kept;
* a `discriminator` on a base that others extend through `allOf` picks the subclass when
  decoding through the base;
* a subclass that redefines an inherited property with an incompatible type (openai: a
  different enum, a nullable integer) keeps a type compatible with the base's, so the package
  passes `mypy --strict`.

Field names are looked up by wire name, so the tests hold whether `type` is spelled `type_`.
"""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from conftest import generate_package

SPEC = """
openapi: 3.1.0
info: {title: Tagged, version: "1"}
servers: [{url: "http://tagged.test"}]
paths:
  /actions:
    post:
      operationId: createAction
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Action'}
      responses:
        "201":
          description: stored
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Action'}
    get:
      operationId: listActions
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Action'}}
  /pauses:
    post:
      operationId: createPause
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pause'}
      responses:
        "201":
          description: stored
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pause'}
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}
  /shapes:
    get:
      operationId: listShapes
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: array
                items:
                  oneOf:
                    - $ref: '#/components/schemas/Circle'
                    - $ref: '#/components/schemas/Square'
components:
  schemas:
    Action:
      anyOf:
        - $ref: '#/components/schemas/DoNothing'
        - $ref: '#/components/schemas/Pause'
        - $ref: '#/components/schemas/Wait'
    DoNothing:
      type: object
      properties:
        type: {type: string, const: do-nothing, default: do-nothing, title: Type}
    Pause:
      type: object
      properties:
        type: {type: string, const: pause, default: pause, title: Type}
        reason: {type: string}
    Wait:
      type: object
      required: [type, seconds]
      properties:
        type: {type: string, const: wait}
        seconds: {type: integer}
    Circle:
      type: object
      required: [kind]
      properties:
        kind: {$ref: '#/components/schemas/CircleKind'}
        size: {type: number}
    CircleKind: {type: string, enum: [circle]}
    Square:
      type: object
      properties:
        kind: {type: string, enum: [square]}
        size: {type: number}
    Pet:
      type: object
      required: [petType]
      properties:
        petType: {type: string}
        name: {type: string}
        status: {$ref: '#/components/schemas/PetStatus'}
        age: {type: integer}
        best: {$ref: '#/components/schemas/Pet'}
        friends: {type: array, items: {$ref: '#/components/schemas/Pet'}}
      discriminator:
        propertyName: petType
        mapping: {kitty: '#/components/schemas/Cat'}
    PetStatus: {type: string, enum: [available, sold]}
    Cat:
      allOf:
        - $ref: '#/components/schemas/Pet'
        - type: object
          properties:
            meow: {type: boolean}
            status: {$ref: '#/components/schemas/CatStatus'}
            age: {type: [integer, "null"]}
            best: {$ref: '#/components/schemas/Cat'}
            friends: {type: array, items: {$ref: '#/components/schemas/Cat'}}
    CatStatus: {type: string, enum: [available]}
    Dog:
      allOf:
        - $ref: '#/components/schemas/Pet'
        - type: object
          properties:
            bark: {type: boolean}
    Lizard:
      allOf:
        - $ref: '#/components/schemas/Pet'
        - type: object
          properties:
            petType: {type: string, const: lizard}
    Gecko:
      allOf:
        - $ref: '#/components/schemas/Lizard'
        - type: object
          properties:
            petType: {type: string}
"""


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    module, _ = generate_package(tmp_path_factory.mktemp("tagged"), SPEC, package="tagged_pkg")
    return module


@pytest.fixture(scope="module")
def pkg_dir(pkg: ModuleType) -> Path:
    return Path(pkg.__file__).parent  # type: ignore[arg-type]


def attr(obj: Any, wire: str) -> Any:
    """The value of `obj`'s field whose wire name is `wire`."""
    name = next(f.name for f in type(obj)._all_fields() if f.wire == wire)
    return getattr(obj, name)


def kwarg(cls: Any, wire: str) -> str:
    return str(next(f.name for f in cls._all_fields() if f.wire == wire))


def mock_client(pkg: ModuleType, body: Any, status: int = 200) -> Any:
    transport = httpx.MockTransport(lambda request: httpx.Response(status, json=body))
    return pkg.Client(http_client=httpx.Client(transport=transport))


# -- 1. the tag picks the member ---------------------------------------------------------------


def test_const_tag_picks_the_member(pkg: ModuleType) -> None:
    body = [
        {"type": "pause", "reason": "maintenance"},
        {"type": "do-nothing"},
        {"type": "wait", "seconds": 3},
    ]
    with mock_client(pkg, body) as client:
        pause, nothing, wait = client.list_actions()
    assert type(pause).__name__ == "Pause"
    assert pause.reason == "maintenance" and pause.additional_properties == {}
    assert type(nothing).__name__ == "DoNothing"
    assert type(wait).__name__ == "Wait" and wait.seconds == 3


def test_unknown_tag_still_decodes_by_shape(pkg: ModuleType) -> None:
    with mock_client(pkg, [{"type": "resume", "seconds": 1}]) as client:
        (other,) = client.list_actions()
    assert type(other).__name__ in {"DoNothing", "Pause", "Wait"}
    assert attr(other, "type") == "resume"  # kept, not replaced by the member's tag
    assert other.to_dict() == {"type": "resume", "seconds": 1}  # nothing lost


def test_one_value_enum_tags_pick_the_member(pkg: ModuleType) -> None:
    body = [{"kind": "square", "size": 2}, {"kind": "circle", "size": 1}]
    with mock_client(pkg, body) as client:
        square, circle = client.list_shapes()
    assert (type(square).__name__, type(circle).__name__) == ("Square", "Circle")
    assert attr(square, "kind") == "square" and attr(circle, "kind") == "circle"


# -- 2. a tag is always sent --------------------------------------------------------------------


def test_const_tag_is_sent_without_being_passed(pkg: ModuleType) -> None:
    m = pkg.models
    assert m.Pause(reason="maintenance").to_dict() == {"type": "pause", "reason": "maintenance"}
    assert m.DoNothing().to_dict() == {"type": "do-nothing"}
    assert m.Wait(seconds=2).to_dict() == {"type": "wait", "seconds": 2}  # a required const
    assert m.Square(size=1.0).to_dict() == {"kind": "square", "size": 1.0}  # one-value enum tag
    assert m.Circle().to_dict() == {"kind": "circle"}  # required one-value enum


def test_a_different_tag_value_from_the_server_is_kept(pkg: ModuleType) -> None:
    m = pkg.models
    pause = m.Pause.from_dict({"type": "pause-v2", "reason": "x"})
    assert attr(pause, "type") == "pause-v2"
    assert pause.to_dict() == {"type": "pause-v2", "reason": "x"}
    assert attr(m.Pause.from_dict({"reason": "x"}), "type") == "pause"  # left out: the const


def test_flattened_body_sends_the_tag(pkg: ModuleType) -> None:
    seen: list[Any] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return httpx.Response(201, json=seen[-1])

    client = pkg.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    with client:
        result = client.create_pause(reason="maintenance")
    assert seen == [{"type": "pause", "reason": "maintenance"}]
    assert type(result).__name__ == "Pause" and result.reason == "maintenance"


# -- 3. a discriminator on an allOf base --------------------------------------------------------


def test_decoding_through_the_base_returns_the_subclass(pkg: ModuleType) -> None:
    m = pkg.models
    body = [
        {"petType": "Dog", "name": "rex", "bark": True},
        {"petType": "kitty", "name": "tom", "meow": True},
        {"petType": "lizard", "name": "liz"},
        {"petType": "Bird", "name": "tweety"},
    ]
    with mock_client(pkg, body) as client:
        dog, cat, lizard, bird = client.list_pets()
    assert type(dog) is m.Dog and dog.bark is True and dog.name == "rex"
    assert type(cat) is m.Cat and cat.meow is True  # through the mapping
    assert type(lizard) is m.Lizard  # by the subclass's const
    assert type(bird) is m.Pet and bird.name == "tweety"  # unknown: the base
    assert type(m.Pet.from_dict({"petType": "Cat"})) is m.Cat  # by schema name too
    assert type(m.Cat.from_dict({"petType": "Dog"})) is m.Cat  # never a class outside Cat
    assert type(m.Pet.from_dict({"petType": "Gecko"})) is m.Gecko  # a grandchild
    assert m.Gecko().to_dict() == {"petType": "lizard"}  # the base's const, kept


def test_subclass_narrowing_keeps_a_compatible_type(pkg: ModuleType) -> None:
    m = pkg.models
    data = {
        "petType": "kitty",
        "status": "available",
        "age": None,
        "best": {"petType": "kitty"},
        "friends": [{"petType": "Dog"}, {"petType": "kitty"}],
    }
    cat = m.Cat.from_dict(data)
    assert attr(cat, "status") == "available" and attr(cat, "age") is None
    assert type(cat.best) is m.Cat
    assert [type(f) for f in cat.friends] == [m.Dog, m.Cat]  # typed as the base's list[Pet]
    assert cat.to_dict() == data


# -- the generated package is clean ---------------------------------------------------------------


def test_package_passes_mypy_strict_and_ruff(pkg_dir: Path) -> None:
    bin_dir = Path(sys.executable).parent
    linted = subprocess.run(
        [str(bin_dir / "ruff"), "check", "--isolated", "--select", "F,I", pkg_dir.name],
        capture_output=True,
        text=True,
        cwd=pkg_dir.parent,
    )
    assert linted.returncode == 0, linted.stdout
    checked = subprocess.run(
        [str(bin_dir / "mypy"), "--strict", "--python-version", "3.10", pkg_dir.name],
        capture_output=True,
        text=True,
        cwd=pkg_dir.parent,
        timeout=600,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


# -- against a server that parses what it receives -------------------------------------------------


class _Store(http.server.BaseHTTPRequestHandler):
    stored: list[Any] = []

    def do_POST(self) -> None:  # noqa: N802
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        data = json.loads(raw)
        # what a pydantic server does: the tag picks the model, `pause` is the default member
        kind = data.get("type", "pause") if isinstance(data, dict) else None
        stored = {"type": kind, **{k: v for k, v in data.items() if k != "type"}}
        type(self).stored.append(stored)
        body = json.dumps(stored).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture
def server() -> Iterator[str]:
    _Store.stored = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Store)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def test_loopback_server_stores_the_member_the_user_built(pkg: ModuleType, server: str) -> None:
    m = pkg.models
    with pkg.Client(base_url=server) as client:
        nothing = client.create_action(body=m.DoNothing())
        wait = client.create_action(body=m.Wait(seconds=5))
        pause = client.create_pause(reason="maintenance")
    assert _Store.stored == [
        {"type": "do-nothing"},
        {"type": "wait", "seconds": 5},
        {"type": "pause", "reason": "maintenance"},
    ]
    assert type(nothing).__name__ == "DoNothing"
    assert type(wait).__name__ == "Wait" and wait.seconds == 5
    assert type(pause).__name__ == "Pause" and pause.reason == "maintenance"
