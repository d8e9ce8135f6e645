"""What an operation's command line looks like: its usage line, positionals, aliases, defaults.

Read in the build stage from the spec's words for humans and its `x-cli-*` extensions:
- the usage line: `x-cli-usage`, else a "CLI Usage: `tool verb noun <a> [<b>] --flag <v>`" line
  in the description. After the command words, each `<placeholder>` is a positional argument
  in that order, `[<placeholder>]` / `[NAME]` an optional one, and a trailing `<command>` /
  `<query>` / `<args...>` takes the rest of the argv; `--flag <value>`, `[options]` and
  `[--flag ...]` are flags, not positionals;
- `x-cli-positional: [names]`: the positionals' order, replacing the usage line's;
- `x-cli-aliases: ["get endpt-logs", ...]`: more command words for the same operation;
- `x-cli-default` on a parameter or a body property: the value the CLI fills in when the user
  leaves the argument out.

A placeholder is matched to a parameter by its name (`<key>` <-> body field `key`, `<id>` <->
path parameter `id`), else, for an `<id>`-like placeholder, the operation's single path
parameter. One that matches nothing is reported (`unmatched`) and the command keeps its flags.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator import naming
from generator.document import Document
from generator.keywords import jsonable
from generator.model import CliSpec, Parameter

_USAGE = re.compile(r"CLI Usage:\s*`([^`]+)`")
_WORD = re.compile(r"^[a-z][a-z0-9_-]*$")
_TOKEN = re.compile(r"\[[^\]]*\]|\S+")
_PLACEHOLDER = re.compile(r"^<([^<>\s]+?)(\.\.\.)?>(\.\.\.)?$")
_BARE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)(\.\.\.)?$")
_REST = {"command", "cmd", "query", "args", "arguments", "rest"}
_NOT_POSITIONAL = {"options", "option", "flags"}


@dataclass(frozen=True)
class Placeholder:
    name: str
    kind: str  # required, optional, rest


def usage_line(description: str, explicit: object = None) -> str:
    """`x-cli-usage` if it is text, else the description's "CLI Usage: `...`" line, else ""."""
    if isinstance(explicit, str) and explicit.strip():
        return " ".join(explicit.strip().strip("`").split())
    match = _USAGE.search(description or "")
    return " ".join(match.group(1).split()) if match else ""


def command_words(usage: str) -> tuple[str, ...] | None:
    """`vastai create endpoint [options]` -> ("create", "endpoint"): the words after the program
    until the first argument (`ID`, `<x>`, `[options]`, `--flag`)."""
    out: list[str] = []
    for token in usage.split()[1:]:
        if not _WORD.match(token):
            break
        out.append(token)
    return tuple(out) or None


def placeholders(usage: str) -> tuple[tuple[Placeholder, ...], frozenset[str]]:
    """(the positional placeholders of a usage line, in order; the flag names it mentions)."""
    tokens = _TOKEN.findall(usage)[1 + len(command_words(usage) or ()) :]
    out: list[Placeholder] = []
    flags: set[str] = set()
    skip_value = False
    for token in tokens:
        if skip_value and _PLACEHOLDER.match(token):
            skip_value = False
            continue
        skip_value = False
        if token.startswith("-"):
            flags.add(_key(token.split("=", 1)[0]))
            skip_value = "=" not in token
            continue
        optional = token.startswith("[") and token.endswith("]")
        inner = token[1:-1].strip() if optional else token
        if optional and inner.startswith("-"):
            flags.add(_key(inner.split()[0].split("=", 1)[0]))
            continue
        match = _PLACEHOLDER.match(inner) or (_BARE.match(inner) if optional else None)
        if match is None or match.group(1).lower() in _NOT_POSITIONAL:
            continue
        name = match.group(1)
        rest = any(match.groups()[1:])
        kind = "optional" if optional else "required"
        out.append(Placeholder(name, "rest" if rest else kind))
    if out and out[-1].kind == "required" and _key(out[-1].name) in _REST:
        out[-1] = Placeholder(out[-1].name, "rest")
    return tuple(out), frozenset(flags)


_SYNONYMS = {"query": "q", "q": "query"}


def match(
    name: str, params: Sequence[Parameter], taken: Sequence[str] = ()
) -> Parameter | None:
    """The parameter a placeholder names, none of `taken`: its name or wire name (or the same
    in the singular, or `q` for `query`), else its first words (`<endpoint_name>` <-> `endpoint`,
    `<machine_id>` <-> `machine`), else for an `<id>`-like placeholder the single path
    parameter left, else a parameter called `id`."""
    key = _key(name)
    free = [p for p in params if p.name not in taken]

    def named(*keys: str) -> Parameter | None:
        for p in free:
            if {p.name.rstrip("_"), _key(p.wire)} & set(keys):
                return p
        return None

    found = named(key, key.rstrip("s"), _SYNONYMS.get(key, key))
    if found is None and "_" in key:
        found = named(key.rsplit("_", 1)[0])
    if found is None and (key == "id" or key.endswith("_id")):
        path = [p for p in free if p.location == "path"]
        found = path[0] if len(path) == 1 else named("id")
    return found


