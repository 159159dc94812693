"""BM25 over our tokenizer's tokens, in Milvus.

Milvus's analyzers would cut Chinese text their own way (and Lite's split on ``\\w+``), so chunks keep the
tokens our tokenizer made (domain lexicon, synonyms folded), each written as a hash of letters and digits
that every analyzer leaves whole (``terms``). Two ways to score them:

- client (default): each chunk stores a sparse vector of BM25 term weights ``tf / (tf + k1·(1 − b + b·dl /
  avgdl))``, the query sends ``idf(t)`` per term, inner product gives the same scores as the local bm25s
  index. Document frequencies come from counting chunks whose ``terms`` match (cached per generation).
- engine: Milvus's BM25 function over ``terms`` (Lite computes IDF per segment, so scores drift from
  the local ones as the index grows).
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections import Counter
from collections.abc import Callable

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


class CountingLexicon:
    """``knows`` and ``idf`` from document frequencies counted in Milvus, once per token per generation."""

    def __init__(self, n_chunks: int, count: Callable[[str], int]) -> None:
        self.n = n_chunks
        self._count = count
        self._df: dict[str, int] = {}
        self._lock = threading.Lock()

    def df(self, token: str) -> int:
        found = self._df.get(token)
        if found is None:
            found = self._count(term(token)) if self.n else 0
            with self._lock:
                self._df[token] = found
        return found

    def knows(self, token: str) -> bool:
        return self.df(token) > 0

    def idf(self, token: str) -> float:
        return idf(self.n, self.df(token))

    def query_weights(self, tokens: list[str]) -> dict[int, float]:
        """The query side: idf per occurrence of each known token (bm25s sums repeated query tokens)."""
        out: dict[int, float] = {}
        for tok, times in Counter(tokens).items():
            if self.knows(tok):
                d = dim(tok)
                out[d] = out.get(d, 0.0) + times * self.idf(tok)
        return out
