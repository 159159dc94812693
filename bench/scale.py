"""Section 2: index build time, peak memory and query latency at 10k and 100k chunks.

The chunks are synthetic: CMRC 2018 contexts copied with variations (sentences rotated, two clauses
swapped, a variant token every few sentences) so that no two chunk texts are equal and BM25 sees a
vocabulary of realistic size. Their vectors are perturbed copies of real vectors of the same article
(``PerturbedEmbedder``), because embedding 100k chunks with the real model would take about an hour
here; build time therefore excludes embedding, which is reported separately as N / measured passages/s.
Everything else on the write path is the real one (Indexer, SQLite, FAISS file, BM25), and queries go
through the real hybrid path with the real model embedding the question.

Each size runs in its own process (``python -m bench.scale``), so peak RSS is that size's alone.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from bench.compare import WARMUP_QUESTIONS
from bench.vectors import TITLE_MARK, CachingEmbedder, PerturbedEmbedder
from eval.metrics import percentiles
from index.documents import Document
from index.embedders import Embedder
from index.ingest.chunker import Chunker
from index.tokenizer import Tokenizer
from qa.answering.retriever import Retriever
from qa.pipeline import Pipeline, default_tokenizer
from qa.settings import RetrievalMode, Settings

REPO = Path(__file__).resolve().parents[1]
CANDIDATES = 30  # what the retriever asks FAISS and BM25 for before fusion
FAISS_P95_LIMIT_MS = 50.0
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])")


class AltIndex:
    """When to also measure approximate FAISS indexes: only when flat search is slow, always, or never."""

    AUTO, ALWAYS, NEVER = "auto", "always", "never"
    CHOICES = (AUTO, ALWAYS, NEVER)


def peak_rss_mb() -> float:
    """Peak resident memory of this process, in MB.

    Read from VmHWM where Linux provides it: ``getrusage``'s ru_maxrss survives fork and exec, so a
    worker started by a parent that holds the model would report the parent's peak, not its own.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- synthetic corpus --------------------------------------------------------------------------------------
def vary(doc: Document, variant: int, seed: int = 0) -> Document:
    """One distinct copy of ``doc``: sentences rotated by ``variant``, two clauses of one sentence
    swapped, and a variant token before every other sentence so every chunk of the copy is new text."""
    rng = random.Random(f"{seed}:{doc.id}:{variant}")
    sentences = [s for s in _SENTENCE_END.split(doc.text) if s.strip()] or [doc.text]
    shift = variant % len(sentences)
    sentences = sentences[shift:] + sentences[:shift]
    i = rng.randrange(len(sentences))
    clauses = sentences[i].split("，")
    if len(clauses) >= 3:  # the last clause keeps the sentence's end mark, so only earlier ones move
        clauses[0], clauses[1] = clauses[1], clauses[0]
        sentences[i] = "，".join(clauses)
    text = "".join(f"〔{variant}〕{s}" if j % 2 == 0 else s for j, s in enumerate(sentences))
    return Document(id=f"{doc.id}~{variant}", title=f"{doc.title}{TITLE_MARK}{variant}", text=text,
                    source="synthetic", meta={"base": doc.id})


def synthesize(contexts: Sequence[Document], n_chunks: int, chunker: Chunker,
               seed: int = 0) -> tuple[list[Document], int, int]:
    """Variants of ``contexts`` in round-robin until they chunk into at least ``n_chunks``.

    Returns (documents, chunks, distinct chunk texts); the last two let the report show the copies
    really differ.
    """
    if not contexts:
        raise ValueError("no contexts to copy")
    docs: list[Document] = []
    total = 0
    texts: set[str] = set()
    variant = 0
    while total < n_chunks:
        variant += 1
        for ctx in contexts:
            doc = vary(ctx, variant, seed)
            chunks = chunker.split(doc)
            docs.append(doc)
            total += len(chunks)
            texts.update(c.text for c in chunks)
            if total >= n_chunks:
                break
    return docs, total, len(texts)


