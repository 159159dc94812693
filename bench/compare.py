"""Section 1: our retriever against LangChain FAISS vector stores over the same chunks and vectors.

Every system indexes exactly the chunks our chunker makes, with passage vectors from one
``CachingEmbedder``, so a difference in hit@5 comes from retrieval (BM25 and fusion on our side) or from
the query embedding, not from the chunking. Up to four systems answer each question:

* ``ours hybrid`` and ``ours dense``: our ``Retriever`` over our store;
* ``LangChain FAISS``: LangChain's FAISS store with *our* embedder behind LangChain's interface, so it
  isolates retrieval: same vectors, same query embedding runtime;
* ``LangChain FAISS + HuggingFaceEmbeddings``: the pipeline a user would otherwise build, LangChain's
  FAISS store with ``langchain_community``'s ``HuggingFaceEmbeddings`` (sentence-transformers on
  PyTorch) embedding the questions with the same model. Only with the real default model (not with the
  fake embedder). Its store holds the passage vectors already computed, so it has no build time of its
  own to compare, and it cannot reuse query vectors, so it has no search-only figures.

Query latency is one call per question including the query embedding; a second pass with the query
vectors reused times the search alone. Systems take turns question by question, so a change in machine
load hits all of them alike, and each has its own model instance, so the embedder's query cache never
serves one system a question another just asked.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from bench.vectors import CachingEmbedder
from eval.datasets import CMRC_PATH, GOLD_PATH, EvalItem, load_jsonl, load_squad
from eval.metrics import hit_at_k, percentiles
from index.documents import Document
from index.embedders import Embedder
from index.embedders.e5model import E5_MODEL_ID, E5_PROMPTS, ensure_e5_model
from index.ingest.loaders import load_path, shipped_corpus_dir
from qa.answering.composer import is_english
from qa.answering.retriever import Retriever
from qa.pipeline import Pipeline
from qa.settings import RetrievalMode, Settings

K = 5
HYBRID, DENSE, LANGCHAIN = "ours hybrid", "ours dense", "LangChain FAISS"
LANGCHAIN_HF = "LangChain FAISS + HuggingFaceEmbeddings"
SYSTEMS = (HYBRID, DENSE, LANGCHAIN)  # the systems that embed questions with our embedder
ALL_SYSTEMS = (*SYSTEMS, LANGCHAIN_HF)  # report order; LANGCHAIN_HF only runs with the default model
# Warm-up questions are none of the timed ones: a warmed-up question would come from the query cache.
WARMUP_QUESTIONS = ("今天的天气怎么样？", "这本书的作者是谁？", "火车几点出发？", "这道菜怎么做？",
                    "哪家医院离这里最近？")


class MissingExtraError(ImportError):
    """A benchmark section needs a package that only the ``bench`` (or ``test``) extra installs."""


def require_langchain() -> type:
    """LangChain's FAISS vector store class; checked before any slow work so a missing extra fails fast."""
    try:
        with warnings.catch_warnings():  # langchain-community announces its own sunset on import
            warnings.simplefilter("ignore", DeprecationWarning)
            from langchain_community.vectorstores import FAISS
    except ImportError as exc:
        raise MissingExtraError(f"the LangChain comparison needs langchain-community ({exc}); "
                                "run: pip install -e '.[bench]'") from None
    return FAISS


def huggingface_embeddings(model_cache: Path) -> Embeddings:
    """LangChain's ``HuggingFaceEmbeddings`` (sentence-transformers on PyTorch, CPU) over the
    sentence-transformers folder of the default model, set up as a LangChain user of e5 would."""
    try:
        with warnings.catch_warnings():  # the class and its package announce their deprecation
            warnings.simplefilter("ignore", DeprecationWarning)
            from langchain_community.embeddings import HuggingFaceEmbeddings

            return HuggingFaceEmbeddings(model_name=str(ensure_e5_model(model_cache)),
                                         model_kwargs={"device": "cpu", "local_files_only": True},
                                         encode_kwargs={"normalize_embeddings": True})
    except ImportError as exc:
        raise MissingExtraError(f"the LangChain + HuggingFaceEmbeddings system needs langchain-community and "
                                f"sentence-transformers ({exc}); run: pip install -e '.[bench]'") from None


