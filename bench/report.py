"""The benchmark's results as Markdown: what the CLI prints is what ``bench.md`` holds."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bench.compare import ALL_SYSTEMS, DENSE, HYBRID, LANGCHAIN, LANGCHAIN_HF
from bench.scale import FAISS_P95_LIMIT_MS


def fmt(value: Any, digits: int = 1) -> str:
    """A number with ``digits`` decimals, or a dash where a figure does not exist."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A Markdown table padded to line up in a terminal too; text left, numbers right."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    numeric = [all(_looks_numeric(r[i]) for r in cells[1:]) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        return "| " + " | ".join(c.rjust(w) if num else c.ljust(w)
                                 for c, w, num in zip(row, widths, numeric)) + " |"

    rule = "| " + " | ".join("-" * (w - 1) + (":" if num else "-") for w, num in zip(widths, numeric)) + " |"
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])])


def _looks_numeric(cell: str) -> bool:
    return bool(cell) and (cell == "–" or cell.replace(",", "").replace(".", "").replace(" / ", "")
                           .replace("x", "").replace("-", "").isdigit())


def _systems_note(with_hf: bool) -> str:
    """Which LangChain system is which; the HF one only runs with the real default model."""
    if with_hf:
        return (f"{LANGCHAIN_HF} is the usual setup (PyTorch sentence-transformers embeds the questions, "
                f"same model, \"query: \" prefix); {LANGCHAIN} is given our embedder to isolate retrieval.")
    return (f"{LANGCHAIN} is given our embedder to isolate retrieval; {LANGCHAIN_HF} (the usual setup, "
            "PyTorch sentence-transformers for the questions) only runs with the real default model and "
            "was left out.")


def _vs_langchain_hf(run: dict[str, Any]) -> list[str]:
    """The ratio line against LangChain + HuggingFaceEmbeddings, or nothing when it did not run."""
    ratio = run.get("p50_ratio_vs_langchain_hf")
    if not ratio:
        return []
    hf = run["systems"][LANGCHAIN_HF]
    parts = [f"{name} {ratio[name]:.2f}x ({1 / ratio[name]:.1f}x faster), hit@5 "
             f"{run['systems'][name]['hit@5']:.3f} vs {hf['hit@5']:.3f}" for name in (HYBRID, DENSE)]
    return [f"- p50 ratio vs {LANGCHAIN_HF}: " + "; ".join(parts)]


def render_compare(section: dict[str, Any]) -> str:
    with_hf = any(LANGCHAIN_HF in run["systems"] for run in section["datasets"])
    out = [(f"## Ours vs LangChain FAISS (top {section['k']} chunks, same chunks, same passage vectors: "
           f"{section['model_id']})"), "", _systems_note(with_hf), ""]
    for run in section["datasets"]:
        out.append(f"### {run['dataset']}: {run['documents']} documents, {run['chunks']} chunks, "
                   f"{run['questions']} answerable questions")
        out.append("")
        rows = []
        for name in [n for n in ALL_SYSTEMS if n in run["systems"]]:
            s = run["systems"][name]
            rows.append((name, fmt(s["hit@5"], 3), fmt(s["p50_ms"]), fmt(s["p95_ms"]),
                         fmt(s["search_p50_ms"], 2), fmt(s["search_p95_ms"], 2)))
        out.append(table(("system", "hit@5", "p50 ms", "p95 ms", "search-only p50 ms", "search-only p95 ms"),
                         rows))
        b = run["build_s"]
        ratio, search_ratio = run["p50_ratio_vs_langchain"], run["search_p50_ratio_vs_langchain"]
        rate = run["passages_per_s"]
        out += [
            "",
            (f"- p50 ratio vs {LANGCHAIN}: {HYBRID} {ratio[HYBRID]:.2f}x, {DENSE} {ratio[DENSE]:.2f}x "
            f"(search only: {search_ratio[HYBRID]:.2f}x, {search_ratio[DENSE]:.2f}x)"),
            *_vs_langchain_hf(run),
            (f"- build, embedding excluded: ours {b['ours']:.2f} s (chunk, tokenize, SQLite, FAISS and BM25 "
            f"files on disk); {LANGCHAIN} {b['langchain']:.2f} s in memory + {b['langchain_save_local']:.2f} s "
            "save_local" + (f"; {LANGCHAIN_HF} not comparable (built from the same cached passage vectors)"
                            if LANGCHAIN_HF in run["systems"] else "")),
            f"- embedding: {run['passages_embedded']} passages in {run['embed_s']:.1f} s"
            + (f" ({rate:.1f} passages/s)" if rate else ""),
            "",
        ]
    out += [("Latency is one call per question, query embedding included, after a warm-up; systems take "
            "turns question by question, each with its own instance of the model, so the embedder's query "
            "cache never answers a question because another system asked it. Search-only reuses each "
            "question's vector, so it times FAISS (and BM25 + fusion for ours) alone"
            + ("; HuggingFaceEmbeddings cannot reuse vectors, so its search-only columns are empty"
               if with_hf else "")
            + ". hit@5: a gold document among the documents of the top 5 chunks."), ""]
    return "\n".join(out)


