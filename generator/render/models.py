"""The models renderer: `models.py`, or `_models_<n>.py` modules and a re-exporting `models.py`.

`modules.plan` decides which module each class lives in; this module lays out each class
(enums as `OpenEnum`s, models as dataclasses) and derives each module's imports from the
annotations and descriptors rendered into it.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator import layout, modules
from generator.model import Api, Enum, Model
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
    imports: tuple[str, ...]
    extend: tuple[str, ...]


def field_views(model: Model) -> list[FieldView]:
    """A model's fields, projected to text."""
    out = []
    for f in model.fields:
        imports = Imports()
        ann = annotation(f.type, imports)
        default = ""
        if not f.required:
            ann += " | Unset"
            default = "UNSET"
            imports.add("._runtime", "UNSET", "Unset")
        code = "" if annotation_says_all(f.type) else descriptor(f.type, imports)
        if code or f.wire != f.name:
            imports.add("typing", "ClassVar")
        if code:
            imports.add(".", RT)  # `rt.Descriptor` in the `_descriptors` annotation
        doc = docstring(f.description, 1) if f.description else ""
        out.append(FieldView(f.name, ann, default, code, f.wire, doc, imports))
    return out


def render(api: Api, settings: Settings, header: str) -> dict[str, str]:
    """The model modules, keyed by path."""
    pkg = settings.package
    planned = modules.plan(api)
    page = template("package/models.py.jinja")
    out = {f"{pkg}/{m.name}.py": header + page.render(c=_module(api, m)) for m in planned}
    if planned and planned[0].name != "models":
        index = modules.index(planned)
        context = IndexContext(
            docstring=docstring(f"Data models of {api.title}."),
            imports=tuple(index["imports"]),
            extend=tuple(index["extend"]),
        )
        out[f"{pkg}/models.py"] = header + template("package/models_index.py.jinja").render(
            c=context
        )
    return out


def _module(api: Api, module: ModelModule) -> ModelsContext:
    imports = Imports()
    if module.models:
        imports.add("dataclasses").add("._runtime", "Model")
    if module.enums:
        imports.add("._runtime", "OpenEnum")
    if module.deferred:
        imports.add("typing", "TYPE_CHECKING")
    models = []
    for m in module.models:
        fields = field_views(m)
        imports.update(f.imports for f in fields)
        models.append(
            ModelView(
                line=classdef(m.name, [m.base or "Model"]),
                docstring=docstring(m.description or m.name, 1),
                fields=tuple(fields),
                wire=tuple(f.wire_entry for f in fields if f.wire != f.name),
                descriptors=tuple(f.descriptor_entry for f in fields if f.descriptor),
            )
        )
    title = f"Data models of {api.title}."
    if module.part:
        title = f"Data models of {api.title}, part {module.part}: import them from `models`."
    return ModelsContext(
        docstring=docstring(title),
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
