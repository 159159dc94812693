"""Stateless replicas on one Milvus: two real ``qa serve`` processes (the API over the hash test embedder)
on one ``milvus-lite server``, talking HTTP. A write through one is served by the other within the
snapshot refresh bound (1 s; the test allows ``BOUND_S``), and a writer killed with SIGKILL mid-write
leaves every acknowledged document complete and never a partial one."""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest

from bench.serve import ServerProcess
from index.documents import Document
from qa.pipeline import Pipeline
from qa.settings import Settings
from tests.conftest import copy_index_into, milvus_settings

pytest.importorskip("pymilvus")

KEY = "replica-key-7d2e"
AUTH = {"Authorization": f"Bearer {KEY}"}
BOUND_S = 3.0  # the refresh bound is 1 s; the rest is headroom for a loaded CI machine


def _env(uri: str, prefix: str) -> dict[str, str]:
    return {"QA_STORE": "milvus", "QA_MILVUS_URI": uri, "QA_MILVUS_COLLECTION": prefix}


def _milvus_pipeline(tmp_path: Path, uri: str, prefix: str, tokenizer=None) -> Pipeline:
    from index.embedders.fake import HashEmbedder

    base = Settings.from_env({}, data_dir=tmp_path / "reader")
    return Pipeline(milvus_settings(base, uri, prefix), embedder=HashEmbedder(), tokenizer=tokenizer)


def _eventually(check, bound_s: float = BOUND_S) -> float:
    t0 = time.monotonic()
    while True:
        if check():
            return time.monotonic() - t0
        if time.monotonic() - t0 > bound_s:
            raise AssertionError(f"not seen within {bound_s} s")
        time.sleep(0.05)


def test_two_replicas_serve_each_others_writes(tmp_path: Path, milvus_server, shipped_index: Path, tokenizer) -> None:
    prefix = f"rep_{uuid.uuid4().hex[:8]}"
    copy_index_into(shipped_index, _milvus_pipeline(tmp_path, milvus_server.uri, prefix, tokenizer).store)
    env = _env(milvus_server.uri, prefix)
    with ServerProcess(tmp_path / "a", fake_embedder=True, api_key=KEY, env=env, startup_s=180) as a, \
         ServerProcess(tmp_path / "b", fake_embedder=True, api_key=KEY, env=env, startup_s=180) as b:
        doc = {"id": "replica-notice", "title": "复制通知", "date": "2024-06-01",
               "text": "本届网博会新增跨境电商专区，设在义乌国际博览中心二号馆。"}
        assert httpx.post(f"{a.url}/api/documents", json=doc, headers=AUTH, timeout=60).status_code == 200

        def b_answers() -> bool:
            r = httpx.post(f"{b.url}/api/ask", timeout=30, json={"question": "跨境电商专区设在哪里？",
                                                                 "filters": {"doc_ids": ["replica-notice"]}})
            return r.status_code == 200 and any(s["doc_id"] == "replica-notice" for s in r.json()["sources"])

        _eventually(b_answers)
        assert httpx.get(f"{b.url}/api/documents/replica-notice", timeout=30).json()["text"] == doc["text"]
        assert httpx.delete(f"{b.url}/api/documents/replica-notice", headers=AUTH, timeout=60).status_code == 200
        _eventually(lambda: httpx.get(f"{a.url}/api/documents/replica-notice", timeout=30).status_code == 404)
        r = httpx.post(f"{a.url}/api/ask", timeout=30, json={"question": "跨境电商专区设在哪里？"})
        assert all(s["doc_id"] != "replica-notice" for s in r.json()["sources"])
        assert "Traceback" not in a.log_text() + b.log_text()


def _long_doc(n: int, round_: int) -> dict:
    text = "\n\n".join(f"第{round_}轮第{n}号文档第{i}段：义乌网博会的直播电商专区介绍，参展企业与服务内容说明。" * 3
                       for i in range(6))
    return {"id": f"kill-{round_}-{n}", "title": f"写入{round_}-{n}", "text": text}


def test_sigkill_during_milvus_writes_leaves_whole_documents(tmp_path: Path, milvus_server, tokenizer) -> None:
    prefix = f"kill_{uuid.uuid4().hex[:8]}"
    env = _env(milvus_server.uri, prefix)
    acknowledged: dict[str, str] = {}
    for round_ in range(5):
        with ServerProcess(tmp_path / f"w{round_}", fake_embedder=True, api_key=KEY, env=env,
                           startup_s=180) as server:
            stop = threading.Event()

            def write(stop: threading.Event = stop, round_: int = round_, url: str = server.url) -> None:
                n = 0
                while not stop.is_set():
                    doc = _long_doc(n, round_)
                    try:
                        r = httpx.post(f"{url}/api/documents", json=doc, headers=AUTH, timeout=30)
                    except httpx.TransportError:
                        return
                    if r.status_code == 200:
                        acknowledged[doc["id"]] = doc["text"]
                    n += 1

            thread = threading.Thread(target=write)
            thread.start()
            time.sleep(1.0 + 0.4 * round_)
            server.kill()
            stop.set()
            thread.join(timeout=30)
        view = _milvus_pipeline(tmp_path, milvus_server.uri, prefix, tokenizer).store.snapshot(max_age_s=0)
        for doc_id, info in view.docs.items():
            assert len(view.chunks_of(doc_id)) == info.chunks, f"{doc_id} is partly visible"
        for doc_id, text in acknowledged.items():
            assert doc_id in view.docs, f"acknowledged {doc_id} is missing after round {round_}"
            chunks = view.chunks_of(doc_id)
            assert chunks and all(text[c.start:c.end] == c.text for c in chunks)
    assert len(acknowledged) >= 5


IDLE_S = 120  # longer than the server's tolerance of idle pings under pymilvus's default keepalive (~80 s)


def test_a_process_idle_for_minutes_keeps_its_channel(tmp_path: Path, milvus_server, tokenizer, capfd) -> None:
    """A replica that sat idle between requests: pymilvus keeps one channel per server in the process.
    The server must not close it for pinging while idle (gRPC logs the GOAWAY on stderr); when it did,
    the next open failed whenever the close met the reconnect."""
    prefix = f"idle_{uuid.uuid4().hex[:8]}"
    first = _milvus_pipeline(tmp_path, milvus_server.uri, prefix, tokenizer)
    first.add_documents([Document("idle-notice", "闲置", "展馆开放时间为每天九点到十七点。")])
    time.sleep(IDLE_S)
    later = _milvus_pipeline(tmp_path, milvus_server.uri, prefix, tokenizer)
    assert "idle-notice" in later.store.snapshot(max_age_s=0).docs
    assert "too_many_pings" not in capfd.readouterr().err
