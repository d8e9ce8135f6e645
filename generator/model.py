"""The intermediate representation (IR): what an API *is*, independent of any spec syntax.

`build.build_api` walks a resolved document once and returns an `Api`; renderers read only this.
Everything is a frozen dataclass; types are a closed union (`TypeRef`) rather than strings or
flags; every name here (`name`) is already a valid, collision-free Python identifier chosen by
`naming`, and every `wire` name is the exact spelling used on the wire. No raw spec dicts and no
output settings (package name, env vars) live here: those belong to rendering.

    Api ── operations: Operation ── params: Parameter ── type: TypeRef
       │                        ├─ body: Body
       │                        └─ responses: Response ── type: TypeRef
       ├─ models: Model ── fields: Field ── type: TypeRef
       ├─ enums: Enum ── members: EnumMember
       ├─ security_schemes: SecurityScheme
       └─ server_entries: Server ── variables: ServerVariable
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypeAlias

JsonScalar: TypeAlias = "str | int | float | bool | None"


class _Missing:
    """Marks 'no default / no example' (distinct from a JSON null)."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()

# The Python type of a scalar. `format` is the spec's format, except that a `decimal` sent as a
# JSON number has format "number" (as a JSON string: "decimal"); `bytes` are raw ("binary")
# or base64 text in JSON ("byte").
PrimitiveKind = Literal[
    "str", "int", "float", "bool", "bytes", "datetime", "date", "time", "uuid", "decimal"
]


@dataclass(frozen=True)
class Primitive:
    kind: PrimitiveKind
    format: str | None = None


@dataclass(frozen=True)
class ListOf:
    item: TypeRef


@dataclass(frozen=True)
class MapOf:
    value: TypeRef


@dataclass(frozen=True)
class ModelRef:
    name: str


@dataclass(frozen=True)
class EnumRef:
    name: str


@dataclass(frozen=True)
class UnionOf:
    items: tuple[TypeRef, ...]
    discriminator: str | None = None
    mapping: tuple[tuple[str, str], ...] = ()  # (wire value, model name)


@dataclass(frozen=True)
class Const:
    value: JsonScalar


@dataclass(frozen=True)
class Nullable:
    inner: TypeRef


@dataclass(frozen=True)
class AnyType:
    pass


TypeRef: TypeAlias = (
    "Primitive | ListOf | MapOf | ModelRef | EnumRef | UnionOf | Const | Nullable | AnyType"
)


@dataclass(frozen=True)
class Constraints:
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    min_items: int | None = None
    max_items: int | None = None


@dataclass(frozen=True)
class Field:
    name: str
    wire: str
    type: TypeRef
    required: bool
    description: str = ""
    default: object = MISSING
    example: object = MISSING
    constraints: Constraints = Constraints()
    read_only: bool = False
    write_only: bool = False
    deprecated: bool = False
    # The schema admits one value (a `const`, or a one-value enum that is required or a union's
    # tag), held in `default`: never needed from the user, always sent.
    fixed: bool = False


@dataclass(frozen=True)
class Model:
    name: str
    fields: tuple[Field, ...]
    description: str = ""
    base: str | None = None  # allOf with one named parent: the generated class subclasses it
    additional: TypeRef | None = None  # additionalProperties, when typed
    pointer: str = ""
    # A `discriminator` on a base others extend: decoding through it picks the subclass the
    # property's value names, through `mapping` (value -> model name, every known value).
    discriminator: str | None = None
    mapping: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class EnumMember:
    name: str
    value: str | int


@dataclass(frozen=True)
class Enum:
    name: str
    kind: Literal["str", "int"]
    members: tuple[EnumMember, ...]
    description: str = ""
    pointer: str = ""


ParamLocation = Literal["path", "query", "header", "cookie", "body"]


@dataclass(frozen=True)
class Parameter:
    name: str
    wire: str
    location: ParamLocation
    type: TypeRef
    required: bool
    description: str = ""
    default: object = MISSING
    example: object = MISSING
    constraints: Constraints = Constraints()
    style: str | None = None
    explode: bool | None = None
    deprecated: bool = False
    fixed: bool = False  # as `Field.fixed`: a body property that always has its `default`


BodyKind = Literal["json", "form", "multipart", "binary", "text"]


@dataclass(frozen=True)
class Body:
    content_type: str
    kind: BodyKind
    required: bool
    flattened: bool  # object properties became keyword parameters (location "body")
    type: TypeRef | None = None  # when not flattened: the type of the single `body` parameter
    description: str = ""
    # `encoding.<property>.contentType` of a form or multipart body: (wire name, media type)
    part_types: tuple[tuple[str, str], ...] = ()


