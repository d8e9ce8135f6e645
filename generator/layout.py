"""Layout: black's line breaks and docstring shape for the code the templates emit.

black stays the formatter of record: `format` runs it on every Python file. But black formats
a file twice whenever its first pass changes anything (a second pass settles trailing commas),
and splitting a long line is the costliest thing it does; a file that is already in black's
shape costs it one pass, about half. So `render` lays out what it emits the way black would:
docstrings indented and closed like black's, and long statements (annotations, calls, literals,
imports) broken at the brackets and operators black would pick. Where this module guesses
wrong, black still fixes the text; it only costs time. tests/unit/test_layout.py holds snippets to
black and checks that black changes nothing in the seed, vastai-full and asana packages.

The expressions come from our own renderer, so they are small: names, literals, subscripts,
calls, displays and `|` unions. They are parsed with `ast` (literals can hold any spec text),
and laid out with black's rules for those shapes: a line that fits in 88 columns stays whole;
otherwise split at the last bracket (a call's arguments stay on one line if they fit, a
display's go one per line with a trailing comma), then at the commas, then at the `|`s; an
annotation that is a union gets black's optional parentheses.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass

LINE = 88
INDENT = "    "


# -- docstrings ------------------------------------------------------------------------------


def docstring_body(text: str, depth: int, attribute: bool = False) -> str:
    """The inside of a `\"\"\"` docstring at `depth` (indent levels) as black leaves it.

    `text` is already escaped for a triple-quoted string. black re-indents continuation lines
    to the docstring's indent (PEP 257 trimming), strips trailing spaces, pads a leading or
    trailing quote, and moves the closing quotes to their own line when the last line would
    not fit them. `attribute`: the string after a class attribute (black keeps the pad there).
    """
    indent = INDENT * depth
    if "\n" in text:
        lines = text.split("\n")
        margin = min(
            (len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()),
            default=sys.maxsize,
        )
        trimmed = [lines[0].strip()]
        if margin < sys.maxsize:
            last = len(lines) - 2
            for i, line in enumerate(lines[1:]):
                stripped = line[margin:].rstrip()
                trimmed.append(indent + stripped if stripped or i == last else "")
        body = "\n".join(trimmed)
    else:
        body = text.strip()
    if body:
        if body[0] == '"':
            body = " " + body
        if body[-1] == '"':
            body += " "
    lines = body.splitlines()
    last_length = len(lines[-1]) if body and not body.endswith("\n") else 0
    if len(lines) > 1 and last_length + 3 > LINE:
        # black's first pass pads a closing quote and then moves the quotes to their own
        # line; its second pass strips the pad, which is now trailing whitespace
        if body.endswith('" ') and not attribute:
            body = body[:-1]
        body += "\n" + indent
    return body


# -- expressions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Atom:
    text: str


@dataclass(frozen=True)
class Union:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Pair:  # `key: value` in a dict display, `name=value` in a call
    prefix: str
    value: Node


@dataclass(frozen=True)
class Bracket:  # a call, subscript or display
    head: str  # `rt.union`, `list`, "" for a display
    open: str
    items: tuple[Node, ...]
    close: str
    display: bool  # tuple/list/dict display: exploded one item per line when split
    one_tuple: bool = False


Node = Atom | Union | Pair | Bracket


def parse(source: str) -> Node:
    """The layout tree of one expression (our own rendered code, on one line)."""
    tree = ast.parse(source, mode="eval").body
    return _node(tree, source.encode())


def _segment(node: ast.AST, source: bytes) -> str:
    # ast offsets count UTF-8 bytes; the expression is one line (literals escape newlines)
    start, end = getattr(node, "col_offset", None), getattr(node, "end_col_offset", None)
    if start is None or end is None:  # pragma: no cover - expression nodes have offsets
        raise ValueError(source)
    return source[start:end].decode()


def _node(node: ast.AST, source: bytes) -> Node:
    match node:
        case ast.BinOp(op=ast.BitOr()):
            items: list[Node] = []
            current: ast.AST = node
            rights: list[ast.AST] = []
            while isinstance(current, ast.BinOp) and isinstance(current.op, ast.BitOr):
                rights.append(current.right)
                current = current.left
            items.append(_node(current, source))
            items.extend(_node(r, source) for r in reversed(rights))
            return Union(tuple(items))
        case ast.Subscript(value=value, slice=index):
            elements = (
                index.elts
                if isinstance(index, ast.Tuple) and not _segment(index, source).startswith("(")
                else [index]
            )
            return Bracket(
                _segment(value, source),
                "[",
                tuple(_node(e, source) for e in elements),
                "]",
                False,
            )
        case ast.Call(func=func, args=args, keywords=keywords):
            parts: list[Node] = [_node(a, source) for a in args]
            parts += [Pair(f"{k.arg}=", _node(k.value, source)) for k in keywords]
            return Bracket(_segment(func, source), "(", tuple(parts), ")", False)
        case ast.Tuple(elts=elts):
            return Bracket(
                "",
                "(",
                tuple(_node(e, source) for e in elts),
                ")",
                True,
                one_tuple=len(elts) == 1,
            )
        case ast.List(elts=elts):
            return Bracket("", "[", tuple(_node(e, source) for e in elts), "]", True)
        case ast.Dict(keys=keys, values=values):
            pairs: list[Node] = [
                Pair(f"{_segment(k, source)}: ", _node(v, source))
                for k, v in zip(keys, values, strict=True)
                if k is not None
            ]
            return Bracket("", "{", tuple(pairs), "}", True)
    return Atom(_segment(node, source))


def flat(node: Node) -> str:
    match node:
        case Atom(text=text):
            return text
        case Union(items=items):
            return " | ".join(flat(i) for i in items)
        case Pair(prefix=prefix, value=value):
            return prefix + flat(value)
        case Bracket():
            inner = ", ".join(flat(i) for i in node.items) + ("," if node.one_tuple else "")
            return node.head + node.open + inner + node.close
    raise TypeError(node)  # pragma: no cover


def lines(
    prefix: str,
    node: Node,
    suffix: str,
    depth: int,
    optional_parens: bool = False,
    returns: bool = False,
) -> list[str]:
    """`prefix + node + suffix` at `depth`, broken into lines as black would.

    `optional_parens`: the expression may be wrapped in parentheses black adds itself (an
    annotation, the right-hand side of an assignment). `returns`: a return annotation, which
    black wraps even when it does not fit inside the parentheses.
    """
    indent = INDENT * depth
    whole = indent + prefix + flat(node) + suffix
    if len(whole) <= LINE:
        return [whole]
    match node:
        case Pair(prefix=more, value=value):
            return lines(prefix + more, value, suffix, depth)
        case Union(items=items):
            if optional_parens:
                return [
                    indent + prefix + "(",
                    *_union_body(items, depth + 1),
                    indent + ")" + suffix,
                ]
            return _union_body(items, depth, prefix, suffix)
        case Bracket(head=head, open=opening):
            if optional_parens and len(indent + prefix + head + opening) > LINE:
                # the bracket's own line would not fit: black wraps it in parentheses when
                # its contents can be split further (several items) or then fit
                wrapped = [
                    indent + prefix + "(",
                    *lines("", node, "", depth + 1),
                    indent + ")" + suffix,
                ]
                if len(node.items) > 1 or all(len(line) <= LINE for line in wrapped):
                    return wrapped
            return _bracket(prefix, node, suffix, depth)
        case Atom(text=text) if optional_parens and (
            returns or len(INDENT * (depth + 1) + text) <= LINE
        ):
            return [indent + prefix + "(", INDENT * (depth + 1) + text, indent + ")" + suffix]
    return [whole]


def _union_body(
    items: tuple[Node, ...], depth: int, prefix: str = "", suffix: str = ""
) -> list[str]:
    indent = INDENT * depth
    one = indent + prefix + " | ".join(flat(i) for i in items) + suffix
    if len(one) <= LINE:
        return [one]
    out: list[str] = []
    for i, item in enumerate(items):
        lead = prefix if i == 0 else "| "
        tail = suffix if i == len(items) - 1 else ""
        out += lines(lead, item, tail, depth)
    return out


def _bracket(prefix: str, node: Bracket, suffix: str, depth: int) -> list[str]:
    indent = INDENT * depth
    inner = INDENT * (depth + 1)
    head = indent + prefix + node.head + node.open
    tail = indent + node.close + suffix
    if not node.items:
        return [indent + prefix + flat(node) + suffix]
    body = ", ".join(flat(i) for i in node.items) + ("," if node.one_tuple else "")
    if node.one_tuple or not node.display:
        if len(inner + body) <= LINE:
            return [head, inner + body, tail]
        if len(node.items) == 1 and not node.one_tuple:
            return [head, *lines("", node.items[0], "", depth + 1), tail]
    out = [head]
    for item in node.items:
        out += lines("", item, ",", depth + 1)
    return [*out, tail]


def statement(
    prefix: str,
    source: str,
    suffix: str,
    depth: int,
    optional_parens: bool = False,
    returns: bool = False,
) -> str:
    """One statement as black lays it out (lines joined, no final newline)."""
    indent = INDENT * depth
    if len(indent + prefix + source + suffix) <= LINE:
        return indent + prefix + source + suffix
    return "\n".join(lines(prefix, parse(source), suffix, depth, optional_parens, returns))


def annotated(name: str, annotation: str, default: str, depth: int, trailing: str = "") -> str:
    """`name: annotation` (` = default` if given) plus `trailing` ("," in a signature), laid out
    as black lays out a dataclass field or a parameter."""
    indent = INDENT * depth
    suffix = (f" = {default}" if default else "") + trailing
    if default and len(indent + name + ": " + annotation + suffix) > LINE:
        split = _split_default(name, annotation, default, depth, trailing)
        if split is not None:
            return split
        # black splits the right-hand side first when the rest then fits: `= (`, default, `)`
        head = f"{indent}{name}: {flat(parse(annotation))} = ("
        if len(head) <= LINE and len(indent + INDENT + default) <= LINE:
            return "\n".join([head, indent + INDENT + default, indent + ")" + trailing])
        node = parse(default)
        if len(head) <= LINE and not trailing and isinstance(node, Bracket) and node.items:
            # a field whose default does not fit inside the parentheses either: black splits
            # the default there in turn
            inner = lines("", node, "", depth + 1)
            return "\n".join([head, *inner, indent + ")"])
    return statement(f"{name}: ", annotation, suffix, depth, optional_parens=True)


def def_head(name: str, params: str, returns: str, depth: int) -> str:
    """`def name(params) -> returns:` at `depth`, split as black splits it when too long: the
    parameters on a line of their own (one parameter gets a trailing comma)."""
    indent = INDENT * depth
    line = f"{indent}def {name}({params}) -> {returns}:"
    if len(line) <= LINE:
        return line
    comma = "" if "," in params else ","
    return f"{indent}def {name}(\n{indent}{INDENT}{params}{comma}\n{indent}) -> {returns}:"


def _split_default(
    name: str, annotation: str, default: str, depth: int, trailing: str
) -> str | None:
    """`name: annotation = call(...)` split at the default's own brackets, where black prefers
    that to parenthesising the default (black's `_prefer_split_rhs_oop_over_rhs`): the default
    is a non-empty call or display and the line up to its opening bracket fits. None otherwise.
    """
    node = parse(default)
    if not isinstance(node, Bracket) or not node.items:
        return None
    prefix = f"{name}: {flat(parse(annotation))} = "
    if len(INDENT * depth + prefix + node.head + node.open) > LINE:
        return None
    return "\n".join(_bracket(prefix, node, trailing, depth))


def import_from(module: str, names: list[str], depth: int = 0) -> str:
    """`from module import a, b` as black writes it: one line, or one name per line."""
    indent = INDENT * depth
    line = f"{indent}from {module} import {', '.join(names)}"
    if len(line) <= LINE:
        return line
    inner = [f"{indent}{INDENT}{n}," for n in names]
    return "\n".join([f"{indent}from {module} import (", *inner, f"{indent})"])
