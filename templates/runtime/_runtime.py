"""The runtime's one entry point: what generated code imports, gathered from its modules.

Copied verbatim into each generated package (it is not rendered), like the modules it
gathers; together they need only httpx. The generated modules are thin: `models.py` declares
dataclasses over `Model`, `_ops.py` one `Op` per operation, `client.py` methods that call
`_call`. Each concern has a short module of its own:

- `_errors`: the exceptions, and which one a status raises;
- `_descriptors`: `UNSET`, type descriptors, `Model` and `OpenEnum`, JSON encode/decode;
- `_validation`: `Arg` and the client-side checks of arguments;
- `_retry`: the retry policy (retried statuses, idempotent methods, backoff, `Retry-After`);
- `_operation`: `Op`, `Scheme`, raw responses, parsed bodies and status errors;
- `_request`: arguments placed into a request, timeouts, redaction of credentials;
- `_auth`: credentials per security scheme, OAuth2 client-credentials tokens;
- `_servers`: the base URL from the declared servers, their variables, `environment=`;
- `_http`: `SyncClient` and `AsyncClient`;
- `_lazy`: the client's methods and the models, loaded when first used;
- `_pagination`: `Paging`, and the pages a list operation answers with.

`__all__` lists every name gathered here: its first part is what the package root re-exports
(the generator reads that list), the rest what generated modules import from here besides.
"""

from __future__ import annotations

from ._auth import Credentials, TokenSource
from ._descriptors import (
    UNSET,
    Descriptor,
    F,
    Model,
    OpenEnum,
    Unset,
    _resolve,
    const,
    decode,
    encode,
    enum_of,
    fixed_enum,
    list_of,
    map_of,
    model,
    nullable,
    union,
)
from ._encoding import FileInput
from ._errors import (
    ApiConnectionError,
    ApiError,
    ApiStatusError,
    ApiTimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    MissingCredentialsError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestValidationError,
    UnprocessableEntityError,
    error_class,
)
from ._http import (
    AsyncClient,
    BaseClient,
    SyncClient,
)
from ._lazy import (
    Groups,
    Lazy,
    Wrapped,
    module_attribute,
    package_attribute,
)
from ._operation import (
    Op,
    RawResponse,
    Scheme,
    async_method,
    async_raw_method,
    make_status_error,
    raw_method,
)
from ._pagination import (
    AsyncPage,
    AsyncPager,
    Paging,
    SyncPage,
    async_paged_method,
)
from ._request import (
    DEFAULT_TIMEOUT,
    Timeout,
    redact_headers,
    redact_url,
)
from ._retry import (
    IDEMPOTENT,
    RETRY_STATUSES,
    backoff,
    parse_retry_after,
    should_retry_status,
)
from ._servers import Server, ServerVariable, server_url
from ._streaming import (
    AsyncStream,
    AsyncStreamedCall,
    Stream,
    StreamedCall,
    StreamedResponse,
    async_streaming_method,
    streaming_method,
)
from ._validation import (
    CALL_OPTIONS,
    CONSTRAINTS,
    Arg,
    validate,
)

# what the package root re-exports
__all__ = [
    "UNSET",
    "ApiConnectionError",
    "ApiError",
    "ApiStatusError",
    "ApiTimeoutError",
    "AsyncPage",
    "AsyncPager",
    "AsyncStream",
    "AsyncStreamedCall",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "FileInput",
    "InternalServerError",
    "MissingCredentialsError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RawResponse",
    "RequestValidationError",
    "Stream",
    "StreamedCall",
    "StreamedResponse",
    "SyncPage",
    "UnprocessableEntityError",
    "Unset",
]
# ... and what the generated modules import from here besides
__all__ += [
    "CALL_OPTIONS",
    "CONSTRAINTS",
    "DEFAULT_TIMEOUT",
    "IDEMPOTENT",
    "RETRY_STATUSES",
    "Arg",
    "AsyncClient",
    "BaseClient",
    "Credentials",
    "Descriptor",
    "F",
    "Groups",
    "Lazy",
    "Model",
    "Op",
    "OpenEnum",
    "Paging",
    "Scheme",
    "Server",
    "ServerVariable",
    "SyncClient",
    "Timeout",
    "TokenSource",
    "Wrapped",
    "_resolve",
    "async_method",
    "async_paged_method",
    "async_raw_method",
    "async_streaming_method",
    "backoff",
    "const",
    "decode",
    "encode",
    "enum_of",
    "error_class",
    "fixed_enum",
    "list_of",
    "make_status_error",
    "map_of",
    "model",
    "module_attribute",
    "nullable",
    "package_attribute",
    "parse_retry_after",
    "raw_method",
    "redact_headers",
    "redact_url",
    "server_url",
    "should_retry_status",
    "streaming_method",
    "union",
    "validate",
]
