"""The data that flows from the corpus into the index: documents and their chunks."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    """One source text. ``text`` is what quotes and character offsets refer to."""

    id: str
    title: str
    text: str
    date: str | None = None  # ISO "YYYY-MM-DD"
    source: str | None = None  # the article's attribution line, e.g. "来源:海关发布"
    url: str | None = None
    meta: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def fingerprint(self) -> str:
        """Changes whenever anything that ends up in the index changes."""
        h = hashlib.sha256()
        for part in (self.id, self.title, self.date or "", self.source or "", self.url or "", self.text):
            h.update(part.encode("utf-8"))
            h.update(b"\x00")
        return h.hexdigest()[:16]


@dataclass(frozen=True)
class Chunk:
    """A span ``doc.text[start:end]`` of one document.

    ``text`` is quoted verbatim; ``embed_text`` (title + text) is what the embedder sees.
    """

    id: str
    doc_id: str
    title: str
    date: str | None
    ordinal: int
    start: int
    end: int
    text: str

    @property
    def embed_text(self) -> str:
        return f"{self.title}\n{self.text}" if self.title else self.text

    @staticmethod
    def make_id(doc_id: str, text: str, start: int) -> str:
        digest = hashlib.sha256(f"{doc_id}\x00{start}\x00{text}".encode()).hexdigest()[:12]
        return f"{doc_id}#{digest}"
