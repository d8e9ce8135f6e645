"""Import and CLI start-up times of a generated package (issue 16), median of N fresh runs.

    python bench/imports.py OUTPUT_DIR PACKAGE METHOD [KWARGS_JSON] [--cli WORDS...] [-n 5]

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
import json
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
    args = ap.parse_args()
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
    print(f"| {args.package} | floor: `python -c 'import httpx'` (process) | {_median(floor)} |")
    print(f"| {args.package} | import + Client() | {_median(imports)} |")
    print(f"| {args.package} | first call `{args.method}` | {_median(calls)} |")
    print(f"| {args.package} | CLI `--help` (process) | {_median(helps)} |")
    words = " ".join(args.cli)
    print(f"| {args.package} | CLI `{words} --help` (process) | {_median(commands)} |")


if __name__ == "__main__":
    main()
