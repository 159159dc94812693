"""``python -m bench``: ours vs LangChain, then index scale; prints tables, writes out/bench.

The comparison pits our retriever against LangChain's FAISS store given our embedder (retrieval alone)
and, with the real default model, against LangChain FAISS + ``HuggingFaceEmbeddings`` (the usual
LangChain pipeline, embedding questions with sentence-transformers on PyTorch). The backends section
runs ``bench.backends`` (local, Milvus Lite embedded and as a server; synthetic chunks) at the same sizes;
without the Milvus extra its Milvus rows are skipped and the report says so.

Examples::

    python -m bench                                   # everything, default sizes (tens of minutes)
    python -m bench --section compare --cmrc-sample 100
    python -m bench --section scale --sizes 10k,100k --scale-queries 50
    python -m bench --section backends --sizes 10k --backends local milvus-lite
    python -m bench --fake-embedder --sizes 2k        # plumbing check in seconds; numbers meaningless
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SECTIONS = ("all", "compare", "scale", "backends")


def _size(text: str) -> int:
    text = text.strip().lower()
    factor = 1000 if text.endswith("k") else 1
    try:
        value = int(float(text.removesuffix("k")) * factor)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a chunk count: {text!r} (e.g. 10000 or 10k)") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"a chunk count must be positive, got {text!r}")
    return value


def _sizes(text: str) -> list[int]:
    return [_size(part) for part in text.split(",") if part.strip()]


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    from bench.backends import BACKENDS
    from bench.scale import AltIndex

    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--section", choices=SECTIONS, default="all", help="run one section only")
    parser.add_argument("--cmrc-sample", type=_positive, default=300,
                        help="CMRC trial questions asked in the comparison (seeded sample; all 256 contexts "
                             "are indexed whatever the sample)")
    parser.add_argument("--expo-limit", type=_positive, default=None,
                        help="ask only the first N answerable expo gold questions")
    parser.add_argument("--sizes", type=_sizes, default=[10_000, 100_000],
                        help="comma-separated chunk counts for the scale and backends sections (default 10k,100k)")
    parser.add_argument("--scale-queries", type=_positive, default=100,
                        help="CMRC questions timed at each scale size")
    parser.add_argument("--backends", nargs="+", choices=BACKENDS, default=list(BACKENDS),
                        help="index backends the backends section measures (default: all three)")
    parser.add_argument("--backend-queries", type=_positive, default=100,
                        help="timed hybrid queries per backend and size")
    parser.add_argument("--alt-index", choices=AltIndex.CHOICES, default=AltIndex.AUTO,
                        help="also measure HNSW and IVF: when flat FAISS p95 exceeds 50 ms (auto), always, never")
    parser.add_argument("--noise", type=float, default=0.3,
                        help="norm of the noise added to copied vectors before renormalising")
    parser.add_argument("--warmup", type=int, choices=range(6), default=3, metavar="0-5",
                        help="untimed questions per system before timing (default 3)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--fake-embedder", action="store_true",
                        help="use the hash test embedder instead of the model (checks plumbing only)")
    parser.add_argument("--out", type=Path, default=Path("out/bench"), help="where bench.json and bench.md go")
    return parser.parse_args(argv)


def run(args: argparse.Namespace, command: str) -> dict[str, Any]:
    """Every requested section, as one JSON-ready dict."""
    from bench.common import machine

    def say(msg: str) -> None:
        print(f"[bench] {msg}", file=sys.stderr, flush=True)

    started = time.perf_counter()
    results: dict[str, Any] = {"command": command, "machine_start": machine(), "model_id": None,
                               "fake_embedder": args.fake_embedder}
    if args.section in ("all", "compare", "scale"):
        _model_sections(args, results, say)
    if args.section in ("all", "backends"):
        from bench.backends import run_all

        results["backends"] = run_all(args.sizes, args.backends, args.backend_queries, say=say)
    results["machine_end"] = machine()
    results["wall_s"] = time.perf_counter() - started
    return results


def _model_sections(args: argparse.Namespace, results: dict[str, Any], say: Callable[[str], None]) -> None:
    """The sections that embed with the model: the comparison with LangChain and the scale runs."""
    from bench.compare import (
        LANGCHAIN_HF,
        SYSTEMS,
        K,
        cmrc_dataset,
        compare,
        expo_dataset,
        has_langchain_hf,
        huggingface_embeddings,
        require_langchain,
    )
    from bench.scale import run_scale
    from bench.vectors import CachingEmbedder
    from index.embedders import Embedder
    from index.embedders.fake import HashEmbedder
    from qa.embedding import make_embedder
    from qa.settings import Settings

    settings = Settings.from_env()
    if args.section in ("all", "compare"):
        require_langchain()
    def new_embedder() -> Embedder:
        return HashEmbedder() if args.fake_embedder else make_embedder(settings)

    embedder = CachingEmbedder(new_embedder())
    results["model_id"] = embedder.model_id
    say(f"loading {embedder.model_id}")
    t0 = time.perf_counter()
    embedder.warm_up()
    results["model_load_s"] = time.perf_counter() - t0
    cmrc = cmrc_dataset(args.cmrc_sample, args.seed)
    with tempfile.TemporaryDirectory(prefix="expo-qa-bench-") as tmp:
        if args.section in ("all", "compare"):
            say(f"loading one more instance of the model for each of: {', '.join(SYSTEMS)}")
            asking = {name: new_embedder() for name in SYSTEMS}
            for e in asking.values():
                e.embed_queries(["模型加载"])
            hf = None
            if has_langchain_hf(embedder.model_id):
                say(f"loading HuggingFaceEmbeddings (sentence-transformers, PyTorch) for {LANGCHAIN_HF}")
                hf = huggingface_embeddings(settings.model_cache)
                hf.embed_query("模型加载")
            else:
                say(f"skipping {LANGCHAIN_HF}: it needs the real default model")
            runs = []
            for i, dataset in enumerate((expo_dataset(args.expo_limit), cmrc)):
                say(f"comparing on {dataset.name}")
                runs.append(compare(dataset, embedder, asking, settings, Path(tmp) / f"compare{i}",
                                    warmup=args.warmup, hf_embeddings=hf))
            del asking, hf
            results["compare"] = {"k": K, "model_id": embedder.model_id, "datasets": runs}
        if args.section in ("all", "scale"):
            questions = [item.question for item in cmrc.items[:args.scale_queries]]
            results["scale"] = run_scale(args.sizes, embedder, questions, Path(tmp) / "scale",
                                         fake_embedder=args.fake_embedder, noise=args.noise, seed=args.seed,
                                         alt_index=args.alt_index, say=say)


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("OMP_WAIT_POLICY", "passive")  # before torch starts: spinning threads skew timings
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    args = parse_args(argv)
    command = shlex.join(["python", "-m", "bench", *(sys.argv[1:] if argv is None else argv)])

    from bench.compare import MissingExtraError
    from bench.report import render

    try:
        results = run(args, command)
    except MissingExtraError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    text = render(results)
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    (args.out / "bench.md").write_text(text + "\n", encoding="utf-8")
    print(f"\nwrote {args.out / 'bench.json'} and {args.out / 'bench.md'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
