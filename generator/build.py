"""Build: a resolved, version-checked document in, the IR (`model.Api`) plus diagnostics out.

One walk over `paths` (operations, parameters, bodies, responses, security) with the schema
walker (`schema.SchemaWalker`, through its public methods) for every schema met on the way. The
tree, its references and the findings live in one `document.Document`; pointers are written with
`generator.pointer`. Naming decisions are delegated to `naming`; whatever cannot be mapped is
reported as a located diagnostic, never raised.
"""

from __future__ import annotations

import http
from typing import Any, cast

from generator import access, cli_usage, contract, naming, pagination
from generator import pointer as jsonpointer
from generator.diagnostics import Diagnostic
from generator.document import Document
from generator.keywords import constraints_of, jsonable
from generator.load import SourceMap
from generator.media import (
    encoding_of,
    event_type,
    is_json,
    part_types,
    pick_content,
    pick_response_content,
)
from generator.model import (
    MISSING,
    Api,
    Body,
    Operation,
    Parameter,
    ParamLocation,
    Primitive,
    Response,
    ResponseKind,
    TypeRef,
)
from generator.schema import SchemaWalker

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Class names the generated package binds itself (a model must not take them) and attributes of
# the generated clients (an operation's method must not take them): read from the runtime.
RESERVED_CLASSES = contract.RESERVED_CLASSES
RESERVED_METHODS = contract.RESERVED_METHODS


def build_api(data: dict[str, Any], source: SourceMap) -> tuple[Api, list[Diagnostic]]:
    """The IR of the resolved document `data`, and the findings made on the way (in order)."""
    doc = Document(data, source)
    return _Builder(doc).build(), doc.diagnostics


def build_unlocated(data: dict[str, Any], source: SourceMap) -> tuple[Api, list[Diagnostic]]:
    """`build_api`, its findings not yet located (line None): `reuse` stores them so."""
    doc = Document(data, source)
    return _Builder(doc).build(), doc.unlocated()