# -- one size, in this process -----------------------------------------------------------------------------
class TimedTokenizer:
    """The real tokenizer, adding up time spent in ``tokens`` so the build time can be split."""

    def __init__(self, inner: Tokenizer) -> None:
        self._inner = inner
        self.seconds = 0.0

    def tokens(self, text: str) -> list[str]:
        t0 = time.perf_counter()
        try:
            return self._inner.tokens(text)
        finally:
            self.seconds += time.perf_counter() - t0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def _ms(values: list[float]) -> dict[str, float | None]:
    return percentiles(values, (50, 95))


def _dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _single_query_ms(index: faiss.Index, queries: np.ndarray, k: int) -> tuple[list[float], np.ndarray]:
    times, found = [], []
    for q in queries:
        t0 = time.perf_counter()
        _, ids = index.search(q.reshape(1, -1), k)
        times.append((time.perf_counter() - t0) * 1000)
        found.append(ids[0])
    return times, np.stack(found)


def _recall(approx: np.ndarray, exact: np.ndarray, k: int) -> float:
    return float(np.mean([len(set(a[:k]) & set(e[:k])) / k for a, e in zip(approx, exact)]))


def alternative_indexes(flat: faiss.Index, queries: np.ndarray, k: int = CANDIDATES) -> list[dict[str, Any]]:
    """HNSW and IVF over the same vectors and ids as the store's flat index: build time, single-query
    latency, size, and recall against exact search (at the retriever's candidate depth and at 5), for a
    few values of the one search-time knob each has."""
    inner = faiss.downcast_index(flat.index)
    vectors = inner.reconstruct_n(0, inner.ntotal)
    ids = faiss.vector_to_array(flat.id_map).astype(np.int64)
    dim, n = vectors.shape[1], len(vectors)
    k = min(k, n)
    flat_ms, exact = _single_query_ms(flat, queries, k)
    out = [{"index": "IndexFlatIP (current)", "params": "", "build_s": None, **_ms_keys(flat_ms),
            "recall@5": 1.0, f"recall@{k}": 1.0, "bytes": len(faiss.serialize_index(flat))}]

    hnsw = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = 80
    nlist = max(1, int(np.sqrt(n)))
    ivf = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)

    def ef(value: int) -> tuple[str, Any]:
        def apply() -> None:
            hnsw.hnsw.efSearch = value
        return f"M=32 efConstruction=80 efSearch={value}", apply

    def nprobe(value: int) -> tuple[str, Any]:
        def apply() -> None:
            ivf.nprobe = value
        return f"nlist={nlist} nprobe={value}", apply

    for name, index, settings in (("IndexHNSWFlat", hnsw, [ef(v) for v in (64, 128, 256)]),
                                  ("IndexIVFFlat", ivf, [nprobe(v) for v in (8, 16, 32) if v <= nlist])):
        wrapped = faiss.IndexIDMap2(index)
        t0 = time.perf_counter()
        if not index.is_trained:
            index.train(vectors)
        wrapped.add_with_ids(vectors, ids)
        build_s = time.perf_counter() - t0
        size = len(faiss.serialize_index(wrapped))
        for params, apply in settings:
            apply()
            times, found = _single_query_ms(wrapped, queries, k)
            out.append({"index": name, "params": params, "build_s": build_s, **_ms_keys(times),
                        "recall@5": _recall(found, exact, min(5, k)), f"recall@{k}": _recall(found, exact, k),
                        "bytes": size})
    return out


def _ms_keys(times: list[float]) -> dict[str, float | None]:
    p = _ms(times)
    return {"p50_ms": p["p50"], "p95_ms": p["p95"]}


