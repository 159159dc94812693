"""The local backend's view: one generation of the SQLite record with its FAISS and BM25 indexes."""

from __future__ import annotations

from dataclasses import dataclass, field

import faiss
import numpy as np

from index.documents import Chunk
from index.storage.base import DocInfo, Ranked, SearchFilter
from index.storage.lexical import LexicalIndex

# One query searches a small matrix: OpenMP threads only add contention between concurrent requests.
faiss.omp_set_num_threads(1)


@dataclass(frozen=True)
class Snapshot:
    """One consistent generation of the index, safe to search from many threads (an ``IndexView``)."""

    generation: int
    vectors: faiss.Index
    lexical: LexicalIndex
    chunks: dict[int, Chunk]
    docs: dict[str, DocInfo]
    tokenizer_fingerprint: str
    doc_chunks: dict[str, list[int]]  # doc id -> chunk row ids in reading order
    sentence_vectors: dict[str, np.ndarray] = field(default_factory=dict)  # chunk id -> rows per sentence
    _rowids: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self._rowids:
            self._rowids.update({c.id: r for r, c in self.chunks.items()})

    def __len__(self) -> int:
        return len(self.chunks)

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        return [self.chunks[r] for r in self.doc_chunks.get(doc_id, [])]

    def vector_of(self, chunk: Chunk) -> np.ndarray | None:
        rowid = self._rowids.get(chunk.id)
        if rowid is None:
            return None
        try:
            return self.vectors.reconstruct(int(rowid))
        except RuntimeError:
            return None

    def sentence_vectors_of(self, chunk: Chunk) -> np.ndarray | None:
        return self.sentence_vectors.get(chunk.id)

    def _allowed(self, filters: SearchFilter | None) -> np.ndarray | None:
        if filters is None or not filters.active:
            return None
        docs = {d for d, info in self.docs.items() if filters.allows(d, info.date)}
        return np.array([r for d in docs for r in self.doc_chunks.get(d, [])], dtype=np.int64)

    def dense_search(self, qvec: np.ndarray, k: int, filters: SearchFilter | None = None) -> Ranked:
        allowed = self._allowed(filters)
        k = min(k, self.vectors.ntotal)
        if k <= 0 or (allowed is not None and not len(allowed)):
            return []
        params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(allowed)) if allowed is not None else None
        scores, ids = self.vectors.search(qvec.reshape(1, -1).astype(np.float32), k, params=params)
        return [(self.chunks[int(i)], float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    def lexical_search(self, tokens: list[str], k: int, filters: SearchFilter | None = None) -> Ranked:
        allowed = self._allowed(filters)
        if allowed is not None and not len(allowed):
            return []
        mask = np.isin(self.lexical.ids, allowed) if allowed is not None else None
        return [(self.chunks[i], s) for i, s in self.lexical.search(tokens, k, mask)]
