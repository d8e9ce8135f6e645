"""The `_ops.py` renderer: one runtime `Op` descriptor per operation.

Each operation becomes `NAME: Op[<result>] = Op(...)`: its path, arguments (`Arg(...)`, those
several operations share written once as private constants), result and error descriptors,
body, security, paging (`Paging(...)`); `SCHEMES` holds the security schemes. Generated
methods pass these descriptors to the runtime, which does the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator import contract, layout
from generator.cache import Memo, key_of
from generator.media import accept_header
from generator.model import Api, Operation, Pagination, Parameter, SecurityScheme
from generator.render import lazy
from generator.render.common import Keys, Settings, memo_code
from generator.render.operations import OpView
from generator.render.text import pyrepr
from generator.render.types import Imports, descriptor


@dataclass(frozen=True)
class OpsContext:
    """`_ops.py`: the security schemes, shared argument descriptors and one `Op` per operation."""

    imports: str
    scheme_entries: tuple[str, ...]
    shared_arg_lines: tuple[str, ...]
    op_codes: tuple[str, ...]
    typed_models: bool = False  # `models` imported for type checkers only



def arg_code(p: Parameter, imports: Imports) -> str:
    """The runtime `Arg(...)` descriptor of a parameter."""
    parts = [
        pyrepr(p.name),
        pyrepr(p.wire),
        pyrepr(p.location),
        descriptor(p.type, imports),
    ]
    if p.required and not p.fixed:
        parts.append("required=True")
    if p.style:
        parts.append(f"style={pyrepr(p.style)}")
    if p.explode is not None:
        parts.append(f"explode={pyrepr(p.explode)}")
    for key in contract.CONSTRAINTS:
        value = getattr(p.constraints, key)
        if value is not None:
            parts.append(f"{key}={pyrepr(value)}")
    imports.add("._runtime", "Arg")
    return "Arg(" + ", ".join(parts) + ")"


def share_args(codes: list[tuple[Parameter, str]]) -> list[tuple[str, str]]:
    """(constant, `Arg(...)` code) for each argument descriptor used by several operations.

    APIs repeat their path and paging parameters across operations (Twilio: 1,672 arguments,
    588 distinct); each such descriptor is written once, as a private module constant.
    """
    uses: dict[str, int] = {}
    for _, code in codes:
        uses[code] = uses.get(code, 0) + 1
    taken: set[str] = set()
    done: set[str] = set()
    out: list[tuple[str, str]] = []
    for param, code in codes:
        if uses[code] < 2 or code in done:
            continue
        done.add(code)
        base = "_" + param.name.upper().strip("_")
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}_{n}"
        taken.add(name)
        out.append((name, code))
    return out


def paging_code(p: Pagination, imports: Imports) -> str:
    """The runtime `Paging(...)` descriptor of a paginated operation (defaults left out)."""
    parts = [pyrepr(p.kind)]
    if p.items:
        parts.append(f"items={pyrepr(p.items)}")
    item = descriptor(p.item, imports)
    if item != '"any"':
        parts.append(f"item={item}")
    for key in (
        "param",
        "next",
        "item_key",
        "before",
        "has_more",
        "total",
        "pages",
        "limit",
    ):
        value = getattr(p, key)
        if value:
            parts.append(f"{key}={pyrepr(value)}")
    if p.start != 1:
        parts.append(f"start={p.start}")
    imports.add("._runtime", "Paging")
    return "Paging(" + ", ".join(parts) + ")"


def op_code(
    view: OpView, args: list[str], imports: Imports, brackets: bool = False
) -> str:
    """The operation's `NAME: Op[<result>] = Op(...)` statement, laid out."""
    op: Operation = view.op
    errors = {}
    for response in op.responses:
        if not response.status.startswith("2") and response.type is not None:
            errors[response.status] = descriptor(response.type, imports)
    parts = [
        f"name={pyrepr(op.name)}",
        f"method={pyrepr(op.method)}",
        f"path={pyrepr(op.path)}",
    ]
    if args:
        parts.append("args=(" + ", ".join(args) + ("," if len(args) == 1 else "") + ")")
    if view.result != "None":
        parts.append(f"result={view.result}")
    if view.result_kind != "json":
        parts.append(f"result_kind={pyrepr(view.result_kind)}")
    if errors:
        parts.append(
            "errors={" + ", ".join(f"{pyrepr(k)}: {v}" for k, v in errors.items()) + "}"
        )
    if op.body is not None:
        parts.append(f"body={pyrepr(op.body.kind)}")
        parts.append(f"content_type={pyrepr(op.body.content_type)}")
        if op.body.flattened:
            parts.append("flattened=True")
        if op.body.part_types:
            parts.append(f"part_types={pyrepr(dict(op.body.part_types))}")
        if op.body.kind == "multipart" and brackets:
            parts.append("array_brackets=True")
    if view.events != "None":
        parts.append(f"events={view.events}")
    accept = accept_header(op)
    if accept != "application/json":
        parts.append(f"accept={pyrepr(accept)}")
    if op.security:
        parts.append(f"security={pyrepr(op.security)}")
    if op.servers:
        parts.append(f"servers={pyrepr(op.servers)}")
    if op.deprecated:
        parts.append("deprecated=True")
    if view.paging is not None:
        parts.append(f"paging={paging_code(view.paging, imports)}")
    imports.update([view.returns_imports, view.result_imports]).add("._runtime", "Op")
    source = "Op(" + ", ".join(parts) + ")"
    head = f"{view.const}: Op[{view.returns}] = "
    if len(head) + 1 <= layout.LINE:
        return layout.statement(head, source, "", 0, optional_parens=True)
    # not even `... = (` fits: black breaks the annotation's subscript
    inner = layout.lines("", layout.parse(view.returns), "", 1)
    call = layout.lines("] = ", layout.parse(source), "", 0)
    return "\n".join([f"{view.const}: Op[", *inner, *call])