def measure_size(size: int, contexts: Sequence[Document], base: dict[str, np.ndarray],
                 query_embedder: Embedder, questions: Sequence[str], settings: Settings, data_dir: Path,
                 noise: float = 0.3, seed: int = 0, alt_index: str = AltIndex.AUTO,
                 say=lambda msg: None) -> dict[str, Any]:
    """Build an index of ``size`` synthetic chunks and query it; every figure for one row of the table.

    ``base`` maps article titles to real passage vectors; ``query_embedder`` is the real model (or the
    test fake). Peak RSS is this process's, so call it in a fresh process for per-size figures.
    """
    if alt_index not in AltIndex.CHOICES:
        raise ValueError(f"alt_index must be one of {', '.join(AltIndex.CHOICES)}, got {alt_index!r}")
    load_start = os.getloadavg()[0]
    settings = settings.replace(data_dir=data_dir)
    stub = PerturbedEmbedder(base, model_id=query_embedder.model_id, noise=noise)
    real_tokenizer = default_tokenizer()
    real_tokenizer.tokens("预热")  # jieba loads its dictionary on first use: a start-up cost, not indexing
    timed = TimedTokenizer(real_tokenizer)
    pipe = Pipeline(settings, embedder=stub, tokenizer=timed)  # type: ignore[arg-type]
    say(f"synthesising {size} chunks")
    docs, n_chunks, distinct = synthesize(contexts, size, pipe.chunker, seed)
    rss_before = peak_rss_mb()

    say(f"indexing {n_chunks} chunks of {len(docs)} documents")
    t0 = time.perf_counter()
    report = pipe.indexer.index(docs)
    build_total = time.perf_counter() - t0
    rss_build = peak_rss_mb()
    if report.chunks_embedded != n_chunks:
        raise RuntimeError(f"indexed {report.chunks_embedded} chunks, expected {n_chunks}")

    say("querying")
    retriever = Retriever(pipe.store, query_embedder, real_tokenizer, RetrievalMode.HYBRID, settings.rrf_k,
                          candidates=CANDIDATES)
    asked = set(questions)
    for q in WARMUP_QUESTIONS:  # none of the timed ones, which would then come from the query cache
        if q not in asked:
            retriever.retrieve(q, settings.top_k)
    total_ms, faiss_ms, bm25_ms, rest_ms, qvecs = [], [], [], [], []
    for q in questions:
        t0 = time.perf_counter()
        found = retriever.retrieve(q, settings.top_k)
        t1 = time.perf_counter()
        # The same searches again, alone, on this call's own query vector and tokens: every question
        # is embedded once, so the embedder's query cache cannot shorten any timing.
        snap = found.snapshot
        snap.vectors.search(found.query_vector.reshape(1, -1).astype(np.float32),
                            min(CANDIDATES, snap.vectors.ntotal))
        t2 = time.perf_counter()
        snap.lexical.search(found.tokens, CANDIDATES)
        t3 = time.perf_counter()
        total_ms.append((t1 - t0) * 1000)
        faiss_ms.append((t2 - t1) * 1000)
        bm25_ms.append((t3 - t2) * 1000)
        rest_ms.append(max(0.0, total_ms[-1] - faiss_ms[-1] - bm25_ms[-1]))
        qvecs.append(found.query_vector)
    rss_query = peak_rss_mb()
    faiss_p = _ms(faiss_ms)
    slow = faiss_p["p95"] is not None and faiss_p["p95"] > FAISS_P95_LIMIT_MS
    alternatives = None
    if alt_index == AltIndex.ALWAYS or (alt_index == AltIndex.AUTO and slow):
        say("measuring approximate FAISS indexes")
        alternatives = alternative_indexes(pipe.store.snapshot().vectors, np.stack(qvecs).astype(np.float32))

    return {
        "size": size,
        "chunks": n_chunks,
        "documents": len(docs),
        "distinct_chunk_texts": distinct,
        "build_s": build_total - stub.seconds,
        "tokenize_s": timed.seconds,
        "stub_vectors_s": stub.seconds,
        "index_mb": _dir_bytes(settings.index_dir) / 1e6,
        "peak_rss_before_build_mb": rss_before,
        "peak_rss_build_mb": rss_build,
        "peak_rss_mb": rss_query,
        "questions": len(questions),
        "query_ms": {"total": _ms(total_ms), "faiss": faiss_p, "bm25": _ms(bm25_ms), "rest": _ms(rest_ms)},
        "faiss_p95_over_limit": slow,
        "alternatives": alternatives,
        "load_average": [load_start, os.getloadavg()[0]],
    }


