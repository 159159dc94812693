"""Embedders: the protocol every backend follows, and the two real backends.

Vectors are L2-normalised float32 rows, so inner product is cosine similarity. Queries and passages are
embedded through separate methods because e5-style models want different prefixes for each.
"""

from __future__ import annotations

from typing import Protocol, Sequence, runtime_checkable

import numpy as np


@runtime_checkable
class Embedder(Protocol):
    model_id: str  # recorded in the index manifest; a different id means the index must be rebuilt
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str], batch_size: int = 32, progress=None) -> np.ndarray: ...