def render_scale(section: dict[str, Any]) -> str:
    rate = section["passages_per_s"]
    out = [f"## Scale (hybrid retrieval, top 5, {section['questions']} CMRC questions per size)", "",
           (f"Note: {section['note']} ({fmt(rate)} passages/s over the {fmt(section['passages_measured'])} "
           f"passages this run embedded with the model). Base set: {fmt(section['base_chunks'])} real CMRC "
           f"chunks of {fmt(section['base_articles'])} articles; noise {section['noise']}."), ""]
    if section["fake_embedder"]:
        out += [("The fake hash embedder was used: the figures check the plumbing and say nothing about the "
                "real model."), ""]
    rows = []
    for r in section["sizes"]:
        q = r["query_ms"]
        rows.append((
            fmt(r["chunks"]), fmt(r["documents"]), fmt(r["build_s"]), fmt(r["tokenize_s"]),
            fmt(r["embed_estimate_s"], 0), fmt(r["index_mb"]), fmt(r["peak_rss_build_mb"], 0),
            fmt(r["peak_rss_mb"], 0),
            fmt(q["total"]["p50"]), fmt(q["total"]["p95"]),
            f"{fmt(q['faiss']['p50'], 2)} / {fmt(q['faiss']['p95'], 2)}",
            f"{fmt(q['bm25']['p50'], 2)} / {fmt(q['bm25']['p95'], 2)}",
            fmt(q["rest"]["p50"]),
        ))
    out.append(table(("chunks", "docs", "build s", "of which jieba s", "embedding est. s", "index MB",
                      "peak RSS build MB", "peak RSS MB", "query p50 ms", "query p95 ms",
                      "FAISS p50 / p95 ms", "BM25 p50 / p95 ms", "rest p50 ms"), rows))
    out += ["",
            ("build s: Indexer.index with the stub embedder (its own time subtracted): chunking, jieba, SQLite "
            "transactions, FAISS and BM25 files. Peak RSS (VmHWM of the size's own process) build: before the "
            "model is loaded; peak RSS: "
            "after querying with the model loaded. Query: one Retriever.retrieve call per question (query "
            "embedding + FAISS + BM25 + fusion); the FAISS and BM25 columns repeat those searches alone "
            "(30 candidates) with that call's query vector and tokens; rest = query - FAISS - BM25 "
            "(query embedding, jieba, fusion). FAISS runs single-threaded, as qa.answering.retriever sets it."), ""]
    for r in section["sizes"]:
        distinct = r["distinct_chunk_texts"]
        out.append(f"- {fmt(r['chunks'])} chunks: {fmt(distinct)} distinct chunk texts; load average "
                   f"{r['load_average'][0]:.2f} at start, {r['load_average'][1]:.2f} at end")
    out.append("")
    for r in section["sizes"]:
        if r["alternatives"]:
            out.append(f"### Approximate FAISS indexes at {fmt(r['chunks'])} chunks (single-query search, "
                       "recall against exact search)")
            out.append("")
            recall_key = next(k for k in r["alternatives"][0] if k.startswith("recall@") and k != "recall@5")
            out.append(table(("index", "params", "build s", "p50 ms", "p95 ms", "recall@5", recall_key, "MB"),
                             [(a["index"], a["params"] or "–", fmt(a["build_s"]), fmt(a["p50_ms"], 2),
                               fmt(a["p95_ms"], 2), fmt(a["recall@5"], 3), fmt(a[recall_key], 3),
                               fmt(a["bytes"] / 1e6)) for a in r["alternatives"]]))
            out.append("")
    out += [recommendation(section), ""]
    return "\n".join(out)