# -- driver: one subprocess per size -----------------------------------------------------------------------
def base_vectors(contexts: Sequence[Document], embedder: CachingEmbedder,
                 chunker: Chunker) -> dict[str, np.ndarray]:
    """Real passage vectors of every chunk of ``contexts``, grouped by article title."""
    chunks = [c for d in contexts for c in chunker.split(d)]
    vectors = embedder.embed_passages([c.embed_text for c in chunks])
    grouped: dict[str, list[np.ndarray]] = defaultdict(list)
    for chunk, vec in zip(chunks, vectors):
        grouped[chunk.title].append(vec)
    return {title: np.stack(rows) for title, rows in grouped.items()}


def run_scale(sizes: Sequence[int], embedder: CachingEmbedder, questions: Sequence[str], workdir: Path,
              fake_embedder: bool = False, noise: float = 0.3, seed: int = 0,
              alt_index: str = AltIndex.AUTO, say=lambda msg: None) -> dict[str, Any]:
    """Embed the real base set here, then measure each size in a fresh ``python -m bench.scale``."""
    from bench.compare import CMRC_PATH
    from eval.datasets import load_squad

    settings = Settings.from_env()
    contexts, _ = load_squad(CMRC_PATH, all_documents=True)
    say(f"embedding the base set ({len(contexts)} CMRC contexts) with {embedder.model_id}")
    base = base_vectors(contexts, embedder, Chunker(settings.chunk_size, settings.chunk_overlap))
    rate = embedder.passages_per_s
    workdir.mkdir(parents=True, exist_ok=True)
    titles = list(base)
    np.savez(workdir / "base.npz", **{f"v{i}": base[t] for i, t in enumerate(titles)})
    (workdir / "job.json").write_text(json.dumps(
        {"titles": titles, "questions": list(questions), "noise": noise, "seed": seed, "alt_index": alt_index,
         "fake_embedder": fake_embedder}, ensure_ascii=False), encoding="utf-8")
    env = dict(os.environ)
    env.setdefault("OMP_WAIT_POLICY", "passive")
    env.setdefault("TOKENIZERS_PARALLELISM", "false")
    rows = []
    for size in sizes:
        say(f"scale {size}: starting a fresh process")
        out = workdir / f"result-{size}.json"
        proc = subprocess.run([sys.executable, "-m", "bench.scale", "--job", str(workdir),
                               "--size", str(size), "--out", str(out)], cwd=REPO, env=env, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"the scale run for {size} chunks failed (exit code {proc.returncode})")
        row = json.loads(out.read_text(encoding="utf-8"))
        row["embed_estimate_s"] = row["chunks"] / rate if rate else None
        rows.append(row)
    return {
        "base_chunks": sum(len(v) for v in base.values()),
        "base_articles": len(base),
        "passages_per_s": rate,
        "passages_measured": embedder.passages_embedded,
        "noise": noise,
        "questions": len(questions),
        "fake_embedder": fake_embedder,
        "sizes": rows,
        "note": ("vectors for synthetic chunks are perturbed copies of real ones; build time excludes "
                 "embedding and is reported separately as measured passages/s x N"),
    }


def _worker(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="One size of the scale benchmark (started by bench).")
    parser.add_argument("--job", type=Path, required=True, help="folder with base.npz and job.json")
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)

    from bench.compare import CMRC_PATH
    from eval.datasets import load_squad
    from index.embedders.fake import HashEmbedder
    from qa.embedding import make_embedder

    job = json.loads((args.job / "job.json").read_text(encoding="utf-8"))
    with np.load(args.job / "base.npz") as npz:
        base = {title: npz[f"v{i}"] for i, title in enumerate(job["titles"])}
    settings = Settings.from_env()
    contexts, _ = load_squad(CMRC_PATH, all_documents=True)
    query_embedder = HashEmbedder() if job["fake_embedder"] else make_embedder(settings)
    with tempfile.TemporaryDirectory(prefix="expo-qa-bench-scale-") as tmp:
        row = measure_size(args.size, contexts, base, query_embedder, job["questions"], settings,
                           Path(tmp) / "data", noise=job["noise"], seed=job["seed"], alt_index=job["alt_index"],
                           say=lambda msg: print(f"[scale {args.size}] {msg}", file=sys.stderr, flush=True))
    args.out.write_text(json.dumps(row), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(_worker())
