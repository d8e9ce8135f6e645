"""blackproof + residual: whatever the verifier claims black makes of a text, black makes of it.

`claim(text)` is what `format` relies on: the text itself when every line is proven, else
the residual formatted by black and spliced back; None when the verifier makes no claim (the
whole text then goes to black). The tests hold every claim to black on the whole text:
hand-written snippets of each modelled shape and of each thing black rewrites, then
Hypothesis mutations of real black-formatted code (the committed package and the runtime
modules): spaces added or dropped, quotes and prefixes, numbers, trailing commas, blank lines,
parentheses, rows joined or split, docstring padding and trailing spaces, comments, tabs,
backslashes, indentation. A mutation black would undo must never be claimed unchanged.
"""

from __future__ import annotations

from pathlib import Path

import black
import pytest
from blackproof_checks import FUTURE, MODE, assert_sound, black_of, chunks, claim, mutate
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import blackproof, residual
from generator import format as fmt

ROOT = Path(__file__).resolve().parents[2]


def proven_whole(text: str) -> bool:
    lines = blackproof.read(text)
    return bool(lines) and residual.blanks_ok(lines) and all(line.proven for line in lines)


# -- shapes the rules prove ------------------------------------------------------------------

PROVEN = [
    'x = 1\ny: str | None = None\nz = f(a, b=1, *args, **kw)[0].c\n',
    '"""Doc."""\n\nfrom __future__ import annotations\n\nimport a.b as c\nfrom . import d\n',
    'from ._m import (\n    LongName,\n    Other as O,\n)\n',
    '__all__ = [\n    "A",\n    "B",\n]\n_HOME: dict[str, str] = {\n    "A": "._m_0",\n}\n',
    'X = Arg("a", "b", "query", "int", minimum=-1.0, required=True)\n',
    '@dataclasses.dataclass(kw_only=True)\nclass A(Model):\n    """Doc."""\n\n    a: int\n'
    '    """Field."""\n    b: list[str] | Unset = UNSET\n',
    'class A:\n    def f(\n        self,\n        *,\n        a: int = 1,\n        b=2,\n'
    '    ) -> dict[str, Any]:\n        """Doc\n\n        more."""\n'
    "        return self._call(ops.X, locals())\n",
    'COMMANDS: tuple[Command, ...] = (\n    Command(\n        ("a", "b"),\n        "a_b",\n'
    '        positional=("org",),\n    ),\n)\n',
    'if TYPE_CHECKING:\n    from x import A\nelse:\n    A = 1\n',
    'y = 1\n# a comment\nx = not a and b or c in d\n',
    '_INSTALLATION_ID = Arg(\n    "installation_id", "installation_id", "path", "int", required=True\n)\n',
    "class VeryLongClassNameThatDoesNotFitOnOneLineWithItsBasesAtAllXxxxxxxxxxxxxxxxxx(\n"
    "    str, OpenEnum\n):\n    A = 1\n",
    "class A:\n    type: (\n        VeryLongAnnotationNameXxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx | Unset\n"
    "    ) = UNSET\n    contents: VeryLongAnnotationName"
    + "x" * 38
    + " | Unset = (\n        UNSET\n    )\n",
    # a one-element tuple too long for its row (its comma is not magic: black splits there)
    "class C:\n    _server_entries: ClassVar[tuple[rt.Server, ...]] = (\n"
    '        rt.Server("https://api.example.com/v1", "Live server."),\n    )\n',
    # a call statement whose head holds brackets, exploded at its magic trailing comma
    "class C:\n    def __init__(self) -> None:\n        super().__init__(\n"
    "            api_key=api_key,\n            credentials={\n"
    '                "access_token": access_token,\n            },\n'
    "            base_url=base_url,\n        )\n",
    "self._client.get(a)[0].send(\n    x,\n)\n",
    # the same, too long and without a magic comma: split at its last bracket
    "super().__init__(\n    api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries\n)\n",
    # an element calling one argument that explodes: split at both brackets
    "_D: ClassVar[dict[str, rt.Descriptor]] = {\n"
    '    "items": rt.list_of(\n        rt.union(\n            rt.model("A"),\n'
    '            discriminator="category",\n        )\n    ),\n'
    '    "other": rt.list_of(rt.model("B")),\n}\n',
]


@pytest.mark.parametrize("text", PROVEN)
def test_modelled_shapes_are_proven_and_black_agrees(text: str) -> None:
    assert black_of(text) == text  # the snippets are black's own output
    assert proven_whole(text)


def test_long_elements_black_cannot_split_stay_whole() -> None:
    long = '"' + "x" * 100 + '"'
    text = f"__all__ = [\n    {long},\n    \"b\",\n]\n_D = {{\n    \"k\": {long},\n}}\n"
    assert black_of(text) == text
    assert proven_whole(text)


# -- what black rewrites is never proven ----------------------------------------------------

