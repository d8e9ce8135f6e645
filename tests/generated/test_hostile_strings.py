"""Spec text is data: arbitrary strings in every position never break or inject into the output.

Property-based (hypothesis): strings with quotes, triple quotes, backslashes, newlines, `\\r`,
`\\u2028`, NUL, Jinja syntax and Python code go into titles, descriptions, summaries, names,
enum values, defaults, examples, server URLs, tags and paths. Every generated file must compile,
the package must import and run, the strings must come back unchanged where they are literals
(and whitespace-equal in docstrings), and a marker file that a payload tries to create must never
appear.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import generate_package
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

MARKER = Path("/tmp/oagen-injection-marker")
PAYLOADS = [
    '"""; import os; os.system("touch /tmp/oagen-injection-marker")  #',
    "'''\nopen('/tmp/oagen-injection-marker', 'w')\n'''",
    "{{ 7*7 }}{% for x in range(3) %}x{% endfor %}{# c #}",
    "\\\\\\'\"\\n\\x00",
    "line1\r\nline2\u2028line3\u2029\x00end\x7f\x85",
    'x"',
    "\\",
    "__import__('os').system('touch /tmp/oagen-injection-marker')",
    "class def import in None True",
    "-- --> <!-- */ /* # ",
    "`rm -rf /` $(touch /tmp/oagen-injection-marker)",
]

text = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40),
)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _spec(s: dict[str, str]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": s["title"], "version": s["version"], "description": s["description"]},
        "servers": [{"url": "http://127.0.0.1:9/" + s["server"]}],
        "tags": [{"name": s["tag"], "description": s["description"]}],
        "paths": {
            "/raw/"
            + s["path"]: {
                "get": {
                    "summary": s["summary"],
                    "responses": {"204": {"description": s["description"]}},
                }
            },
            "/items/{item_id}": {
                "post": {
                    "operationId": s["operation_id"],
                    "summary": s["summary"],
                    "description": s["description"],
                    "tags": [s["tag"]],
                    "parameters": [
                        {
                            "name": "item_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        {
                            "name": s["param"],
                            "in": "query",
                            "description": s["description"],
                            "schema": {
                                "type": "string",
                                "default": s["default"],
                                "example": s["example"],
                            },
                        },
                    ],
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        s["prop"]: {
                                            "type": "string",
                                            "description": s["description"],
                                            "default": s["default"],
                                        },
                                        "kind": {
                                            "type": "string",
                                            "enum": [s["enum1"], s["enum2"] + "#2"],
                                        },
                                    },
                                }
                            }
                        }
                    },
                    "responses": {
                        "200": {
                            "description": s["description"],
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "$ref": "#/components/schemas/" + _escape(s["model"])
                                    }
                                }
                            },
                        }
                    },
                }
            },
        },
        "components": {
            "schemas": {
                s["model"]: {
                    "type": "object",
                    "description": s["description"],
                    "properties": {s["prop"]: {"type": "string", "description": s["summary"]}},
                }
            }
        },
    }


KEYS = [
    "title",
    "version",
    "description",
    "server",
    "tag",
    "operation_id",
    "summary",
    "param",
    "default",
    "example",
    "prop",
    "enum1",
    "enum2",
    "model",
    "path",
]


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


@pytest.mark.parametrize("payload", PAYLOADS)
def test_known_payloads_in_every_position(tmp_path_factory: Any, payload: str) -> None:
    check_strings(tmp_path_factory, {k: payload for k in KEYS})


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.fixed_dictionaries({k: text for k in KEYS}))
def test_arbitrary_spec_strings_are_data(tmp_path_factory: Any, strings: dict[str, str]) -> None:
    check_strings(tmp_path_factory, strings)


def check_strings(tmp_path_factory: Any, strings: dict[str, str]) -> None:
    strings = dict(strings)
    if strings["enum1"] == strings["enum2"] + "#2":
        strings["enum1"] += "!"
    tmp = tmp_path_factory.mktemp("hostile")
    MARKER.unlink(missing_ok=True)
    pkg, out = generate_package(tmp, _spec(strings))
    for path in out.rglob("*.py"):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    assert not MARKER.exists()

    # literals come back exactly
    enum_cls = next(
        getattr(pkg.models, n)
        for n in pkg.models.__all__
        if hasattr(getattr(pkg.models, n), "__members__")
    )
    assert [m.value for m in enum_cls] == [strings["enum1"], strings["enum2"] + "#2"]
    assert pkg.Client._servers == ("http://127.0.0.1:9/" + strings["server"],)
    assert pkg.__version__ == strings["version"]
    classes = [getattr(pkg.models, n) for n in pkg.models.__all__]
    models = [c for c in classes if hasattr(c, "_all_fields")]
    assert any(strings["prop"] in {f.wire for f in m._all_fields()} for m in models)
    ops = [v for k, v in vars(pkg._ops).items() if k.isupper() and k != "SCHEMES"]
    assert sorted(o.path for o in ops) == sorted(["/items/{item_id}", "/raw/" + strings["path"]])
    (op,) = [o for o in ops if o.method == "POST"]
    assert {a.wire for a in op.args} >= {"item_id", strings["param"], strings["prop"]}
    cli = importlib.import_module(pkg.__name__ + "._cli")
    flag_defaults = {f.default for c in cli.COMMANDS for f in c.flags}
    assert strings["default"] in flag_defaults

    # docstrings keep the text (whitespace aside)
    method = getattr(pkg.Client, op.name)
    assert strings["summary"].strip() == "" or " ".join(strings["summary"].split()) in " ".join(
        method.__doc__.split()
    )

    # the client runs and sends the wire names exactly
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={strings["prop"]: strings["description"]})

    kwargs = {a.name: "v" for a in op.args if a.location in ("path", "query")}
    prop_arg = next(a for a in op.args if a.wire == strings["prop"] and a.location == "body")
    kwargs[prop_arg.name] = strings["example"]
    with pkg.Client(
        api_key="k",
        base_url="http://127.0.0.1:9",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    ) as client:
        result = getattr(client, op.name)(**kwargs)
    assert json.loads(seen[0].content)[strings["prop"]] == strings["example"]
    assert seen[0].url.params[strings["param"]] == "v"
    assert result.to_dict()[strings["prop"]] == strings["description"]

    # the CLI imports and shows help
    proc = subprocess.run(
        [sys.executable, "-m", pkg.__name__, "--help"], cwd=out, capture_output=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert not MARKER.exists()
