"""Render lays out code the way black would, so black's pass finds nothing to change.

black formats a file twice when its first pass changes anything, and splitting long lines is
what costs it most; `generator/layout.py` emits black's shape up front (black still runs on
every file, and fixes whatever layout gets wrong). These tests hold layout to black itself:
each laid-out snippet must be a fixed point of `black.format_str` (whole generated packages
are held to the same in tests/golden/test_layout_packages.py).
"""

from __future__ import annotations

import keyword

import black
import pytest
from black_checks import MODE, assert_black_stable

from generator import layout
from generator.render import docstring, pyrepr

LONG = "VeryLongModelNameForTesting"


@pytest.mark.parametrize(
    ("prefix", "source", "suffix", "depth", "parens"),
    [
        ("name: ", "str | Unset", " = UNSET", 1, True),
        (
            "content: ",
            f"list[{LONG}A | {LONG}B | {LONG}C] | Unset",
            " = UNSET",
            1,
            True,
        ),
        ("content: ", f"list[{LONG}A | {LONG}B | {LONG}C]", "", 1, True),
        ("operation: ", f"{LONG}A | {LONG}B | {LONG}C", "", 1, True),
        ("ranking_options: ", f"{LONG}{LONG}Object | Unset", " = UNSET", 1, True),
        ("caller: ", f"str | list[{LONG}A | {LONG}B | {LONG}C | {LONG}D]", "", 1, True),
        (
            "MEMBER_WITH_A_LONG_NAME = ",
            '"tenant.workload_identity.provider.created.again"',
            "",
            1,
            True,
        ),
        (
            '"tools": ',
            f'rt.list_of(rt.union(rt.model("{LONG}A"), rt.model("{LONG}B"), discriminator="type", mapping={{"a": "A"}}))',
            ",",
            2,
            False,
        ),
        (
            "",
            f'Arg("tools", "tools", "body", rt.list_of(rt.union(rt.model("{LONG}A"), rt.model("{LONG}B"))), max_items=128)',
            ",",
            2,
            False,
        ),
        (
            "X: Op[models.Y] = ",
            'Op(name="x", method="GET", path="/x", args=(Arg("a", "a", "query", "int"),), result=rt.model("Y"))',
            "",
            0,
            True,
        ),
        (
            "",
            'Command(("create", "endpoint"), "create_endpoint", ops.CREATE_ENDPOINT, flags=(Flag("min_load", help="Minimum load of the endpoint, in requests per second"),))',
            ",",
            1,
            False,
        ),
    ],
)
def test_statements_are_black_stable(
    prefix: str, source: str, suffix: str, depth: int, parens: bool
) -> None:
    code = layout.statement(prefix, source, suffix, depth, optional_parens=parens)
    if depth == 0:
        assert_black_stable(code + "\n")
    elif depth == 1:
        assert_black_stable("class C:\n" + code + "\n")
    else:
        assert_black_stable(
            "x = f(\n    a,\n    {\n" + code + "\n    },\n)\n"
            if prefix
            else "x = (\n    (\n" + code + "\n    ),\n)\n"
        )


@pytest.mark.parametrize(
    ("annotation", "default", "trailing"),
    [
        (
            "DirectToolCallCallerParam | ProgramToolCallCallerParam | None | Unset",
            "UNSET",
            "",
        ),
        (
            "DirectToolCallCallerParam | ProgramToolCallCallerParam | None | Unset",
            "UNSET",
            ",",
        ),
        (f"list[{LONG}A | {LONG}B | {LONG}C] | Unset", "UNSET", ""),
        (f"{LONG}A | {LONG}B", "", ""),
        ("str | Unset", "UNSET", ","),
    ],
)
def test_fields_and_parameters_are_black_stable(
    annotation: str, default: str, trailing: str
) -> None:
    if trailing:  # a parameter in a signature
        code = layout.annotated("caller", annotation, default, 2, trailing)
        assert_black_stable(
            "class C:\n    def f(\n        self,\n"
            + code
            + "\n    ) -> None:\n        pass\n"
        )
    else:  # a dataclass field
        code = layout.annotated("caller", annotation, default, 1)
        assert_black_stable("class C:\n" + code + "\n")
    if not trailing and default and "DirectToolCall" in annotation:  # right-hand side first
        assert code.splitlines()[0].endswith("= (")


