"""The whole pipeline as one pure function: spec path + config in, files + diagnostics out.

    load -> resolve -> validate -> build -> select -> render -> format

`select` keeps the operations the configuration asks for (tags, names) and the models they use.
A `progress` callback, when given, hears of each stage as it starts (`stage`, `step`, `steps`,
and a short detail such as a count); it only observes, so the result does not depend on it.

`generate()` reads the spec (and the files it references) but writes nothing: it returns the
whole output plan (`GenerationResult`): every file oagen owns in the output folder (the package
and the API surface, `.oagen-surface.json`) and what the manifest records beside their hashes.
`cli` writes it and does all other I/O. Errors stop the pipeline with `SpecError`; warnings ride
along in the result (`strict` turns them into errors).
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from generator import __version__, diff, naming, reuse
from generator import validate as validate_stage
from generator.cache import Memo, cache_dir, key_of, read_text, write_text
from generator.config import SETTINGS, Config
from generator.diagnostics import Diagnostic, Severity, SpecError
from generator.format import format_files
from generator.load import LoadedSpec, SourceMap, load
from generator.model import Api
from generator.render import STATIC_FILES, Settings, render
from generator.resolve import resolve
from generator.select import drop_unused_inline, select
from generator.validate import check_version

Progress = Callable[[str, int, int, str], None]  # (stage, step, steps, detail)
STAGES = ("load", "resolve", "validate", "build", "select", "render", "format")


def _quiet(stage: str, step: int, steps: int, detail: str) -> None:
    return None


@dataclass(frozen=True)
class GenerationResult:
    """The output plan: what `cli` writes, and what it reports."""

    files: dict[str, str]  # every owned file, by path under the output folder
    manifest: dict[str, str]  # what the manifest records beside the files' hashes
    diagnostics: list[Diagnostic]
    api: Api
    settings: Settings
    single_file: bool = True  # no external file references (the no-op fast path needs this)

    @functools.cached_property
    def surface(self) -> dict[str, Any]:
        """The API surface (its text is in `files`, as `diff.SURFACE_FILE`), made when asked."""
        return diff.surface(self.api)

    @property
    def package_files(self) -> dict[str, str]:
        """The generated package's files (all of `files` but the surface)."""
        return {path: text for path, text in self.files.items() if path != diff.SURFACE_FILE}


def settings_for(api: Api, config: Config, spec_name: str, spec_sha256: str) -> Settings:
    """The render options: the settings marked `render`, with their derived defaults."""
    package = config.package or naming.snake(api.title, fallback="api").removesuffix("_")
    values: dict[str, Any] = {}
    for entry in SETTINGS:
        if entry.render:
            value = getattr(config, entry.name)
            if value is None:
                value = entry.derived.format(package=package, PACKAGE=package.upper())
            values[entry.name] = value
    values["package"] = package
    return Settings(spec_name=spec_name, spec_sha256=spec_sha256, **values)


def analyse(
    spec_path: Path,
    config: Config,
    display: str | None = None,
    progress: Progress = _quiet,
    background: bool = False,
) -> tuple[Api, list[Diagnostic], str]:
    """load -> resolve -> validate -> build: the IR, the findings, and the spec's sha256.

    `background`: validate in a forked process whatever the spec's size (`validate.start`)."""
    analysis = _analyse(spec_path, config, display, progress, background)
    return analysis.api, _finish(analysis, config), analysis.sha256


@dataclass
class _Analysis:
    api: Api
    found: list[Diagnostic]  # the builder's findings
    pending: validate_stage.Pending  # the validator's, on their way
    source: SourceMap
    sha256: str
    single_file: bool
    key: str | None  # the document's text-blind key (`reuse.text_blind_key`), with a cache
    scope: Path | None  # where the stored build and what is known of it live (`reuse`)


def _analyse(
    spec_path: Path,
    config: Config,
    display: str | None,
    progress: Progress,
    background: bool = False,
) -> _Analysis:
    steps = len(STAGES)
    progress("load", 1, steps, display or spec_path.name)
    loaded = load(spec_path, max_bytes=config.max_bytes, display=display)
    version = check_version(loaded.data, loaded.source)
    progress("resolve", 2, steps, "external references")
    folder = cache_dir()
    scope = None if folder is None else folder / "memo" / f"build-{_scope(spec_path)}"
    data, key, known = _resolve(loaded, spec_path, scope)
    single_file = data is loaded.data
    progress("validate", 3, steps, f"OpenAPI {version}")
    layout = reuse.text_layout(data) if key is not None else None
    verdict = known.validate if known is not None and layout == known.layout else None
    pending = validate_stage.Pending(data, version, True, background, key=verdict)
    if key is not None and verdict is None:
        reuse.write_known(scope, reuse.Known(key, layout, pending.key, single_file))
    paths = data.get("paths") if isinstance(data, dict) else None
    progress("build", 4, steps, f"{len(paths) if isinstance(paths, dict) else 0} paths")
    # the findings' lines can be those of the text before while the document has its keys
    # where they were (its own text: no file referred to)
    shape = layout if single_file else None
    api, found = reuse.build(data, loaded.source, scope, pending.settle, key, shape)
    analysis = _Analysis(
        api, found, pending, loaded.source, loaded.sha256, single_file, key, scope
    )
    if any(d.severity is Severity.ERROR for d in found):
        _finish(analysis, config)  # raises, with the validator's findings listed too
    return analysis


