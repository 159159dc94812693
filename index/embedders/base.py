"""What every embedder is: the protocol, and the helpers the real backends share.

Vectors are L2-normalised float32 rows, so inner product is cosine similarity. Queries and passages are
embedded through separate methods because e5-style models want different prefixes for each.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

ProgressFn = Callable[[int], None]


@runtime_checkable
class Embedder(Protocol):
    model_id: str  # recorded in the index manifest; a different id means the index must be rebuilt
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str], batch_size: int = 32, progress=None) -> np.ndarray: ...


def as_unit_rows(vectors: Any, dim: int) -> np.ndarray:
    """float32 ``[n, dim]`` with unit rows, whatever the backend handed back."""
    out = np.asarray(vectors, dtype=np.float32).reshape(-1, dim)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, np.maximum(norms, 1e-12), out=out)
    return out


def embed_longest_first(texts: Sequence[str], dim: int, batch_size: int,
                        encode: Callable[[list[str]], np.ndarray], progress: ProgressFn | None = None) -> np.ndarray:
    """``encode`` over batches of similar length (less padding), rows back in input order, reporting texts
    done after each batch."""
    texts = list(texts)
    if batch_size < 1:
        raise ValueError("batch_size must be >= 1")
    out = np.zeros((len(texts), dim), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    for start in range(0, len(order), batch_size):
        rows = order[start:start + batch_size]
        out[rows] = encode([texts[i] for i in rows])
        if progress is not None:
            progress(start + len(rows))
    return out


class quiet_transformers_progress:
    """Hide transformers' per-load "Loading weights" bar; the caller reports progress its own way."""

    def __enter__(self) -> None:
        self._restore = False
        try:
            from transformers.utils import logging as hf_logging
        except ImportError:
            return
        if hf_logging.is_progress_bar_enabled():
            hf_logging.disable_progress_bar()
            self._restore = True
            self._hf_logging = hf_logging

    def __exit__(self, *exc: object) -> None:
        if self._restore:
            self._hf_logging.enable_progress_bar()


def first_line(exc: BaseException) -> str:
    """Library errors can span lines; ours are printed as one."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__
