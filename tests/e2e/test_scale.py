"""Scale (issues 16 and 17): the shapes large APIs (github.json) made black reformat, and the
validator's visit registries.

github.json's render needed black's second pass on 48 of its 100 Python files: defaults that
are calls (`rt.fixed_enum(...)`, a single-value enum field) split where black would not split
them, docstrings ending in an escaped quote on a long last line, and an empty `SCHEMES` dict
written over two lines. Each shape is held here to black itself (`black.format_str` must leave
the laid-out code unchanged), and a small spec that has all of them renders already formatted.
"""

from __future__ import annotations

import copy
import random
import re
from pathlib import Path
from typing import Any

import black
import pytest
from black_checks import assert_black_stable, changed_by_black, rendered
from conftest import SHARED_SPECS

from generator import layout, validate
from generator.render import docstring

LONG = "WebhookMarketplacePurchasePendingChangeCancelledAction"


@pytest.mark.parametrize(
    ("annotation", "default"),
    [
        ("WebhookIssuesTypedAction", 'rt.fixed_enum("WebhookIssuesTypedAction", "typed")'),
        (LONG, f'rt.fixed_enum("{LONG}", "pending_change_cancelled")'),
        (f"list[{LONG[:30]}] | Unset", f'rt.fixed_enum("{LONG}", "pending_change_cancelled")'),
        (
            "AgentTasksListTasksForRepoResponseTasksItemArtifactsItemProvider",
            'rt.fixed_enum("AgentTasksListTasksForRepoResponseTasksItemArtifactsItemProvider", "github")',
        ),
        (
            "dict[str, int]",
            '{"a" * 3: 1, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb": 2, "cccccccccccc": 3}',
        ),
        ("Name", f'rt.call("{"x" * 70}", "{"y" * 40}", k=1)'),
    ],
)
@pytest.mark.parametrize("trailing", ["", ","])
def test_call_defaults_are_laid_out_as_black_does(
    annotation: str, default: str, trailing: str
) -> None:
    if trailing:  # a parameter in a signature
        code = layout.annotated("action", annotation, default, 2, trailing)
        if "AgentTasks" in annotation:
            return  # a parameter this long is not a shape render emits
        assert_black_stable(
            "class C:\n    def f(\n        self,\n" + code + "\n    ) -> None:\n        pass\n"
        )
    else:  # a dataclass field
        code = layout.annotated("action", annotation, default, 1)
        assert_black_stable("class C:\n" + code + "\n")
    assert len(code.splitlines()) > 1


# the last word is longer than a line: it stays whole, and the closing quotes cannot follow it
QUOTED = 'see "[Using pagination in the REST API](https://docs.github.com/' + "r" * 50 + ')."'


@pytest.mark.parametrize("depth", [1, 2])
def test_a_docstring_ending_in_a_quote_on_a_long_line_is_black_stable(depth: int) -> None:
    text = "First line.\n\n" + QUOTED
    body = docstring(text, depth)
    assert body.endswith('\\"\n' + "    " * depth), body  # closing quotes on their own line
    code = f'{"    " * depth}"""{body}"""\n'
    code = ("class C:\n" if depth == 1 else "class C:\n    def f(self) -> None:\n") + code
    assert_black_stable(code)


def test_an_attribute_docstring_ending_in_a_quote_keeps_black_s_pad() -> None:
    text = "First line.\n" + QUOTED
    body = docstring(text, 1, attribute=True)
    code = f'class C:\n    x: int = 1\n    """{body}"""\n'
    assert_black_stable(code)
    # black leaves the pad of an attribute's string alone (it is not a real docstring)
    assert '\\" \n' in body


