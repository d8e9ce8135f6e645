"""Naming: every identifier oagen emits is decided here, once.

Pure functions from spec text to Python identifiers (snake_case for functions, parameters and
fields; PascalCase for classes; UPPER_CASE for enum members), with keywords and builtins that
would shadow escaped by a trailing `_` (`class` -> `class_`, `in` -> `in_`), anything that is not
an identifier character dropped, and a `Namer` that hands out unique names in a scope in a
stable order (`name`, `name_2`, ...). CLI words come from `x-cli-name`, else a
"CLI Usage: `tool verb noun`" line, else the operationId, else the summary, else method + path.
"""

from __future__ import annotations

import functools
import keyword
import re
import unicodedata

from generator import contract

# Names the generated modules use themselves, or that would shadow what generated code needs.
_RESERVED = frozenset(
    set(keyword.kwlist)
    | set(keyword.softkwlist)
    | {
        "self",
        "cls",
        "bool",
        "int",
        "float",
        "str",
        "bytes",
        "list",
        "dict",
        "type",
        "object",
        "None",
        "True",
        "False",
        "print",
        "id",
        # names the generated modules use at module or class level
        "rt",
        "ops",
        "models",
        "dataclasses",
        "additional_properties",
        "to_dict",
        "from_dict",
        "httpx",
        "typing",
    }
    # a generated method's per-call options (`timeout=`, ...) beside the operation's parameters
    | set(contract.CALL_OPTIONS)
)

_WORD_SPLIT = re.compile(r"[^0-9A-Za-z]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def words(text: str) -> list[str]:
    """Split text into lower-case ASCII words: `createEndpoint` -> create, endpoint."""
    return list(_words(text))


@functools.lru_cache(maxsize=65536)
def _words(text: str) -> tuple[str, ...]:
    normal = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    out: list[str] = []
    for chunk in _WORD_SPLIT.split(normal):
        if chunk:
            out.extend(part.lower() for part in _CAMEL.split(chunk) if part)
    return tuple(out)


def snake(text: str, *, fallback: str = "value") -> str:
    """A safe snake_case identifier for functions, parameters and fields."""
    name = "_".join(words(text)) or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    return escape_reserved(name)


def pascal(text: str, *, fallback: str = "Model") -> str:
    """A safe PascalCase identifier for classes."""
    name = "".join(w[:1].upper() + w[1:] for w in words(text)) or fallback
    if name[0].isdigit():
        name = f"{fallback}{name}"
    return escape_reserved(name)


def constant(text: str, *, fallback: str = "VALUE") -> str:
    """An UPPER_CASE identifier for enum members."""
    name = "_".join(words(text)).upper() or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if name in {"MRO", "NAME", "VALUE"} or keyword.iskeyword(name.lower()) and name.lower() == name:
        name += "_"
    return name


def escape_reserved(name: str) -> str:
    return name + "_" if name in _RESERVED or name.startswith("_") else name


class Namer:
    """Hands out unique names within one scope: the first `x` stays `x`, the next is `x_2`.

    Class names use `sep=""` (`Pet`, `Pet2`) so that they stay PascalCase.
    """

    def __init__(self, taken: set[str] | None = None, sep: str = "_") -> None:
        self._taken: set[str] = set(taken or ())
        self._sep = sep

    def claim(self, name: str, sep: str | None = None) -> str:
        sep = self._sep if sep is None else sep
        candidate, n = name, 2
        while candidate in self._taken:
            candidate = f"{name}{sep}{n}"
            n += 1
        self._taken.add(candidate)
        return candidate

    def __contains__(self, name: str) -> bool:
        return name in self._taken


_CLI_USAGE = re.compile(r"CLI Usage:\s*`([^`]+)`")
_CLI_WORD = re.compile(r"^[a-z][a-z0-9_-]*$")


def cli_words_from_usage(description: str) -> tuple[str, ...] | None:
    """`CLI Usage: \\`vastai create endpoint [options]\\`` -> ("create", "endpoint").

    The first word is the program; command words follow until the first argument placeholder
    (`ID`, `<x>`, `[options]`, `--flag`).
    """
    match = _CLI_USAGE.search(description or "")
    if not match:
        return None
    tokens = match.group(1).split()[1:]
    out: list[str] = []
    for token in tokens:
        if not _CLI_WORD.match(token):
            break
        out.append(token)
    return tuple(out) or None


def cli_words_from_text(text: str) -> tuple[str, ...] | None:
    """`x-cli-name: "create endpoint"` -> ("create", "endpoint"); each word made CLI-safe."""
    out = tuple(cli_word(w) for w in text.split() if words(w))
    return out or None


def cli_word(text: str) -> str:
    """One command word: lower-case ASCII words joined by `-` (`ssh_keys` -> `ssh-keys`)."""
    return "-".join(words(text)) or "x"


def cli_words_from_name(text: str) -> tuple[str, ...]:
    """`createEndpoint` / `create endpoint` -> ("create", "endpoint")."""
    return tuple(words(text)) or ("call",)


def cli_words_from_route(method: str, path: str) -> tuple[str, ...]:
    """`GET /users/{id}/` -> ("get", "users", "id")."""
    return (method.lower(), *words(path)) if words(path) else (method.lower(), "root")


def unique_commands(commands: list[tuple[tuple[str, ...], bool]]) -> list[tuple[str, ...]]:
    """Make every command unique and usable by argparse, keeping the first of each in place.

    `commands` are (words, has positional arguments), in document order. Words are normalised
    (`cli_word`); a repeated command gets its last word suffixed (`ssh-keys-2`, `-3`, ...); a
    command with positional arguments that is also the start of a longer command (`get endpoint
    <id>` beside `get endpoint logs`) is suffixed the same way, since argparse could not tell the
    argument from the sub-command. A command without positionals may stay a prefix (`create team`
    beside `create team role`).
    """
    normal = [tuple(cli_word(w) for w in ws) or ("call",) for ws, _ in commands]
    prefixes = {ws[:i] for ws in normal for i in range(1, len(ws))}
    taken: set[tuple[str, ...]] = set()
    out: list[tuple[str, ...]] = []
    for ws, (_, positional) in zip(normal, commands, strict=True):
        candidate, n = ws, 2
        while candidate in taken or (positional and candidate in prefixes):
            candidate = (*ws[:-1], f"{ws[-1]}-{n}")
            n += 1
        taken.add(candidate)
        out.append(candidate)
    return out


def command_name(words_: tuple[str, ...]) -> str:
    """The Python method name that goes with CLI words."""
    return snake("_".join(words_), fallback="call")
