"""The CLI's command tree, whose parsers are made only when argparse reaches them.

Part of the runtime copied verbatim into each generated package (stdlib only). An API of a
thousand operations has a thousand commands; making each one's parser (its flags, its help
read from the method's docstring, which imports the method's group module) costs seconds.
`add_commands` gives argparse a choices mapping that knows every word of a level but makes a
word's parser when argparse selects it, and help entries whose text is read when a help
page shows them: `--help` makes the top level only, and a command makes the parsers on its
own path. Completion scripts (`_cli_complete`) walk `choices.items()`, which makes them all.
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Callable, Iterator, Sequence
from typing import Any

Words = tuple[str, ...]


@dataclasses.dataclass
class Tree:
    """The command words: each node's child words, in order, and the command of each leaf
    (a node may be both: `gists get` and `gists get comment`)."""

    children: dict[Words, list[str]]
    leaves: dict[Words, Any]


def command_tree(commands: Sequence[Any]) -> Tree:
    """Every command and alias by its words; an alias another command has is left out, and
    the first command of words already taken keeps them."""
    entries = [(c.words, c) for c in commands]
    own = {e[0] for e in entries}
    entries += [(a, c) for c in commands for a in c.aliases if a not in own]
    tree = Tree({}, {})
    seen: set[Words] = {()}
    for words, command in sorted(entries, key=lambda e: e[0]):
        if words in tree.leaves:
            continue
        tree.leaves[words] = command
        for depth in range(len(words)):
            key = words[: depth + 1]
            if key not in seen:
                seen.add(key)
                tree.children.setdefault(words[:depth], []).append(key[-1])
    return tree


class _Choice(argparse.Action):
    """A command's line in its parent's help (as argparse's own pseudo-action), whose text is
    computed when a help page first shows it."""

    def __init__(self, name: str, text: Callable[[], str]) -> None:
        self._text: Callable[[], str] | None = text
        super().__init__(option_strings=[], dest=name, metavar=name)

    @property
    def help(self) -> str | None:
        if self._text is not None:
            self._help: str | None = self._text()
            self._text = None
        return self._help

    @help.setter
    def help(self, value: str | None) -> None:
        self._help = value

    def __call__(
        self, *args: Any, **kwargs: Any
    ) -> None:  # pragma: no cover - never run
        raise NotImplementedError


class _Choices(dict[str, argparse.ArgumentParser]):
    """The words of one level: `make(word)` makes a word's parser when first looked up."""

    def __init__(
        self, words: list[str], make: Callable[[str], argparse.ArgumentParser]
    ) -> None:
        super().__init__()
        self._words = words
        self._known = set(words)
        self._make = make

    def __contains__(self, word: object) -> bool:
        return word in self._known

    def __missing__(self, word: str) -> argparse.ArgumentParser:
        if word not in self._known:
            raise KeyError(word)
        parser = self._make(word)
        dict.__setitem__(self, word, parser)
        return parser

    def __iter__(self) -> Iterator[str]:
        return iter(self._words)

    def __len__(self) -> int:
        return len(self._words)

    def items(self) -> Any:
        return [(word, self[word]) for word in self._words]

    def values(self) -> Any:
        return [self[word] for word in self._words]

    def keys(self) -> Any:
        return list(self._words)


def add_commands(
    parser: argparse.ArgumentParser,
    depth: int,
    words: list[str],
    text: Callable[[str], str],
    make: Callable[[str, argparse.ArgumentParser], None],
    description: Callable[[str], str | None],
) -> None:
    """The sub-commands `words` of `parser`: `text(word)` is a word's line in the help,
    `description(word)` its page's description, `make(word, sub)` adds its arguments."""
    action = parser.add_subparsers(
        dest=f"_cmd{depth}", metavar="COMMAND", title="commands"
    )

    def new(word: str) -> argparse.ArgumentParser:
        sub = action._parser_class(
            prog=f"{action._prog_prefix} {word}",
            description=description(word),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        make(word, sub)
        return sub

    choices = _Choices(words, new)
    action._name_parser_map = choices
    action.choices = choices
    for word in words:
        action._choices_actions.append(_Choice(word, _bind(text, word)))


def _bind(text: Callable[[str], str], word: str) -> Callable[[], str]:
    return lambda: text(word)
