"""Pages of a list operation: every item across pages, the next page fetched only when needed.

Part of the runtime copied verbatim into each generated package (import it through
`_runtime`). An `Op` whose `paging` is set answers with a page instead of the parsed body:

- `Client.<list>(...)` sends the first request and returns a `SyncPage`: iterating it walks
  every item of every page (`for item in client.list_things(limit=100)`); `page.data` holds
  this page's items, `has_next_page()`, `get_next_page()` and `iter_pages()` step by page;
- `AsyncClient.<list>(...)` returns an `AsyncPager` at once: `await` it for the first
  `AsyncPage`, or `async for item in client.list_things()` over every item.

The next request repeats the first one's arguments and per-call options (extra headers and
query, timeout, retries), with only the paging argument changed: a cursor read from the page
(`next`, or the last item's `item_key`), an offset grown by the items received, a page number
grown by one, or the URL of a `Link: <...>; rel="next"` header or of a body field. Iteration
stops on an empty page, a false `has_more`, the total reached, no next cursor or URL; and,
with a `RuntimeWarning`, when the next request would repeat the previous one (a server that
sends back the same cursor, URL or items), so that it never loops forever.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import warnings
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterator,
    Mapping,
)
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, TypeVar, cast
from urllib.parse import parse_qsl, urljoin

import httpx

from ._descriptors import UNSET, Descriptor, decode
from ._validation import CALL_OPTIONS, Arg

if TYPE_CHECKING:
    from ._operation import Op

T = TypeVar("T")
P = ParamSpec("P")
Path = tuple[str | int, ...]  # wire names, and indexes into arrays (-1: the last item)


@dataclasses.dataclass(frozen=True)
class Paging:
    """How an operation's pages follow one another (the generator's `Pagination`)."""

    kind: str  # cursor, offset, page, link, url
    items: Path = ()  # where the items are in the body; (): the body is the array
    item: Descriptor = "any"  # the type of one item
    param: str | None = None  # the argument the next request sets
    next: Path = ()  # cursor: the next cursor; url: the next URL
    item_key: Path = ()  # cursor: the field of the last item that is the next cursor
    before: str | None = None  # cursor: pages backwards from the first item's key
    has_more: Path = ()
    total: Path = ()  # the number of items in all pages
    pages: Path = ()  # the number of pages
    limit: str | None = None  # the page-size argument
    start: int = 1  # page: the first page's number


def dig(value: Any, path: Path) -> Any:
    """The value at `path` in decoded JSON, else None."""
    for step in path:
        if isinstance(step, int):
            if not isinstance(value, list) or not -len(value) <= step < len(value):
                return None
            value = value[step]
        elif isinstance(value, dict):
            value = value.get(step)
        else:
            return None
    return value


_LINK = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]*)*)")
_REL_NEXT = re.compile(r""";\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))""", re.IGNORECASE)


def next_link(header: str | None) -> str | None:
    """The URL of the `rel="next"` link of an RFC 8288 `Link` header, else None."""
    for match in _LINK.finditer(header or ""):
        for rel in _REL_NEXT.finditer(match.group(2)):
            if "next" in (rel.group(1) or rel.group(2) or "").lower().split():
                return match.group(1).strip()
    return None


def split_call(
    args: Any, options: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the operation's arguments, the per-call options) of a call: a generated method's
    `locals()` holds both, and its `self`."""
    scope = dict(args)
    if "self" in scope:
        options = {**options, **{k: scope[k] for k in CALL_OPTIONS if k in scope}}
    plain = {k: v for k, v in scope.items() if k != "self" and k not in CALL_OPTIONS}
    return plain, options


@dataclasses.dataclass(frozen=True)
class _Next:
    """The next page's request: the operation (its path replaced to follow a URL), the
    arguments and the options."""

    op: Op[Any]
    args: dict[str, Any]
    options: dict[str, Any]


