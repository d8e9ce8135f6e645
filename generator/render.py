"""Render: the IR plus output settings in, `{relative path: text}` out (not yet formatted).

All computing happens here, in Python: type annotations, runtime type descriptors, imports,
signatures, docstrings, examples. The Jinja templates (one per output file, `StrictUndefined`)
only lay the results out. Spec text reaches Python source only through two filters: `pyrepr`
(`repr()`, for literals) and `docstring` (escaping for triple-quoted strings); it never goes into
a `#` comment or an identifier (identifiers come from `naming`).
"""

from __future__ import annotations

import ast
import json
import re
import shlex
import textwrap
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from generator import __version__, layout, modules, naming
from generator.cache import cache_dir
from generator.errors import error_class_name
from generator.model import (
    MISSING,
    AnyType,
    Api,
    Const,
    EnumMember,
    EnumRef,
    ListOf,
    MapOf,
    ModelRef,
    Nullable,
    Operation,
    Parameter,
    Primitive,
    TypeRef,
    UnionOf,
)
from generator.modules import import_key, isort_key, natural
from generator.templates import templates_dir


@dataclass(frozen=True)
class Settings:
    """Output settings: what the IR deliberately does not hold."""

    package: str
    api_key_env: str
    base_url_env: str
    cli_name: str
    spec_name: str
    spec_sha256: str
    docs: bool = True
    emit_pyproject: bool = False
    timeout: float = 60.0
    connect_timeout: float = 5.0
    max_retries: int = 2
    retry_after_cap: float = 60.0


# -- text filters ----------------------------------------------------------------------------

_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029\ud800-\udfff]")


def docstring(text: str, depth: int = 0) -> str:
    """Text made safe for the inside of a triple-quoted docstring at `depth` indent levels.

    Long lines are wrapped to fit 88 columns at that indent; the result is laid out as black
    lays out docstrings (`layout.docstring_body`), so black finds nothing to change.
    """
    width = max(88 - 4 * depth, 40)
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    lines: list[str] = []
    for line in text.split("\n"):
        line = line.rstrip()
        if len(line) > width and not line.lstrip().startswith(("|", "```", "    ")):
            indent = line[: len(line) - len(line.lstrip())]
            lines.extend(
                textwrap.wrap(
                    line,
                    width,
                    subsequent_indent=indent,
                    break_long_words=False,
                    break_on_hyphens=False,
                )
                or [""]
            )
        else:
            lines.append(line)
    out = "\n".join(lines).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    out = _UNSAFE.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"
        ),
        out,
    )
    if out.endswith('"'):
        out = out[:-1] + '\\"'
    return layout.docstring_body(out, depth)


def pyrepr(value: Any) -> str:
    """A Python literal for JSON-like data, built from `repr()` and written as black writes it.

    Strings get double quotes where that adds no escapes (black's rule: black is much faster
    on text it would not change); containers are spelled out item by item; anything else is
    `repr()`.
    """
    if isinstance(value, str):
        literal = repr(value)
        if literal[0] == "'" and value.count('"') <= value.count("'"):
            return '"' + _requote(literal[1:-1]) + '"'  # no more escapes than repr's: black's
        return literal
    if isinstance(value, dict):
        return "{" + ", ".join(f"{pyrepr(k)}: {pyrepr(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(pyrepr(v) for v in value) + "]"
    if isinstance(value, tuple):
        items = [pyrepr(v) for v in value]
        return "(" + items[0] + ",)" if len(items) == 1 else "(" + ", ".join(items) + ")"
    if isinstance(value, float):
        return repr(value).replace("e+", "e")  # black drops the exponent's plus sign
    return repr(value)


def _requote(body: str) -> str:
    """The body of a `'...'` literal rewritten for `"..."`: `\\'` unescaped, `"` escaped."""
    if "\\" not in body:
        return body.replace('"', '\\"')
    out: list[str] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            following = body[i + 1]
            out.append("'" if following == "'" else char + following)
            i += 2
            continue
        out.append('\\"' if char == '"' else char)
        i += 1
    return "".join(out)


