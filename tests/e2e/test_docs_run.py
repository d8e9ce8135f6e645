"""Docs that run: every example in the generated Markdown docs works as written.

- every ```python block (generated docs, generated README, top-level README) compiles;
- every ```python block of the generated docs runs against Prism (VAST_URL, VAST_API_KEY set);
- every `python -m vastai_api ...` line of a ```sh block runs with --dry-run (and, against
  Prism, for real);
- every curl line names the page's method and path, and replayed against Prism it is accepted.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shlex
import subprocess
import sys
import urllib.parse
from pathlib import Path

import httpx
import prism
import pytest
from conftest import GENERATED, ROOT
from prism import violations

prism_url = prism.prism_url  # the session fixture (tests/prism.py), shared by both modules

PACKAGE = GENERATED / "vastai_api"
GENERATED_DOCS = [*sorted((PACKAGE / "docs").glob("*.md")), PACKAGE / "README.md"]
TOP_README = ROOT / "README.md"
SERVER = "https://console.vast.ai"  # the spec's first server: the default base URL
KEY = "test-key"
SUBPROCESS_TIMEOUT = 60
PYTHON_LANGS = {"python", "py", "python3", "pycon"}
SHELL_LANGS = {"sh", "bash", "shell", "console"}
OP_LINE = re.compile(r"^`(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|TRACE) (/\S*)`\s*$", re.M)
FENCE = re.compile(r"^```([\w+-]*)[^\n]*\n(.*?)^```\s*$", re.M | re.S)


@dataclasses.dataclass(frozen=True)
class Block:
    path: Path
    lang: str
    line: int  # 1-based line of the opening fence
    code: str

    @property
    def id(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"

    @property
    def operation(self) -> tuple[str, str] | None:
        """(method, path) of the page's operation, from its "`POST /path`" line; None if none."""
        match = OP_LINE.search(self.path.read_text(encoding="utf-8"))
        return (match.group(1), match.group(2)) if match else None


@dataclasses.dataclass(frozen=True)
class Line:
    block: Block
    text: str

    @property
    def id(self) -> str:
        return f"{self.block.id}:{self.text[:40]}"


def blocks(path: Path) -> list[Block]:
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    return [
        Block(path, m.group(1).lower(), text.count("\n", 0, m.start()) + 1, m.group(2))
        for m in FENCE.finditer(text)
    ]


def shell_lines(block: Block) -> list[str]:
    """Commands of a shell block: continuation lines joined, prompts and comments dropped."""
    out: list[str] = []
    pending = ""
    for raw in block.code.splitlines():
        line = raw.strip()
        if line.startswith("$ "):
            line = line[2:]
        if pending:
            line = pending + " " + line
            pending = ""
        if line.endswith("\\"):
            pending = line[:-1].rstrip()
            continue
        if line and not line.startswith("#"):
            out.append(line)
    if pending:
        out.append(pending)
    return out


DOC_BLOCKS = [b for path in GENERATED_DOCS for b in blocks(path)]
PYTHON_BLOCKS = [b for b in DOC_BLOCKS if b.lang in PYTHON_LANGS]
TOP_PYTHON_BLOCKS = [b for b in blocks(TOP_README) if b.lang in PYTHON_LANGS]
SHELL = [Line(b, t) for b in DOC_BLOCKS if b.lang in SHELL_LANGS for t in shell_lines(b)]
CLI_LINES = [x for x in SHELL if x.text.startswith("python -m vastai_api")]
CLI_CALLS = [x for x in CLI_LINES if "--help" not in x.text.split()]
CURL_LINES = [x for x in SHELL if x.text.startswith("curl ")]
OPERATION_PAGES = sorted(p for p in (PACKAGE / "docs").glob("*.md") if p.name != "index.md")


def _ids(items: list[Block] | list[Line]) -> list[str]:
    return [item.id for item in items]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VAST_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(GENERATED), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def _expand(text: str, env: dict[str, str]) -> str:
    return re.sub(r"\$\{?(\w+)\}?", lambda m: env.get(m.group(1), m.group(0)), text)


def _cli_argv(line: Line, env: dict[str, str]) -> list[str]:
    argv = [_expand(arg, env) for arg in shlex.split(line.text)]
    assert argv[:3] == ["python", "-m", "vastai_api"]
    return [sys.executable, *argv[1:]]


@dataclasses.dataclass
class Curl:
    method: str
    url: str
    headers: dict[str, str]
    data: str | None


def _parse_curl(line: Line, env: dict[str, str]) -> Curl:
    argv = [_expand(arg, env) for arg in shlex.split(line.text)]
    assert argv[0] == "curl"
    method, url, headers, data = "GET", "", {}, None
    args = iter(argv[1:])
    for arg in args:
        if arg in ("-X", "--request"):
            method = next(args)
        elif arg in ("-H", "--header"):
            name, _, value = next(args).partition(":")
            headers[name.strip()] = value.strip()
        elif arg in ("-d", "--data", "--data-raw", "--data-binary"):
            data = next(args)
            if method == "GET":
                method = "POST"
        elif arg.startswith("-"):
            pytest.fail(f"{line.id}: curl option {arg!r} is not understood by this test")
        else:
            url = arg
    return Curl(method, url, headers, data)


# --------------------------------------------------------------------------------------------
# The docs have examples at all (so that the parametrized tests below cannot pass vacuously)


