"""The data that flows from the corpus into the index: documents and their chunks."""

from __future__ import annotations

import bisect
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
    # Where each page begins in ``text`` (page n starts at ``pages[n - 1]``); empty for formats without pages.
    pages: tuple[int, ...] = ()
    # (offset, heading) of each section heading in ``text``, in order; a chunk sits under the last one before it.
    sections: tuple[tuple[int, str], ...] = ()

    @property
    def fingerprint(self) -> str:
        """Changes whenever anything that ends up in the index changes."""
        h = hashlib.sha256()
        for part in (self.id, self.title, self.date or "", self.source or "", self.url or "", self.text):
            h.update(part.encode("utf-8"))
            h.update(b"\x00")
        if self.pages or self.sections:  # documents without them keep the fingerprints they always had
            h.update(repr((self.pages, self.sections)).encode("utf-8"))
        return h.hexdigest()[:16]

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding character ``offset``, or None for a document without pages."""
        return bisect.bisect_right(self.pages, offset) if self.pages else None

    def section_at(self, offset: int) -> str | None:
        """The heading of the section that ``offset`` sits in, if any heading comes before it."""
        i = bisect.bisect_right(self.sections, (offset, "\U0010ffff"))
        return self.sections[i - 1][1] if i else None


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
    section: str | None = None  # the heading the chunk sits under
    page: int | None = None  # the page the chunk starts on (documents with pages: PDF)
    page_breaks: tuple[int, ...] = ()  # document offsets inside the chunk where a further page begins

    def page_at(self, offset: int) -> int | None:
        """The page of a document offset inside this chunk (a quote's start), or None without pages."""
        if self.page is None:
            return None
        return self.page + bisect.bisect_right(self.page_breaks, offset)

    @property
    def embed_text(self) -> str:
        return f"{self.title}\n{self.text}" if self.title else self.text

    @staticmethod
    def make_id(doc_id: str, text: str, start: int) -> str:
        digest = hashlib.sha256(f"{doc_id}\x00{start}\x00{text}".encode()).hexdigest()[:12]
        return f"{doc_id}#{digest}"
