"""The index in Milvus: the writing side (``MilvusStore``) of the ``IndexStore`` protocol.

A batch of documents is written in four steps: their chunks and text parts under fresh versions
(``versions.new_version``), then each one's row in ``docs`` naming its new version (one upsert: the
document switches over at once), then the term statistics (``terms``), then the previous versions' rows
are deleted. Readers only use chunks whose version is the one ``docs`` names, so a crash at any point
leaves each document entirely old or entirely new; the rows a crashed write leaves are invisible, and
the next write session sweeps them (``versions.sweep``) and, when the crash came after a switch, counts
the term statistics again. Any number of processes may read and write one Milvus; each document's last
write wins.
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
from index.storage.base import DocInfo, Manifest, Upsert, chunk_from_record, chunk_record
from index.storage.milvus import expr, lexicon, schema, terms, versions
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


# pymilvus shares one gRPC channel per server among its clients and by default pings it every 10 s even
# when idle; a server that enforces gRPC's default ping policy (``milvus-lite server`` does) answers
# an idle channel's pings with GOAWAY "too_many_pings", after which the next client on that channel
# cannot connect. Pinging only while a call is in flight keeps dead-peer detection for calls and lets
# an idle process (a replica between requests) keep its channel.
_GRPC_OPTIONS = {"grpc.keepalive_permit_without_calls": False}


def connect(uri: str, token: str | None) -> MilvusClient:
    return MilvusClient(uri, token=token or "", grpc_options=_GRPC_OPTIONS)


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
            self.client = connect(self.uri, token)
            schema.ensure(self.client, prefix, manifest.dim)
        except MilvusException as e:  # the token is never part of the message
            raise BackendError(f"cannot open Milvus at {self.uri}: {e.message}") from None
        self._lock = threading.RLock()
        self._view: MilvusView | None = None
        self._checked_at = 0.0
        self._check_manifest()
        self.terms = terms.TermStats(self.client, self.coll("terms"))
        if self.terms.totals() is None:  # a new index, or one written before term statistics were kept
            with self._lock:
                if self.terms.check(self._load_docs, self._token_lists, self._where()):
                    self.set_meta("generation", uuid.uuid4().hex)

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

    def _doc_rows(self) -> list[dict]:
        return schema.query_all(self.client, self.coll("docs"), "", ["pk", "version", "info"])

    @staticmethod
    def _doc_infos(rows: list[dict]) -> dict[str, DocInfo]:
        out = {}
        for row in rows:
            i = row["info"]
            out[row["pk"]] = DocInfo(row["pk"], i["title"], i.get("date"), i.get("source"), i.get("url"),
                                     i["fingerprint"], i.get("origin"), int(i["chunks"]), row["version"])
        return out

    def _load_docs(self) -> dict[str, DocInfo]:
        return self._doc_infos(self._doc_rows())

    def _by_pk(self, what: str, keys: list[str], fields: list[str]) -> list[dict]:
        """Rows by primary key, quoted (``pk in [...]``: Milvus reads each key directly, no scan), as of
        now (a cluster's default consistency may miss the last write, e.g. a document's new version)."""
        out: list[dict] = []
        for i in range(0, len(keys), 1000):
            out += self.client.query(self.coll(what), filter=expr.one_of("pk", keys[i:i + 1000]),
                                     output_fields=fields, consistency_level="Strong")
        return out

    def _token_lists(self, docs: list[tuple[str, DocInfo]]) -> list[list[str]]:
        """The tokens of the current chunks of ``docs`` (for counting term statistics again)."""
        return [r["tokens"] for r in self._by_pk("chunks", [f"{d.version}:{i}" for _, d in docs
                                                           for i in range(d.chunks)], ["tokens"])]

    def _where(self) -> str:
        return f"the Milvus index {self.prefix!r} at {self.uri}"

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
        """A write session. It starts by sweeping the rows of killed writes (``versions.sweep``) and by
        checking the term statistics against the documents (``terms.TermStats.check``)."""
        with self._lock:
            try:
                rows = self._doc_rows()
                docs = self._doc_infos(rows)
                versions.sweep(self.client, self.coll("chunks"), docs, sum(d.chunks for d in docs.values()))
                versions.sweep(self.client, self.coll("texts"), docs,
                               sum(int(r["info"].get("parts", 1)) for r in rows))
                if self.terms.check(self._load_docs, self._token_lists, self._where()):
                    self.set_meta("generation", uuid.uuid4().hex)  # readers drop the counts they hold
            except MilvusException as e:
                raise BackendError(f"Milvus at {self.uri} refused a write: {e.message}") from None
            yield self

    def apply(self, upserts: Sequence[Upsert] = (), removals: Sequence[str] = (),
              tokenizer_fingerprint: str | None = None, refresh: bool = True) -> MilvusView | None:
        with self._lock:
            try:
                self._write(upserts, removals, self._avgdl(upserts))
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
        for what in ("chunks", "docs", "texts", "terms"):
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

    def _write(self, upserts: Sequence[Upsert], removals: Sequence[str], avgdl: float) -> None:
        """One batch: the new versions' rows; the switch (removed documents leave ``docs``, the others' rows
        are upserted naming their new versions: each document changes over at once, with its row); the
        term statistics; then the old versions' rows are deleted, by primary key."""
        latest = {u.doc.id: u for u in upserts}  # a document given twice is written once, as last given
        gone = [i for i in dict.fromkeys(removals) if i not in latest]
        old = {r["pk"]: r for r in self._by_pk("docs", list(latest) + gone, ["version", "info"])}
        change = terms.Change()
        chunk_rows, text_rows, switch = [], [], []
        for u in latest.values():
            version = versions.new_version()
            texts = self._text_rows(u.doc, version)
            chunk_rows += self._chunk_rows(u, version, avgdl)
            text_rows += texts
            switch.append(self._doc_row(u, version, len(texts)))
            change.add(u.doc.id, version, u.tokens)
        for what, rows, size in (("chunks", chunk_rows, _BATCH), ("texts", text_rows, 64)):
            for i in range(0, len(rows), size):
                self.client.insert(self.coll(what), rows[i:i + size])
        was = {r["version"]: r["pk"] for r in old.values()}
        dropped = [f"{r['version']}:{i}" for r in old.values() for i in range(int(r["info"]["chunks"]))]
        by_version: dict[str, list[list[str]]] = {v: [] for v in was}
        for row in self._by_pk("chunks", dropped, ["version", "tokens"]):
            by_version[row["version"]].append(row["tokens"])
        for version, token_lists in by_version.items():
            change.drop(was[version], version, token_lists)
        for i in range(0, len(gone), 1000):  # never ids=[...]: pymilvus pastes ids into an expression unescaped
            self.client.delete(self.coll("docs"), filter=expr.one_of("pk", gone[i:i + 1000]))
        if switch:
            self.client.upsert(self.coll("docs"), switch)
        self.terms.apply(change)
        parts = [f"{r['version']}:{i}" for r in old.values() for i in range(int(r["info"].get("parts", 1)))]
        for what, pks in (("chunks", dropped), ("texts", parts)):
            for i in range(0, len(pks), 1000):
                self.client.delete(self.coll(what), ids=pks[i:i + 1000])

    def _chunk_rows(self, u: Upsert, version: str, avgdl: float) -> list[dict[str, Any]]:
        sents = u.sentence_vectors or [None] * len(u.chunks)
        return [self._chunk_row(c, t, v, s, version, u.doc.date, avgdl)
                for c, t, v, s in zip(u.chunks, u.tokens, u.vectors, sents)]

    @staticmethod
    def _text_rows(d: Document, version: str) -> list[dict[str, Any]]:
        parts = [d.text[i:i + schema.TEXT_PART] for i in range(0, len(d.text), schema.TEXT_PART)] or [""]
        return [{"pk": f"{version}:{n}", "doc_id": d.id, "version": version, "part": n, "text": p,
                 "_v": [0.0, 0.0]} for n, p in enumerate(parts)]

    @staticmethod
    def _doc_row(u: Upsert, version: str, parts: int) -> dict[str, Any]:
        """The ``docs`` row that makes ``version`` the document's current one."""
        d = u.doc
        info = {"title": d.title, "date": d.date, "source": d.source, "url": d.url, "fingerprint": d.fingerprint,
                "origin": u.origin, "chunks": len(u.chunks), "parts": parts, "added_at": time.time()}
        return {"pk": d.id, "version": version, "info": info, "_v": [0.0, 0.0]}

    @staticmethod
    def _chunk_row(c, tokens: list[str], vector: np.ndarray, sentences, version: str, date: str | None,
                   avgdl: float) -> dict[str, Any]:
        return {"pk": f"{version}:{c.ordinal}", "chunk_id": c.id, "doc_id": c.doc_id, "version": version,
                "ordinal": c.ordinal, "date": expr.date_number(date) if date else 0, "chunk": chunk_record(c),
                "tokens": list(tokens), "terms": lexicon.terms_text(tokens),
                "sparse": lexicon.doc_weights(tokens, avgdl),
                "vector": np.asarray(vector, dtype=np.float32).tolist(), "sentences": encode_sentences(sentences)}

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

