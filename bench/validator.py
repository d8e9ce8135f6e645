"""CPU of the validate stage alone, on a few specs, for two checkouts side by side.

    python bench/validator.py SPEC... [--root CHECKOUT]... [--repeat N] [--phases]

For each spec and each checkout (default: this one), N times, interleaved (A, B, A, B, ...: the
machine's load falls on both alike): a fresh process loads and bundles the spec with that
checkout's generator, then runs `validate.findings` (the validator of `oagen generate`, in
this process, no verdict cache) and reports its CPU seconds, finding count and peak RSS. Prints
one line per spec and checkout: min and median CPU, findings, the peak RSS and how much of it
the validation added. Run with the project venv; compare
`--root ../main --root .` for before/after. With `--phases`, each run also times, in a second
fresh process, the two phases of one validator instance of `validate.spec_validator`: the
document against the OAS JSON Schema (`doc`) and the keyword walkers with the Schema Objects'
meta-checks (`walk`), and the line adds their minimums.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

_CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from generator import validate
from generator.load import load
from generator.resolve import resolve
import openapi_spec_validator  # imported before the clock starts, as in bench/stages.py
spec = Path(sys.argv[2])
loaded = load(spec, max_bytes=1 << 30, display=spec.name)
version = validate.check_version(loaded.data, loaded.source)
data = resolve(loaded.data, spec, loaded.source)
def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
try:
    open("/proc/self/clear_refs", "w").write("5")  # peak RSS := RSS now
except OSError:
    pass
before = status("VmRSS")
start = time.process_time()
found = validate.findings(data, version)
cpu = time.process_time() - start
peak = status("VmHWM")
print(json.dumps({"cpu": cpu, "findings": len(found), "mib": peak, "grew": peak - before}))
"""


# the same preamble; then the phases of one validator instance instead of `findings`
_PHASES = _CHILD.split("before = status")[0] + """
import os
os.environ[validate._BACKEND_ENV] = "jsonschema"
validator = validate.spec_validator(version)(data)
start = time.process_time()
errors = list(validator.schema_validator.iter_errors(validator.schema))
doc = time.process_time() - start
start = time.process_time()
errors += list(validator.root_validator(validator.schema_path))
walk = time.process_time() - start
print(json.dumps({"doc": doc, "walk": walk}))
"""


def measure(root: Path, spec: Path, child: str = _CHILD) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", child, str(root), str(spec)], capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"{root}, {spec}:\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("specs", nargs="+", type=Path)
    parser.add_argument("--root", action="append", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--phases", action="store_true")
    args = parser.parse_args()
    roots = [r.resolve() for r in (args.root or [Path(__file__).resolve().parents[1]])]
    for spec in args.specs:
        runs: dict[Path, list[dict[str, float]]] = {root: [] for root in roots}
        for _ in range(args.repeat):
            for root in roots:
                runs[root].append(measure(root, spec))
                if args.phases:
                    runs[root][-1].update(measure(root, spec, _PHASES))
        for root in roots:
            cpu = [r["cpu"] for r in runs[root]]
            found = {int(r["findings"]) for r in runs[root]}
            grew = max(r["grew"] for r in runs[root])
            phases = ""
            if args.phases:
                doc, walk = (min(r[k] for r in runs[root]) for k in ("doc", "walk"))
                phases = f"  (doc {doc:.2f} s + walk {walk:.2f} s)"
            print(
                f"{spec.name:16} {str(root):24} min {min(cpu):6.2f} s  "
                f"median {statistics.median(cpu):6.2f} s  findings {sorted(found)}  "
                f"peak RSS {max(r['mib'] for r in runs[root]):5.0f} MiB "
                f"(+{grew:.0f} while validating){phases}",
                flush=True,
            )


if __name__ == "__main__":
    main()
