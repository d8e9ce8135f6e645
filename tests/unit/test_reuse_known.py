"""`reuse.Known`: what a document's text-blind key (with its text layout) says of every
document that has it, and its record in the cache."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from generator import reuse, validate

_VALUES = st.one_of(
    st.sampled_from(["", "a", "b", "CLI Usage: `t x`"]), st.none(), st.integers(0, 2)
)
_KEYS = ["summary", "description", "operationId", "tags"]


def _doc(ops: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1", "description": "kept"},
        "paths": {
            f"/p{i}": {"get": op, "summary": "a path item's text"} for i, op in enumerate(ops)
        },
    }


@st.composite
def _pairs(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """A document and another made from it by changing, adding, dropping or moving its
    operations' texts (and sometimes an operationId)."""
    ops = draw(st.lists(st.dictionaries(st.sampled_from(_KEYS), _VALUES), min_size=1, max_size=3))
    other = copy.deepcopy(ops)
    for op in other:
        for key in draw(st.lists(st.sampled_from(_KEYS), max_size=3)):
            action = draw(st.sampled_from(["set", "drop", "move"]))
            if action == "set":
                op[key] = draw(_VALUES)
            elif action == "drop":
                op.pop(key, None)
            elif key in op:
                op[key] = op.pop(key)  # the same value, last
    return _doc(ops), _doc(other)


@settings(max_examples=400, deadline=None)
@given(_pairs())
def test_one_key_and_one_layout_mean_one_validator_key(pair: tuple[dict[str, Any], ...]) -> None:
    first, second = pair
    same = reuse.text_blind_key(first) == reuse.text_blind_key(second)
    if same and reuse.text_layout(first) == reuse.text_layout(second):
        assert validate.text_blind_key(first) == validate.text_blind_key(second)


def test_a_text_added_keeps_the_key_and_moves_the_layout_and_the_validator_key() -> None:
    """The case the layout is for: the IR is reused, the validator's key is made again."""
    first = _doc([{"operationId": "one"}])
    second = _doc([{"operationId": "one", "summary": "new"}])
    assert reuse.text_blind_key(first) == reuse.text_blind_key(second)
    assert reuse.text_layout(first) != reuse.text_layout(second)
    assert validate.text_blind_key(first) != validate.text_blind_key(second)


def test_the_record_is_read_back_and_a_damaged_or_other_one_is_not(tmp_path: Path) -> None:
    known = reuse.Known("b" * 64, "l" * 64, "v" * 64, True)
    assert reuse.read_known(tmp_path) is None
    reuse.write_known(tmp_path, known)
    assert reuse.read_known(tmp_path) == known
    reuse.write_known(tmp_path, reuse.Known("b" * 64, None, "v" * 64, False))
    assert reuse.read_known(tmp_path) == reuse.Known("b" * 64, None, None, False)
    record = next(tmp_path.iterdir())
    for damaged in ("{", "[]", '{"format": 0, "build": "b", "single_file": true}'):
        record.write_text(damaged)
        assert reuse.read_known(tmp_path) is None
    reuse.write_known(None, known)  # no cache: nothing to write, no error
    assert reuse.read_known(None) is None


def test_texts_one_line_apart_differ_only_between_two_line_breaks() -> None:
    apart = reuse._one_line_apart
    base = b'{\n "a": "one",\n "b": 2\n}\n'
    assert apart(base, base)
    assert apart(base, base.replace(b"one", b"one (edit 1)"))
    assert apart(base, base.replace(b'"one"', b'""'))  # shorter, and at a line's end
    assert apart(b"a: one\nb: 2\n", b"a: one two\nb: 2\n")  # YAML: the edit ends a line
    assert not apart(base, base.replace(b"one", b"one\n"))  # a line added
    assert not apart(base, base.replace(b'",\n "b"', b'", "b"'))  # a line removed
    assert not apart(base, base.replace(b"one", b"o\rne"))
    assert not apart(base, base.replace(b"one", "o\u2028ne".encode()))  # a YAML line break
    assert not apart(base, base.replace(b"one", b"uno").replace(b"2", b"3"))  # two lines


def test_findings_lines_are_recalled_only_while_the_text_is_one_line_apart(
    tmp_path: Path, monkeypatch: Any
) -> None:
    import json

    from generator.load import SourceMap

    doc = {"openapi": "3.1.0", "paths": {"/a": {"get": {"summary": "one"}}}, "x": {"y": 1}}
    pointers = ["#/x/y", "#/paths/~1a/get/summary"]
    located: list[int] = []
    real = SourceMap.lines_of

    def counting(self: SourceMap, wanted: Any) -> Any:
        located.append(1)
        return real(self, wanted)

    monkeypatch.setattr(SourceMap, "lines_of", counting)

    def run(text: str, mark: tuple[str, str] = ("k", "l")) -> dict[str, int | None]:
        return reuse._locate(SourceMap("s.json", text.encode()), pointers, tmp_path, *mark)

    first = json.dumps(doc, indent=1)
    assert run(first) == {"#/x/y": 11, "#/paths/~1a/get/summary": 6} and len(located) == 1
    edited = first.replace('"one"', '"one, edited"')
    assert run(edited) == run(first) and len(located) == 1  # recalled, twice
    assert run(edited, ("k", "other layout"))["#/x/y"] == 11 and len(located) == 2
    moved = edited.replace('"summary"', '"summary":\n"x", "z"')  # not one line apart: found
    assert run(moved, ("k", "other layout"))["#/x/y"] == 12 and len(located) == 3
    assert reuse._locate(SourceMap("s.json", first), pointers, None, "k", "l")["#/x/y"] == 11


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=40), st.binary(max_size=40), st.integers(1, 9))
def test_the_common_start_is_found_block_by_block(a: bytes, b: bytes, block: int) -> None:
    naive = 0
    while naive < min(len(a), len(b)) and a[naive] == b[naive]:
        naive += 1
    found = reuse._common(min(len(a), len(b)), lambda i, j: a[i:j] == b[i:j], block)
    assert found == naive
