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
    drop: Callable[..., None]  # (index_dir, **options): delete the whole index (qa index --rebuild)
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


def _drop_local(index_dir: Path, **_: Any) -> None:
    import shutil

    if Path(index_dir).exists():
        shutil.rmtree(index_dir)


def _drop_milvus(index_dir: Path, **options: Any) -> None:
    from index.storage.milvus import schema
    from index.storage.milvus.store import connect, resolve_uri

    client = connect(resolve_uri(options.get("uri"), index_dir), options.get("token"))
    try:
        schema.drop(client, options.get("prefix") or "expo_qa")
    finally:
        client.close()


BACKENDS: dict[str, BackendSpec] = {
    "local": BackendSpec("local", _open_local, _drop_local, shared=False),
    "milvus": BackendSpec("milvus", _open_milvus, _drop_milvus, shared=True),
}


def _spec(name: str) -> BackendSpec:
    try:
        return BACKENDS[name]
    except KeyError:
        raise ConfigError(f"unknown index backend {name!r}; known: {', '.join(BACKENDS)}") from None


def open_store(name: str, index_dir: Path, manifest: Manifest, **options: Any) -> IndexStore:
    return _spec(name).open(index_dir, manifest, **options)


def drop_store(name: str, index_dir: Path, **options: Any) -> None:
    _spec(name).drop(index_dir, **options)
