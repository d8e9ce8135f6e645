"""JSON pointers (RFC 6901) as oagen writes them: ``#/paths/~1pets/get``.

The one place where a pointer token is escaped (`~` -> `~0`, `/` -> `~1`) or unescaped, and where
pointers are joined from tokens or split into them. Every stage's diagnostics carry pointers in
the URI-fragment form (a leading ``#``); `split` also accepts the plain form (``/paths``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def escape(token: object) -> str:
    """One reference token, escaped: `escape("a/b~c")` -> ``a~1b~0c``."""
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    """The inverse of `escape`: ``~1`` -> `/` first, then ``~0`` -> `~` (RFC 6901, 4)."""
    return token.replace("~1", "/").replace("~0", "~")


def join(*tokens: object) -> str:
    """`join("paths", "/a", "get")` -> ``#/paths/~1a/get``; `join()` -> ``#`` (the root)."""
    return "#" + "".join("/" + escape(t) for t in tokens)


def append(pointer: str, *tokens: object) -> str:
    """`pointer` extended by `tokens`: `append("#/paths", "/a")` -> ``#/paths/~1a``."""
    return pointer + "".join("/" + escape(t) for t in tokens)


def split(pointer: str) -> tuple[str, ...]:
    """The unescaped tokens of `pointer` (``#/a/~1b`` -> `("a", "/b")`; ``#`` -> `()`).

    A leading ``#`` is optional; text before the first `/` is not a token (``#`` and ``""`` are
    the root), and empty tokens are kept (``#/`` names the key `""`).
    """
    body = pointer[1:] if pointer.startswith("#") else pointer
    return tuple(unescape(raw) for raw in body.split("/")[1:])


def follow(node: Any, tokens: Iterable[str]) -> tuple[bool, Any]:
    """(True, the value `tokens` lead to from `node`), or (False, None) if any step is missing.

    A mapping step needs the token as a key; a list step needs a decimal index within the list.
    """
    for token in tokens:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False, None
    return True, node
