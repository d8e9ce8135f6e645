"""Which operations paginate and how (`generator/pagination.py`), on tiny inline specs and the
corpus: the declared extensions (ours, Speakeasy's, Fern's), detection of the common shapes
only when the whole pattern matches, the `pagination` setting and the generate summary."""

from __future__ import annotations

import copy
import io
import subprocess
import sys
from contextlib import redirect_stderr
from pathlib import Path
from typing import Any

import pytest
from conftest import SHARED_SPECS, generate_package, requires_shared

from generator import cli
from generator.build import build_api
from generator.load import SourceMap, load
from generator.model import Api, ModelRef, Pagination
from generator.pagination import parse_path
from generator.resolve import resolve

ITEM = {
    "type": "object",
    "required": ["id"],
    "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
}


def q(name: str, type_: str = "string", **more: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": {"type": type_, **more}}


def listing(
    params: list[dict[str, Any]],
    props: dict[str, Any] | None,
    *,
    method: str = "get",
    headers: dict[str, Any] | None = None,
    **extensions: Any,
) -> dict[str, Any]:
    """A one-operation spec: `props` are the response object's properties (None: the
    response is an array of Items)."""
    schema: dict[str, Any] = (
        {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}
        if props is None
        else {"type": "object", "properties": props}
    )
    response: dict[str, Any] = {
        "description": "ok",
        "content": {"application/json": {"schema": schema}},
    }
    if headers:
        response["headers"] = headers
    op = {"operationId": "listItems", "parameters": params, "responses": {"200": response}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": {"/items": {method: {**op, **extensions}}},
        "components": {"schemas": {"Item": ITEM}},
    }


DATA = {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}
HAS_MORE = {"type": "boolean"}


def paging(spec: dict[str, Any]) -> tuple[Pagination | None, list[str]]:
    api, found = build_api(spec, SourceMap("x.yaml", ""))
    return api.operations[0].pagination, [d.message for d in found]


# -- detection --------------------------------------------------------------------------------


def test_stripe_cursor_from_the_last_items_id() -> None:
    p, _ = paging(
        listing(
            [q("limit", "integer"), q("starting_after"), q("ending_before")],
            {"object": {"type": "string"}, "data": DATA, "has_more": HAS_MORE},
        )
    )
    assert p is not None
    assert (p.rule, p.kind, p.param, p.item_key, p.before) == (
        "cursor",
        "cursor",
        "starting_after",
        ("id",),
        "ending_before",
    )
    assert (p.items, p.has_more, p.limit, p.item) == (
        ("data",),
        ("has_more",),
        "limit",
        ModelRef("Item"),
    )


@pytest.mark.parametrize(
    ("field", "param", "name"),
    [
        ("next_cursor", "cursor", "cursor"),
        ("next_page_token", "page_token", "page_token"),
        ("nextPageToken", "pageToken", "page_token"),  # the argument's Python name
        ("next", "after", "after"),
    ],
)
def test_next_cursor_field_and_its_parameter(field: str, param: str, name: str) -> None:
    p, _ = paging(listing([q(param)], {"items": DATA, field: {"type": "string"}}))
    assert p is not None
    assert (p.rule, p.kind, p.param, p.next, p.items) == (
        "next-cursor",
        "cursor",
        name,
        (field,),
        ("items",),
    )


def test_next_cursor_in_a_meta_object() -> None:
    meta = {"type": "object", "properties": {"next_cursor": {"type": "string", "nullable": True}}}
    p, _ = paging(listing([q("cursor"), q("limit", "integer")], {"data": DATA, "meta": meta}))
    assert p is not None and p.next == ("meta", "next_cursor") and p.limit == "limit"


def test_kubernetes_continue_twilio_next_page_uri_and_box_markers() -> None:
    meta = {"type": "object", "properties": {"continue": {"type": "string"}}}
    p, _ = paging(
        listing([q("continue"), q("limit", "integer")], {"items": DATA, "metadata": meta})
    )
    assert p is not None and (p.kind, p.param, p.next) == (
        "cursor",
        "continue_",
        ("metadata", "continue"),
    )
    uri = {"type": "string", "nullable": True}
    p, _ = paging(listing([q("PageSize", "integer")], {"accounts": DATA, "next_page_uri": uri}))
    assert p is not None and (p.kind, p.next, p.items) == ("url", ("next_page_uri",), ("accounts",))
    marker = {"entries": DATA, "next_marker": {"type": "string"}}
    p, _ = paging(listing([q("marker"), q("limit", "integer")], marker))
    assert p is not None and (p.kind, p.param) == ("cursor", "marker")
    # beside an integer offset, the offset wins: box's markers need `usemarker=true`
    p, _ = paging(listing([q("marker"), q("offset", "integer"), q("limit", "integer")], marker))
    assert p is not None and (p.kind, p.param) == ("offset", "offset")


def test_offset_with_a_total_and_page_numbers() -> None:
    p, _ = paging(
        listing(
            [q("offset", "integer"), q("limit", "integer")],
            {"results": DATA, "total": {"type": "integer"}},
        )
    )
    assert p is not None
    assert (p.kind, p.param, p.total, p.items) == ("offset", "offset", ("total",), ("results",))
    p, _ = paging(
        listing(
            [q("page", "integer", default=0), q("per_page", "integer")],
            {"data": DATA, "total_pages": {"type": "integer"}},
        )
    )
    assert p is not None
    assert (p.kind, p.param, p.pages, p.start, p.limit) == (
        "page",
        "page",
        ("total_pages",),
        0,
        "per_page",
    )


def test_link_header_and_next_url_field() -> None:
    link = {"Link": {"schema": {"type": "string"}}}
    p, _ = paging(listing([q("page", "integer"), q("per_page", "integer")], None, headers=link))
    assert p is not None and (p.kind, p.items, p.item) == ("link", (), ModelRef("Item"))
    # without the Link header, the same operation pages by number (stops on an empty page)
    p, _ = paging(listing([q("page", "integer"), q("per_page", "integer")], None))
    assert p is not None and (p.kind, p.param, p.limit) == ("page", "page", "per_page")
    url = {"type": "string", "format": "uri", "nullable": True}
    p, _ = paging(listing([], {"data": DATA, "next": url}))
    assert p is not None and (p.kind, p.next) == ("url", ("next",))


@pytest.mark.parametrize(
    ("params", "props", "method"),
    [
        # has_more without a cursor parameter
        ([q("limit", "integer")], {"data": DATA, "has_more": HAS_MORE}, "get"),
        # an `after` parameter without has_more
        ([q("after")], {"data": DATA}, "get"),
        # not a list
        ([q("cursor")], {"id": {"type": "string"}, "next_cursor": {"type": "string"}}, "get"),
        # a POST is never detected
        ([q("cursor")], {"data": DATA, "next_cursor": {"type": "string"}}, "post"),
        # an offset without a page size, a string page number
        ([q("offset", "integer")], {"data": DATA}, "get"),
        ([q("page"), q("limit", "integer")], {"data": DATA}, "get"),
        # two arrays, neither named like the items
        ([q("cursor")], {"a": DATA, "b": DATA, "next_cursor": {"type": "string"}}, "get"),
        # a `next` that is a URL is not a cursor; without format uri it is not a URL either
        ([q("page_size", "integer")], {"data": DATA, "next": {"type": "string"}}, "get"),
    ],
)
def test_partial_patterns_are_not_detected(
    params: list[dict[str, Any]], props: dict[str, Any], method: str
) -> None:
    p, _ = paging(listing(params, props, method=method))
    assert p is None


# -- declared ---------------------------------------------------------------------------------


def test_oagen_extension() -> None:
    declared = {
        "kind": "page",
        "items": "$.data",
        "param": "p",
        "pages": "$.meta.pages",
        "limit": "size",
        "start": 0,
    }
    meta = {"type": "object", "properties": {"pages": {"type": "integer"}}}
    spec = listing(
        [q("p", "integer"), q("size", "integer")],
        {"data": DATA, "meta": meta},
        method="post",
        **{"x-oagen-pagination": declared},
    )
    p, _ = paging(spec)
    assert p is not None
    assert (p.source, p.kind, p.param, p.pages, p.limit, p.start) == (
        "x-oagen-pagination",
        "page",
        "p",
        ("meta", "pages"),
        "size",
        0,
    )
    # `false` turns detection off
    off = listing(
        [q("cursor")],
        {"data": DATA, "next_cursor": {"type": "string"}},
        **{"x-oagen-pagination": False},
    )
    assert paging(off)[0] is None


def test_speakeasy_extension_shapes() -> None:
    nested = {"type": "object", "properties": {"resultArray": DATA}}
    offset = {
        "type": "offsetLimit",
        "inputs": [
            {"name": "offset", "in": "parameters", "type": "offset"},
            {"name": "limit", "in": "parameters", "type": "limit"},
        ],
        "outputs": {"results": "$.data.resultArray"},
    }
    spec = listing(
        [q("offset", "integer"), q("limit", "integer")],
        {"data": nested},
        **{"x-speakeasy-pagination": offset},
    )
    p, _ = paging(spec)
    assert p is not None
    assert (p.kind, p.param, p.limit, p.items, p.item) == (
        "offset",
        "offset",
        "limit",
        ("data", "resultArray"),
        ModelRef("Item"),
    )
    cursor = {
        "type": "cursor",
        "inputs": [{"name": "since", "in": "parameters", "type": "cursor"}],
        "outputs": {"nextCursor": "$.data.resultArray[-1].id", "results": "$.data.resultArray"},
    }
    p, _ = paging(listing([q("since")], {"data": nested}, **{"x-speakeasy-pagination": cursor}))
    # a cursor from the last item: its key
    assert p is not None and (p.kind, p.param, p.next, p.item_key) == (
        "cursor",
        "since",
        (),
        ("id",),
    )
    url = {"type": "url", "outputs": {"nextUrl": "$.next"}}
    p, _ = paging(listing([], None, **{"x-speakeasy-pagination": url}))
    assert p is None or p.kind == "url"


def test_fern_extension_and_root_inheritance() -> None:
    cursor = {
        "cursor": "$request.starting_after",
        "next_cursor": "$response.page.next",
        "results": "$response.data",
    }
    page = {"type": "object", "properties": {"next": {"type": "string"}}}
    spec = listing([q("starting_after")], {"data": DATA, "page": page})
    spec["x-fern-pagination"] = cursor
    spec["paths"]["/items"]["get"]["x-fern-pagination"] = True
    p, _ = paging(spec)
    assert p is not None
    assert (p.source, p.kind, p.param, p.next, p.items) == (
        "x-fern-pagination",
        "cursor",
        "starting_after",
        ("page", "next"),
        ("data",),
    )
    offset = {"offset": "$request.page", "results": "$response.data"}
    p, _ = paging(listing([q("page", "integer")], {"data": DATA}, **{"x-fern-pagination": offset}))
    assert p is not None and (p.kind, p.param) == ("page", "page")  # no step: a page number
    offset["step"] = "$request.limit"
    spec = listing(
        [q("page", "integer"), q("limit", "integer")],
        {"data": DATA, "has_more": HAS_MORE},
        **{"x-fern-pagination": {**offset, "has-next-page": "$response.has_more"}},
    )
    p, _ = paging(spec)
    assert p is not None
    assert (p.kind, p.param, p.limit, p.has_more) == ("offset", "page", "limit", ("has_more",))


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("x-oagen-pagination", {"kind": "cursor", "items": "$.data"}, "needs `next`"),
        ("x-oagen-pagination", {"kind": "sideways"}, "`kind` must be"),
        (
            "x-oagen-pagination",
            {"kind": "offset", "items": "$.data", "param": "nope"},
            "no parameter 'nope'",
        ),
        ("x-oagen-pagination", {"kind": "page", "param": "cursor", "items": "$.nope"}, "no array"),
        ("x-speakeasy-pagination", {"type": "cursor", "inputs": []}, "needs an input"),
        (
            "x-fern-pagination",
            {"cursor": "$request.cursor", "results": "$response.data"},
            "needs next_cursor",
        ),
        ("x-fern-pagination", "yes", "must be a mapping"),
    ],
)
def test_unusable_declarations_are_warnings(key: str, value: Any, says: str) -> None:
    spec = listing([q("cursor")], {"data": DATA}, **{key: value})
    p, messages = paging(spec)
    assert p is None
    assert any(key in m and says in m and "does not paginate" in m for m in messages), messages


