"""Docs examples pass the client's own validation (issue 12, item 9).

Every operation page of a few corpus specs is generated once per spec; each page's Python
examples (sync and asyncio) run against an `httpx.MockTransport` that accepts everything (so only
the client's own checks can fail them), and its CLI line runs with `--dry-run` (which
validates the arguments and builds the request without sending it) and sends the JSON body its
curl line sends. Skipped, with a message,
where `../shared` is absent.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from conftest import SHARED_SPECS, import_from, requires_shared

from generator import pipeline
from generator.build import build_api
from generator.config import Config
from generator.load import load
from generator.render import render
from generator.resolve import resolve
from generator.select import drop_unused_inline

pytestmark = [
    pytest.mark.corpus,
    requires_shared(),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),  # deprecated operations warn
]

SPECS = {
    "openai": "corpus/openai/openapi.yaml",
    "stripe": "corpus/stripe/spec3.yaml",
    "spotify": "corpus/spotify/fixed-spotify-open-api.yml",
    "digitalocean": "corpus/digitalocean/specification/DigitalOcean-public.v2.yaml",
    "vastai": "vastai/vastai-full.yaml",
}
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
URL = "https://api.example.test"


def _accept_everything(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={})


@pytest.fixture(scope="module", params=sorted(SPECS))
def package(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[ModuleType, Path]]:
    spec = SHARED_SPECS / SPECS[request.param]
    if not spec.is_file():
        pytest.skip(f"{spec} is absent")
    out = tmp_path_factory.mktemp(request.param)
    name = f"docs_{request.param}"
    yield _generate_unformatted(spec, out, name), out / name


def _generate_unformatted(spec: Path, out: Path, name: str) -> ModuleType:
    """The package of `spec`, as rendered (black and the validator skipped: this test reads
    the docs and runs the code, and the other corpus tests check those stages)."""
    loaded = load(spec)
    api, _ = build_api(resolve(loaded.data, spec, loaded.source), loaded.source)
    api = drop_unused_inline(api)
    config = Config(spec=str(spec), output=str(out), package=name)
    settings = pipeline.settings_for(api, config, spec.name, loaded.sha256)
    for path, text in render(api, settings).items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_text(text, encoding="utf-8")
    return import_from(out, name)


def _pages(folder: Path) -> list[Path]:
    return sorted(p for p in (folder / "docs").glob("*.md") if p.name != "index.md")


def _blocks(page: Path, lang: str) -> list[str]:
    return [m.group(2) for m in FENCE.finditer(page.read_text(encoding="utf-8")) if m.group(1) == lang]


@contextlib.contextmanager
def _mocked_clients(pkg: ModuleType) -> Iterator[None]:
    """`Client` and `AsyncClient` of `pkg` send to a transport that accepts everything."""
    sync, asynchronous = pkg.Client, pkg.AsyncClient

    class Client(sync):  # type: ignore[misc, valid-type]
        def __init__(self, **kwargs: Any) -> None:
            transport = httpx.MockTransport(_accept_everything)
            kwargs.setdefault("base_url", URL)
            kwargs.setdefault("api_key", "test-key")
            super().__init__(http_client=httpx.Client(transport=transport), **kwargs)

    class AsyncClient(asynchronous):  # type: ignore[misc, valid-type]
        def __init__(self, **kwargs: Any) -> None:
            transport = httpx.MockTransport(_accept_everything)
            kwargs.setdefault("base_url", URL)
            kwargs.setdefault("api_key", "test-key")
            super().__init__(http_client=httpx.AsyncClient(transport=transport), **kwargs)

    pkg.Client, pkg.AsyncClient = Client, AsyncClient
    try:
        yield
    finally:
        pkg.Client, pkg.AsyncClient = sync, asynchronous


def test_every_python_example_passes_validation(package: tuple[ModuleType, Path]) -> None:
    pkg, folder = package
    pages = _pages(folder)
    assert pages
    failures: list[str] = []
    with _mocked_clients(pkg):
        for page in pages:
            for code in _blocks(page, "python")[:2]:  # sync, then asyncio
                try:
                    with contextlib.redirect_stdout(io.StringIO()):
                        exec(compile(code, page.name, "exec"), {"__name__": "example"})
                except pkg.RequestValidationError as exc:
                    failures.append(f"{page.name}: {exc}")
                except Exception as exc:  # noqa: BLE001 (any failure of an example is reported)
                    failures.append(f"{page.name}: {type(exc).__name__}: {exc}")
    assert not failures, f"{len(failures)} of {len(pages)} pages:\n" + "\n".join(failures[:20])


@contextlib.contextmanager
def _only_command(cli: ModuleType, argv: list[str]) -> Iterator[None]:
    """The CLI with only the command `argv` names: its parser is built per call, and the
    whole command tree of a large API per page would make this test quadratic."""
    commands = cli.COMMANDS
    named = [c for c in commands if tuple(argv[: len(c.words)]) == tuple(c.words)]
    if named:
        cli.COMMANDS = [max(named, key=lambda c: len(c.words))]
    try:
        yield
    finally:
        cli.COMMANDS = commands


def test_every_cli_example_passes_validation(
    package: tuple[ModuleType, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    pkg, folder = package
    cli = importlib.import_module(pkg.__name__ + "._cli")
    failures: list[str] = []
    for page in _pages(folder):
        (line,) = [
            x for x in _blocks(page, "sh")[0].splitlines() if x.startswith("python -m ")
        ]
        argv = shlex.split(line)[3:]
        with _only_command(cli, argv):
            code = cli.main(["--url", URL, "--api-key", "test-key", "--dry-run", *argv])
        out, err = capsys.readouterr()
        if code != 0:
            failures.append(f"{page.name}: {line}\n    {err.strip()}")
            continue
        curl = shlex.split(_blocks(page, "sh")[1].strip())
        if "--data" in curl and "Content-Type: application/json" in curl:
            sent = json.loads(out.split("\n\n")[1])  # request line and headers, body, curl
            if sent != json.loads(curl[curl.index("--data") + 1]):
                failures.append(f"{page.name}: the CLI sends {sent}, curl another body")
    assert not failures, f"{len(failures)} pages:\n" + "\n".join(failures[:20])
