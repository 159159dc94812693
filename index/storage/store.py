"""The index on disk: SQLite is the durable record, FAISS and BM25 are derived files stamped with it.

Layout of ``<data dir>/index``::

    store.sqlite          documents, chunks (text, offsets, tokens, vector, sentence vectors), meta
    manifest.json         human-readable copy of the manifest
    vectors-<gen>.faiss   IndexIDMap2(IndexFlatIP) over chunk row ids, for generation <gen>
    lexical-<gen>/        BM25 over the chunks' tokens, same ids
    write.lock            file lock serialising writers across processes

Every write is one SQLite transaction that bumps ``generation``; the derived files for the new
generation are written afterwards (atomically). A crash between the two leaves SQLite ahead of the files,
and the next load rebuilds them from SQLite, so an acknowledged write is never lost and a half-written
file is never read. Readers hold an immutable ``Snapshot``; writers build a new one and swap it in, so a
search sees the old index or the new one, never a mix.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import faiss
import numpy as np
from filelock import FileLock

from index.documents import Chunk, Document
from index.errors import IndexMismatchError, NotFoundError
from index.storage.atomic import replace_dir_atomic, write_atomic, write_json_atomic
from index.storage.base import FORMAT_VERSION, DocInfo, Manifest, Upsert
from index.storage.lexical import LexicalIndex
from index.storage.snapshot import Snapshot

__all__ = ["FORMAT_VERSION", "DocInfo", "Manifest", "Snapshot", "Store", "Upsert"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, date TEXT, source TEXT, url TEXT, text TEXT NOT NULL,
    fingerprint TEXT NOT NULL, origin TEXT, added_at REAL NOT NULL, pages TEXT, sections TEXT);
CREATE TABLE IF NOT EXISTS chunks (
    rowid INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
    tokens TEXT NOT NULL, vector BLOB NOT NULL, sentences BLOB, section TEXT, page INTEGER, page_breaks TEXT);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
"""


