"""Auto-pagination against real loopback servers (`http.server` on 127.0.0.1, in a thread).

Each server parses the request's query and headers and answers one page of a longer list: the
stripe and openai list shapes (from the corpus specs, and inline), a GitHub-style `Link`
header, Speakeasy- and Fern-annotated specs, offsets and page numbers; sync and async
iteration; the same per-call options on every page; a server repeating its cursor (a warning,
and iteration stops); the CLI's `--all`.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import http.server
import importlib
import io
import json
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import SHARED_SPECS, generate_package, requires_shared

HOST = "127.0.0.1"
KEY = "sk-paging-SECRET"


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any = None  # the JSON body, if any


Answer = tuple[int, dict[str, str], Any]  # status, headers, JSON body
Handler = Callable[[Seen, str], Answer]  # (the request, the server's URL) -> answer


class PagesServer:
    """A threaded `http.server` that records each request and answers through `handler`."""

    def __init__(self, handler: Handler) -> None:
        self.seen: list[Seen] = []
        owner = self

        class _H(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                self._answer()

            def do_POST(self) -> None:  # noqa: N802
                self._answer()

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                seen = Seen(self.command, parts.path, query, dict(self.headers.items()), body)
                owner.seen.append(seen)
                status, headers, body = handler(seen, owner.url)
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer((HOST, 0), _H)
        self.url = f"http://{HOST}:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@contextlib.contextmanager
def serving(handler: Handler) -> Iterator[PagesServer]:
    server = PagesServer(handler)
    try:
        yield server
    finally:
        server.close()


IDS = [f"c{n}" for n in range(1, 6)]


def window(seen: Seen, ids: list[str] = IDS) -> tuple[list[str], bool]:
    """Stripe's list semantics: `limit` items after `starting_after` (before `ending_before`)."""
    limit = int(seen.query.get("limit", "10"))
    if "ending_before" in seen.query:
        end = ids.index(seen.query["ending_before"])
        start = max(0, end - limit)
        return ids[start:end], start > 0
    start = ids.index(seen.query["starting_after"]) + 1 if "starting_after" in seen.query else 0
    return ids[start : start + limit], start + limit < len(ids)


def stripe_handler(flaky: set[str] | None = None) -> Handler:
    """`GET /v1/customers`; answers 503 (Retry-After: 0) once for each cursor in `flaky`."""
    flaky = set(flaky or ())

    def answer(seen: Seen, url: str) -> Answer:
        cursor = seen.query.get("starting_after", "")
        if cursor in flaky:
            flaky.discard(cursor)
            return 503, {"Retry-After": "0"}, {"error": {"message": "try again"}}
        page, more = window(seen)
        data = [{"id": i, "object": "customer", "name": f"name {i}"} for i in page]
        return 200, {}, {"object": "list", "data": data, "has_more": more, "url": "/v1/customers"}

    return answer


# -- an inline stripe-shaped spec -------------------------------------------------------------

ITEM = {
    "type": "object",
    "required": ["id"],
    "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
}
ITEMS = {"type": "array", "items": {"$ref": "#/components/schemas/Customer"}}


def q(name: str, type_: str = "string") -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": {"type": type_}}


def spec_of(paths: dict[str, Any], **root: Any) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Shop", "version": "1"},
        "servers": [{"url": "https://shop.invalid"}],
        "security": [{"key": []}],
        "paths": paths,
        "components": {
            "schemas": {"Customer": ITEM},
            "securitySchemes": {"key": {"type": "http", "scheme": "bearer"}},
        },
        **root,
    }


def get(op_id: str, params: list[dict[str, Any]], schema: Any, **more: Any) -> dict[str, Any]:
    content = {"application/json": {"schema": schema}}
    response: dict[str, Any] = {"description": "ok", "content": content}
    if "headers" in more:
        response["headers"] = more.pop("headers")
    return {"get": {"operationId": op_id, "parameters": params, "responses": {"200": response}}}


def obj(**props: Any) -> dict[str, Any]:
    return {"type": "object", "properties": props}


STRIPE = spec_of(
    {
        "/v1/customers": get(
            "listCustomers",
            [q("limit", "integer"), q("starting_after"), q("ending_before")],
            obj(object={"type": "string"}, data=ITEMS, has_more={"type": "boolean"}),
        )
    }
)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    pkg, _ = generate_package(tmp_path_factory.mktemp("shop"), copy.deepcopy(STRIPE))
    return pkg


