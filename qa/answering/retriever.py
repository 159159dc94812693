"""Hybrid retrieval: dense (FAISS) and lexical (BM25 over jieba tokens), fused by reciprocal rank.

Dense search finds paraphrases; BM25 finds exact names, numbers and rare terms that a small embedding
model blurs. Reciprocal rank fusion needs no score calibration between the two.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import faiss
import numpy as np

from index.embedders import Embedder
from index.storage.store import Snapshot, Store
from index.tokenizer import Tokenizer
from qa.errors import BadRequestError
from qa.settings import RetrievalMode
from qa.types import Hit

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# One query searches a small matrix: OpenMP threads only add contention between concurrent requests.
faiss.omp_set_num_threads(1)


@dataclass(frozen=True)
class Filters:
    doc_ids: tuple[str, ...] = ()
    date_from: str | None = None  # inclusive, YYYY-MM-DD
    date_to: str | None = None

    def __post_init__(self) -> None:
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value is not None:
                try:
                    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
                        raise ValueError
                    dt.date.fromisoformat(value)
                except (TypeError, ValueError):
                    raise BadRequestError(f"{name} must be a date as YYYY-MM-DD, got {value!r}") from None
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise BadRequestError(f"date_from ({self.date_from}) is after date_to ({self.date_to})")

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


@dataclass(frozen=True)
class Retrieval:
    hits: list[Hit]
    query_vector: np.ndarray | None
    tokens: list[str]
    snapshot: Snapshot


class Retriever:
    def __init__(self, store: Store, embedder: Embedder, tokenizer: Tokenizer,
                 mode: RetrievalMode = RetrievalMode.HYBRID, rrf_k: int = 60, candidates: int = 30) -> None:
        if rrf_k < 1:
            raise ValueError(f"rrf_k must be >= 1, got {rrf_k}")
        self.store = store
        self.embedder = embedder
        self.tokenizer = tokenizer
        self.mode = RetrievalMode(mode)
        self.rrf_k = rrf_k
        self.candidates = candidates

    def retrieve(self, query: str, top_k: int = 5, filters: Filters | None = None,
                 mode: RetrievalMode | None = None, lexical_query: str | None = None) -> Retrieval:
        """``lexical_query`` replaces the query for BM25 only (an English question's Chinese terms)."""
        mode = RetrievalMode(mode or self.mode)
        snap = self.store.snapshot()
        filters = filters or Filters()
        allowed_ids = None
        if filters.active:
            allowed_docs = {d for d, info in snap.docs.items() if filters.allows(d, info.date)}
            allowed_ids = np.array([i for i, c in snap.chunks.items() if c.doc_id in allowed_docs], dtype=np.int64)
        n_cand = max(self.candidates, top_k)
        tokens = self.tokenizer.tokens(query if lexical_query is None else lexical_query)
        qvec = None
        dense: list[tuple[int, float]] = []
        lexical: list[tuple[int, float]] = []
        if len(snap) and (allowed_ids is None or len(allowed_ids)):
            if mode in (RetrievalMode.HYBRID, RetrievalMode.DENSE):
                qvec = self.embedder.embed_queries([query])[0]
                dense = self._dense(snap, qvec, n_cand, allowed_ids)
            if mode in (RetrievalMode.HYBRID, RetrievalMode.BM25):
                mask = None
                if allowed_ids is not None:
                    mask = np.isin(snap.lexical.ids, allowed_ids)
                lexical = snap.lexical.search(tokens, n_cand, mask)
        hits = self._fuse(snap, dense, lexical, top_k)
        return Retrieval(hits, qvec, tokens, snap)

    @staticmethod
    def _dense(snap: Snapshot, qvec: np.ndarray, k: int, allowed: np.ndarray | None) -> list[tuple[int, float]]:
        k = min(k, snap.vectors.ntotal)
        params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(allowed)) if allowed is not None else None
        scores, ids = snap.vectors.search(qvec.reshape(1, -1).astype(np.float32), k, params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    def _fuse(self, snap: Snapshot, dense: list[tuple[int, float]], lexical: list[tuple[int, float]],
              top_k: int) -> list[Hit]:
        fused: dict[int, float] = {}
        dense_s = dict(dense)
        lex_s = dict(lexical)
        for ranked in (dense, lexical):
            for rank, (cid, _) in enumerate(ranked):
                fused[cid] = fused.get(cid, 0.0) + 1.0 / (self.rrf_k + rank + 1)
        order = sorted(fused, key=lambda c: (-fused[c], -dense_s.get(c, 0.0), c))[:top_k]
        return [Hit(chunk=snap.chunks[c], score=fused[c], dense=dense_s.get(c), lexical=lex_s.get(c), rank=r + 1)
                for r, c in enumerate(order)]
