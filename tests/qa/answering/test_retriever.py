"""Hybrid retrieval's fusion: each search's first hit stays among the fused hits."""

from __future__ import annotations

import numpy as np
import pytest

from index.documents import Chunk
from qa.answering.retriever import Retriever, _with_firsts


def test_a_first_hit_the_fusion_dropped_takes_the_last_place() -> None:
    assert _with_firsts(["a", "b", "c"], ["a", "z"]) == ["a", "b", "z"]


def test_firsts_already_kept_change_nothing() -> None:
    assert _with_firsts(["a", "b", "c"], ["c", "a"]) == ["a", "b", "c"]
    assert _with_firsts(["a", "b", "c"], []) == ["a", "b", "c"]


def test_two_dropped_firsts_replace_the_lowest_others() -> None:
    assert _with_firsts(["a", "b", "c", "d"], ["y", "z"]) == ["a", "b", "y", "z"]
    assert _with_firsts(["a", "b", "c"], ["z", "z"]) == ["a", "b", "z"]


def test_no_room_leaves_the_fused_order() -> None:
    assert _with_firsts(["a"], ["z"]) == ["a"]
    assert _with_firsts(["a", "b"], ["y", "z"]) == ["a", "b"]


def test_bm25s_first_chunk_is_retrieved_where_dense_ranks_one_document_s_chunks_above_it(real_pipeline) -> None:
    # the rural article's many chunks all share "农村电商"; the logistics report's chunk is the only one
    # with "农村电商业务量", which BM25 ranks first and the dense search far down
    question = "农村电商业务量增速有多快"
    tokens = real_pipeline.tokenizer.tokens(question)
    snap = real_pipeline.snapshot()
    first = snap.lexical_search(tokens, 1)[0][0]
    hits = real_pipeline.retriever.retrieve(question, 5).hits
    assert first.id in [h.chunk.id for h in hits]
    assert first.doc_id == "ecommerce-logistics-index-july"


class _EngineView:
    """An index view whose engine fuses the two searches itself (as Milvus's hybrid_search does) and ranks
    ``c3``, BM25's first, out of its top two."""

    fuses = True

    def __init__(self) -> None:
        self.chunks = {i: Chunk(i, "d", "t", None, n, 0, 1, i) for n, i in enumerate(("c1", "c2", "c3"))}

    def __len__(self) -> int:
        return 3

    def hybrid_search(self, qvec, tokens, k, candidates, rrf_k, filters=None):
        return [(self.chunks["c1"], 0.032, 0.9), (self.chunks["c2"], 0.031, 0.8)][:k]

    def dense_search(self, qvec, k, filters=None):
        return [(self.chunks["c1"], 0.9)][:k]

    def lexical_search(self, tokens, k, filters=None):
        return [(self.chunks["c3"], 7.5)][:k]

    def vector_of(self, chunk):
        return np.array([0.6, 0.8])


def test_the_engines_fusion_keeps_each_searchs_first_hit_too(tokenizer) -> None:
    class Store:
        def snapshot(self):
            return view

    class Embedder:
        def embed_queries(self, texts):
            return [np.array([1.0, 0.0])]

    view = _EngineView()
    hits = Retriever(Store(), Embedder(), tokenizer).retrieve("问题", top_k=2).hits
    assert [h.chunk.id for h in hits] == ["c1", "c3"]
    assert hits[1].dense == pytest.approx(0.6) and hits[1].score == pytest.approx(0.031)  # fusion's last
