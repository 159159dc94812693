"""Documents in, index updated: chunk, tokenize, embed what is new, write in batches.

Re-indexing is incremental: a document whose fingerprint is unchanged is skipped, and a changed one
reuses the stored vectors of every chunk whose content did not change (chunk ids are content hashes), so
only new text is embedded. Work is committed in batches, so a crash loses at most the batch in flight.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from index.documents import Chunk, Document
from index.embedders import Embedder
from index.errors import DocumentError, NotFoundError
from index.ingest.chunker import Chunker
from index.ingest.sentences import sentence_texts
from index.storage.base import IndexStore, IndexView, Upsert
from index.tokenizer import Tokenizer

ProgressFn = Callable[[int, int], None]  # (chunks done, chunks to embed)


@dataclass
class IndexReport:
    """What a run did. ``documents`` counts those read; ``failed`` those read but not indexed; ``errors``
    holds every problem (a file that could not be read, a line of a JSONL file, a document that could not
    be chunked); ``skipped`` the files passed over on purpose, with why; ``notices`` what was fixed up
    (a title derived from the text)."""

    documents: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: int = 0
    chunks_embedded: int = 0
    chunks_reused: int = 0
    seconds: float = 0.0
    errors: list[DocumentError] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    notices: list[str] = field(default_factory=list)

    def summary(self) -> str:
        rate = self.chunks_embedded / self.seconds if self.seconds > 0 else 0.0
        text = (f"{self.documents} documents ({self.added} added, {self.updated} updated, "
                f"{self.unchanged} unchanged, {self.removed} removed); chunks: {self.chunks_embedded} embedded, "
                f"{self.chunks_reused} reused; {self.seconds:.1f} s, {rate:.1f} chunks/s")
        if self.errors:
            files = {e.file for e in self.errors if e.file}
            whole = sum(1 for e in self.errors if e.file and e.whole_file)
            parts = len(self.errors) - whole
            text += (f"; errors: {parts} document(s) not indexed, {whole} file(s) unreadable; "
                     f"{len(files)} file(s) with errors")
        if self.skipped:
            text += f"; {len(self.skipped)} file(s) skipped"
        if self.notices:
            text += f"; {len(self.notices)} notice(s)"
        return text

    def merge(self, other: IndexReport) -> IndexReport:
        """Both runs' counts and lists added up (``qa index A B`` indexes each path in turn)."""
        out = IndexReport()
        for name, value in vars(self).items():
            setattr(out, name, value + getattr(other, name))
        return out


