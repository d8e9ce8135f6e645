"""Pagination: which operations return one page of a longer list, and how to ask for the next.

Read in the build stage, after an operation's parameters and responses (`build._operation`).
An operation paginates when its spec says so, with one of

- `x-oagen-pagination` (ours; `false` turns detection off for the operation),
- `x-speakeasy-pagination` (`type: cursor | offsetLimit | url`, `inputs`, `outputs`),
- `x-fern-pagination` (`cursor`/`next_cursor`/`results`, or `offset`/`results`/`step`/
  `has-next-page`; `true` takes the document root's),

or, when nothing is declared, when a GET's whole pattern matches one of the common shapes:
a next-cursor field and its parameter (`next_cursor` -> `cursor`), `has_more` with an `after`
parameter filled from the last item's `id` (stripe, openai), a next-URL field, a declared
`Link` response header (GitHub), an `offset` with a page size, a `page` number with a page
size. Every shape needs an array of items in the success response. A declaration that names a
parameter or a field the operation lacks is a warning, and the operation does not paginate.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from generator.document import Document
from generator.model import (
    AnyType,
    Field,
    ListOf,
    ModelRef,
    Nullable,
    Pagination,
    PagingKind,
    Parameter,
    PathStep,
    Primitive,
    Response,
    TypeRef,
    UnionOf,
)

FieldsOf = Callable[[str], dict[str, Field]]  # model name -> wire name -> field (with bases)
EXTENSIONS = ("x-oagen-pagination", "x-speakeasy-pagination", "x-fern-pagination")

ITEM_FIELDS = ("data", "items", "results", "records", "entries", "values")
HAS_MORE = ("has_more", "hasMore", "has_next_page", "hasNextPage", "has_next", "hasNext")
TOTAL = ("total", "total_count", "totalCount", "total_results", "totalResults", "total_items")
PAGES = ("total_pages", "totalPages", "page_count", "pageCount", "num_pages", "numPages")
# a next-cursor field -> the parameters that take its value
NEXT_CURSOR = {
    "next_cursor": ("cursor", "next_cursor"),
    "nextCursor": ("cursor", "nextCursor"),
    "next_page_token": ("page_token", "next_page_token"),
    "nextPageToken": ("pageToken", "page_token"),
    "next_token": ("next_token", "token"),
    "nextToken": ("nextToken", "token"),
    "next": ("cursor", "after", "page_token"),
    "next_page": ("page",),  # stripe's search: a string cursor in `page`
    "offset": ("offset",),  # asana's `next_page.offset`
    "next_marker": ("marker",),  # box
    "continue": ("continue",),  # kubernetes' `metadata.continue`
}
NEXT_URL = (
    "next_url",
    "nextUrl",
    "nextLink",
    "next_page_url",
    "next_page_uri",
    "nextPageUri",
    "next",
)
AFTER = ("starting_after", "after")
BEFORE = ("ending_before", "before")
OFFSET = ("offset", "skip")
PAGE = ("page", "page_number", "pageNumber")
SIZE = ("limit", "per_page", "perPage", "page_size", "pageSize", "size", "count", "take")
NESTS = ("meta", "metadata", "pagination", "paging", "page_info", "pageInfo", "links", "next_page")


def of(
    doc: Document,
    op: dict[str, Any],
    ptr: str,
    method: str,
    params: list[Parameter],
    responses: list[Response],
    fields_of: FieldsOf,
) -> Pagination | None:
    """How the operation at `ptr` paginates, or None."""
    success = next((r for r in responses if r.status.startswith("2")), None)
    body = success.type if success is not None and success.kind == "json" else None
    reader = _Reader(body, fields_of)
    for key in EXTENSIONS:
        if key not in op:
            continue
        raw = op[key]
        if key == "x-fern-pagination" and raw is True:
            raw = doc.data.get(key)
        if raw is False:
            return None
        where = f"{ptr}/{key}"
        if not isinstance(raw, dict):
            doc.warn(f"{key} must be a mapping; the operation does not paginate", where)
            return None
        try:
            return _DECLARED[key](raw, reader, _Params(params), key)
        except _Unusable as exc:
            doc.warn(f"{key}: {exc}; the operation does not paginate", where)
            return None
    if method != "get" or body is None:
        return None
    return _detect(op, doc, success, reader, _Params(params))


class _Unusable(Exception):
    """A declaration oagen cannot follow (the message says why)."""


def _bare(t: TypeRef | None) -> TypeRef | None:
    return t.inner if isinstance(t, Nullable) else t


class _Params:
    """The operation's parameters by wire name (query and body first, then the rest)."""

    def __init__(self, params: list[Parameter]) -> None:
        order = {"query": 0, "body": 1}
        self.by_wire: dict[str, Parameter] = {}
        for p in sorted(params, key=lambda p: order.get(p.location, 2)):
            self.by_wire.setdefault(p.wire, p)

    def find(self, names: tuple[str, ...], kind: str | None = None) -> Parameter | None:
        for name in names:
            p = self.by_wire.get(name)
            if p is not None and p.location in ("query", "body") and _is(p.type, kind):
                return p
        return None

    def named(self, wire: str) -> str:
        p = self.by_wire.get(wire)
        if p is None:
            raise _Unusable(f"the operation has no parameter {wire!r}")
        return p.name