def test_sync_iteration_walks_every_page_with_the_calls_options(shop: ModuleType) -> None:
    with serving(stripe_handler(flaky={"c2"})) as server:
        with shop.Client(base_url=server.url, api_key=KEY, max_retries=0) as client:
            page = client.list_customers(limit=2, extra_headers={"X-Trace": "t-1"}, max_retries=1)
            assert len(server.seen) == 1  # the next pages are fetched only when reached
            assert isinstance(page, shop.SyncPage)
            assert [c.id for c in page.data] == ["c1", "c2"] and page.items is page.data
            assert isinstance(page.data[0], shop.models.Customer)
            assert [c.id for c in page] == IDS
    cursors = [s.query.get("starting_after") for s in server.seen]
    # page 2 was answered 503 once and retried: max_retries=1 of the call, not the client's 0
    assert cursors == [None, "c2", "c2", "c4"]
    assert all(s.query["limit"] == "2" for s in server.seen)
    assert all(s.headers.get("X-Trace") == "t-1" for s in server.seen)
    assert all(s.headers.get("Authorization") == f"Bearer {KEY}" for s in server.seen)


def test_the_next_pages_keep_the_calls_timeout(shop: ModuleType) -> None:
    slow = stripe_handler()

    def answer(seen: Seen, url: str) -> Answer:
        if seen.query.get("starting_after") == "c2":
            time.sleep(1.0)  # longer than the call's timeout, shorter than the client's
        return slow(seen, url)

    with serving(answer) as server:
        client = shop.Client(base_url=server.url, api_key=KEY, timeout=30.0, max_retries=0)
        page = client.list_customers(limit=2, timeout=0.2)
        assert [c.id for c in page.data] == ["c1", "c2"]
        with pytest.raises(shop.ApiTimeoutError):
            page.get_next_page()


def test_page_by_page(shop: ModuleType) -> None:
    with serving(stripe_handler()) as server:
        client = shop.Client(base_url=server.url, api_key=KEY)
        first = client.list_customers(limit=2)
        assert first.has_next_page()
        second = first.get_next_page()
        assert [c.id for c in second.data] == ["c3", "c4"]
        pages = list(first.iter_pages())
        assert [[c.id for c in p.data] for p in pages] == [["c1", "c2"], ["c3", "c4"], ["c5"]]
        last = pages[-1]
        assert not last.has_next_page()
        with pytest.raises(RuntimeError, match="has_next_page"):
            last.get_next_page()
        assert last.response.status_code == 200 and last.body["has_more"] is False
        # backwards: ending_before pages towards the start, from each page's first item
        back = [c.id for c in client.list_customers(limit=2, ending_before="c5")]
        assert back == ["c3", "c4", "c1", "c2"]
        assert [s.query.get("ending_before") for s in server.seen[-2:]] == ["c5", "c3"]
        # the raw response parses into the same page
        raw = client.with_raw_response.list_customers(limit=3)
        assert raw.status_code == 200
        assert [c.id for c in raw.parse()] == IDS


def test_async_iteration(shop: ModuleType) -> None:
    async def main(url: str, server: PagesServer) -> None:
        async with shop.AsyncClient(base_url=url, api_key=KEY) as client:
            pager = client.list_customers(limit=2, extra_headers={"X-Trace": "a"})
            assert server.seen == []  # nothing is sent before it is awaited or iterated
            assert [c.id async for c in pager] == IDS
            first = await client.list_customers(limit=2)
            assert isinstance(first, shop.AsyncPage)
            assert [c.id for c in first.data] == ["c1", "c2"]
            second = await first.get_next_page()
            assert [c.id for c in second.data] == ["c3", "c4"]
            sizes = [len(p.data) async for p in first.iter_pages()]
            assert sizes == [2, 2, 1]
            raw = await client.with_raw_response.list_customers(limit=4)
            assert [c.id async for c in raw.parse()] == IDS

    with serving(stripe_handler()) as server:
        asyncio.run(main(server.url, server))
    assert [s.headers.get("X-Trace") for s in server.seen[:3]] == ["a", "a", "a"]