def recommendation(section: dict[str, Any]) -> str:
    """What the numbers say about the store's flat FAISS index, judged at the largest size measured."""
    if not section["sizes"]:
        return "No size was measured."
    largest = max(section["sizes"], key=lambda r: r["chunks"])
    p95 = largest["query_ms"]["faiss"]["p95"]
    if not largest["faiss_p95_over_limit"]:
        return (f"Recommendation: flat FAISS search p95 is {fmt(p95, 2)} ms at {fmt(largest['chunks'])} chunks, "
                f"under the {FAISS_P95_LIMIT_MS:.0f} ms limit: keep IndexFlatIP (exact, no training, no "
                "parameters).")
    alts = [a for a in largest["alternatives"] or [] if a["build_s"] is not None]
    good = [a for a in alts if a["recall@5"] >= 0.95 and (a["p95_ms"] or 0) <= FAISS_P95_LIMIT_MS]
    if not good:
        return (f"Recommendation: flat FAISS search p95 is {fmt(p95, 2)} ms at {fmt(largest['chunks'])} chunks; "
                "no approximate index measured here reached recall@5 >= 0.95 within the limit.")
    best = min(good, key=lambda a: a["p95_ms"])
    return (f"Recommendation: flat FAISS search p95 is {fmt(p95, 2)} ms at {fmt(largest['chunks'])} chunks; "
            f"{best['index']} ({best['params']}) gives p95 {fmt(best['p95_ms'], 2)} ms at recall@5 "
            f"{fmt(best['recall@5'], 3)}: consider it for indexes of this size.")


_BACKEND_NAMES = {"local": "local", "milvus-lite": "Milvus Lite, embedded", "milvus-server": "Milvus Lite, server process"}


def render_backends(section: dict[str, Any]) -> str:
    """The index backends side by side (``bench.backends``): one row per backend and size."""
    out = [f"## Index backends (hybrid retrieval, top 5, {section['queries']} queries per run; synthetic chunks)",
           ""]
    rows = [(_BACKEND_NAMES.get(r["backend"], r["backend"]), fmt(r["chunks"]), fmt(r["ingest_chunks_per_s"]),
             f"{fmt(r['query_p50_ms'])} / {fmt(r['query_p95_ms'])}", fmt(r["peak_rss_mb"], 0), fmt(r["disk_mb"]))
            for r in section["rows"]]
    if rows:
        out.append(table(("backend", "chunks", "ingest chunks/s", "query p50 / p95 ms", "peak RSS MB", "disk MB"),
                         rows))
        out.append("")
    notes = [f"- {_BACKEND_NAMES.get(k['backend'], k['backend'])}: skipped, {k['reason']}"
             for k in section["skipped"]]
    notes += [f"- {_BACKEND_NAMES.get(f['backend'], f['backend'])} at {fmt(f['chunks'])} chunks: failed, "
              f"{f['error']}" for f in section["failed"]]
    out += notes + ([""] if notes else [])
    out += [("bench.backends: each backend and size in its own process; ingest through IndexStore.apply in "
                 "batches of 256 chunks with vectors precomputed (random unit vectors, token lists drawn from "
                 "the shipped corpus's vocabulary); the question's vector is precomputed too, so query time "
                 "excludes embedding. Peak RSS is the benchmark process's (the server's for the server "
                 "variant)."), ""]
    return "\n".join(out)


def render(results: dict[str, Any]) -> str:
    out = ["# expo-qa retrieval benchmark", "",
           f"- command: `{results['command']}`",
           f"- machine at start: {results['machine_start']}",
           f"- machine at end: {results['machine_end']}",
           f"- embedder: {results['model_id'] or 'none (the backends section embeds nothing)'}"
           + (" (fake hash embedder)" if results["fake_embedder"] and results["model_id"] else "")
           + (f", model load {results['model_load_s']:.1f} s" if results.get("model_load_s") is not None else ""),
           f"- total wall time: {results['wall_s']:.0f} s", ""]
    if "compare" in results:
        out.append(render_compare(results["compare"]))
    if "scale" in results:
        out.append(render_scale(results["scale"]))
    if "backends" in results:
        out.append(render_backends(results["backends"]))
    return "\n".join(out)
