"""Chinese-aware chunking: documents become overlapping spans that end on sentence boundaries.

The shipped articles are single lines of several thousand characters, so splitting falls through
paragraphs and newlines to sentence ends (。！？；) and then clause marks (，、), in both widths, since
the source mixes full-width and ASCII punctuation, then spaces, then single characters.

The splitting follows langchain's ``RecursiveCharacterTextSplitter`` (separators kept at the end of each
piece, whitespace stripped from each chunk), but works on character offsets instead of strings, so each
chunk is ``text[start:end]`` by construction. Searching for a split string in the text afterwards broke
on scraped pages: a run of a few hundred spaces made two stripped chunks start at the same place, and the
search missed the second one. Working on offsets makes the chunker total: any text gives chunks that
cover every non-space character, each at most ``size`` characters, in memory bounded by ``size`` (a 5 MB
line without a single separator streams through).
"""

from __future__ import annotations

import bisect
from collections import deque
from collections.abc import Iterator

from index.documents import Chunk, Document
from index.errors import ConfigError, DocumentError

SEPARATORS = [
    "\n\n", "\n",
    "。", "！", "？", "!", "?",
    "；", ";",
    "：", "，", ",", "、",
    " ", "",
]

Span = tuple[int, int]


class _Merger:
    """Packs consecutive pieces into chunks of at most ``size`` characters sharing up to ``overlap``."""

    def __init__(self, text: str, size: int, overlap: int) -> None:
        self.text, self.size, self.overlap = text, size, overlap
        self.current: deque[Span] = deque()
        self.total = 0

    def add(self, piece: Span) -> Iterator[Span]:
        length = piece[1] - piece[0]
        if self.total + length > self.size and self.current:
            yield from self._emit()
            while self.total > self.overlap or (self.total + length > self.size and self.total > 0):
                a, b = self.current.popleft()
                self.total -= b - a
        self.current.append(piece)
        self.total += length

    def flush(self) -> Iterator[Span]:
        if self.current:
            yield from self._emit()
        self.current.clear()
        self.total = 0

    def _emit(self) -> Iterator[Span]:
        start, end = self.current[0][0], self.current[-1][1]
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        if start < end:
            yield start, end


class Chunker:
    """Splits documents into ``Chunk``s of about ``size`` characters with ``overlap`` shared."""

    def __init__(self, size: int = 300, overlap: int = 60) -> None:
        if size < 20:
            raise ConfigError(f"chunk size must be at least 20 characters, got {size}")
        if not 0 <= overlap < size:
            raise ConfigError(f"chunk overlap must be >= 0 and < size ({size}), got {overlap}")
        self.size = size
        self.overlap = overlap

    def spans(self, text: str) -> list[Span]:
        """(start, end) of each chunk of ``text``: stripped, non-empty, none inside the one before it."""
        out: list[Span] = []
        for start, end in self._split(text, 0, len(text), SEPARATORS):
            if out and out[-1][0] <= start and end <= out[-1][1]:
                continue  # stripping made it a part of the previous chunk
            out.append((start, end))
        return out

    def split(self, doc: Document) -> list[Chunk]:
        """The document's chunks, or a ``DocumentError`` naming it when its text cannot be stored."""
        try:
            doc.text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise DocumentError(f"{doc.meta.get('origin') or doc.id}: the text contains an invalid character "
                                f"(a lone surrogate) at position {exc.start}") from None
        chunks: list[Chunk] = []
        for start, end in self.spans(doc.text):
            piece = doc.text[start:end]
            first = bisect.bisect_right(doc.pages, start)
            last = bisect.bisect_left(doc.pages, end)
            chunks.append(Chunk(
                id=Chunk.make_id(doc.id, piece, start), doc_id=doc.id, title=doc.title, date=doc.date,
                ordinal=len(chunks), start=start, end=end, text=piece, section=doc.section_at(start),
                page=doc.page_at(start), page_breaks=tuple(doc.pages[first:last])))
        return chunks

    def _split(self, text: str, a: int, b: int, separators: list[str]) -> Iterator[Span]:
        """Chunks of ``text[a:b]``, splitting at the first separator that occurs in it."""
        for i, sep in enumerate(separators):
            if not sep:
                yield from self._windows(text, a, b)
                return
            if text.find(sep, a, b) >= 0:
                rest = separators[i + 1:]
                break
        else:  # no separator at all, not even the empty one: keep the text whole
            yield a, b
            return
        merger = _Merger(text, self.size, self.overlap)
        for piece in _pieces(text, a, b, sep):
            if piece[1] - piece[0] < self.size:
                yield from merger.add(piece)
                continue
            yield from merger.flush()
            yield from self._split(text, piece[0], piece[1], rest) if rest else iter([piece])
        yield from merger.flush()

    def _windows(self, text: str, a: int, b: int) -> Iterator[Span]:
        """Single characters packed into chunks: windows of ``size`` stepping by ``size - overlap``
        (what merging them one by one gives, without a list of every character)."""
        merger = _Merger(text, self.size, self.overlap)
        start = a
        while True:
            end = min(start + self.size, b)
            merger.current, merger.total = deque([(start, end)]), end - start
            yield from merger.flush()
            if end >= b:
                return
            start = end - self.overlap


def _pieces(text: str, a: int, b: int, sep: str) -> Iterator[Span]:
    """``text[a:b]`` cut after each occurrence of ``sep`` (kept at the piece's end); no empty pieces."""
    start = a
    while True:
        at = text.find(sep, start, b)
        if at < 0:
            break
        yield start, at + len(sep)
        start = at + len(sep)
    if start < b:
        yield start, b
