"""Hybrid retrieval: dense and lexical (BM25 over jieba tokens), fused by reciprocal rank.

Dense search finds paraphrases; BM25 finds exact names, numbers and rare terms that a small embedding
model blurs. Reciprocal rank fusion needs no score calibration between the two; each search's first hit
stays among the fused ones. Both searches run in the index backend's view (``IndexView``: FAISS and
bm25s locally, Milvus otherwise); fusion happens here, so every backend ranks the same way.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np

from index.documents import Chunk
from index.embedders import Embedder
from index.storage.base import IndexStore, IndexView, Ranked, SearchFilter
from index.tokenizer import Tokenizer
from qa.errors import BadRequestError
from qa.settings import RetrievalMode
from qa.types import Hit

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Filters(SearchFilter):
    """A search filter from a request, checked here: dates must be real YYYY-MM-DD dates, in order."""

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


@dataclass(frozen=True)
class Retrieval:
    hits: list[Hit]
    query_vector: np.ndarray | None
    tokens: list[str]
    snapshot: IndexView


class Retriever:
    def __init__(self, store: IndexStore, embedder: Embedder, tokenizer: Tokenizer,
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
        """``lexical_query`` (an English question's Chinese terms) replaces the query for BM25 and is
        embedded along with it: the small multilingual model matches an English question to Chinese
        passages less surely than the same question with the passages' own terms beside it."""
        mode = RetrievalMode(mode or self.mode)
        snap = self.store.snapshot()
        n_cand = max(self.candidates, top_k)
        tokens = self.tokenizer.tokens(query if lexical_query is None else lexical_query)
        query = query if lexical_query is None else f"{query} {lexical_query}"
        qvec = None
        dense: Ranked = []
        lexical: Ranked = []
        if len(snap) and mode is RetrievalMode.HYBRID and getattr(snap, "fuses", False):
            qvec = self.embedder.embed_queries([query])[0]  # the backend fuses (Milvus hybrid_search)
            fused = snap.hybrid_search(qvec, tokens, top_k, n_cand, self.rrf_k, filters)
            firsts = [r[0] for r in (snap.dense_search(qvec, 1, filters), snap.lexical_search(tokens, 1, filters)) if r]
            rows = {c.id: (c, f, d) for c, f, d in fused}
            for c, _ in firsts:  # a first hit the fusion dropped goes last, with the fusion's last score
                rows.setdefault(c.id, (c, fused[-1][1] if fused else 0.0, float(np.dot(snap.vector_of(c), qvec))))
            order = _with_firsts([c.id for c, _, _ in fused], [c.id for c, _ in firsts])
            hits = [Hit(chunk=rows[i][0], score=rows[i][1], dense=rows[i][2], lexical=None, rank=r + 1)
                    for r, i in enumerate(order)]
            return Retrieval(hits, qvec, tokens, snap)
        if len(snap):
            if mode in (RetrievalMode.HYBRID, RetrievalMode.DENSE):
                qvec = self.embedder.embed_queries([query])[0]
                dense = snap.dense_search(qvec, n_cand, filters)
            if mode in (RetrievalMode.HYBRID, RetrievalMode.BM25):
                lexical = snap.lexical_search(tokens, n_cand, filters)
        return Retrieval(self._fuse(dense, lexical, top_k), qvec, tokens, snap)

    def _fuse(self, dense: Ranked, lexical: Ranked, top_k: int) -> list[Hit]:
        fused: dict[str, float] = {}
        chunks: dict[str, Chunk] = {}
        dense_s = {c.id: s for c, s in dense}
        lex_s = {c.id: s for c, s in lexical}
        for ranked in (dense, lexical):
            for rank, (chunk, _) in enumerate(ranked):
                chunks[chunk.id] = chunk
                fused[chunk.id] = fused.get(chunk.id, 0.0) + 1.0 / (self.rrf_k + rank + 1)
        order = sorted(fused, key=lambda c: (-fused[c], -dense_s.get(c, 0.0), c))[:top_k]
        order = _with_firsts(order, [r[0][0].id for r in (dense, lexical) if r])
        return [Hit(chunk=chunks[c], score=fused[c], dense=dense_s.get(c), lexical=lex_s.get(c), rank=r + 1)
                for r, c in enumerate(order)]


def _with_firsts(order: list[str], firsts: list[str]) -> list[str]:
    """Each search's best chunk stays among the hits: fusion by rank alone can push a chunk that one
    search ranks first (BM25 on a rare exact term) below several chunks that both rank middling."""
    missing = [c for c in dict.fromkeys(firsts) if c not in order]
    if not missing or len(order) <= len(missing):
        return order
    keep = [c for c in order if c in firsts]
    rest = [c for c in order if c not in firsts][:len(order) - len(keep) - len(missing)]
    return [c for c in order if c in keep or c in rest] + missing


SUGGEST_MIN_LEXICAL = 2.0  # BM25: at least one distinctive word of the question in the chunk
SUGGEST_DENSE_MARGIN = 0.02  # cosine: as close to the question as the closest chunk, near enough


def related_titles(hits: list[Hit], limit: int = 3) -> list[str]:
    """Documents worth suggesting when the answer is "not found": those whose chunks both retrieval
    signals tie to the question (words shared, at least half as strongly as the best chunk shares
    them, and meaning about as close as the closest); a chunk ranked only because something had to be
    ranked is not a suggestion."""
    lexical = [h.lexical for h in hits if h.lexical is not None]
    dense = [h.dense for h in hits if h.dense is not None]
    if not lexical:
        return []
    floor = max(SUGGEST_MIN_LEXICAL, 0.5 * max(lexical))
    near = max(dense) - SUGGEST_DENSE_MARGIN if dense else None
    tied = [h for h in hits if h.lexical is not None and h.lexical >= floor
            and (near is None or h.dense is None or h.dense >= near)]
    return list(dict.fromkeys(h.chunk.title for h in tied))[:limit]
