"""The forked validator imports openapi-spec-validator lean (`generator.validate_imports`), and
finds what the validator imported as shipped finds; a schema that reaches itself through `items`
or `allOf` no longer stops the validation (`validate._acyclic`).

What the lean imports are for is memory: importing the validator as shipped pulls in pydantic and
pydantic-settings (to read three settings) and urllib's network stack (to fetch remote `$ref`s,
which oagen never does); on a small spec that was the difference between oagen's peak and
openapi-python-client's (`bench/results-corpus-memory.md`). Each check runs in a fresh
interpreter, since this one may have imported the validator already.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import textwrap
from typing import Any

import pytest
from conftest import ROOT

from generator import validate, validate_imports

# a document with findings of both kinds: the check against the OAS schema, and the validator's
# own checks (a default that does not fit, a required name no property declares)
DOC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/a": {
            "get": {
                "operationId": "a",
                "responses": {"200": {"description": "ok"}},
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "integr"}}],
            }
        }
    },
    "components": {
        "schemas": {
            "N": {"type": "integer", "default": "x"},
            "R": {
                "allOf": [{"$ref": "#/components/schemas/N"}],
                "properties": {"a": {"type": "string"}},
                "required": ["a", "b"],
            },
        }
    },
}


def _python(code: str, env: dict[str, str] | None = None) -> Any:
    """Run `code` in a fresh interpreter; the JSON it prints last."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


HEAVY = ("pydantic", "pydantic_settings", "ssl", "http.client", "email.parser")


def test_the_forked_validators_work_imports_no_pydantic_and_no_network_stack() -> None:
    """`validate._job` (what the forked process runs) leaves pydantic and urllib's network
    stack unimported, and finds what the validator imported as shipped finds."""
    report = _python(f"""
        import json, sys
        from generator import validate
        validate._JOB = ({DOC!r}, "3.0")
        found = validate._job()
        print(json.dumps({{"heavy": [m for m in {HEAVY!r} if m in sys.modules],
                           "found": found}}))
        """)
    assert report["heavy"] == []
    shipped = _python(f"""
        import json, openapi_spec_validator
        from generator import validate
        print(json.dumps(validate.findings({DOC!r}, "3.0")))
        """)
    assert [list(f) for f in validate.findings(copy.deepcopy(DOC), "3.0")] == shipped
    assert report["found"] == shipped
    messages = [message for message, _, _ in shipped]
    assert any("Required list has not defined properties: ['b']" in m for m in messages)
    assert any("'integr' is not one of" in m or "integr" in m for m in messages)
    assert len(shipped) >= 3


def test_lean_imports_name_their_stand_ins_and_refuse_the_network() -> None:
    report = _python("""
        import json, sys
        from generator import validate_imports
        used = validate_imports.lean()
        import urllib.request
        try:
            urllib.request.urlopen("http://127.0.0.1:9/x.json")
            refused = None
        except validate_imports.RemoteRefused as exc:
            refused = str(exc)
        try:
            urllib.request.urlopen("file:///etc/hostname")
            local = None
        except validate_imports.RemoteRefused as exc:
            local = str(exc)
        from jsonschema_path.handlers.utils import uri_to_path
        print(json.dumps({"used": used, "refused": refused, "local": local,
                          "path": uri_to_path("file:///tmp/a%20b.yaml"),
                          "again": validate_imports.lean()}))
        """)
    assert sorted(report["used"]) == sorted(
        [
            "openapi_spec_validator.settings",
            "openapi_schema_validator.settings",
            "urllib.request",
        ]
    )
    assert report["refused"] == "oagen never fetches remote references: http://127.0.0.1:9/x.json"
    assert report["local"] == "oagen never fetches remote references: file:///etc/hostname"
    assert report["path"] == "/tmp/a b.yaml"
    assert report["again"] == []  # the validator is loaded: nothing is replaced


def test_a_stand_in_that_no_longer_fits_is_dropped_and_the_validator_imported_as_shipped() -> None:
    report = _python("""
        import json, sys, types
        from generator import validate_imports
        # a validator that needs a name the stand-in lacks
        validate_imports._STAND_INS["openapi_spec_validator.settings"] = (
            lambda: types.ModuleType("openapi_spec_validator.settings"))
        used = validate_imports.lean()
        import urllib.request
        print(json.dumps({"used": used, "pydantic": "pydantic" in sys.modules,
                          "urlopen": urllib.request.urlopen.__module__}))
        """)
    assert report == {"used": [], "pydantic": True, "urlopen": "urllib.request"}


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"RESOLVED_CACHE_MAXSIZE": "5", "SCHEMA_VALIDATOR_BACKEND": " JSONSCHEMA "},
        {"RESOLVED_CACHE_MAXSIZE": "-1", "SCHEMA_VALIDATOR_BACKEND": "jsonschema-rs"},
        {"RESOLVED_CACHE_MAXSIZE": "abc", "SCHEMA_VALIDATOR_BACKEND": "auto"},
    ],
)
def test_the_settings_stand_ins_read_the_environment_as_pydantic_settings_does(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from openapi_schema_validator import settings as schema_settings
    from openapi_spec_validator import settings as spec_settings

    for name in ("RESOLVED_CACHE_MAXSIZE", "SCHEMA_VALIDATOR_BACKEND"):
        monkeypatch.delenv("OPENAPI_SPEC_VALIDATOR_" + name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv("OPENAPI_SPEC_VALIDATOR_" + name, value)
    size = "OPENAPI_SCHEMA_VALIDATOR_COMPILED_VALIDATOR_CACHE_MAX_SIZE"
    monkeypatch.setenv(size, env.get("RESOLVED_CACHE_MAXSIZE", "64"))
    real, lean = (
        spec_settings.OpenAPISpecValidatorSettings(),
        validate_imports._spec_settings(),
    )
    assert lean.get_resolved_cache_maxsize() == real.resolved_cache_maxsize
    assert lean.get_schema_validator_backend() == real.schema_validator_backend
    try:
        real_size = (
            schema_settings.OpenAPISchemaValidatorSettings().compiled_validator_cache_max_size
        )
    except ValueError:  # pydantic rejects what is not an integer >= 0; the stand-in uses 128
        real_size = 128
    assert validate_imports._schema_settings().get_settings().compiled_validator_cache_max_size == (
        real_size
    )


CYCLIC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {},
    "components": {
        "schemas": {
            "Tree": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}},
            "Loop": {"anyOf": [{"$ref": "#/components/schemas/Loop"}, {"type": "string"}]},
            "Thing": {
                "allOf": [
                    {"$ref": "#/components/schemas/Tree"},
                    {"$ref": "#/components/schemas/Loop"},
                    {"type": "object", "properties": {"a": {"type": "string"}}},
                ],
                "required": ["a", "b"],
            },
        }
    },
}


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_a_schema_that_reaches_itself_through_items_or_any_of_is_validated(
    version: str,
) -> None:
    """The stock class runs out of stack collecting `Thing`'s property names; oagen's reports
    the missing one."""
    from validator_twin import run, stock_class

    doc = {**copy.deepcopy(CYCLIC), "openapi": version}
    short = version[:3]
    _, stopped = run(stock_class(short), copy.deepcopy(doc))
    assert stopped is not None and stopped.startswith("RecursionError")
    found = validate.findings(doc, short)
    assert [(m, p) for m, p, _ in found] == [
        (
            "Required list has not defined properties: ['b']",
            "#/components/schemas/Thing",
        )
    ]