SPEC = """
openapi: 3.0.3
info: {title: Shapes, version: "1"}
paths:
  /webhooks/marketplace-purchase-pending-change-cancelled:
    get:
      operationId: getEvent
      summary: One event
      description: |
        For more information, see "[Using pagination in the REST API](https://docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api)."
      parameters:
        - name: page
          in: query
          description: |
            The page number of the results to fetch. For more information, see "[Using pagination in the REST API](https://docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api)."
          schema: {type: integer}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/WebhookMarketplacePurchasePendingChangeCancelled"}
  /other:
    delete:
      operationId: deleteOther
      responses:
        "204": {description: gone}
components:
  schemas:
    WebhookMarketplacePurchasePendingChangeCancelled:
      type: object
      required: [action]
      properties:
        action:
          type: string
          enum: [pending_change_cancelled]
        secret_type_display_name:
          type: string
          description: |
            User-friendly name for the detected secret. For a list of built-in patterns, see "[Supported secret scanning patterns](https://docs.github.com/code-security/secret-scanning/introduction/supported-secret-scanning-patterns#supported-secrets)."
"""


def test_a_spec_with_these_shapes_renders_already_formatted(tmp_path: Path) -> None:
    spec = tmp_path / "shapes.yaml"
    spec.write_text(SPEC)
    files = rendered(spec)
    ops = next(text for path, text in files.items() if path.endswith("/_ops.py"))
    assert "SCHEMES: dict[str, Scheme] = {}\n" in ops  # no security schemes: one line
    client = "".join(text for path, text in files.items() if "client" in path)
    assert '.\\"\n        """' in client  # a method docstring's closing quotes, unpadded
    assert changed_by_black(files) == []


# -- the validator -------------------------------------------------------------------------------


def test_the_validator_s_visit_registries_answer_in_constant_time() -> None:
    """openapi-spec-validator keeps the schemas it visited in lists (`id in list`: quadratic
    on specs with tens of thousands of schemas); oagen's class swaps in `_Ids`, a list whose
    `in` is a set lookup, and finds what the stock class finds (test_validate_cache holds the
    findings to the stock class's)."""
    ids = validate._Ids()
    for i in range(5):
        ids.append(i * 7)
    assert 14 in ids and 15 not in ids and list(ids) == [0, 7, 14, 21, 28]
    doc: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            f"/p{i}": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/S"}}
                            },
                        }
                    }
                }
            }
            for i in range(3)
        },
        "components": {
            "schemas": {
                "S": {
                    "type": "object",
                    "required": ["missing"],
                    "properties": {"n": {"type": "integer", "default": "x"}},
                }
            }
        },
    }
    cls = validate.spec_validator("3.0")
    validator = cls(copy.deepcopy(doc))
    schema_checker = validator.keyword_validators_registry["schema"]
    assert isinstance(schema_checker.visited_schema_ids, validate._Ids)
    assert isinstance(schema_checker.meta_checked_schema_ids, validate._Ids)
    found = validate.findings(copy.deepcopy(doc), "3.0")
    # once, although three operations reach the schema
    assert [m for m, _, _ in found] == ["'x' is not of type 'integer'"]


def test_black_is_the_formatter_of_record() -> None:
    assert black.format_str("x = {\n}\n", mode=black.Mode()) == "x = {}\n"


# -- locating findings without an index of every node --------------------------------------------


def _pointers(node: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = [path]
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node) if isinstance(node, list) else ()
    )
    for key, value in items:
        out += _pointers(value, (*path, str(key)))
    return out