def classdef(name: str, bases: list[str]) -> str:
    """Filter: a top-level `class Name(bases):` line, laid out as black would."""
    return layout.statement("class ", f"{name}({', '.join(bases)})", ":", 0)


def enum_member(member: EnumMember) -> str:
    """Filter: an enum member's line in its class body."""
    return layout.statement(f"{member.name} = ", pyrepr(member.value), "", 1, optional_parens=True)


def method_alias(name: str, wrapper: str, owner: str) -> str:
    """Filter: `name = rt.<wrapper>(<owner>.name)` in a client class body."""
    return layout.statement(f"{name} = ", f"{wrapper}({owner}.{name})", "", 1, optional_parens=True)


def one_line(text: str, limit: int = 120) -> str:
    """First sentence-ish line of a description, for summaries and tables."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def md(text: str) -> str:
    """Spec text for Markdown table cells: one line, pipes escaped."""
    return one_line(text, 300).replace("|", "\\|")


@cache
def static_text(name: str) -> str:
    """A runtime module copied verbatim into every package (read once per process)."""
    return (templates_dir() / "runtime" / name).read_text(encoding="utf-8")


@cache
def runtime_exports() -> tuple[str, ...]:
    """What the package root re-exports from `_runtime`: that module's own `__all__`."""
    text = static_text("_runtime.py")
    start = text.index("\n__all__ = [") + len("\n__all__ = ")
    names = ast.literal_eval(text[start : text.index("]", start) + 1])
    return tuple(str(name) for name in names)


# ... and from `client`
_CLIENT_EXPORTS = ("AsyncClient", "AsyncClientWithRawResponse", "Client", "ClientWithRawResponse")


# -- types -----------------------------------------------------------------------------------


def annotation(
    t: TypeRef, prefix: str = "", *, loose_enums: bool = False, api: Api | None = None
) -> str:
    """The Python annotation for a type (`prefix` qualifies model and enum names)."""
    match t:
        case Primitive(kind=kind):
            return kind
        case ListOf(item=item):
            return f"list[{annotation(item, prefix, loose_enums=loose_enums, api=api)}]"
        case MapOf(value=value):
            return f"dict[str, {annotation(value, prefix, loose_enums=loose_enums, api=api)}]"
        case ModelRef(name=name):
            return prefix + name
        case EnumRef(name=name):
            if loose_enums and api is not None:
                values = next(e for e in api.enums if e.name == name).members
                literals = ", ".join(pyrepr(m.value) for m in values)
                return f"{prefix}{name} | Literal[{literals}]"
            return prefix + name
        case UnionOf(items=items):
            parts: list[str] = []
            for item in items:
                text = annotation(item, prefix, loose_enums=loose_enums, api=api)
                if text not in parts:
                    parts.append(text)
            return " | ".join(parts)
        case Const(value=value):
            return f"Literal[{pyrepr(value)}]" if value is not None else "None"
        case Nullable(inner=inner):
            text = annotation(inner, prefix, loose_enums=loose_enums, api=api)
            return text if text == "Any" else f"{text} | None"
        case AnyType():
            return "Any"
    raise TypeError(t)  # pragma: no cover


