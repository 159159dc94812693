"""The API's ask, search and documents cases again, on the Milvus backend: embedded Milvus Lite (a file in
the data dir) and a real ``milvus-lite server`` process on 127.0.0.1. The test functions are test_api's
own; only the pipelines under them change."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from qa.http.app import create_app
from qa.pipeline import Pipeline
from qa.settings import Settings
from tests.conftest import copy_index_into, milvus_settings
from tests.qa.http.test_api import (  # noqa: F401  (collected here, on Milvus)
    KEY,
    test_add_a_json_document_then_ask_about_it,
    test_ask_returns_the_contract,
    test_ask_top_k_history_and_filters,
    test_delete_a_document,
    test_healthz,
    test_list_and_read_documents,
    test_search,
    test_stream_sends_deltas_then_the_full_answer,
    test_upload_markdown,
    writer,
)

pytest.importorskip("pymilvus")


@pytest.fixture(scope="module", params=["lite", "server"])
def milvus_uri(request: pytest.FixtureRequest) -> str | None:
    """None: embedded Milvus Lite in each pipeline's data dir; else the server's address."""
    return None if request.param == "lite" else request.getfixturevalue("milvus_server").uri


@pytest.fixture(scope="module")
def shared_pipe(tmp_path_factory: pytest.TempPathFactory, shipped_index: Path, tokenizer, model_cache: Path,
                milvus_uri: str | None):
    from index.embedders.fake import HashEmbedder

    base = Settings.from_env({}, data_dir=tmp_path_factory.mktemp("milvus-shared") / "data", model_cache=model_cache)
    pipe = Pipeline(milvus_settings(base, milvus_uri, f"shared_{uuid.uuid4().hex[:8]}"), embedder=HashEmbedder(),
                    tokenizer=tokenizer)
    copy_index_into(shipped_index, pipe.store)
    return pipe


@pytest.fixture
def hash_pipeline(settings: Settings, milvus_uri: str | None, tokenizer):
    from index.embedders.fake import HashEmbedder

    return Pipeline(milvus_settings(settings, milvus_uri, f"own_{uuid.uuid4().hex[:8]}"), embedder=HashEmbedder(),
                    tokenizer=tokenizer)


@pytest.fixture
def own_writer(hash_pipeline: Pipeline, settings: Settings, shipped_index: Path,
               monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv("QA_API_KEY", KEY)
    copy_index_into(shipped_index, hash_pipeline.store)
    return TestClient(create_app(hash_pipeline, settings))
