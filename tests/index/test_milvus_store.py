"""The Milvus backend on embedded Milvus Lite: filters that requests cannot bend, documents that are
either whole or absent, rows of killed writes swept, incremental re-indexing, and the same scores as the
local index."""

from __future__ import annotations

import time
import uuid
from dataclasses import replace

import numpy as np
import pytest

from index.documents import Document
from index.errors import IndexMismatchError
from index.storage.base import SearchFilter
from qa.pipeline import Pipeline
from qa.settings import Settings
from tests.conftest import copy_index_into, milvus_settings

pytest.importorskip("pymilvus")
from index.storage.milvus import expr, versions

NASTY = ['a"b', "c\\d", 'e" or doc_id != "', "f\\\" || true || \\\"", "g' or 1==1 or '", "h\nnext", "i in [\"x\"]"]


@pytest.fixture
def pipe(settings: Settings, tokenizer) -> Pipeline:
    from index.embedders.fake import HashEmbedder

    return Pipeline(milvus_settings(settings, None, f"t_{uuid.uuid4().hex[:8]}"), embedder=HashEmbedder(),
                    tokenizer=tokenizer)


def _doc(doc_id: str, text: str = "义乌国际博览中心举办网博会。展会为期三天。", date: str | None = "2024-09-01") -> Document:
    return Document(id=doc_id, title=f"标题{doc_id}", text=text, date=date)


@pytest.mark.parametrize("value", NASTY + ["", "普通"])
def test_quote_gives_one_literal(value: str) -> None:
    from milvus_lite.search.filter.tokens import _read_string

    token, length = _read_string(expr.quote(value), 0)
    assert token.value == value and length == len(expr.quote(value))


def test_dates_must_be_dates() -> None:
    assert expr.date_number("2024-09-01") == 20240901
    for bad in ("2024-13-01", "2024-09-01 or 1==1", "0", "20240901"):
        with pytest.raises(ValueError):
            expr.date_number(bad)


def test_ids_with_quotes_backslashes_and_operators_filter_only_themselves(pipe: Pipeline) -> None:
    pipe.add_documents([_doc(i) for i in NASTY] + [_doc("plain")])
    snap = pipe.snapshot()
    assert set(snap.docs) == set(NASTY) | {"plain"}
    qvec = pipe.embedder.embed_queries(["网博会"])[0]
    tokens = pipe.tokenizer.tokens("网博会 义乌")
    for doc_id in NASTY:
        only = SearchFilter(doc_ids=(doc_id,))
        assert {c.doc_id for c, _ in snap.dense_search(qvec, 20, only)} == {doc_id}
        assert {c.doc_id for c, _ in snap.lexical_search(tokens, 20, only)} == {doc_id}
        assert pipe.store.document_text(doc_id).startswith("义乌")
    gone = [NASTY[2], NASTY[4]]  # a double-quote and a single-quote breakout attempt
    pipe.remove_documents(gone)
    assert set(pipe.store.snapshot(max_age_s=0).docs) == (set(NASTY) - set(gone)) | {"plain"}
    pipe.add_documents([_doc(NASTY[1], text="改过的内容。")])  # replacing finds the old version by a quoted id
    assert [c.text for c in pipe.store.snapshot(max_age_s=0).chunks_of(NASTY[1])] == ["改过的内容。"]


def test_date_range_and_undated(pipe: Pipeline) -> None:
    pipe.add_documents([_doc("old", date="2023-01-05"), _doc("new", date="2024-09-01"), _doc("none", date=None)])
    qvec = pipe.embedder.embed_queries(["网博会"])[0]
    found = pipe.snapshot().dense_search(qvec, 10, SearchFilter(date_from="2024-01-01"))
    assert {c.doc_id for c, _ in found} == {"new"}
    found = pipe.snapshot().dense_search(qvec, 10, SearchFilter(date_to="2023-12-31"))
    assert {c.doc_id for c, _ in found} == {"old"}


def test_a_write_cut_short_is_never_seen(pipe: Pipeline) -> None:
    """Chunks of a version whose docs row was never written (the crash case) stay invisible."""
    pipe.add_documents([_doc("a")])
    store = pipe.store
    before = store.snapshot(max_age_s=0)
    chunk = replace(before.chunks_of("a")[0], text="半截的新版本")
    qvec = pipe.embedder.embed_queries(["半截的新版本"])[0]
    row = store._chunk_row(chunk, ["半截"], qvec, None, "crash", "2024-09-01", 10.0)
    store.client.insert(store.coll("chunks"), [row])
    store.set_meta("generation", "after-crash")
    view = store.snapshot(max_age_s=0)
    assert [c.text for c in view.chunks_of("a")] == [c.text for c in before.chunks_of("a")]
    assert all(c.text != "半截的新版本" for c, _ in view.dense_search(qvec, 10))
    pipe.add_documents([_doc("a", text="新的内容。")])  # the next write replaces the current version's rows
    rows = store.client.query(store.coll("chunks"), filter=expr.eq("doc_id", "a"), output_fields=["version"])
    assert {r["version"] for r in rows} == {store.snapshot(max_age_s=0).docs["a"].version}  # "crash" swept
    assert [c.text for c in store.snapshot(max_age_s=0).chunks_of("a")] == ["新的内容。"]