def spec_code(t: TypeRef) -> str:
    """The runtime type descriptor (see `_runtime.TypeSpec`) as Python source."""
    match t:
        case Primitive(kind=kind):
            return pyrepr(kind)
        case ListOf(item=item):
            return f"rt.list_of({spec_code(item)})"
        case MapOf(value=value):
            return f"rt.map_of({spec_code(value)})"
        case ModelRef(name=name):
            return f"rt.model({pyrepr(name)})"
        case EnumRef(name=name):
            return f"rt.enum_of({pyrepr(name)})"
        case UnionOf(items=items, discriminator=disc, mapping=mapping):
            args = [spec_code(i) for i in items]
            if disc is not None:
                args.append(f"discriminator={pyrepr(disc)}")
                if mapping:
                    args.append(f"mapping={pyrepr(dict(mapping))}")
            return "rt.union(" + ", ".join(args) + ")"
        case Const(value=value):
            return f"rt.const({pyrepr(value)})"
        case Nullable(inner=inner):
            return f"rt.nullable({spec_code(inner)})"
        case AnyType():
            return '"any"'
    raise TypeError(t)  # pragma: no cover


def type_label(t: TypeRef) -> str:
    """A short human name for docs: `number`, `list of string`, `Error`, ..."""
    match t:
        case Primitive(kind=kind, format=fmt):
            base = {
                "str": "string",
                "int": "integer",
                "float": "number",
                "bool": "boolean",
                "bytes": "binary",
            }[kind]
            return f"{base} ({fmt})" if fmt and kind != "bytes" else base
        case ListOf(item=item):
            return f"list of {type_label(item)}"
        case MapOf(value=value):
            return f"map of {type_label(value)}"
        case ModelRef(name=name) | EnumRef(name=name):
            return name
        case UnionOf(items=items):
            return " or ".join(type_label(i) for i in items)
        case Const(value=value):
            return json.dumps(value)
        case Nullable(inner=inner):
            return f"{type_label(inner)} or null"
    return "any"


def _uses(t: TypeRef, kind: type) -> bool:
    match t:
        case ListOf(item=inner) | MapOf(value=inner) | Nullable(inner=inner):
            return _uses(inner, kind)
        case UnionOf(items=items):
            return any(_uses(i, kind) for i in items)
    return isinstance(t, kind)


# -- views -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParamView:
    param: Parameter
    annotation: str
    default: str  # "" for required
    arg_code: str  # the runtime `Arg(...)` expression
    flag_code: str  # the CLI `Flag(...)` expression, "" if nothing to say
    doc: str

    @property
    def code(self) -> str:
        """The parameter's line(s) in a method signature, laid out as black would."""
        return layout.annotated(self.param.name, self.annotation, self.default, 2, ",")


@dataclass
class OpView:
    op: Operation
    const: str
    returns: str
    result_spec: str
    params: list[ParamView]
    docstring: str
    python_example: str
    async_example: str
    cli_example: str
    curl_example: str
    errors: list[tuple[str, str, str, str]]  # status, description, exception, body type
    doc_file: str

    @property
    def command_code(self) -> str:
        """The CLI's `Command(...)` expression for this operation (one line; see `layout`)."""
        parts = [pyrepr(self.op.cli_words), pyrepr(self.op.name), f"ops.{self.const}"]
        flags = [p.flag_code for p in self.params if p.flag_code]
        if flags:
            parts.append("flags=(" + ", ".join(flags) + ("," if len(flags) == 1 else "") + ")")
        return "Command(" + ", ".join(parts) + ")"

    @property
    def command_entry(self) -> str:
        """The `Command(...)` entry of the CLI's command table, laid out."""
        return layout.statement("", self.command_code, ",", 1)

    @property
    def returns_line(self) -> str:
        """The `) -> <type>:` line that closes the method's signature."""
        return layout.statement(") -> ", self.returns, ":", 1, optional_parens=True, returns=True)

    @property
    def body_line(self) -> str:
        """The method's body: one call of the runtime with the method's arguments."""
        call = f"self._call(ops.{self.const}, locals())"
        return layout.statement("return ", call, "", 2, optional_parens=True)

    op_code: str = ""
    result_kind: str = "json"


@dataclass
class GroupView:
    """The operations of one tag: a module of their own, so an edit stays local to it."""

    module: str
    cls: str
    tag: str
    ops: list[OpView]
    imports: dict[str, bool]


