"""One state of the Milvus index as retrieval and answering read it (``IndexView``).

The view holds the list of documents (id → ``DocInfo`` with its current version) as of one
``generation``; everything else is asked of Milvus when needed and cached in the view: the chunks of a
hit come back with the search, a document's chunks in order with one query. A chunk is used only when its
version is the one its document names, so a write in progress or cut short by a crash is never seen.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

import numpy as np
from pymilvus import AnnSearchRequest, RRFRanker

from index.documents import Chunk
from index.storage.base import DocInfo, Ranked, SearchFilter, chunk_from_record
from index.storage.milvus import expr, lexicon

CHUNK_FIELDS = ["chunk_id", "doc_id", "version", "ordinal", "chunk", "vector", "sentences"]
_SLACK = 10  # extra results asked for, to stay at k after dropping chunks of versions not (or no longer) current
_CACHE = 4096


class MilvusView:
    """``store`` is the ``MilvusStore`` that made the view (its client, collection names and term statistics)."""

    def __init__(self, store: Any, generation: str, docs: dict[str, DocInfo], tokenizer_fingerprint: str):
        self.store = store
        self.generation = generation
        self.docs = docs
        self.tokenizer_fingerprint = tokenizer_fingerprint
        self._n = sum(d.chunks for d in docs.values())
        self.lexical = lexicon.StatsLexicon(self._n, store.terms.dfs)
        self.fuses = store.engine_fusion
        self._rows: OrderedDict[str, dict[str, Any]] = OrderedDict()  # chunk id -> row
        self._doc_rows: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return self._n

    # -- rows -----------------------------------------------------------------------------------------
    def _current(self, row: dict[str, Any]) -> bool:
        info = self.docs.get(row["doc_id"])
        return info is not None and info.version == row["version"]

    def _remember(self, rows: list[dict[str, Any]]) -> None:
        with self._lock:
            for r in rows:
                self._rows[r["chunk_id"]] = r
                self._rows.move_to_end(r["chunk_id"])
            while len(self._rows) > _CACHE:
                self._rows.popitem(last=False)

    def chunk_rows(self, doc_id: str) -> list[dict[str, Any]]:
        """The document's current chunk rows in reading order."""
        rows = self._doc_rows.get(doc_id)
        if rows is None:
            info = self.docs.get(doc_id)
            rows = [] if info is None else sorted(self.store.client.query(
                self.store.coll("chunks"), output_fields=CHUNK_FIELDS + ["tokens"],
                filter=f"{expr.eq('doc_id', doc_id)} and {expr.eq('version', info.version)}"),
                key=lambda r: r["ordinal"])
            self._remember(rows)
            with self._lock:
                self._doc_rows[doc_id] = rows
                while len(self._doc_rows) > 256:
                    self._doc_rows.popitem(last=False)
        return rows

    def _row(self, chunk: Chunk) -> dict[str, Any] | None:
        row = self._rows.get(chunk.id)
        if row is None:
            row = next((r for r in self.chunk_rows(chunk.doc_id) if r["chunk_id"] == chunk.id), None)
        return row

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        return [chunk_from_record(r["chunk"]) for r in self.chunk_rows(doc_id)]

    def vector_of(self, chunk: Chunk) -> np.ndarray | None:
        row = self._row(chunk)
        return None if row is None else np.asarray(row["vector"], dtype=np.float32)

    def sentence_vectors_of(self, chunk: Chunk) -> np.ndarray | None:
        row = self._row(chunk)
        return None if row is None else self.store.decode_sentences(row["sentences"])

    # -- search ---------------------------------------------------------------------------------------
    def _ranked(self, results: list, k: int, positive: bool = False) -> Ranked:
        out: Ranked = []
        rows = []
        for hit in results[0] if results else []:
            row = hit["entity"]
            if not self._current(row) or (positive and hit["distance"] <= 0):
                continue
            rows.append(row)
            out.append((chunk_from_record(row["chunk"]), float(hit["distance"])))
        self._remember(rows)
        return out[:k]

    def dense_search(self, qvec: np.ndarray, k: int, filters: SearchFilter | None = None) -> Ranked:
        if not self._n:
            return []
        res = self.store.client.search(
            self.store.coll("chunks"), data=[np.asarray(qvec, dtype=np.float32).tolist()], anns_field="vector",
            limit=k + _SLACK, filter=expr.search_filter(filters), output_fields=CHUNK_FIELDS,
            search_params={"metric_type": "IP"})
        return self._ranked(res, k)

    def _lexical_request(self, tokens: list[str]) -> tuple[list, str, dict] | None:
        self.lexical.prefetch(tokens)
        if self.store.engine_bm25:
            known = [t for t in tokens if self.lexical.knows(t)]
            return ([lexicon.terms_text(known)], "bm25", {"metric_type": "BM25"}) if known else None
        weights = self.lexical.query_weights(tokens)
        return ([weights], "sparse", {"metric_type": "IP"}) if weights else None

    def lexical_search(self, tokens: list[str], k: int, filters: SearchFilter | None = None) -> Ranked:
        req = self._lexical_request(tokens) if self._n else None
        if req is None:
            return []
        data, field, params = req
        res = self.store.client.search(self.store.coll("chunks"), data=data, anns_field=field,
                                       limit=k + _SLACK, filter=expr.search_filter(filters),
                                       output_fields=CHUNK_FIELDS, search_params=params)
        return self._ranked(res, k, positive=not self.store.engine_bm25)

    def hybrid_search(self, qvec: np.ndarray, tokens: list[str], k: int, candidates: int, rrf_k: int,
                      filters: SearchFilter | None = None) -> list[tuple[Chunk, float, float]]:
        """Fusion in the engine: ``hybrid_search`` with ``RRFRanker(rrf_k)``. Gives (chunk, fused score,
        dense cosine), the cosine recomputed from the returned vector (the ranker keeps only the fused)."""
        if not self._n:
            return []
        flt = expr.search_filter(filters)
        reqs = [AnnSearchRequest([np.asarray(qvec, dtype=np.float32).tolist()], "vector", {"metric_type": "IP"},
                                 candidates, expr=flt or None)]
        lex = self._lexical_request(tokens)
        if lex is not None:
            reqs.append(AnnSearchRequest(lex[0], lex[1], lex[2], candidates, expr=flt or None))
        res = self.store.client.hybrid_search(self.store.coll("chunks"), reqs, RRFRanker(rrf_k),
                                              limit=k + _SLACK, output_fields=CHUNK_FIELDS)
        ranked = self._ranked(res, k)
        return [(c, s, float(np.dot(self.vector_of(c), qvec))) for c, s in ranked]
