"""Sentences of a chunk, located in their document.

A sentence is the unit an answer quotes; it is split the same way at index time (where each sentence
gets its own vector) and at question time (where the composer scores it), so the two always agree.
"""

from __future__ import annotations

import re

from index.documents import Chunk

_END = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+|\n|$)")
# A title in book-title marks is a name, never a sentence boundary (《卡拉OK.LIVE！‧台北‧我》), and a
# parenthesis is an aside of the sentence around it (（学名：…；毛利语：…）, （包括…Hey! Say! JUMP）).
_UNBROKEN = re.compile(r"《[^《》\n]{1,40}》|（[^（）\n]{1,60}）|\([^()\n]{1,60}\)")
_HEADING = re.compile(r"^#+\s*")
MAX_SENTENCE = 160


def split_chunk(chunk: Chunk) -> list[tuple[str, int, int]]:
    """(text, start, end) of a chunk's sentences, offsets into the document; overlong ones are cut at
    clause marks so a quote stays readable."""
    out: list[tuple[str, int, int]] = []
    text = chunk.text
    for at, raw in _sentences(text):
        if not raw.strip():
            continue
        lead = len(raw) - len(raw.lstrip())
        head = _HEADING.match(raw[lead:])
        lead += head.end() if head else 0
        body = raw[lead:].rstrip()
        if len(body) < 2:
            continue
        for off, piece in _cut_long(body):
            s = chunk.start + at + lead + off
            out.append((piece, s, s + len(piece)))
    return out


def _sentences(text: str) -> list[tuple[int, str]]:
    """(offset, text) of each run up to a sentence end, a run that ends inside a title or a
    parenthesis joined to the one after it."""
    asides = [m.span() for m in _UNBROKEN.finditer(text)] if any(c in text for c in "《（(") else []
    out: list[tuple[int, str]] = []
    start = None
    for m in _END.finditer(text):
        if start is None:
            start = m.start()
        if m.end() < len(text) and any(a < m.end() < b for a, b in asides):
            continue
        out.append((start, text[start:m.end()]))
        start = None
    return out


def _cut_long(body: str) -> list[tuple[int, str]]:
    if len(body) <= MAX_SENTENCE:
        return [(0, body)]
    pieces: list[tuple[int, str]] = []
    start = 0
    while start < len(body):
        if len(body) - start <= MAX_SENTENCE:
            pieces.append((start, body[start:]))
            break
        window = body[start:start + MAX_SENTENCE]
        cut = max(window.rfind(","), window.rfind("，"), window.rfind(":"), window.rfind("："))
        end = start + (cut + 1 if cut > MAX_SENTENCE // 3 else MAX_SENTENCE)
        pieces.append((start, body[start:end]))
        start = end
    return pieces


def sentence_texts(chunk: Chunk) -> list[str]:
    """What the embedder sees for each sentence: the sentence alone. Its chunk's vector (embedded with
    the title) already says which document it is about; the sentence's own vector says what it says."""
    return [t for t, _, _ in split_chunk(chunk)]