def test_a_repeated_cursor_stops_with_a_warning(tmp_path: Path) -> None:
    spec = spec_of(
        {
            "/events": get(
                "listEvents",
                [q("cursor")],
                obj(data=ITEMS, next_cursor={"type": "string", "nullable": True}),
            ),
            "/logs": get(
                "listLogs", [q("offset", "integer"), q("limit", "integer")], obj(data=ITEMS)
            ),
        }
    )
    pkg, _ = generate_package(tmp_path, spec)

    def stuck(seen: Seen, url: str) -> Answer:  # the same page whatever is asked
        return 200, {}, {"data": [{"id": "x"}], "next_cursor": "same"}

    with serving(stuck) as server:
        client = pkg.Client(base_url=server.url, api_key=KEY)
        with pytest.warns(RuntimeWarning, match="list_events.*cursor repeats"):
            assert [e.id for e in client.list_events()] == ["x", "x"]
        assert [s.query.get("cursor") for s in server.seen] == [None, "same"]
        with pytest.warns(RuntimeWarning, match="list_logs.*items repeats"):
            assert [e.id for e in client.list_logs(limit=1)] == ["x", "x"]
        assert [s.query.get("offset") for s in server.seen[2:]] == [None, "1"]


def test_offset_with_total_and_page_numbers_to_an_empty_page(tmp_path: Path) -> None:
    spec = spec_of(
        {
            "/offset": get(
                "listByOffset",
                [q("offset", "integer"), q("limit", "integer")],
                obj(results=ITEMS, total={"type": "integer"}),
            ),
            "/pages": get(
                "listByPage",
                [q("page", "integer"), q("per_page", "integer")],
                obj(items=ITEMS),
            ),
        }
    )
    pkg, _ = generate_package(tmp_path, spec)

    def answer(seen: Seen, url: str) -> Answer:
        if seen.path == "/offset":
            at, limit = int(seen.query.get("offset", 0)), int(seen.query["limit"])
            data = [{"id": i} for i in IDS[at : at + limit]]
            return 200, {}, {"results": data, "total": len(IDS)}
        page, size = int(seen.query.get("page", 1)), int(seen.query["per_page"])
        return 200, {}, {"items": [{"id": i} for i in IDS[(page - 1) * size : page * size]]}

    with serving(answer) as server:
        client = pkg.Client(base_url=server.url, api_key=KEY)
        assert [c.id for c in client.list_by_offset(limit=2)] == IDS
        # the total says when to stop: no request past the end
        assert [s.query.get("offset") for s in server.seen] == [None, "2", "4"]
        server.seen.clear()
        assert [c.id for c in client.list_by_page(per_page=2)] == IDS
        # no total: an empty page ends it
        assert [s.query.get("page") for s in server.seen] == [None, "2", "3", "4"]


# -- GitHub: the Link header ------------------------------------------------------------------

GITHUB = spec_of(
    {
        "/repos/{owner}/{repo}/issues": {
            "parameters": [
                {"name": "owner", "in": "path", "required": True, "schema": {"type": "string"}},
                {"name": "repo", "in": "path", "required": True, "schema": {"type": "string"}},
            ],
            **get(
                "issues/list-for-repo",
                [q("state"), q("per_page", "integer"), q("page", "integer")],
                ITEMS,
                headers={"Link": {"schema": {"type": "string"}}},
            ),
        }
    },
    security=[{"token": []}],
)
GITHUB["components"]["securitySchemes"] = {
    "token": {"type": "apiKey", "in": "header", "name": "X-Token"}
}


def github_handler(foreign: bool = False) -> Handler:
    def answer(seen: Seen, url: str) -> Answer:
        page, size = int(seen.query.get("page", 1)), int(seen.query.get("per_page", 30))
        data = [{"id": i} for i in IDS[(page - 1) * size : page * size]]
        last = (len(IDS) + size - 1) // size
        links = []
        if page < last:  # GitHub's next links name the repository by id, at another path
            base = "https://elsewhere.invalid" if foreign else url
            links.append(
                f'<{base}/repositories/42/issues?per_page={size}&page={page + 1}&state=open>; rel="next"'
            )
            links.append(f'<{url}/repositories/42/issues?per_page={size}&page={last}>; rel="last"')
        return 200, ({"Link": ", ".join(links)} if links else {}), data

    return answer


