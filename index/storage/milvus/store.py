"""The index in Milvus: the writing side (``MilvusStore``) of the ``IndexStore`` protocol.

A document is written in three steps: its chunks and text parts under a fresh ``version``, then its row
in ``docs`` naming that version (one upsert: the document switches over at once), then the previous
version's rows are deleted. Readers only use chunks whose version is the one ``docs`` names, so a crash
at any point leaves each document entirely old or entirely new; the leftovers of a crashed write are
invisible (they take space until a sweep, not written yet). Any number of processes may read and write one
Milvus; each document's last write wins.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
from pymilvus import MilvusClient
from pymilvus.exceptions import MilvusException

from index.documents import Document
from index.errors import BackendError, IndexMismatchError, NotFoundError
from index.storage.base import Manifest, Upsert, chunk_from_record, chunk_record
from index.storage.milvus import expr, lexicon, schema
from index.storage.milvus.view import MilvusView

_BATCH = 256


def resolve_uri(uri: str | None, data_dir: Path) -> str:
    """A server address as it is; a file path (relative ones in the data dir) for embedded Milvus Lite."""
    if uri and uri.startswith(("http://", "https://", "tcp://", "unix:")):
        return uri
    path = Path(uri or "milvus.db").expanduser()
    path = path if path.is_absolute() else Path(data_dir) / path
    path.parent.mkdir(parents=True, exist_ok=True)
    return str(path)


def encode_sentences(rows: np.ndarray | None) -> str:
    if rows is None or not len(rows):
        return ""
    text = base64.b64encode(np.ascontiguousarray(rows, dtype=np.float16).tobytes()).decode("ascii")
    return text if len(text) <= schema.MAX_VARCHAR else ""  # a chunk of very many sentences: scored without


class MilvusStore:
    def __init__(self, manifest: Manifest, data_dir: Path, uri: str | None = None, token: str | None = None,
                 prefix: str = "expo_qa", engine_bm25: bool = False, engine_fusion: bool = False) -> None:
        self.manifest = manifest
        self.uri = resolve_uri(uri, data_dir)
        self.prefix = prefix
        self.engine_bm25, self.engine_fusion = engine_bm25, engine_fusion
        try:
            self.client = MilvusClient(self.uri, token=token or "")
            schema.ensure(self.client, prefix, manifest.dim)
        except MilvusException as e:  # the token is never part of the message
            raise BackendError(f"cannot open Milvus at {self.uri}: {e.message}") from None
        self._lock = threading.RLock()
        self._view: MilvusView | None = None
        self._checked_at = 0.0
        self._check_manifest()

    def coll(self, what: str) -> str:
        return schema.name(self.prefix, what)

    # -- meta -----------------------------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        rows = self.client.get(self.coll("meta"), ids=[key], output_fields=["value"])
        return rows[0]["value"] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        self.client.upsert(self.coll("meta"), [{"pk": key, "value": value, "_v": [0.0, 0.0]}])

    def _check_manifest(self) -> None:
        stored = self.meta("manifest")
        if stored is None:
            self.set_meta("manifest", json.dumps(asdict(self.manifest)))
            return
        problems = Manifest(**json.loads(stored)).mismatch(self.manifest)
        if problems:
            raise IndexMismatchError(
                f"the Milvus index {self.prefix!r} at {self.uri} was built with other settings "
                f"({'; '.join(problems)}). Rebuild it with `qa index --rebuild` (QA_STORE=milvus), or set "
                "QA_MILVUS_COLLECTION to another prefix.")

    def generation(self) -> str:
        return self.meta("generation") or ""

    # -- reading --------------------------------------------------------------------------------------
    def snapshot(self, tokenizer_fingerprint: str = "", max_age_s: float = 1.0) -> MilvusView:
        """The current view; another process's write shows within ``max_age_s`` (1 s by default)."""
        view, now = self._view, time.monotonic()
        if view is not None and now - self._checked_at < max_age_s:
            return view
        gen = self.generation()
        self._checked_at = now
        if view is None or view.generation != gen:
            view = MilvusView(self, gen, self._load_docs(), self.meta("tokenizer") or "")
            self._view = view
        return view

    def _load_docs(self) -> dict:
        from index.storage.base import DocInfo

        out = {}
        for row in self._query_all(self.coll("docs"), "", ["pk", "version", "info"]):
            i = row["info"]
            out[row["pk"]] = DocInfo(row["pk"], i["title"], i.get("date"), i.get("source"), i.get("url"),
                                     i["fingerprint"], i.get("origin"), int(i["chunks"]), row["version"])
        return out

    def _query_all(self, coll: str, filter: str, fields: list[str]) -> list[dict]:
        """Every matching row. One query up to Milvus's window of 16,384 rows; an iterator beyond it."""
        total = int(self.client.query(coll, filter=filter, output_fields=["count(*)"])[0]["count(*)"])
        if total < 16384:
            return list(self.client.query(coll, filter=filter or 'pk != ""', output_fields=fields, limit=16384))
        out: list[dict] = []
        it = self.client.query_iterator(coll, batch_size=1000, filter=filter, output_fields=fields)
        try:
            while batch := it.next():
                out.extend(batch)
        finally:
            it.close()
        return out

    def count_terms(self, term: str) -> int:
        """Chunks whose terms include ``term`` (a hex word from ``lexicon.term``: nothing to escape)."""
        res = self.client.query(self.coll("chunks"), filter=f"TEXT_MATCH(terms, '{term}')",
                                output_fields=["count(*)"])
        return int(res[0]["count(*)"])

    def document_text(self, doc_id: str) -> str:
        info = self.snapshot().docs.get(doc_id)
        if info is None:
            raise NotFoundError(f"no document with id {doc_id!r} in the index")
        rows = self.client.query(self.coll("texts"), output_fields=["part", "text"],
                                 filter=f"{expr.eq('doc_id', doc_id)} and {expr.eq('version', info.version)}")
        return "".join(r["text"] for r in sorted(rows, key=lambda r: r["part"]))

    def existing_vectors(self, chunk_ids: Sequence[str]) -> dict[str, tuple[np.ndarray, np.ndarray | None]]:
        out: dict[str, tuple[np.ndarray, np.ndarray | None]] = {}
        ids = list(dict.fromkeys(chunk_ids))
        for i in range(0, len(ids), 200):
            rows = self.client.query(self.coll("chunks"), filter=expr.one_of("chunk_id", ids[i:i + 200]),
                                     output_fields=["chunk_id", "vector", "sentences"])
            for r in rows:
                out[r["chunk_id"]] = (np.asarray(r["vector"], dtype=np.float32), self.decode_sentences(r["sentences"]))
        return out

    def decode_sentences(self, text: str) -> np.ndarray | None:
        if not text:
            return None
        return np.frombuffer(base64.b64decode(text), dtype=np.float16).reshape(-1, self.manifest.dim)

    def iter_upserts(self, batch_docs: int = 64) -> Iterator[list[Upsert]]:
        view = self.snapshot(max_age_s=0)
        ids = sorted(view.docs)
        for i in range(0, len(ids), batch_docs):
            yield [self._upsert_of(view, doc_id) for doc_id in ids[i:i + batch_docs]]

    def _upsert_of(self, view: MilvusView, doc_id: str) -> Upsert:
        info = view.docs[doc_id]
        rows = view.chunk_rows(doc_id)
        doc = Document(doc_id, info.title, self.document_text(doc_id), info.date, info.source, info.url)
        vectors = (np.stack([np.asarray(r["vector"], dtype=np.float32) for r in rows]) if rows
                   else np.zeros((0, self.manifest.dim), dtype=np.float32))
        return Upsert(doc, [chunk_from_record(r["chunk"]) for r in rows], [list(r["tokens"]) for r in rows],
                      vectors, info.origin, [self.decode_sentences(r["sentences"]) for r in rows])

    # -- writing --------------------------------------------------------------------------------------
    @contextmanager
    def writer(self) -> Iterator[MilvusStore]:
        with self._lock:
            yield self

    def apply(self, upserts: Sequence[Upsert] = (), removals: Sequence[str] = (),
              tokenizer_fingerprint: str | None = None, refresh: bool = True) -> MilvusView | None:
        with self._lock:
            try:
                avgdl = self._avgdl(upserts)
                for doc_id in removals:
                    self._remove(doc_id)
                for u in upserts:
                    self._write(u, avgdl)
                if tokenizer_fingerprint is not None:
                    self.set_meta("tokenizer", tokenizer_fingerprint)
                self.set_meta("generation", uuid.uuid4().hex)
            except MilvusException as e:
                raise BackendError(f"Milvus at {self.uri} refused a write: {e.message}") from None
            if not refresh:
                return None
            self._seal()
            return self.snapshot(max_age_s=0)

    def _seal(self) -> None:
        """Flush at the end of a write: Milvus Lite searches sealed segments through their indexes but
        rebuilds the growing one's on every search (measured at 1k chunks: dense 24 -> 12 ms, a count by
        doc id 23 -> 3 ms)."""
        for what in ("chunks", "docs", "texts"):
            self.client.flush(self.coll(what))

    def _avgdl(self, upserts: Sequence[Upsert]) -> float:
        """The BM25 length norm, fixed by the first write (a migration's is the whole local index's)."""
        stored = self.meta("avgdl")
        if stored is not None:
            return float(stored)
        lengths = [len(t) for u in upserts for t in u.tokens]
        if not lengths:
            return 1.0
        value = sum(lengths) / len(lengths)
        self.set_meta("avgdl", repr(value))
        return value

    def set_length_norm(self, avgdl: float) -> None:
        """Fix BM25's average chunk length before the first write (a migration gives its source's)."""
        if self.meta("avgdl") is None and avgdl > 0:
            self.set_meta("avgdl", repr(float(avgdl)))

    def _write(self, u: Upsert, avgdl: float) -> None:
        d, version = u.doc, uuid.uuid4().hex[:16]
        old = self.client.query(self.coll("docs"), filter=expr.eq("pk", d.id), output_fields=["version", "info"])
        sents = u.sentence_vectors or [None] * len(u.chunks)
        rows = [self._chunk_row(c, t, v, s, version, d.date, avgdl)
                for c, t, v, s in zip(u.chunks, u.tokens, u.vectors, sents)]
        for i in range(0, len(rows), _BATCH):
            self.client.insert(self.coll("chunks"), rows[i:i + _BATCH])
        parts = [d.text[i:i + schema.TEXT_PART] for i in range(0, len(d.text), schema.TEXT_PART)] or [""]
        self.client.insert(self.coll("texts"), [
            {"pk": f"{version}:{n}", "doc_id": d.id, "version": version, "part": n, "text": p, "_v": [0.0, 0.0]}
            for n, p in enumerate(parts)])
        info = {"title": d.title, "date": d.date, "source": d.source, "url": d.url, "fingerprint": d.fingerprint,
                "origin": u.origin, "chunks": len(rows), "parts": len(parts), "added_at": time.time()}
        self.client.upsert(self.coll("docs"), [{"pk": d.id, "version": version, "info": info, "_v": [0.0, 0.0]}])
        if old:  # by primary key: a filter would scan the collection once per document written
            was, info = old[0]["version"], old[0]["info"]
            self.client.delete(self.coll("chunks"), ids=[f"{was}:{i}" for i in range(int(info["chunks"]))])
            self.client.delete(self.coll("texts"), ids=[f"{was}:{i}" for i in range(int(info.get("parts", 1)))])

    @staticmethod
    def _chunk_row(c, tokens: list[str], vector: np.ndarray, sentences, version: str, date: str | None,
                   avgdl: float) -> dict[str, Any]:
        return {"pk": f"{version}:{c.ordinal}", "chunk_id": c.id, "doc_id": c.doc_id, "version": version,
                "ordinal": c.ordinal, "date": expr.date_number(date) if date else 0, "chunk": chunk_record(c),
                "tokens": list(tokens), "terms": lexicon.terms_text(tokens),
                "sparse": lexicon.doc_weights(tokens, avgdl),
                "vector": np.asarray(vector, dtype=np.float32).tolist(), "sentences": encode_sentences(sentences)}

    def _remove(self, doc_id: str) -> None:
        # never ids=[doc_id]: pymilvus pastes ids into an expression unescaped (a ' in an id breaks out)
        self.client.delete(self.coll("docs"), filter=expr.eq("pk", doc_id))  # gone for readers from here on
        self.client.delete(self.coll("chunks"), filter=expr.eq("doc_id", doc_id))
        self.client.delete(self.coll("texts"), filter=expr.eq("doc_id", doc_id))

    def retokenize(self, tokenize: Callable[[str], list[str]], fingerprint: str) -> MilvusView:
        """Recompute every chunk's tokens (after a lexicon change), keeping its vectors: each document is
        written again as a new version, so readers never see a mix."""
        with self._lock:
            for batch in self.iter_upserts():
                again = [Upsert(u.doc, u.chunks, [tokenize(c.embed_text) for c in u.chunks], u.vectors,
                                u.origin, u.sentence_vectors) for u in batch]
                self.apply(again, refresh=False)
            self.apply(tokenizer_fingerprint=fingerprint, refresh=False)
            return self.snapshot(max_age_s=0)

    def drop(self) -> None:
        """Delete the whole index (``qa index --rebuild``)."""
        schema.drop(self.client, self.prefix)
        self._view = None

    def close(self) -> None:
        self.client.close()

