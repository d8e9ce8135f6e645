"""Shared test helpers: generate from inline specs, import the result, find ../shared."""

from __future__ import annotations

import importlib
import itertools
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from generator import pipeline, write
from generator.config import Config

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
SHARED_SPECS = ROOT.parent / "shared" / "specs"
CORPUS = SHARED_SPECS / "corpus"

_counter = itertools.count()

# The machines here are shared and noisy: no property test may fail because of a clock
# (Hypothesis's per-example deadline and its "input generation is slow" health checks).
settings.register_profile(
    "oagen",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("oagen")


@pytest.fixture(autouse=True, scope="session")
def _session_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """oagen's user cache (black output, parsed YAML pieces, verdicts) in a folder of this
    test session: warm within the run, never the developer's ~/.cache, never left behind.
    Subprocesses inherit it; tests about caching point OAGEN_CACHE_DIR elsewhere themselves."""
    saved = os.environ.get("OAGEN_CACHE_DIR")
    os.environ["OAGEN_CACHE_DIR"] = str(tmp_path_factory.mktemp("oagen-cache"))
    yield
    if saved is None:
        os.environ.pop("OAGEN_CACHE_DIR", None)
    else:
        os.environ["OAGEN_CACHE_DIR"] = saved


def run_oagen(
    *args: str, cwd: Path = ROOT, env: Mapping[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """`python -m generator ARGS` in `cwd`, output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=None if env is None else dict(env),
    )


def corpus_entries() -> list[tuple[str, Path, bool]]:
    """(name, entry file, is Swagger 2.0) of every spec in ../shared/specs/corpus's manifest;
    none when ../shared is absent."""
    if not CORPUS.is_dir():
        return []
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    return [
        (e["name"], CORPUS / e["entry"], str(e["version"]).lower().startswith("swagger"))
        for e in manifest
    ]


def requires_shared() -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        not SHARED_SPECS.is_dir(),
        reason=f"{SHARED_SPECS} is absent (a user's clone has no ../shared): corpus tests skipped",
    )


def generate_package(
    tmp_path: Path,
    spec: str | dict[str, Any],
    *,
    package: str | None = None,
    load: bool = True,
    **config: Any,
) -> tuple[ModuleType, Path]:
    """Write `spec` (YAML text or a dict) to tmp_path, generate a uniquely named package, import it.

    Returns (the imported package, the output folder); with `load=False` (a package only run
    in subprocesses, such as one named like the committed `vastai_api`) nothing is imported.

    Generated packages load their modules lazily, by name: importing a second package under a
    name already imported replaces the first one's modules for both, so a test that needs the
    name of another package must not load it in this process.
    """
    import json

    spec_path = tmp_path / ("openapi.json" if isinstance(spec, dict) else "openapi.yaml")
    spec_path.write_text(
        json.dumps(spec) if isinstance(spec, dict) else textwrap.dedent(spec), encoding="utf-8"
    )
    name = package or f"pkg_{next(_counter)}_{abs(hash(str(tmp_path))) % 10**8}"
    out = tmp_path / "out"
    cfg = Config(spec=str(spec_path), output=str(out), package=name, **config)
    result = pipeline.generate(spec_path, cfg, display=spec_path.name)
    the_plan = write.plan(out, result.files)
    write.apply(out, result.files, the_plan, {"oagen": "test"})
    if not load:  # only run in subprocesses: importing it here could mix up two same-named ones
        return None, out  # type: ignore[return-value]
    return import_from(out, name), out


def import_from(folder: Path, name: str) -> ModuleType:
    for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
        del sys.modules[key]
    sys.path.insert(0, str(folder))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(folder))


@pytest.fixture(scope="session")
def vastai_api() -> Iterator[ModuleType]:
    """The committed generated/vastai_api package, imported."""
    yield import_from(GENERATED, "vastai_api")