def group_views(ops: list[OpView]) -> list[GroupView]:
    """Operations grouped by their first tag, in the spec's order."""
    by_tag: dict[str, list[OpView]] = {}
    for view in ops:
        by_tag.setdefault(view.op.tags[0] if view.op.tags else "", []).append(view)
    modules, classes = naming.Namer(), naming.Namer(sep="")
    out = []
    for tag, members in by_tag.items():
        module = modules.claim(
            "_client_" + (naming.snake(tag, fallback="default") if tag else "default")
        )
        cls = classes.claim(
            naming.pascal(tag, fallback="Default") + "Operations" if tag else "Operations"
        )
        annotations = [p.annotation for v in members for p in v.params] + [
            v.returns for v in members
        ]
        imports = {
            "Any": any("Any" in a for a in annotations),
            "Literal": any("Literal[" in a for a in annotations),
            "models": any("models." in a for a in annotations),
        }
        out.append(GroupView(module, cls, tag, members, imports))
    return out


@dataclass
class Views:
    api: Api
    settings: Settings
    ops: list[OpView] = field(default_factory=list)
    shared_args: list[tuple[str, str]] = field(default_factory=list)  # (constant, Arg code)


def _example_value(p: Parameter) -> Any:
    if p.example is not MISSING:
        return p.example
    if p.default is not MISSING:
        return p.default
    match p.type:
        case Primitive(kind="int"):
            return 1
        case Primitive(kind="float"):
            return 1.5
        case Primitive(kind="bool"):
            return True
        case Primitive(kind="str"):
            return "string"
    return None


def _arg_code(p: Parameter) -> str:
    parts = [pyrepr(p.name), pyrepr(p.wire), pyrepr(p.location), spec_code(p.type)]
    if p.required:
        parts.append("required=True")
    if p.style:
        parts.append(f"style={pyrepr(p.style)}")
    if p.explode is not None:
        parts.append(f"explode={pyrepr(p.explode)}")
    c = p.constraints
    for key in (
        "minimum",
        "maximum",
        "exclusive_minimum",
        "exclusive_maximum",
        "min_length",
        "max_length",
        "pattern",
        "min_items",
        "max_items",
    ):
        value = getattr(c, key)
        if value is not None:
            parts.append(f"{key}={pyrepr(value)}")
    return "Arg(" + ", ".join(parts) + ")"


def _flag_code(p: Parameter) -> str:
    parts = [pyrepr(p.name)]  # the help text is read from the method's docstring
    if p.default is not MISSING:
        parts.append(f"default={pyrepr(p.default)}")
    if p.example is not MISSING:
        parts.append(f"example={pyrepr(p.example)}")
    return "Flag(" + ", ".join(parts) + ")" if len(parts) > 1 else ""


def _returns(op: Operation) -> tuple[str, str, str]:
    """(annotation, result descriptor, result kind) of an operation's success response."""
    success = op.success
    if success is None or success.kind == "empty":
        return "None", "None", "empty"
    if success.kind == "text":
        return "str", "None", "text"
    if success.kind == "binary":
        return "bytes", "None", "binary"
    if success.type is None:
        return "Any", "None", "json"
    return annotation(success.type, "models."), spec_code(success.type), "json"