def _is(t: TypeRef | None, kind: str | None) -> bool:
    t = _bare(t)
    if kind is None:
        return True
    if kind == "str":
        return isinstance(t, AnyType) or (isinstance(t, Primitive) and t.kind == "str")
    return isinstance(t, Primitive) and t.kind == kind


class _Reader:
    """Paths into the success body's type: what each field holds."""

    def __init__(self, body: TypeRef | None, fields_of: FieldsOf) -> None:
        self.body = body
        self.fields_of = fields_of

    def fields(self, t: TypeRef | None) -> dict[str, Field]:
        t = _bare(t)
        return self.fields_of(t.name) if isinstance(t, ModelRef) else {}

    def type_at(self, path: tuple[PathStep, ...]) -> TypeRef | None:
        t: TypeRef | None = self.body
        for step in path:
            t = _bare(t)
            if isinstance(step, int):
                t = t.item if isinstance(t, ListOf) else None
            else:
                found = self.fields(t).get(step)
                t = found.type if found is not None else None
            if t is None:
                return None
        return t

    def items(self, path: tuple[PathStep, ...]) -> TypeRef:
        """The item type of the array at `path`, or _Unusable."""
        t = _bare(self.type_at(path))
        if isinstance(t, ListOf):
            return t.item
        if self.body is None or isinstance(_bare(self.body), AnyType):
            return AnyType()  # no schema to check against: the declaration is believed
        raise _Unusable(f"no array at {_text(path)} in the success response")

    def field(self, path: tuple[PathStep, ...], what: str) -> tuple[PathStep, ...]:
        if self.type_at(path) is None and self.fields(self.body):
            raise _Unusable(f"no field {_text(path)} ({what}) in the success response")
        return path

    def declared(self, raw: dict[str, Any], key: str, root: str = "$") -> tuple[PathStep, ...]:
        """The field of the success response that `raw[key]` names, () when it names none."""
        return self.field(parse_path(raw[key], root), key) if key in raw else ()

    def find(
        self, names: tuple[str, ...], kind: str | None = None
    ) -> tuple[tuple[str, ...], Field] | None:
        """The first field named one of `names` at the top of the body, else one level down
        in a `meta`-like object."""
        top = self.fields(self.body)
        for scope, prefix in [(top, ())] + [
            (self.fields(top[n].type), (n,)) for n in NESTS if n in top
        ]:
            for name in names:
                f = scope.get(name)
                if f is not None and _is(f.type, kind):
                    return (*prefix, name), f
        return None


def _text(path: tuple[PathStep, ...]) -> str:
    return "$" + "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in path)


_STEP = re.compile(r"\.([^.\[\]]+)|\[(-?\d+)\]|\[['\"]([^'\"]+)['\"]\]")


def parse_path(text: object, root: str = "$") -> tuple[PathStep, ...]:
    """`$.data[-1].id` (or `$response.data`, with `root`) as steps; _Unusable otherwise."""
    if not isinstance(text, str) or not text.startswith(root):
        raise _Unusable(f"{text!r} is not a path starting with {root!r}")
    rest, steps = text[len(root) :], []
    while rest:
        m = _STEP.match(rest)
        if m is None:
            raise _Unusable(f"cannot read the path {text!r}")
        name, index, quoted = m.groups()
        steps.append(int(index) if index is not None else (name or quoted))
        rest = rest[m.end() :]
    return tuple(steps)


# -- declared ----------------------------------------------------------------------------------


def _last_item(
    items: tuple[PathStep, ...], next_path: tuple[PathStep, ...]
) -> tuple[tuple[PathStep, ...], tuple[str, ...]]:
    """(next, item_key): a cursor read from the last item (`$.data[-1].id`) as the item's
    key, so that a `before` argument pages backwards from the first item's."""
    n = len(items)
    key = next_path[n + 1 :]
    if next_path[: n + 1] == (*items, -1) and key and all(isinstance(s, str) for s in key):
        return (), tuple(str(s) for s in key)
    return next_path, ()


