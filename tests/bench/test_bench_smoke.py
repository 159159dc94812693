"""The benchmark at toy sizes with the hash embedder: every figure present and in range, not its speed.

langchain-community is in the test extra, so a missing install fails here instead of silently skipping
the comparison the README's numbers come from.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from bench.compare import (
    CMRC_PATH,
    DENSE,
    HYBRID,
    LANGCHAIN,
    LANGCHAIN_HF,
    SYSTEMS,
    Dataset,
    MissingExtraError,
    compare,
    require_langchain,
)
from bench.report import render_compare
from bench.scale import base_vectors, measure_size, synthesize
from bench.vectors import CachingEmbedder
from eval.datasets import load_squad
from index.embedders.fake import HashEmbedder
from index.ingest.chunker import Chunker
from qa.settings import Settings


@pytest.fixture(scope="module")
def cmrc():
    return load_squad(CMRC_PATH, all_documents=True)


def _require_langchain() -> None:
    """Fail, not skip: without langchain-community the comparison silently would not be tested."""
    try:
        require_langchain()
        return
    except MissingExtraError as exc:
        problem = str(exc)
    pytest.fail(f"{problem}\n(the benchmark smoke test needs it: pip install -e '.[test]')", pytrace=False)


def _finite_ms(value: object) -> bool:
    return isinstance(value, float) and math.isfinite(value) and value >= 0


def _tiny(cmrc, n_chunks: int = 200, n_questions: int = 20) -> Dataset:
    documents, items = cmrc
    chunker, kept, total = Chunker(), [], 0
    for doc in documents:
        if total >= n_chunks:
            break
        kept.append(doc)
        total += len(chunker.split(doc))
    ids = {d.id for d in kept}
    return Dataset("tiny", kept, [i for i in items if i.doc_ids[0] in ids][:n_questions])


def test_compare_reports_hit_rate_and_latency_per_system(cmrc, settings: Settings, tmp_path: Path) -> None:
    _require_langchain()
    dataset = _tiny(cmrc)
    run = compare(dataset, CachingEmbedder(HashEmbedder()), {name: HashEmbedder() for name in SYSTEMS},
                  settings, tmp_path / "compare", warmup=1)

    assert run["questions"] == 20 and run["chunks"] >= 200
    assert set(run["systems"]) == set(SYSTEMS)
    for figures in run["systems"].values():
        assert 0.0 <= figures["hit@5"] <= 1.0
        for key in ("p50_ms", "p95_ms", "search_p50_ms", "search_p95_ms"):
            assert _finite_ms(figures[key]), key
        assert figures["p50_ms"] <= figures["p95_ms"]
    # Same chunks and the same vectors: dense-only must find what LangChain finds (ties aside).
    assert abs(run["systems"][DENSE]["hit@5"] - run["systems"][LANGCHAIN]["hit@5"]) <= 0.05
    assert all(v > 0 for v in run["build_s"].values())
    assert set(run["p50_ratio_vs_langchain"]) == {HYBRID, DENSE}
    # Without the real model there is no LangChain + HuggingFaceEmbeddings system, and no ratio against it.
    assert LANGCHAIN_HF not in run["systems"] and run["p50_ratio_vs_langchain_hf"] is None
    text = render_compare({"k": 5, "model_id": "test", "datasets": [run]})
    assert LANGCHAIN in text and f"| {LANGCHAIN_HF}" not in text and "x faster" not in text


def test_report_shows_langchain_hf_without_search_only_figures() -> None:
    figures = {"hit@5": 0.9, "p50_ms": 10.0, "p95_ms": 20.0, "search_p50_ms": 1.0, "search_p95_ms": 2.0}
    hf = {"hit@5": 0.8, "p50_ms": 40.0, "p95_ms": 60.0, "search_p50_ms": None, "search_p95_ms": None}
    run = {"dataset": "tiny", "documents": 1, "chunks": 2, "questions": 3, "passages_embedded": 2,
           "embed_s": 1.0, "passages_per_s": 2.0,
           "build_s": {"ours": 1.0, "langchain": 1.0, "langchain_save_local": 1.0},
           "systems": {HYBRID: figures, DENSE: figures, LANGCHAIN: figures, LANGCHAIN_HF: hf},
           "p50_ratio_vs_langchain": {HYBRID: 1.0, DENSE: 1.0},
           "search_p50_ratio_vs_langchain": {HYBRID: 1.0, DENSE: 1.0},
           "p50_ratio_vs_langchain_hf": {HYBRID: 0.25, DENSE: 0.25}}
    text = render_compare({"k": 5, "model_id": "test", "datasets": [run]})
    hf_row = next(line for line in text.splitlines() if line.startswith(f"| {LANGCHAIN_HF}"))
    assert hf_row.count("–") == 2
    assert "4.0x faster" in text and "usual setup" in text


def test_synthetic_copies_differ_and_reach_the_size(cmrc) -> None:
    docs, chunks, distinct = synthesize(cmrc[0][:30], 300, Chunker())
    assert chunks >= 300 and distinct >= 0.95 * chunks
    assert len({d.id for d in docs}) == len(docs)


def test_scale_measures_build_memory_and_query_path(cmrc, settings: Settings, tmp_path: Path) -> None:
    documents, items = cmrc
    contexts = documents[:40]
    base = base_vectors(contexts, CachingEmbedder(HashEmbedder()), Chunker())
    row = measure_size(200, contexts, base, HashEmbedder(), [i.question for i in items[:20]], settings,
                       tmp_path / "scale", alt_index="always")

    assert row["chunks"] >= 200 and row["documents"] > 0
    for key in ("build_s", "tokenize_s", "index_mb", "peak_rss_build_mb", "peak_rss_mb"):
        assert row[key] > 0, key
    for stage in ("total", "faiss", "bm25", "rest"):
        assert _finite_ms(row["query_ms"][stage]["p50"]) and _finite_ms(row["query_ms"][stage]["p95"]), stage
    assert {a["index"] for a in row["alternatives"][1:]} == {"IndexHNSWFlat", "IndexIVFFlat"}
    assert all(0.0 <= a["recall@5"] <= 1.0 for a in row["alternatives"])


def test_cli_writes_json_and_markdown(tmp_path: Path) -> None:
    _require_langchain()
    from bench.__main__ import main

    out = tmp_path / "out"
    assert main(["--fake-embedder", "--cmrc-sample", "10", "--expo-limit", "10", "--sizes", "200",
                 "--scale-queries", "5", "--warmup", "1", "--backends", "local", "milvus-lite",
                 "--backend-queries", "3", "--out", str(out)]) == 0
    results = json.loads((out / "bench.json").read_text(encoding="utf-8"))
    assert [r["questions"] for r in results["compare"]["datasets"]] == [10, 10]
    assert all(LANGCHAIN_HF not in r["systems"] for r in results["compare"]["datasets"])
    assert results["scale"]["sizes"][0]["chunks"] >= 200
    assert "load average" in results["machine_start"]
    text = (out / "bench.md").read_text(encoding="utf-8")
    assert "hit@5" in text and "## Index backends" in text
    backends = results["backends"]
    assert not backends["failed"], backends["failed"]
    ran = {r["backend"] for r in backends["rows"]}
    assert ran == ({"local"} if backends["skipped"] else {"local", "milvus-lite"})
    for r in backends["rows"]:
        assert r["chunks"] == 200 and r["ingest_chunks_per_s"] > 0 and 0 < r["query_p50_ms"] <= r["query_p95_ms"]


def test_backends_section_skips_milvus_without_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import bench.backends
    from bench.report import render_backends

    monkeypatch.setattr(bench.backends, "milvus_missing",
                        lambda: "pymilvus not installed (pip install -e '.[milvus]')")
    section = bench.backends.run_all([100], ["milvus-lite", "milvus-server"], queries=1)
    assert section["rows"] == [] and section["failed"] == []
    assert [k["backend"] for k in section["skipped"]] == ["milvus-lite", "milvus-server"]
    text = render_backends(section)
    assert "- Milvus Lite, embedded: skipped, pymilvus not installed (pip install -e '.[milvus]')" in text
