"""Shared fixtures.

The converted embedding model lives in one model cache for the whole test session (the user's, or
$QA_MODEL_CACHE): tests make many tmp data dirs and none of them rebuilds or copies the model. The real
index over the shipped corpus is built once per session into a tmp data dir.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from qa.settings import Settings

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def model_cache() -> Path:
    return Settings.from_env().model_cache


@pytest.fixture
def settings(tmp_path: Path, model_cache: Path) -> Settings:
    """Settings with a fresh tmp data dir and the shared model cache."""
    return Settings.from_env({}, data_dir=tmp_path / "data", model_cache=model_cache)


def _hashed(settings: Settings) -> Settings:
    """Settings for a pipeline with the fake embedder: the learned scorer's weights are fitted to the real
    model's similarities, so over hash vectors only the rules scorer answers meaningfully."""
    return settings.replace(answer_scorer="rules")


@pytest.fixture(scope="session")
def tokenizer():
    """The default tokenizer (lexicon, synonyms, glossary); read-only, so one serves every test."""
    from qa.pipeline import default_tokenizer

    return default_tokenizer()


@pytest.fixture(scope="session")
def shipped_index(tmp_path_factory: pytest.TempPathFactory, model_cache: Path, tokenizer) -> Path:
    """The shipped corpus indexed once with the fake embedder; copy it into a test's own data dir."""
    from index.embedders.fake import HashEmbedder
    from qa.pipeline import Pipeline

    settings = Settings.from_env({}, data_dir=tmp_path_factory.mktemp("shipped") / "data", model_cache=model_cache)
    builder = Pipeline(settings, embedder=HashEmbedder(), tokenizer=tokenizer)
    builder.index_paths()
    builder.store.close()
    return settings.index_dir


@pytest.fixture(scope="module")
def shared_pipe(tmp_path_factory: pytest.TempPathFactory, shipped_index: Path, tokenizer, model_cache: Path):
    """A pipeline over a copy of the shipped index (fake embedder), shared by a module's tests that only
    read: building one per test would cost each of a hundred tests a copy and a load."""
    import shutil

    from index.embedders.fake import HashEmbedder
    from qa.pipeline import Pipeline

    settings = Settings.from_env({}, data_dir=tmp_path_factory.mktemp("shared") / "data", model_cache=model_cache)
    shutil.copytree(shipped_index, settings.index_dir)
    return Pipeline(_hashed(settings), embedder=HashEmbedder(), tokenizer=tokenizer)


@pytest.fixture
def make_client(shared_pipe, settings: Settings):
    """A TestClient on the shared pipeline for an app built with these setting overrides."""
    from fastapi.testclient import TestClient

    from qa.http.app import create_app

    def make(**overrides) -> TestClient:
        return TestClient(create_app(shared_pipe, settings.replace(**overrides)))

    return make


@pytest.fixture
def client(make_client):
    return make_client()


@pytest.fixture
def indexed_hash_pipeline(settings: Settings, shipped_index: Path, tokenizer):
    """What ``hash_pipeline`` gives, with the shipped corpus already indexed (a copy of it: writable)."""
    import shutil

    from index.embedders.fake import HashEmbedder
    from qa.pipeline import Pipeline

    shutil.copytree(shipped_index, settings.index_dir)
    return Pipeline(_hashed(settings), embedder=HashEmbedder(), tokenizer=tokenizer)


@pytest.fixture
def hash_pipeline(settings: Settings):
    """A Pipeline with the tiny deterministic fake embedder: for tests of the stages above embeddings."""
    from index.embedders.fake import HashEmbedder
    from qa.pipeline import Pipeline

    return Pipeline(_hashed(settings), embedder=HashEmbedder())


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory: pytest.TempPathFactory, model_cache: Path) -> Settings:
    return Settings.from_env({}, data_dir=tmp_path_factory.mktemp("real") / "data", model_cache=model_cache)


@pytest.fixture(scope="session")
def real_pipeline(real_settings: Settings):
    """The real model over the shipped corpus, built once per session."""
    from qa.pipeline import Pipeline

    pipe = Pipeline.from_settings(real_settings)
    pipe.ensure_index()
    return pipe


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("OMP_WAIT_POLICY", "passive")


class MilvusLiteServer:
    """``milvus-lite server`` on 127.0.0.1 and a free port: the gRPC protocol of a Milvus cluster."""

    def __init__(self, data_dir: Path) -> None:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.uri = f"http://127.0.0.1:{self.port}"
        self.data_dir = data_dir
        self.proc = None

    def start(self) -> MilvusLiteServer:
        import shutil
        import socket
        import subprocess
        import time

        exe = shutil.which("milvus-lite")
        cmd = [exe] if exe else [sys.executable, "-m", "milvus_lite"]
        with open(self.data_dir.parent / f"milvus-{self.port}.log", "ab") as log:
            self.proc = subprocess.Popen(cmd + ["server", "--data-dir", str(self.data_dir), "--host", "127.0.0.1",
                                                "--port", str(self.port)], stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, "milvus-lite server exited"
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("milvus-lite server did not listen within 60 s")

    def stop(self) -> None:
        import subprocess

        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture(scope="session")
def milvus_server(tmp_path_factory: pytest.TempPathFactory):
    """One Milvus Lite server process for the session; tests keep apart by collection prefix."""
    pytest.importorskip("pymilvus")
    pytest.importorskip("milvus_lite")
    server = MilvusLiteServer(tmp_path_factory.mktemp("milvus") / "data").start()
    yield server
    server.stop()


def milvus_settings(settings: Settings, uri: str | None, prefix: str) -> Settings:
    """``settings`` on the Milvus backend: ``uri`` None is embedded Milvus Lite in the data dir."""
    return settings.replace(store="milvus", milvus_uri=uri, milvus_collection=prefix)


def copy_index_into(index_dir: Path, target) -> None:
    """Fill a store from a local index (the shipped one, built once per session) without re-embedding."""
    from index.embedders.fake import HashEmbedder
    from index.storage.migrate import migrate
    from index.storage.store import Store
    from qa.pipeline import Pipeline

    source = Store(index_dir, Pipeline(Settings.from_env({}), embedder=HashEmbedder()).manifest)
    try:
        migrate(source, target)
    finally:
        source.close()