def build_views(api: Api, settings: Settings) -> Views:
    views = Views(api, settings)
    for op in api.operations:
        params = [
            ParamView(
                param=p,
                annotation=annotation(p.type, "models.", loose_enums=True, api=api)
                + ("" if p.required else " | Unset"),
                default="" if p.required else "UNSET",
                arg_code=_arg_code(p),
                flag_code=_flag_code(p),
                doc=p.description,
            )
            for p in op.params
        ]
        returns, result_spec, result_kind = _returns(op)
        required = [p for p in op.params if p.required]
        shown = required or [p for p in op.params if p.example is not MISSING][:2]
        call_args = ", ".join(f"{p.name}={pyrepr(_example_value(p))}" for p in shown)
        python_example = (
            f"from {settings.package} import Client\n\n"
            f"with Client() as client:  # API key from ${settings.api_key_env}\n"
            f"    result = client.{op.name}({call_args})\n"
            f"    print(result)\n"
        )
        async_example = (
            f"import asyncio\n\nfrom {settings.package} import AsyncClient\n\n\n"
            f"async def main() -> None:\n"
            f"    async with AsyncClient() as client:\n"
            f"        result = await client.{op.name}({call_args})\n"
            f"        print(result)\n\n\n"
            f"asyncio.run(main())\n"
        )
        cli_parts = ["python", "-m", settings.package, *op.cli_words]
        for p in shown:
            value = _example_value(p)
            text = json.dumps(value) if not isinstance(value, str) else value
            if p.location == "path" and p.required:
                cli_parts.append(text)
            elif isinstance(value, bool):
                cli_parts.append(f"--{p.wire}" if value else f"--no-{p.wire}")
            else:
                cli_parts += [f"--{p.wire}", text]
        cli_example = " ".join(shlex.quote(x) for x in cli_parts)
        body = {p.wire: _example_value(p) for p in shown if p.location == "body"}
        server = (op.servers or api.servers or ("https://api.example.com",))[0].rstrip("/")
        path = op.path
        for p in shown:
            if p.location == "path":
                path = path.replace("{" + p.wire + "}", str(_example_value(p)))
        query = "&".join(f"{p.wire}={_example_value(p)}" for p in shown if p.location == "query")
        curl = ["curl", "-X", op.method, server + path + (f"?{query}" if query else "")]
        if op.security:
            curl += ["-H", f"Authorization: Bearer ${settings.api_key_env}"]
        if body:
            curl += ["-H", "Content-Type: application/json", "--data", json.dumps(body)]
        curl_example = " ".join(
            shlex.quote(x) if not x.startswith("Authorization") else f'"{x}"' for x in curl
        )
        errors = []
        for response in op.responses:
            if response.status.startswith("2"):
                continue
            if response.status.isdigit():
                exc = error_class_name(int(response.status))
            else:
                exc = "InternalServerError" if response.status.startswith("5") else "ApiStatusError"
            body_type = type_label(response.type) if response.type is not None else response.kind
            errors.append((response.status, response.description, exc, body_type))
        doc_lines = [op.summary or op.name.replace("_", " ")]
        if op.description and op.description.strip() != op.summary.strip():
            doc_lines += ["", op.description]
        doc_lines += ["", f"`{op.method} {op.path}`"]
        documented = [p for p in op.params if p.description]
        if documented:
            doc_lines += ["", "Args:"]
            for p in documented:  # Google style: continuation lines indented once more
                doc_lines += textwrap.wrap(
                    f"{p.name}: {one_line(p.description, 300)}",
                    80,
                    initial_indent="    ",
                    subsequent_indent="        ",
                    break_long_words=False,
                    break_on_hyphens=False,
                )
        if errors:
            doc_lines += ["", "Raises:"]
            for status, description, exc, _ in errors:
                doc_lines.append(f"    {exc}: {status} {one_line(description, 100)}")
        const = op.name.upper()  # op names are unique lower-case identifiers
        views.ops.append(
            OpView(
                op=op,
                const=const,
                returns=returns,
                result_spec=result_spec,
                params=params,
                docstring=docstring("\n".join(doc_lines), 2),
                python_example=python_example,
                async_example=async_example,
                cli_example=cli_example,
                curl_example=curl_example,
                errors=errors,
                doc_file=f"{op.name}.md",
                result_kind=result_kind,
            )
        )
    views.shared_args = _share_args(views.ops)
    shared = {code: name for name, code in views.shared_args}
    for view in views.ops:
        view.op_code = _op_code(
            view.op,
            view.const,
            view.returns,
            view.result_spec,
            view.result_kind,
            [shared.get(p.arg_code, p.arg_code) for p in view.params],
        )
    return views