class Store:
    def __init__(self, index_dir: Path, manifest: Manifest) -> None:
        self.dir = Path(index_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.manifest = manifest
        self._db_path = self.dir / "store.sqlite"
        self._thread_lock = threading.RLock()
        self._file_lock = FileLock(str(self.dir / "write.lock"))
        self._db_lock = threading.Lock()
        self._db = self._connect()
        self._check_manifest()
        self._snap: Snapshot | None = None
        self._checked_at = 0.0

    # -- connection and manifest -------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self._db_path, check_same_thread=False, isolation_level=None, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA foreign_keys=ON")
        db.executescript(_SCHEMA)
        columns = {row[1] for row in db.execute("PRAGMA table_info(chunks)")}
        if "sentences" not in columns:  # written before sentence vectors: changed documents and `qa index --rebuild` fill them
            db.execute("ALTER TABLE chunks ADD COLUMN sentences BLOB")
        # Written before sections and pages: their chunks have neither, as they had then.
        for name, kind in (("section", "TEXT"), ("page", "INTEGER"), ("page_breaks", "TEXT")):
            if name not in columns:
                db.execute(f"ALTER TABLE chunks ADD COLUMN {name} {kind}")
        doc_columns = {row[1] for row in db.execute("PRAGMA table_info(documents)")}
        for name in ("pages", "sections"):
            if name not in doc_columns:
                db.execute(f"ALTER TABLE documents ADD COLUMN {name} TEXT")
        return db

    def _meta(self, key: str) -> str | None:
        with self._db_lock:
            row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def _check_manifest(self) -> None:
        stored = self._meta("manifest")
        if stored is None:
            with self._writing():
                if self._meta("manifest") is None:
                    with self._db_lock:
                        self._db.execute("INSERT OR REPLACE INTO meta VALUES ('manifest', ?)",
                                         (json.dumps(asdict(self.manifest)),))
                        self._db.execute("INSERT OR IGNORE INTO meta VALUES ('generation', '0')")
                    write_json_atomic(self.dir / "manifest.json", asdict(self.manifest))
            return
        existing = Manifest(**json.loads(stored))
        problems = existing.mismatch(self.manifest)
        if problems:
            raise IndexMismatchError(
                f"the index in {self.dir} was built with other settings ({'; '.join(problems)}). "
                f"Rebuild it with `qa index --rebuild`, or point QA_DATA_DIR at another directory.")

    @contextmanager
    def _writing(self) -> Iterator[None]:
        with self._thread_lock, self._file_lock:
            yield

    def generation(self) -> int:
        return int(self._meta("generation") or 0)

    # -- reading -----------------------------------------------------------------------------------
    def snapshot(self, tokenizer_fingerprint: str = "", max_age_s: float = 1.0) -> Snapshot:
        """The current snapshot; re-reads the disk when another process has written since."""
        snap = self._snap
        now = time.monotonic()
        if snap is not None and now - self._checked_at < max_age_s:
            return snap
        if snap is not None and max_age_s > 0:
            # A write under way in this process holds the lock for as long as it embeds; readers keep
            # the snapshot they have (still consistent) rather than wait, and the write swaps in its own.
            if not self._thread_lock.acquire(blocking=False):
                return snap
        else:
            self._thread_lock.acquire()
        try:
            self._checked_at = now
            if self._snap is None or self._snap.generation != self.generation():
                self._snap = self._load()
            return self._snap
        finally:
            self._thread_lock.release()

    def _load(self) -> Snapshot:
        with self._db_lock:
            self._db.execute("BEGIN")
            try:
                gen = int(self._db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()[0])
                tok_fp = (self._db.execute("SELECT value FROM meta WHERE key='tokenizer'").fetchone()
                          or [""])[0]
                doc_rows = self._db.execute(
                    "SELECT d.id, d.title, d.date, d.source, d.url, d.fingerprint, d.origin, "
                    "(SELECT COUNT(*) FROM chunks c WHERE c.doc_id=d.id) FROM documents d").fetchall()
                chunk_rows = self._db.execute(
                    'SELECT c.rowid, c.id, c.doc_id, d.title, d.date, c.ordinal, c.start, c."end", c.text, '
                    "c.tokens, c.sentences, c.section, c.page, c.page_breaks "
                    "FROM chunks c JOIN documents d ON d.id=c.doc_id ORDER BY c.rowid"
                ).fetchall()
                vectors = self._read_vectors_file(gen, len(chunk_rows))
                if vectors is None:
                    blobs = self._db.execute("SELECT vector FROM chunks ORDER BY rowid").fetchall()
            finally:
                self._db.execute("COMMIT")
        docs = {r[0]: DocInfo(*r) for r in doc_rows}
        chunks = {r[0]: Chunk(*r[1:9], section=r[11], page=r[12], page_breaks=_ints(r[13])) for r in chunk_rows}
        ids = np.fromiter(chunks.keys(), dtype=np.int64, count=len(chunks))
        if vectors is None:
            vectors = faiss.IndexIDMap2(faiss.IndexFlatIP(self.manifest.dim))
            if len(ids):
                mat = np.frombuffer(b"".join(b[0] for b in blobs), dtype=np.float32)
                vectors.add_with_ids(mat.reshape(-1, self.manifest.dim), ids)
            self._save_vectors(gen, vectors)
        lexical = self._load_lexical(gen, ids, [r[9] for r in chunk_rows])
        doc_chunks: dict[str, list[int]] = {}
        for rowid, c in sorted(chunks.items(), key=lambda kv: (kv[1].doc_id, kv[1].ordinal)):
            doc_chunks.setdefault(c.doc_id, []).append(rowid)
        dim = self.manifest.dim
        sentences = {r[1]: np.frombuffer(r[10], dtype=np.float16).reshape(-1, dim) for r in chunk_rows if r[10]}
        return Snapshot(gen, vectors, lexical, chunks, docs, tok_fp, doc_chunks, sentences)

    def _read_vectors_file(self, gen: int, rows: int) -> faiss.Index | None:
        """The derived FAISS file of this generation, or None when it is missing or does not fit."""
        path = self.dir / f"vectors-{gen}.faiss"
        try:
            index = faiss.read_index(str(path))
        except RuntimeError:  # missing, or cut short by a crash: rebuilt from the durable record
            return None
        return index if index.ntotal == rows else None

    def _load_lexical(self, gen: int, ids: np.ndarray, tokens: list[str]) -> LexicalIndex:
        path = self.dir / f"lexical-{gen}"
        if path.exists():
            try:
                lex = LexicalIndex.load(path)
                if np.array_equal(lex.ids, ids):
                    return lex
            except (OSError, ValueError, KeyError):
                pass
        lex = LexicalIndex.build(ids, [t.split("\t") if t else [] for t in tokens])
        self._save_lexical(gen, lex)
        return lex

    def _save_vectors(self, gen: int, index: faiss.Index) -> None:
        write_atomic(self.dir / f"vectors-{gen}.faiss", lambda p: faiss.write_index(index, str(p)))

    def _save_lexical(self, gen: int, lex: LexicalIndex) -> None:
        path = self.dir / f"lexical-{gen}"
        if not path.exists():
            try:
                replace_dir_atomic(path, lex.save)
            except OSError:
                # Another process wrote the same generation first: renaming onto its (complete) folder
                # fails with EEXIST or ENOTEMPTY depending on the system.
                if not path.exists():
                    raise

    def _drop_old_files(self, keep: int) -> None:
        for p in self.dir.iterdir():
            stem, _, num = p.name.partition("-")
            num = num.removesuffix(".faiss")
            if stem in ("vectors", "lexical") and num.isdigit() and int(num) != keep:
                shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)

    def document_text(self, doc_id: str) -> str:
        with self._db_lock:
            row = self._db.execute("SELECT text FROM documents WHERE id=?", (doc_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no document with id {doc_id!r} in the index")
        return row[0]

    def document_pages(self, doc_id: str) -> tuple[int, ...]:
        """Where each page of the document begins in its text (empty for a document without pages)."""
        with self._db_lock:
            row = self._db.execute("SELECT pages FROM documents WHERE id=?", (doc_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no document with id {doc_id!r} in the index")
        return _ints(row[0])

    def existing_vectors(self, chunk_ids: Sequence[str]) -> dict[str, tuple[np.ndarray, np.ndarray | None]]:
        """Chunk vectors and sentence vectors (None where the chunk was stored without them) already
        stored for these chunk ids: content-addressed, so reusable as they are."""
        out: dict[str, tuple[np.ndarray, np.ndarray | None]] = {}
        ids = list(chunk_ids)
        with self._db_lock:
            for i in range(0, len(ids), 500):
                part = ids[i:i + 500]
                q = f"SELECT id, vector, sentences FROM chunks WHERE id IN ({','.join('?' * len(part))})"
                for cid, blob, sents in self._db.execute(q, part):
                    out[cid] = (np.frombuffer(blob, dtype=np.float32),
                                None if sents is None
                                else np.frombuffer(sents, dtype=np.float16).reshape(-1, self.manifest.dim))
        return out

    def iter_upserts(self, batch_docs: int = 64) -> Iterator[list[Upsert]]:
        """Every document as stored (text, chunks, tokens, vectors, sentence vectors), in batches: what
        ``qa migrate`` copies into another backend without embedding anything again."""
        snap = self.snapshot(max_age_s=0)
        doc_ids = sorted(snap.docs)
        dim = self.manifest.dim
        for i in range(0, len(doc_ids), batch_docs):
            batch = []
            for doc_id in doc_ids[i:i + batch_docs]:
                with self._db_lock:
                    d = self._db.execute("SELECT id, title, text, date, source, url, origin FROM documents "
                                         "WHERE id=?", (doc_id,)).fetchone()
                    rows = self._db.execute("SELECT rowid, tokens, vector, sentences FROM chunks WHERE doc_id=? "
                                            "ORDER BY ordinal", (doc_id,)).fetchall()
                if d is None:
                    continue
                chunks = [snap.chunks[r[0]] for r in rows]
                vectors = (np.stack([np.frombuffer(r[2], dtype=np.float32) for r in rows]) if rows
                           else np.zeros((0, dim), dtype=np.float32))
                sents = [None if r[3] is None else np.frombuffer(r[3], dtype=np.float16).reshape(-1, dim)
                         for r in rows]
                batch.append(Upsert(Document(*d[:6]), chunks, [r[1].split("\t") if r[1] else [] for r in rows],
                                    vectors, d[6], sents))
            yield batch

    # -- writing -----------------------------------------------------------------------------------
    @contextmanager
    def writer(self) -> Iterator[Store]:
        """Hold the write lock (threads and processes) for a read-modify-write cycle."""
        with self._writing():
            yield self

    def apply(self, upserts: Sequence[Upsert] = (), removals: Sequence[str] = (),
              tokenizer_fingerprint: str | None = None, refresh: bool = True) -> Snapshot | None:
        """Replace/add ``upserts`` and delete ``removals`` in one transaction.

        Returns the new snapshot; with ``refresh=False`` (a batch in a longer write) the snapshot is
        left to be loaded once, at the end, instead of after every batch.
        """
        with self._writing():
            with self._db_lock:
                db = self._db
                db.execute("BEGIN IMMEDIATE")
                try:
                    for doc_id in removals:
                        db.execute("DELETE FROM documents WHERE id=?", (doc_id,))
                    for u in upserts:
                        d = u.doc
                        db.execute("DELETE FROM documents WHERE id=?", (d.id,))
                        db.execute(
                            "INSERT INTO documents (id, title, date, source, url, text, fingerprint, origin, "
                            "added_at, pages, sections) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                            (d.id, d.title, d.date, d.source, d.url, d.text, d.fingerprint, u.origin, time.time(),
                             _join_ints(d.pages), json.dumps(d.sections, ensure_ascii=False) if d.sections else None))
                        sents = u.sentence_vectors or [None] * len(u.chunks)
                        db.executemany(
                            'INSERT INTO chunks (id, doc_id, ordinal, start, "end", text, tokens, vector, '
                            "sentences, section, page, page_breaks) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                            [(c.id, c.doc_id, c.ordinal, c.start, c.end, c.text, "\t".join(t),
                              np.ascontiguousarray(v, dtype=np.float32).tobytes(),
                              None if sv is None else np.ascontiguousarray(sv, dtype=np.float16).tobytes(),
                              c.section, c.page, _join_ints(c.page_breaks))
                             for c, t, v, sv in zip(u.chunks, u.tokens, u.vectors, sents)])
                    if tokenizer_fingerprint is not None:
                        db.execute("INSERT OR REPLACE INTO meta VALUES ('tokenizer', ?)", (tokenizer_fingerprint,))
                    db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key='generation'")
                    db.execute("COMMIT")
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
            if not refresh:
                return None
            snap = self._load()
            self._snap, self._checked_at = snap, time.monotonic()
            self._drop_old_files(keep=snap.generation)
            return snap

    def retokenize(self, tokenize, fingerprint: str) -> Snapshot:
        """Recompute every chunk's tokens (after a lexicon change) without touching vectors."""
        with self._writing():
            with self._db_lock:
                rows = self._db.execute("SELECT rowid, text, doc_id FROM chunks").fetchall()
                titles = dict(self._db.execute("SELECT id, title FROM documents").fetchall())
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    self._db.executemany("UPDATE chunks SET tokens=? WHERE rowid=?",
                                         [("\t".join(tokenize(f"{titles[d]}\n{t}")), r) for r, t, d in rows])
                    self._db.execute("INSERT OR REPLACE INTO meta VALUES ('tokenizer', ?)", (fingerprint,))
                    self._db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key='generation'")
                    self._db.execute("COMMIT")
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
            snap = self._load()
            self._snap, self._checked_at = snap, time.monotonic()
            self._drop_old_files(keep=snap.generation)
            return snap

    def close(self) -> None:
        with self._db_lock:
            self._db.close()


def _join_ints(values: Sequence[int]) -> str | None:
    return ",".join(map(str, values)) if values else None


def _ints(text: str | None) -> tuple[int, ...]:
    return tuple(int(v) for v in text.split(",")) if text else ()
