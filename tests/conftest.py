"""Shared fixtures.

The converted embedding model lives in one model cache for the whole test session (the user's, or
$QA_MODEL_CACHE): tests make many tmp data dirs and none of them rebuilds or copies the model. The real
index over the shipped corpus is built once per session into a tmp data dir.
"""

from __future__ import annotations

import os
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
    return Pipeline(settings, embedder=HashEmbedder(), tokenizer=tokenizer)


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
    return Pipeline(settings, embedder=HashEmbedder(), tokenizer=tokenizer)


@pytest.fixture
def hash_pipeline(settings: Settings):
    """A Pipeline with the tiny deterministic fake embedder: for tests of the stages above embeddings."""
    from index.embedders.fake import HashEmbedder
    from qa.pipeline import Pipeline

    return Pipeline(settings, embedder=HashEmbedder())


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
