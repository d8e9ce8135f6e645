"""blackproof on real output: every claim the verifier makes about a rendered file is black's.

For every OpenAPI 3.x spec of ../shared/specs/corpus (and a slice of github.json and jira.json
when present), each Python file render produces (before black) is given to the verifier; when
it claims a result (the file unchanged, or the residual formatted and spliced back), that
result must equal `black.format_str` of the whole file. The share of lines it proves is
printed, and must stay high on github (the reason the verifier exists). Then the pipeline's
output is the same, byte for byte, with the verifier on and off (`format.PROVE`), on the
committed package's spec and two corpus specs. Last, the unit tests' mutations, seeded with
statements of github.json's package (union fields, long class headers, long calls, exploded
descriptors: the shapes the committed package lacks). Skipped, with a message, when
../shared is absent.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import black
import pytest
from black_checks import rendered
from blackproof_checks import assert_sound, chunks, mutate
from conftest import ROOT, SHARED_SPECS, corpus_entries, requires_shared
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import blackproof, residual
from generator import format as fmt
from generator.format import split_header

pytestmark = [pytest.mark.corpus, pytest.mark.slow, requires_shared()]

MODE = black.Mode()
RUNTIME = {p.name for p in (ROOT / "templates" / "runtime").glob("*.py")}
# big outputs: a deterministic slice of their files keeps the test to a few minutes
SLICED = {"stripe": 6, "openai": 4, "digitalocean": 4, "github": 10, "jira": 5}


def _specs() -> list[tuple[str, Path]]:
    out = [(name, entry) for name, entry, swagger in corpus_entries() if not swagger]
    for name in ("github", "jira"):
        path = SHARED_SPECS / "scale" / f"{name}.json"
        if path.is_file():
            out.append((name, path))
    return out


def _claim(body: str) -> tuple[str | None, int]:
    """(what the verifier says black makes of body, or None; the lines it proves)."""
    lines = blackproof.read(body)
    if lines is None or not residual.blanks_ok(lines):
        return None, 0
    proven = sum(line.last - line.first + 1 for line in lines if line.proven)
    if all(line.proven for line in lines):
        return body, proven
    found = residual.plan(lines, body.split("\n"))
    if found is None:
        return None, 0
    return residual.splice(found, black.format_str(found.text, mode=MODE)), proven


def _files(name: str, spec: Path) -> dict[str, str]:
    files = {
        path: split_header(text)[1]
        for path, text in rendered(spec).items()
        if Path(path).name not in RUNTIME
    }
    every = SLICED.get(name)
    if every:  # a slice by a hash of the path: the same files every run
        files = {p: t for p, t in files.items() if zlib.crc32(p.encode()) % every == 0}
    return files


@pytest.mark.parametrize(("name", "spec"), _specs(), ids=[n for n, _ in _specs()])
def test_every_claim_on_rendered_files_is_blacks(name: str, spec: Path) -> None:
    total = proven = 0
    for path, body in sorted(_files(name, spec).items()):
        claimed, lines = _claim(body)
        total += body.count("\n")
        if claimed is None:
            continue
        proven += lines
        assert claimed == black.format_str(body, mode=MODE), f"{name}: {path}"
    print(f"{name}: {proven} of {total} lines proven")
    if name == "github":
        assert proven > 0.8 * total


@pytest.mark.parametrize("spec", ["openapi.yaml", "corpus/asana", "corpus/oai-tictactoe"])
def test_output_is_the_same_with_and_without_proofs(
    spec: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if spec == "openapi.yaml":
        path = ROOT / spec
    else:
        name = spec.split("/")[1]
        path = dict(_specs())[name]
    files = rendered(path)
    static = {p for p in files if Path(p).name in RUNTIME}
    proven = fmt.format_files(files, cache=None, verbatim=static)
    monkeypatch.setattr(fmt, "PROVE", False)
    assert fmt.format_files(files, cache=None, verbatim=static) == proven


@pytest.fixture(scope="module")
def github_chunks() -> list[str]:
    path = SHARED_SPECS / "scale" / "github.json"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    files = {p: t for p, t in _files("github", path).items()}
    return chunks(files, limit=3000)


@settings(max_examples=300)
@given(
    seed=st.integers(min_value=0),
    mutations=st.lists(
        st.tuples(st.integers(0, 17), st.integers(0, 10**6), st.integers(0, 100)),
        min_size=1,
        max_size=3,
    ),
)
def test_mutations_of_github_statements_are_never_claimed_wrongly(
    github_chunks: list[str], seed: int, mutations: list[tuple[int, int, int]]
) -> None:
    text = github_chunks[seed % len(github_chunks)]
    for kind, where, pick in mutations:
        text = mutate(text, kind, where, pick)
    assert_sound(text)
