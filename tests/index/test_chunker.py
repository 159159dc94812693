"""The chunker is total: any text gives exact, covering, bounded chunks (property tests), and it splits the
shipped corpus exactly as langchain's recursive splitter, whose separators and merging it follows."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.documents import Document
from index.errors import DocumentError
from index.ingest.chunker import SEPARATORS, Chunker
from index.ingest.loaders import load_path, shipped_corpus_dir

# Text drawn from what breaks splitters: runs of spaces and newlines, tabs, NBSP and full-width spaces,
# zero-width and control characters, CJK and ASCII punctuation, CJK and Latin letters.
_ALPHABET = st.sampled_from(
    list(" \n\t\r\u00a0\u3000\u200b\u200d\ufeff\x00\x07\x1c\x1f\x85\u2028")
    + list("。！？!?；;：，,、.-()（）“”") + list("展会义乌电商abcXYZ019"))
_RUNS = st.tuples(_ALPHABET, st.integers(1, 400)).map(lambda t: t[0] * t[1])
TEXTS = st.lists(st.one_of(_ALPHABET, _RUNS, st.text(max_size=40)), max_size=60).map("".join)
SIZES = st.tuples(st.integers(20, 120), st.integers(0, 119)).filter(lambda t: t[1] < t[0])


def check_invariants(text: str, chunker: Chunker) -> None:
    doc = Document(id="d", title="t", text=text)
    chunks = chunker.split(doc)
    covered = [False] * len(text)
    for i, c in enumerate(chunks):
        assert c.text == text[c.start:c.end]
        assert 0 < len(c.text) <= chunker.size
        assert not c.text[0].isspace() and not c.text[-1].isspace()
        assert c.ordinal == i
        for k in range(c.start, c.end):
            covered[k] = True
    missed = [k for k, ch in enumerate(text) if not ch.isspace() and not covered[k]]
    assert not missed, f"characters not in any chunk at {missed[:5]}"
    assert len({c.id for c in chunks}) == len(chunks)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, SIZES)
def test_chunks_are_exact_covering_and_bounded(text: str, sizes: tuple[int, int]) -> None:
    check_invariants(text, Chunker(*sizes))


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=0, max_size=2000))
def test_any_unicode_text(text: str) -> None:
    check_invariants(text, Chunker(300, 60))


@pytest.mark.parametrize("text", [
    "新闻标题" + " " * 400 + "正文第一句。" * 80,  # the scraped page that stopped a whole run
    "\n" * 500 + "一句话。" + "\n" * 500,
    "。！？；，" * 300,  # only punctuation
    "\u200b\u3000\u00a0" * 200 + "字" * 10,
    "",
    "   \n\t ",
])
def test_edge_texts(text: str) -> None:
    check_invariants(text, Chunker(300, 60))


def test_a_lone_surrogate_is_a_document_error() -> None:
    with pytest.raises(DocumentError, match="lone surrogate"):
        Chunker().split(Document(id="bad", title="t", text="字" * 10 + "\ud800"))


def test_five_megabyte_line() -> None:
    text = "义乌国际博览中心电商展会" * (5_000_000 // 12)
    t0 = time.perf_counter()
    spans = Chunker(300, 60).spans(text)
    assert time.perf_counter() - t0 < 10
    assert spans[0] == (0, 300) and spans[1][0] == 240 and spans[-1][1] == len(text)


def test_same_chunks_as_langchain_on_the_shipped_corpus() -> None:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    docs, errors = load_path(shipped_corpus_dir())
    assert docs and not errors
    for size, overlap in ((300, 60), (200, 40)):
        reference = RecursiveCharacterTextSplitter(separators=SEPARATORS, keep_separator="end", chunk_size=size,
                                                   chunk_overlap=overlap, strip_whitespace=True)
        for doc in docs:
            assert [c.text for c in Chunker(size, overlap).split(doc)] == reference.split_text(doc.text)


def test_chunks_know_their_pages_and_sections() -> None:
    text = "第一章 总则\n" + "甲" * 250 + "。\n" + "乙" * 250 + "。\n第二章 附则\n" + "丙" * 100 + "。"
    page2 = text.index("乙")
    doc = Document(id="d", title="t", text=text, pages=(0, page2),
                   sections=((0, "第一章 总则"), (text.index("第二章"), "第二章 附则")))
    chunks = Chunker(300, 60).split(doc)
    assert chunks[0].page == 1 and chunks[0].section == "第一章 总则"
    last = chunks[-1]
    assert last.section == "第二章 附则" and last.page == 2
    spanning = [c for c in chunks if c.page_breaks]
    assert all(c.start < page2 < c.end and c.page_at(page2) == c.page + 1 for c in spanning)
    plain = Chunker().split(Document(id="p", title="t", text="没有页码的文本。"))
    assert plain[0].page is None and plain[0].section is None and plain[0].page_at(0) is None