def _oagen(raw: dict[str, Any], reader: _Reader, params: _Params, source: str) -> Pagination:
    kind = raw.get("kind")
    if kind not in ("cursor", "offset", "page", "link", "url"):
        raise _Unusable("`kind` must be cursor, offset, page, link or url")
    items = parse_path(raw.get("items", "$"))
    item = reader.items(items)
    has_more, total, pages = (reader.declared(raw, k) for k in ("has_more", "total", "pages"))
    next_path = parse_path(raw["next"]) if "next" in raw else ()
    if kind in ("cursor", "url") and not next_path:
        raise _Unusable(f"kind {kind} needs `next` (where the next cursor or URL is)")
    param = raw.get("param")
    if kind in ("cursor", "offset", "page") and not isinstance(param, str):
        raise _Unusable(f"kind {kind} needs `param` (the request parameter it sets)")
    start = raw.get("start", 1)
    next_path, item_key = _last_item(items, next_path) if kind == "cursor" else (next_path, ())
    return Pagination(
        rule=str(kind),
        source=source,
        kind=kind,
        items=items,
        item=item,
        param=params.named(param) if isinstance(param, str) else None,
        next=next_path,
        item_key=item_key,
        before=params.named(raw["before"]) if isinstance(raw.get("before"), str) else None,
        limit=params.named(raw["limit"]) if isinstance(raw.get("limit"), str) else None,
        has_more=has_more,
        total=total,
        pages=pages,
        start=start if isinstance(start, int) and not isinstance(start, bool) else 1,
    )


def _speakeasy(raw: dict[str, Any], reader: _Reader, params: _Params, source: str) -> Pagination:
    kind = raw.get("type")
    outputs = raw.get("outputs") if isinstance(raw.get("outputs"), dict) else {}
    assert isinstance(outputs, dict)
    inputs: dict[str, str] = {}
    for entry in raw.get("inputs") or []:
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            inputs[str(entry.get("type"))] = params.named(entry["name"])
    items = parse_path(outputs["results"]) if "results" in outputs else ()
    if kind == "url":
        if "nextUrl" not in outputs:
            raise _Unusable("type url needs outputs.nextUrl")
        next_url = reader.declared(outputs, "nextUrl")
        return Pagination("url", source, "url", items, reader.items(items), next=next_url)
    if kind == "cursor":
        if "cursor" not in inputs or "nextCursor" not in outputs:
            raise _Unusable("type cursor needs an input of type cursor and outputs.nextCursor")
        next_path, key = _last_item(items, parse_path(outputs["nextCursor"]))
        item = reader.items(items)
        limit = inputs.get("limit")
        return Pagination(
            "cursor", source, "cursor", items, item, inputs["cursor"], next_path, key, limit=limit
        )
    if kind == "offsetLimit":
        page_kind: PagingKind = "offset" if "offset" in inputs else "page"
        if page_kind not in inputs:
            raise _Unusable("type offsetLimit needs an input of type offset or page")
        pages = reader.declared(outputs, "numPages")
        item = reader.items(items)
        param, limit = inputs[page_kind], inputs.get("limit")
        return Pagination(
            page_kind, source, page_kind, items, item, param, pages=pages, limit=limit
        )
    raise _Unusable("`type` must be cursor, offsetLimit or url")


def _fern(raw: dict[str, Any], reader: _Reader, params: _Params, source: str) -> Pagination:
    def request(key: str) -> str:
        path = parse_path(raw[key], "$request")
        if len(path) != 1 or not isinstance(path[0], str):
            raise _Unusable(f"{key} must name a request parameter ($request.<name>)")
        return params.named(path[0])

    items = parse_path(raw.get("results", "$response"), "$response")
    item = reader.items(items)
    if "cursor" in raw:
        if "next_cursor" not in raw:
            raise _Unusable("cursor pagination needs next_cursor")
        next_path = reader.declared(raw, "next_cursor", "$response")
        next_path, key = _last_item(items, next_path)
        return Pagination(
            "cursor", source, "cursor", items, item, request("cursor"), next_path, key
        )
    if "offset" in raw:
        has_more = raw.get("has-next-page")
        more = reader.field(parse_path(has_more, "$response"), "has-next-page") if has_more else ()
        # Fern adds `step` to the offset, else one: without a step the offset is a page number
        kind: PagingKind = "offset" if "step" in raw else "page"
        limit = request("step") if "step" in raw else None
        return Pagination(
            kind, source, kind, items, item, request("offset"), has_more=more, limit=limit
        )
    raise _Unusable("expected cursor/next_cursor/results or offset/results")