def test_github_link_header(tmp_path: Path) -> None:
    pkg, _ = generate_package(tmp_path, copy.deepcopy(GITHUB))
    with serving(github_handler()) as server:
        client = pkg.Client(base_url=server.url, api_key=KEY)
        issues = client.issues_list_for_repo(owner="o", repo="r", per_page=2, state="open")
        assert [i.id for i in issues] == IDS
    assert [s.path for s in server.seen] == [
        "/repos/o/r/issues",
        "/repositories/42/issues",
        "/repositories/42/issues",
    ]
    assert [s.query.get("page") for s in server.seen] == [None, "2", "3"]
    assert all(s.query["per_page"] == "2" and s.query["state"] == "open" for s in server.seen)
    assert all(s.headers.get("X-Token") == KEY for s in server.seen)


def test_a_next_link_elsewhere_is_not_followed(tmp_path: Path) -> None:
    pkg, _ = generate_package(tmp_path, copy.deepcopy(GITHUB))
    with serving(github_handler(foreign=True)) as server:
        client = pkg.Client(base_url=server.url, api_key=KEY)
        with pytest.warns(RuntimeWarning, match="not under"):
            found = [i.id for i in client.issues_list_for_repo(owner="o", repo="r", per_page=2)]
    assert found == ["c1", "c2"] and len(server.seen) == 1  # the credential stays home


# -- declared: Speakeasy, Fern ----------------------------------------------------------------


def test_speakeasy_annotated_spec(tmp_path: Path) -> None:
    nested = obj(resultArray=ITEMS)
    offset = get("listOffset", [q("offset", "integer"), q("limit", "integer")], obj(data=nested))
    offset["get"]["x-speakeasy-pagination"] = {
        "type": "offsetLimit",
        "inputs": [
            {"name": "offset", "in": "parameters", "type": "offset"},
            {"name": "limit", "in": "parameters", "type": "limit"},
        ],
        "outputs": {"results": "$.data.resultArray"},
    }
    cursor = get("listCursor", [q("since")], obj(data=nested))
    cursor["get"]["x-speakeasy-pagination"] = {
        "type": "cursor",
        "inputs": [{"name": "since", "in": "parameters", "type": "cursor"}],
        "outputs": {"nextCursor": "$.data.resultArray[-1].id", "results": "$.data.resultArray"},
    }
    pkg, _ = generate_package(tmp_path, spec_of({"/offset": offset, "/cursor": cursor}))

    def answer(seen: Seen, url: str) -> Answer:
        if seen.path == "/offset":
            at, limit = int(seen.query.get("offset", 0)), int(seen.query["limit"])
            ids = IDS[at : at + limit]
        else:
            start = IDS.index(seen.query["since"]) + 1 if "since" in seen.query else 0
            ids = IDS[start : start + 2]
        return 200, {}, {"data": {"resultArray": [{"id": i} for i in ids]}}

    with serving(answer) as server:
        client = pkg.Client(base_url=server.url, api_key=KEY)
        assert [c.id for c in client.list_offset(limit=2)] == IDS
        # the offset grows by the items received; an empty page ends it
        assert [s.query.get("offset") for s in server.seen] == [None, "2", "4", "5"]
        server.seen.clear()
        assert [c.id for c in client.list_cursor()] == IDS
        assert [s.query.get("since") for s in server.seen] == [None, "c2", "c4", "c5"]


def test_fern_annotated_spec(tmp_path: Path) -> None:
    meta = obj(next={"type": "string", "nullable": True})
    cursor = get("listCursor", [q("starting_after")], obj(data=ITEMS, page=meta))
    cursor["get"]["x-fern-pagination"] = True  # the document root's
    numbered = get("listNumbered", [q("page", "integer")], obj(results=ITEMS))
    numbered["get"]["x-fern-pagination"] = {
        "offset": "$request.page",
        "results": "$response.results",
    }
    spec = spec_of(
        {"/cursor": cursor, "/numbered": numbered},
        **{
            "x-fern-pagination": {
                "cursor": "$request.starting_after",
                "next_cursor": "$response.page.next",
                "results": "$response.data",
            }
        },
    )
    pkg, _ = generate_package(tmp_path, spec)

    def answer(seen: Seen, url: str) -> Answer:
        if seen.path == "/cursor":
            start = int(seen.query.get("starting_after", 0))
            nxt = str(start + 2) if start + 2 < len(IDS) else None
            return (
                200,
                {},
                {"data": [{"id": i} for i in IDS[start : start + 2]], "page": {"next": nxt}},
            )
        page = int(seen.query.get("page", 1))
        return 200, {}, {"results": [{"id": i} for i in IDS[(page - 1) * 3 : page * 3]]}

    async def main(url: str) -> tuple[list[str], list[str]]:
        async with pkg.AsyncClient(base_url=url, api_key=KEY) as client:
            a = [c.id async for c in client.list_cursor()]
            b = [c.id async for c in client.list_numbered()]
            return a, b

    with serving(answer) as server:
        assert asyncio.run(main(server.url)) == (IDS, IDS)
    cursors = [s.query.get("starting_after") for s in server.seen if s.path == "/cursor"]
    assert cursors == [None, "2", "4"]
    assert [s.query.get("page") for s in server.seen if s.path == "/numbered"] == [None, "2", "3"]


