"""What keeps the peak memory of the process tree down (issue 17): the stored IR is pickled and
read back only after the forked validator has finished, and black's residual is formatted in
this process unless it is large (a forked helper copies pages and holds its own black trees)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator import format as fmt
from generator import pipeline, reuse
from generator import validate as validate_stage
from generator.config import Config
from generator.load import load

SPEC = """\
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /things:
    get:
      operationId: listThings
      summary: List things
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Thing'}}
components:
  schemas:
    Thing:
      type: object
      properties: {id: {type: integer}}
"""


def test_a_new_ir_is_stored_after_before_store_and_a_reused_one_does_not_call_it(
    tmp_path: Path,
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC)
    loaded = load(spec)
    folder = tmp_path / "memo"
    seen: list[bool] = []

    def before_store() -> None:
        seen.append((folder / "build.pickle").exists())

    first, _ = reuse.build(loaded.data, loaded.source, folder, before_store=before_store)
    assert seen == [False]  # called once, before anything was stored
    assert (folder / "build.pickle").exists()
    again, _ = reuse.build(loaded.data, loaded.source, folder, before_store=before_store)
    assert seen == [False]  # the stored IR was reused: nothing stored, nothing to wait for
    assert again == first


def test_the_pipeline_waits_for_the_forked_validator_before_storing_the_ir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC)
    monkeypatch.setenv("OAGEN_CACHE_DIR", str(tmp_path / "cache"))
    events: list[str] = []
    settle, write = validate_stage.Pending.settle, reuse._write

    def settling(self: validate_stage.Pending) -> None:
        events.append("settle")
        settle(self)
        events.append("verdict in" if self._future is None else "still running")

    def writing(*args: Any) -> Any:
        events.append("store")
        return write(*args)

    monkeypatch.setattr(validate_stage.Pending, "settle", settling)
    monkeypatch.setattr(reuse, "_write", writing)
    result = pipeline.generate(spec, Config(package="memorder"), background=True)
    assert events == ["settle", "verdict in", "store"]
    assert any(path.endswith("memorder/client.py") for path in result.files)


class _RecordingPool:
    made: list[int] = []

    def __init__(self, max_workers: int, mp_context: Any) -> None:
        _RecordingPool.made.append(max_workers)

    def map(self, fn: Any, items: Any, chunksize: int = 1) -> Any:
        return [fn(item) for item in items]

    def __enter__(self) -> _RecordingPool:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def test_black_forks_a_helper_only_for_a_large_residual(monkeypatch: pytest.MonkeyPatch) -> None:
    import concurrent.futures

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", _RecordingPool)
    monkeypatch.setattr(fmt, "_format_one", lambda item: item)  # black itself is not the point
    monkeypatch.setattr(_RecordingPool, "made", [])
    small = [("a.py", "x" * 300_000), ("b.py", "y" * 300_000)]  # forked before: > 400k
    assert list(fmt._format_many(small)) == small
    assert _RecordingPool.made == []
    if fmt.os.cpu_count() in (None, 1):
        pytest.skip("one core: black never forks a helper here")
    large = [("a.py", "x" * 1_100_000), ("b.py", "y" * 1_100_000)]
    assert sorted(fmt._format_many(large)) == large
    assert len(_RecordingPool.made) == 1