REWRITTEN = [
    "x  = 1\n",
    "x = (1)\n",
    "f(a,)\n",
    "x = 'a'\n",
    'x = u"a"\n',
    'x = B"a"\n',
    "x = 0XFF\n",
    "x = 1E5\n",
    "x = 1.\n",
    "class A():\n    pass\n",
    "x = 1 \n",
    "x = 1\n\n\n\ny = 2\n",
    "import a\nx = 1\n",
    "def f():\n    pass\nx = 1\n",
    '"""Doc. """\n',
    'def f():\n    """  Doc."""\n',
    "#comment\nx = 1\n",
    "x = 1 # c\n",
    "x = [\n    1, 2\n]\n",
    "x = [1, 2,]\n",
    "x = 1 + \\\n    2\n",
    "x = a if(b) else c\n",
    "from a import (b)\n",
    "print((a))\n",
    "x = -  1\n",
    "x = a**b\n",
    "x = a[1 : 2]\n",
    "del (a), b\n",
    "for (a, b) in c:\n    pass\n",
    "x = {'a': 1}\n",
    "def f(a = 1):\n    pass\n",
    "def f(a: int=1):\n    pass\n",
    "x = lambda: 1\n",
    "if x:\n\n    y = 1\n",
    'x = "\\xAB"\n',
    "class A:\n    ...\n",
    "def f():\n    ...\n",
    "x: T = (\n    a,\n)\n",
    "super().__init__(\n    a=1\n)\n",
    "super().__init__(a=1,\n)\n",
    '_D = {\n    "items": rt.list_of(\n        rt.union(a, b)\n    ),\n}\n',
    '_D = {\n    "items": rt.list_of(rt.union(\n        a,\n    )),\n}\n',
    '_D = {\n    "items": rt.list_of(\n        rt.union(\n            a,\n        ),\n    ),\n}\n',
    "x = (\n    rt.Server(\n        \"https://api.example.com/v1/" + "a" * 50 + "\", \"Live\"\n    ),\n)\n",
    "x = (\n    rt.Server(\"https://api.example.com/v1/" + "a" * 50 + "\", \"Live\"),\n)\n",
    "f(a)(\n    b\n)\n",
    "f(a).b + c(\n    d,\n)\n",
    "x = f(a)(\n    b,\n)\n",
    'def f():\n    """A\ttab.\n\n    | a\t | b |\n    """\n',
    'def f():\n    """A tab.\n\n\t| a | b |\n    """\n',
    'def f():\n    """A tab.\t\n    """\n',
    'x = "a\tb"\n',
    "x = 1  #\tc\n",
    "#\tc\nx = 1\n",
    "x =\t1\n",
    "if x:\n\ty = 1\n",
    'x = f(\n    r"a" r"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",\n)\n',
]


@pytest.mark.parametrize("text", REWRITTEN)
def test_what_black_rewrites_is_not_claimed_unchanged(text: str) -> None:
    expected = black_of(text)
    if expected != text:
        assert not proven_whole(text)
    assert_sound(text)


def test_a_text_that_does_not_parse_is_never_claimed() -> None:
    assert blackproof.read("x = = 1\n") is None
    assert blackproof.read("f(x for x in y, 1)\n") is None  # tokens fine, the grammar not
    assert blackproof.read("def f(a, a):\n    return a\n") is None  # the symbol table's
    assert blackproof.read("f(x for x in y)\n") is not None
    assert claim("def f(:\n") is None


def test_the_residual_keeps_statements_black_formats_in_place() -> None:
    text = (
        FUTURE + "\nclass A:\n    x: int\n    y = {'a': 1}\n    z: str\n\n\n"
        "def f(  a ):\n    return a\n"
    )
    lines = blackproof.read(text)
    assert lines is not None and residual.blanks_ok(lines)
    found = residual.plan(lines, text.split("\n"))
    assert found is not None
    assert "x: int" not in found.text and "y = {'a': 1}" in found.text
    assert claim(text) == black_of(text)


def test_without_future_annotations_the_whole_file_goes_to_black() -> None:
    text = "class A:\n    y = {'a': 1}\n"
    lines = blackproof.read(text)
    assert lines is not None
    assert residual.plan(lines, text.split("\n")) is None


def test_splice_refuses_when_black_changes_a_proven_line() -> None:
    text = FUTURE + "x = 1\ny = {'a': 1}\n"
    lines = blackproof.read(text)
    assert lines is not None
    found = residual.plan(lines, text.split("\n"))
    assert found is not None
    formatted = black.format_str(found.text, mode=MODE)
    tampered = formatted.replace("from __future__ import annotations", "from __future__ import  x")
    assert residual.splice(found, tampered) is None


def test_format_files_is_the_same_with_and_without_proofs(monkeypatch: pytest.MonkeyPatch) -> None:
    files = {
        f"p/{i}.py": text
        for i, text in enumerate(PROVEN + REWRITTEN + [FUTURE + "x = {'a': 1}\ny = 2\n"])
        if black_of(text) is not None
    }
    proven = fmt.format_files(files, cache=None)
    monkeypatch.setattr(fmt, "PROVE", False)
    assert fmt.format_files(files, cache=None) == proven


# -- mutations of real black-formatted code -------------------------------------------------


def _seeds() -> list[str]:
    """Chunks of the committed package and of the runtime modules, and the snippets above."""
    paths = sorted((ROOT / "generated" / "vastai_api").glob("*.py"))
    paths += sorted((ROOT / "templates" / "runtime").glob("*.py"))
    texts = {str(path): path.read_text(encoding="utf-8") for path in paths}
    return chunks(texts) + [black_of(FUTURE + "\n" + text) or text for text in PROVEN]


SEEDS = _seeds()


@settings(max_examples=400)
@given(
    seed=st.integers(min_value=0),
    mutations=st.lists(
        st.tuples(st.integers(0, 17), st.integers(0, 10**6), st.integers(0, 100)),
        min_size=1,
        max_size=3,
    ),
)
def test_no_mutation_is_claimed_wrongly(seed: int, mutations: list[tuple[int, int, int]]) -> None:
    text = SEEDS[seed % len(SEEDS)]
    for kind, where, pick in mutations:
        text = mutate(text, kind, where, pick)
    assert_sound(text)


def test_the_seeds_are_mostly_proven() -> None:
    """The mutation test is only as strong as what the verifier accepts before mutation."""
    assert len(SEEDS) > 100
    claimed = [text for text in SEEDS if claim(text) == text]
    assert len(claimed) > 0.6 * len(SEEDS)
    assert sum(proven_whole(text) for text in SEEDS) > 0.3 * len(SEEDS)