def _share_args(ops: list[OpView]) -> list[tuple[str, str]]:
    """(constant, `Arg(...)` code) for each argument descriptor used by several operations.

    APIs repeat their path and paging parameters across operations (Twilio: 1,672 arguments,
    588 distinct); each such descriptor is written once, as a private module constant.
    """
    uses: dict[str, int] = {}
    for view in ops:
        for p in view.params:
            uses[p.arg_code] = uses.get(p.arg_code, 0) + 1
    taken: set[str] = set()
    done: set[str] = set()
    out: list[tuple[str, str]] = []
    for view in ops:
        for p in view.params:
            code = p.arg_code
            if uses[code] < 2 or code in done:
                continue
            done.add(code)
            base = "_" + p.param.name.upper().strip("_")
            name, n = base, 1
            while name in taken:
                n += 1
                name = f"{base}_{n}"
            taken.add(name)
            out.append((name, code))
    return out


def _op_code(
    op: Operation,
    const: str,
    returns: str,
    result_spec: str,
    result_kind: str,
    args: list[str],
) -> str:
    errors = {}
    for response in op.responses:
        if not response.status.startswith("2") and response.type is not None:
            errors[response.status] = spec_code(response.type)
    parts = [f"name={pyrepr(op.name)}", f"method={pyrepr(op.method)}", f"path={pyrepr(op.path)}"]
    if args:
        one = "," if len(args) == 1 else ""
        parts.append("args=(" + ", ".join(args) + one + ")")
    if result_spec != "None":
        parts.append(f"result={result_spec}")
    if result_kind != "json":
        parts.append(f"result_kind={pyrepr(result_kind)}")
    if errors:
        parts.append("errors={" + ", ".join(f"{pyrepr(k)}: {v}" for k, v in errors.items()) + "}")
    if op.body is not None:
        parts.append(f"body={pyrepr(op.body.kind)}")
        parts.append(f"content_type={pyrepr(op.body.content_type)}")
        if op.body.flattened:
            parts.append("flattened=True")
    if op.security:
        parts.append(f"security={pyrepr(op.security)}")
    if op.servers:
        parts.append(f"servers={pyrepr(op.servers)}")
    if op.deprecated:
        parts.append("deprecated=True")
    source = "Op(" + ", ".join(parts) + ")"
    head = f"{const}: Op[{returns}] = "
    if len(head) + 1 <= layout.LINE:
        return layout.statement(head, source, "", 0, optional_parens=True)
    # not even `... = (` fits: black breaks the annotation's subscript
    inner = layout.lines("", layout.parse(returns), "", 1)
    call = layout.lines("] = ", layout.parse(source), "", 0)
    return "\n".join([f"{const}: Op[", *inner, *call])


# -- the stage -------------------------------------------------------------------------------