def has_langchain_hf(model_id: str) -> bool:
    """Whether the LangChain + HuggingFaceEmbeddings system runs: only with the real default model."""
    return model_id == E5_MODEL_ID


class EmbedderAsLangChain(Embeddings):
    """Our embedder behind LangChain's interface, so the vector store sees exactly our vectors and
    prompts ("passage: " / "query: " for e5) rather than a second copy of the model set up differently."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_passages(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_queries([text])[0].tolist()


@dataclass(frozen=True)
class Dataset:
    """Documents to index and the answerable questions to ask about them."""

    name: str
    documents: list[Document]
    items: list[EvalItem]


def expo_dataset(limit: int | None = None) -> Dataset:
    """The expo gold set's answerable questions over the shipped corpus, asked as written (a follow-up
    gets no history rewriting, the same for every system)."""
    documents, errors = load_path(shipped_corpus_dir())
    if errors:
        raise RuntimeError(f"the shipped corpus did not load cleanly: {errors[0]}")
    items = [i for i in load_jsonl(GOLD_PATH) if i.answerable]
    return Dataset("expo gold", documents, items[:limit] if limit else items)


def cmrc_dataset(sample: int | None = 300, seed: int = 0, path: Path = CMRC_PATH) -> Dataset:
    """Every CMRC 2018 trial context as a document (the others are distractors) and a seeded sample of
    its questions; sampling keeps the run short without shrinking the index."""
    documents, items = load_squad(path, sample=sample, seed=seed, all_documents=True)
    return Dataset(f"CMRC 2018 trial (sample {len(items)}, seed {seed})", documents,
                   [i for i in items if i.answerable])


def _rotated(names: Sequence[str], i: int) -> list[str]:
    shift = i % len(names)
    return list(names[shift:]) + list(names[:shift])


def _time_round(systems: dict[str, Callable[[str], list[str]]], items: Sequence[EvalItem]
                ) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """(latencies in ms, hit@5 per item) per system, one call per question, systems taking turns."""
    latencies: dict[str, list[float]] = {name: [] for name in systems}
    hits: dict[str, list[float]] = {name: [] for name in systems}
    for i, item in enumerate(items):
        for name in _rotated(list(systems), i):
            t0 = time.perf_counter()
            doc_ids = systems[name](item.question)
            latencies[name].append((time.perf_counter() - t0) * 1000)
            hits[name].append(hit_at_k(doc_ids, item.doc_ids, K))
    return latencies, hits


def _langchain_system(store: Any, prefix: str = "") -> Callable[[str], list[str]]:
    """A LangChain vector store as a system: the documents of its top ``K`` chunks for a question."""

    def run(q: str) -> list[str]:
        return [d.metadata["doc_id"] for d in store.similarity_search(prefix + q, k=K)]
    return run


def _ratios(results: Mapping[str, Mapping[str, Any]], key: str, baseline: str) -> dict[str, float] | None:
    """``key`` of ours hybrid and ours dense divided by the baseline's; None where a figure is missing."""
    base = results.get(baseline, {}).get(key)
    if not base:
        return None
    return {name: results[name][key] / base for name in (HYBRID, DENSE)}