class _Page(Generic[T]):
    """One page, and how to ask for the next (shared by the sync and async pages)."""

    def __init__(
        self,
        client: Any,
        op: Op[Any],
        args: dict[str, Any],
        options: dict[str, Any],
        response: httpx.Response,
        seen: int = 0,
        previous: list[Any] | None = None,
    ) -> None:
        self._client, self._op, self._args, self._options = client, op, args, options
        self.response = response
        paging = self._paging
        try:
            self.body: Any = response.json() if response.content else None
        except ValueError:
            self.body = None
        found = dig(self.body, paging.items)
        self.raw_items: list[Any] = found if isinstance(found, list) else []
        self.data: list[T] = [decode(item, paging.item) for item in self.raw_items]
        self._seen = seen + len(self.raw_items)
        self._previous = previous
        self._next: _Next | None = None
        self._decided = False

    @property
    def _paging(self) -> Paging:
        assert self._op.paging is not None
        return self._op.paging

    @property
    def items(self) -> list[T]:
        """This page's items (the same list as `data`)."""
        return self.data

    def has_next_page(self) -> bool:
        """Is there a page after this one? (Decided from this page; nothing is sent.)"""
        if not self._decided:
            self._next, self._decided = self._next_request(), True
        return self._next is not None

    def _next_call(self) -> _Next:
        if not self.has_next_page() or self._next is None:
            raise RuntimeError(
                "no next page: check has_next_page() before get_next_page()"
            )
        return self._next

    def _make(self, call: _Next, response: httpx.Response) -> Any:
        return type(self)(
            self._client,
            call.op,
            call.args,
            call.options,
            response,
            self._seen,
            self.raw_items,
        )

    def _repeats(self, what: str) -> None:
        warnings.warn(
            f"{self._op.name}(): the next page's {what} repeats the previous request's; "
            "stopping (the server keeps sending the same page)",
            RuntimeWarning,
            stacklevel=5,
        )

    def _next_request(self) -> _Next | None:
        paging, body, items = self._paging, self.body, self.raw_items
        if paging.has_more and dig(body, paging.has_more) is False:
            return None
        if paging.kind == "cursor":
            return self._cursor(paging)
        if paging.kind in ("offset", "page"):
            if not items:
                return None
            if self._previous is not None and items == self._previous:
                self._repeats("items")
                return None
            return self._number(paging)
        if paging.kind == "link":
            url = next_link(self.response.headers.get("link"))
        else:
            url = dig(body, paging.next)
        return self._follow(url) if isinstance(url, str) and url else None

    def _cursor(self, paging: Paging) -> _Next | None:
        name = paging.param
        if paging.item_key:
            if not self.raw_items:
                return None
            backwards = (
                paging.before is not None
                and self._args.get(paging.before) not in (UNSET, None)
                and self._args.get(name or "") in (UNSET, None)
            )
            name = paging.before if backwards else name
            item = self.raw_items[0 if backwards else -1]
            value = dig(item, paging.item_key)
        else:
            value = dig(self.body, paging.next)
        if name is None or value is None or value == "" or isinstance(value, bool):
            return None
        if value == self._args.get(name):
            self._repeats("cursor")
            return None
        return _Next(self._op, {**self._args, name: value}, self._options)

    def _number(self, paging: Paging) -> _Next | None:
        name = paging.param or ""
        current = self._args.get(name)
        total = dig(self.body, paging.total) if paging.total else None
        if paging.kind == "offset":
            at = current if isinstance(current, int) else 0
            following = at + len(self.raw_items)
            if isinstance(total, int) and following >= total:
                return None
        else:
            at = current if isinstance(current, int) else paging.start
            following = at + 1
            pages = dig(self.body, paging.pages) if paging.pages else None
            if isinstance(pages, int) and at >= pages - 1 + paging.start:
                return None
            if isinstance(total, int) and self._seen >= total:
                return None
        return _Next(self._op, {**self._args, name: following}, self._options)

    def _follow(self, url: str) -> _Next | None:
        """The request for a next-page URL, sent only under the client's base URL (the
        credentials go with it)."""
        here = str(self.response.request.url)
        target = urljoin(here, url)
        if target == here:
            self._repeats("URL")
            return None
        op, client = self._op, self._client
        explicit = getattr(client, "_explicit_base_url", True)
        base = op.servers[0] if op.servers and not explicit else client.base_url
        base = base.rstrip("/")
        if not target.startswith((base + "/", base + "?")):
            warnings.warn(
                f"{op.name}(): the next page's URL is not under {base}; stopping",
                RuntimeWarning,
                stacklevel=5,
            )
            return None
        # the URL's path and query replace the arguments' (headers and a body stay)
        keep = tuple(a for a in op.args if a.location not in ("path", "query"))
        args = {a.name: self._args[a.name] for a in keep if a.name in self._args}
        path, _, query = target[len(base) :].partition("?")
        pairs = parse_qsl(query, keep_blank_values=True)
        given = tuple(
            Arg(f"_next_{i}", k, "query", "str") for i, (k, _) in enumerate(pairs)
        )
        args.update((f"_next_{i}", v) for i, (_, v) in enumerate(pairs))
        follow = dataclasses.replace(op, path=path, args=keep + given)
        return _Next(follow, args, self._options)


