"""Term statistics of the Milvus backend, on embedded Milvus Lite: document frequencies kept by every
write equal a count over the current chunks (and the local BM25's IDF), through adds, deletes,
replacements, writes cut short and two writers taking turns."""

from __future__ import annotations

import logging
import math
import uuid
from collections import Counter

import numpy as np
import pytest

from index.documents import Document
from index.storage.lexical import LexicalIndex
from qa.pipeline import Pipeline
from qa.settings import Settings
from tests.conftest import milvus_settings

pytest.importorskip("pymilvus")
from index.storage.milvus import lexicon, terms

A = "义乌国际博览中心举办网博会。展会为期三天，吸引跨境电商企业参展。"
B = "网博会设有直播电商专区。抖音和快手的主播在现场带货。"
C = "综合保税区推出改革措施，进口商品通关时间缩短。"


@pytest.fixture
def pipe(settings: Settings, tokenizer) -> Pipeline:
    from index.embedders.fake import HashEmbedder

    return Pipeline(milvus_settings(settings, None, f"t_{uuid.uuid4().hex[:8]}"), embedder=HashEmbedder(),
                    tokenizer=tokenizer)


def _doc(doc_id: str, text: str) -> Document:
    return Document(id=doc_id, title=f"标题{doc_id}", text=text, date="2024-09-01")


def _current_tokens(pipe: Pipeline) -> list[list[str]]:
    view = pipe.store.snapshot(max_age_s=0)
    return [list(r["tokens"]) for d in sorted(view.docs) for r in view.chunk_rows(d)]


def _assert_counts_exact(pipe: Pipeline, also: tuple[str, ...] = ()) -> None:
    """Every token's stored count equals a count over the current chunks; IDF equals the local BM25's."""
    token_lists = _current_tokens(pipe)
    truth = Counter(t for toks in token_lists for t in set(toks))
    store, view = pipe.store, pipe.store.snapshot(max_age_s=0)
    asked = sorted(set(truth) | set(also))
    assert store.terms.dfs(asked) == {t: truth.get(t, 0) for t in asked}
    stored = store.client.query(store.coll("terms"), filter='pk like "t%"', output_fields=["df"], limit=16384)
    assert {r["pk"]: r["df"] for r in stored} == {lexicon.term(t): n for t, n in truth.items()}  # no zero rows
    totals = store.terms.totals()
    assert totals[terms.CHUNKS] == len(token_lists) == len(view)
    assert totals[terms.LENGTH] == sum(map(len, token_lists))
    assert store.terms.matches(view.docs)
    local = LexicalIndex.build(range(len(token_lists)), token_lists)
    for t in asked:
        assert view.lexical.knows(t) == local.knows(t)
        assert view.lexical.idf(t) == pytest.approx(local.idf(t))


def _upserts(pipe: Pipeline, docs: list[Document]):
    from index.storage.base import Upsert

    out = []
    for d in docs:
        chunks = pipe.chunker.split(d)
        vecs = pipe.embedder.embed_passages([c.embed_text for c in chunks])
        out.append(Upsert(d, chunks, [pipe.tokenizer.tokens(c.embed_text) for c in chunks], vecs, None, None))
    return out


def test_counts_after_adding(pipe: Pipeline) -> None:
    pipe.add_documents([_doc("a", A), _doc("b", B)])
    _assert_counts_exact(pipe)
    pipe.add_documents([_doc("c", C)])
    _assert_counts_exact(pipe)


def test_counts_after_deleting(pipe: Pipeline) -> None:
    pipe.add_documents([_doc("a", A), _doc("b", B), _doc("c", C)])
    only_c = set(pipe.tokenizer.tokens(C)) - set(pipe.tokenizer.tokens(A + B))
    pipe.remove_documents(["c"])
    _assert_counts_exact(pipe, also=tuple(only_c))
    assert only_c and not any(pipe.store.snapshot(max_age_s=0).lexical.knows(t) for t in only_c)
    pipe.remove_documents(["a", "b"])
    view = pipe.store.snapshot(max_age_s=0)
    assert len(view) == 0 and pipe.store.terms.totals()[terms.CHUNKS] == 0
    assert pipe.store.client.query(pipe.store.coll("terms"), filter='pk like "t%"', output_fields=["df"]) == []


def test_counts_after_replacing_a_document_with_other_text(pipe: Pipeline) -> None:
    pipe.add_documents([_doc("a", A), _doc("b", B)])
    before = pipe.store.terms.dfs(pipe.tokenizer.tokens(A))
    pipe.add_documents([_doc("a", C)])  # same id, different text: its old chunks' terms go down
    _assert_counts_exact(pipe, also=tuple(before))
    after = pipe.store.terms.dfs(before)
    only_a = set(pipe.tokenizer.tokens(A)) - set(pipe.tokenizer.tokens(B + C))
    assert only_a and all(before[t] > 0 and after[t] == 0 for t in only_a)


