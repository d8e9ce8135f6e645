"""Docs example values from a tiny inline spec (issue 12, item 9): the example of each page
builds a minimal valid value from the schema (a model's required fields, enums, formats, a list
of one item, bounds and lengths), and the Python, CLI and curl lines send the same request.
"""

from __future__ import annotations

import contextlib
import datetime
import importlib
import io
import json
import re
import shlex
import urllib.parse
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from conftest import generate_package

SPEC = """
openapi: 3.1.0
info: {title: Examples, version: "1"}
servers: [{url: "https://api.example.com"}]
paths:
  /orders/{order_id}:
    post:
      operationId: createOrder
      parameters:
        - {name: order_id, in: path, required: true, schema: {type: string, format: uuid}}
        - {name: since, in: query, required: true, schema: {type: string, format: date-time}}
        - {name: count, in: query, required: true, schema: {type: integer, minimum: 5, maximum: 9}}
        - {name: code, in: query, required: true, schema: {type: string, minLength: 4, pattern: "^[a-z]+$"}}
        - {name: bad_example, in: query, required: true, schema: {type: string, format: date}, example: "soon"}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [order, url]
              properties:
                order: {$ref: '#/components/schemas/Order'}
                url: {type: string}
      responses:
        "200": {description: ok}
components:
  schemas:
    Order:
      type: object
      required: [kind, lines, placed_at, amount]
      properties:
        kind: {type: string, enum: [retail, wholesale]}
        lines:
          type: array
          minItems: 1
          items: {$ref: '#/components/schemas/Line'}
        placed_at: {type: string, format: date-time}
        amount: {type: string, format: decimal}
        note: {type: string}
    Line:
      type: object
      required: [sku, quantity]
      properties:
        sku: {type: string}
        quantity: {type: integer, exclusiveMinimum: 0}
"""
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, Path]:
    module, out = generate_package(tmp_path_factory.mktemp("examples"), SPEC)
    return module, out / module.__name__


def _page(folder: Path) -> dict[str, list[str]]:
    text = (folder / "docs" / "create_order.md").read_text(encoding="utf-8")
    blocks: dict[str, list[str]] = {}
    for match in FENCE.finditer(text):
        blocks.setdefault(match.group(1), []).append(match.group(2))
    return blocks


def _line(blocks: dict[str, list[str]], start: str) -> str:
    (line,) = [x for b in blocks["sh"] for x in b.splitlines() if x.startswith(start)]
    return line


def test_python_example_builds_a_valid_model(generated: tuple[ModuleType, Path]) -> None:
    pkg, folder = generated
    code = _page(folder)["python"][0]
    assert "import datetime\nimport decimal\nimport uuid\n" in code
    assert "from " + pkg.__name__ + " import Client, models" in code
    assert "models.Order(kind=models.OrderKind.RETAIL, lines=[models.Line(" in code
    assert "datetime.datetime.fromisoformat(" in code
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200)

    original = pkg.Client

    class Client(original):  # type: ignore[misc, valid-type]
        def __init__(self, **kwargs: Any) -> None:
            http = httpx.Client(transport=httpx.MockTransport(handler))
            super().__init__(http_client=http, api_key="k", **kwargs)

    pkg.Client = Client
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(code, "example", "exec"), {"__name__": "example"})
    finally:
        pkg.Client = original
    (request,) = sent
    query = urllib.parse.parse_qs(request.url.query.decode())
    assert 5 <= int(query["count"][0]) <= 9
    assert re.fullmatch("[a-z]{4,}", query["code"][0])
    datetime.date.fromisoformat(query["bad_example"][0])  # the spec's example "soon" is not used
    body = json.loads(request.content)
    assert body["order"]["lines"][0]["quantity"] > 0
    assert set(body["order"]) == {"kind", "lines", "placed_at", "amount"}


def test_cli_and_curl_lines_send_what_python_sends(
    generated: tuple[ModuleType, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    pkg, folder = generated
    blocks = _page(folder)
    cli_line = _line(blocks, "python -m ")
    assert "--body-url" in cli_line or "--body_url" in cli_line  # `--url` is a global option
    cli = importlib.import_module(pkg.__name__ + "._cli")
    code = cli.main(["--api-key", "k", "--dry-run", *shlex.split(cli_line)[3:]])
    out, err = capsys.readouterr()
    assert code == 0, err
    dry_body = json.loads(out.split("\n\n")[1])
    curl = shlex.split(_line(blocks, "curl "))
    assert json.loads(curl[curl.index("--data") + 1]) == dry_body
    url = curl[3]
    assert url.split("?")[1] == out.splitlines()[0].split("?")[1]


@pytest.mark.parametrize(
    ("pattern", "min_length"),
    [
        (r"^AC[0-9a-fA-F]{32}$", 34),  # twilio's account_sid
        (r"^prd_[0-9abcdefghjkmnpqrstvwxyz]{26}$", None),
        (r"^\d{3}-[A-Z]+(x|y)?$", None),
        (r"^[^/]+$", 10),
    ],
)
def test_text_is_built_to_match_a_pattern(pattern: str, min_length: int | None) -> None:
    from generator.model import Constraints, Primitive
    from generator.render.examples import ExampleValues

    c = Constraints(pattern=pattern, min_length=min_length)
    text = ExampleValues.__new__(ExampleValues).build(Primitive("str"), c)
    assert re.search(pattern, text) and len(text) >= (min_length or 0)


def test_a_boolean_that_is_not_a_switch_is_given_as_json(tmp_path: Path) -> None:
    spec = """
openapi: 3.1.0
info: {title: Flags, version: "1"}
paths:
  /x:
    post:
      operationId: setFlag
      parameters:
        - {name: flag, in: query, required: true, schema: {type: boolean, enum: [true]}}
      responses:
        "204": {description: done}
"""
    pkg, out = generate_package(tmp_path, spec)
    text = (out / pkg.__name__ / "docs" / "set_flag.md").read_text(encoding="utf-8")
    assert "--flag true" in text


def test_contract_names_the_cli_global_flags(generated: tuple[ModuleType, Path]) -> None:
    from generator import contract

    pkg, _ = generated
    runtime = importlib.import_module(pkg.__name__ + "._cli_runtime")
    flags = [name for names, _ in runtime._GLOBALS for name in names]
    assert contract.CLI_GLOBAL_FLAGS == ("-h", "--help", *flags)


def test_a_fixed_tag_is_left_to_its_default(tmp_path: Path) -> None:
    spec = """
openapi: 3.1.0
info: {title: Tags, version: "1"}
paths:
  /actions:
    post:
      operationId: addAction
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: array, items: {$ref: '#/components/schemas/Pause'}}
      responses:
        "204": {description: done}
components:
  schemas:
    Pause:
      type: object
      required: [type, reason]
      properties:
        type: {type: string, const: pause, default: pause}
        reason: {type: string}
"""
    pkg, out = generate_package(tmp_path, spec)
    text = (out / pkg.__name__ / "docs" / "add_action.md").read_text(encoding="utf-8")
    assert 'models.Pause(reason="string")' in text
    assert '"type": "pause"' in text  # on the wire (curl) the tag is sent