@cache
def environment() -> jinja2.Environment:
    folder = cache_dir()
    bytecode = None
    if folder is not None:  # compiled templates, checked against each template's source
        try:
            (folder / "jinja").mkdir(parents=True, exist_ok=True)
            bytecode = jinja2.FileSystemBytecodeCache(str(folder / "jinja"))
        except OSError:
            bytecode = None
    env = jinja2.Environment(
        bytecode_cache=bytecode,
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["pyrepr"] = pyrepr
    env.filters["docstring"] = docstring
    env.filters["classdef"] = classdef
    env.filters["enum_member"] = enum_member
    env.filters["method_alias"] = method_alias
    env.globals["layout_import"] = layout.import_from
    env.filters["one_line"] = one_line
    env.filters["md"] = md
    env.filters["annotation"] = annotation
    env.filters["spec_code"] = spec_code
    env.filters["type_label"] = type_label
    env.filters["json"] = lambda v: json.dumps(v, ensure_ascii=False)
    return env


def header(settings: Settings, comment: str = "#") -> str:
    """The provenance header of every generated file."""
    name = _UNSAFE.sub("?", Path(settings.spec_name).name)
    name = name if len(name) <= 40 else name[:39] + "…"
    first = f"Generated by oagen {__version__} from {name}; do not edit (run `oagen generate`)."
    second = f"Spec sha256: {settings.spec_sha256}"
    if comment == "toml":
        return f"# {first}\n# {second}\n"
    if comment == "#":
        # E501: spec strings (descriptions, defaults) can be longer than any line limit.
        return f"# {first}\n# {second}\n# ruff: noqa: E501, RUF100\n"
    return f"<!-- {first.replace('--', '- -')}\n     {second} -->\n"


# Every module of templates/runtime/ but its __init__ is copied verbatim into each package.
STATIC_FILES = tuple(
    sorted(p.name for p in (templates_dir() / "runtime").glob("*.py") if p.name != "__init__.py")
)


def render(api: Api, settings: Settings) -> dict[str, str]:
    """Every output file, keyed by its path relative to the output folder."""
    env = environment()
    views = build_views(api, settings)
    pkg = settings.package
    client_params = [p for v in views.ops for p in v.params]
    model_fields = {m.name: _model_fields(m, api) for m in api.models}
    ctx: dict[str, Any] = {
        "api": api,
        "cli_ops": sorted(views.ops, key=lambda v: v.op.cli_words),
        "s": settings,
        "views": views,
        "ops": views.ops,
        "version": __version__,
        "client_imports": {
            "Any": any("Any" in p.annotation for p in client_params)
            or any("Any" in v.returns for v in views.ops),
            "Literal": any("Literal[" in p.annotation for p in client_params),
        },
        "model_fields": model_fields,
        "model_wire": {n: [f for f in fs if f.wire != f.name] for n, fs in model_fields.items()},
        "model_specs": {n: [f for f in fs if f.spec] for n, fs in model_fields.items()},
        "missing": MISSING,
        "init_all": sorted(
            [
                *runtime_exports(),
                *_CLIENT_EXPORTS,
                "models",
                *(e.name for e in api.enums),
                *(m.name for m in api.models),
            ],
            key=isort_key,
        ),
        "runtime_exports": sorted(runtime_exports(), key=import_key),
        "client_exports": sorted(_CLIENT_EXPORTS, key=import_key),
        "client_import": layout.import_from(".client", sorted(_CLIENT_EXPORTS, key=import_key)),
        "scheme_entries": [
            layout.statement(
                f"{pyrepr(scheme.key)}: ",
                f"Scheme({pyrepr(scheme.kind)}, {pyrepr(scheme.location)}, {pyrepr(scheme.wire)})",
                ",",
                1,
            )
            for scheme in api.security_schemes
        ],
        "shared_arg_lines": [
            layout.statement(f"{name} = ", code, "", 0, optional_parens=True)
            for name, code in views.shared_args
        ],
        "model_imports": sorted(
            [e.name for e in api.enums] + [m.name for m in api.models], key=import_key
        ),
        "ops_imports": {
            "Any": any(": Op[Any]" in v.op_code for v in views.ops),
            "rt": any("rt." in v.op_code for v in views.ops)
            or any("rt." in code for _, code in views.shared_args),
            "models": any("models." in v.op_code for v in views.ops),
            "Arg": any("Arg(" in v.op_code for v in views.ops) or bool(views.shared_args),
            "Flag": any(p.flag_code for p in client_params),
        },
    }
    groups = group_views(views.ops)
    ctx["groups"] = groups
    ctx["client_bases"] = [*(g.cls for g in groups), "rt.SyncClient"]
    ctx["groups_by_module"] = sorted(groups, key=lambda g: natural(g.module))
    out: dict[str, str] = {}
    py = header(settings)
    group_template = env.get_template("package/client_group.py.jinja")
    for group in groups:
        out[f"{pkg}/{group.module}.py"] = py + group_template.render(ctx, g=group)
    model_modules = modules.plan(api, model_fields)
    module_template = env.get_template("package/models.py.jinja")
    for module in model_modules:
        out[f"{pkg}/{module.name}.py"] = py + module_template.render(ctx, mod=module)
    if model_modules and model_modules[0].name != "models":
        out[f"{pkg}/models.py"] = py + env.get_template("package/models_index.py.jinja").render(
            ctx, index=modules.index(model_modules)
        )
    for name, template in (
        ("__init__.py", "package/__init__.py.jinja"),
        ("__main__.py", "package/__main__.py.jinja"),
        ("_ops.py", "package/_ops.py.jinja"),
        ("client.py", "package/client.py.jinja"),
        ("_cli.py", "package/_cli.py.jinja"),
    ):
        out[f"{pkg}/{name}"] = py + env.get_template(template).render(ctx)
    for name in STATIC_FILES:
        out[f"{pkg}/{name}"] = py + static_text(name)
    out[f"{pkg}/py.typed"] = ""
    mdh = header(settings, "md")
    out[f"{pkg}/README.md"] = mdh + env.get_template("docs/README.md.jinja").render(ctx)
    if settings.emit_pyproject:
        out["pyproject.toml"] = header(settings, "toml") + env.get_template(
            "package/pyproject.toml.jinja"
        ).render(
            ctx,
            dist=_distribution(settings),
            script=_script_name(settings),
            pep440=_pep440(api.version),
        )
    if settings.docs:
        out[f"{pkg}/docs/index.md"] = mdh + env.get_template("docs/index.md.jinja").render(ctx)
        page = env.get_template("docs/operation.md.jinja")
        for view in views.ops:
            out[f"{pkg}/docs/{view.doc_file}"] = mdh + page.render(ctx, v=view)
    return out


_PEP440 = re.compile(r"^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$")
_SCRIPT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def _pep440(version: str) -> str:
    """info.version when it is a valid package version, else 0.0.0 (the API's own is free text)."""
    return version if _PEP440.match(version) else "0.0.0"


def _distribution(settings: Settings) -> str:
    return settings.package.replace("_", "-")


def _script_name(settings: Settings) -> str:
    name = settings.cli_name
    return name if _SCRIPT.match(name) else _distribution(settings)


@dataclass(frozen=True)
class FieldView:
    name: str
    annotation: str
    default: str
    spec: str  # the runtime descriptor as code, when the annotation cannot say it; else ""
    wire: str
    required: bool
    doc: str

    @property
    def code(self) -> str:
        """The field's line(s) in its dataclass body."""
        return layout.annotated(self.name, self.annotation, self.default, 1)

    @property
    def spec_entry(self) -> str:
        """The field's entry in the class's `_specs` dict."""
        return layout.statement(f"{pyrepr(self.name)}: ", self.spec, ",", 2)


def annotation_says_all(t: TypeRef) -> bool:
    """Can the runtime derive `t`'s descriptor from its annotation alone?

    Not for a discriminated union (the discriminator is not in the annotation) nor for a
    `const` whose value is not a plain `Literal` value (a JSON object, array or float).
    """
    match t:
        case UnionOf(items=items, discriminator=disc):
            return disc is None and all(annotation_says_all(i) for i in items)
        case Const(value=value):
            return value is None or isinstance(value, str | int)
        case ListOf(item=inner) | MapOf(value=inner) | Nullable(inner=inner):
            return annotation_says_all(inner)
    return True


def _model_fields(m: Any, api: Api) -> list[FieldView]:
    out = []
    for f in m.fields:
        ann = annotation(f.type)
        default = ""
        if not f.required:
            ann += " | Unset"
            default = "UNSET"
        spec = "" if annotation_says_all(f.type) else spec_code(f.type)
        out.append(FieldView(f.name, ann, default, spec, f.wire, f.required, f.description))
    return out
