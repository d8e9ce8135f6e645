"""The whole pipeline as one pure function: spec path + config in, files + diagnostics out.

    load -> resolve -> validate -> build -> select -> render -> format

`select` keeps the operations the configuration asks for (tags, names) and the models they use.
A `progress` callback, when given, hears of each stage as it starts (`stage`, `step`, `steps`,
and a short detail such as a count); it only observes, so the result does not depend on it.

`generate()` reads the spec (and the files it references) but writes nothing; `cli` owns all
other I/O. Errors stop the pipeline with `SpecError`; warnings ride along in the result
(`strict` turns them into errors).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator import naming
from generator.build import build_api
from generator.config import Config
from generator.diagnostics import Diagnostic, Severity, SpecError
from generator.format import format_files
from generator.load import load
from generator.model import Api
from generator.render import STATIC_FILES, Settings, render
from generator.resolve import resolve
from generator.select import select
from generator.validate import check_version, validate

Progress = Callable[[str, int, int, str], None]  # (stage, step, steps, detail)
STAGES = ("load", "resolve", "validate", "build", "select", "render", "format")


def _quiet(stage: str, step: int, steps: int, detail: str) -> None:
    return None


@dataclass
class GenerationResult:
    files: dict[str, str]
    diagnostics: list[Diagnostic]
    api: Api
    settings: Settings
    single_file: bool = True  # no external file references (the no-op fast path needs this)


def settings_for(api: Api, config: Config, spec_name: str, spec_sha256: str) -> Settings:
    package = config.package or naming.snake(api.title, fallback="api").removesuffix("_")
    upper = package.upper()
    return Settings(
        package=package,
        api_key_env=config.api_key_env or f"{upper}_API_KEY",
        base_url_env=config.base_url_env or f"{upper}_BASE_URL",
        cli_name=config.cli_name or f"python -m {package}",
        spec_name=spec_name,
        spec_sha256=spec_sha256,
        docs=config.docs,
    )


def analyse(
    spec_path: Path,
    config: Config,
    display: str | None = None,
    progress: Progress = _quiet,
) -> tuple[Api, list[Diagnostic], str]:
    """load -> resolve -> validate -> build: the IR, the findings, and the spec's sha256."""
    api, diagnostics, sha, _ = _analyse(spec_path, config, display, progress)
    return api, diagnostics, sha


def _analyse(
    spec_path: Path, config: Config, display: str | None, progress: Progress
) -> tuple[Api, list[Diagnostic], str, bool]:
    steps = len(STAGES)
    progress("load", 1, steps, display or spec_path.name)
    loaded = load(spec_path, max_bytes=config.max_bytes, display=display)
    version = check_version(loaded.data, loaded.source)
    progress("resolve", 2, steps, "external references")
    data = resolve(loaded.data, spec_path, loaded.source)
    progress("validate", 3, steps, f"OpenAPI {version}")
    diagnostics = validate(data, version, loaded.source)
    paths = data.get("paths") if isinstance(data, dict) else None
    progress("build", 4, steps, f"{len(paths) if isinstance(paths, dict) else 0} paths")
    api, found = build_api(data, loaded.source)
    diagnostics += found
    if config.strict:
        diagnostics = [Diagnostic(Severity.ERROR, *_fields(d)) for d in diagnostics]
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if errors:
        raise SpecError(diagnostics)
    return api, diagnostics, loaded.sha256, data is loaded.data


def _fields(d: Diagnostic) -> tuple[str, str, str, int | None, int | None]:
    return d.message, d.pointer, d.file, d.line, d.column


def generate(
    spec_path: Path,
    config: Config,
    display: str | None = None,
    progress: Progress = _quiet,
) -> GenerationResult:
    api, diagnostics, sha, single_file = _analyse(spec_path, config, display, progress)
    steps = len(STAGES)
    progress("select", 5, steps, f"{len(api.operations)} operations")
    api = select(api, config.include_tags, config.exclude_tags, config.operations)
    settings = settings_for(api, config, display or spec_path.name, sha)
    progress("render", 6, steps, f"{len(api.operations)} operations, {len(api.models)} models")
    rendered = render(api, settings)
    progress("format", 7, steps, f"{len(rendered)} files")
    static = {f"{settings.package}/{name}" for name in STATIC_FILES}
    files = format_files(rendered, verbatim=static)
    return GenerationResult(files, diagnostics, api, settings, single_file)