def test_paths() -> None:
    assert parse_path("$.data[-1].id") == ("data", -1, "id")
    assert parse_path("$response.a['b c']", "$response") == ("a", "b c")
    assert parse_path("$") == ()


# -- corpus: no false positives, the counts ---------------------------------------------------


def _analyse(spec: Path) -> Api:
    """The IR of a corpus spec (load, resolve, build: validation is not this file's concern)."""
    loaded = load(spec)
    api, _ = build_api(resolve(loaded.data, spec, loaded.source), loaded.source)
    return api


@requires_shared()
def test_corpus_lists_paginate_and_nothing_else() -> None:
    openai = _analyse(SHARED_SPECS / "corpus" / "openai" / "openapi.yaml")
    by_route = {(op.method, op.path): op.pagination for op in openai.operations}
    files = by_route[("GET", "/files")]
    assert files is not None and (files.kind, files.param, files.item_key) == (
        "cursor",
        "after",
        ("id",),
    )
    assert by_route[("GET", "/models")] is None  # a list without pages
    # only GETs, each with its cursor parameter
    for op in openai.operations:
        if op.pagination is not None:
            assert op.method == "GET" and op.pagination.param in {p.name for p in op.params}
    stripe = _analyse(SHARED_SPECS / "corpus" / "stripe" / "spec3.yaml")
    routes = {(op.method, op.path): op.pagination for op in stripe.operations}
    customers = routes[("GET", "/v1/customers")]
    assert customers is not None and customers.before == "ending_before"
    search = routes[("GET", "/v1/customers/search")]
    assert search is not None and (search.rule, search.param, search.next) == (
        "next-cursor",
        "page",
        ("next_page",),
    )
    assert routes[("GET", "/v1/customers/{customer}")] is None
    # every stripe operation with a `starting_after` parameter paginates, and no other
    for op in stripe.operations:
        has_cursor = any(p.wire == "starting_after" for p in op.params)
        assert (op.pagination is not None) == has_cursor or op.pagination.rule == "next-cursor"
    vastai = _analyse(SHARED_SPECS / "vastai" / "vastai-full.yaml")
    assert [op.name for op in vastai.operations if op.pagination] == []


