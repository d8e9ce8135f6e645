"""Small specs never import black: every statement render emits for them is proven.

black's import alone costs 10-20 MiB and 0.1-0.2 s, more than the rest of the format stage on
a spec of a few operations. For the committed package's spec and small corpus specs, the
verifier must prove every Python file render produces (none goes to black, whole or as a
residual), and a cold `oagen generate` in a fresh process must finish without `black` in
`sys.modules`. What the proofs claim is held to black elsewhere (test_blackproof*.py,
test_blackproof_corpus.py); this test fails when a template change brings back a shape the
verifier does not model.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from black_checks import rendered
from conftest import ROOT, SHARED_SPECS

from generator import blackproof, residual
from generator.format import split_header

CORPUS = SHARED_SPECS / "corpus"
SPECS = {
    "openapi.yaml": ROOT / "openapi.yaml",
    "oai-tictactoe": CORPUS / "oai-tictactoe" / "tictactoe.yaml",
    "oai-petstore": CORPUS / "oai-petstore" / "petstore.yaml",
    "oai-callback-example": CORPUS / "oai-callback-example" / "callback-example.yaml",
    "redocly-starter": CORPUS / "redocly-starter" / "openapi" / "openapi.yaml",
    "swagger-petstore3": CORPUS / "swagger-petstore3" / "openapi.yaml",
}
RUNTIME = {p.name for p in (ROOT / "templates" / "runtime").glob("*.py")}


def _spec(name: str) -> Path:
    path = SPECS[name]
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    return path


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_rendered_statement_is_proven(name: str) -> None:
    unproven = []
    for path, text in sorted(rendered(_spec(name)).items()):
        if Path(path).name in RUNTIME:
            continue
        body = split_header(text)[1]
        lines = blackproof.read(body)
        assert lines is not None and residual.blanks_ok(lines), f"{path} goes to black whole"
        rows = body.split("\n")
        unproven += [
            f"{path}:{line.first + 1}: {rows[line.first].strip()}"
            for line in lines
            if not line.proven
        ]
    assert not unproven, "\n".join(unproven)


_PROBE = """
import sys
from generator.cli import main
code = main(["generate", sys.argv[1], "-o", sys.argv[2]])
print(code, "black" in sys.modules, "blib2to3" in sys.modules)
"""


@pytest.mark.parametrize("name", ["openapi.yaml", "oai-tictactoe", "redocly-starter"])
def test_a_cold_generate_does_not_import_black(name: str, tmp_path: Path) -> None:
    spec = _spec(name)
    env = {"OAGEN_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(spec), str(tmp_path / "out")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.stdout.split() == ["0", "False", "False"], done.stdout + done.stderr
