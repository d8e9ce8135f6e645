"""Benchmark oagen against openapi-python-client and OpenAPI Generator (python).

    make bench                      # everything: 3 runs each, all specs, all peers
    python bench/run.py --quick     # 1 run each, small specs only
    python bench/run.py --specs seed,vastai --peers opc --runs 5
    python bench/run.py --runs 3 --big-runs 1   # fewer runs on the 1.7-4 MB specs
    python bench/run.py --scale     # github.json and jira.json only, 1 run, both peers (minutes)

Stdlib only. The peers live in their own venv, bench/.venv (created on first use, pinned
versions from PyPI); a peer that cannot be installed or run here is skipped with the reason.
Every run is cold (a fresh temporary output folder) and tools alternate run by run, so a
slow minute on a shared machine hits every tool alike. For each run we record wall time,
CPU time (user + sys of the whole process tree, from `wait4`), and peak memory: the larger
of the biggest single process's max RSS (`wait4`, counts waited-for children such as java)
and the sampled sum of PSS over the live process tree (every 20 ms from /proc; PSS so that
pages a forked worker shares with its parent are counted once).

Also measured: the parse-only floor (PyYAML `CSafeLoader` on the spec, in oagen's
interpreter), a bare `python -c pass`, and oagen's incremental case (caches warm, one
operation's summary edited in a copy of the spec, output already generated) and no-op case
(same spec, output intact). Results: a Markdown table on stdout and in bench/results.md,
raw numbers in bench/results.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import venv
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PEER_VENV = BENCH / ".venv"
RESULTS_MD = BENCH / "results.md"
RESULTS_JSON = BENCH / "results.json"

OPC_VERSION = "0.29.1"
OAG_VERSION = "7.26.0"

# name -> path of the entry file, relative to the shared specs folder
SPECS: dict[str, str] = {
    "seed": "",  # /work/main/openapi.yaml (ROOT/openapi.yaml)
    "vastai": "vastai/vastai-full.yaml",
    "openai": "corpus/openai/openapi.yaml",
    "box": "corpus/box/openapi.json",
    "twilio": "corpus/twilio-api-v2010/twilio_api_v2010.json",
    "stripe": "corpus/stripe/spec3.yaml",  # replaced by the largest 3.x spec in the manifest
    "github": "scale/github.json",  # 1,223 operations, 13 MB
    "jira": "scale/jira.json",  # 499 operations
}
SMALL = ("seed", "vastai")  # --quick
BIG = ("openai", "box", "twilio", "stripe", "github", "jira")  # --big-runs applies to these
INCREMENTAL = ("seed", "vastai", "openai", "github", "jira")
SCALE = ("github", "jira")  # --scale
PEERS = ("opc", "oag")
PEER_LABEL = {
    "oagen": "oagen",
    "opc": f"openapi-python-client {OPC_VERSION}",
    "oag": f"OpenAPI Generator {OAG_VERSION} (python)",
}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- measuring one process tree


@dataclass
class Sample:
    tool: str
    spec: str
    case: str  # cold | floor | bare | incremental | schema-edit | noop
    run: int
    wall: float
    cpu: float
    rss_mib: float
    rc: int
    note: str = ""
    files_written: int | None = None  # incremental and no-op runs: what oagen said it wrote
    files_total: int | None = None
    surface_bytes: int | None = None  # .oagen-surface.json after the run


def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # the command name may contain spaces and parentheses: split after the last ')'
        rest = stat[stat.rfind(b")") + 2 :].split()
        kids.setdefault(int(rest[1]), []).append(int(entry))
    return kids


def _tree_pss_kib(root: int) -> int:
    """Proportional set size summed over the live tree: pages shared by forked workers
    (black's pool) or with the parent count once, not once per process as RSS would."""
    kids = _children_map()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(kids.get(pid, ()))
        total += _pss_kib(pid)
    return total


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, IndexError, ValueError):
        pass
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
    except (OSError, IndexError, ValueError):
        return 0


@dataclass
class Outcome:
    wall: float
    cpu: float
    rss_mib: float
    rc: int
    tail: str = ""


