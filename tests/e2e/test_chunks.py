"""Piecewise YAML parsing with cached pieces gives exactly what parsing the whole text gives.

`generator/chunks.py` cuts a spec at its top-level keys and inside large block mappings, parses
each piece on its own and keeps the parsed pieces in the user cache by the sha256 of their text.
These tests compare it with `yaml.load` of the whole text (values, key order and types) on
tricky inline documents, cold and warm, check that doubtful cuts fall back to a whole parse,
that a warm run parses only the edited piece, that a hostile cache file cannot run code, and
that every YAML spec of the corpus comes out the same.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import SHARED_SPECS, requires_shared

from generator import chunks
from generator.load import _line_index

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("OAGEN_CACHE_DIR", str(folder))
    monkeypatch.setattr(chunks, "SPLIT_MIN", 10)  # split even small mappings
    return folder


def exact(value: Any) -> str:
    """A rendering that tells 1 from 1.0 from True and keeps key order and key types."""
    return json.dumps(value, default=repr, sort_keys=False) + repr(_key_types(value))


def _key_types(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [(type(k).__name__, _key_types(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_key_types(v) for v in value]
    return []


TRICKY = """\
# a comment before everything
openapi: 3.1.0
info:
  title: "Tricky: yes"
  version: '1'
  description: |
    A block scalar
    key: that looks like a key

    and a blank line
tags:
- name: col-0 sequence
- name: second
paths:
  "/quoted/{id}":
    get:
      responses:
        200:
          description: int key
        '201': {description: quoted int key}
  /plain:   # a trailing comment
    post:
      x-date: 2024-01-02
      x-anchor: &a {k: v}
      x-alias: *a
      x-flow: [1, 2.0, true, null, ~]
  /multi:
    get:
      description: plain text
        continued on the next line
components:
  schemas:
    A: {type: object}
    B:
      type: string
      enum: [yes, no, on, off]
x-last: end
"""


def parsed(text: str, spec_id: str) -> Any:
    """The piecewise parse, checking its line index against the whole text's on the way."""
    result = chunks.parse(text, LOADER, spec_id)
    if result is None:
        return None
    data, layout = result
    assert chunks.line_index(layout, _line_index) == _line_index(text), spec_id
    return data


def test_pieces_equal_the_whole_parse_cold_and_warm() -> None:
    whole = yaml.load(TRICKY, Loader=LOADER)
    for _ in range(2):
        got = parsed(TRICKY, "spec")
        assert got is not None
        assert exact(got) == exact(whole)
    for text in ("---\n" + TRICKY, TRICKY.replace("\n", "\r\n")):
        got = parsed(text, "variant")
        assert got is None or exact(got) == exact(yaml.load(text, Loader=LOADER))