class Indexer:
    def __init__(self, store: IndexStore, chunker: Chunker, embedder: Embedder, tokenizer: Tokenizer,
                 batch_chunks: int = 256) -> None:
        self.store = store
        self.chunker = chunker
        self.embedder = embedder
        self.tokenizer = tokenizer
        self.batch_chunks = batch_chunks
        # an embedder that can only embed whole chunks (a benchmark's synthetic one) says so
        self.embeds_sentences = getattr(embedder, "embeds_sentences", True)

    def index(self, docs: Sequence[Document], origin_of: Callable[[Document], str | None] = lambda d: None,
              sync_prefix: str | None = None, progress: ProgressFn | None = None) -> IndexReport:
        """Add or update ``docs``. With ``sync_prefix``, documents previously indexed from files under
        that path and absent from ``docs`` are removed (the folder is the truth)."""
        t0 = time.perf_counter()
        report = IndexReport(documents=len(docs), doc_ids=[d.id for d in docs])
        with self.store.writer():
            snap = self.store.snapshot(max_age_s=0)
            todo: list[Document] = []
            for d in docs:
                info = snap.docs.get(d.id)
                if info is not None and info.fingerprint == d.fingerprint:
                    report.unchanged += 1
                    continue
                todo.append(d)
            removals: list[str] = []
            if sync_prefix is not None:
                present = {d.id for d in docs}
                removals = [i for i, info in snap.docs.items()
                            if i not in present and info.origin and info.origin.startswith(sync_prefix)]
            report.removed = len(removals)
            self._write(todo, removals, origin_of, report, progress, existing=set(snap.docs))
        report.seconds = time.perf_counter() - t0
        return report

    def remove(self, doc_ids: Sequence[str]) -> IndexReport:
        t0 = time.perf_counter()
        with self.store.writer():
            snap = self.store.snapshot(max_age_s=0)
            missing = [i for i in doc_ids if i not in snap.docs]
            if missing:
                raise NotFoundError(f"no document with id {', '.join(map(repr, missing))} in the index")
            self.store.apply(removals=list(doc_ids))
        return IndexReport(removed=len(doc_ids), seconds=time.perf_counter() - t0, doc_ids=list(doc_ids))

    def _plan(self, todo: list[Document], report: IndexReport) -> list[tuple[Document, list[Chunk]]]:
        """Each document's chunks. One that cannot be chunked is reported by name and left out, so one
        bad document never stops the others from being indexed."""
        planned = []
        for doc in todo:
            try:
                chunks = self.chunker.split(doc)
            except Exception as exc:  # noqa: BLE001 - any failure of one document is that document's error
                error = exc if isinstance(exc, DocumentError) else DocumentError(
                    f"{doc.meta.get('origin') or doc.id}: could not be split into chunks ({exc!r})")
                error.doc_id, error.file = doc.id, error.file or doc.meta.get("path")
                report.errors.append(error)
                report.failed += 1
                report.doc_ids.remove(doc.id)
                continue
            planned.append((doc, chunks))
        return planned

    def _write(self, todo: list[Document], removals: list[str], origin_of, report: IndexReport,
               progress: ProgressFn | None, existing: set[str]) -> IndexView | None:
        planned = self._plan(todo, report)
        reuse = self.store.existing_vectors([c.id for _, cs in planned for c in cs])
        if self.embeds_sentences:  # a chunk stored before sentence vectors existed is embedded again
            reuse = {cid: v for cid, v in reuse.items() if v[1] is not None}
        to_embed = sum(1 for _, cs in planned for c in cs if c.id not in reuse)
        done = 0
        if progress:
            progress(0, to_embed)
        batch: list[Upsert] = []
        batch_size = 0
        pending_removals = list(removals)
        for doc, chunks in planned:
            if doc.id in existing:
                report.updated += 1
            else:
                report.added += 1
            fresh = [c for c in chunks if c.id not in reuse]
            vecs = dict(reuse)
            if fresh:
                vecs.update(self._embed(fresh))
                done += len(fresh)
                if progress:
                    progress(done, to_embed)
            report.chunks_embedded += len(fresh)
            report.chunks_reused += len(chunks) - len(fresh)
            matrix = (np.stack([vecs[c.id][0] for c in chunks]) if chunks
                      else np.zeros((0, self.embedder.dim), dtype=np.float32))
            tokens = [self.tokenizer.tokens(c.embed_text) for c in chunks]
            batch.append(Upsert(doc, chunks, tokens, matrix, origin_of(doc), [vecs[c.id][1] for c in chunks]))
            batch_size += len(chunks)
            if batch_size >= self.batch_chunks:
                self._commit(batch, pending_removals, refresh=False)
                batch, batch_size, pending_removals = [], 0, []
        return self._commit(batch, pending_removals, refresh=True)

    def _embed(self, chunks: list[Chunk]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Each chunk's vector and its sentences' vectors, embedded in one call: the composer compares
        sentences with the question by meaning without a model call per question."""
        sentences = [sentence_texts(c) if self.embeds_sentences else [] for c in chunks]
        flat = [c.embed_text for c in chunks] + [t for ts in sentences for t in ts]
        vectors = self.embedder.embed_passages(flat)
        out, at = {}, len(chunks)
        for i, (c, ts) in enumerate(zip(chunks, sentences)):
            out[c.id] = (vectors[i], vectors[at:at + len(ts)].astype(np.float16) if self.embeds_sentences else None)
            at += len(ts)
        return out

    def _commit(self, batch: list[Upsert], removals: list[str], refresh: bool) -> IndexView | None:
        return self.store.apply(batch, removals, tokenizer_fingerprint=self.tokenizer.fingerprint,
                                refresh=refresh)