def scheme_code(scheme: SecurityScheme) -> str:
    """The runtime `Scheme(...)` of a security scheme (its credential argument, token URL)."""
    parts = [pyrepr(scheme.kind), pyrepr(scheme.location), pyrepr(scheme.wire)]
    if scheme.arg != "api_key":
        parts.append(pyrepr(scheme.arg))
    if scheme.token_url:
        parts.append(f"token_url={pyrepr(scheme.token_url)}")
    return "Scheme(" + ", ".join(parts) + ")"


def _memo_op_code(
    view: OpView,
    args: list[str],
    imports: Imports,
    brackets: bool,
    keys: Keys | None,
    memo: Memo | None,
) -> str:
    """`op_code`, from `memo` when its inputs (the view, the arguments' code) are unchanged."""
    key = key_of("op", keys.view(view), args, brackets) if keys is not None else ""
    return memo_code(
        memo if keys is not None else None,
        key,
        imports,
        lambda own: op_code(view, args, own, brackets),
    )


def context(
    api: Api,
    settings: Settings,
    views: list[OpView],
    memo: Memo | None = None,
    keys: Keys | None = None,
) -> OpsContext:
    """The `_ops.py` template's context: every descriptor, laid out, and their imports."""
    imports = Imports().add("._runtime", "Scheme")
    codes = [(p.param, arg_code(p.param, imports)) for v in views for p in v.params]
    shared = share_args(codes)
    names = {code: name for name, code in shared}
    op_codes, i = [], 0
    for view in views:
        args = [names.get(code, code) for _, code in codes[i : i + len(view.params)]]
        i += len(view.params)
        brackets = settings.multipart_array_brackets
        op_codes.append(_memo_op_code(view, args, imports, brackets, keys, memo))
    typed = lazy.typed_models(imports)
    return OpsContext(
        typed_models=typed,
        imports=imports.block(),
        scheme_entries=tuple(
            layout.statement(
                f"{pyrepr(scheme.key)}: ",
                scheme_code(scheme),
                ",",
                1,
            )
            for scheme in api.security_schemes
        ),
        shared_arg_lines=tuple(
            layout.statement(f"{name} = ", code, "", 0, optional_parens=True)
            for name, code in shared
        ),
        op_codes=tuple(op_codes),
    )
