"""CPU used by an idle `qa serve`: started, given one question and one page load, then left alone.

    python bench/idle_cpu.py [--seconds 30] [--data-dir DIR]

Reads the server process's user + system CPU time from /proc before and after the idle window and
prints it as a share of one core. Target: ≤ 1 % of a core. (A busy loop somewhere, a polling queue or
a spinning thread pool, shows up here long before anyone notices it in `top`.)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import httpx

from bench.common import machine
from bench.serve import ServerProcess


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` and its threads, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def idle_share(server: ServerProcess, seconds: float) -> float:
    """Share of one core the server used over ``seconds`` of doing nothing."""
    assert server.proc is not None
    httpx.get(server.url + "/", timeout=30)
    httpx.post(server.url + "/api/ask", json={"question": "展会在哪里举办？"}, timeout=60)
    time.sleep(3)  # let the last request's work finish
    c0, t0 = cpu_seconds(server.proc.pid), time.monotonic()
    time.sleep(seconds)
    return (cpu_seconds(server.proc.pid) - c0) / (time.monotonic() - t0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--data-dir", type=Path, default=None, help="a data dir (default: a temporary one)")
    args = ap.parse_args()
    env = {"PYTHONPATH": os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)}
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.data_dir or Path(tmp) / "data"
        with ServerProcess(data_dir, env=env, log_path=Path(tmp) / "serve.log") as server:
            share = idle_share(server, args.seconds)
    print(f"machine: {machine()}")
    print(f"idle qa serve over {args.seconds:.0f} s: {share * 100:.2f} % of one core  (target ≤ 1 %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