@pytest.mark.parametrize("kind", ["json", "yaml"])
def test_lines_of_finds_what_line_of_finds(kind: str, tmp_path: Path) -> None:
    """`SourceMap.lines_of` (one pass, only the asked paths kept) gives every pointer the line
    `line_of` (the whole index) gives it: present ones, absent ones (their nearest ancestor's
    line), the root, and keys that need escaping."""
    import json
    import random

    from generator import pointer as jsonpointer
    from generator.document import Document
    from generator.load import SourceMap, load

    data = {
        "openapi": "3.0.3",
        "paths": {
            "/a/{id}": {"get": {"parameters": [{"name": "id", "in": "path"}, {"name": "x~y"}]}},
            "/b": {"post": {"requestBody": {"content": {"application/json": {}}}}},
        },
        "components": {"schemas": {"S": {"properties": {"a/b": {"type": "string"}}}}},
        "emoji": "\U0001f44d",
    }
    text = json.dumps(data, indent=2) if kind == "json" else __import__("yaml").safe_dump(data)
    spec = tmp_path / f"s.{kind}"
    spec.write_text(text)
    source = load(spec, max_bytes=10**6, display="s").source
    present = [jsonpointer.join(*p) if p else "#" for p in _pointers(data)]
    absent = [p + "/missing/deeper" for p in present[::3]] + ["#/nowhere", "#/paths/~1c"]
    rng = random.Random(7)
    asked = rng.sample(present, 12) + absent + ["#/components/schemas/S/properties/a~1b"]
    fresh = SourceMap("s", text)  # no index yet: the one-pass path
    lines = fresh.lines_of(asked)
    assert fresh._index is None  # the whole index was never built
    whole = SourceMap("s", text)
    assert lines == {p: whole.line_of(p) for p in asked}
    assert len(set(lines.values())) > 5  # really different lines
    if kind == "json":
        assert (
            lines["#/components/schemas/S/properties/a~1b"]
            == text[: text.index('"a/b"')].count("\n") + 1
        )
    # a Document's findings carry those lines, located when read
    doc = Document(data, SourceMap("s", text))
    for p in asked:
        doc.warn("w", p)
    assert [d.line for d in doc.diagnostics] == [whole.line_of(p) for p in asked]
    assert source.line_of("#/paths") == whole.line_of("#/paths")
    # `load` keeps the spec's bytes, not a str (4 bytes a character once one emoji is in it)
    assert isinstance(source.text, bytes) and source.decoded() == text
    held = SourceMap("s", ("\ufeff" + text).encode())  # with a byte-order mark
    assert held.lines_of(asked) == lines and held.line_of(asked[0]) == whole.line_of(asked[0])


# -- incremental runs equal cold runs ------------------------------------------------------------

VASTAI_FULL = SHARED_SPECS / "vastai" / "vastai-full.yaml"
_EDITS = {
    "summary": re.compile(r"^(\s+summary: )(.+)$", re.M),
    "description": re.compile(r"^(\s+description: )([^>|\n].*)$", re.M),
    "type": re.compile(r"^(\s+type: )(integer)$", re.M),
}


def _edit(text: str, rng: random.Random, kind: str) -> str:
    matches = list(_EDITS[kind].finditer(text))
    match = rng.choice(matches)
    new = "number" if kind == "type" else f"{match.group(2)} (edited {rng.randrange(10**6)})"
    return text[: match.start(2)] + new + text[match.end(2) :]


@pytest.mark.corpus
def test_warm_runs_after_random_edits_equal_cold_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every cache a warm run reads (YAML pieces, the validator's verdict, black's output,
    templates) gives what a run with empty caches gives, edit after edit: text edits and a
    structural one (a property's type), in random places."""
    if not VASTAI_FULL.is_file():
        pytest.skip(f"{VASTAI_FULL} is absent (../shared/specs is not beside this clone)")
    from generator import pipeline
    from generator.config import Config

    spec = tmp_path / "spec.yaml"
    text = VASTAI_FULL.read_text(encoding="utf-8")

    def run(cache: Path) -> tuple[dict[str, str], list[str]]:
        monkeypatch.setenv("OAGEN_CACHE_DIR", str(cache))
        result = pipeline.generate(spec, Config(package="pkg"), display="spec.yaml")
        return dict(result.files), [d.format() for d in result.diagnostics]

    warm = tmp_path / "warm"
    spec.write_text(text, encoding="utf-8")
    first, _ = run(warm)
    rng = random.Random(1617)
    for n, kind in enumerate(["summary", "description", "type"]):  # each in a random place
        text = _edit(text, rng, kind)
        spec.write_text(text, encoding="utf-8")
        warm_run, cold_run = run(warm), run(tmp_path / f"cold-{n}")
        assert warm_run == cold_run, kind
        changed = [p for p in cold_run[0] if first.get(p) != cold_run[0][p]]
        assert changed, kind  # the edit shows somewhere
    assert any(warm.rglob("*"))  # the warm runs did read a cache
