"""Chinese-aware chunking: documents become overlapping spans that end on sentence boundaries.

The shipped articles are single lines of several thousand characters, so splitting falls through
paragraphs and newlines to sentence ends (。！？；) and then clause marks (，、), in both widths, since
the source mixes full-width and ASCII punctuation. Each chunk keeps its character offsets into the
document so quotes can be located exactly.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from index.documents import Chunk, Document
from index.errors import ConfigError

if TYPE_CHECKING:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

SEPARATORS = [
    "\n\n", "\n",
    "。", "！", "？", "!", "?",
    "；", ";",
    "：", "，", ",", "、",
    " ", "",
]


class Chunker:
    """Splits documents into ``Chunk``s of about ``size`` characters with ``overlap`` shared."""

    def __init__(self, size: int = 300, overlap: int = 60) -> None:
        if size < 20:
            raise ConfigError(f"chunk size must be at least 20 characters, got {size}")
        if not 0 <= overlap < size:
            raise ConfigError(f"chunk overlap must be >= 0 and < size ({size}), got {overlap}")
        self.size = size
        self.overlap = overlap

    @functools.cached_property
    def _splitter(self) -> RecursiveCharacterTextSplitter:
        # imported on first use: langchain takes 0.4 s to import, and answering a question never splits
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        return RecursiveCharacterTextSplitter(
            separators=SEPARATORS,
            keep_separator="end",
            chunk_size=self.size,
            chunk_overlap=self.overlap,
            length_function=len,
            strip_whitespace=True,
        )

    def split(self, doc: Document) -> list[Chunk]:
        chunks: list[Chunk] = []
        search_from = 0
        for piece in self._splitter.split_text(doc.text):
            if not piece.strip():
                continue
            # Pieces come back in document order, each starting after the previous one's start (overlap
            # may put it before the previous end); searching from there keeps repeated text apart.
            start = doc.text.find(piece, search_from)
            if start < 0:  # the splitter only strips whitespace, so this means a bug, not bad input
                raise RuntimeError(f"chunk of {doc.id} not found in its document")
            end = start + len(piece)
            chunks.append(Chunk(
                id=Chunk.make_id(doc.id, piece, start), doc_id=doc.id, title=doc.title, date=doc.date,
                ordinal=len(chunks), start=start, end=end, text=piece))
            search_from = start + 1
        return chunks
