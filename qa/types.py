"""What flows out of retrieval and composition: hits, citations, answers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from index.documents import Chunk


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with the score of each retriever that found it (None: that one did not)."""

    chunk: Chunk
    score: float  # the fused score used for ranking
    dense: float | None = None  # cosine similarity
    lexical: float | None = None  # BM25 score
    rank: int = 0

    def to_source(self) -> dict:
        c = self.chunk
        return {"doc_id": c.doc_id, "title": c.title, "date": c.date, "chunk_id": c.id,
                "text": c.text, "score": round(float(self.score), 6), "page": c.page, "section": c.section}


@dataclass(frozen=True)
class Citation:
    """A verbatim quote: ``document.text[start:end] == quote``."""

    n: int
    doc_id: str
    title: str
    date: str | None
    chunk_id: str
    quote: str
    start: int
    end: int
    page: int | None = None  # the page the quote starts on, for documents with pages (PDF)
    section: str | None = None  # the heading the quote's chunk sits under

    @classmethod
    def of(cls, n: int, chunk: Chunk, quote: str, start: int, end: int) -> Citation:
        """A citation of ``quote`` at document offsets ``start:end`` inside ``chunk``."""
        return cls(n=n, doc_id=chunk.doc_id, title=chunk.title, date=chunk.date, chunk_id=chunk.id, quote=quote,
                   start=start, end=end, page=chunk.page_at(start), section=chunk.section)


@dataclass(frozen=True)
class AbstainReason:
    """Why an answer was refused: a stable code for programs, a sentence for people."""

    code: str
    message: str  # Chinese
    message_en: str

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "message_en": self.message_en}


@dataclass
class Answer:
    answer: str
    short_answer: str | None
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    sources: list[Hit] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    suggestions: list[str] = field(default_factory=list)  # related document titles when abstaining
    query: str | None = None  # the query actually retrieved with (after follow-up rewriting)
    abstain_reason: AbstainReason | None = None
    confidence: float | None = None  # calibrated probability that the evidence answers the question

    def to_dict(self) -> dict:
        return {
            "answer": self.answer,
            "short_answer": self.short_answer,
            "abstained": self.abstained,
            "citations": [asdict(c) for c in self.citations],
            "sources": [h.to_source() for h in self.sources],
            "timings_ms": {k: round(v, 3) for k, v in self.timings_ms.items()},
            "suggestions": list(self.suggestions),
            "abstain_reason": self.abstain_reason.to_dict() if self.abstain_reason else None,
            "confidence": None if self.confidence is None else round(self.confidence, 4),
        }
