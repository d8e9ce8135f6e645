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
