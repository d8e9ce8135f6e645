"""Corpus: every spec under ../shared/specs generates a package that imports and runs its CLI.

Each OpenAPI 3.x spec in corpus/manifest.json, plus vastai/vastai-full.yaml, is generated with
the real `oagen` command into a temp folder; the package is then imported and `python -m <pkg>
--help` run in a subprocess that sees only the standard library, httpx (and httpx's own
dependencies) and the generated folder, never the venv's site-packages. Swagger 2.0 documents
must be refused with exit 2. A representative subset (vastai-full and four small/medium specs,
among them a multi-file one) must also pass `mypy --strict`, `black --check` and `ruff check`.
Skipped, with a message, when ../shared is absent (a user's clone).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import CORPUS, SHARED_SPECS, corpus_entries, requires_shared, run_oagen

from generator import naming

pytestmark = [pytest.mark.corpus, requires_shared()]

VASTAI_FULL = SHARED_SPECS / "vastai" / "vastai-full.yaml"
BIN = Path(sys.executable).parent
# Specs that also get mypy --strict, black and ruff (small and medium ones, one multi-file).
CHECKED = (
    "vastai-full",
    "oai-petstore-expanded",
    "oai-tictactoe",
    "swagger-petstore3",
    "redocly-starter",
)
RUNTIME_DEPS = (
    "httpx",
    "httpcore",
    "h11",
    "anyio",
    "sniffio",
    "idna",
    "certifi",
    "typing_extensions",
)


def _entries() -> list[tuple[str, Path, bool]]:
    """(name, entry file, is Swagger 2.0) for every spec of the corpus, plus vastai-full."""
    if not CORPUS.is_dir():
        return []
    return [*corpus_entries(), ("vastai-full", VASTAI_FULL, False)]


ENTRIES = _entries()
OPENAPI = [(name, entry) for name, entry, swagger in ENTRIES if not swagger]
SWAGGER = [(name, entry) for name, entry, swagger in ENTRIES if swagger]


def package_name(spec: str) -> str:
    return "corpus_" + re.sub(r"\W", "_", spec)


oagen = run_oagen  # in the project folder


@pytest.fixture(scope="session")
def runtime_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A folder holding only httpx and its dependencies (links into the venv)."""
    folder = tmp_path_factory.mktemp("runtime-deps")
    for name in RUNTIME_DEPS:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            continue
        origin = Path(spec.origin)
        source = origin.parent if origin.name == "__init__.py" else origin
        (folder / source.name).symlink_to(source)
    return str(folder)


