"""The statement shapes `client.py` needs proven (so that small specs never import black),
held to black on made-up variants: a one-element tuple assigned under an annotation, a call
statement whose head holds brackets (`super().__init__(...)`), an element calling one argument
that explodes (`rt.list_of(rt.union(...,))`). Each variant is written three ways (black's own
output, joined on one row, exploded one element per row) at several depths and widths; whatever
the verifier claims of it must be black's output of the whole text (`assert_sound`), and black's
own output of each shape must be proven (the rules are not vacuous).
"""

from __future__ import annotations

from blackproof_checks import FUTURE, assert_sound_both, black_of, claim
from hypothesis import given, settings
from hypothesis import strategies as st

HEADS = [
    "super().__init__",
    "self._client.get(a)[0].send",
    "f(x)(y)",
    "rt.Server",
    "x = rt.Server",
    "x: ClassVar[tuple[rt.Server, ...]] = rt.Server",
    "return rt.Server",
]
TUPLE_HEADS = ["x: ClassVar[tuple[rt.Server, ...]] =", "_servers =", "return", "x: T ="]


def _element(size: int, kind: int, magic: bool) -> str:
    text = '"' + "s" * size + '"'
    comma = "," if magic else ""
    return [
        text,
        f"name_{size}={text}",
        f"rt.Server({text}, 'd')",
        f'rt.union(rt.model("A"), {text}{comma})',
        f'{{"k": {text}{comma}}}',
        f"rt.list_of(rt.union({text}, x{comma}))",
    ][kind % 6]


def _layouts(head: str, elements: list[str], trailing: bool, one_tuple: bool) -> list[str]:
    if one_tuple:
        open_, close = " (", ")"
        elements = elements[:1]
        trailing = True
    else:
        open_, close = "(", ")"
    comma = "," if trailing else ""
    joined = head + open_ + ", ".join(elements) + comma + close
    exploded = head + open_ + "\n" + "".join(f"    {e},\n" for e in elements) + close
    if not trailing and elements:
        exploded = exploded.replace(",\n" + close, "\n" + close)
    return [joined, exploded]


def _nest(text: str, depth: int) -> str:
    rows = text.split("\n")
    if depth == 0:
        return text + "\n"
    pad = "    " * depth
    header = "class C:\n" if depth == 1 else "class C:\n    def f(self):\n"
    return header + "\n".join(pad + row for row in rows) + "\n"


@settings(max_examples=120, deadline=None)
@given(
    head=st.integers(0, 100),
    tuple_head=st.booleans(),
    sizes=st.lists(st.integers(1, 70), min_size=1, max_size=3),
    kinds=st.lists(st.integers(0, 5), min_size=3, max_size=3),
    magic=st.booleans(),
    trailing=st.booleans(),
    depth=st.integers(0, 2),
)
def test_variants_of_the_new_shapes_are_never_claimed_wrongly(
    head: int,
    tuple_head: bool,
    sizes: list[int],
    kinds: list[int],
    magic: bool,
    trailing: bool,
    depth: int,
) -> None:
    first = TUPLE_HEADS[head % len(TUPLE_HEADS)] if tuple_head else HEADS[head % len(HEADS)]
    elements = [_element(size, kind, magic) for size, kind in zip(sizes, kinds, strict=False)]
    for text in _layouts(first, elements, trailing, tuple_head):
        if depth == 2 and first.startswith("return"):
            continue
        whole = FUTURE + _nest(text, depth if not first.startswith("return") else 0)
        if first.startswith("return"):
            whole = FUTURE + "def f():\n" + "".join("    " + r + "\n" for r in text.split("\n"))
        assert_sound_both(whole)


def test_blacks_own_output_of_each_shape_is_proven() -> None:
    texts = [
        "x: ClassVar[tuple[rt.Server, ...]] = (rt.Server(" + '"' + "u" * 60 + '", "d"),)\n',
        "super().__init__(a=1, b={'k': v,}, c=2)\n",
        "super().__init__(" + ", ".join(f"name_{i}=value_{i}" for i in range(6)) + ")\n",
        "D = {'items': rt.list_of(rt.union(rt.model('A'), x,)), 'b': 1,}\n",
    ]
    for text in texts:
        formatted = black_of(FUTURE + text)
        assert formatted is not None
        assert claim(formatted) == formatted
        lines_proven = _proven_whole(formatted)
        assert lines_proven, formatted


def _proven_whole(text: str) -> bool:
    from generator import blackproof, residual

    lines = blackproof.read(text)
    return bool(lines) and residual.blanks_ok(lines) and all(line.proven for line in lines)


# -- values too long for their row, and lone annotations ------------------------------------


def _forms(target: str, callee: str, argument: str) -> list[str]:
    """`target = callee(argument)` written the ways black might write it."""
    return [
        f"{target} = {callee}({argument})",
        f"{target} = {callee}(\n    {argument}\n)",
        f"{target} = (\n    {callee}({argument})\n)",
        f"{target} = (\n    {callee}(\n        {argument}\n    )\n)",
        f"{target} = ({callee}({argument}))",
    ]


def _annotations(name: str, annotation: str, default: str) -> list[str]:
    tail = f" = {default}" if default else ""
    return [
        f"{name}: {annotation}{tail}",
        f"{name}: (\n    {annotation}\n){tail}",
        f"{name}: {annotation} = (\n    {default}\n)" if default else f"{name}: ({annotation})",
    ]