# -- the setting and the summary --------------------------------------------------------------

STRIPE_LIKE = listing(
    [q("limit", "integer"), q("starting_after")],
    {"data": DATA, "has_more": HAS_MORE},
)


def test_no_pagination_setting_keeps_the_plain_answer(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    pkg, out = generate_package(tmp_path / "a", copy.deepcopy(STRIPE_LIKE))
    client_text = next((out / pkg.__name__).glob("_client_*.py")).read_text()
    assert "-> SyncPage[models.Item]:" in client_text
    assert "1 list operation(s) return a page" in (out / pkg.__name__ / "README.md").read_text()
    page_doc = (out / pkg.__name__ / "docs" / "list_items.md").read_text()
    assert "for item in client.list_items():" in page_doc
    assert "async for item in client.list_items():" in page_doc
    pkg, out = generate_package(tmp_path / "b", copy.deepcopy(STRIPE_LIKE), pagination=False)
    client_text = next((out / pkg.__name__).glob("_client_*.py")).read_text()
    assert "SyncPage" not in client_text and "-> models.ListItemsResponse:" in client_text
    assert "paging=" not in (out / pkg.__name__ / "_ops.py").read_text()
    assert "return a page" not in (out / pkg.__name__ / "README.md").read_text()


def test_generate_prints_the_pagination_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(STRIPE_LIKE), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    err = io.StringIO()
    with redirect_stderr(err):
        assert cli.main(["generate", str(spec), "-o", "out"]) == 0
    assert "oagen: 1 operation(s) paginate (cursor 1)" in err.getvalue()
    err = io.StringIO()
    with redirect_stderr(err):
        assert cli.main(["generate", str(spec), "-o", "out2", "--no-pagination"]) == 0
    assert "paginate" not in err.getvalue()


def test_generated_paginated_package_passes_mypy_strict(tmp_path: Path) -> None:
    pkg, out = generate_package(tmp_path, copy.deepcopy(STRIPE_LIKE), package="paged_api")
    usage = out / "use_paged.py"
    usage.write_text(
        """\
from paged_api import AsyncClient, AsyncPage, Client, SyncPage, models


def walk(client: Client) -> list[str]:
    page: SyncPage[models.Item] = client.list_items(limit=2)
    first: list[models.Item] = page.data
    more: bool = page.has_next_page()
    pages = [p.data for p in page.iter_pages()]
    return [item.id for item in client.list_items(limit=2)] + [str(first), str(more), str(pages)]


async def walk_async(client: AsyncClient) -> list[str]:
    page: AsyncPage[models.Item] = await client.list_items(limit=2)
    if page.has_next_page():
        page = await page.get_next_page()
    return [item.id async for item in client.list_items(limit=2)]
""",
        encoding="utf-8",
    )
    bindir = Path(sys.executable).parent
    done = subprocess.run(
        [
            str(bindir / "mypy"),
            "--strict",
            "--python-version",
            "3.10",
            "--no-incremental",
            "--cache-dir",
            "/dev/null",
            "paged_api",
            "use_paged.py",
        ],
        capture_output=True,
        text=True,
        cwd=out,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    # and a wrong item type is an error: the page is typed by its items
    usage.write_text(
        "from paged_api import Client\n\n\n"
        "def wrong(client: Client) -> list[int]:\n"
        "    return [item.id for item in client.list_items()]\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            str(bindir / "mypy"),
            "--strict",
            "--no-incremental",
            "--cache-dir",
            "/dev/null",
            "use_paged.py",
        ],
        capture_output=True,
        text=True,
        cwd=out,
        timeout=600,
    )
    assert done.returncode == 1 and "List comprehension has incompatible type" in done.stdout
    for tool in (["black", "--check", "-q"], ["ruff", "check", "-q", "--no-cache"]):
        done = subprocess.run(
            [str(bindir / tool[0]), *tool[1:], "paged_api"], capture_output=True, cwd=out
        )
        assert done.returncode == 0, done.stdout