def test_sweep_removes_rows_of_versions_no_document_names(pipe: Pipeline) -> None:
    pipe.add_documents([_doc("a"), _doc("b", text="网博会设有直播电商专区。")])
    store = pipe.store
    view = store.snapshot(max_age_s=0)
    current = view.docs["a"].version
    chunk = replace(view.chunks_of("a")[0], text="半截的新版本")
    qvec = pipe.embedder.embed_queries([chunk.text])[0]
    killed = versions.new_version(time.time() - versions.GRACE_S - 60)  # a writer killed an hour ago
    in_flight = versions.new_version()  # another process's write, not switched yet
    rows = [store._chunk_row(chunk, ["半截"], qvec, None, v, "2024-09-01", 10.0) for v in (killed, in_flight, "crash")]
    orphan = replace(chunk, doc_id="never-written")  # rows of a document that does not exist
    rows.append(store._chunk_row(orphan, ["半截"], qvec, None, versions.new_version(0), None, 10.0))
    store.client.insert(store.coll("chunks"), rows)
    store.client.insert(store.coll("texts"), [{"pk": f"{v}:0", "doc_id": "a", "version": v, "part": 0,
                                              "text": "半截", "_v": [0.0, 0.0]} for v in (killed, in_flight)])
    with store.writer():
        pass
    left = store.client.query(store.coll("chunks"), filter='pk != ""', output_fields=["version"], limit=1000)
    assert {r["version"] for r in left} == {current, view.docs["b"].version, in_flight}
    texts = store.client.query(store.coll("texts"), filter='pk != ""', output_fields=["version"], limit=1000)
    assert {r["version"] for r in texts} == {current, view.docs["b"].version, in_flight}
    now = store.snapshot(max_age_s=0)
    assert [c.text for c in now.chunks_of("a")] == [c.text for c in view.chunks_of("a")]
    assert store.document_text("a") == _doc("a").text
    assert "a" in {c.doc_id for c, _ in now.lexical_search(pipe.tokenizer.tokens("义乌国际博览中心"), 5)}
    assert store.terms.matches(now.docs)


def test_reindexing_is_incremental_and_keeps_sentence_vectors(pipe: Pipeline) -> None:
    first = pipe.add_documents([_doc("a"), _doc("b")])
    assert first.chunks_embedded > 0
    again = pipe.add_documents([_doc("a"), _doc("b")])
    assert again.unchanged == 2 and again.chunks_embedded == 0
    changed = pipe.add_documents([_doc("a", text="义乌国际博览中心举办网博会。展会为期三天。另有新增一句。")])
    assert changed.updated == 1
    snap = pipe.snapshot()
    chunk = snap.chunks_of("b")[0]
    assert snap.sentence_vectors_of(chunk) is not None and snap.vector_of(chunk).shape == (pipe.embedder.dim,)


def test_every_chunk_field_round_trips(pipe: Pipeline) -> None:
    pipe.add_documents([_doc("a")])
    snap = pipe.snapshot()
    local = pipe.chunker.split(_doc("a"))
    assert snap.chunks_of("a") == local


def test_same_scores_as_the_local_index(pipe: Pipeline, indexed_hash_pipeline: Pipeline, shipped_index) -> None:
    copy_index_into(shipped_index, pipe.store)
    local, milvus = indexed_hash_pipeline.snapshot(), pipe.snapshot()
    assert len(local) == len(milvus) and set(local.docs) == set(milvus.docs)
    for q in ("综保区改革有多少条措施", "展会的客服电话是多少", "抖音新品牌怎么起量"):
        tokens = pipe.tokenizer.tokens(q)
        qvec = pipe.embedder.embed_queries([q])[0]
        for a, b in ((local.lexical_search(tokens, 10), milvus.lexical_search(tokens, 10)),
                     (local.dense_search(qvec, 10), milvus.dense_search(qvec, 10))):
            assert [c.id for c, _ in a][:5] == [c.id for c, _ in b][:5]
            assert np.allclose([s for _, s in a], [s for _, s in b], rtol=1e-3, atol=1e-3)
        for t in tokens:
            assert local.lexical.knows(t) == milvus.lexical.knows(t)
            assert local.lexical.idf(t) == pytest.approx(milvus.lexical.idf(t))


def test_other_settings_are_refused_with_the_fix(pipe: Pipeline, settings: Settings, tokenizer) -> None:
    from index.embedders.fake import HashEmbedder

    pipe.add_documents([_doc("a")])
    other = Pipeline(replace(pipe.settings, chunk_size=200, chunk_overlap=40), embedder=HashEmbedder(),
                     tokenizer=tokenizer)
    with pytest.raises(IndexMismatchError, match="qa index --rebuild"):
        _ = other.store