def measure(
    cmd: list[str],
    cwd: Path,
    env: dict[str, str] | None = None,
    timeout: float = 1800.0,
    log_path: Path | None = None,
) -> Outcome:
    """Run `cmd`; wall time, CPU time and peak RSS of its whole process tree.

    `cmd` runs under a small launcher (`_LAUNCHER`) that reports the command's own wall time,
    CPU and max RSS: `wait4`'s max RSS of a child counts the pages of the process it was
    forked from until it exec'd, and this process holds whole specs (github.json) by the time
    it runs the incremental and scaling cases, so a 0.1 s no-op used to "use" 169 MiB.
    """
    out = open(log_path or os.devnull, "wb")  # noqa: SIM115 (closed below)
    peak_tree = 0
    done = threading.Event()
    start = time.perf_counter()
    report = tempfile.NamedTemporaryFile(prefix="oagen-bench-", suffix=".txt", delete=False)  # noqa: SIM115
    report.close()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-S", "-c", _LAUNCHER, report.name, *cmd],
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    except OSError as exc:
        out.close()
        os.unlink(report.name)
        return Outcome(0.0, 0.0, 0.0, 127, f"cannot start: {exc}")

    def sample() -> None:
        nonlocal peak_tree
        while not done.is_set():  # the tree below the launcher
            peak_tree = max(peak_tree, _tree_pss_kib(proc.pid) - _pss_kib(proc.pid))
            done.wait(0.02)

    def kill() -> None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    timer = threading.Timer(timeout, kill)
    timer.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    timer.cancel()
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    out.close()
    # any grandchild left behind (a daemonised helper) is not ours to keep
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    cpu, maxrss = usage.ru_utime + usage.ru_stime, usage.ru_maxrss
    try:  # the command's own numbers, from the launcher
        with open(report.name, encoding="utf-8") as fh:
            own_wall, own_cpu, own_maxrss = fh.read().split()
        wall, cpu, maxrss = float(own_wall), float(own_cpu), int(own_maxrss)
    except (OSError, ValueError):
        pass  # killed or failed to start: the launcher's numbers
    os.unlink(report.name)
    rss_kib = max(maxrss, peak_tree)
    tail = ""
    if proc.returncode != 0:
        tail = "timed out" if wall >= timeout else _tail(log_path)
    return Outcome(wall, cpu, rss_kib / 1024, proc.returncode, tail)


# Runs argv[2:] and writes its wall seconds, CPU seconds (user + sys of it and its waited-for
# children) and max RSS (KiB) to argv[1]; exits with its exit code. Started with `-S` (no site)
# so it stays a few MiB: the command's max RSS then starts from the launcher's, not the bench's.
_LAUNCHER = """
import os, sys, time
start = time.perf_counter()
try:
    pid = os.fork()
except OSError:
    sys.exit(127)
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(sys.argv[1], "w") as fh:
    fh.write(f"{wall} {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _tail(path: Path | None) -> str:
    if path is None or not path.exists():
        return ""
    lines = [
        line.strip()
        for line in path.read_text(errors="replace").splitlines()
        if line.strip() and not set(line.strip()) <= set("#=-")
    ]
    return (lines[-1] if lines else "")[:200]


# ---------------------------------------------------------------- the tools


@dataclass
class Tool:
    name: str
    available: bool
    reason: str = ""
    env: dict[str, str] = field(default_factory=dict)


def oagen_command(spec: Path, out: Path, package: str) -> list[str]:
    script = Path(sys.executable).with_name("oagen")
    base = [str(script)] if script.exists() else [sys.executable, "-m", "generator"]
    return [*base, "generate", str(spec), "-o", str(out), "--package", package]


def cold_env(work: Path, base: dict[str, str] | os._Environ[str]) -> dict[str, str]:
    """An environment whose caches start empty: oagen's format cache, anything under XDG."""
    cache = work / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    return {**base, "XDG_CACHE_HOME": str(cache), "OAGEN_CACHE_DIR": str(cache / "oagen")}


def peer_bin(name: str) -> Path:
    return PEER_VENV / "bin" / name


