"""Mixed load while documents change: ask, search and stream from 8 clients, plus a writer, and 0 errors.

Readers must never notice writes: every request is checked (status, JSON shape, citations that point into
the returned sources, a stream whose deltas add up to its final answer) while one more client adds
documents (as JSON and as uploaded files), reads each back as soon as it is acknowledged, and deletes
older ones. Prints p50/p95/p99 latency per kind of request and overall, requests per second, and the
load average, since the machine may be shared.

It starts its own server on a free loopback port with a temporary data dir and a random API key (the real
model through ``qa serve``, or the hash embedder with ``--fake-embedder``), unless ``--url`` points at a
running one (loopback only; writes then need ``--api-key`` or $QA_API_KEY). Bounded: it stops at
``--duration`` seconds or ``--max-requests``, whichever comes first, and stops the server it started.

    python bench/load_mixed.py                      # real model, 30 s, 8 clients
    python bench/load_mixed.py --fake-embedder      # the plumbing only: fast, no model
    python bench/load_mixed.py --url http://127.0.0.1:8000 --api-key "$QA_API_KEY" --duration 60

``--serve-only`` runs just the server it would start (tests use it to kill a real server mid-write).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.common import machine, pct
from bench.load_api import _check_loopback, questions
from bench.serve import ServerProcess

READS = ("ask", "search", "stream")
READ_WEIGHTS = (5, 3, 2)


# -- the load ------------------------------------------------------------------------------------------
@dataclass
class LoadReport:
    latencies_ms: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in (*READS, "add", "delete")})
    errors: list[str] = field(default_factory=list)
    wall_s: float = 0.0
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)

    @property
    def reads(self) -> int:
        return sum(len(self.latencies_ms[k]) for k in READS)

    def summary(self) -> dict:
        out: dict = {"wall_s": round(self.wall_s, 2), "errors": len(self.errors),
                     "load_average_before": self.load_before, "load_average_after": self.load_after,
                     "read_rps": round(self.reads / self.wall_s, 1) if self.wall_s else 0.0}
        every = [v for k in READS for v in self.latencies_ms[k]]
        for name, values in [*self.latencies_ms.items(), ("all reads", every)]:
            out[name] = {"n": len(values), **{f"p{q}_ms": round(pct(values, q), 1) if values else None
                                              for q in (50, 95, 99)}}
        return out


class _Budget:
    """A request count shared by every client, so a fast server cannot make the run unbounded."""

    def __init__(self, total: int) -> None:
        self.left, self._lock = total, threading.Lock()

    def take(self) -> bool:
        with self._lock:
            self.left -= 1
            return self.left >= 0


def _ask(http: httpx.Client, question: str, top_k: int) -> str | None:
    r = http.post("/api/ask", json={"question": question, "top_k": top_k})
    if r.status_code != 200:
        return f"ask: HTTP {r.status_code}: {r.text[:200]}"
    return _answer_problem(r.json())


def _answer_problem(body: dict) -> str | None:
    """What is inconsistent in an answer: a citation of a chunk that is not among its sources, or a quote
    that is not in that chunk's text (a mix of two index generations would show as one or the other)."""
    chunks = {s["chunk_id"]: s["text"] for s in body["sources"]}
    for c in body["citations"]:
        if c["chunk_id"] not in chunks or c["quote"] not in chunks[c["chunk_id"]]:
            return f"citation [{c['n']}] of {c['chunk_id']} does not match the sources returned with it"
        if f"[{c['n']}]" not in body["answer"]:
            return f"citation [{c['n']}] is not marked in the answer"
    return None


def _search(http: httpx.Client, question: str, top_k: int) -> str | None:
    r = http.get("/api/search", params={"q": question, "top_k": top_k})
    if r.status_code != 200:
        return f"search: HTTP {r.status_code}: {r.text[:200]}"
    results = r.json()["results"]
    return None if len(results) <= top_k else f"search: {len(results)} results for top_k={top_k}"


def _stream(http: httpx.Client, question: str, top_k: int) -> str | None:
    deltas: list[str] = []
    done = None
    event = None
    with http.stream("POST", "/api/ask/stream", json={"question": question, "top_k": top_k}) as r:
        if r.status_code != 200:
            r.read()
            return f"stream: HTTP {r.status_code}: {r.text[:200]}"
        for line in r.iter_lines():
            if line.startswith("event: "):
                event = line.removeprefix("event: ")
            elif line.startswith("data: "):
                data = json.loads(line.removeprefix("data: "))
                if event == "delta":
                    deltas.append(data["text"])
                elif event == "done":
                    done = data
    if done is None:
        return "stream: no done event"
    if "".join(deltas) != done["answer"]:
        return "stream: the deltas do not add up to the final answer"
    return _answer_problem(done)


_READ_CALLS: dict[str, Callable[[httpx.Client, str, int], str | None]] = {
    "ask": _ask, "search": _search, "stream": _stream}