ResponseKind = Literal["json", "text", "binary", "empty"]


@dataclass(frozen=True)
class Response:
    status: str  # "200", "4XX" or "default"
    description: str
    kind: ResponseKind
    type: TypeRef | None
    content_type: str | None = None
    media_types: tuple[str, ...] = ()  # every media type of its `content`, in the spec's order
    # it declares `text/event-stream`: the type of each event's data (AnyType when not given)
    events: TypeRef | None = None


@dataclass(frozen=True)
class SecurityScheme:
    key: str  # the name under components.securitySchemes
    kind: Literal["bearer", "basic", "api_key", "oauth2"]  # oauth2: a client-credentials flow
    location: Literal["header", "query", "cookie"] = "header"
    wire: str = "Authorization"
    description: str = ""
    arg: str = "api_key"  # the client's constructor argument holding its credential
    token_url: str = ""  # oauth2: the token endpoint of its client-credentials flow


@dataclass(frozen=True)
class ServerVariable:
    name: str  # the constructor argument
    wire: str  # the `{name}` in the server's URL
    default: str
    enum: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Server:
    url: str  # as declared, `{variables}` left in
    description: str = ""
    variables: tuple[ServerVariable, ...] = ()


@dataclass(frozen=True)
class CliSpec:
    """How an operation's command reads its arguments (`cli_usage.py`)."""

    usage: str = ""  # the documented usage line, shown in --help
    positional: tuple[tuple[str, str], ...] = ()  # (parameter name, required|optional|rest)
    aliases: tuple[tuple[str, ...], ...] = ()  # more command words for the same operation
    defaults: tuple[tuple[str, object], ...] = ()  # parameter name -> x-cli-default


PagingKind = Literal["cursor", "offset", "page", "link", "url"]
PathStep: TypeAlias = "str | int"  # a property's wire name, or an index into an array (-1: last)


@dataclass(frozen=True)
class Pagination:
    """How a list operation's pages follow one another (`pagination.py` decides).

    `kind`: `cursor` (the next request sets `param` to a value read from the page: at `next`,
    or the last item's `item_key`), `offset` (`param` grows by the items received), `page`
    (`param` grows by one), `link` (the `Link: <...>; rel="next"` header's URL), `url` (the URL
    at `next`). Paths start at the response body and use wire names; `items` () is the body.
    """

    rule: str  # how it was found, for the summary: cursor, next-cursor, offset, page, link, url
    source: str  # "detected", or the extension that declared it
    kind: PagingKind
    items: tuple[PathStep, ...]
    item: TypeRef  # the type of one item
    param: str | None = None  # the argument (Python name) the next request sets
    next: tuple[PathStep, ...] = ()
    item_key: tuple[str, ...] = ()  # cursor: the last item's field that is the next cursor
    before: str | None = None  # cursor: the backwards argument (stripe's `ending_before`)
    has_more: tuple[PathStep, ...] = ()  # a boolean: false on the last page
    total: tuple[PathStep, ...] = ()  # the total number of items
    pages: tuple[PathStep, ...] = ()  # the total number of pages
    limit: str | None = None  # the page-size argument
    start: int = 1  # page: the number of the first page


@dataclass(frozen=True)
class Operation:
    name: str
    cli_words: tuple[str, ...]
    method: str  # upper case
    path: str
    summary: str
    description: str
    params: tuple[Parameter, ...]
    body: Body | None
    responses: tuple[Response, ...]
    security: tuple[tuple[str, ...], ...]  # alternatives, each a set of scheme keys; () = none
    tags: tuple[str, ...] = ()
    deprecated: bool = False
    servers: tuple[str, ...] = ()
    operation_id: str | None = None
    pointer: str = ""
    cli: CliSpec = CliSpec()
    pagination: Pagination | None = None

    @property
    def success(self) -> Response | None:
        for response in self.responses:
            if response.status.startswith("2"):
                return response
        return None


@dataclass(frozen=True)
class Api:
    title: str
    version: str
    description: str
    servers: tuple[str, ...]
    operations: tuple[Operation, ...]
    models: tuple[Model, ...]
    enums: tuple[Enum, ...]
    security_schemes: tuple[SecurityScheme, ...] = field(default=())
    # the declared servers with their variables (`servers` holds their URLs, defaults filled in)
    server_entries: tuple[Server, ...] = field(default=())
