"""Namespaces (`group_by = "tag"`): which client attribute and method name each operation has.

With the default, `group_by = "none"`, every operation is a method of the client under its own
name (`client.list_pets()`). With `"tag"`, an operation with tags is a method of the namespace of
its first tag (`client.pets.list_pets()`, `client.pets.create()`); one without stays on the
client. `plan` decides every name once; the client, CLI and docs renderers read it.

Names, all from spec text and so escaped here:
- a namespace's attribute is its tag in snake_case (`naming.snake`: `class` -> `class_`,
  `1abc` -> `tag_1abc`, `Fine-tuning` -> `fine_tuning`, a tag without ASCII letters -> `tag`),
  made unique (`pets_2`) against the client's own attributes, every operation's flat method name
  (the untagged ones are the client's methods; the CLI's command class in `_cli.py` has all of
  them) and the other namespaces (two tags can normalise to one name: `a-b`, `a_b`);
- its classes are `<Tag>Resource`, `Async<Tag>Resource` and their raw-response and streaming
  companions, all unique together (a tag `Async Pets` beside `Pets` gets `AsyncPets2Resource`);
- a method drops the tag's words when that is simple and safe: the words of the tag (or the last
  one singular, or plural) form a run of the method name's words, not after an article and not
  leaving the name ending with an article or preposition (`get_an_album` and `list_by_pets` stay
  as they are), and what remains is a name
  `naming.snake` leaves alone (not a keyword or builtin: `list_pets` stays, `list` would hide the
  builtin from the class's annotations), no attribute of a namespace, and no other method of the
  namespace wants it (every method of such a clash keeps its full name). Otherwise the method
  keeps the name it has on the flat client.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from generator import contract, naming
from generator.model import Operation

# Attributes of every namespace class, and the names its module binds that a method defined in
# the class body would hide from the annotations after it.
_NAMESPACE_NAMES = frozenset(
    {
        *contract.RESERVED_METHODS,
        "overload",
        "datetime",
        "decimal",
        "uuid",
        "models",
        "ops",
        "rt",
    }
)


# Words a name may not be left ending with, nor the tag's words follow: `get_an_album` stays
# (not `get_an`), `list_by_pets` stays (not `list_by`).
_DANGLING = frozenset(
    {"a", "an", "the", "by", "for", "from", "in", "into", "of", "on", "to", "with", "and", "or"}
)


@dataclass(frozen=True)
class Namespace:
    """One tag's namespace: `client.<attr>`, its module and classes, its operations."""

    tag: str
    attr: str
    module: str  # `_client_<attr>` (as the flat client's per-tag mixin modules are named)
    base: str  # the classes are `<base>Resource`, `Async<base>Resource`, ...
    ops: tuple[str, ...]  # the operations' (flat) names, in the spec's order

    @property
    def cls(self) -> str:
        return f"{self.base}Resource"

    @property
    def async_cls(self) -> str:
        return f"Async{self.base}Resource"


@dataclass(frozen=True)
class Plan:
    """Where each operation lives: op name -> (namespace attribute or None, method name)."""

    namespaces: tuple[Namespace, ...]
    places: dict[str, tuple[str | None, str]]

    def method(self, op: str) -> str:
        """The operation's method name (in its namespace, if it has one)."""
        return self.places[op][1]

    def path(self, op: str) -> str:
        """The dotted path of the operation's method from the client: `pets.create`."""
        attr, method = self.places[op]
        return f"{attr}.{method}" if attr else method

    def grouped(self, op: str) -> bool:
        return self.places[op][0] is not None


def tag_of(op: Operation) -> str | None:
    """The tag whose namespace holds `op`: its first."""
    return op.tags[0] if op.tags else None


def plan(ops: Sequence[Operation], group_by: str) -> Plan:
    """The names of every operation's method and namespace (see the module's docstring)."""
    if group_by != "tag":
        return Plan((), {op.name: (None, op.name) for op in ops})
    by_tag: dict[str, list[Operation]] = {}
    places: dict[str, tuple[str | None, str]] = {}
    for op in ops:
        tag = tag_of(op)
        if tag is None:
            places[op.name] = (None, op.name)
        else:
            by_tag.setdefault(tag, []).append(op)
    # not an operation's flat name either: the CLI's command class has every method by it
    attrs = naming.Namer({*contract.RESERVED_METHODS, *(op.name for op in ops)})
    modules = naming.Namer({"_client_default"} if places else set())
    bases = _ClassNames()
    out = []
    for tag, members in by_tag.items():
        attr = attrs.claim(naming.snake(tag, fallback="tag"))
        module = modules.claim("_client_" + attr)
        names = short_names(tag, [op.name for op in members])
        for op, name in zip(members, names, strict=True):
            places[op.name] = (attr, name)
        out.append(Namespace(tag, attr, module, bases.claim(tag), tuple(op.name for op in members)))
    return Plan(tuple(out), places)


class _ClassNames:
    """Class name stems whose every derived class name is unique."""

    _FORMS = ("{}Resource", "Async{}Resource", "{}ResourceWith", "Async{}ResourceWith")

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def claim(self, tag: str) -> str:
        stem = naming.pascal(tag, fallback="Tag").rstrip("_")
        candidate, n = stem, 2
        while any(form.format(candidate) in self._taken for form in self._FORMS):
            candidate, n = f"{stem}{n}", n + 1
        self._taken.update(form.format(candidate) for form in self._FORMS)
        return candidate


def short_names(tag: str, names: Sequence[str]) -> list[str]:
    """Each method's name in the namespace of `tag`: without the tag's words where that is
    simple and collision-free, else as it is (`names` are unique snake_case names)."""
    wanted = [_without_tag(tag, name) or name for name in names]
    while True:
        counts = Counter(wanted)
        clash = [i for i, w in enumerate(wanted) if counts[w] > 1 and w != names[i]]
        if not clash:
            return wanted
        for i in clash:  # every method of a clash keeps its full name; then look again
            wanted[i] = names[i]


def _without_tag(tag: str, name: str) -> str | None:
    """`name` without one run of the tag's words, if what remains is a safe name."""
    tag_words = naming.words(tag)
    parts = name.split("_")
    if not tag_words:
        return None
    for run in _forms(tag_words):
        for start in range(len(parts) - len(run) + 1):
            if tuple(parts[start : start + len(run)]) == run:
                rest = parts[:start] + parts[start + len(run) :]
                short = "_".join(rest)
                dangling = parts[start - 1 : start] + rest[-1:]  # `get_an_album` -> `get_an`
                if rest and all(rest) and _safe(short) and not set(dangling) & _DANGLING:
                    return short
                return None
    return None


def _forms(tag_words: list[str]) -> list[tuple[str, ...]]:
    """The tag's words as a method name may hold them: as they are, the last one singular
    (`pets` -> `pet`, `categories` -> `category`), or plural (`pet` -> `pets`)."""
    *head, last = tag_words
    forms = [last]
    if last.endswith("ies") and len(last) > 3:
        forms.append(last[:-3] + "y")
    elif last.endswith("s") and not last.endswith("ss") and len(last) > 1:
        forms.append(last[:-1])
    else:
        forms.append(last + "s")
    return [(*head, f) for f in dict.fromkeys(forms)]


def _safe(short: str) -> bool:
    return (
        naming.snake(short) == short
        and short not in _NAMESPACE_NAMES
        and not short[0].isdigit()
        and short.isidentifier()
    )