def test_a_question_word_no_chunk_contains(pipe: Pipeline) -> None:
    pipe.add_documents([_doc("a", A), _doc("b", B)])
    view = pipe.store.snapshot(max_age_s=0)
    unseen = "从未出现过的词"
    n = len(view)
    assert not view.lexical.knows(unseen) and view.lexical.df(unseen) == 0
    assert view.lexical.idf(unseen) == pytest.approx(math.log(1 + (n + 0.5) / 0.5))
    assert view.lexical_search([unseen], 5) == []
    qvec = pipe.embedder.embed_queries(["网博会"])[0]
    hits = view.hybrid_search(qvec, [unseen, "网博会"], 5, 30, 60)
    assert hits and all(np.isfinite(s) for _, s, _ in hits)
    _assert_counts_exact(pipe, also=(unseen,))


def test_one_read_for_all_of_a_questions_words(pipe: Pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    pipe.add_documents([_doc("a", A), _doc("b", B)])
    view = pipe.store.snapshot(max_age_s=0)
    calls = []
    real = pipe.store.terms.dfs
    monkeypatch.setattr(view.lexical, "_lookup", lambda toks: calls.append(list(toks)) or real(toks))
    tokens = pipe.tokenizer.tokens("网博会的直播电商专区在哪里")
    view.lexical_search(tokens, 5)
    for t in tokens:
        view.lexical.idf(t)
    assert len(calls) == 1 and set(calls[0]) == set(tokens)


def test_a_write_killed_after_its_switch_is_counted_again(pipe: Pipeline, monkeypatch: pytest.MonkeyPatch,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    pipe.add_documents([_doc("a", A), _doc("b", B)])
    store = pipe.store

    def killed(change):
        raise KeyboardInterrupt  # the writer dies between the documents' switch and the counts

    monkeypatch.setattr(store.terms, "apply", killed)
    with pytest.raises(KeyboardInterrupt):
        store.apply(_upserts(pipe, [_doc("a", C)]), removals=["b"])
    monkeypatch.undo()
    store.set_meta("generation", "after-crash")  # a reader that loads the documents now
    view = store.snapshot(max_age_s=0)
    assert set(view.docs) == {"a"} and not store.terms.matches(view.docs)
    for t in set(pipe.tokenizer.tokens(A + B + C)):  # counts a write behind: clamped, never a crash
        assert 0 <= view.lexical.df(t) <= len(view) and math.isfinite(view.lexical.idf(t))
    question = pipe.tokenizer.tokens("综合保税区改革")
    assert view.lexical_search(question, 5) == []  # C's words are not counted yet: no crash, no hit
    monkeypatch.setattr(terms, "SETTLE_S", 0.0)
    with caplog.at_level(logging.WARNING, logger="index.storage.milvus.terms"), store.writer():
        pass
    assert "out of step with the documents" in caplog.text and "rebuilt from" in caplog.text
    _assert_counts_exact(pipe, also=tuple(pipe.tokenizer.tokens(A + B)))
    assert [c.doc_id for c, _ in store.snapshot(max_age_s=0).lexical_search(question, 5)] == ["a"]
    assert [c.text for c in store.snapshot(max_age_s=0).chunks_of("a")] == [c.text for c in pipe.chunker.split(
        _doc("a", C))]


def test_an_index_without_term_statistics_gets_them_on_open(pipe: Pipeline, settings: Settings, tokenizer,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    from index.embedders.fake import HashEmbedder

    pipe.add_documents([_doc("a", A), _doc("b", B)])
    pipe.store.client.drop_collection(pipe.store.coll("terms"))  # as an index written before they were kept
    with caplog.at_level(logging.WARNING, logger="index.storage.milvus.terms"):
        again = Pipeline(pipe.settings, embedder=HashEmbedder(), tokenizer=tokenizer)
        _ = again.store
    assert "are missing: counting them again from the chunks of 2 documents" in caplog.text
    _assert_counts_exact(again)


def _second_writer(pipe: Pipeline, tokenizer) -> Pipeline:
    """Another process's pipeline on the same index (its own store: nothing remembered in common)."""
    from index.embedders.fake import HashEmbedder

    return Pipeline(pipe.settings, embedder=HashEmbedder(), tokenizer=tokenizer)


def test_counts_never_go_below_zero(pipe: Pipeline, tokenizer) -> None:
    pipe.add_documents([_doc("a", A), _doc("b", B)])
    store = pipe.store
    t = pipe.tokenizer.tokens(A)[0]
    store.client.delete(store.coll("terms"), ids=[lexicon.term(t)])  # counts already wrong
    other = _second_writer(pipe, tokenizer)
    other.remove_documents(["a"])  # reads the count of t as 0 and takes 1 off
    assert other.store.terms.dfs([t])[t] == 0 and min(other.store.terms.totals().values()) >= 0
    assert math.isfinite(other.store.snapshot(max_age_s=0).lexical.idf(t))


def test_two_writers_taking_turns_keep_exact_counts(pipe: Pipeline, tokenizer) -> None:
    other = _second_writer(pipe, tokenizer)
    pipe.add_documents([_doc("a", A)])
    other.add_documents([_doc("b", A + B)])  # the first writer's remembered counts are now out of date
    pipe.add_documents([_doc("c", B + C)])
    other.remove_documents(["a"])
    pipe.add_documents([_doc("b", C)])
    _assert_counts_exact(pipe, also=tuple(pipe.tokenizer.tokens(A + B)))