def ensure_peers(wanted: list[str]) -> dict[str, Tool]:
    """Create bench/.venv and install the pinned peers there; say why a peer is unavailable."""
    tools: dict[str, Tool] = {}
    if not wanted:
        return tools
    py = PEER_VENV / "bin" / "python"
    if not py.exists():
        log(f"creating {PEER_VENV}")
        venv.EnvBuilder(with_pip=True, clear=False).create(PEER_VENV)
    pins = {
        "opc": f"openapi-python-client=={OPC_VERSION}",
        "oag": f"openapi-generator-cli=={OAG_VERSION}",
    }
    for name in wanted:
        pin = pins[name]
        if _installed(py, pin):
            continue
        log(f"installing {pin} into {PEER_VENV}")
        done = subprocess.run(
            [str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", pin],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["pip failed"])[-1]
            tools[name] = Tool(name, False, f"`pip install {pin}` failed: {last}")
    env = dict(os.environ)
    env["PATH"] = f"{PEER_VENV / 'bin'}{os.pathsep}{env.get('PATH', '')}"  # ruff for opc
    env.pop("VIRTUAL_ENV", None)
    if "opc" in wanted and "opc" not in tools:
        if peer_bin("openapi-python-client").exists() and peer_bin("ruff").exists():
            tools["opc"] = Tool("opc", True, env=env)
        else:
            tools["opc"] = Tool("opc", False, "openapi-python-client or its ruff is missing")
    if "oag" in wanted and "oag" not in tools:
        tools["oag"] = _check_oag(py, env)
    return tools


def _installed(py: Path, pin: str) -> bool:
    name, version = pin.split("==")
    probe = subprocess.run(
        [str(py), "-c", f"import importlib.metadata as m; print(m.version({name!r}))"],
        capture_output=True,
        text=True,
    )
    return probe.returncode == 0 and probe.stdout.strip() == version


def _check_oag(py: Path, env: dict[str, str]) -> Tool:
    """openapi-generator-cli on PyPI ships the jar inside the wheel: no download at run time."""
    where = subprocess.run(
        [
            str(py),
            "-c",
            "import importlib.resources as r; "
            "print(r.files('openapi_generator_cli') / 'openapi-generator.jar')",
        ],
        capture_output=True,
        text=True,
    )
    jar = Path(where.stdout.strip()) if where.returncode == 0 else None
    if jar is None or not jar.is_file():
        return Tool("oag", False, "the openapi-generator-cli wheel has no bundled jar here")
    if shutil.which("java", path=env["PATH"]) is None:
        return Tool("oag", False, "no `java` on PATH (OpenAPI Generator needs Java 11+)")
    return Tool("oag", True, env=env)


def peer_command(
    tool: str, spec_name: str, spec: Path, out: Path, workdir: Path
) -> tuple[list[str], dict[str, str]]:
    """The peer's command line and extra environment for one spec."""
    if tool == "opc":
        cmd = [
            str(peer_bin("openapi-python-client")),
            "generate",
            "--path",
            str(spec),
            "--output-path",
            str(out),
            "--overwrite",
        ]
        if spec_name in ("stripe", "box"):
            # 0.29.1 stops on these specs' enums (duplicate member names, e.g. Box's
            # `ASC`/`asc`) unless they become Literal types
            config = workdir / "opc-config.yaml"
            config.write_text("literal_enums: true\n")
            cmd += ["--config", str(config)]
        return cmd, {}
    cmd = [str(peer_bin("openapi-generator-cli")), "generate", "-i", str(spec), "-g", "python"]
    cmd += ["-o", str(out)]
    extra: dict[str, str] = {}
    if spec_name == "openai":
        cmd.append("--skip-validate-spec")  # the spec has findings the validator rejects
    if spec_name == "stripe":
        # swagger-parser's SnakeYAML refuses documents over 3 MiB code points by default.
        # The wrapper passes $JAVA_OPTS to java as ONE argument: one option only.
        extra["JAVA_OPTS"] = "-DmaxYamlCodePoints=2147483647"
    return cmd, extra


# ---------------------------------------------------------------- specs


def shared_specs_dir() -> Path:
    return Path(os.environ.get("OAGEN_SHARED_SPECS", ROOT.parent / "shared" / "specs"))


def spec_paths(names: list[str]) -> dict[str, Path]:
    shared = shared_specs_dir()
    paths: dict[str, Path] = {}
    manifest = shared / "corpus" / "manifest.json"
    largest = SPECS["stripe"]
    if manifest.exists():
        entries = json.loads(manifest.read_text())
        three = [e for e in entries if str(e.get("version", "")).startswith("3.")]
        if three:
            biggest = max(three, key=lambda e: e.get("bytes", 0))
            largest = f"corpus/{biggest['entry']}"
    for name in names:
        if name == "seed":
            paths[name] = ROOT / "openapi.yaml"
        elif name == "stripe":
            paths[name] = shared / largest
        else:
            paths[name] = shared / SPECS[name]
    return paths


def edit_summary(text: str, n: int) -> str:
    """Change the first operation summary under `paths:` (a one-line edit; YAML or JSON)."""
    start = text.find("\npaths:")
    pattern = re.compile(r"^(\s+summary:[ \t]*)(.*)$", re.M)
    match = pattern.search(text, max(start, 0))
    if match is None:  # JSON: the first "summary": "..." after "paths"
        found = re.compile(r'"summary":\s*"((?:[^"\\]|\\.)*)"').search(
            text, max(text.find('"paths"'), 0)
        )
        if found is None:
            raise ValueError("no `summary:` line under paths: to edit")
        return text[: found.end(1)] + f" (edit {n})" + text[found.end(1) :]
    value = match.group(2)
    quote = value[:1] if value[:1] in "'\"" and value[-1:] == value[:1] else ""
    body = value[1:-1] if quote else value
    new = f"{quote}{body} (edit {n}){quote}"
    return text[: match.start(2)] + new + text[match.end(2) :]


def edit_schema(text: str, n: int) -> str:
    """Add an integer property to the first component schema with `properties` (a schema edit,
    as text: YAML in block style or JSON); ValueError when there is none to edit."""
    if text.lstrip().startswith("{"):
        start = text.find('"schemas"', max(text.find('"components"'), 0))
        found = re.compile(r'"properties"\s*:\s*\{\s*').search(text, max(start, 0))
        if start < 0 or found is None:
            raise ValueError("no component schema with properties to edit")
        at = found.end()
        comma = "" if text[at] == "}" else ", "
        return text[:at] + f'"zz_added_{n}": {{"type": "integer"}}{comma}' + text[at:]
    start = text.find("\n  schemas:", max(text.find("\ncomponents:"), 0))
    pattern = re.compile(r"^[ \t]+properties:[ \t]*\n(?=([ \t]+)\S)", re.M)
    found = pattern.search(text, start) if start >= 0 else None
    if found is None:
        raise ValueError("no component schema with block-style properties to edit")
    indent = found.group(1)
    added = f"{indent}zz_added_{n}:\n{indent}  type: integer\n"
    return text[: found.end()] + added + text[found.end() :]


# ---------------------------------------------------------------- running the plan


class Runner:
    def __init__(self, args: argparse.Namespace, scratch: Path) -> None:
        self.args = args
        self.scratch = scratch
        self.samples: list[Sample] = []
        self.python = sys.executable  # oagen's interpreter: has PyYAML's C loader
        self.counter = 0

    def fresh(self, label: str) -> Path:
        self.counter += 1
        folder = self.scratch / f"{self.counter:04d}-{label}"
        folder.mkdir()
        return folder

    def record(self, tool: str, spec: str, case: str, run: int, outcome: Outcome) -> Sample:
        s = Sample(
            tool,
            spec,
            case,
            run,
            outcome.wall,
            outcome.cpu,
            outcome.rss_mib,
            outcome.rc,
            outcome.tail,
        )
        self.samples.append(s)
        status = "ok" if s.rc == 0 else f"FAILED rc={s.rc}: {s.note}"
        log(
            f"{spec:7} {case:11} {tool:6} run {run}: {s.wall:8.2f} s wall {s.cpu:8.2f} s cpu "
            f"{s.rss_mib:7.0f} MiB  {status}"
        )
        return s

    def run_tool(
        self, tool: str, spec_name: str, spec: Path, run: int, tools: dict[str, Tool]
    ) -> None:
        work = self.fresh(f"{spec_name}-{tool}")
        out = work / "out"
        logf = work / "log.txt"
        if tool == "oagen":
            cmd, env = oagen_command(spec, out, f"bench_{spec_name}"), cold_env(work, os.environ)
        else:
            cmd, extra = peer_command(tool, spec_name, spec, out, work)
            env = {**cold_env(work, tools[tool].env), **extra}
        outcome = measure(cmd, work, env, self.args.timeout, logf)
        if outcome.rc == 0 and tool == "opc" and logf.exists():
            # openapi-python-client skips endpoints it cannot map, with a warning each
            skipped = logf.read_text(errors="replace").count("Endpoint will not be generated")
            if skipped:
                outcome.tail = f"skipped {skipped} endpoint(s)"
        self.record(tool, spec_name, "cold", run, outcome)
        if not self.args.keep:
            shutil.rmtree(work, ignore_errors=True)

    def floor(self, spec_name: str, spec: Path, run: int) -> None:
        if spec.suffix == ".json":  # oagen reads JSON with json (Twilio's is not valid YAML)
            code = f"import json; json.load(open({str(spec)!r}, 'rb'))"
        else:
            code = f"import yaml; yaml.load(open({str(spec)!r}), Loader=yaml.CSafeLoader)"
        outcome = measure([self.python, "-c", code], self.scratch, None, self.args.timeout)
        self.record("floor", spec_name, "floor", run, outcome)

    def bare(self, run: int) -> None:
        outcome = measure([self.python, "-c", "pass"], self.scratch, None, 60)
        self.record("python", "-", "bare", run, outcome)

    def incremental(self, spec_name: str, spec: Path, runs: int) -> None:  # noqa: PLR0914
        """Warm: generate once, then (a) edit one summary per run, (b) rerun unchanged."""
        work = self.fresh(f"{spec_name}-incremental")
        copy = work / spec.name
        original = spec.read_text()
        copy.write_text(original)
        out = work / "out"
        cmd = oagen_command(copy, out, f"bench_{spec_name}")
        env = cold_env(work, os.environ)  # one cache folder for this spec: warm after run 1
        first = measure(cmd, work, env, self.args.timeout, work / "warm.txt")
        if first.rc != 0:
            self.record("oagen", spec_name, "incremental", 0, first)
            log(f"{spec_name}: the warm-up generation failed; no incremental numbers")
            return
        # a second unchanged run so any cache oagen keeps is written and read back once
        measure(cmd, work, env, self.args.timeout)
        for run in range(1, runs + 1):
            copy.write_text(edit_summary(original, run))
            log_path = work / f"inc{run}.txt"
            outcome = measure(cmd, work, env, self.args.timeout, log_path)
            _written(self.record("oagen", spec_name, "incremental", run, outcome), log_path, out)
        try:
            edited = [edit_schema(original, run) for run in range(1, runs + 1)]
        except ValueError as exc:
            log(f"{spec_name}: no schema-edit numbers: {exc}")
            edited = []
        for run, text in enumerate(edited, 1):  # a schema's property added (the IR changes)
            copy.write_text(text)
            log_path = work / f"schema{run}.txt"
            outcome = measure(cmd, work, env, self.args.timeout, log_path)
            _written(self.record("oagen", spec_name, "schema-edit", run, outcome), log_path, out)
        copy.write_text(original)
        if edited:  # the output now shows the edited schema: regenerate it first, unmeasured
            measure(cmd, work, env, self.args.timeout)
        for run in range(1, runs + 1):
            log_path = work / f"noop{run}.txt"
            outcome = measure(cmd, work, env, self.args.timeout, log_path)
            _written(self.record("oagen", spec_name, "noop", run, outcome), log_path, out)
        if not self.args.keep:
            shutil.rmtree(work, ignore_errors=True)


_WRITTEN = re.compile(r"(\d+) files in .*?\((\d+) file\(s\) written\)")


def _written(sample: Sample, log_path: Path, out: Path) -> None:
    """Add what oagen said it wrote (`N files in DIR (M file(s) written)`) and the surface size."""
    text = log_path.read_text(errors="replace") if log_path.exists() else ""
    found = _WRITTEN.search(text)
    if found:
        sample.files_total, sample.files_written = int(found.group(1)), int(found.group(2))
    elif "up to date" in text or "unchanged" in text:
        sample.files_written = 0
    surface = out / ".oagen-surface.json"
    if surface.exists():
        sample.surface_bytes = surface.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per tool and spec (default 3)")
    parser.add_argument(
        "--big-runs", type=int, default=None, help=f"runs for {', '.join(BIG)} (default: --runs)"
    )
    parser.add_argument(
        "--specs", default=",".join(SPECS), help=f"comma-separated subset of {','.join(SPECS)}"
    )
    parser.add_argument(
        "--peers", default=",".join(PEERS), help="comma-separated subset of opc,oag ('' for none)"
    )
    parser.add_argument("--quick", action="store_true", help="1 run each, small specs only")
    parser.add_argument(
        "--scale",
        action="store_true",
        help=f"1 run each, {' and '.join(SCALE)} only (against both peers unless --peers)",
    )
    parser.add_argument("--no-incremental", action="store_true", help="skip incremental/no-op")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per run (1800)")
    parser.add_argument("--keep", action="store_true", help="keep the output folders")
    parser.add_argument("--output", type=Path, default=RESULTS_MD, help="the Markdown report")
    parser.add_argument(
        "--report-only",
        type=Path,
        metavar="JSON",
        help="re-render the Markdown report from a results.json; run nothing",
    )
    args = parser.parse_args(argv)
    if args.report_only:
        saved = json.loads(args.report_only.read_text())
        samples = [Sample(**raw) for raw in saved["samples"]]
        meta = saved["meta"]
        order = {name: i for i, name in enumerate(["oagen", *PEERS])}
        ran = sorted({s.tool for s in samples if s.tool in order}, key=order.__getitem__)
        report = markdown(samples, meta, list(meta["specs"]), ran)
        print(report)
        args.output.write_text(report)
        return 0

    specs = [s.strip() for s in args.specs.split(",") if s.strip()]
    peers = [p.strip() for p in args.peers.split(",") if p.strip()]
    if args.quick:
        args.runs = 1
        specs = [s for s in specs if s in SMALL]
    if args.scale:
        args.runs, args.big_runs = 1, 1
        specs = [s for s in specs if s in SCALE]
    unknown = [s for s in specs if s not in SPECS] + [p for p in peers if p not in PEERS]
    if unknown:
        parser.error(f"unknown spec or peer: {', '.join(unknown)}")
    big_runs = args.big_runs if args.big_runs is not None else args.runs

    paths = spec_paths(specs)
    missing = {name: path for name, path in paths.items() if not path.exists()}
    for name, path in missing.items():
        log(f"skipping {name}: {path} not found")
    specs = [s for s in specs if s not in missing]

    tools = ensure_peers(peers)
    for name, tool in tools.items():
        if not tool.available:
            log(f"skipping {PEER_LABEL[name]}: {tool.reason}")
    active = ["oagen"] + [p for p in peers if tools[p].available]

    # oagen runs from its source tree here; compile it the way `pip install` compiles an
    # installed package (with PYTHONDONTWRITEBYTECODE set, nothing would ever be cached and
    # every run would pay for compiling oagen's modules, unlike the peers' installed ones)
    import compileall

    compileall.compile_dir(str(ROOT / "generator"), quiet=1)
    started = dt.datetime.now()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="oagen-bench-") as tmp:
        runner = Runner(args, Path(tmp))
        for run in range(1, args.runs + 1):
            runner.bare(run)
        for name in specs:
            n = big_runs if name in BIG else args.runs
            for run in range(1, n + 1):
                runner.floor(name, paths[name], run)
                for tool in active:  # alternate: oagen, peer 1, peer 2, oagen, ...
                    runner.run_tool(tool, name, paths[name], run, tools)
        if not args.no_incremental:
            for name in specs:
                if name in INCREMENTAL:
                    runner.incremental(name, paths[name], big_runs if name in BIG else args.runs)
        samples = runner.samples
    finished = dt.datetime.now()

    meta = {
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "argv": sys.argv[1:] if argv is None else argv,
        "runs": args.runs,
        "big_runs": big_runs,
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        "load": [load_before, os.getloadavg()],
        "oagen": _oagen_state(),
        "skipped": {PEER_LABEL[n]: t.reason for n, t in tools.items() if not t.available},
        "specs": {name: str(paths[name]) for name in specs},
    }
    report = markdown(samples, meta, specs, active)
    print(report)
    args.output.write_text(report)
    raw = RESULTS_JSON if args.output == RESULTS_MD else args.output.with_suffix(".json")
    raw.write_text(
        json.dumps({"meta": meta, "samples": [asdict(s) for s in samples]}, indent=1) + "\n"
    )
    log(f"wrote {args.output} and {raw}")
    return 0


def _oagen_state() -> str:
    """The oagen version and source commit measured (read-only git queries)."""
    version = subprocess.run(
        [sys.executable, "-c", "import generator; print(generator.__version__)"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--", "generator", "templates"],
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        head, dirty = "", ""
    where = f", commit {head}" if head else ""
    edits = " with uncommitted changes to generator/ or templates/" if dirty else ""
    return f"oagen {version or '?'}{where}{edits}"


# ---------------------------------------------------------------- the report


def _median(samples: list[Sample], attr: str) -> float | None:
    ok = [getattr(s, attr) for s in samples if s.rc == 0]
    return statistics.median(ok) if ok else None


def _cell(samples: list[Sample]) -> str:
    if not samples:
        return "—"
    wall, cpu, rss = (_median(samples, a) for a in ("wall", "cpu", "rss_mib"))
    if wall is None:
        note = samples[-1].note or f"exit {samples[-1].rc}"
        return f"fails ({_md(note[:90])})"
    failed = sum(1 for s in samples if s.rc != 0)
    extra = f" ({failed}/{len(samples)} failed)" if failed else ""
    notes = sorted({s.note for s in samples if s.rc == 0 and s.note})
    extra += "".join(f"; {_md(n)}" for n in notes)
    return f"{wall:.2f} s ({cpu:.2f} cpu), {rss:.0f} MiB{extra}"


def _ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0:
        return "—"
    return f"{a / b:.2f}×"


def _ratios(a: list[Sample], b: list[Sample]) -> str:
    """Wall-time ratio, then the CPU-time ratio (steadier on a busy machine)."""
    wall = _ratio(_median(a, "wall"), _median(b, "wall"))
    if wall == "—":
        return wall
    return f"{wall} (cpu {_ratio(_median(a, 'cpu'), _median(b, 'cpu'))})"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(
    samples: list[Sample], meta: dict[str, Any], specs: list[str], tools: list[str]
) -> str:
    def pick(tool: str, spec: str, case: str) -> list[Sample]:
        return [s for s in samples if s.tool == tool and s.spec == spec and s.case == case]

    peers = [t for t in tools if t != "oagen"]
    lines = [
        "# oagen benchmark",
        "",
        f"Date: {meta['started']} to {meta['finished']}. Machine: {meta['machine']}. "
        f"Load average (1/5/15 min) at start {_load(meta['load'][0])}, at end "
        f"{_load(meta['load'][1])}.",
        "",
        f"Command: `python bench/run.py {' '.join(meta['argv'])}`. Medians of {meta['runs']} "
        f"run(s) per tool ({meta['big_runs']} on openai/box/twilio/stripe), tools alternating "
        "run by run, each run cold into a fresh output folder. Time is wall-clock (CPU = "
        "user + sys of the process tree); memory is the peak of the process tree: max(largest "
        "single-process max RSS, sampled sum of PSS over the live tree). Ratios: "
        "wall-time ratio, then the CPU-time ratio, which is steadier when other work shares "
        "the machine (compare the load averages with the CPU count). Cold means a fresh "
        "output folder and empty caches (`OAGEN_CACHE_DIR` and `XDG_CACHE_HOME` point at a "
        "new folder per run). Parse floor: `yaml.load(..., Loader=yaml.CSafeLoader)` in "
        "oagen's interpreter, `json.load` for .json specs. oagen's modules are compiled "
        "to bytecode first, as `pip install` does for the peers.",
        "",
        f"Measured: {meta.get('oagen', 'oagen')}.",
        "",
        "Tools: " + "; ".join(f"`{t}` = {PEER_LABEL[t]}" for t in tools) + ".",
        "",
    ]
    for label, reason in meta["skipped"].items():
        lines.append(f"- Skipped {label}: {reason}")
    if meta["skipped"]:
        lines.append("")
    bare = pick("python", "-", "bare")
    lines += [f"Bare `python -c pass`: {_cell(bare)}.", "", "## Cold generation", ""]
    head = ["spec", "parse floor", "oagen"] + [f"{p}" for p in peers]
    head += [f"oagen/{p} time" for p in peers] + [f"oagen/{p} mem" for p in peers]
    head += ["oagen/floor time"]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for spec in specs:
        floor = pick("floor", spec, "floor")
        og = pick("oagen", spec, "cold")
        row = [spec, _cell(floor), _cell(og)] + [_cell(pick(p, spec, "cold")) for p in peers]
        og_rss = _median(og, "rss_mib")
        row += [_ratios(og, pick(p, spec, "cold")) for p in peers]
        row += [_ratio(og_rss, _median(pick(p, spec, "cold"), "rss_mib")) for p in peers]
        row += [_ratios(og, floor)]
        lines.append("| " + " | ".join(row) + " |")
    inc_specs = [s for s in specs if pick("oagen", s, "incremental") or pick("oagen", s, "noop")]
    if inc_specs:
        lines += [
            "",
            "## oagen incremental and no-op",
            "",
            "Incremental: one operation's summary edited in a copy of the spec, output already "
            "generated, caches warm. Schema edit: the same, a property added to the first "
            "component schema with properties instead (the IR changes; so does the validator's "
            "input). No-op: same spec, output intact.",
            "",
            "Files written: what the incremental run wrote, of the files oagen owns there; "
            "surface: the size of `.oagen-surface.json`.",
            "",
            "| spec | cold | incremental | incremental/floor | schema edit | no-op "
            "| no-op/bare python | files written | surface |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for spec in inc_specs:
            inc, noop = pick("oagen", spec, "incremental"), pick("oagen", spec, "noop")
            floor = pick("floor", spec, "floor")
            schema = pick("oagen", spec, "schema-edit")
            lines.append(
                f"| {spec} | {_cell(pick('oagen', spec, 'cold'))} | {_cell(inc)} | "
                f"{_ratios(inc, floor)} | {_cell(schema) if schema else '–'} | {_cell(noop)} "
                f"| {_ratios(noop, bare)} | {_files_cell(inc)} | {_surface_cell(inc)} |"
            )
    lines += ["", "## Specs", ""]
    for spec in specs:
        path = Path(meta["specs"][spec])
        lines.append(f"- {spec}: `{path}` ({path.stat().st_size / 1e6:.2f} MB)")
    failures = [s for s in samples if s.rc != 0]
    if failures:
        lines += ["", "## Failures", ""]
        seen: set[tuple[str, str, str]] = set()
        for s in failures:
            key = (s.tool, s.spec, s.case)
            if key in seen:
                continue
            seen.add(key)
            lines.append(f"- {s.tool} on {s.spec} ({s.case}): exit {s.rc}: {_md(s.note)}")
    return "\n".join(lines) + "\n"


def _files_cell(samples: list[Sample]) -> str:
    written = [s.files_written for s in samples if s.files_written is not None]
    total = [s.files_total for s in samples if s.files_total is not None]
    if not written:
        return "–"
    return f"{max(written)} of {max(total)}" if total else str(max(written))


def _surface_cell(samples: list[Sample]) -> str:
    sizes = [s.surface_bytes for s in samples if s.surface_bytes is not None]
    return f"{max(sizes) / 1e6:.2f} MB" if sizes else "–"


def _load(values: list[float] | tuple[float, ...]) -> str:
    return "/".join(f"{v:.1f}" for v in values)


if __name__ == "__main__":
    sys.exit(main())