def compare(dataset: Dataset, embedder: CachingEmbedder, query_embedders: Mapping[str, Embedder],
            settings: Settings, data_dir: Path, warmup: int = 3,
            hf_embeddings: Embeddings | None = None) -> dict[str, Any]:
    """Index ``dataset`` for every system and ask each of them every question; see the module docstring.

    ``embedder`` embeds (and remembers) the passages; ``query_embedders`` holds one instance of the same
    model per system in ``SYSTEMS`` for the questions. ``hf_embeddings`` (see ``huggingface_embeddings``)
    adds the ``LANGCHAIN_HF`` system; without it that system is left out of the results.
    """
    faiss_store = require_langchain()
    if set(query_embedders) != set(SYSTEMS):
        raise ValueError(f"query_embedders must have exactly these keys: {', '.join(SYSTEMS)}")
    if not dataset.items:
        raise ValueError(f"{dataset.name}: no answerable questions to ask")
    if warmup > len(WARMUP_QUESTIONS):
        raise ValueError(f"warmup can be at most {len(WARMUP_QUESTIONS)} questions, got {warmup}")
    asking = {name: embedder.sibling(query_embedders[name]) for name in SYSTEMS}
    pipe = Pipeline(settings.replace(data_dir=data_dir), embedder=embedder)
    chunks = [c for d in dataset.documents for c in pipe.chunker.split(d)]
    texts = [c.embed_text for c in chunks]

    before_n, before_s = embedder.passages_embedded, embedder.embed_seconds
    embedder.embed_passages(texts)
    embedded = embedder.passages_embedded - before_n
    embed_s = embedder.embed_seconds - before_s

    t0 = time.perf_counter()
    pipe.indexer.index(dataset.documents)
    ours_build_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    store = faiss_store.from_texts(texts=texts, embedding=EmbedderAsLangChain(asking[LANGCHAIN]),
                                   metadatas=[{"doc_id": c.doc_id} for c in chunks])
    lc_build_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    store.save_local(str(data_dir / "langchain"))
    lc_save_s = time.perf_counter() - t0
    hf_store = None
    if hf_embeddings is not None:
        # The passage vectors come from the cache (the same vectors as the other stores), so this
        # store's build time says nothing about a LangChain user's and is not measured.
        vectors = embedder.embed_passages(texts).tolist()
        hf_store = faiss_store.from_embeddings(list(zip(texts, vectors)), embedding=hf_embeddings,
                                               metadatas=[{"doc_id": c.doc_id} for c in chunks])

    tokenizer = pipe.tokenizer

    def ours(name: str, mode: RetrievalMode) -> Callable[[str], list[str]]:
        retriever = Retriever(pipe.store, asking[name], tokenizer, mode, settings.rrf_k)

        def run(q: str) -> list[str]:
            lexical = tokenizer.translate(q) if is_english(q) else None  # as Pipeline.answer does
            return [h.chunk.doc_id for h in retriever.retrieve(q, K, lexical_query=lexical).hits]
        return run

    systems = {HYBRID: ours(HYBRID, RetrievalMode.HYBRID), DENSE: ours(DENSE, RetrievalMode.DENSE),
               LANGCHAIN: _langchain_system(store)}
    if hf_store is not None:
        # e5 wants "query: " before a question and HuggingFaceEmbeddings adds no prompt of its own, so a
        # LangChain user of e5 prefixes the question passed to similarity_search, as done here.
        systems[LANGCHAIN_HF] = _langchain_system(hf_store, prefix=E5_PROMPTS["query"])
    asked = {item.question for item in dataset.items}
    for question in [q for q in WARMUP_QUESTIONS if q not in asked][:warmup]:
        for run in systems.values():
            run(question)
    latencies, hits = _time_round(systems, dataset.items)
    for e in asking.values():
        e.reuse_queries = True
    try:  # HuggingFaceEmbeddings has no query cache to reuse: LANGCHAIN_HF sits this round out
        search_latencies, _ = _time_round({n: run for n, run in systems.items() if n != LANGCHAIN_HF},
                                          dataset.items)
    finally:
        for e in asking.values():
            e.reuse_queries = False

    results: dict[str, dict[str, Any]] = {}
    for name in systems:
        full, search = percentiles(latencies[name]), percentiles(search_latencies.get(name, []))
        results[name] = {
            "hit@5": sum(hits[name]) / len(hits[name]),
            "p50_ms": full["p50"], "p95_ms": full["p95"],
            "search_p50_ms": search["p50"], "search_p95_ms": search["p95"],
        }
    return {
        "dataset": dataset.name,
        "documents": len(dataset.documents),
        "chunks": len(chunks),
        "questions": len(dataset.items),
        "passages_embedded": embedded,
        "embed_s": embed_s,
        "passages_per_s": embedded / embed_s if embedded and embed_s > 0 else None,
        "build_s": {"ours": ours_build_s, "langchain": lc_build_s, "langchain_save_local": lc_save_s},
        "systems": results,
        "p50_ratio_vs_langchain": _ratios(results, "p50_ms", LANGCHAIN),
        "search_p50_ratio_vs_langchain": _ratios(results, "search_p50_ms", LANGCHAIN),
        "p50_ratio_vs_langchain_hf": _ratios(results, "p50_ms", LANGCHAIN_HF),
    }