def _notice(n: int) -> tuple[str, str]:
    """Title and text of the writer's n-th document; its number makes it findable and unique."""
    text = (f"临时通知第{n}号：第{n}号展位调整至义乌国际博览中心{n % 5 + 1}号馆。"
            f"咨询电话0579-8{n:07d}。本通知编号为LM{n:05d}，仅供负载测试使用。")
    return f"临时通知第{n}号", text


def run_load(url: str, api_key: str | None, duration_s: float, clients: int = 8,
             max_requests: int = 100_000, seed: int = 0, writer_pause_s: float = 0.1,
             keep_live: int = 3) -> LoadReport:
    """Readers and (with ``api_key``) one writer against ``url`` until the time or the budget runs out."""
    report = LoadReport(load_before=os.getloadavg())
    lock = threading.Lock()
    budget = _Budget(max_requests)
    pool = questions()
    written: list[int] = []  # numbers of the writer's documents, for questions about them
    run = secrets.token_hex(3)
    deadline = time.monotonic() + duration_s

    def record(kind: str, ms: float, problem: str | None) -> None:
        with lock:
            if problem:
                report.errors.append(problem)
            else:
                report.latencies_ms[kind].append(ms)

    def reader(i: int) -> None:
        rng = random.Random(seed * 1000 + i)
        with httpx.Client(base_url=url, timeout=60) as http:
            while time.monotonic() < deadline and budget.take():
                kind = rng.choices(READS, READ_WEIGHTS)[0]
                with lock:
                    recent = written[-keep_live - 2:]
                if recent and rng.random() < 0.25:  # documents being added and deleted right now
                    question = f"第{rng.choice(recent)}号临时通知的咨询电话是多少？"
                else:
                    question = rng.choice(pool)
                t0 = time.perf_counter()
                try:
                    problem = _READ_CALLS[kind](http, question, rng.randint(1, 10))
                except (httpx.HTTPError, ValueError, KeyError) as exc:
                    problem = f"{kind}: {type(exc).__name__}: {exc}"
                record(kind, (time.perf_counter() - t0) * 1000, problem and f"{problem} (question {question!r})")

    def writer() -> None:
        headers = {"Authorization": f"Bearer {api_key}"}
        live: deque[str] = deque()
        n = 0
        with httpx.Client(base_url=url, timeout=120, headers=headers) as http:
            while time.monotonic() < deadline and budget.take():
                n += 1
                doc_id = f"load-{run}-{n}"
                title, text = _notice(n)
                if n % 3:
                    send = partial(http.post, "/api/documents", json={"id": doc_id, "title": title, "text": text})
                else:
                    body = f"---\nid: {doc_id}\ntitle: {title}\n---\n\n{text}\n".encode()
                    send = partial(http.post, "/api/documents",
                                   files={"file": (f"{doc_id}.md", body, "text/markdown")})
                if _write_and_read_back(http, "add", doc_id, send, 200, record):
                    live.append(doc_id)
                    with lock:
                        written.append(n)
                while len(live) > keep_live or (live and time.monotonic() >= deadline):
                    _delete(http, live.popleft(), record)
                time.sleep(writer_pause_s)
            while live:
                _delete(http, live.popleft(), record)

    threads = [threading.Thread(target=reader, args=(i,), daemon=True) for i in range(clients)]
    if api_key:
        threads.append(threading.Thread(target=writer, daemon=True))
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(duration_s + 180)
        if t.is_alive():
            report.errors.append("a client did not finish within its time cap")
    report.wall_s = time.perf_counter() - t0
    report.load_after = os.getloadavg()
    return report


def _delete(http: httpx.Client, doc_id: str, record: Callable[[str, float, str | None], None]) -> None:
    _write_and_read_back(http, "delete", doc_id, partial(http.delete, f"/api/documents/{doc_id}"), 404, record)


_READ_BACK_PROBLEMS = {"add": "was acknowledged but cannot be read back", "delete": "was deleted but can still be read"}


def _write_and_read_back(http: httpx.Client, kind: str, doc_id: str, send: Callable[[], httpx.Response],
                         read_back_status: int, record: Callable[[str, float, str | None], None]) -> bool:
    """One write, then a read of the document that must answer ``read_back_status``; records the time and
    any problem under ``kind``, and says whether all went well."""
    t0 = time.perf_counter()
    try:
        r = send()
        problem = None if r.status_code == 200 else f"{kind}: HTTP {r.status_code}: {r.text[:200]}"
        if problem is None and http.get(f"/api/documents/{doc_id}").status_code != read_back_status:
            problem = f"{kind}: {doc_id} {_READ_BACK_PROBLEMS[kind]}"
    except httpx.HTTPError as exc:
        problem = f"{kind}: {type(exc).__name__}: {exc}"
    record(kind, (time.perf_counter() - t0) * 1000, problem)
    return problem is None


