"""A fake embedder for tests and benchmarks; never used by ``qa`` itself.

Unit tests of the stages above the embedder (store, retrieval, API) and the plumbing checks of the
benchmarks need vectors that are instant and deterministic, not good ones. It is kept out of the
registry of real backends, so no setting can select it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from index.embedders.base import ProgressFn, as_unit_rows


class HashEmbedder:
    """Test fake: hashes character 1-3-grams into a small vector. Deterministic, instant, no model.

    Only for unit tests of the stages above the embedder (chunk store, retrieval, API); texts that share
    characters score higher, which is enough to check plumbing but says nothing about quality.
    """

    backend = "hash"
    query_prompt = ""
    passage_prompt = ""

    def __init__(self, dim: int = 64) -> None:
        if dim < 2:
            raise ValueError("dim must be >= 2")
        self.dim = dim
        self.model_id = f"test/hash-ngrams-{dim}"
        self.passages_embedded = 0  # lets tests check that unchanged chunks are not embedded again

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dim, dtype=np.float32)
        chars = text.lower()
        for n in (1, 2, 3):
            for i in range(len(chars) - n + 1):
                digest = hashlib.blake2b(chars[i:i + n].encode("utf-8"), digest_size=8).digest()
                bucket = int.from_bytes(digest[:4], "little") % self.dim
                vec[bucket] += 1.0 if digest[4] & 1 else -1.0
        if not vec.any():  # empty text: a fixed unit vector keeps every row normalised
            vec[0] = 1.0
        return vec

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return as_unit_rows(np.stack([self._vector(t) for t in texts]), self.dim)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(list(texts))

    def embed_passages(self, texts: Sequence[str], batch_size: int = 32,
                       progress: ProgressFn | None = None) -> np.ndarray:
        out = self._embed(list(texts))
        self.passages_embedded += len(out)
        if progress is not None and len(out):
            progress(len(out))
        return out
