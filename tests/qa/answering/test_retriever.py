"""Hybrid retrieval's fusion: each search's first hit stays among the fused hits."""

from __future__ import annotations

from qa.answering.retriever import _with_firsts


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