def test_every_operation_page_has_examples() -> None:
    index = (PACKAGE / "docs" / "index.md").read_text(encoding="utf-8")
    linked = sorted(PACKAGE / "docs" / name for name in re.findall(r"\]\((\w+\.md)\)", index))
    assert linked == OPERATION_PAGES != []
    for page in OPERATION_PAGES:
        page_blocks = blocks(page)
        assert any(b.lang in PYTHON_LANGS for b in page_blocks), page
        assert any(x.block.path == page for x in CLI_CALLS), page
        assert any(x.block.path == page for x in CURL_LINES), page
        assert page_blocks[0].operation is not None, page


# --------------------------------------------------------------------------------------------
# Python


@pytest.mark.parametrize(
    "block", PYTHON_BLOCKS + TOP_PYTHON_BLOCKS, ids=_ids(PYTHON_BLOCKS + TOP_PYTHON_BLOCKS)
)
def test_python_block_compiles(block: Block) -> None:
    compile(block.code, block.id, "exec")


@pytest.mark.contract
@pytest.mark.parametrize("block", PYTHON_BLOCKS, ids=_ids(PYTHON_BLOCKS))
def test_python_block_runs(block: Block, prism_url: str, tmp_path: Path) -> None:
    script = tmp_path / "example.py"
    script.write_text(block.code, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,  # the package comes from PYTHONPATH, as a user's would
        env=_env(VAST_URL=prism_url, VAST_API_KEY=KEY),
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
    )
    assert proc.returncode == 0, f"{block.id}\n{block.code}\n--- stderr ---\n{proc.stderr}"
    if block.operation is not None:
        assert "12345" in proc.stdout, f"{block.id}: printed {proc.stdout!r}"


# --------------------------------------------------------------------------------------------
# Command line


@pytest.mark.parametrize("line", CLI_LINES, ids=_ids(CLI_LINES))
def test_cli_line_dry_run(line: Line) -> None:
    env = _env(VAST_API_KEY=KEY)
    proc = subprocess.run(
        [*_cli_argv(line, env), "--dry-run"],
        cwd=GENERATED,
        env=env,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
    )
    assert proc.returncode == 0, f"{line.text}\n--- stderr ---\n{proc.stderr}"
    if "--help" in line.text.split():
        assert proc.stdout.startswith("usage: ")
        return
    operation = line.block.operation
    assert operation is not None, f"{line.id}: a CLI call on a page without an operation"
    method, path = operation
    first = proc.stdout.splitlines()[0]
    sent_method, url = first.split(" ", 1)
    assert (sent_method, url) == (method, SERVER + path)
    assert "Bearer ***" in proc.stdout
    assert KEY not in proc.stdout + proc.stderr


@pytest.mark.contract
@pytest.mark.parametrize("line", CLI_CALLS, ids=_ids(CLI_CALLS))
def test_cli_line_runs(line: Line, prism_url: str) -> None:
    env = _env(VAST_URL=prism_url, VAST_API_KEY=KEY)
    proc = subprocess.run(
        _cli_argv(line, env),
        cwd=GENERATED,
        env=env,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
    )
    assert proc.returncode == 0, f"{line.text}\n--- stderr ---\n{proc.stderr}"
    assert "12345" in proc.stdout.split()


# --------------------------------------------------------------------------------------------
# curl


@pytest.mark.parametrize("line", CURL_LINES, ids=_ids(CURL_LINES))
def test_curl_line_names_method_and_path(line: Line) -> None:
    curl = _parse_curl(line, _env(VAST_API_KEY=KEY))
    assert line.block.operation == (curl.method, urllib.parse.urlsplit(curl.url).path)
    assert curl.url.startswith(SERVER + "/")
    assert curl.headers.get("Authorization") == f"Bearer {KEY}"  # from "$VAST_API_KEY"
    if curl.data is not None:
        json.loads(curl.data)
        assert curl.headers.get("Content-Type") == "application/json"


@pytest.mark.contract
@pytest.mark.parametrize("line", CURL_LINES, ids=_ids(CURL_LINES))
def test_curl_line_accepted_by_prism(line: Line, prism_url: str) -> None:
    curl = _parse_curl(line, _env(VAST_API_KEY=KEY))
    assert curl.url.startswith(SERVER)
    response = httpx.request(
        curl.method,
        prism_url + curl.url[len(SERVER) :],
        headers=curl.headers,
        content=None if curl.data is None else curl.data.encode("utf-8"),
        timeout=30,
    )
    assert violations(response) == []
    assert response.status_code == 200
    assert response.json()["result"] == 12345


@pytest.mark.parametrize("page", OPERATION_PAGES, ids=[p.name for p in OPERATION_PAGES])
def test_cli_and_curl_examples_send_the_same_body(page: Path) -> None:
    """The page's CLI line (as --dry-run shows it) and its curl line send the same JSON."""
    env = _env(VAST_API_KEY=KEY)
    (cli,) = [x for x in CLI_CALLS if x.block.path == page]
    (curl_line,) = [x for x in CURL_LINES if x.block.path == page]
    proc = subprocess.run(
        [*_cli_argv(cli, env), "--dry-run"],
        cwd=GENERATED,
        env=env,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
    )
    assert proc.returncode == 0, proc.stderr
    # --dry-run prints: request line, headers, blank, body, blank, curl
    sections = proc.stdout.split("\n\n")
    curl = _parse_curl(curl_line, env)
    if curl.data is None:
        assert len(sections) == 2, proc.stdout
    else:
        assert json.loads(sections[1]) == json.loads(curl.data)
