"""The CLI's reading of what a user types: one value per argument type, as typed.

A number, a date, an enum member parse from their text; a union with a string member takes the
text as typed unless it parses as JSON of another member (`--model gpt-4o`, `--stop '["a"]'`);
a boolean reads true/false/yes/no/1/0; an array flag collects repeated flags, several values or
one JSON array (`_Values`); anything else is JSON. Also `_plain`: help text without HTML tags.
"""

from __future__ import annotations

import argparse
import json
import math
import pathlib
import re
import sys
from collections.abc import Callable
from typing import Any

from ._runtime import UNSET, Descriptor, Op, _resolve, encode
from ._scalars import SCALARS, parse


def _json_value(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise argparse.ArgumentTypeError(f"not valid JSON: {exc.msg}") from None


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid number of seconds: {text!r}"
        ) from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text!r}")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid integer: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text!r}")
    return value


_METAVARS = {
    "datetime": "DATETIME",
    "date": "DATE",
    "time": "TIME",
    "uuid": "UUID",
    "base64": "BASE64",
    "decimal": "DECIMAL",
    "decimal_number": "DECIMAL",
}


def _scalar(desc: str) -> Callable[[str], Any]:
    """A flag's type function for a native scalar: the text a user types, checked, and then
    sent as typed (the client takes text in the format as it takes the native value)."""

    def convert(text: str) -> str:
        if parse(text, desc) is None:
            raise argparse.ArgumentTypeError(f"expected {SCALARS[desc]}, got {text!r}")
        return text

    convert.__name__ = _METAVARS[desc].lower()
    return convert


def _converter(desc: Descriptor) -> tuple[Callable[[str], Any], list[Any] | None, str]:
    """(type function, choices, metavar) for a flag of type `desc`."""
    if isinstance(desc, tuple) and desc[0] == "null":
        return _converter(desc[1])
    if isinstance(desc, str) and desc in SCALARS:
        return _scalar(desc), None, _METAVARS[desc]
    if desc == "int":
        return int, None, "INT"
    if desc == "float":
        return float, None, "NUMBER"
    if desc == "bytes":
        return _file, None, "@FILE"
    if desc == "str":
        return str, None, "TEXT"
    if isinstance(desc, tuple) and desc[0] == "enum":
        values = [m.value for m in _resolve(desc[1])]
        kind = int if values and all(isinstance(v, int) for v in values) else str
        return kind, values, "{" + ",".join(str(v) for v in values) + "}"
    return _json_value, None, "JSON"


def _file(text: str) -> Any:
    """A file argument: `@path` sends that file (with its name), `-` standard input, any
    other text is sent as it is."""
    if text == "-":
        return sys.stdin.buffer.read()
    if text.startswith("@"):
        path = pathlib.Path(text[1:])
        if not path.is_file():
            raise argparse.ArgumentTypeError(f"no such file: {text[1:]}")
        return path
    return text


def _bare(desc: Descriptor) -> Descriptor:
    return desc[1] if isinstance(desc, tuple) and desc[0] == "null" else desc


def _fits(value: Any, desc: Descriptor) -> bool:
    """Whether a parsed JSON value has the shape of a (non-string) union member."""
    desc = _bare(desc)
    kind = desc[0] if isinstance(desc, tuple) else desc
    if isinstance(value, bool):
        return kind in ("bool", "any")
    if isinstance(value, int):
        return kind in ("int", "float", "any")
    if isinstance(value, float):
        return kind in ("float", "any")
    if isinstance(value, list):
        return kind in ("list", "any")
    if isinstance(value, dict):
        return kind in ("model", "map", "any")
    if kind == "const":
        return bool(desc[1] == value)
    return False


def _union(
    items: tuple[Descriptor, ...], words: frozenset[str] | None = None
) -> Callable[[str], Any]:
    """A union with a string member: the text as typed, JSON where it parses as another member
    (`--model gpt-4o`, `--stop '["a","b"]'`). With `words`, the string members are enums or
    constants: the text must be one of them (Stripe's `--metadata ''`)."""

    def convert(text: str) -> Any:
        try:
            value = json.loads(text)
        except ValueError:
            value = UNSET
        if value is not UNSET and any(
            _fits(value, d) for d in items if _bare(d) != "str"
        ):
            return value
        if words is None or text in words:
            return text
        raise argparse.ArgumentTypeError(
            f"expected JSON or one of {', '.join(repr(w) for w in sorted(words))}"
        )

    convert.__name__ = "value"
    return convert


def _members(desc: Descriptor) -> tuple[Descriptor, ...]:
    """A union's members, nested unions and nullables flattened."""
    desc = _bare(desc)
    if isinstance(desc, tuple) and desc[0] == "union":
        return tuple(m for d in desc[1] for m in _members(d))
    return (desc,)