_DECLARED = {
    "x-oagen-pagination": _oagen,
    "x-speakeasy-pagination": _speakeasy,
    "x-fern-pagination": _fern,
}


# -- detected ----------------------------------------------------------------------------------


def _items(reader: _Reader) -> tuple[tuple[str, ...], TypeRef] | None:
    """Where the page's items are: the body when it is an array, else its one array field (or
    the one named like `data` among several)."""
    body = _bare(reader.body)
    if isinstance(body, ListOf):
        return (), body.item
    arrays = {
        wire: t.item
        for wire, f in reader.fields(body).items()
        if isinstance(t := _bare(f.type), ListOf)
    }
    for name in ITEM_FIELDS:
        if name in arrays:
            return (name,), arrays[name]
    if len(arrays) == 1:
        ((name, item),) = arrays.items()
        return (name,), item
    return None


def _uri(f: Field) -> bool:
    t = _bare(f.type)
    return isinstance(t, Primitive) and t.format in ("uri", "url", "uri-reference")


def _has_id(reader: _Reader, item: TypeRef) -> bool:
    item = _bare(item) or AnyType()
    if isinstance(item, UnionOf):
        return bool(item.items) and all(_has_id(reader, t) for t in item.items)
    return "id" in reader.fields(item)


def _link_header(doc: Document, op: dict[str, Any], success: Response | None) -> bool:
    if success is None:
        return False
    responses = op.get("responses")
    entry = responses.get(success.status) if isinstance(responses, dict) else None
    if entry is None and isinstance(responses, dict):
        entry = responses.get(int(success.status)) if success.status.isdigit() else None
    resolved, _ = doc.deref(entry, "")
    headers = resolved.get("headers") if isinstance(resolved, dict) else None
    return isinstance(headers, dict) and any(str(k).lower() == "link" for k in headers)


def _detect(
    op: dict[str, Any], doc: Document, success: Response | None, reader: _Reader, params: _Params
) -> Pagination | None:
    found = _items(reader)
    if found is None:
        return None
    items, item = found
    more = reader.find(HAS_MORE, "bool")
    has_more = more[0] if more else ()
    size = params.find(SIZE, "int")
    limit = size.name if size else None
    offset = params.find(OFFSET, "int")
    # an integer offset beside a cursor: the offset works without opting in (box's `marker`
    # needs `usemarker=true`), so the cursor rules give way to it
    if offset is None or size is None:
        cursor = _cursor(reader, params, items, item, has_more, limit)
        if cursor is not None:
            return cursor
    for name in NEXT_URL:
        url = reader.find((name,), "str")
        if url and (name != "next" or _uri(url[1])):
            return Pagination("url", "detected", "url", items, item, next=url[0], limit=limit)
    if _link_header(doc, op, success):
        return Pagination("link", "detected", "link", items, item, limit=limit)
    total = reader.find(TOTAL, "int")
    counted = total[0] if total else ()
    if offset is not None and size is not None:
        return Pagination(
            "offset", "detected", "offset", items, item, offset.name,
            has_more=has_more, total=counted, limit=limit,
        )  # fmt: skip
    page = params.find(PAGE, "int")
    if page is not None and size is not None:
        pages = reader.find(PAGES, "int")
        start = page.default if isinstance(page.default, int) and page.default in (0, 1) else 1
        return Pagination(
            "page", "detected", "page", items, item, page.name, has_more=has_more,
            total=counted, pages=pages[0] if pages else (), limit=limit, start=start,
        )  # fmt: skip
    return None


def _cursor(
    reader: _Reader,
    params: _Params,
    items: tuple[str, ...],
    item: TypeRef,
    has_more: tuple[str, ...],
    limit: str | None,
) -> Pagination | None:
    """A next-cursor field and its parameter, else `has_more` and an `after` parameter taking
    the last item's `id`."""
    for field_name, takers in NEXT_CURSOR.items():
        next_field = reader.find((field_name,))
        taker = params.find(takers, "str") if next_field else None
        if next_field and taker and _is(next_field[1].type, "str") and not _uri(next_field[1]):
            return Pagination(
                "next-cursor", "detected", "cursor", items, item, taker.name, next_field[0],
                has_more=has_more, limit=limit,
            )  # fmt: skip
    after = params.find(AFTER, "str")
    if after is None or not has_more or not _has_id(reader, item):
        return None
    before = params.find(BEFORE, "str")
    return Pagination(
        "cursor", "detected", "cursor", items, item, after.name, item_key=("id",),
        before=before.name if before else None, has_more=has_more, limit=limit,
    )  # fmt: skip
