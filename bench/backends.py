"""The index backends side by side at 10k and 100k chunks: local (SQLite + FAISS + BM25), Milvus Lite
embedded (a file) and Milvus Lite as a server process (``milvus-lite server``, the protocol of a cluster).

Per backend and size: ingest chunks/s with vectors precomputed (``IndexStore.apply`` in batches of 256
chunks, as the indexer writes), hybrid retrieval p50/p95 (dense + BM25, fused; the question's vector is
precomputed), and peak RSS of the process holding the index (the benchmark for local and embedded, the
server for server mode). With ``--onnx`` each timed query also embeds its text with the ONNX e5 model
(the index's vectors are synthetic, so the search still uses the prepared vector), giving what a question
costs end to end on that backend: embedding plus hybrid retrieval, in one clock (the model adds ~150 MB
to the RSS column).
Chunks are synthetic: random unit vectors and token lists drawn from the shipped corpus's vocabulary
(Zipf-like, 40-120 tokens), 10 chunks per document. Each run is its own process.

    python -m bench.backends                      # 10k and 100k, all three backends
    python -m bench.backends --sizes 10000 --backends local milvus-lite
    python -m bench.backends --sizes 100000 --backends local --onnx   # with the query's embedding

``python -m bench`` runs the same (``run_all``) as its backends section and reports it with the rest;
without the Milvus extra (pymilvus, milvus-lite) the Milvus backends are skipped with the reason.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from eval.metrics import percentiles
from index.documents import Chunk, Document
from index.storage.base import Manifest, Upsert
from index.storage.registry import open_store
from qa.answering.retriever import Retriever
from qa.pipeline import default_tokenizer

DIM = 384
PER_DOC = 10
QUERIES = 100
BACKENDS = ("local", "milvus-lite", "milvus-server")


class _Vectors:
    """A stand-in embedder that returns the vector prepared for the query."""

    model_id, dim = "bench-synthetic", DIM

    def __init__(self) -> None:
        self.next: np.ndarray | None = None

    def embed_queries(self, texts):
        return self.next.reshape(1, -1)

    def embed_passages(self, texts):  # pragma: no cover - vectors are precomputed
        raise NotImplementedError


def _vocabulary() -> list[str]:
    tok = default_tokenizer()
    words: list[str] = []
    for p in sorted((Path(__file__).resolve().parents[1] / "corpus" / "expo").glob("*.md")):
        words += tok.tokens(p.read_text(encoding="utf-8"))
    return sorted(set(words)) + [f"词{i}" for i in range(20000)]


def _docs(n_chunks: int, rng: random.Random, vocab: list[str]):
    weights = 1.0 / np.arange(1, len(vocab) + 1) ** 0.9
    weights /= weights.sum()
    nprng = np.random.default_rng(7)
    for d in range(n_chunks // PER_DOC):
        doc_id = f"doc-{d}"
        toks = [list(nprng.choice(vocab, size=rng.randint(40, 120), p=weights)) for _ in range(PER_DOC)]
        texts = ["".join(t) for t in toks]
        text = "\n".join(texts)
        chunks, at = [], 0
        for i, t in enumerate(texts):
            chunks.append(Chunk(Chunk.make_id(doc_id, t, at), doc_id, f"标题{d}", "2024-09-01", i, at, at + len(t), t))
            at += len(t) + 1
        vecs = nprng.standard_normal((PER_DOC, DIM)).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        yield Upsert(Document(doc_id, f"标题{d}", text, "2024-09-01"), chunks, toks, vecs, None, None)


def _server(data_dir: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = shutil.which("milvus-lite") or "milvus-lite"
    proc = subprocess.Popen([exe, "server", "--data-dir", str(data_dir), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("milvus-lite server did not start")


def _peak_mb(pid: int | None = None) -> float:
    if pid is None:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _onnx_embedder():
    from qa.embedding import make_embedder
    from qa.settings import Settings

    embedder = make_embedder(Settings.from_env(embedding_backend="onnx"))
    embedder.warm_up()
    return embedder


def run_one(backend: str, n_chunks: int, queries: int = QUERIES, onnx: bool = False) -> dict:
    rng = random.Random(11)
    vocab = _vocabulary()
    tmp = Path(tempfile.mkdtemp(prefix="bench-backends-"))
    manifest = Manifest("bench-synthetic", DIM, 300, 60)
    server = None
    try:
        if backend == "local":
            store = open_store("local", tmp / "index", manifest)
        else:
            uri = None
            if backend == "milvus-server":
                server, uri = _server(tmp / "milvus")
            store = open_store("milvus", tmp, manifest, uri=uri, prefix="bench")
        upserts = list(_docs(n_chunks, rng, vocab))
        t0 = time.perf_counter()
        step = 256 // PER_DOC
        for i in range(0, len(upserts), step):  # the last batch refreshes, as the indexer's does
            store.apply(upserts[i:i + step], refresh=i + step >= len(upserts))
        snap = store.snapshot(max_age_s=0)
        ingest_s = time.perf_counter() - t0
        assert len(snap) == n_chunks, (len(snap), n_chunks)
        emb = _Vectors()
        retriever = Retriever(store, emb, default_tokenizer())
        model = _onnx_embedder() if onnx else None
        times = []
        for q in range(queries + 10):
            u = upserts[rng.randrange(len(upserts))]
            j = rng.randrange(PER_DOC)
            emb.next = u.vectors[j] + np.random.default_rng(q).normal(0, 0.02, DIM).astype(np.float32)
            words = rng.sample(u.tokens[j], 4)
            t = time.perf_counter()
            if model is not None:
                model.embed_queries(["".join(words)])
            retriever.retrieve("".join(words), top_k=5)
            if q >= 10:  # warm-up
                times.append((time.perf_counter() - t) * 1000)
        p = percentiles(times)
        return {"backend": backend + (" + onnx query" if onnx else ""), "chunks": n_chunks, "ingest_chunks_per_s": round(n_chunks / ingest_s, 1),
                "query_p50_ms": round(p["p50"], 1), "query_p95_ms": round(p["p95"], 1),
                "peak_rss_mb": round(_peak_mb(server.pid if server else None), 0),
                "disk_mb": round(sum(f.stat().st_size for f in tmp.rglob("*") if f.is_file()) / 2**20, 1)}
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


def milvus_missing() -> str | None:
    """Why the Milvus backends cannot run here (the optional extra is not installed), or None."""
    import importlib.util

    missing = [m for m in ("pymilvus", "milvus_lite") if importlib.util.find_spec(m) is None]
    if missing:
        return f"{' and '.join(missing)} not installed (pip install -e '.[milvus]')"
    return None


def run_all(sizes: Sequence[int], backends: Sequence[str], queries: int = QUERIES,
            say: Callable[[str], None] = lambda msg: None, onnx: bool = False) -> dict:
    """Every backend at every size, each run in its own process. Milvus backends are skipped, with the
    reason, when the extra is not installed; a run that fails is reported with its last error line."""
    why = milvus_missing()
    out: dict = {"queries": queries, "rows": [], "failed": [],
                 "skipped": [{"backend": b, "reason": why} for b in backends if why and b != "local"]}
    todo = [b for b in backends if not (why and b != "local")]
    for n in sizes:
        for b in todo:
            say(f"backends: {b} at {n} chunks in a fresh process")
            proc = subprocess.run([sys.executable, "-m", "bench.backends", "--one", b, str(n), "--queries",
                                   str(queries)] + (["--onnx"] if onnx else []), capture_output=True, text=True, check=False,
                                  cwd=Path(__file__).resolve().parents[1])
            try:
                out["rows"].append(json.loads(proc.stdout.strip().splitlines()[-1]))
            except (IndexError, json.JSONDecodeError):
                out["failed"].append({"backend": b, "chunks": n, "error": (proc.stderr.strip().splitlines()
                                                                           or ["no output"])[-1]})
    return out


def markdown_row(r: dict) -> str:
    return (f"| {r['backend']} | {r['chunks']} | {r['ingest_chunks_per_s']} | {r['query_p50_ms']} / "
            f"{r['query_p95_ms']} | {r['peak_rss_mb']:.0f} | {r['disk_mb']} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--backends", nargs="+", choices=BACKENDS, default=list(BACKENDS))
    ap.add_argument("--queries", type=int, default=QUERIES, help="timed queries per run (after 10 warm-up)")
    ap.add_argument("--onnx", action="store_true", help="also embed each query with the ONNX e5 model, in the timing")
    ap.add_argument("--one", nargs=2, metavar=("BACKEND", "CHUNKS"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one[0], int(args.one[1]), args.queries, args.onnx)))
        return 0
    print("| backend | chunks | ingest chunks/s | hybrid query p50 / p95 ms | peak RSS MB | disk MB |")
    print("|---|---|---|---|---|---|", flush=True)
    for n in args.sizes:
        for b in args.backends:
            result = run_all([n], [b], args.queries, onnx=args.onnx)
            for r in result["rows"]:
                print(markdown_row(r), flush=True)
            for f in result["failed"]:
                print(f"| {b} | {n} | failed: {f['error']} |", flush=True)
            for k in result["skipped"]:
                print(f"| {b} | {n} | skipped: {k['reason']} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
