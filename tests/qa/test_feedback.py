"""FeedbackStore on a real SQLite file: what is stored, what is exported, and writes from many threads."""

from __future__ import annotations

import io
import json
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from qa.errors import BadRequestError
from qa.feedback import FeedbackStore
from qa.types import Citation

CITATION = Citation(n=1, doc_id="expo-info", title="中国国际电子商务博览会 展会信息", date=None,
                    chunk_id="expo-info#abc", quote="展会地点：义乌国际博览中心", start=10, end=23)


@pytest.fixture
def store(tmp_path: Path) -> FeedbackStore:
    return FeedbackStore(tmp_path / "data" / "feedback.sqlite")


def test_add_stores_every_field(store: FeedbackStore) -> None:
    rid = store.add("展会在哪里举办？", "展会地点：义乌国际博览中心[1]", [CITATION], rating=1)
    store.add("火星上有多少人？", "抱歉，资料中没有找到相关信息。", [], rating=-1, comment="  没用  ")
    first, second = store.records()
    assert first.id == rid
    assert (first.question, first.rating, first.comment) == ("展会在哪里举办？", 1, None)
    assert first.citations == [{"n": 1, "doc_id": "expo-info", "title": "中国国际电子商务博览会 展会信息",
                                "date": None, "chunk_id": "expo-info#abc", "quote": "展会地点：义乌国际博览中心",
                                "start": 10, "end": 23, "page": None, "section": None}]
    assert first.created_at.endswith("+00:00")
    assert (second.rating, second.comment, second.citations) == (-1, "没用", [])


def test_citations_may_be_dicts(store: FeedbackStore) -> None:
    store.add("q", "a", [{"n": 2, "doc_id": "d"}], rating=1)
    assert store.records()[0].citations == [{"n": 2, "doc_id": "d"}]


@pytest.mark.parametrize("rating", [0, 2, -2, True, "1"])
def test_rating_must_be_plus_or_minus_one(store: FeedbackStore, rating: object) -> None:
    with pytest.raises(BadRequestError, match="rating"):
        store.add("q", "a", [], rating=rating)  # type: ignore[arg-type]
    assert store.records() == []


def test_nothing_is_created_until_the_first_write(store: FeedbackStore) -> None:
    out = io.StringIO()
    assert store.export_jsonl(out) == 0
    assert out.getvalue() == ""
    assert not store.path.exists() and not store.path.parent.exists()


def test_export_round_trip(store: FeedbackStore) -> None:
    store.add("展会的客服电话是多少？", "客服电话：0579-85891888[1]", [CITATION], rating=1)
    store.add("Where is the expo held?", "Short answer: 义乌国际博览中心.", [CITATION], rating=-1, comment="英文")
    out = io.StringIO()
    assert store.export_jsonl(out) == 2
    lines = out.getvalue().splitlines()
    assert "客服电话" in lines[0]  # Chinese is written as is, not as \u escapes
    exported = [json.loads(line) for line in lines]
    assert exported == [r.to_dict() for r in store.records()]
    assert [e["rating"] for e in exported] == [1, -1]
    assert exported[1]["comment"] == "英文"
    assert set(exported[0]) == {"id", "created_at", "question", "answer", "citations", "rating", "comment"}


def test_file_has_the_documented_table(store: FeedbackStore) -> None:
    store.add("q", "a", [], rating=1)
    with sqlite3.connect(store.path) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(feedback)")]
    assert columns == ["id", "created_at", "question", "answer", "citations", "rating", "comment"]


def test_a_second_store_on_the_same_file_sees_the_rows(store: FeedbackStore) -> None:
    store.add("q", "a", [], rating=1)
    assert len(FeedbackStore(store.path).records()) == 1


def test_concurrent_writes_from_threads(store: FeedbackStore) -> None:
    threads, per_thread = 8, 25
    start = threading.Barrier(threads)

    def write(t: int) -> None:
        start.wait()
        for i in range(per_thread):
            store.add(f"问题 {t}-{i}", f"答案 {t}-{i}", [CITATION], rating=1 if i % 2 else -1)

    with ThreadPoolExecutor(threads) as pool:
        for future in [pool.submit(write, t) for t in range(threads)]:
            future.result()  # re-raises whatever a writer hit
    records = store.records()
    assert len(records) == threads * per_thread
    assert len({r.id for r in records}) == len(records)
    assert {r.question for r in records} == {f"问题 {t}-{i}" for t in range(threads) for i in range(per_thread)}
    for r in records:
        assert r.answer == r.question.replace("问题", "答案")