def run_isolated(code: list[str], cwd: Path, runtime: str) -> subprocess.CompletedProcess[str]:
    """Run python with no site-packages: only the stdlib, `runtime` (httpx) and `cwd`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = os.pathsep.join([str(cwd), runtime])
    return subprocess.run(
        [sys.executable, "-S", *code], capture_output=True, text=True, cwd=cwd, env=env, timeout=300
    )


class Generated:
    def __init__(
        self,
        name: str,
        out: Path,
        package: str,
        result: subprocess.CompletedProcess[str],
        seconds: float,
    ):
        self.name, self.out, self.package, self.result, self.seconds = (
            name,
            out,
            package,
            result,
            seconds,
        )


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Generated]]:
    """Generated packages, made on first use and kept for the module (the subset is reused)."""
    cache: dict[str, Generated] = {}
    base = tmp_path_factory.mktemp("corpus")

    class Lazy(dict[str, Generated]):
        def __missing__(self, name: str) -> Generated:
            entry = dict(OPENAPI)[name]
            out = base / name
            package = package_name(name)
            start = time.perf_counter()
            result = oagen("generate", str(entry), "-o", str(out), "--package", package)
            cache[name] = Generated(name, out, package, result, time.perf_counter() - start)
            self[name] = cache[name]
            return cache[name]

    yield Lazy()


@pytest.mark.parametrize(("name", "entry"), OPENAPI, ids=[n for n, _ in OPENAPI])
def test_generates_imports_and_runs_help(
    name: str, entry: Path, generated: dict[str, Generated], runtime_path: str
) -> None:
    gen = generated[name]
    assert gen.result.returncode == 0, f"{name}: oagen failed\n{gen.result.stderr[-5000:]}"
    warnings = [line for line in gen.result.stderr.splitlines() if " warning: " in line]
    print(f"{name}: generated in {gen.seconds:.1f}s with {len(warnings)} warning(s)")
    for line in warnings:  # every finding that did not stop generation carries a location
        assert re.match(r"^.+:(\d+: )?(#\S*: )?warning: ", line), line
    done = run_isolated(
        [
            "-c",
            f"import {gen.package} as p, {gen.package}.client, {gen.package}._cli\n"
            # every model's fields are read from its annotations: all must evaluate
            "for c in vars(p.models).values():\n"
            "    if isinstance(c, type) and issubclass(c, p._runtime.Model):\n"
            "        c._all_fields()\n",
        ],
        gen.out,
        runtime_path,
    )
    assert done.returncode == 0, f"{name}: import failed\n{done.stderr[-5000:]}"
    helped = run_isolated(["-m", gen.package, "--help"], gen.out, runtime_path)
    assert helped.returncode == 0, f"{name}: --help failed\n{helped.stderr[-5000:]}"
    assert "usage:" in helped.stdout


@pytest.mark.parametrize(("name", "entry"), SWAGGER, ids=[n for n, _ in SWAGGER])
def test_swagger_2_is_refused(name: str, entry: Path, tmp_path: Path) -> None:
    result = oagen("generate", str(entry), "-o", str(tmp_path / "out"), "--package", "swagger")
    assert result.returncode == 2
    assert "Swagger 2.0 is not supported" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(not VASTAI_FULL.is_file(), reason="vastai-full.yaml is absent")
def test_vastai_every_cli_usage_line_is_a_command(
    generated: dict[str, Generated], runtime_path: str
) -> None:
    gen = generated["vastai-full"]
    assert gen.result.returncode == 0, gen.result.stderr[-5000:]
    text = VASTAI_FULL.read_text(encoding="utf-8")
    usages = re.findall(r"CLI Usage:\s*`vastai ([^`]+)`", text)
    assert len(usages) >= 88
    commands: list[list[str]] = []
    for usage in usages:
        words = []
        for token in usage.split():
            if not re.fullmatch(r"[a-z][a-z0-9_-]*", token):
                break
            words.append(token)
        commands.append(words)
    script = (
        "import contextlib, io, json, sys\n"
        f"from {gen.package}._cli import main\n"
        "failed = []\n"
        "for words in json.loads(sys.argv[1]):\n"
        "    out = io.StringIO()\n"
        "    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):\n"
        "        code = main([*words, '--help'])\n"
        "    if code != 0: failed.append((words, code, out.getvalue()[-300:]))\n"
        "print(json.dumps(failed))\n"
    )
    done = run_isolated(["-c", script, json.dumps(commands)], gen.out, runtime_path)
    assert done.returncode == 0, done.stderr[-5000:]
    assert json.loads(done.stdout) == []
    # method names come from the operationIds (issue 12), never from a clash of CLI words
    code = f"import json, {gen.package} as p; print(json.dumps(dir(p.Client)))"
    methods = set(json.loads(run_isolated(["-c", code], gen.out, runtime_path).stdout))
    operation_ids = re.findall(r"^\s+operationId:\s*['\"]?([A-Za-z0-9_]+)", text, re.M)
    assert operation_ids  # the rest take their CLI words
    for operation_id in operation_ids:
        assert naming.method_name(operation_id) in methods, operation_id
    assert not [m for m in methods if re.search(r"_\d+$", m)]


@pytest.mark.parametrize("name", CHECKED)
def test_subset_passes_mypy_black_ruff(name: str, generated: dict[str, Generated]) -> None:
    if name not in dict(OPENAPI):
        pytest.skip(f"{name} is not in the corpus")
    gen = generated[name]
    assert gen.result.returncode == 0, gen.result.stderr[-5000:]
    folder = gen.out / gen.package
    checks = [
        [str(BIN / "black"), "--check", "-q", str(folder)],
        [str(BIN / "ruff"), "check", "-q", "--no-cache", str(folder)],
        [
            str(BIN / "mypy"),
            "--strict",
            "--python-version",
            "3.10",
            "--no-incremental",
            "--cache-dir",
            os.devnull,
            str(folder),
        ],
    ]
    for command in checks:
        done = subprocess.run(command, capture_output=True, text=True, cwd=gen.out, timeout=600)
        assert (
            done.returncode == 0
        ), f"{' '.join(command[:2])} on {name}:\n{done.stdout[-5000:]}{done.stderr[-2000:]}"
