"""Index backends by name: ``local`` (files in the data dir) and ``milvus`` (a Milvus server, cluster or
an embedded Milvus Lite file). A new backend is one ``BackendSpec`` here and a class following
``index.storage.base.IndexStore``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.errors import ConfigError
from index.storage.base import IndexStore, Manifest


@dataclass(frozen=True)
class BackendSpec:
    name: str
    open: Callable[..., IndexStore]  # (index_dir, manifest, **options) -> store
    shared: bool  # several processes on several machines may serve the same index


def _open_local(index_dir: Path, manifest: Manifest, **_: Any) -> IndexStore:
    from index.storage.store import Store

    return Store(index_dir, manifest)


def _open_milvus(index_dir: Path, manifest: Manifest, **options: Any) -> IndexStore:
    try:
        from index.storage.milvus.store import MilvusStore
    except ImportError as e:  # pymilvus / milvus-lite are an optional extra
        raise ConfigError(f"the milvus index backend needs pymilvus and milvus-lite ({e.name} is missing): "
                          "pip install -e '.[milvus]'") from None
    return MilvusStore(manifest, data_dir=index_dir, **options)


BACKENDS: dict[str, BackendSpec] = {
    "local": BackendSpec("local", _open_local, shared=False),
    "milvus": BackendSpec("milvus", _open_milvus, shared=True),
}


def open_store(name: str, index_dir: Path, manifest: Manifest, **options: Any) -> IndexStore:
    try:
        spec = BACKENDS[name]
    except KeyError:
        raise ConfigError(f"unknown index backend {name!r}; known: {', '.join(BACKENDS)}") from None
    return spec.open(index_dir, manifest, **options)