def read(
    usage: str,
    params: Sequence[Parameter],
    positional: object = None,
    aliases: object = None,
    defaults: Sequence[tuple[str, object]] = (),
) -> tuple[CliSpec, list[str]]:
    """The operation's `CliSpec` and the placeholders (or `x-cli-positional` names) that match
    no parameter."""
    if isinstance(positional, list) and positional:
        wanted = tuple(Placeholder(str(n), "required") for n in positional)
        mentioned: frozenset[str] = frozenset()
    else:
        wanted, mentioned = placeholders(usage) if usage else ((), frozenset())
    chosen: list[tuple[str, str]] = []
    unmatched: list[str] = []
    exact = {  # placeholders that name a parameter exactly claim it first
        w.name: p
        for w in wanted
        for p in params
        if _key(w.name) in (p.name.rstrip("_"), _key(p.wire))
    }
    for placeholder in wanted:
        others = [p.name for w, p in exact.items() if w != placeholder.name]
        param = exact.get(placeholder.name) or match(
            placeholder.name, params, [*others, *(n for n, _ in chosen)]
        )
        if param is None or any(param.name == n for n, _ in chosen):
            unmatched.append(placeholder.name)
            continue
        chosen.append((param.name, placeholder.kind))
    # path parameters the usage line leaves out stay positional (as without a usage line)
    for p in params:
        if p.location == "path" and p.required and _key(p.wire) not in mentioned:
            if all(p.name != n for n, _ in chosen):
                chosen.append((p.name, "required"))
    chosen = _ordered(chosen)
    return (
        CliSpec(
            usage=usage,
            positional=tuple(chosen),
            aliases=_aliases(aliases),
            defaults=tuple(defaults),
        ),
        unmatched,
    )


def _ordered(chosen: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Required positionals before optional ones, one `rest` last (argparse fills them in order)."""
    rank = {"required": 0, "optional": 1, "rest": 2}
    rest = [c for c in chosen if c[1] == "rest"][:1]
    others = [(n, "optional" if k == "rest" else k) for n, k in chosen if (n, k) not in rest]
    return sorted(others, key=lambda c: rank[c[1]]) + rest


def _aliases(raw: object) -> tuple[tuple[str, ...], ...]:
    items = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
    out: list[tuple[str, ...]] = []
    for item in items:
        text = " ".join(str(w) for w in item) if isinstance(item, list) else str(item)
        words = naming.cli_words_from_text(text)
        if words and words not in out:
            out.append(words)
    return tuple(out)


def for_operation(
    doc: Document,
    op: dict[str, Any],
    item: dict[str, Any],
    ptr: str,
    params: Sequence[Parameter],
    words: tuple[str, ...],
) -> CliSpec:
    """An operation's `CliSpec`, each placeholder that names no parameter a warning."""
    usage = usage_line(_text(op.get("description")), op.get("x-cli-usage"))
    spec, unmatched = read(
        usage,
        params,
        op.get("x-cli-positional"),
        op.get("x-cli-aliases"),
        _defaults(doc, op, item, ptr, params),
    )
    where = ptr + ("/x-cli-positional" if isinstance(op.get("x-cli-positional"), list) else "")
    for name in unmatched:
        doc.warn(
            f"CLI usage of `{' '.join(words)}`: <{name}> names no parameter of this operation "
            "(nor is it its only path parameter); the command takes it as a flag, if at all",
            where,
        )
    return spec


def has_positionals(op: dict[str, Any]) -> bool:
    """Whether the usage line or `x-cli-positional` gives the command positional arguments."""
    if isinstance(op.get("x-cli-positional"), list) and op["x-cli-positional"]:
        return True
    usage = usage_line(_text(op.get("description")), op.get("x-cli-usage"))
    return bool(usage and placeholders(usage)[0])


def _key(text: str) -> str:
    """A name to compare: lower-case words joined by `_` (`Instance-ID` -> `instance_id`)."""
    return "_".join(w.lower() for w in naming.words(text))


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _defaults(
    doc: Document,
    op: dict[str, Any],
    item: dict[str, Any],
    ptr: str,
    params: Sequence[Parameter],
) -> list[tuple[str, object]]:
    """(parameter name, x-cli-default) of each parameter or body property that has one."""
    found: dict[tuple[str, str], object] = {}
    for owner in (item, op):
        raw = owner.get("parameters")
        for index, entry in enumerate(raw if isinstance(raw, list) else []):
            param, _ = doc.deref(entry, f"{ptr}/parameters/{index}")
            if isinstance(param, dict) and "x-cli-default" in param:
                found[(str(param.get("name")), str(param.get("in")))] = param["x-cli-default"]
    body, body_ptr = doc.deref(op.get("requestBody"), ptr + "/requestBody")
    content = body.get("content") if isinstance(body, dict) else None
    media = next(iter(content.values()), None) if isinstance(content, dict) else None
    if isinstance(media, dict):
        schema, schema_ptr = doc.deref(media.get("schema"), body_ptr + "/content")
        props = schema.get("properties") if isinstance(schema, dict) else None
        for wire, prop in (props or {}).items() if isinstance(props, dict) else ():
            prop, _ = doc.deref(prop, f"{schema_ptr}/properties/{wire}")
            if isinstance(prop, dict) and "x-cli-default" in prop:
                found[(str(wire), "body")] = prop["x-cli-default"]
    out: list[tuple[str, object]] = []
    for p in params:
        location = "body" if p.location not in ("path", "query", "header", "cookie") else p.location
        if (p.wire, location) in found:
            out.append((p.name, jsonable(found[(p.wire, location)])))
    return out