@settings(max_examples=120, deadline=None)
@given(
    target=st.integers(1, 80),
    callee=st.sampled_from(["rt.raw_method", "f", "rt.a.b", "super().f", "frozenset"]),
    argument=st.integers(1, 90),
    depth=st.integers(0, 2),
    kind=st.integers(0, 2),
)
def test_long_values_and_lone_annotations_are_never_claimed_wrongly(
    target: int, callee: str, argument: int, depth: int, kind: int
) -> None:
    name = "t" * target
    value = ["Client." + "m" * argument, '"' + "s" * argument + '"', "{'k': v,}"][kind]
    texts = _forms(name, callee, value)
    texts += _annotations(name, "Very" + "L" * argument, "UNSET" if kind else "")
    for text in texts:
        assert_sound_both(FUTURE + _nest(text, depth))


def test_blacks_own_output_of_long_values_is_proven() -> None:
    texts = [
        "class C:\n    def f(self):\n        "
        + "a" * 64
        + " = rt.raw_method(Client."
        + "a" * 64
        + ")\n",
        "class C:\n    def f(self):\n        "
        + "a" * 72
        + " = rt.raw_method(Client."
        + "a" * 72
        + ")\n",
        "class C:\n    " + "m" * 20 + ": " + "W" * 70 + "\n",
        "_ENUMS: frozenset[str] = frozenset({'a', 'b',})\n",
    ]
    for text in texts:
        formatted = black_of(FUTURE + text)
        assert formatted is not None
        assert _proven_whole(formatted), formatted


# -- parameters whose `|` union holds a `Literal[...]` ---------------------------------------


def _union_param(values: list[str], magic: bool, listed: bool, unset: bool, model: int) -> str:
    literal = "Literal[" + ", ".join(values) + ("," if magic else "") + "]"
    annotation = f"models.{'M' * model} | {literal}"
    if listed:
        annotation = f"list[{annotation}]"
    return annotation + (" | Unset" if unset else "")


def _param_layouts(name: str, annotation: str, default: str) -> list[str]:
    tail = f" = {default}" if default else ""
    pieces = annotation.split(" | ")
    return [
        f"{name}: {annotation}{tail},",
        f"{name}: (\n    {annotation}\n){tail},",
        f"{name}: (\n    " + "\n    | ".join(pieces) + f"\n){tail},",
    ]


@settings(max_examples=120, deadline=None)
@given(
    values=st.lists(st.integers(1, 30), min_size=1, max_size=6),
    magic=st.booleans(),
    listed=st.booleans(),
    unset=st.booleans(),
    default=st.booleans(),
    model=st.integers(1, 70),
    depth=st.integers(0, 1),
)
def test_literal_unions_in_parameters_are_never_claimed_wrongly(
    values: list[int],
    magic: bool,
    listed: bool,
    unset: bool,
    default: bool,
    model: int,
    depth: int,
) -> None:
    annotation = _union_param(['"' + "v" * n + '"' for n in values], magic, listed, unset, model)
    for param in _param_layouts("scope", annotation, "UNSET" if default else ""):
        rows = ["def f(", "    self,", "    *,"] + ["    " + r for r in param.split("\n")]
        text = "\n".join(rows) + "\n) -> None:\n    pass"
        assert_sound_both(FUTURE + _nest(text, depth))


def test_blacks_own_output_of_literal_unions_is_proven() -> None:
    for magic in (True, False):
        for listed in (True, False):
            annotation = _union_param(['"' + "v" * 20 + '"'] * 5, magic, listed, True, 40)
            text = f"def f(self, *, scope: {annotation} = UNSET) -> None:\n    pass\n"
            formatted = black_of(FUTURE + text)
            assert formatted is not None
            assert _proven_whole(formatted), formatted


# -- descriptors: `NAME: Op[...] = Op(...)` too long for their first row -------------------


def _descriptor_forms(name: str, annotation: str, args: list[str]) -> list[str]:
    body = "".join(f"    {a},\n" for a in args)
    inner = "".join(f"        {a},\n" for a in args)
    return [
        f"{name}: {annotation} = Op(\n{body})",
        f"{name}: {annotation} = (\n    Op(\n{inner}    )\n)",
        f"{name}: {annotation[: annotation.index('[') + 1]}\n    "
        + f"{annotation[annotation.index('[') + 1 : -1]}\n] = Op(\n{body})",
        f"{name}: {annotation} = Op(" + ", ".join(args) + ",)",
    ]


@settings(max_examples=120, deadline=None)
@given(
    name=st.integers(1, 80),
    model=st.integers(1, 60),
    paged=st.booleans(),
    args=st.lists(st.integers(1, 60), min_size=1, max_size=3),
    depth=st.integers(0, 1),
)
def test_descriptors_too_long_for_a_row_are_never_claimed_wrongly(
    name: int, model: int, paged: bool, args: list[int], depth: int
) -> None:
    annotation = f"models.{'M' * model}"
    annotation = f"Op[SyncPage[{annotation}]]" if paged else f"Op[{annotation}]"
    values = [f'name="{"n" * n}"' for n in args]
    for text in _descriptor_forms("N" * name, annotation, values):
        assert_sound_both(FUTURE + _nest(text, depth))


def test_blacks_own_output_of_long_descriptors_is_proven() -> None:
    for name in (40, 60, 70):
        text = "N" * name + ": Op[models." + "M" * 30 + "] = Op(name='x', path='/y',)\n"
        formatted = black_of(FUTURE + text)
        assert formatted is not None
        assert _proven_whole(formatted), formatted