def test_long_statements_are_split_and_short_ones_are_not() -> None:
    assert (
        layout.statement("name: ", "str | Unset", " = UNSET", 1, True)
        == "    name: str | Unset = UNSET"
    )
    split = layout.statement(
        "content: ", f"list[{LONG}A | {LONG}B | {LONG}C] | Unset", " = UNSET", 1, True
    )
    assert split.splitlines()[0] == "    content: (" and split.endswith(") = UNSET")


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("one line", 1),
        ("first line\nsecond line\n\n  indented more\nlast", 1),
        ("x" * 80 + "\n" + "y" * 83, 1),  # the closing quotes do not fit: own line
        ('"quoted" start and end "', 2),
        ("method doc\n\nArgs:\n    a: the a\n\nRaises:\n    ApiStatusError: on 4xx", 2),
        ("trailing spaces   \nand a backslash \\ here", 0),
    ],
)
def test_docstrings_are_black_stable(text: str, depth: int) -> None:
    body = docstring(text, depth)
    indent = "    " * depth
    code = f'{indent}"""{body}"""\n'
    for level in range(depth):
        code = (
            "    " * (depth - 1 - level)
            + ("class C:\n" if level == depth - 1 else "def f():\n")
            + code
        )
    code = code if depth else code
    assert_black_stable(code)


@pytest.mark.parametrize(
    "value",
    [
        "plain",
        "it's",
        'say "hi"',
        "both ' and \"",
        "back\\slash'\"",
        "\n\t\x00",
        1.5e20,
        -2.5e-07,
        [1, "a"],
        {"k": ("v",)},
        (),
        True,
        None,
    ],
)
def test_pyrepr_is_a_literal_black_leaves_alone(value: object) -> None:
    import ast

    literal = pyrepr(value)
    assert ast.literal_eval(literal) == value
    assert_black_stable(f"x = {literal}\n")


# -- property: layout never changes what the code means ---------------------------------------

import ast  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

NAMES = st.from_regex(r"[A-Z][A-Za-z0-9]{0,40}", fullmatch=True)
# a call's name is a NAME lowered (`rt.<name>`): never a keyword such as `in` or `if`
CALLS = NAMES.map(str.lower).filter(lambda name: not keyword.iskeyword(name))
LITERALS = st.one_of(
    st.text(max_size=60).map(pyrepr),
    st.integers(-(10**12), 10**12).map(pyrepr),
    st.floats(allow_nan=False, allow_infinity=False).map(pyrepr),
)


def expressions() -> st.SearchStrategy[str]:
    leaf = st.one_of(NAMES, LITERALS)
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.lists(inner, min_size=2, max_size=5).map(" | ".join),
            st.tuples(NAMES, st.lists(inner, min_size=1, max_size=4)).map(
                lambda t: f"{t[0]}[{', '.join(t[1])}]"
            ),
            st.tuples(
                CALLS, st.lists(inner, max_size=4), st.lists(inner, max_size=2)
            ).map(
                lambda t: f"rt.{t[0]}({', '.join([*t[1], *(f'k{i}={v}' for i, v in enumerate(t[2]))])})"
            ),
            st.lists(inner, max_size=4).map(
                lambda xs: "(" + ", ".join(xs) + ("," if len(xs) == 1 else "") + ")"
            ),
            st.lists(st.tuples(LITERALS, inner), max_size=3).map(
                lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"
            ),
        ),
        max_leaves=12,
    )


@given(
    source=expressions(),
    kind=st.sampled_from(["annotation", "default", "assignment", "item", "return"]),
)
@settings(max_examples=300, deadline=None)
def test_layout_keeps_the_meaning_and_black_accepts_it(source: str, kind: str) -> None:
    prefix, suffix, depth, parens = {
        "annotation": ("field: ", "", 1, True),
        "default": ("field: ", " = UNSET", 1, True),
        "assignment": ("NAME = ", "", 0, True),
        "item": ('"key": ', ",", 2, False),
        "return": ("return ", "", 2, True),
    }[kind]
    flat = "    " * depth + prefix + source + suffix
    laid = layout.statement(prefix, source, suffix, depth, optional_parens=parens)

    def wrap(line: str) -> str:
        if kind in ("annotation", "default"):
            return "class C:\n" + line + "\n"
        if kind == "item":
            return "x = f(\n    {\n" + line + "\n    },\n)\n"
        if kind == "return":
            return "class C:\n    def f(self):\n" + line + "\n"
        return line + "\n"

    assert ast.dump(ast.parse(wrap(laid))) == ast.dump(ast.parse(wrap(flat)))
    black.format_str(wrap(laid), mode=MODE)  # black can read it