def _resolve(
    loaded: LoadedSpec, spec_path: Path, scope: Path | None
) -> tuple[dict[str, Any], str | None, reuse.Known | None]:
    """`resolve`, skipped when the document's text-blind key (`reuse.text_blind_key`) is one
    whose documents are known to refer to no file; the resolved document, its key (None
    without a cache) and what is known of that key (None when nothing is)."""
    known = reuse.read_known(scope)
    key = None
    if known is not None and known.single_file:
        key = reuse.text_blind_key(loaded.data)
        if key is not None and key == known.build:
            return loaded.data, key, known  # the same references: nothing to bundle or refuse
    data = resolve(loaded.data, spec_path, loaded.source)
    if scope is None:
        return data, None, None
    if key is None or data is not loaded.data:
        key = reuse.text_blind_key(data)
    return data, key, known if known is not None and known.build == key else None


def _finish(analysis: _Analysis, config: Config) -> list[Diagnostic]:
    """Wait for the validator; all findings, or `SpecError` if any is an error."""
    diagnostics = analysis.pending.result(analysis.source) + analysis.found
    if config.strict:
        diagnostics = [Diagnostic(Severity.ERROR, *_fields(d)) for d in diagnostics]
    if any(d.severity is Severity.ERROR for d in diagnostics):
        raise SpecError(diagnostics)
    return diagnostics


def _scope(spec_path: Path) -> str:
    """Memos are kept per spec file, so two projects do not evict each other's entries."""
    return hashlib.sha256(str(spec_path.resolve()).encode()).hexdigest()[:16]


def _memo(spec_path: Path, kind: str) -> Memo | None:
    """The user cache's memo of `kind` for this spec, or None when the cache is disabled."""
    folder = cache_dir()
    return None if folder is None else Memo(folder / "memo", f"{kind}-{_scope(spec_path)}")


def _fields(d: Diagnostic) -> tuple[str, str, str, int | None, int | None]:
    return d.message, d.pointer, d.file, d.line, d.column


def generate(
    spec_path: Path,
    config: Config,
    display: str | None = None,
    progress: Progress = _quiet,
    background: bool = False,
) -> GenerationResult:
    analysis = _analyse(spec_path, config, display, progress, background)
    api = analysis.api
    steps = len(STAGES)
    progress("select", 5, steps, f"{len(api.operations)} operations")
    chosen = (config.include_tags, config.exclude_tags, config.operations)
    # the IR's key and the selection: a key of the selected IR but its operations' texts (the
    # key says which IR, the selection which part of it), which the renderer need not make
    blind = None if analysis.key is None else key_of("selected", analysis.key, chosen)
    api = _drop_unused(select(api, *chosen), blind, analysis.scope)
    settings = settings_for(api, config, display or spec_path.name, analysis.sha256)
    progress("render", 6, steps, f"{len(api.operations)} operations, {len(api.models)} models")
    memo = _memo(spec_path, "render")
    digest: list[str] = []  # a key of the models and enums (made from the render's keys)
    rendered = render(api, settings, memo, digest, blind)
    surface_text = _surface_text(api, memo, digest)
    if memo is not None:
        memo.save()
        del memo  # its texts are not needed while formatting (peak memory)
    # the validator's verdict before formatting (when a new IR was stored, `reuse` already
    # waited for it): its forked process has ended, and the parsed document, now held only by
    # the validator's fallback, is released before black (and any helper black forks) runs
    diagnostics = _finish(analysis, config)
    # the source map (the spec's text and, once a finding was located, an index of every key's
    # line) is not needed past this point: let it go before formatting (peak memory)
    single_file = analysis.single_file
    del analysis
    progress("format", 7, steps, f"{len(rendered)} files")
    static = {f"{settings.package}/{name}" for name in STATIC_FILES}
    formatted = format_files(rendered, verbatim=static)
    del rendered
    files = {**formatted, diff.SURFACE_FILE: surface_text}
    manifest = {
        "oagen": __version__,
        "spec": settings.spec_name,
        "spec_sha256": settings.spec_sha256,
        "config": config.fingerprint(),
    }
    # `reuse` froze the long-lived objects (the IR, the parsed spec) out of the collector's
    # sight for the run; given back, so that a caller in the same process loses nothing
    gc.unfreeze()
    return GenerationResult(files, manifest, diagnostics, api, settings, single_file)


def _drop_unused(api: Api, blind: str | None, scope: Path | None) -> Api:
    """`drop_unused_inline(api)`, its choice of classes recalled by `blind` (which classes
    nothing uses is a function of the selected IR but its operations' texts)."""
    path = scope / "selected.json" if scope is not None and blind is not None else None
    try:
        stored = json.loads(read_text(path) or "null") if path is not None else None
    except ValueError:
        stored = None
    if isinstance(stored, dict) and stored.get("key") == blind:
        models, enums = set(stored.get("models", ())), set(stored.get("enums", ()))
        if len(models) == len(api.models) and len(enums) == len(api.enums):
            return api
        return replace(
            api,
            models=tuple(m for m in api.models if m.name in models),
            enums=tuple(e for e in api.enums if e.name in enums),
        )
    kept = drop_unused_inline(api)
    if path is not None:
        names = {"models": [m.name for m in kept.models], "enums": [e.name for e in kept.enums]}
        write_text(path, json.dumps({"key": blind, **names}))
    return kept


def _surface_text(api: Api, memo: Memo | None, digest: list[str]) -> str:
    """`diff.surface_text(api)`, its models and enums (most of it) from the memo while they
    are unchanged (`digest`: a key of the title, models and enums, from the render's keys)."""
    if memo is None or not digest:
        return diff.surface_text(api)
    key = key_of("surface", diff.SURFACE_FORMAT, digest)
    stored = memo.get(key)
    if stored is not None:
        known = json.loads(stored)
    else:
        known = diff.section_texts(api, ("enums", "models"))
        memo.put(key, json.dumps(known))
    return diff.surface_text(api, known)
