"""Import and CLI start-up times of a generated package (issue 16), median of N fresh runs.

    python bench/imports.py OUTPUT_DIR PACKAGE METHOD [KWARGS_JSON] [--cli WORDS...] [-n 5]
        [--generate SPEC] [--output FILE]

With `--generate SPEC` (a path, or one relative to ../shared/specs), oagen first generates SPEC
into OUTPUT_DIR as PACKAGE; with `--output FILE`, the table goes to FILE (a Markdown page with
the date, machine and load) instead of standard output. `make bench-scale` runs it on GitHub.

Measures, each in a fresh interpreter (bytecode compiled first, as an installed package has):
- `import <package>` + `Client()`;
- the first call of METHOD (against a loopback server answering `{}` to everything), after
  import + `Client()`;
- `python -m <package> --help`, and `python -m <package> WORDS --help` (whole process);
- the floor: a process that only imports httpx (the package's one dependency).
Standalone: stdlib only; prints one Markdown table row per measure.
"""

from __future__ import annotations

import argparse
import compileall
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


class _Answer(BaseHTTPRequestHandler):
    def _reply(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        self.rfile.read(length)
        body = b"{}"
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _reply

    def log_message(self, *args: Any) -> None:
        pass


_TIMED = """
import time
t0 = time.perf_counter()
import {package}
c = {package}.Client(api_key="k", base_url={url!r})
t1 = time.perf_counter()
c.{method}(**{kwargs!r})
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} s (min {min(values):.3f})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("package")
    ap.add_argument("method")
    ap.add_argument("kwargs", nargs="?", default="{}")
    ap.add_argument("--cli", nargs="*", default=[])
    ap.add_argument("-n", type=int, default=5)
    ap.add_argument("--generate", metavar="SPEC", help="generate SPEC into FOLDER first")
    ap.add_argument("--output", type=Path, help="write the table to this Markdown file")
    args = ap.parse_args()
    if args.generate:
        _generate(args.generate, args.folder, args.package)
    compileall.compile_dir(str(args.folder / args.package), quiet=1)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Answer)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    code = _TIMED.format(
        package=args.package, url=url, method=args.method, kwargs=json.loads(args.kwargs)
    )
    imports, calls, helps, commands, floor = [], [], [], [], []
    for _ in range(args.n):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import httpx"], check=True)
        floor.append(time.perf_counter() - start)
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=args.folder, capture_output=True, text=True
        )
        if out.returncode:
            sys.exit(out.stderr)
        first, second = map(float, out.stdout.split())
        imports.append(first)
        calls.append(second)
        for argv, into in (([], helps), (args.cli, commands)):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", args.package, *argv, "--help"],
                cwd=args.folder,
                capture_output=True,
                check=True,
            )
            into.append(time.perf_counter() - start)
    httpd.shutdown()
    words = " ".join(args.cli)
    rows = [
        f"| {args.package} | floor: `python -c 'import httpx'` (process) | {_median(floor)} |",
        f"| {args.package} | import + Client() | {_median(imports)} |",
        f"| {args.package} | first call `{args.method}` | {_median(calls)} |",
        f"| {args.package} | CLI `--help` (process) | {_median(helps)} |",
        f"| {args.package} | CLI `{words} --help` (process) | {_median(commands)} |",
    ]
    if not args.output:
        print("\n".join(rows))
        return
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    args.output.write_text(
        "# Import and CLI start-up of a generated package\n\n"
        f"Date: {datetime.datetime.now().isoformat(timespec='seconds')}. Machine: "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; load average at the end {load}. Command: `python "
        f"bench/imports.py {' '.join(sys.argv[1:])}`. Medians of {args.n} fresh processes "
        "(bytecode compiled first); targets of issue 16: import + `Client()` ≤ 0.3 s, first "
        "call ≤ 0.5 s more, CLI `--help` ≤ 0.5 s.\n\n"
        "| package | measure | median |\n|---|---|---|\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {args.output}")


def _generate(spec: str, folder: Path, package: str) -> None:
    """`oagen generate SPEC -o FOLDER --package PACKAGE` with this interpreter's oagen."""
    path = Path(spec)
    if not path.is_file():
        shared = os.environ.get("OAGEN_SHARED_SPECS")
        root = Path(shared) if shared else Path(__file__).resolve().parents[2] / "shared/specs"
        path = root / spec
    command = [sys.executable, "-m", "generator", "generate", str(path), "-o", str(folder)]
    subprocess.run([*command, "--package", package], check=True, capture_output=True)


if __name__ == "__main__":
    main()
