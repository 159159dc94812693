"""Wall time of one `qa ask` on a built index: what a person at a terminal waits for, start-up included.

    python bench/ask_cli.py [--runs 5] [--data-dir DIR] [--question 展会在哪里举办？]

Each run is a fresh `python -m qa.cli ask` process of this checkout (interpreter start, imports, loading
the model and the index, answering). The index is built first if the data dir has none, and that build
is not timed. Also reports whether the process imported PyTorch (it should not on the default ONNX path)
and the slowest imports from `python -X importtime`. Target: median ≤ 2 s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.common import machine, median

_PROBE = ("import sys, runpy; sys.argv = ['qa'] + sys.argv[1:]\n"
          "try:\n    runpy.run_module('qa.cli', run_name='__main__')\n"
          "except SystemExit:\n    pass\n"
          "print('torch imported' if 'torch' in sys.modules else 'torch not imported', file=sys.stderr)\n")


def _env(data_dir: Path) -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "QA_DATA_DIR": str(data_dir), "PYTHONPATH": path}


def slowest_imports(lines: list[str], n: int = 5) -> list[tuple[int, str]]:
    """The top-level imports (``-X importtime`` lines without nesting) that took longest, in µs."""
    found = []
    for line in lines:
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|", 2)
        if name.startswith(" ") and not name.startswith("  ") and cumulative.strip().isdigit():
            found.append((int(cumulative), name.strip()))
    return sorted(found, reverse=True)[:n]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--data-dir", type=Path, default=None, help="a data dir (default: a temporary one)")
    ap.add_argument("--question", default="展会在哪里举办？")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.data_dir or Path(tmp) / "data"
        env = _env(data_dir)
        subprocess.run([sys.executable, "-m", "qa.cli", "index"], env=env, cwd=REPO, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "qa.cli", "ask", args.question], env=env, cwd=REPO, check=True,
                           stdout=subprocess.DEVNULL)
            walls.append(time.perf_counter() - t0)
        probe = subprocess.run([sys.executable, "-X", "importtime", "-c", _PROBE, "ask", args.question],
                               env=env, cwd=REPO, check=True, capture_output=True, text=True)
    err = probe.stderr.splitlines()
    print(f"machine: {machine()}")
    print(f"qa ask {args.question!r}, {args.runs} runs: median {median(walls):.2f} s, "
          f"min {min(walls):.2f} s, max {max(walls):.2f} s  (target ≤ 2 s)")
    print(next((ln for ln in err if ln.startswith("torch ")), "torch: unknown"))
    print("slowest top-level imports: " + ", ".join(f"{name} {us / 1e6:.2f} s" for us, name in slowest_imports(err)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
