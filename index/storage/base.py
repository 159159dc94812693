"""What the pipeline needs from an index, whatever keeps it: the records that go in and come out, and
the two protocols every backend implements.

``IndexStore`` is the writing side and the factory of views; ``IndexView`` is one consistent state of the
index that retrieval and answering read (search, a document's chunks in order, stored vectors, lexicon
statistics). The local backend (``index.storage.store``: SQLite + FAISS + BM25 files) and the Milvus one
(``index.storage.milvus``) both follow them, so nothing above ``index`` touches FAISS, bm25s or pymilvus.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass
from typing import Any, Protocol

import numpy as np

from index.documents import Chunk, Document

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Manifest:
    """What an index was built with; an index is only usable by a pipeline with the same manifest."""

    model_id: str
    dim: int
    chunk_size: int
    chunk_overlap: int
    format_version: int = FORMAT_VERSION

    def mismatch(self, other: Manifest) -> list[str]:
        return [f"{k}: index has {v!r}, settings have {getattr(other, k)!r}"
                for k, v in asdict(self).items() if getattr(other, k) != v]


@dataclass(frozen=True)
class DocInfo:
    id: str
    title: str
    date: str | None
    source: str | None
    url: str | None
    fingerprint: str
    origin: str | None
    chunks: int
    version: str = ""  # which write of the document is current (Milvus: its chunks carry the same)


@dataclass(frozen=True)
class Upsert:
    """A document to (re)write with all its chunks, their tokens and vectors (rows aligned)."""

    doc: Document
    chunks: list[Chunk]
    tokens: list[list[str]]
    vectors: np.ndarray
    origin: str | None = None
    sentence_vectors: Sequence[np.ndarray | None] | None = None  # per chunk: one row per sentence


@dataclass(frozen=True)
class SearchFilter:
    """Restrict a search to some documents and/or a date range (ISO dates, inclusive). Values are data:
    a backend that builds query expressions from them must quote them (``index.storage.milvus.expr``)."""

    doc_ids: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None

    @property
    def active(self) -> bool:
        return bool(self.doc_ids or self.date_from or self.date_to)

    def allows(self, doc_id: str, date: str | None) -> bool:
        if self.doc_ids and doc_id not in self.doc_ids:
            return False
        if (self.date_from or self.date_to) and date is None:
            return False
        if self.date_from and date < self.date_from:  # type: ignore[operator]
            return False
        return not (self.date_to and date > self.date_to)  # type: ignore[operator]


Ranked = list[tuple[Chunk, float]]  # best first


class Lexicon(Protocol):
    """Corpus statistics of our tokenizer's tokens over chunks: what the composer weighs words by."""

    def knows(self, token: str) -> bool: ...

    def idf(self, token: str) -> float: ...


class IndexView(Protocol):
    """One consistent state of the index, safe to read from many threads."""

    generation: Any
    docs: Mapping[str, DocInfo]
    tokenizer_fingerprint: str
    lexical: Lexicon

    def __len__(self) -> int: ...

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        """The document's chunks in reading order (empty for an unknown document)."""
        ...

    def vector_of(self, chunk: Chunk) -> np.ndarray | None: ...

    def sentence_vectors_of(self, chunk: Chunk) -> np.ndarray | None:
        """One row per sentence of ``split_chunk(chunk)``, or None when stored without them."""
        ...

    def dense_search(self, qvec: np.ndarray, k: int, filters: SearchFilter | None = None) -> Ranked: ...

    def lexical_search(self, tokens: list[str], k: int, filters: SearchFilter | None = None) -> Ranked: ...


class IndexStore(Protocol):
    """Where the index lives. Writes are all-or-nothing per document; ``snapshot`` gives the current view."""

    manifest: Manifest

    def snapshot(self, tokenizer_fingerprint: str = "", max_age_s: float = 1.0) -> IndexView: ...

    def writer(self) -> AbstractContextManager[Any]: ...

    def apply(self, upserts: Sequence[Upsert] = (), removals: Sequence[str] = (),
              tokenizer_fingerprint: str | None = None, refresh: bool = True) -> IndexView | None: ...

    def retokenize(self, tokenize: Callable[[str], list[str]], fingerprint: str) -> IndexView: ...

    def existing_vectors(self, chunk_ids: Sequence[str]) -> dict[str, tuple[np.ndarray, np.ndarray | None]]: ...

    def document_text(self, doc_id: str) -> str: ...

    def iter_upserts(self, batch_docs: int = 64) -> Iterator[list[Upsert]]:
        """Every document with its chunks, tokens and vectors, as written: what a migration copies."""
        ...

    def close(self) -> None: ...


def chunk_record(chunk: Chunk) -> dict[str, Any]:
    """Every field of ``Chunk``, whatever fields it has today: a backend stores this and gets the chunk back
    with ``chunk_from_record``, so a field added to ``Chunk`` needs no change in any backend."""
    return {f.name: getattr(chunk, f.name) for f in dataclasses.fields(Chunk)}


def chunk_from_record(record: Mapping[str, Any]) -> Chunk:
    names = {f.name for f in dataclasses.fields(Chunk)}
    # JSON gives tuples back as lists; a frozen dataclass keeps them hashable as tuples
    return Chunk(**{k: tuple(v) if isinstance(v, list) else v for k, v in record.items() if k in names})
