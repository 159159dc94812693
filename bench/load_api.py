"""Load benchmark for the HTTP API: latency percentiles and throughput of ``POST /api/ask``.

Starts ``qa serve`` on a free loopback port with a temporary data dir (or uses ``--url``, which must be
a loopback address), sends N distinct questions with 1 client and then with 8 concurrent clients, and
prints p50/p95/p99 latency, requests per second and errors, next to the server's own timings so the
gap shows what HTTP and JSON cost. Bounded: every phase stops at N requests or at its time cap,
whichever comes first, and the server it started is stopped at the end.

    python bench/load_api.py                      # start a server, 200 requests per phase
    python bench/load_api.py -n 500 --clients 1,4,8
    python bench/load_api.py --url http://127.0.0.1:8000 --json out/bench_api.json
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import socket
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.serve import ServerProcess

GOLD = REPO / "eval" / "datasets" / "expo_gold.jsonl"
LEXICON = REPO / "corpus" / "lexicon.txt"
TEMPLATES = ("{}是什么？", "{}有哪些具体措施？", "关于{}的最新数据是多少？", "{}在哪里举办？",
             "{}是什么时候发布的？", "请介绍一下{}", "{}的主要内容有哪些？", "What is {}?")
TARGETS = {"p50_ms_1": 25.0, "p95_ms_1": 60.0, "rps_8": 40.0}


@dataclass
class Phase:
    clients: int
    wall_s: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    server_ms: dict[str, list[float]] = field(
        default_factory=lambda: {"retrieve": [], "compose": [], "total": []})
    errors: list[str] = field(default_factory=list)
    capped: bool = False

    def summary(self) -> dict:
        lat = sorted(self.latencies_ms)
        out = {"clients": self.clients, "requests": len(lat) + len(self.errors), "ok": len(lat),
               "errors": len(self.errors), "wall_s": round(self.wall_s, 2), "capped": self.capped,
               "rps": round(len(lat) / self.wall_s, 1) if self.wall_s else 0.0}
        for q in (50, 95, 99):
            out[f"p{q}_ms"] = round(percentile(lat, q), 1)
        out["mean_ms"] = round(sum(lat) / len(lat), 1) if lat else 0.0
        out["server_p50_ms"] = {k: round(percentile(sorted(v), 50), 1) for k, v in self.server_ms.items()}
        return out


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile; 0 for no data."""
    if not sorted_values:
        return 0.0
    rank = max(1, min(len(sorted_values), round(q / 100 * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


def questions() -> list[str]:
    """Distinct questions: the gold set's, then templates over the domain lexicon's terms."""
    lines = GOLD.read_text(encoding="utf-8").splitlines()
    out = [json.loads(line)["question"] for line in lines if line.strip()]
    terms = [line.split()[0] for line in LEXICON.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    out += [t.format(term) for t in TEMPLATES for term in terms]
    return list(dict.fromkeys(out))


def distinct(pool: list[str], start: int, n: int) -> list[str]:
    """n questions from the pool; past its end, numbered variants keep every question distinct."""
    picked = []
    for i in range(start, start + n):
        q = pool[i % len(pool)]
        picked.append(q if i < len(pool) else f"{q}（{i // len(pool)}）")
    return picked


def run_phase(url: str, clients: int, batch: list[str], cap_s: float) -> Phase:
    phase = Phase(clients)
    feed = iter(batch)
    lock = threading.Lock()
    deadline = time.monotonic() + cap_s

    def worker() -> None:
        with httpx.Client(base_url=url, timeout=30) as http:
            while True:
                if time.monotonic() > deadline:
                    phase.capped = True
                    return
                with lock:
                    question = next(feed, None)
                if question is None:
                    return
                t0 = time.perf_counter()
                try:
                    r = http.post("/api/ask", json={"question": question})
                    elapsed = (time.perf_counter() - t0) * 1000
                    if r.status_code != 200:
                        raise RuntimeError(f"HTTP {r.status_code}: {r.text[:200]}")
                    timings = r.json()["timings_ms"]
                except Exception as exc:  # noqa: BLE001 - every failure is counted, none stops the run
                    with lock:
                        phase.errors.append(f"{question!r}: {exc}")
                    continue
                with lock:
                    phase.latencies_ms.append(elapsed)
                    for key in phase.server_ms:
                        phase.server_ms[key].append(float(timings.get(key, 0.0)))

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(cap_s + 35)
    phase.wall_s = time.perf_counter() - t0
    return phase


def _check_loopback(url: str) -> None:
    host = httpx.URL(url).host
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror:
        raise SystemExit(f"cannot resolve {host!r}") from None
    if not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        raise SystemExit(f"refusing to load-test {url}: only loopback addresses are allowed")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", help="a running server (loopback only); default: start `qa serve`")
    p.add_argument("-n", "--requests", type=int, default=200, help="requests per phase (default 200)")
    p.add_argument("--clients", default="1,8", help="comma-separated concurrency levels (default 1,8)")
    p.add_argument("--warmup", type=int, default=10, help="requests before measuring (default 10)")
    p.add_argument("--phase-cap", type=float, default=120.0, help="seconds per phase at most (default 120)")
    p.add_argument("--startup-cap", type=float, default=900.0,
                   help="seconds to wait for the server it starts (first run builds the model and index)")
    p.add_argument("--data-dir", type=Path, help="data dir for the server it starts (default: a temp dir)")
    p.add_argument("--json", type=Path, help="also write the results here")
    args = p.parse_args(argv)
    levels = [int(c) for c in args.clients.split(",") if c.strip()]
    if args.requests < 1 or not levels or min(levels) < 1 or max(levels) > 64:
        p.error("--requests must be >= 1 and --clients between 1 and 64")

    server = tmp = None
    results: list[dict] = []
    url = args.url
    if url:
        _check_loopback(url)
    else:
        print("starting qa serve ...", file=sys.stderr)
        tmp = tempfile.TemporaryDirectory(prefix="expo-qa-bench-")
        data_dir = args.data_dir or Path(tmp.name) / "data"
        server = ServerProcess(data_dir, log_path=Path(tmp.name) / "serve.log", startup_s=args.startup_cap)
        try:
            server.start()
        except RuntimeError as exc:
            tmp.cleanup()
            raise SystemExit(f"qa serve did not start: {exc}") from None
        url = server.url
    try:
        health = httpx.get(f"{url}/healthz", timeout=10).json()
        pool = questions()
        print(f"server {url}: {health['documents']} documents, {health['chunks']} chunks, "
              f"model {health['embedding_model']}; {os.cpu_count()} CPUs; {len(pool)} distinct questions")
        run_phase(url, 1, distinct(pool, 0, args.warmup), args.phase_cap)
        start = args.warmup
        for clients in levels:
            batch = distinct(pool, start, args.requests)
            start += args.requests
            summary = run_phase(url, clients, batch, args.phase_cap)
            results.append(summary.summary())
            report(results[-1])
            for err in summary.errors[:3]:
                print(f"    error: {err}")
    finally:
        if server is not None:
            if any(r["errors"] for r in results):
                print("--- end of the server log ---\n" + server.log_tail(60), file=sys.stderr)
            server.stop()
        if tmp is not None:
            tmp.cleanup()
    verdict(results)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"url": url, "health": health, "phases": results}, indent=2))
    return 1 if any(r["errors"] for r in results) else 0


def report(r: dict) -> None:
    s = r["server_p50_ms"]
    print(f"{r['clients']:>2} client(s): {r['ok']}/{r['requests']} ok, {r['errors']} errors "
          f"in {r['wall_s']} s"
          f"{' (time cap hit)' if r['capped'] else ''}  {r['rps']} req/s  latency ms p50 {r['p50_ms']} "
          f"p95 {r['p95_ms']} p99 {r['p99_ms']} mean {r['mean_ms']}")
    print(f"    server p50 ms: retrieve {s['retrieve']}, compose {s['compose']}, total {s['total']}; "
          f"HTTP + JSON + queueing p50 ≈ {round(r['p50_ms'] - s['total'], 1)} ms")


def verdict(results: list[dict]) -> None:
    by = {r["clients"]: r for r in results}
    checks = []
    if 1 in by:
        checks += [(f"p50 at 1 client <= {TARGETS['p50_ms_1']} ms", by[1]["p50_ms"] <= TARGETS["p50_ms_1"]),
                   (f"p95 at 1 client <= {TARGETS['p95_ms_1']} ms", by[1]["p95_ms"] <= TARGETS["p95_ms_1"])]
    if 8 in by:
        checks += [(f">= {TARGETS['rps_8']} req/s at 8 clients, no errors",
                    by[8]["rps"] >= TARGETS["rps_8"] and by[8]["errors"] == 0)]
    for name, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {name}")


if __name__ == "__main__":
    sys.exit(main())
