"""Embedders that wrap the real one for benchmarking.

``CachingEmbedder`` embeds each passage once per run, so that two indexes built over the same chunks get
bit-identical vectors and neither build time includes the model. ``PerturbedEmbedder`` stands in for the
model when the scale section indexes 100k synthetic chunks, which the real model would need about an
hour for on two cores.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping, Sequence

import numpy as np

from index.embedders import Embedder, ProgressFn

TITLE_MARK = "·"  # separates a synthetic document's title from its variant number


class CachingEmbedder:
    """Remembers passage vectors by text and, when asked, query vectors too.

    Query vectors are normally recomputed on every call, because a retrieve call's latency includes
    embedding the question; ``reuse_queries`` switches that off to time the search alone.
    """

    def __init__(self, inner: Embedder, passages: dict[str, np.ndarray] | None = None) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        self.reuse_queries = False
        self.passages_embedded = 0
        self.embed_seconds = 0.0
        self._passages: dict[str, np.ndarray] = {} if passages is None else passages
        self._queries: dict[str, np.ndarray] = {}

    def sibling(self, inner: Embedder) -> CachingEmbedder:
        """Another model instance for queries, sharing the passages remembered here.

        Each system under comparison gets its own instance, so that a query cache inside the embedder
        never answers a question because another system asked it first.
        """
        return CachingEmbedder(inner, self._passages)

    @property
    def passages_per_s(self) -> float | None:
        """Model throughput over every passage embedded so far; None before the first one."""
        if not self.passages_embedded or self.embed_seconds <= 0:
            return None
        return self.passages_embedded / self.embed_seconds

    def warm_up(self) -> None:
        self.inner.embed_queries(["warm up"])

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self.reuse_queries and all(t in self._queries for t in texts):
            return np.stack([self._queries[t] for t in texts])
        vectors = self.inner.embed_queries(texts)
        self._queries.update(zip(texts, vectors))
        return vectors

    def embed_passages(self, texts: Sequence[str], batch_size: int = 32,
                       progress: ProgressFn | None = None) -> np.ndarray:
        texts = list(texts)
        missing = list(dict.fromkeys(t for t in texts if t not in self._passages))
        if missing:
            t0 = time.perf_counter()
            vectors = self.inner.embed_passages(missing, batch_size=batch_size, progress=progress)
            self.embed_seconds += time.perf_counter() - t0
            self.passages_embedded += len(missing)
            self._passages.update(zip(missing, vectors))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._passages[t] for t in texts])


class PerturbedEmbedder:
    """Vectors for synthetic chunks: a real chunk vector of the same article plus seeded noise, renormalised.

    The article is recognised by the title line of ``embed_text`` (synthetic titles are
    ``<article title>·<variant>``). The noise keeps copies apart, so FAISS does not see 100k exact
    duplicates, while their neighbourhoods stay those of real text. Only the model is replaced: the
    indexer, SQLite, FAISS and BM25 do their normal work on these vectors.
    """

    embeds_sentences = False  # only chunks carry the title line that names their article

    def __init__(self, base: Mapping[str, np.ndarray], model_id: str, noise: float = 0.3) -> None:
        if not base:
            raise ValueError("PerturbedEmbedder needs at least one article of base vectors")
        if noise < 0:
            raise ValueError(f"noise must be >= 0, got {noise}")
        self.base = {title: np.asarray(rows, dtype=np.float32) for title, rows in base.items()}
        self.dim = next(iter(self.base.values())).shape[1]
        self.model_id = model_id
        self.noise = noise
        self.seconds = 0.0  # time spent here, reported apart from (and excluded from) build time

    def _rows_for(self, text: str) -> np.ndarray:
        title = text.split("\n", 1)[0]
        article = title.rpartition(TITLE_MARK)[0] or title
        rows = self.base.get(article)
        if rows is None:
            raise KeyError(f"no base vectors for a chunk titled {title!r}")
        return rows

    def embed_passages(self, texts: Sequence[str], batch_size: int = 32,
                       progress: ProgressFn | None = None) -> np.ndarray:
        t0 = time.perf_counter()
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if texts:
            digest = hashlib.blake2b(texts[0].encode("utf-8"), digest_size=8).digest()
            rng = np.random.default_rng(int.from_bytes(digest, "little"))
            start = int(rng.integers(1 << 30))
            for i, text in enumerate(texts):
                rows = self._rows_for(text)
                out[i] = rows[(start + i) % len(rows)]
            out += rng.standard_normal(out.shape, dtype=np.float32) * (self.noise / np.sqrt(self.dim))
            out /= np.linalg.norm(out, axis=1, keepdims=True)
        if progress is not None and texts:
            progress(len(texts))
        self.seconds += time.perf_counter() - t0
        return out

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        raise RuntimeError("PerturbedEmbedder only stands in for passages; embed queries with the real model")
