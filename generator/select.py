"""Select: an `Api` plus a selection (tags, operations) in, a smaller `Api` out.

A pure function on the IR, run after build. An operation is kept when

    (no include_tags and no operations given, or it has one of include_tags,
     or it is named in operations)  and  it has none of exclude_tags.

`operations` entries name an operation by its CLI words (``"show instances"``, also with the
tool name in front, as in a "CLI Usage" line), its operationId, its Python method name
(``show_instances``) or ``"METHOD /path"``. Models and enums are kept only when a kept operation
uses them, directly or through other models (field types, `additionalProperties`, a base class,
union members and discriminator mappings). A selector that matches nothing is an error naming it
(typos should not silently produce an empty client).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence

from generator.diagnostics import SpecError, error
from generator.model import (
    Api,
    EnumRef,
    ListOf,
    MapOf,
    Model,
    ModelRef,
    Nullable,
    Operation,
    TypeRef,
    UnionOf,
)


def operation_keys(op: Operation) -> set[str]:
    """Every spelling that selects `op` (compared case-insensitively, spaces normalised)."""
    keys = {op.name, " ".join(op.cli_words), f"{op.method} {op.path}"}
    if op.operation_id:
        keys.add(op.operation_id)
    return {_norm(k) for k in keys}


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def select(
    api: Api,
    include_tags: Sequence[str] = (),
    exclude_tags: Sequence[str] = (),
    operations: Sequence[str] = (),
    source: str = "configuration",
) -> Api:
    """The part of `api` the selection asks for (`api` itself when nothing is selected)."""
    if not include_tags and not exclude_tags and not operations:
        return api
    problems = []
    known_tags = {t for op in api.operations for t in op.tags}
    for label, tags in (("include_tags", include_tags), ("exclude_tags", exclude_tags)):
        for tag in tags:
            if tag not in known_tags:
                problems.append(
                    error(
                        f"{label}: no operation has the tag {tag!r} "
                        f"(tags: {', '.join(sorted(known_tags)) or 'none'})",
                        file=source,
                    )
                )
    by_key: dict[str, list[Operation]] = {}
    for op in api.operations:
        for key in operation_keys(op):
            by_key.setdefault(key, []).append(op)
    named: set[int] = set()
    for wanted in operations:
        key = _norm(wanted)
        matches = by_key.get(key, [])
        if not matches and " " in key:  # "vastai show instances", as in a CLI Usage line
            matches = by_key.get(key.split(" ", 1)[1], [])
        if not matches:
            problems.append(
                error(
                    (
                        f"operations: {wanted!r} matches no operation (use CLI words such as "
                        f"{' '.join(api.operations[0].cli_words)!r}, an operationId, a method name "
                        "or 'METHOD /path')"
                        if api.operations
                        else f"operations: {wanted!r} matches no operation (the spec has none)"
                    ),
                    file=source,
                )
            )
        named.update(id(op) for op in matches)
    if problems:
        raise SpecError(problems)
    include = set(include_tags)
    exclude = set(exclude_tags)
    everything = not include and not operations
    kept = tuple(
        op
        for op in api.operations
        if (everything or id(op) in named or include.intersection(op.tags))
        and not exclude.intersection(op.tags)
    )
    if not kept:
        raise SpecError([error("the selection leaves no operation to generate", file=source)])
    models, enums = used_types(api, kept)
    schemes = {key for op in kept for alternative in op.security for key in alternative}
    return dataclasses.replace(
        api,
        operations=kept,
        models=tuple(m for m in api.models if m.name in models),
        enums=tuple(e for e in api.enums if e.name in enums),
        security_schemes=tuple(s for s in api.security_schemes if s.key in schemes),
    )


def operation_types(op: Operation) -> Iterator[TypeRef]:
    """Every type an operation mentions directly (parameters, body, responses)."""
    for param in op.params:
        yield param.type
    if op.body is not None and op.body.type is not None:
        yield op.body.type
    for response in op.responses:
        if response.type is not None:
            yield response.type
        if response.events is not None:  # the data of its server-sent events
            yield response.events


def used_types(
    api: Api, operations: Iterable[Operation], roots: Iterable[TypeRef] = ()
) -> tuple[set[str], set[str]]:
    """Names of the models and enums `operations` (and `roots`) use, transitively."""
    by_name = {m.name: m for m in api.models}
    models: set[str] = set()
    enums: set[str] = set()
    todo: list[TypeRef] = [t for op in operations for t in operation_types(op)] + list(roots)
    while todo:
        t = todo.pop()
        match t:
            case ModelRef(name=name):
                if name in models:
                    continue
                models.add(name)
                model = by_name.get(name)
                if model is not None:
                    todo.extend(_model_types(model))
            case EnumRef(name=name):
                enums.add(name)
            case ListOf(item=inner) | MapOf(value=inner) | Nullable(inner=inner):
                todo.append(inner)
            case UnionOf(items=items, mapping=mapping):
                todo.extend(items)
                todo.extend(ModelRef(name) for _, name in mapping)
    return models, enums


def _model_types(model: Model) -> Iterator[TypeRef]:
    for f in model.fields:
        yield f.type
    if model.additional is not None:
        yield model.additional
    if model.base is not None:
        yield ModelRef(model.base)


def drop_unused_inline(api: Api) -> Api:
    """Leave out inline models and enums nothing uses (e.g. the object of a flattened body).

    Component schemas are kept even when no operation uses them: they are the spec's named
    types, and people use them. Only classes oagen named after a place in the spec go.
    """
    components = [ModelRef(m.name) for m in api.models if m.pointer.startswith(_COMPONENTS)]
    models, enums = used_types(api, api.operations, components)
    if len(models) == len(api.models) and len(enums) == len(api.enums):
        return api
    return dataclasses.replace(
        api,
        models=tuple(m for m in api.models if m.name in models),
        enums=tuple(e for e in api.enums if e.name in enums or e.pointer.startswith(_COMPONENTS)),
    )


_COMPONENTS = "#/components/schemas/"