def print_report(report: LoadReport) -> None:
    s = report.summary()
    before = " ".join(f"{x:.2f}" for x in report.load_before)
    after = " ".join(f"{x:.2f}" for x in report.load_after)
    print(f"load average (1/5/15 min) before {before}, after {after}")
    print(f"{'':10} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for name in (*READS, "all reads", "add", "delete"):
        row = s[name]
        cells = [f"{row[k]:8.1f}" if row[k] is not None else f"{'-':>8}" for k in ("p50_ms", "p95_ms", "p99_ms")]
        print(f"{name:10} {row['n']:6d} {' '.join(cells)}")
    print(f"{report.reads} reads in {s['wall_s']} s: {s['read_rps']} req/s; {len(report.errors)} errors")
    for problem in report.errors[:5]:
        print(f"    error: {problem}")


# -- the server of --serve-only ------------------------------------------------------------------------
def serve_only(data_dir: Path | None, port: int, fake_embedder: bool) -> int:
    """The API alone (no chat UI, so it starts in seconds) with the options ``qa serve`` uses."""
    import uvicorn

    from index.embedders.fake import HashEmbedder
    from qa.http.app import create_app
    from qa.http.server import uvicorn_options
    from qa.pipeline import Pipeline
    from qa.settings import Settings

    settings = Settings.from_env(data_dir=data_dir)
    pipeline = Pipeline(settings, embedder=HashEmbedder()) if fake_embedder else Pipeline.from_settings(settings)
    pipeline.ensure_index()
    pipeline.warm_up()
    options = uvicorn_options(os.environ.get("FORWARDED_ALLOW_IPS"))
    uvicorn.run(create_app(pipeline, settings), host="127.0.0.1", port=port, log_level="warning", **options)
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", help="a running server (loopback only); default: start one")
    p.add_argument("--api-key", default=os.environ.get("QA_API_KEY"),
                   help="the server's key, for the writer (default: $QA_API_KEY; a server it starts gets a "
                        "random one); without one against --url, no writes are made")
    p.add_argument("--fake-embedder", action="store_true", help="start the server with the hash embedder")
    p.add_argument("--duration", type=float, default=30.0, help="seconds of load (default 30)")
    p.add_argument("--clients", type=int, default=8, help="concurrent readers (default 8)")
    p.add_argument("--max-requests", type=int, default=100_000, help="requests at most (default 100000)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--data-dir", type=Path, help="data dir of the server it starts (default: a temp dir)")
    p.add_argument("--startup-cap", type=float, default=900.0,
                   help="seconds to wait for the server it starts (a first run builds the index)")
    p.add_argument("--json", type=Path, help="also write the results here")
    p.add_argument("--serve-only", action="store_true", help="only run the server (needs --port)")
    p.add_argument("--port", type=int, help="port for --serve-only")
    args = p.parse_args(argv)
    if args.serve_only:
        if not args.port:
            p.error("--serve-only needs --port")
        return serve_only(args.data_dir, args.port, args.fake_embedder)
    if args.duration <= 0 or args.duration > 3600 or not 1 <= args.clients <= 64 or args.max_requests < 1:
        p.error("--duration must be in (0, 3600], --clients in 1..64, --max-requests >= 1")

    print(machine())
    with tempfile.TemporaryDirectory(prefix="expo-qa-load-") as tmp:
        server = None
        url, api_key = args.url, args.api_key
        if url:
            _check_loopback(url)
        else:
            api_key = secrets.token_urlsafe(24)
            data_dir = args.data_dir or Path(tmp) / "data"
            kind = "the hash embedder" if args.fake_embedder else "the real model (`qa serve`)"
            print(f"starting a server with {kind} ...", file=sys.stderr)
            server = ServerProcess(data_dir, fake_embedder=args.fake_embedder, api_key=api_key,
                                   log_path=Path(tmp) / "server.log", startup_s=args.startup_cap).start()
            url = server.url
        try:
            health = httpx.get(f"{url}/healthz", timeout=10).json()
            print(f"server {url}: {health['documents']} documents, {health['chunks']} chunks, model "
                  f"{health['embedding_model']}; {args.clients} readers + {'1 writer' if api_key else 'no writer'}"
                  f" for {args.duration:.0f} s")
            report = run_load(url, api_key, args.duration, args.clients, args.max_requests, args.seed)
        finally:
            if server is not None:
                status = server.stop()
                if status not in (0, None):
                    print(f"--- the server exited with {status}; end of its log ---\n{server.log_tail(40)}",
                          file=sys.stderr)
        print_report(report)
        if server is not None and report.errors:
            print("--- end of the server log ---\n" + server.log_tail(60), file=sys.stderr)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"url": url, "health": health, **report.summary()}, indent=2,
                                        ensure_ascii=False))
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
