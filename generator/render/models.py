"""The models renderer: `models.py`, or `_models_<n>.py` modules and a re-exporting `models.py`.

`modules.plan` decides which module each class lives in; this module lays out each class
(enums as `OpenEnum`s, models as dataclasses) and derives each module's imports from the
annotations and descriptors rendered into it. With a memo, each module's text is kept by a key
of its classes, and all of them by the caller's `token` (a key standing for the models and
enums: while it holds, they are neither planned nor keyed again).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from generator import layout, modules
from generator.cache import Memo, key_of
from generator.model import Api, Enum, EnumRef, Model, TypeRef
from generator.modules import ModelModule
from generator.render.common import Settings, template
from generator.render.text import classdef, docstring, enum_member, pyrepr
from generator.render.types import RT, Imports, annotation, annotation_says_all, descriptor


@dataclass(frozen=True)
class FieldView:
    """One field of a model dataclass."""

    name: str
    annotation: str
    default: str
    descriptor: str  # the runtime descriptor as code, when the annotation cannot say it; else ""
    wire: str
    doc: str  # the field's docstring, escaped ("" for none)
    imports: Imports

    @property
    def code(self) -> str:
        """The field's line(s) in its dataclass body."""
        return layout.annotated(self.name, self.annotation, self.default, 1)

    @property
    def descriptor_entry(self) -> str:
        """The field's entry in the class's `_descriptors` dict."""
        return layout.statement(f"{pyrepr(self.name)}: ", self.descriptor, ",", 2)

    @property
    def wire_entry(self) -> str:
        """The field's entry in the class's `_wire` dict."""
        return f"        {pyrepr(self.name)}: {pyrepr(self.wire)},"


@dataclass(frozen=True)
class EnumView:
    """An enum class, laid out."""

    line: str  # `class Name(str, OpenEnum):`
    docstring: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class ModelView:
    """A model dataclass, laid out."""

    line: str  # `class Name(Base):`
    docstring: str
    fields: tuple[FieldView, ...]
    wire: tuple[str, ...]  # the `_wire` entries: fields whose wire name differs
    descriptors: tuple[str, ...]  # the `_descriptors` entries
    discriminator: str = ""  # the `_discriminator` line of a base with a discriminator


@dataclass(frozen=True)
class ModelsContext:
    """One module of models: `models.py`, or a `_models_<n>.py` part."""

    docstring: str
    part: str  # "" for `models.py`
    imports: str
    deferred: tuple[str, ...]  # imports under `if TYPE_CHECKING:`
    names: tuple[str, ...]  # __all__
    enums: tuple[EnumView, ...]
    models: tuple[ModelView, ...]


@dataclass(frozen=True)
class IndexContext:
    """`models.py` when it re-exports the `_models_<n>` parts."""

    docstring: str
    imports: tuple[str, ...]  # under `if TYPE_CHECKING:`
    names: tuple[str, ...]  # __all__
    home: tuple[str, ...]  # the `_HOME` entries: class -> its module
    enums: tuple[str, ...]  # the enums' names (`_ENUMS`)


def module_aliases(model: Model) -> dict[str, str]:
    """Modules the annotations must name otherwise in a class body that has a field of their
    name (a field `uuid` hides the module `uuid` from the annotations after it)."""
    fields = {f.name for f in model.fields}
    return {module: f"_{module}" for module in ("datetime", "decimal", "uuid") if module in fields}


def field_views(
    model: Model,
    aliases: Mapping[str, str] | None = None,
    enums: Mapping[str, Enum] | None = None,
    local: Collection[str] = (),
) -> list[FieldView]:
    """A model's fields, projected to text; `enums` (by name) give a fixed enum field's
    default, a member when the enum is `local` (in the same module), else looked up by name."""
    out = []
    for f in model.fields:
        imports = Imports()
        ann = annotation(f.type, imports, aliases=aliases)
        default = ""
        if f.fixed:
            default = _fixed_default(f.type, f.default, enums or {}, local, imports)
        elif not f.required:
            ann += " | Unset"
            default = "UNSET"
            imports.add("._runtime", "UNSET", "Unset")
        code = "" if annotation_says_all(f.type) else descriptor(f.type, imports)
        if code or f.wire != f.name:
            imports.add("typing", "ClassVar")
        if code:
            imports.add(".", RT)  # `rt.Descriptor` in the `_descriptors` annotation
        doc = docstring(f.description, 1, attribute=True) if f.description else ""
        out.append(FieldView(f.name, ann, default, code, f.wire, doc, imports))
    return out


def _fixed_default(
    t: TypeRef, value: object, enums: Mapping[str, Enum], local: Collection[str], imports: Imports
) -> str:
    """The default of a field that always has `value`: the literal, or the enum member."""
    if isinstance(t, EnumRef) and t.name in enums:
        if t.name in local:
            member = next(m for m in enums[t.name].members if m.value == value)
            return f"{t.name}.{member.name}"
        imports.add(".", RT)  # the enum is imported for type checkers only: found at run time
        return f"rt.fixed_enum({pyrepr(t.name)}, {pyrepr(value)})"
    return pyrepr(value)


def _discriminator(model: Model) -> str:
    """`_discriminator = (property, {value: subclass})`, for a base that has one, else ""."""
    if model.discriminator is None or not model.mapping:
        return ""
    value = f"({pyrepr(model.discriminator)}, {pyrepr(dict(model.mapping))})"
    return layout.statement(
        "_discriminator: ClassVar[tuple[str, dict[str, str]] | None] = ", value, "", 1
    )


