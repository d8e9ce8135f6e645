"""What `client.py` and the operation modules need so that the generated package loads what a
program uses when it first uses it (issue 16).

`client.py` declares its classes twice: under `if TYPE_CHECKING:` the classes type checkers
read (every group class inherited, every wrapper as an alias line), and in the `else:` branch
the classes that run (`rt.Lazy`, whose methods come from an `rt.Groups` table or an
`rt.Wrapped` finder when first looked up). This module computes both from the method names.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from generator import layout
from generator.render.text import method_alias, pyrepr
from generator.render.types import Imports


def typed_models(imports: Imports) -> bool:
    """Whether a module names models, which it does in annotations only: `models` is then
    imported for type checkers alone, so that importing the module loads no model."""
    if not imports.discard(".", "models"):
        return False
    imports.add(
        "typing"
    )  # `typing.TYPE_CHECKING`: `_ops` holds no upper-case name but its ops
    return True


def group_table(groups: Sequence[tuple[str, str, Sequence[str]]]) -> tuple[str, ...]:
    """The entries of `rt.Groups(...)`: each group's "module:Class" and its methods."""
    table = []
    for module, cls, methods in groups:
        table.append(f"                {pyrepr('.' + module + ':' + cls)}: [")
        table += [f"                    {pyrepr(name)}," for name in methods]
        table.append("                ],")
    return tuple(table)


def alias_lines(
    names: Sequence[str], paged: Collection[str], owner: str, async_owner: str, depth: int
) -> dict[str, tuple[str, ...]]:
    """The typed alias lines (`name = rt.<wrapper>(<owner>.name)`) of the raw, streaming and
    asyncio classes of `owner` (a client or a namespace), at `depth`: each reuses `owner`'s
    method but the async raw one, which reuses `async_owner`'s (a paged method is wrapped by
    `rt.async_paged_method`)."""

    def lines(wrapper: str, cls: str = owner) -> tuple[str, ...]:
        return tuple(method_alias(n, wrapper, cls, depth) for n in names)

    return {
        "raw_aliases": lines("rt.raw_method"),
        "async_aliases": tuple(
            method_alias(
                n,
                "rt.async_paged_method" if n in paged else "rt.async_method",
                owner,
                depth,
            )
            for n in names
        ),
        "async_raw_aliases": lines("rt.async_raw_method", async_owner),
        "streaming_aliases": lines("rt.streaming_method"),
        "async_streaming_aliases": lines("rt.async_streaming_method"),
    }


def aliases(names: Sequence[str], paged: Collection[str]) -> dict[str, Any]:
    """The typed alias lines of the client's raw, streaming and asyncio classes, and the
    finder of `AsyncClient`'s methods (a paged one is wrapped by `rt.async_paged_method`)."""
    special = [n for n in names if n in paged]
    finder = "rt.Wrapped(rt.async_method, Client"
    if special:
        finder += (
            ", {"
            + ", ".join(f"{pyrepr(n)}: rt.async_paged_method" for n in special)
            + "}"
        )
    return {
        **alias_lines(names, paged, "Client", "AsyncClient", 2),
        # as black lays out `_lazy = <finder>` in a class under `else:` (depth 2); the template
        # writes the `_lazy = ` this drops
        "async_finder": layout.statement("_lazy = ", finder + ")", "", 2).removeprefix(
            layout.INDENT * 2 + "_lazy = "
        ),
    }
