"""The build stage's context (`generator.document.Document`) and the JSON-pointer helpers
(`generator.pointer`): references followed, loops and dangling references reported with their
location, and RFC 6901 escaping that survives a round trip."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator import pointer
from generator.diagnostics import Severity
from generator.document import Document
from generator.load import SourceMap

# -- pointer ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "escaped"),
    [
        ("plain", "plain"),
        ("a/b", "a~1b"),
        ("a~b", "a~0b"),
        ("~1", "~01"),  # `~` first: the `1` after it is not an escape afterwards
        ("/~", "~1~0"),
        ("", ""),
        (404, "404"),
    ],
)
def test_escape_and_unescape(token: object, escaped: str) -> None:
    assert pointer.escape(token) == escaped
    assert pointer.unescape(escaped) == str(token)


def test_join_append_split() -> None:
    assert pointer.join() == "#"
    assert pointer.join("paths", "/pets/{id}", "get") == "#/paths/~1pets~1{id}/get"
    assert pointer.append("#/paths", "/a", "responses", 200) == "#/paths/~1a/responses/200"
    assert pointer.split("#/paths/~1pets~1{id}/get") == ("paths", "/pets/{id}", "get")
    assert pointer.split("/paths/x") == ("paths", "x")  # the plain (non-fragment) form
    assert pointer.split("#") == () and pointer.split("") == ()
    assert pointer.split("#/") == ("",)  # the key "" is a token, not the root
    assert pointer.split("#/a//b/") == ("a", "", "b", "")


@given(st.lists(st.text(alphabet="ab~/01 ", max_size=6), max_size=5))
def test_split_inverts_join(tokens: list[str]) -> None:
    joined = pointer.join(*tokens)
    assert pointer.split(joined) == tuple(tokens)
    assert pointer.append(pointer.join(), *tokens) == joined


def test_follow() -> None:
    doc = {"a/b": {"~": [10, {"x": None}]}}
    assert pointer.follow(doc, ("a/b", "~", "1", "x")) == (True, None)
    assert pointer.follow(doc, ()) == (True, doc)
    assert pointer.follow(doc, ("a/b", "~", "2")) == (False, None)  # past the end
    assert pointer.follow(doc, ("a/b", "~", "-1")) == (False, None)  # not a decimal index
    assert pointer.follow(doc, ("a~1b",)) == (False, None)  # tokens are already unescaped


# -- Document -----------------------------------------------------------------------------------

SPEC = textwrap.dedent(
    """\
    openapi: 3.1.0
    paths:
      /a:
        $ref: '#/components/pathItems/A'
      /loop:
        $ref: '#/components/pathItems/Loop1'
    components:
      pathItems:
        A:
          $ref: '#/components/pathItems/B'
        B:
          get: {}
        Loop1:
          $ref: '#/components/pathItems/Loop2'
        Loop2:
          $ref: '#/components/pathItems/Loop1'
      schemas:
        a/b~c:
          type: string
        list:
          - zero
          - one
    """
)


def document(text: str = SPEC) -> Document:
    data: dict[str, Any] = yaml.safe_load(text)
    return Document(data, SourceMap("spec.yaml", text))


def test_lookup_unescapes_tokens_and_indexes_lists() -> None:
    doc = document()
    assert doc.lookup("#/components/schemas/a~1b~0c") == {"type": "string"}
    assert doc.lookup("#/components/schemas/list/1") == "one"
    assert doc.lookup("#/components/schemas/list/2") is None
    assert doc.lookup("#/components/schemas/a/b~c") is None  # an unescaped `/` splits the key
    assert doc.lookup("other.yaml#/x") is None  # only internal references are looked up


def test_deref_follows_a_chain_to_its_end() -> None:
    doc = document()
    node, ptr = doc.deref(doc.data["paths"]["/a"], "#/paths/~1a")
    assert node == {"get": {}}
    assert ptr == "#/components/pathItems/B"  # the pointer of the node reached
    assert doc.deref({"type": "string"}, "#/x") == ({"type": "string"}, "#/x")
    assert doc.diagnostics == []


def test_deref_reports_a_loop_with_its_line() -> None:
    doc = document()
    node, ptr = doc.deref(doc.data["paths"]["/loop"], "#/paths/~1loop")
    assert (node, ptr) == ({}, "#/components/pathItems/Loop2")  # where the chain came back
    [found] = doc.diagnostics
    assert found.severity is Severity.ERROR
    assert found.format() == (
        "spec.yaml:15: #/components/pathItems/Loop2: "
        "reference loop through '#/components/pathItems/Loop1'"
    )


def test_deref_reports_a_dangling_reference_at_its_ref() -> None:
    doc = document()
    node, ptr = doc.deref({"$ref": "#/components/pathItems/Nope"}, "#/paths/~1a")
    assert (node, ptr) == ({}, "#/paths/~1a")
    [found] = doc.diagnostics
    assert found.pointer == "#/paths/~1a/$ref"
    assert found.line == 4  # the line of `$ref:` under `/a:`
    assert "'#/components/pathItems/Nope' points nowhere" in found.message


def test_warn_and_fail_are_located_and_kept_in_order() -> None:
    doc = document()
    doc.warn("first", "#/components/schemas/a~1b~0c/type")
    doc.fail("second", "#/components/schemas/list/1")
    doc.warn("third", "#/components/schemas/absent/deeper")  # the nearest ancestor's line
    assert [d.format() for d in doc.diagnostics] == [
        "spec.yaml:19: #/components/schemas/a~1b~0c/type: warning: first",
        "spec.yaml:22: #/components/schemas/list/1: second",
        "spec.yaml:17: #/components/schemas/absent/deeper: warning: third",
    ]


@pytest.mark.parametrize(
    "components", [None, "text", {"schemas": ["not", "a", "mapping"]}, {"other": {}}]
)
def test_components_absent_or_malformed_is_empty(components: Any) -> None:
    doc = Document({"components": components} if components is not None else {}, SourceMap("", ""))
    assert doc.components("schemas") == {}


def test_components_of_a_kind() -> None:
    assert set(document().components("pathItems")) == {"A", "B", "Loop1", "Loop2"}
