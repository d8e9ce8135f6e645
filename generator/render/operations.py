"""Operations: what every renderer needs to know about each operation, computed once.

`build(api)` turns each IR `Operation` into an `OpView`: its module constant, the annotations
of its parameters and of its result (with the imports those annotations need), its result
descriptor and the errors it raises. The client, CLI and docs renderers build their own code
and text from these views.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator import layout
from generator.errors import error_class_name
from generator.model import Api, Operation, Pagination, Parameter
from generator.render.text import pyrepr
from generator.render.types import Imports, annotation, descriptor, type_label


@dataclass(frozen=True)
class ParamView:
    """One parameter of an operation's method."""

    param: Parameter
    annotation: str
    default: str  # "" for required
    imports: Imports  # what the annotation and the default use

    @property
    def code(self) -> str:
        """The parameter's line(s) in a method signature, laid out as black would."""
        return layout.annotated(self.param.name, self.annotation, self.default, 2, ",")


@dataclass(frozen=True)
class ErrorView:
    """A non-2xx response: the exception it raises and what its body holds."""

    status: str
    description: str
    exception: str
    body: str  # a docs label of the body type, or the response kind


@dataclass(frozen=True)
class OpView:
    """One operation, its names and types projected to text."""

    op: Operation
    const: str  # its `Op` descriptor's name in `_ops.py`
    params: tuple[ParamView, ...]
    returns: str  # the annotation of the success body
    returns_imports: Imports
    result: str  # the success body's descriptor as code, "None" when not JSON
    result_imports: Imports
    result_kind: str  # "json", "text", "binary" or "empty"
    errors: tuple[ErrorView, ...]
    events: str = "None"  # the descriptor of its server-sent events' data, "None": no stream
    # beside JSON: (the model's annotation, `Stream[...]`), for the `stream=` overloads
    either: tuple[str, str] | None = None
    # a list whose pages follow one another: `returns` is `SyncPage[<item>]`
    paging: Pagination | None = None

    @property
    def doc_file(self) -> str:
        """The operation's page in `docs/`."""
        return f"{self.op.name}.md"


def build(api: Api, pagination: bool = True) -> list[OpView]:
    """A view of every operation, in the spec's order (`pagination`: list operations answer
    with pages, where the IR says how they follow one another)."""
    enums = {e.name: e for e in api.enums}
    out = []
    for op in api.operations:
        params = []
        for p in op.params:
            imports = Imports()
            text = annotation(p.type, imports, "models.", loose_enums=enums)
            if p.fixed:  # a body property that always has one value: it is the default
                params.append(ParamView(p, text, pyrepr(p.default), imports))
                continue
            if not p.required:
                imports.add("._runtime", "UNSET", "Unset")
            default = "" if p.required else "UNSET"
            params.append(ParamView(p, text + ("" if p.required else " | Unset"), default, imports))
        returns_imports, result_imports = Imports(), Imports()
        returns, result, kind = _returns(op, returns_imports, result_imports)
        plain = returns
        returns, events = _events(op, returns, returns_imports, result_imports)
        either = (plain, returns[len(plain) + 3 :]) if returns.startswith(plain + " | ") else None
        paging = op.pagination if pagination and op.success is not None else None
        if paging is not None:
            returns_imports = Imports().add("._runtime", "SyncPage")
            item = annotation(paging.item, returns_imports, "models.")
            returns, either = f"SyncPage[{item}]", None
        out.append(
            OpView(
                op=op,
                const=op.name.upper(),  # op names are unique lower-case identifiers
                params=tuple(params),
                returns=returns,
                returns_imports=returns_imports,
                result=result,
                result_imports=result_imports,
                result_kind=kind,
                errors=tuple(_errors(op)),
                events=events,
                either=either,
                paging=paging,
            )
        )
    return out


def _returns(op: Operation, imports: Imports, result_imports: Imports) -> tuple[str, str, str]:
    """(annotation, result descriptor, result kind) of an operation's success response."""
    success = op.success
    if success is None or success.kind == "empty":
        return "None", "None", "empty"
    if success.kind == "text":
        return "str", "None", "text"
    if success.kind == "binary":
        return "bytes", "None", "binary"
    if success.type is None:
        imports.add("typing", "Any")
        return "Any", "None", "json"
    return (
        annotation(success.type, imports, "models."),
        descriptor(success.type, result_imports),
        "json",
    )


def _events(
    op: Operation, returns: str, imports: Imports, result_imports: Imports
) -> tuple[str, str]:
    """(annotation, events descriptor): `Stream[T]` where the success response declares
    `text/event-stream` (beside JSON: `Model | Stream[T]`, the server's answer decides)."""
    success = op.success
    if success is None or success.events is None:
        return returns, "None"
    imports.add("._runtime", "Stream")
    stream = f"Stream[{annotation(success.events, imports, 'models.')}]"
    events = descriptor(success.events, result_imports)
    return (stream if success.kind != "json" else f"{returns} | {stream}"), events


def _errors(op: Operation) -> list[ErrorView]:
    out = []
    for response in op.responses:
        if response.status.startswith("2"):
            continue
        if response.status.isdigit():
            exc = error_class_name(int(response.status))
        else:
            exc = "InternalServerError" if response.status.startswith("5") else "ApiStatusError"
        body = type_label(response.type) if response.type is not None else response.kind
        out.append(ErrorView(response.status, response.description, exc, body))
    return out