def test_a_warm_run_parses_only_the_edited_piece(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert chunks.parse(TRICKY, LOADER, "spec") is not None
    loads: list[str] = []
    real = yaml.load

    def counting(stream: Any, Loader: Any) -> Any:  # noqa: N803 - yaml's own spelling
        header = stream.count("\n") == 1 and stream.rstrip().endswith(":")
        if Loader is LOADER and not header:  # (a header line is read to learn its key)
            loads.append(stream)
        return real(stream, Loader=Loader)

    monkeypatch.setattr(yaml, "load", counting)
    edited = TRICKY.replace("description: int key", "description: an edited key")
    got = chunks.parse(edited, LOADER, "spec")
    assert got is not None
    assert exact(got[0]) == exact(real(edited, Loader=LOADER))
    assert len(loads) == 1 and "an edited key" in loads[0]


@pytest.mark.parametrize(
    "text",
    [
        # an anchor in one piece, its alias in another
        "a: &x {k: 1}\nb: *x\n",
        # a quoted scalar continued at column 0
        'a: "first\nsecond: line"\nb: 2\n',
        # a flow mapping closed at column 0
        "a: {k: 1,\nz: 2}\nb: 3\n",
        # two documents, a directive
        "a: 1\n---\nb: 2\n",
        "%YAML 1.1\n---\na: 1\n",
        # something before the first key that is not a comment
        "  a: 1\nb: 2\n",
    ],
)
def test_doubtful_cuts_fall_back_or_agree(text: str) -> None:
    got = parsed(text, "doubt")
    try:
        whole = yaml.load(text, Loader=LOADER)
    except yaml.YAMLError:
        assert got is None
        return
    assert got is None or exact(got) == exact(whole)


def test_no_cache_folder_means_no_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OAGEN_CACHE_DIR", "")
    assert chunks.parse(TRICKY, LOADER, "spec") is None


def test_a_hostile_cache_file_runs_nothing(cache: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self) -> tuple[Any, ...]:
            import os

            return (os.system, (f"touch {marker}",))

    assert chunks.parse(TRICKY, LOADER, "spec") is not None
    for entry in (cache / "yaml").iterdir():  # the pieces, and their line indexes
        entry.write_bytes(pickle.dumps({"x": Evil()}))
    got = parsed(TRICKY, "spec")
    assert not marker.exists()
    assert got is not None and exact(got) == exact(yaml.load(TRICKY, Loader=LOADER))


@requires_shared()
@pytest.mark.corpus
def test_every_yaml_spec_of_the_corpus_parses_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    specs = sorted(  # split as finely as possible (the fixture's SPLIT_MIN): the hardest test
        p
        for p in (SHARED_SPECS / "corpus").rglob("*")
        if p.suffix in (".yaml", ".yml") and p.is_file()
    )
    specs.append(SHARED_SPECS / "vastai" / "vastai-full.yaml")
    pieced = 0
    for spec in specs:
        text = spec.read_text(encoding="utf-8-sig")
        whole = yaml.load(text, Loader=LOADER)
        for _ in range(2):  # cold, then warm from the cache
            got = parsed(text, str(spec))
            if got is None:
                assert (
                    len(text) < 100_000
                ), f"{spec}: a large spec fell back to a whole parse"
                break
            assert exact(got) == exact(whole), spec
        else:
            pieced += 1
    # a few small files of DigitalOcean's fall back (cut so finely, a piece is doubtful)
    assert pieced >= 0.99 * len(
        specs
    ), f"{pieced} of {len(specs)} specs parsed in pieces"


# -- property: any block-style document, edited any way, parses as a whole parse does ---------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30),
    st.sampled_from(
        ["yes", "no", "on", "0o17", "1e3", "~", "- x", "a: b", "#c", '"q"', "'s'", "|"]
    ),
)
KEYS = st.one_of(
    st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
        min_size=1,
        max_size=12,
    ),
    st.integers(0, 999),
    st.sampled_from(["/v1/{id}", "200", "x-y", "on", "null", "a b", "$ref"]),
)
DOCS = st.dictionaries(
    KEYS,
    st.recursive(
        SCALARS,
        lambda inner: st.lists(inner, max_size=4)
        | st.dictionaries(KEYS, inner, max_size=5),
        max_leaves=25,
    ),
    min_size=1,
    max_size=6,
)


@given(
    doc=DOCS,
    width=st.sampled_from([20, 80, 10_000]),
    style=st.sampled_from([None, '"', "'"]),
    edit=st.integers(0, 10**6),
)
@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_any_block_document_and_any_edit_parse_as_a_whole(
    doc: dict[Any, Any],
    width: int,
    style: str | None,
    edit: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OAGEN_CACHE_DIR", str(tmp_path / f"c{edit}"))
    text = yaml.safe_dump(
        doc,
        default_flow_style=False,
        default_style=style,
        allow_unicode=True,
        width=width,
        sort_keys=False,
    )
    lines = text.split("\n")
    line = edit % len(lines)
    edited = "\n".join(
        [
            *lines[:line],
            (
                f"{lines[line]} # edit {edit}"
                if lines[line].strip()
                and "#" not in lines[line]
                and not lines[line].rstrip().endswith(("|", ">", "|-", ">-"))
                else lines[line]
            ),
            *lines[line + 1 :],
        ]
    )
    for version in (
        text,
        edited,
        text,
    ):  # cold, an edit served partly from the cache, back
        try:
            whole = yaml.load(version, Loader=LOADER)
        except yaml.YAMLError:
            assert parsed(version, "prop") is None
            continue
        got = parsed(version, "prop")
        assert got is None or exact(got) == exact(whole)
