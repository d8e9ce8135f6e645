"""Robustness and security of the generator itself: references, limits, secrets, interrupted writes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from generator import pipeline, write
from generator.config import Config
from generator.diagnostics import SpecError
from generator.load import parse

HEAD = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n"


def _schema_ref_spec(ref: str) -> str:
    return HEAD + textwrap.dedent(f"""\
        paths:
          /a:
            get:
              responses:
                '200':
                  description: ok
                  content:
                    application/json:
                      schema: {{$ref: '{ref}'}}
        """)


@pytest.fixture()
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Any attempt to open a connection is recorded and fails."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise AssertionError("oagen tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def _generate(spec: Path, **config: Any) -> pipeline.GenerationResult:
    return pipeline.generate(spec, Config(spec=str(spec), package="p", **config), display=spec.name)


@pytest.mark.parametrize(
    "ref",
    [
        "http://example.com/pet.yaml",
        "https://example.com/pet.yaml#/Pet",
        "ftp://example.com/pet.yaml",
        "file:///etc/passwd",
        "//example.com/pet.yaml",
    ],
)
def test_remote_refs_are_refused_without_a_connection(
    tmp_path: Path, ref: str, no_network: list[Any]
) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(_schema_ref_spec(ref))
    with pytest.raises(SpecError) as info:
        _generate(spec)
    assert no_network == []
    messages = " ".join(d.format() for d in info.value.diagnostics)
    assert "refused" in messages and "#/paths/~1a/get/responses/200" in messages


@pytest.mark.parametrize(
    "ref", ["../secret.yaml", "../../etc/passwd", "/etc/passwd", "link/secret.yaml"]
)
def test_file_refs_may_not_leave_the_spec_folder(tmp_path: Path, ref: str) -> None:
    outside = tmp_path / "secret.yaml"
    outside.write_text("type: string\n")
    folder = tmp_path / "api"
    folder.mkdir()
    (folder / "link").symlink_to(tmp_path)  # a symlink pointing out of the folder
    spec = folder / "openapi.yaml"
    spec.write_text(_schema_ref_spec(ref))
    with pytest.raises(SpecError) as info:
        _generate(spec)
    assert "leaves the spec's folder" in info.value.diagnostics[0].message


def test_refs_in_extensions_and_examples_are_not_followed(
    tmp_path: Path, no_network: list[Any]
) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(HEAD + textwrap.dedent("""\
            paths:
              /a:
                get:
                  x-codeSamples:
                    - lang: python
                      source: {$ref: 'code/missing.py'}
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: {type: object, properties: {a: {type: string}}}
                          example: {$ref: 'https://example.com/never'}
            """))
    result = _generate(spec)
    assert len(result.api.operations) == 1
    assert no_network == []


def test_external_files_inside_the_folder_are_inlined(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "pet.yaml").write_text(
        "type: object\nproperties:\n  name: {type: string}\n"
    )
    spec = tmp_path / "openapi.yaml"
    spec.write_text(_schema_ref_spec("schemas/pet.yaml"))
    result = _generate(spec)
    (model,) = [m for m in result.api.models if any(f.wire == "name" for f in m.fields)]
    assert model.fields[0].wire == "name"


def test_an_alias_bomb_is_refused_quickly() -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        prev = chr(ord("a") + i - 1)
        levels.append(
            f"{chr(ord('a') + i)}: &{chr(ord('a') + i)} [" + ", ".join([f"*{prev}"] * 10) + "]"
        )
    with pytest.raises(SpecError) as info:
        parse(("\n".join(levels) + "\n").encode(), "bomb.yaml")
    assert "alias bomb" in info.value.diagnostics[0].message


def test_a_recursive_alias_is_refused() -> None:
    with pytest.raises(SpecError) as info:
        parse(b"openapi: 3.1.0\na: &a [*a]\n", "cycle.yaml")
    assert "refers to itself" in info.value.diagnostics[0].message


def test_size_cap_is_configurable(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(
        _schema_ref_spec("#/components/schemas/X") + "components: {schemas: {X: {type: string}}}\n"
    )
    with pytest.raises(SpecError) as info:
        _generate(spec, max_bytes=100)
    assert "over the 100-byte limit" in info.value.diagnostics[0].message
    assert _generate(spec).files


def test_a_deeply_nested_schema_does_not_crash(tmp_path: Path) -> None:
    schema = "{type: string}"
    for _ in range(400):
        schema = "{type: array, items: " + schema + "}"
    spec = tmp_path / "openapi.yaml"
    spec.write_text(HEAD + "paths: {}\ncomponents:\n  schemas:\n    Deep: " + schema + "\n")
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(spec), "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert "Traceback" not in proc.stderr
    assert proc.returncode in (0, 2), proc.stderr


def test_an_interrupted_write_puts_every_file_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    first = {"pkg/a.py": "a = 1\n", "pkg/b.py": "b = 1\n", "pkg/c.py": "c = 1\n"}
    write.apply(out, first, write.plan(out, first), {})
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    second = {"pkg/a.py": "a = 2\n", "pkg/b.py": "b = 2\n", "pkg/d.py": "d = 2\n"}
    real_replace = os.replace
    calls = {"n": 0}

    def flaky(src: Any, dst: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 4:  # after a and b moved into place (each after its backup)
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(KeyboardInterrupt):
        write.apply(out, second, write.plan(out, second), {})
    monkeypatch.setattr(os, "replace", real_replace)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in out.iterdir() if p.name.startswith(".oagen-tmp")]


def test_no_credential_from_the_environment_reaches_output(tmp_path: Path) -> None:
    secret = "sk-live-DO-NOT-LEAK-4242"
    env = {**os.environ, "VAST_API_KEY": secret, "OPENAI_API_KEY": secret, "GITHUB_TOKEN": secret}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            str(ROOT / "openapi.yaml"),
            "-o",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert secret not in proc.stdout + proc.stderr
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            assert secret not in path.read_text(encoding="utf-8"), path


@pytest.mark.skipif(
    os.geteuid() == 0, reason="root can read any file: permission errors cannot be produced"
)
def test_an_unreadable_spec_is_a_clean_error(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(HEAD + "paths: {}\n")
    spec.chmod(0)
    with pytest.raises(SpecError) as info:
        _generate(spec)
    assert "permission denied" in info.value.diagnostics[0].message


def test_a_folder_given_as_spec_is_a_clean_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as info:
        _generate(tmp_path)
    assert "is a folder" in info.value.diagnostics[0].message


def test_validator_findings_inside_schemas_are_located_in_the_document(tmp_path: Path) -> None:
    """openapi-spec-validator reports these relative to the schema; oagen finds the place."""
    spec = tmp_path / "openapi.yaml"
    spec.write_text(
        HEAD
        + "paths: {}\ncomponents:\n  schemas:\n    Job:\n      type: object\n      properties:\n"
        + "        rate:\n          oneOf:\n            - type: string\n"
        + "            - {type: number, exclusiveMinimum: true}\n"
    )
    result = _generate(spec)
    (finding,) = [d for d in result.diagnostics if "exclusiveMinimum" in d.pointer]
    assert finding.pointer == "#/components/schemas/Job/properties/rate/oneOf/1/exclusiveMinimum"
    assert finding.line == 12