def render(
    api: Api,
    settings: Settings,
    header: str,
    memo: Memo | None = None,
    keys: list[str] | None = None,
    token: str | None = None,
) -> dict[str, str]:
    """The model modules, keyed by path. With a `memo`, a module whose inputs (its classes,
    the enums its fixed fields name, the title and the header) are unchanged is not laid out
    again; `keys` then receives keys that together cover every model and enum of `api`.

    `token`: a key that stands for `api`'s title, models and enums and `settings` (the
    render's `Keys.blind`): while it holds, the modules are neither planned nor keyed again,
    and the memo gives their texts and keys as the run that made them left them."""
    whole = None
    if memo is not None and token is not None:
        whole = key_of("model modules", token, header, settings.package, api.title)
        recalled = _recall(memo, whole)
        if recalled is not None:
            if keys is not None:
                keys.extend(recalled[1])
            return recalled[0]
    out, made, located = _render(api, settings, header, memo)
    if keys is not None:
        keys.extend(made)
    if memo is not None and whole is not None:
        _remember(memo, whole, out, made, located)
    return out


def _recall(memo: Memo, whole: str) -> tuple[dict[str, str], list[str]] | None:
    """The modules' texts and keys stored under `whole`, if the memo still has every text."""
    stored = memo.get(whole)
    if stored is None:
        return None
    entries, made = json.loads(stored)
    out = {}
    for path, key in entries:
        text = memo.get(key)
        if text is None:
            return None
        out[path] = text
    return out, made


def _remember(
    memo: Memo, whole: str, out: dict[str, str], made: list[str], located: dict[str, str]
) -> None:
    """Store under `whole` the memo key of each file's text (`located`: the modules'; the
    index, `models.py` beside split modules, is stored now) and the keys the render made."""
    entries = []
    for path, text in out.items():
        key = located.get(path)
        if key is None:
            key = key_of("models index", whole, path)
            memo.put(key, text)
        entries.append((path, key))
    memo.put(whole, json.dumps([entries, made]))


def _render(
    api: Api, settings: Settings, header: str, memo: Memo | None
) -> tuple[dict[str, str], list[str], dict[str, str]]:
    """The model modules; with a memo, the keys that cover every model and enum, and the
    memo key of each module's text by its path."""
    keys: list[str] = []
    located: dict[str, str] = {}
    pkg = settings.package
    planned = modules.plan(api)
    enums = {e.name: e for e in api.enums}
    out = {}
    for m in planned:
        if memo is None:
            out[f"{pkg}/{m.name}.py"] = header + _text(api.title, m, enums)
            continue
        used = sorted({t.name for t in _fixed_enums(m) if t.name in enums})
        key = key_of("models", header, api.title, m, [enums[name] for name in used])
        text = memo.get(key)
        if text is None:
            text = memo.put(key, header + _text(api.title, m, enums))
        out[f"{pkg}/{m.name}.py"] = text
        located[f"{pkg}/{m.name}.py"] = key
        keys.append(key)
    if memo is not None and not _covers(planned, api):
        keys.append(key_of(api.models, api.enums))
    if planned and planned[0].name != "models":
        index = modules.index(planned)
        context = IndexContext(
            docstring=docstring(f"Data models of {api.title}."),
            imports=tuple(index["imports"]),
            names=tuple(index["names"]),
            home=tuple(index["home"]),
            enums=tuple(index["enums"]),
        )
        out[f"{pkg}/models.py"] = header + template("package/models_index.py.jinja").render(
            c=context
        )
    return out, keys, located


def _covers(planned: list[ModelModule], api: Api) -> bool:
    """Whether the modules hold every model and enum of `api` (their keys then cover them)."""
    held = {id(x) for m in planned for x in [*m.models, *m.enums]}
    return held == {id(x) for x in [*api.models, *api.enums]}


def _fixed_enums(module: ModelModule) -> list[EnumRef]:
    """The enums the fixed fields of `module`'s models name (their defaults read them)."""
    return [
        f.type
        for m in module.models
        for f in m.fields
        if f.fixed and isinstance(f.type, EnumRef)
    ]


def _text(title: str, module: ModelModule, enums: Mapping[str, Enum]) -> str:
    return template("package/models.py.jinja").render(c=_module(title, module, enums))


def _module(title: str, module: ModelModule, enums: Mapping[str, Enum]) -> ModelsContext:
    imports = Imports()
    if module.models:
        imports.add("dataclasses").add("._runtime", "Model")
    if module.enums:
        imports.add("._runtime", "OpenEnum")
    if module.deferred:
        imports.add("typing", "TYPE_CHECKING")
    models = []
    local = {e.name for e in module.enums}
    for m in module.models:
        fields = field_views(m, module_aliases(m), enums, local)
        imports.update(f.imports for f in fields)
        discriminator = _discriminator(m)
        if discriminator:
            imports.add("typing", "ClassVar")
        models.append(
            ModelView(
                line=classdef(m.name, [m.base or "Model"]),
                docstring=docstring(m.description or m.name, 1),
                fields=tuple(fields),
                wire=tuple(f.wire_entry for f in fields if f.wire != f.name),
                descriptors=tuple(f.descriptor_entry for f in fields if f.descriptor),
                discriminator=discriminator,
            )
        )
    text = f"Data models of {title}."
    if module.part:
        text = f"Data models of {title}, part {module.part}: import them from `models`."
    return ModelsContext(
        docstring=docstring(text),
        part=module.part,
        imports=imports.block(),
        deferred=tuple(module.deferred),
        names=tuple(module.names),
        enums=tuple(_enum(e) for e in module.enums),
        models=tuple(models),
    )


def _enum(e: Enum) -> EnumView:
    return EnumView(
        line=classdef(e.name, [e.kind, "OpenEnum"]),
        docstring=docstring(e.description or e.name, 1),
        members=tuple(enum_member(m) for m in e.members),
    )