def _words(items: tuple[Descriptor, ...]) -> frozenset[str]:
    """The strings a union's enum and constant members allow."""
    out: set[str] = set()
    for item in items:
        if isinstance(item, tuple) and item[0] == "enum":
            out.update(m.value for m in _resolve(item[1]) if isinstance(m.value, str))
        elif (
            isinstance(item, tuple) and item[0] == "const" and isinstance(item[1], str)
        ):
            out.add(item[1])
    return frozenset(out)


def _value_type(desc: Descriptor) -> tuple[Callable[[str], Any], list[Any] | None, str]:
    """(type function, choices, metavar) of one value as a user types it."""
    desc = _bare(desc)
    if isinstance(desc, tuple) and desc[0] == "union":
        items = _members(desc)
        if any(d in ("str", "any") for d in items):
            return _union(items), None, "VALUE"
        if _words(items):
            return _union(items, _words(items)), None, "VALUE"
    if desc == "bool":
        return _boolean, None, "BOOL"
    if desc == "any":  # JSON where the text is JSON, else the text itself
        return _union(("str", "any")), None, "VALUE"
    return _converter(desc)


_TRUE = {"true", "yes", "y", "1", "on"}


_FALSE = {"false", "no", "n", "0", "off"}


def _boolean(text: str) -> bool:
    if text.strip().lower() in _TRUE:
        return True
    if text.strip().lower() in _FALSE:
        return False
    raise argparse.ArgumentTypeError(f"expected true/false/yes/no/1/0, got {text!r}")


class _Values(argparse.Action):
    """An array flag: repeated (`--tag a --tag b`), several values (`--tag a b`) or one JSON
    array (`--tag '["a","b"]'`), all adding to one list."""

    def __init__(self, *args: Any, item: Callable[[str], Any], **kwargs: Any) -> None:
        self.item = item
        super().__init__(*args, **kwargs)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        current = getattr(namespace, self.dest, UNSET)
        out = list(current) if isinstance(current, list) else []
        for text in values if isinstance(values, list) else [values]:
            parsed = _json_array(text)
            try:
                out.extend(
                    [
                        self.item(json.dumps(v) if not isinstance(v, str) else v)
                        for v in parsed
                    ]
                    if parsed is not None
                    else [self.item(text)]
                )
            except (argparse.ArgumentTypeError, TypeError, ValueError) as exc:
                raise argparse.ArgumentError(
                    self, f"invalid value {text!r}: {exc}"
                ) from None
        setattr(namespace, self.dest, out)


def _json_array(text: str) -> list[Any] | None:
    if not text.lstrip().startswith("["):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, list) else None


def _choice(conv: Callable[[str], Any], choices: list[Any]) -> Callable[[str], Any]:
    def convert(text: str) -> Any:
        value = conv(text)
        if value not in choices:
            raise argparse.ArgumentTypeError(f"choose from {choices}")
        return value

    return convert


_TAGS = re.compile(
    r"</?(?:p|br|hr|b|i|u|em|strong|code|pre|ul|ol|li|a|div|span|h[1-6]|table|thead|tbody|"
    r"tr|td|th|dl|dt|dd|blockquote|sup|sub|small|img)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)


def _plain(text: str) -> str:
    """Help text without HTML tags (`<p>`, `<br/>`, `<a href=...>`); `<placeholders>` stay."""
    text = _TAGS.sub("", text)
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&amp;", "&")):
        text = text.replace(entity, char)
    return text


def _data(parser: argparse.ArgumentParser, text: str | None) -> Any:
    """The value of `--data`: JSON text, `@file` or `-` (stdin), parsed; UNSET without it."""
    if text is None:
        return UNSET
    try:
        if text == "-":
            text = sys.stdin.read()
        elif text.startswith("@"):
            with open(text[1:], encoding="utf-8") as handle:
                text = handle.read()
        return json.loads(text)
    except OSError as exc:
        parser.error(f"argument --data: cannot read {text[1:]!r}: {exc.strerror}")
    except ValueError as exc:
        parser.error(f"argument --data: not valid JSON: {exc}")


def _whole_body(op: Op[Any], kwargs: dict[str, Any], data: Any) -> Any:
    """`--data`, its fields overridden by the body arguments given as flags or positionals."""
    given = [a for a in op.args if a.location == "body" and a.name in kwargs]
    if not op.flattened:
        if not given:
            return data
        value = encode(kwargs[given[0].name], given[0].type)
        both = isinstance(value, dict) and isinstance(data, dict)
        return {**data, **value} if both else value
    if not isinstance(data, dict):
        return data
    return {**data, **{a.wire: encode(kwargs[a.name], a.type) for a in given}}