def _send(client: Any, call: _Next) -> Any:
    """`client._send(...)` for the next page: a response, or (async) an awaitable of one."""
    o = call.options
    return client._send(
        call.op,
        call.args,
        o.get("extra_headers"),
        o.get("extra_query"),
        o.get("timeout", UNSET),
        o.get("max_retries"),
    )


class SyncPage(_Page[T]):
    """A page of a list (`Client`): iterate it for every item of this and the next pages."""

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page.data

    def iter_pages(self) -> Iterator[SyncPage[T]]:
        """This page and each next one, fetched as the iteration reaches it."""
        page: SyncPage[T] = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = page.get_next_page()

    def get_next_page(self) -> SyncPage[T]:
        """Fetch the next page (RuntimeError when there is none: see `has_next_page()`)."""
        call = self._next_call()
        return cast(SyncPage[T], self._make(call, _send(self._client, call)))

    def __repr__(self) -> str:
        return f"<SyncPage {self._op.name}: {len(self.data)} items>"


class AsyncPage(_Page[T]):
    """A page of a list (`AsyncClient`): `async for` over every item of this and the next
    pages."""

    def __aiter__(self) -> AsyncIterator[T]:
        return self._all_items()

    async def _all_items(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page.data:
                yield item

    async def iter_pages(self) -> AsyncIterator[AsyncPage[T]]:
        """This page and each next one, fetched as the iteration reaches it."""
        page: AsyncPage[T] = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = await page.get_next_page()

    async def get_next_page(self) -> AsyncPage[T]:
        """Fetch the next page (RuntimeError when there is none: see `has_next_page()`)."""
        call = self._next_call()
        response = await _send(self._client, call)
        return cast(AsyncPage[T], self._make(call, response))

    def __repr__(self) -> str:
        return f"<AsyncPage {self._op.name}: {len(self.data)} items>"


class AsyncPager(Generic[T]):
    """What an `AsyncClient` list method returns, before anything is sent: `await` it for
    the first page, or `async for item in ...` over every item of every page."""

    def __init__(self, first: Callable[[], Awaitable[AsyncPage[T]]]) -> None:
        self._first = first

    def __await__(self) -> Generator[Any, None, AsyncPage[T]]:
        return self._first().__await__()

    def __aiter__(self) -> AsyncIterator[T]:
        return self._all_items()

    async def _all_items(self) -> AsyncIterator[T]:
        page = await self._first()
        async for item in page:
            yield item


def page_of(
    client: Any,
    op: Op[Any],
    args: Any,
    scope: Mapping[str, Any],
    page: type[_Page[Any]],
) -> Callable[[httpx.Response], Any] | None:
    """For a paginated `op`: the page a response of this call makes, else None. `scope`
    holds the call's options by name (the `locals()` of the client's `_call`)."""
    if op.paging is None:
        return None
    options = {k: scope[k] for k in CALL_OPTIONS if k in scope}
    plain, chosen = split_call(args, options)
    return functools.partial(page, client, op, plain, chosen)


def async_paged_method(
    method: Callable[Concatenate[Any, P], SyncPage[T]],
) -> Callable[Concatenate[Any, P], AsyncPager[T]]:
    """`Client.<list>` as a method of `AsyncClient`: the same arguments, an `AsyncPager`
    returned without awaiting (the request goes out when it is awaited or iterated)."""

    @functools.wraps(method)
    def call(self: Any, /, *args: P.args, **kwargs: P.kwargs) -> AsyncPager[T]:
        def first() -> Awaitable[AsyncPage[T]]:
            return cast(Awaitable[AsyncPage[T]], method(self, *args, **kwargs))

        return AsyncPager(first)

    return call
