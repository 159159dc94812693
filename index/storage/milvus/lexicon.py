"""BM25 over our tokenizer's tokens, in Milvus.

Milvus's analyzers would cut Chinese text their own way (and Lite's split on ``\\w+``), so chunks keep the
tokens our tokenizer made (domain lexicon, synonyms folded), each written as a hash of letters and digits
that every analyzer leaves whole (``terms``). Two ways to score them:

- client (default): each chunk stores a sparse vector of BM25 term weights ``tf / (tf + k1·(1 − b + b·dl /
  avgdl))``, the query sends ``idf(t)`` per term, inner product gives the same scores as the local bm25s
  index. Document frequencies are kept per term in their own collection (``terms``), maintained by
  every write.
- engine: Milvus's BM25 function over ``terms`` (Lite computes IDF per segment, so scores drift from
  the local ones as the index grows).
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections import Counter
from collections.abc import Callable, Iterable

K1, B = 1.2, 0.75
_DIMS = 2**32 - 2  # Milvus sparse indices are uint32 below 2**32 - 1
EMPTY = {_DIMS: 1e-9}  # Milvus refuses an empty sparse row; this one matches no query term


def term(token: str) -> str:
    """A token as a word of hex digits: whole under any analyzer, and quotable without escapes."""
    return "t" + hashlib.blake2b(token.encode("utf-8"), digest_size=8).hexdigest()


def dim(token: str) -> int:
    return int(term(token)[1:9], 16) % _DIMS


def terms_text(tokens: list[str]) -> str:
    return " ".join(term(t) for t in tokens)


def doc_weights(tokens: list[str], avgdl: float) -> dict[int, float]:
    """The chunk side of BM25 (bm25s's Lucene variant): what idf multiplies at query time."""
    if not tokens:
        return dict(EMPTY)
    norm = K1 * (1 - B + B * len(tokens) / max(avgdl, 1e-9))
    out: dict[int, float] = {}
    for tok, tf in Counter(tokens).items():
        d = dim(tok)
        out[d] = out.get(d, 0.0) + tf / (tf + norm)
    return out


def idf(n: int, df: int) -> float:
    return float(math.log(1.0 + (n - df + 0.5) / (df + 0.5)))


class StatsLexicon:
    """``knows`` and ``idf`` from the document frequencies in the ``terms`` collection (``terms.TermStats``),
    read once per token per generation; a query's tokens are read together (``prefetch``). ``n`` is the
    number of chunks of the reader's documents; the counts may lag those documents by one write, so a
    count is clamped into [0, n] and an IDF stays finite."""

    def __init__(self, n_chunks: int, lookup: Callable[[list[str]], dict[str, int]]) -> None:
        self.n = n_chunks
        self._lookup = lookup
        self._df: dict[str, int] = {}
        self._lock = threading.Lock()

    def prefetch(self, tokens: Iterable[str]) -> None:
        todo = [t for t in dict.fromkeys(tokens) if t not in self._df]
        if not todo:
            return
        found = self._lookup(todo) if self.n else {}
        with self._lock:
            for t in todo:
                self._df[t] = min(max(int(found.get(t, 0)), 0), self.n)

    def df(self, token: str) -> int:
        if token not in self._df:
            self.prefetch([token])
        return self._df[token]

    def knows(self, token: str) -> bool:
        return self.df(token) > 0

    def idf(self, token: str) -> float:
        return idf(self.n, self.df(token))

    def query_weights(self, tokens: list[str]) -> dict[int, float]:
        """The query side: idf per occurrence of each known token (bm25s sums repeated query tokens)."""
        self.prefetch(tokens)
        out: dict[int, float] = {}
        for tok, times in Counter(tokens).items():
            if self.knows(tok):
                d = dim(tok)
                out[d] = out.get(d, 0.0) + times * self.idf(tok)
        return out
