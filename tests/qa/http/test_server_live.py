"""The API over a real socket: uvicorn on 127.0.0.1, a free port, a tmp data dir.

TestClient skips the HTTP layer; these tests do not, so they cover what only a real server shows:
server-sent events arriving incrementally, chunked request bodies, keep-alive connections used from
many threads at once, and the OpenAI SDK talking to ``/v1``. The slow test runs ``qa serve`` itself.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Self

import httpx
import pytest
import uvicorn

from bench.serve import ServerProcess
from qa.cli.main import build_app
from qa.pipeline import Pipeline
from qa.settings import Settings

REPO = Path(__file__).resolve().parents[3]
LIMIT = 20_000


class LiveServer:
    """uvicorn serving an app from a thread, on a socket bound before the thread starts."""

    def __init__(self, app) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.sock.close()
        assert not self.thread.is_alive(), "uvicorn did not stop"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, model_cache: Path):
    from index.embedders.fake import HashEmbedder

    data_dir = tmp_path_factory.mktemp("live") / "data"
    settings = Settings.from_env({}, data_dir=data_dir, model_cache=model_cache, max_body_bytes=LIMIT)
    pipe = Pipeline(settings, embedder=HashEmbedder())
    pipe.index_paths()
    with LiveServer(build_app(pipe, settings)) as server:
        yield server.url


@pytest.fixture
def http(live: str):
    with httpx.Client(base_url=live, timeout=30) as client:
        yield client


def test_health_and_front_page(http: httpx.Client) -> None:
    health = http.get("/healthz").json()
    assert health["status"] == "ok" and health["documents"] >= 7 and health["chunks"] > 0
    page = http.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert http.get("/docs").status_code == 200


def test_api_errors_keep_their_shape_next_to_the_ui(http: httpx.Client) -> None:
    for method, path, status in [("PUT", "/api/documents", 405), ("GET", "/api/nope", 404),
                                 ("GET", "/v1/nope", 404), ("POST", "/healthz", 405)]:
        r = http.request(method, path)
        assert r.status_code == status and set(r.json()["error"]) == {"code", "message"}


def test_ask(http: httpx.Client) -> None:
    r = http.post("/api/ask", json={"question": "综保区改革一共多少条措施？"})
    assert r.status_code == 200
    assert r.json()["sources"][0]["doc_id"]


def test_stream_arrives_as_events(http: httpx.Client) -> None:
    events: list[tuple[str, dict]] = []
    event = None
    with http.stream("POST", "/api/ask/stream", json={"question": "综保区改革一共多少条措施？"}) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        assert r.headers.get("cache-control") == "no-cache"
        for line in r.iter_lines():
            if line.startswith("event: "):
                event = line.removeprefix("event: ")
            elif line.startswith("data: "):
                events.append((event, json.loads(line.removeprefix("data: "))))
    assert [e for e, _ in events][-1] == "done"
    deltas = [d["text"] for e, d in events if e == "delta"]
    assert deltas and "".join(deltas) == events[-1][1]["answer"]


def test_openai_format_over_httpx(http: httpx.Client) -> None:
    body = {"model": "expo-qa", "messages": [{"role": "system", "content": "Be brief."},
                                              {"role": "user", "content": "综保区改革一共多少条措施？"}]}
    r = http.post("/v1/chat/completions", json=body, headers={"Authorization": "Bearer ignored"})
    assert r.status_code == 200
    completion = r.json()
    assert completion["object"] == "chat.completion"
    content = completion["choices"][0]["message"]["content"]
    lines = []
    with http.stream("POST", "/v1/chat/completions", json={**body, "stream": True}) as r:
        lines = [line.removeprefix("data: ") for line in r.iter_lines() if line.startswith("data: ")]
    assert lines[-1] == "[DONE]"
    chunks = [json.loads(x) for x in lines[:-1]]
    assert "".join(c["choices"][0]["delta"].get("content", "") for c in chunks) == content


def test_openai_sdk(live: str) -> None:
    import openai
    client = openai.OpenAI(base_url=f"{live}/v1", api_key="not-needed-for-reads", max_retries=0)
    assert [m.id for m in client.models.list()] == ["expo-qa", "expo-qa-extractive"]
    messages = [{"role": "user", "content": "综保区改革一共多少条措施？"}]
    completion = client.chat.completions.create(model="expo-qa", messages=messages)
    content = completion.choices[0].message.content
    assert content and completion.choices[0].finish_reason == "stop" and completion.usage.total_tokens > 0
    stream = client.chat.completions.create(model="expo-qa", messages=messages, stream=True)
    assert "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices) == content
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.create(model="gpt-4o", messages=messages)


def test_request_bodies_over_the_limit(http: httpx.Client) -> None:
    big = json.dumps({"question": "问" * LIMIT}).encode()
    r = http.post("/api/ask", content=big, headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"

    def chunked():
        for i in range(0, len(big), 4096):
            yield big[i:i + 4096]

    r = http.post("/api/ask", content=chunked(), headers={"Content-Type": "application/json"})
    assert "content-length" not in r.request.headers
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
    assert http.get("/healthz").status_code == 200


def test_writes_over_the_wire(http: httpx.Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_API_KEY", "live-key")
    doc = {"id": "live-doc", "title": "现场文档", "text": "这是一份通过 HTTP 上传的测试文档。"}
    assert http.post("/api/documents", json=doc).status_code == 401
    r = http.post("/api/documents", json=doc, headers={"Authorization": "Bearer live-key"})
    assert r.status_code == 200 and r.json()["documents"][0]["doc_id"] == "live-doc"
    r = http.delete("/api/documents/live-doc", headers={"Authorization": "Bearer live-key"})
    assert r.status_code == 200
    assert http.get("/api/documents/live-doc").status_code == 404


def test_concurrent_clients(live: str) -> None:
    topics = ("综保区", "抖音新品牌", "电商物流指数", "网博会", "中格自贸协定", "农村直播电商", "海关进出口")
    questions = [f"{topic}{ask}" for topic in topics for ask in ("是什么？", "有哪些措施？", "的最新数据？")]

    def ask(question: str) -> int:
        with httpx.Client(base_url=live, timeout=60) as client:
            return client.post("/api/ask", json={"question": question}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(ask, questions))
    assert statuses == [200] * len(questions)


# -- `qa serve` itself, with the real model ------------------------------------------------------------
@pytest.mark.slow
def test_qa_serve(tmp_path: Path, model_cache: Path) -> None:
    proc = ServerProcess(tmp_path / "data", env={"QA_MODEL_CACHE": str(model_cache), "QA_TOP_K": "3"},
                         log_path=tmp_path / "serve.log", startup_s=600)
    proc.start()
    try:
        url = proc.url
        r = httpx.post(f"{url}/api/ask", json={"question": "综保区改革一共多少条措施？"}, timeout=60)
        assert "customs-ftz-23-measures" in {c["doc_id"] for c in r.json()["citations"]}
        # QA_TOP_K decides when a request sends no top_k (a list question may add its sibling chunks)
        r = httpx.post(f"{url}/api/ask", json={"question": "展会在哪里举办？"}, timeout=60)
        assert len(r.json()["sources"]) == 3
        assert len(httpx.get(f"{url}/api/search", params={"q": "综保区"}, timeout=60).json()["results"]) == 3
        r = httpx.post(f"{url}/api/documents", json={"title": "t", "text": "x"}, timeout=30)
        assert r.status_code == 403 and "QA_API_KEY" in r.json()["error"]["message"]
        text = proc.log_text()
        assert "building the index" in text and "writes disabled" in text
    finally:
        status = proc.stop()
    assert status == 0, proc.log_text()
