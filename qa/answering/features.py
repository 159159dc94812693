"""What the composer knows about each candidate sentence, as numbers a learned scorer can weigh.

Meaning and words both count: a sentence's own vector (stored at index time) is compared with the
question's vector (computed once for retrieval), next to the lexical evidence (rarity-weighted coverage
of the question's concepts, shared character bigrams, BM25 of its chunk), the answer's form (a value of
the asked kind) and where the sentence sits (title overlap, position in its document). A word of the
question that no document uses weighs nothing in coverage: it is unknown, not missing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from qa.answering.sentences import Sentence, SentenceScorer, bigrams

FEATURES = (
    "sent_dense",  # cosine of the sentence's vector and the question's
    "sent_dense_gap",  # how far below the best candidate sentence (0 for the best)
    "chunk_dense",  # cosine of the sentence's chunk and the question
    "chunk_dense_gap",
    "bm25",  # the chunk's BM25 score relative to the best chunk's
    "fused",  # the chunk's fused retrieval score relative to the best
    "coverage",  # rarity-weighted share of the question's concepts in the sentence (and its title)
    "bigram",  # share of the question's character bigrams in the sentence
    "chars",  # share of the question's content characters in the sentence (观众 and 参观 share 观)
    "form",  # holds a value of the asked kind (a phone number, a count in the asked unit…)
    "title",  # share of the question's bigrams in the document's title
    "lead",  # the sentence is in the document's first chunk
    "position",  # 1 / (1 + index of the sentence in its chunk)
    "length",  # log of the sentence's length in characters
    "quoted",  # contains a phrase the question puts in quotes
)


@dataclass(frozen=True)
class Candidate:
    """A sentence to score, with what retrieval knew of its chunk."""

    sentence: Sentence
    tokens: frozenset[str]
    haystack: str  # normalised sentence + title, for substring matches
    vector: np.ndarray | None  # the sentence's own vector (None for an index without sentence vectors)
    chunk_dense: float
    lead: bool
    index_in_chunk: int


def feature_matrix(candidates: list[Candidate], qvec: np.ndarray | None, scorer: SentenceScorer,
                   q_bigrams: frozenset[str], q_chars: frozenset[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(features rows × FEATURES, coverage per row, form per row)."""
    n = len(candidates)
    x = np.zeros((n, len(FEATURES)), dtype=np.float64)
    if not n:
        return x, np.zeros(0), np.zeros(0, dtype=bool)
    col = {name: i for i, name in enumerate(FEATURES)}
    sent = np.array([_cos(c.vector, qvec, c.chunk_dense) for c in candidates])
    chunk = np.array([c.chunk_dense for c in candidates])
    best_lex = max((c.sentence.hit.lexical or 0.0) for c in candidates) or 1.0
    best_fused = max(c.sentence.hit.score for c in candidates) or 1.0
    quoted = scorer.quoted  # phrases the question puts in quotes, parsed once by the scorer
    coverage = np.zeros(n)
    form = np.zeros(n, dtype=bool)
    title_cache: dict[str, float] = {}
    for i, c in enumerate(candidates):
        s = c.sentence
        coverage[i] = scorer.coverage(c.tokens, c.haystack)
        form[i] = scorer.has_form(s.text)
        title = s.hit.chunk.title
        if title not in title_cache:
            title_cache[title] = _share(q_bigrams, bigrams(title))
        row = x[i]
        row[col["bm25"]] = (s.hit.lexical or 0.0) / best_lex
        row[col["fused"]] = s.hit.score / best_fused
        row[col["coverage"]] = coverage[i]
        row[col["bigram"]] = _share(q_bigrams, bigrams(s.text))
        row[col["chars"]] = _share(q_chars, frozenset(s.text))
        row[col["form"]] = float(form[i])
        row[col["title"]] = title_cache[title]
        row[col["lead"]] = float(c.lead)
        row[col["position"]] = 1.0 / (1 + c.index_in_chunk)
        row[col["length"]] = math.log(max(len(s.text), 1))
        row[col["quoted"]] = float(bool(quoted) and any(q in s.text for q in quoted))
    x[:, col["sent_dense"]] = sent
    x[:, col["sent_dense_gap"]] = sent - sent.max()
    x[:, col["chunk_dense"]] = chunk
    x[:, col["chunk_dense_gap"]] = chunk - chunk.max()
    return x, coverage, form


def _cos(vec: np.ndarray | None, qvec: np.ndarray | None, fallback: float) -> float:
    if vec is None or qvec is None:
        return fallback
    return float(np.dot(vec.astype(np.float32), qvec))


def _share(q: frozenset[str], s: frozenset[str]) -> float:
    return len(q & s) / len(q) if q else 0.0
