"""The pre-commit hooks (`.pre-commit-hooks.yaml`) with the real `pre-commit`, in temp git repos.

A throwaway clone of this repository, with the current working tree copied over it and
committed, is the hook repository (`repo:` a local path, `rev:` that commit). pre-commit
pip-installs oagen from it into its own environment under a session-wide PRE_COMMIT_HOME (needs
PyPI; done once). Each test is a user's repository with openapi.yaml and `pre-commit install`ed
hooks, driven by plain `git commit`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
COPIED = ("generator", "templates", "pyproject.toml", "README.md", ".pre-commit-hooks.yaml")


@dataclass(frozen=True)
class HookRepo:
    path: Path
    rev: str
    env: dict[str, str]


def _git(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900
    )


def _ok(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HookRepo]:
    base = tmp_path_factory.mktemp("precommit")
    gitconfig = base / "gitconfig"
    gitconfig.write_text(
        "[user]\n\tname = oagen test\n\temail = test@example.invalid\n"
        "[commit]\n\tgpgsign = false\n[init]\n\tdefaultBranch = main\n",
        encoding="utf-8",
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "VIRTUAL_ENV", "GIT_", "PRE_COMMIT", "VAST_"))
    }
    env.update(
        GIT_CONFIG_GLOBAL=str(gitconfig),
        GIT_CONFIG_NOSYSTEM="1",
        PRE_COMMIT_HOME=str(base / "pre-commit-home"),
        PRE_COMMIT_COLOR="never",
    )
    # the hook repository: HEAD of this repository plus the current (uncommitted) working tree
    clone = base / "oagen"
    _ok(_git("clone", "-q", "--no-hardlinks", str(ROOT), str(clone), cwd=base, env=env))
    for name in COPIED:
        source, target = ROOT / name, clone / name
        if source.is_dir():
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, target)
    _ok(_git("add", "-A", *COPIED, cwd=clone, env=env))
    _ok(_git("commit", "-q", "--allow-empty", "-m", "working tree under test", cwd=clone, env=env))
    rev = _ok(_git("rev-parse", "HEAD", cwd=clone, env=env)).strip()
    repo = HookRepo(clone, rev, env)
    # install the hook environment once (pip install of oagen from the clone, from PyPI)
    warm = _user_repo(base / "warm-up", repo, ["oagen-generate", "oagen-check"])
    proc = subprocess.run(
        [str(PRE_COMMIT), "install-hooks"],
        cwd=warm,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if proc.returncode != 0:
        pytest.fail(f"pre-commit install-hooks failed (PyPI reachable?):\n{proc.stdout[-3000:]}")
    yield repo


def _user_repo(folder: Path, hooks: HookRepo, ids: list[str]) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "openapi.yaml", folder / "openapi.yaml")
    (folder / "openapi.yaml").chmod(0o644)
    (folder / "pyproject.toml").write_text(
        '[tool.oagen]\npackage = "vastai_api"\napi_key_env = "VAST_API_KEY"\n', encoding="utf-8"
    )
    config = {
        "repos": [{"repo": str(hooks.path), "rev": hooks.rev, "hooks": [{"id": i} for i in ids]}]
    }
    (folder / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    _ok(_git("init", "-q", cwd=folder, env=hooks.env))
    return folder


@pytest.fixture()
def user_repo(tmp_path: Path, hook_repo: HookRepo, request: pytest.FixtureRequest) -> Path:
    ids: list[str] = request.param
    folder = _user_repo(tmp_path / "project", hook_repo, ids)
    proc = subprocess.run(
        [str(PRE_COMMIT), "install"], cwd=folder, env=hook_repo.env, capture_output=True, text=True
    )
    _ok(proc)
    return folder


def _commit(folder: Path, env: dict[str, str], *paths: str) -> subprocess.CompletedProcess[str]:
    _ok(_git("add", *paths, cwd=folder, env=env))
    return _git("commit", "-m", "change", cwd=folder, env=env)


def _tracked(folder: Path, env: dict[str, str]) -> set[str]:
    return set(_ok(_git("ls-files", cwd=folder, env=env)).split())


def test_hook_definitions() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"oagen-generate", "oagen-check"}
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is False and hook["require_serial"] is True
    import re

    pattern = re.compile(hooks["oagen-generate"]["files"])
    for name in ("openapi.yaml", "api/openapi.yml", "openapi.json", "pyproject.toml", "oagen.toml"):
        assert pattern.search(name), name
    for name in ("generated/vastai_api/client.py", "README.md", "my-openapi.yaml.bak"):
        assert not pattern.search(name), name
    assert "--check" in hooks["oagen-check"]["entry"]


@pytest.mark.slow
@pytest.mark.parametrize("user_repo", [["oagen-generate"]], indirect=True)
def test_generate_hook_regenerates_and_fails_until_the_output_is_committed(
    user_repo: Path, hook_repo: HookRepo
) -> None:
    env = hook_repo.env
    first = _commit(user_repo, env, "openapi.yaml", "pyproject.toml", ".pre-commit-config.yaml")
    out = first.stdout + first.stderr
    assert first.returncode != 0, out
    assert "oagen generate" in out and "Failed" in out
    client = user_repo / "generated" / "vastai_api" / "client.py"
    assert client.is_file()  # left in place for review
    assert "generated/vastai_api/client.py" not in _tracked(user_repo, env)

    second = _commit(user_repo, env, "generated")
    assert second.returncode == 0, second.stdout + second.stderr
    tracked = _tracked(user_repo, env)
    assert {"generated/vastai_api/client.py", "generated/.oagen-surface.json"} <= tracked

    spec = user_repo / "openapi.yaml"
    text = spec.read_text()
    edited = text.replace("summary: create endpoint", "summary: make a new endpoint").replace(
        "                  description: Multiplier for cold start.",
        "                  description: Multiplier for cold start (new words).",
    )
    edited = edited.replace(
        "                cold_mult:\n                  type: number",
        "                cold_mult:\n                  type: string",
    )
    assert (
        edited.count("new words") == 1
        and "type: string\n                  description: Multiplier" in edited
    )
    spec.write_text(edited)
    third = _commit(user_repo, env, "openapi.yaml")
    out = third.stdout + third.stderr
    assert third.returncode != 0, out
    assert "files were modified by this hook" in out
    assert "since the last generation" in out and "breaking" in out  # the API-change line
    assert "make a new endpoint" in (
        user_repo / "generated/vastai_api/_client_serverless.py"
    ).read_text()

    fourth = _commit(user_repo, env, "generated")
    assert fourth.returncode == 0, fourth.stdout + fourth.stderr
    status = _ok(_git("status", "--porcelain", cwd=user_repo, env=env))
    assert status == ""


@pytest.mark.slow
@pytest.mark.parametrize("user_repo", [["oagen-check"]], indirect=True)
def test_check_hook_fails_on_a_stale_or_hand_edited_tree(
    user_repo: Path, hook_repo: HookRepo
) -> None:
    env = hook_repo.env
    first = _commit(user_repo, env, "openapi.yaml", "pyproject.toml", ".pre-commit-config.yaml")
    out = first.stdout + first.stderr
    assert first.returncode != 0, out
    assert "stale" in out
    assert not (user_repo / "generated").exists()  # the check writes nothing

    gen = subprocess.run(
        [sys.executable, "-m", "generator", "generate"],
        cwd=user_repo,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert gen.returncode == 0, gen.stderr
    second = _commit(user_repo, env, "generated")
    assert second.returncode == 0, second.stdout + second.stderr

    client = user_repo / "generated" / "vastai_api" / "client.py"
    client.write_text(client.read_text() + "\n# a local hack\n")
    third = _commit(user_repo, env, "generated")
    out = third.stdout + third.stderr
    assert third.returncode != 0, out
    assert "-# a local hack" in out and "edited by hand" in out
    assert client.read_text().endswith("# a local hack\n")  # check mode left it alone


def test_workflow_doc_snippets_are_valid_yaml_and_name_real_hooks() -> None:
    import re

    text = (ROOT / "docs" / "workflow.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```yaml\n(.*?)^```", text, re.M | re.S)
    assert len(blocks) >= 3
    parsed = [yaml.safe_load(b) for b in blocks]
    hook_ids = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    precommit = next(p for p in parsed if "repos" in p)
    assert {h["id"] for r in precommit["repos"] for h in r["hooks"]} <= hook_ids
    github = next(p for p in parsed if "jobs" in p)
    steps = [s.get("run", "") for job in github["jobs"].values() for s in job["steps"]]
    assert "oagen generate --check" in steps
    gitlab = next(p for p in parsed if "oagen-check" in p)
    assert "oagen generate --check" in gitlab["oagen-check"]["script"]
