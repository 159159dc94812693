"""Copy an index from one backend into another (``qa migrate --to milvus``) without embedding anything:
documents, chunks, tokens, vectors and sentence vectors go over as stored. Incremental like indexing: a
document the target already holds with the same fingerprint is skipped, one it holds that the source
does not is left alone."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from index.storage.base import IndexStore


@dataclass
class MigrationReport:
    documents: int = 0
    copied: int = 0
    unchanged: int = 0
    chunks: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        rate = self.chunks / self.seconds if self.seconds > 0 else 0.0
        return (f"{self.documents} documents ({self.copied} copied, {self.unchanged} unchanged); "
                f"{self.chunks} chunks in {self.seconds:.1f} s ({rate:.0f} chunks/s), nothing re-embedded")


def migrate(source: IndexStore, target: IndexStore, progress: Callable[[int, int], None] | None = None,
            batch_docs: int = 32) -> MigrationReport:
    t0 = time.perf_counter()
    src = source.snapshot(max_age_s=0)
    have = target.snapshot(max_age_s=0).docs
    report = MigrationReport(documents=len(src.docs))
    norm = getattr(target, "set_length_norm", None)
    if norm is not None:  # BM25's average chunk length over the whole source, as its own index has it
        lengths = [len(t) for batch in source.iter_upserts(batch_docs) for u in batch for t in u.tokens]
        if lengths:
            norm(sum(lengths) / len(lengths))
    done = 0
    with target.writer():
        for batch in source.iter_upserts(batch_docs):
            todo = [u for u in batch if not (u.doc.id in have and have[u.doc.id].fingerprint == u.doc.fingerprint)]
            report.unchanged += len(batch) - len(todo)
            report.copied += len(todo)
            report.chunks += sum(len(u.chunks) for u in todo)
            if todo:
                target.apply(todo, refresh=False)
            done += len(batch)
            if progress:
                progress(done, len(src.docs))
        target.apply(tokenizer_fingerprint=src.tokenizer_fingerprint)
    report.seconds = time.perf_counter() - t0
    return report
