"""The embedder the settings ask for, built through the index's registry of backends.

The index takes plain arguments and knows nothing of ``Settings``; this is where the ``embedding_*``
settings are read, ``auto`` is resolved, and settings a backend cannot honour are refused by name.
"""

from __future__ import annotations

from index.embedders import Embedder, backend_spec, create_embedder
from index.embedders.e5model import E5_MODEL_ID, E5_PROMPTS
from qa.errors import SettingsError
from qa.settings import EmbeddingBackend, Settings


def resolve_backend(settings: Settings) -> str:
    """``auto`` means onnx for the default model with its own prompts, sentence-transformers otherwise."""
    if settings.embedding_backend is not EmbeddingBackend.AUTO:
        return settings.embedding_backend.value
    default_model = (settings.embedding_model == E5_MODEL_ID
                     and settings.query_prompt in (None, E5_PROMPTS["query"])
                     and settings.passage_prompt in (None, E5_PROMPTS["passage"]))
    return EmbeddingBackend.ONNX.value if default_model else EmbeddingBackend.SENTENCE_TRANSFORMERS.value


def make_embedder(settings: Settings) -> Embedder:
    """The embedder the settings ask for; nothing is loaded until the first text is embedded."""
    name = resolve_backend(settings)
    spec = backend_spec(name)
    if spec.only_model is not None and settings.embedding_model != spec.only_model:
        raise SettingsError(
            f"embedding_backend {name} only runs {spec.only_model!r}, not {settings.embedding_model!r}; "
            "use embedding_backend=sentence-transformers for other models")
    for kind, value in (("query", settings.query_prompt), ("passage", settings.passage_prompt)):
        fixed = (spec.fixed_prompts or {}).get(kind)
        if fixed is not None and value is not None and value != fixed:
            raise SettingsError(f"embedding_backend {name} always uses {kind}_prompt {fixed!r}, got "
                                f"{value!r}; use embedding_backend=sentence-transformers for other prompts")
    return create_embedder(name, settings.embedding_model, settings.model_cache,
                           query_prompt=settings.query_prompt, passage_prompt=settings.passage_prompt)