def test_oagen_annotated_post_pages_through_its_body(tmp_path: Path) -> None:
    body = {
        "type": "object",
        "properties": {"page": {"type": "integer"}, "size": {"type": "integer"}},
    }
    meta = obj(pages={"type": "integer"})
    search = {
        "post": {
            "operationId": "search",
            "requestBody": {"content": {"application/json": {"schema": body}}},
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": obj(hits=ITEMS, meta=meta)}},
                }
            },
            "x-oagen-pagination": {
                "kind": "page",
                "items": "$.hits",
                "param": "page",
                "pages": "$.meta.pages",
                "limit": "size",
                "start": 0,
            },
        }
    }
    pkg, _ = generate_package(tmp_path, spec_of({"/search": search}))

    def answer(seen: Seen, url: str) -> Answer:
        page, size = seen.body.get("page", 0), seen.body["size"]
        hits = [{"id": i} for i in IDS[page * size : (page + 1) * size]]
        return 200, {}, {"hits": hits, "meta": {"pages": -(-len(IDS) // size)}}

    with serving(answer) as server:
        client = pkg.Client(base_url=server.url, api_key=KEY)
        assert [h.id for h in client.search(size=2)] == IDS
    # the page count says when to stop: pages 0, 1, 2 of 3, no empty page asked for
    assert [s.body for s in server.seen] == [
        {"size": 2},
        {"size": 2, "page": 1},
        {"size": 2, "page": 2},
    ]


# -- the CLI's --all --------------------------------------------------------------------------


def test_cli_all_prints_every_item_as_json_lines(shop: ModuleType) -> None:
    with serving(stripe_handler()) as server:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli_of(shop).main(
                [
                    "list",
                    "customers",
                    "--limit",
                    "2",
                    "--all",
                    "--url",
                    server.url,
                    "--api-key",
                    KEY,
                ]
            )
        assert code == 0, err.getvalue()
        lines = out.getvalue().splitlines()
        assert [json.loads(line)["id"] for line in lines] == IDS
        assert json.loads(lines[0]) == {"id": "c1", "object": "customer", "name": "name c1"}
        assert [s.query["limit"] for s in server.seen] == ["2", "2", "2"]
        # without --all: the first page's body, as before
        server.seen.clear()
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli_of(shop).main(
                ["list", "customers", "--limit", "2", "--url", server.url, "--format", "json"]
            )
        assert code == 0 and json.loads(out.getvalue())["has_more"] is True
        assert len(server.seen) == 1
        assert "--all" in _help(shop, ["list", "customers", "--help"])


def test_cli_all_with_format_table_prints_one_table_of_every_item(shop: ModuleType) -> None:
    with serving(stripe_handler()) as server:
        out, err = io.StringIO(), io.StringIO()
        argv = ["list", "customers", "--limit", "2", "--all", "--format", "table"]
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli_of(shop).main([*argv, "--url", server.url, "--api-key", KEY])
        assert code == 0, err.getvalue()
    text = out.getvalue()
    rows = text.splitlines()
    assert rows[0].split() == ["id", "object", "name"]  # one header, then a row per item
    assert [row.split()[0] for row in rows[1:]] == IDS
    assert len(server.seen) == 3 and "{" not in text


def cli_of(pkg: ModuleType) -> ModuleType:
    return importlib.import_module(pkg.__name__ + "._cli")


def _help(pkg: ModuleType, argv: list[str]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        cli_of(pkg).main(argv)
    return out.getvalue()


# -- the corpus: stripe's and openai's own specs ----------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ModuleType]:
    if not SHARED_SPECS.is_dir():
        pytest.skip(f"{SHARED_SPECS} is absent")
    out: dict[str, ModuleType] = {}
    chosen = {
        "stripe": ("corpus/stripe/spec3.yaml", ("GET /v1/customers", "GET /v1/customers/search")),
        "openai": ("corpus/openai/openapi.yaml", ("GET /files", "GET /organization/costs")),
    }
    for name, (path, ops) in chosen.items():
        folder = tmp_path_factory.mktemp(name)
        text = (SHARED_SPECS / path).read_text(encoding="utf-8")
        out[name], _ = generate_package(folder, text, operations=ops)
    return out


def stripe_corpus_handler(seen: Seen, url: str) -> Answer:
    if seen.path == "/v1/customers/search":  # a cursor in `page`, from `next_page`
        at = int(seen.query.get("page", 0))
        ids = IDS[at : at + 2]
        nxt = str(at + 2) if at + 2 < len(IDS) else None
        data = [{"id": i, "object": "customer"} for i in ids]
        body = {"object": "search_result", "data": data, "has_more": nxt is not None}
        return 200, {}, {**body, "next_page": nxt, "url": "/v1/customers/search"}
    return stripe_handler()(seen, url)


@requires_shared()
def test_stripe_corpus_lists(corpus: dict[str, ModuleType]) -> None:
    stripe = corpus["stripe"]
    with serving(stripe_corpus_handler) as server:
        client = stripe.Client(base_url=server.url, api_key=KEY)
        assert [c.id for c in client.get_customers(limit=2)] == IDS
        found = [c.id for c in client.get_customers_search(query="name:'x'", limit=2)]
        assert found == IDS
        search = [s.query.get("page") for s in server.seen if s.path.endswith("search")]
        assert search == [None, "2", "4"]

        async def walk() -> list[str]:
            async with stripe.AsyncClient(base_url=server.url, api_key=KEY) as aclient:
                return [c.id async for c in aclient.get_customers(limit=3)]

        assert asyncio.run(walk()) == IDS


def openai_handler(seen: Seen, url: str) -> Answer:
    if seen.path == "/organization/costs":
        at = int(seen.query.get("page", 0))
        nxt = str(at + 1) if at + 1 < 3 else None
        bucket = {"object": "bucket", "start_time": at, "end_time": at + 1, "results": []}
        return (
            200,
            {},
            {"object": "page", "data": [bucket], "has_more": nxt is not None, "next_page": nxt},
        )
    limit = int(seen.query.get("limit", 10000))
    start = IDS.index(seen.query["after"]) + 1 if "after" in seen.query else 0
    ids = IDS[start : start + limit]
    files = [
        {
            "id": i,
            "object": "file",
            "bytes": 1,
            "created_at": 0,
            "filename": f"{i}.jsonl",
            "purpose": "batch",
            "status": "processed",
        }
        for i in ids
    ]
    more = start + limit < len(IDS)
    body = {
        "object": "list",
        "data": files,
        "first_id": ids[0] if ids else None,
        "last_id": ids[-1] if ids else None,
        "has_more": more,
    }
    return 200, {}, body


@requires_shared()
def test_openai_corpus_lists(corpus: dict[str, ModuleType]) -> None:
    openai = corpus["openai"]
    with serving(openai_handler) as server:
        client = openai.Client(base_url=server.url, api_key=KEY)
        files = list(client.list_files(limit=2))
        assert [f.id for f in files] == IDS and files[0].filename == "c1.jsonl"
        assert [s.query.get("after") for s in server.seen] == [None, "c2", "c4"]
        costs = list(client.usage_costs(start_time=0))
        assert [b.start_time for b in costs] == [0, 1, 2]

        async def walk() -> list[str]:
            async with openai.AsyncClient(base_url=server.url, api_key=KEY) as aclient:
                page = await aclient.list_files(limit=4)
                return [f.id async for f in page]

        assert asyncio.run(walk()) == IDS
    assert all(s.headers.get("Authorization") == f"Bearer {KEY}" for s in server.seen)


def test_no_warning_on_an_ordinary_walk(shop: ModuleType) -> None:
    with serving(stripe_handler()) as server:
        client = shop.Client(base_url=server.url, api_key=KEY)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert len(list(client.list_customers(limit=1))) == len(IDS)