def _text(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def _status_phrase(status: str) -> str:
    try:
        return naming.pascal(http.HTTPStatus(int(status)).phrase)
    except ValueError:
        return "Status" + naming.pascal(status, fallback="Default")


class _Builder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.data = doc.data
        self.walker = SchemaWalker(doc, naming.Namer(set(RESERVED_CLASSES), sep=""))
        self.method_names = naming.Namer(set(RESERVED_METHODS))
        self.operation_ids: dict[str, str] = {}  # operationId -> pointer of its first use
        self.method_owners: dict[str, str] = {}  # method name -> pointer of its operation

    def build(self) -> Api:
        info = self.data.get("info") if isinstance(self.data.get("info"), dict) else {}
        assert isinstance(info, dict)
        self.walker.build_components()
        found: list[tuple[str, str, dict[str, Any], dict[str, Any], str]] = []
        paths = self.data.get("paths")
        if paths is not None and not isinstance(paths, dict):
            self.doc.fail("`paths` must be a mapping", "#/paths")
            paths = {}
        for path, item in (paths or {}).items():
            item_ptr = jsonpointer.join("paths", path)
            item, item_ptr = self.doc.deref(item, item_ptr)
            if not isinstance(item, dict):
                self.doc.fail("a path item must be a mapping", item_ptr)
                continue
            for method in METHODS:
                if method in item:
                    op, op_ptr = self.doc.deref(item[method], f"{item_ptr}/{method}")
                    if not isinstance(op, dict):
                        self.doc.fail("an operation must be a mapping", op_ptr)
                        continue
                    found.append((str(path), method, item, op, op_ptr))
        # Names first, for all operations at once. A method is named after its operationId
        # (FastAPI's tail dropped where that stays unique), else its CLI words as the spec gives
        # them; the CLI then settles its own duplicates and prefixes, never touching methods.
        stems = naming.operation_stems(
            [(op.get("operationId"), method, path) for path, method, _, op, _ in found]
        )
        raw = [
            self._cli_words(op, method, path, stem)
            for (path, method, _, op, _), stem in zip(found, stems, strict=True)
        ]
        settled = naming.settle_commands(
            [
                (words, "{" in path or cli_usage.has_positionals(op))
                for words, (path, _, _, op, _) in zip(raw, found, strict=True)
            ]
        )
        for index, (words, other) in enumerate(settled):
            if other is not None:
                wanted, theirs = (
                    " ".join(naming.cli_word(w) for w in raw[i]) for i in (index, other)
                )
                self.doc.warn(
                    f"CLI command `{wanted}` clashes with `{theirs}` of the operation at "
                    f"{found[other][4]}; this operation's command is `{' '.join(words)}`",
                    found[index][4],
                )
        operations = [
            self._operation(
                path,
                method,
                item,
                op,
                ptr,
                words,
                naming.method_name(stem) if stem else naming.command_name(raw_words),
            )
            for (path, method, item, op, ptr), (words, _), stem, raw_words in zip(
                found, settled, stems, raw, strict=True
            )
        ]
        schemes = access.security_schemes(self.doc)
        return Api(
            title=_text(info.get("title")) or "API",
            version=_text(info.get("version")),
            description=_text(info.get("description")),
            servers=access.servers(self.data.get("servers")),
            operations=tuple(operations),
            models=self.walker.finish(),
            enums=tuple(self.walker.enums.values()),
            security_schemes=schemes,
            server_entries=access.server_entries(self.doc, set(access.credential_args(schemes))),
        )

    # -- operations --------------------------------------------------------------------------
    def _operation(
        self,
        path: str,
        method: str,
        item: dict[str, Any],
        op: dict[str, Any],
        ptr: str,
        words: tuple[str, ...],
        wanted: str,
    ) -> Operation:
        description = _text(op.get("description"))
        summary = _text(op.get("summary"))
        operation_id = op.get("operationId") if isinstance(op.get("operationId"), str) else None
        name = self.method_names.claim(wanted)
        where = ptr + "/operationId" if operation_id is not None else ptr
        first = self.operation_ids.setdefault(operation_id, ptr) if operation_id else ptr
        if first != ptr:
            self.doc.warn(
                f"operationId {operation_id!r} is also used at {first}; "
                f"this operation is generated as {name}() / `{' '.join(words)}`",
                where,
            )
        elif name != wanted:
            other = self.method_owners.get(wanted)
            clash = f"the operation at {other}" if other else "an attribute of every client"
            self.doc.warn(
                f"method name {wanted}() is also taken by {clash}; "
                f"this operation's method is {name}()",
                where,
            )
        self.method_owners.setdefault(wanted, ptr)
        self.method_owners[name] = ptr
        context = naming.pascal(name)
        params = self._parameters(item, op, ptr, context)
        body, body_params = self._body(op, ptr, context, {p.name for p in params})
        responses = self._responses(op, ptr, context)
        security = op.get("security", self.data.get("security", []))
        tags = op.get("tags")
        return Operation(
            name=name,
            cli_words=words,
            method=method.upper(),
            path=path,
            summary=summary,
            description=description,
            params=tuple(params + body_params),
            body=body,
            responses=tuple(responses),
            security=self._security(security),
            tags=(
                tuple(str(t) for t in tags if isinstance(t, (str, int)))
                if isinstance(tags, list)
                else ()
            ),
            deprecated=bool(op.get("deprecated")),
            servers=access.servers(op.get("servers") or item.get("servers")),
            operation_id=operation_id,
            pointer=ptr,
            cli=cli_usage.for_operation(self.doc, op, item, ptr, params + body_params, words),
            pagination=pagination.of(
                self.doc, op, ptr, method, params + body_params, responses, self.walker.all_fields
            ),
        )

    def _cli_words(
        self, op: dict[str, Any], method: str, path: str, operation_id: str | None
    ) -> tuple[str, ...]:
        """x-cli-name, else the "CLI Usage" line, else operationId, summary, method + path."""
        explicit = op.get("x-cli-name")
        words: tuple[str, ...] | None = None
        if isinstance(explicit, str):
            words = naming.cli_words_from_text(explicit)
        elif isinstance(explicit, list) and explicit:
            words = naming.cli_words_from_text(" ".join(str(w) for w in explicit))
        usage = cli_usage.usage_line(_text(op.get("description")), op.get("x-cli-usage"))
        words = words or cli_usage.command_words(usage)
        if words is None and operation_id is not None:
            words = naming.cli_words_from_name(operation_id)
        summary = _text(op.get("summary"))
        if words is None and summary and 0 < len(naming.words(summary)) <= 6:
            words = naming.cli_words_from_name(summary)
        return words or naming.cli_words_from_route(method, path)

    def _parameters(
        self, item: dict[str, Any], op: dict[str, Any], ptr: str, context: str
    ) -> list[Parameter]:
        merged: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
        for owner, owner_ptr in ((item, ptr.rsplit("/", 1)[0]), (op, ptr)):
            raw = owner.get("parameters", [])
            if not isinstance(raw, list):
                self.doc.fail("`parameters` must be a list", owner_ptr + "/parameters")
                continue
            for index, entry in enumerate(raw):
                param, param_ptr = self.doc.deref(entry, f"{owner_ptr}/parameters/{index}")
                if not isinstance(param, dict) or not isinstance(param.get("name"), str):
                    self.doc.fail("a parameter needs a `name`", param_ptr)
                    continue
                location = param.get("in")
                if location not in ("path", "query", "header", "cookie"):
                    self.doc.fail(
                        f"parameter `in` must be path, query, header or cookie, not {location!r}",
                        param_ptr + "/in",
                    )
                    continue
                merged[(param["name"], location)] = (param, param_ptr)
        order = {"path": 0, "query": 1, "header": 2, "cookie": 3}
        names = naming.Namer()
        claimed: dict[str, str] = {}  # parameter name -> pointer of its parameter
        out: list[Parameter] = []
        for (wire, location), (param, param_ptr) in sorted(
            merged.items(), key=lambda kv: order[kv[0][1]]
        ):
            if location == "header" and wire.lower() in ("authorization", "content-type", "accept"):
                continue  # set by the client itself
            schema = param.get("schema", {})
            content = param.get("content")
            if "schema" not in param and isinstance(content, dict) and content:
                media = next(iter(content.values()))  # `content` instead of `schema`: one entry
                schema = media.get("schema", {}) if isinstance(media, dict) else {}
            resolved, _ = self.doc.deref(schema, param_ptr + "/schema")
            resolved = resolved if isinstance(resolved, dict) else {}
            ptype = self.walker.type_of(
                schema, param_ptr + "/schema", context + naming.pascal(wire, fallback="Param")
            )
            default = resolved.get("default", MISSING) if isinstance(schema, dict) else MISSING
            example = param.get("example", resolved.get("example", MISSING))
            loc = cast(ParamLocation, location)
            wanted = naming.parameter(wire)
            name = names.claim(wanted)
            if name != wanted:
                self.doc.warn(
                    f"parameter name `{wanted}` is also taken by the parameter at "
                    f"{claimed[wanted]}; this one is `{name}`",
                    param_ptr,
                )
            claimed.setdefault(wanted, param_ptr)
            claimed[name] = param_ptr
            out.append(
                Parameter(
                    name=name,
                    wire=wire,
                    location=loc,
                    type=ptype,
                    required=bool(param.get("required")) or location == "path",
                    description=_text(param.get("description")),
                    default=MISSING if default is MISSING else jsonable(default),
                    example=MISSING if example is MISSING else jsonable(example),
                    constraints=constraints_of(resolved),
                    style=param.get("style") if isinstance(param.get("style"), str) else None,
                    explode=(
                        param.get("explode") if isinstance(param.get("explode"), bool) else None
                    ),
                    deprecated=bool(param.get("deprecated")),
                )
            )
        return out

    def _body(
        self, op: dict[str, Any], ptr: str, context: str, taken: set[str]
    ) -> tuple[Body | None, list[Parameter]]:
        if "requestBody" not in op:
            return None, []
        body, body_ptr = self.doc.deref(op["requestBody"], ptr + "/requestBody")
        content = body.get("content") if isinstance(body, dict) else None
        if not isinstance(content, dict) or not content:
            return None, []
        content_type, kind = pick_content(list(content))
        if content_type is None:
            self.doc.warn("no supported request content type; body ignored", body_ptr + "/content")
            return None, []
        media = content[content_type] if isinstance(content[content_type], dict) else {}
        media_ptr = jsonpointer.append(body_ptr, "content", content_type)
        schema = media.get("schema", {})
        required = bool(body.get("required"))
        description = _text(body.get("description"))
        resolved, resolved_ptr = self.doc.deref(schema, media_ptr + "/schema")
        if kind in ("json", "form", "multipart") and self.walker.is_objectish(schema):
            ref = self.walker.type_of(schema, media_ptr + "/schema", context + "Body")
            model = self.walker.model_of(ref)
            if model is not None and model.additional is None:
                names = naming.Namer(taken)
                fields = list(self.walker.all_fields(model.name).values())
                params = [
                    Parameter(
                        name=self._body_name(names, f.name, f.wire, media_ptr, ptr),
                        wire=f.wire,
                        location="body",
                        type=f.type,
                        required=f.required,
                        description=f.description,
                        default=f.default,
                        example=f.example,
                        constraints=f.constraints,
                        deprecated=f.deprecated,
                        fixed=f.fixed,
                        style=encoding_of(media, f.wire, "style", str),
                        explode=encoding_of(media, f.wire, "explode", bool),
                    )
                    for f in fields
                    if not f.read_only
                ]
                parts = part_types(media)
                return Body(content_type, kind, required, True, None, description, parts), params
        btype: TypeRef
        if kind == "binary":
            btype = Primitive("bytes")
        elif kind == "text":
            btype = Primitive("str")
        else:
            btype = self.walker.type_of(schema, media_ptr + "/schema", context + "Body")
        param = Parameter(
            name=naming.Namer(taken).claim("body"),
            wire="body",
            location="body",
            type=btype,
            required=required,
            description=description
            or _text(resolved.get("description") if isinstance(resolved, dict) else ""),
        )
        return Body(content_type, kind, required, False, btype, description), [param]

    def _body_name(
        self, names: naming.Namer, field: str, wire: str, media_ptr: str, ptr: str
    ) -> str:
        """A body property's parameter name: its field's, unless another parameter has it."""
        wanted = naming.escape_parameter(field)
        name = names.claim(wanted)
        if name != wanted:
            self.doc.warn(
                f"body property {wire!r} is parameter `{name}`: `{wanted}` is also a parameter "
                f"at {ptr}/parameters",
                jsonpointer.append(media_ptr, "schema", "properties", wire),
            )
        return name

    def _responses(self, op: dict[str, Any], ptr: str, context: str) -> list[Response]:
        raw = op.get("responses")
        if raw is None:  # optional in 3.1; 3.0 requires it (the validator says so)
            return []
        if not isinstance(raw, dict):
            self.doc.warn(
                "`responses` must be a mapping of status codes; ignored", ptr + "/responses"
            )
            return []
        out: list[Response] = []
        first_success = True
        for status_key, entry in raw.items():
            status = str(status_key).upper()
            if not (status == "DEFAULT" or (len(status) == 3 and status[0] in "12345")):
                self.doc.warn(
                    f"unknown response status {status_key!r}; ignored",
                    f"{ptr}/responses/{status_key}",
                )
                continue
            status = "default" if status == "DEFAULT" else status
            resp_ptr = jsonpointer.append(ptr, "responses", status_key)
            resp, resp_ptr = self.doc.deref(entry, resp_ptr)
            if not isinstance(resp, dict):
                continue
            if status.startswith("2") and first_success:
                type_context, first_success = context + "Response", False
            else:
                type_context = context + _status_phrase(status)
            content = resp.get("content") if isinstance(resp.get("content"), dict) else {}
            kind: ResponseKind = "empty"
            rtype = None
            content_type = None
            if content:
                content_type = pick_response_content(list(content))
                media = (
                    content.get(content_type) if isinstance(content.get(content_type), dict) else {}
                )
                if content_type and is_json(content_type):
                    kind = "json"
                    schema = media.get("schema") if isinstance(media, dict) else None
                    if schema is not None:
                        rtype = self.walker.type_of(
                            schema,
                            jsonpointer.append(resp_ptr, "content", content_type, "schema"),
                            type_context,
                        )
                elif content_type and content_type.startswith("text/"):
                    kind = "text"
                else:
                    kind = "binary"
            description = _text(resp.get("description"))
            media_types = tuple(str(t) for t in content or ())
            events = event_type(self.walker, content or {}, resp_ptr, type_context, status)
            out.append(
                Response(status, description, kind, rtype, content_type, media_types, events)
            )
        return out

    # -- security and servers ----------------------------------------------------------------
    def _security(self, raw: Any) -> tuple[tuple[str, ...], ...]:
        if not isinstance(raw, list):
            return ()
        return tuple(tuple(str(k) for k in req) for req in raw if isinstance(req, dict))
