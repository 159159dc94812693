"""The HTTP API through FastAPI's TestClient, on the shipped corpus indexed with the fake embedder.

Each route's happy path, and every way a request can be refused: the status, the error shape
``{"error": {"code", "message"}}`` and a message that names what was wrong. A few tests at the end use
the real model to check that answers cite the right document.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from index.ingest.loaders import load_path, shipped_corpus_dir
from qa.answering.generator import text_pieces
from qa.http.app import create_app
from qa.http.guards import RateLimiter
from qa.http.routes.openai_compat import count_tokens
from qa.pipeline import Pipeline
from qa.settings import Settings

KEY = "test-key-5f1c"
AUTH = {"Authorization": f"Bearer {KEY}"}
CONTRACT_KEYS = {"answer", "short_answer", "abstained", "citations", "sources", "timings_ms"}
SHIPPED = {d.id for d in load_path(shipped_corpus_dir())[0]}


@pytest.fixture
def writer(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    """Writes enabled, on the shared index: only for requests that must be refused."""
    monkeypatch.setenv("QA_API_KEY", KEY)
    return client


@pytest.fixture
def own_writer(hash_pipeline: Pipeline, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    """Writes enabled on an index of this test's own, for writes that succeed."""
    monkeypatch.setenv("QA_API_KEY", KEY)
    hash_pipeline.index_paths()
    return TestClient(create_app(hash_pipeline, settings))


def assert_error(response, status: int, code: str | None = None, *words: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    if code:
        assert body["error"]["code"] == code
    for word in words:
        assert word in body["error"]["message"]
    return body["error"]


def sse_events(text: str) -> list[tuple[str | None, str]]:
    """(event, data) pairs of a server-sent event stream."""
    events = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        if not block.strip():
            continue
        event, data = None, []
        for line in block.split("\n"):
            field, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if field == "event":
                event = value
            elif field == "data":
                data.append(value)
        events.append((event, "\n".join(data)))
    return events


# -- /api/ask ------------------------------------------------------------------------------------------
def test_ask_returns_the_contract(client: TestClient) -> None:
    r = client.post("/api/ask", json={"question": "综保区改革一共多少条措施？"})
    assert r.status_code == 200
    body = r.json()
    assert CONTRACT_KEYS <= set(body) <= CONTRACT_KEYS | {"suggestions", "abstain_reason", "confidence"}
    assert set(body["timings_ms"]) == {"retrieve", "compose", "total"}
    assert body["sources"]
    assert {c["chunk_id"] for c in body["citations"]} <= {s["chunk_id"] for s in body["sources"]}
    assert set(body["sources"][0]) == {"doc_id", "title", "date", "chunk_id", "text", "score", "page", "section"}
    if not body["abstained"]:
        assert body["citations"]
    for c in body["citations"]:
        assert set(c) == {"n", "doc_id", "title", "date", "chunk_id", "quote", "start", "end", "page", "section"}
        assert c["page"] is None  # Markdown documents have no pages
        text = client.get(f"/api/documents/{c['doc_id']}").json()["text"]
        assert text[c["start"]:c["end"]] == c["quote"]
        assert f"[{c['n']}]" in body["answer"]


def test_ask_top_k_history_and_filters(client: TestClient) -> None:
    body = {"question": "那它什么时候举办？", "top_k": 3,
            "history": [{"role": "user", "content": "中国国际电子商务博览会在哪里举办？"},
                        {"role": "assistant", "content": "义乌国际博览中心[1]"}],
            "filters": {"doc_ids": ["expo-info"]}}
    r = client.post("/api/ask", json=body)
    assert r.status_code == 200
    sources = r.json()["sources"]
    assert {s["doc_id"] for s in sources} == {"expo-info"}

    dated = client.post("/api/ask", json={"question": "海关总署的改革措施", "top_k": 10,
                                          "filters": {"date_from": "2023-08-20", "date_to": "2023-08-31"}})
    assert dated.status_code == 200
    assert all(s["date"] and "2023-08-20" <= s["date"] <= "2023-08-31" for s in dated.json()["sources"])


def test_question_is_trimmed_and_nul_bytes_dropped(client: TestClient) -> None:
    assert client.post("/api/ask", json={"question": "  展会\u0000在哪里举办？  "}).status_code == 200
    assert client.post("/api/ask", json={"question": "问" * 2000 + "   "}).status_code == 200


@pytest.mark.parametrize("body, field", [
    ({}, "question"),
    ({"question": ""}, "question"),
    ({"question": " \n\t "}, "question"),
    ({"question": "\u0000"}, "question"),
    ({"question": "问" * 2001}, "question"),
    ({"question": 42}, "question"),
    ({"question": "展会在哪？", "colour": "red"}, "colour"),
    ({"question": "展会在哪？", "top_k": 0}, "top_k"),
    ({"question": "展会在哪？", "top_k": 21}, "top_k"),
    ({"question": "展会在哪？", "top_k": 10**40}, "top_k"),
    ({"question": "展会在哪？", "top_k": "five"}, "top_k"),
    ({"question": "展会在哪？", "history": [{"role": "system", "content": "x"}]}, "history[0].role"),
    ({"question": "展会在哪？", "history": [{"role": "user"}]}, "history[0].content"),
    ({"question": "展会在哪？", "history": [{"role": "user", "content": "x"}] * 21}, "history"),
    ({"question": "展会在哪？", "filters": {"date_from": "2023/08/01"}}, "filters.date_from"),
    ({"question": "展会在哪？", "filters": {"date_to": "20230801"}}, "filters.date_to"),
    ({"question": "展会在哪？", "filters": {"doc_id": ["expo-info"]}}, "filters.doc_id"),
    ({"question": "展会在哪？", "filters": {"doc_ids": "expo-info"}}, "filters.doc_ids"),
])
def test_ask_rejects_bad_fields_naming_them(client: TestClient, body: dict, field: str) -> None:
    error = assert_error(client.post("/api/ask", json=body), 422, "invalid_request")
    assert error["message"].startswith(field + ":") or field in error["message"]


@pytest.mark.parametrize("filters, words", [
    ({"date_from": "2023-02-30"}, ["filters.date_from", "2023-02-30"]),
    ({"date_from": "2023-09-01", "date_to": "2023-08-01"}, ["filters", "after"]),
])
def test_impossible_dates_name_the_field(client: TestClient, filters: dict, words: list[str]) -> None:
    r = client.post("/api/ask", json={"question": "展会在哪？", "filters": filters})
    assert_error(r, 422, "invalid_request", *words)


@pytest.mark.parametrize("content, headers, status", [
    (b'{"question": ', {"Content-Type": "application/json"}, 400),
    (b'{"question": "\xff\xfe\xfa"}', {"Content-Type": "application/json"}, 400),
    (b'{"question": "a\x00b"}', {"Content-Type": "application/json"}, 400),
    (b'\x00\x01\x02', {"Content-Type": "application/json"}, 400),
    (b'question=hi', {"Content-Type": "application/x-www-form-urlencoded"}, 415),
    (b'{"question": "hi"}', {"Content-Type": "text/plain"}, 415),
    (b'["question"]', {"Content-Type": "application/json"}, 422),
    (b'', {"Content-Type": "application/json"}, 422),
    (b'null', {"Content-Type": "application/json"}, 422),
])
def test_malformed_bodies_are_4xx(client: TestClient, content: bytes, headers: dict, status: int) -> None:
    assert_error(client.post("/api/ask", content=content, headers=headers), status)


@pytest.mark.parametrize("path, body, field", [
    ("/api/ask", '{"question": "\\ud800"}', "question"),
    ("/api/ask", '{"question": "展会在哪？", "history": [{"role": "user", "content": "a\\udfff"}]}',
     "history[0].content"),
    ("/api/ask", '{"question": "展会在哪？", "filters": {"doc_ids": ["\\ud800"]}}', "filters.doc_ids[0]"),
    ("/v1/chat/completions", '{"model": "expo-qa", "messages": [{"role": "user", "content": "\\ud800"}]}',
     "messages[0].content"),
])
def test_lone_surrogates_are_refused(client: TestClient, path: str, body: str, field: str) -> None:
    r = client.post(path, content=body.encode(), headers={"Content-Type": "application/json"})
    message = assert_error(r, 422, "invalid_request", field)["message"]
    assert "surrogate" in message or "unicode" in message, message


def test_lone_surrogates_in_documents_are_refused(writer: TestClient) -> None:
    r = writer.post("/api/documents", content=b'{"title": "\\ud800", "text": "x"}',
                    headers={**AUTH, "Content-Type": "application/json"})
    assert_error(r, 400, "invalid_json")


def test_body_without_content_type_is_read_as_json(client: TestClient) -> None:
    assert client.post("/api/ask", content='{"question": "展会在哪里举办？"}'.encode()).status_code == 200


def test_empty_index_is_503(hash_pipeline, settings: Settings) -> None:
    client = TestClient(create_app(hash_pipeline, settings))
    assert_error(client.post("/api/ask", json={"question": "展会在哪？"}), 503, "index_missing", "qa index")
    assert client.get("/healthz").json()["chunks"] == 0


# -- /api/ask/stream -----------------------------------------------------------------------------------
def test_stream_sends_deltas_then_the_full_answer(client: TestClient) -> None:
    question = {"question": "综保区改革一共多少条措施？"}
    with client.stream("POST", "/api/ask/stream", json=question) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        events = sse_events("".join(r.iter_text()))
    kinds = [e for e, _ in events]
    assert kinds[-1] == "done" and set(kinds[:-1]) == {"delta"} and len(kinds) >= 2
    done = json.loads(events[-1][1])
    assert "".join(json.loads(d)["text"] for _, d in events[:-1]) == done["answer"]
    plain = client.post("/api/ask", json=question).json()
    for key in ("answer", "citations", "sources", "abstained", "short_answer"):
        assert done[key] == plain[key]


def test_stream_refuses_bad_input_before_streaming(client: TestClient) -> None:
    r = client.post("/api/ask/stream", json={"question": "   "})
    assert r.headers["content-type"].startswith("application/json")
    assert_error(r, 422, "invalid_request", "question")


@pytest.mark.parametrize("text", ["甲。乙[1]丙！[2]", "no markers at all", "一[1]\n二[2]", ""])
def test_answer_pieces_rebuild_the_text(text: str) -> None:
    assert "".join(text_pieces(text)) == text


# -- /api/search ---------------------------------------------------------------------------------------
def test_search(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "抖音新品牌", "top_k": 3})
    assert r.status_code == 200
    results = r.json()["results"]
    assert 1 <= len(results) <= 3
    assert set(results[0]) == {"doc_id", "title", "date", "chunk_id", "text", "score", "page", "section"}
    only = client.get("/api/search", params={"q": "抖音新品牌", "doc_id": "expo-info"}).json()["results"]
    assert {x["doc_id"] for x in only} == {"expo-info"}


@pytest.mark.parametrize("params, status", [
    ({}, 422), ({"q": ""}, 422), ({"q": "展会", "top_k": 0}, 422),
    ({"q": "展会", "top_k": 99999999999999999999}, 422),
    ({"q": "展会", "top_k": "x"}, 422), ({"q": "展会", "date_from": "yesterday"}, 422), ({"q": "   "}, 422),
    ({"q": "展会", "date_from": "2023-13-01"}, 422),
    ({"q": "展会", "date_from": "2023-09-01", "date_to": "2023-08-01"}, 400),
])
def test_search_rejects_bad_parameters(client: TestClient, params: dict, status: int) -> None:
    assert_error(client.get("/api/search", params=params), status)


# -- documents -----------------------------------------------------------------------------------------
def test_list_and_read_documents(client: TestClient) -> None:
    docs = client.get("/api/documents").json()
    assert {d["doc_id"] for d in docs} == SHIPPED
    assert all(set(d) == {"doc_id", "title", "date", "chunks"} and d["chunks"] > 0 for d in docs)
    health = client.get("/healthz").json()
    assert health["documents"] == len(docs) and health["chunks"] == sum(d["chunks"] for d in docs)
    doc = client.get("/api/documents/customs-ftz-23-measures").json()
    assert doc["title"] and "23" in doc["text"] and doc["date"] == "2023-08-21"
    assert_error(client.get("/api/documents/no-such-doc"), 404, "not_found", "no-such-doc")


def test_writes_are_refused_without_a_configured_key(client: TestClient, monkeypatch) -> None:
    monkeypatch.delenv("QA_API_KEY", raising=False)
    r = client.post("/api/documents", json={"title": "t", "text": "正文"}, headers=AUTH)
    assert_error(r, 403, "writes_disabled", "QA_API_KEY")
    assert_error(client.delete("/api/documents/expo-info", headers=AUTH), 403, "writes_disabled")


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {KEY}"},
                                     {"Authorization": "Bearer"}, {"Authorization": f"Bearer {KEY}x"}])
def test_writes_need_the_key(writer: TestClient, headers: dict) -> None:
    r = writer.post("/api/documents", json={"title": "t", "text": "正文"}, headers=headers)
    assert_error(r, 401, "unauthorized")
    assert r.headers["www-authenticate"] == "Bearer"
    assert KEY not in r.text
    assert_error(writer.delete("/api/documents/expo-info", headers=headers), 401)
    assert writer.get("/api/documents/expo-info").status_code == 200


def test_add_a_json_document_then_ask_about_it(own_writer: TestClient) -> None:
    doc = {"id": "notice-2024", "title": "2024年网博会延期通知", "date": "2024-03-01",
           "text": "经组委会研究决定，2024年网博会延期至10月18日举办。\n展期为三天。", "url": "https://example.org/n"}
    r = own_writer.post("/api/documents", json=doc, headers=AUTH)
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["added"] == 1 and report["errors"] == []
    assert report["documents"] == [{"doc_id": "notice-2024", "title": doc["title"], "chunks": 1}]
    assert own_writer.post("/api/documents", json=doc, headers=AUTH).json()["unchanged"] == 1
    stored = own_writer.get("/api/documents/notice-2024").json()
    assert stored["text"] == doc["text"] and stored["url"] == doc["url"] and stored["date"] == "2024-03-01"
    answer = own_writer.post("/api/ask", json={"question": "2024年网博会延期至哪天？",
                                           "filters": {"doc_ids": ["notice-2024"]}}).json()
    assert answer["sources"][0]["doc_id"] == "notice-2024"


@pytest.mark.parametrize("doc, status, words", [
    ({"title": "t", "text": "x", "date": "2023-02-30"}, 422, ["date", "YYYY-MM-DD"]),
    ({"title": "t", "text": "x", "date": "next week"}, 422, ["date"]),
    ({"title": "t", "text": "x", "id": "has space"}, 422, ["id"]),
    ({"title": "t", "text": "  \n "}, 422, ["text: must not be empty"]),
    ({"title": " ", "text": "x"}, 422, ["title: must not be empty"]),
    ({"text": "x"}, 422, ["title"]),
    ({"title": "t", "text": "x", "tags": ["a"]}, 422, ["tags"]),
    ({"title": "t", "text": 5}, 422, ["text"]),
])
def test_bad_json_documents(writer: TestClient, doc: dict, status: int, words: list[str]) -> None:
    assert_error(writer.post("/api/documents", json=doc, headers=AUTH), status, None, *words)


@pytest.mark.parametrize("content, content_type, status", [
    (b"{not json", "application/json", 400), (b"\xff\xfe", "application/json", 400),
    (b"title=t&text=x", "application/x-www-form-urlencoded", 415), (b"hello", "text/plain", 415),
])
def test_malformed_document_bodies(writer: TestClient, content: bytes, content_type: str,
                                   status: int) -> None:
    r = writer.post("/api/documents", content=content, headers={**AUTH, "Content-Type": content_type})
    assert_error(r, status)


def test_upload_markdown(own_writer: TestClient) -> None:
    md = "---\ntitle: 参展须知\ndate: 2024-01-05\n---\n\n# 参展须知\n\n参展商须提前三天完成布展。\n"
    r = own_writer.post("/api/documents", headers=AUTH,
                        files={"file": ("参展 须知.md", md.encode(), "text/markdown")})
    assert r.status_code == 200, r.text
    [doc] = r.json()["documents"]
    assert doc["doc_id"] == "参展-须知" and doc["title"] == "参展须知"
    assert own_writer.get("/api/documents/参展-须知").json()["date"] == "2024-01-05"


def test_upload_jsonl_reports_bad_lines(own_writer: TestClient) -> None:
    lines = [json.dumps({"id": "a1", "title": "甲", "text": "甲文"}, ensure_ascii=False), "{oops",
             json.dumps({"title": "乙", "text": "乙文", "date": "someday"}, ensure_ascii=False),
             json.dumps({"title": "丙", "text": "丙文"}, ensure_ascii=False)]
    r = own_writer.post("/api/documents", headers=AUTH,
                    files={"file": ("batch.jsonl", "\n".join(lines).encode(), "application/jsonl")})
    assert r.status_code == 200, r.text
    report = r.json()
    assert [d["doc_id"] for d in report["documents"]] == ["a1", "batch-4"]
    assert len(report["errors"]) == 2
    assert "batch.jsonl, line 2" in report["errors"][0] and "line 3" in report["errors"][1]
    assert all("upload-" not in e and "/tmp" not in e for e in report["errors"])


def test_uploaded_filename_never_decides_a_path(own_writer: TestClient, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a" / "b").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "a" / "b")
    r = own_writer.post("/api/documents", headers=AUTH,
                    files={"file": ("../../evil.md", b"# Evil\n\ntext", "text/markdown")})
    assert r.status_code == 200 and r.json()["documents"][0]["doc_id"] == "evil"
    assert not list(tmp_path.rglob("evil*"))


@pytest.mark.parametrize("name, data, status, words", [
    ("tool.exe", b"MZ", 415, [".exe"]),
    ("noext", b"text", 415, []),
    ("latin1.md", "# Café\n\ncafé".encode("latin-1"), 400, ["UTF-8", "latin1.md"]),
    ("empty.txt", b"   ", 400, ["empty"]),
    ("bin.txt", b"a\x00b", 400, ["binary"]),
    ("allbad.jsonl", b"{x\n[1]\n", 400, ["line 1", "line 2"]),
])
def test_bad_uploads(writer: TestClient, name: str, data: bytes, status: int, words: list[str]) -> None:
    r = writer.post("/api/documents", files={"file": (name, data, "application/octet-stream")}, headers=AUTH)
    assert_error(r, status, None, *words)


def test_multipart_without_a_file_field(writer: TestClient) -> None:
    r = writer.post("/api/documents", data={"text": "x"}, files={"other": ("a.md", b"# a\n\nb")},
                    headers=AUTH)
    assert_error(r, 422, "invalid_request", "file: is required")
    r = writer.post("/api/documents", data={"title": "x"}, files={"file": ("a.md", b"# a\n\nb")},
                    headers=AUTH)
    assert_error(r, 422, "invalid_request", "title: unknown field")


def test_delete_a_document(own_writer: TestClient) -> None:
    chunks = own_writer.get("/api/documents/expo-info").json()["chunks"]
    r = own_writer.delete("/api/documents/expo-info", headers=AUTH)
    assert r.status_code == 200 and r.json() == {"doc_id": "expo-info", "chunks_removed": chunks}
    assert_error(own_writer.get("/api/documents/expo-info"), 404)
    assert_error(own_writer.delete("/api/documents/expo-info", headers=AUTH), 404, "not_found")
    assert "expo-info" not in {d["doc_id"] for d in own_writer.get("/api/documents").json()}


# -- service -------------------------------------------------------------------------------------------
def test_healthz(client: TestClient, shared_pipe: Pipeline) -> None:
    health = client.get("/healthz").json()
    snap = shared_pipe.snapshot()
    assert health == {"status": "ok", "documents": len(SHIPPED), "chunks": len(snap),
                      "embedding_model": shared_pipe.embedder.model_id, "index_version": str(snap.generation)}


def test_top_k_left_out_means_the_top_k_setting(settings: Settings, shipped_index: Path, tokenizer) -> None:
    import shutil

    from index.embedders.fake import HashEmbedder

    three = settings.replace(top_k=3)
    shutil.copytree(shipped_index, three.index_dir)
    client = TestClient(create_app(Pipeline(three, embedder=HashEmbedder(), tokenizer=tokenizer), three))
    assert len(client.post("/api/ask", json={"question": "展会在哪里举办？"}).json()["sources"]) == 3
    assert len(client.get("/api/search", params={"q": "综保区"}).json()["results"]) == 3
    events = client.post("/api/ask/stream", json={"question": "展会在哪里举办？"}).text
    assert len(json.loads(events.rstrip().rsplit("data: ", 1)[1])["sources"]) == 3
    assert len(client.post("/api/ask", json={"question": "展会在哪里举办？", "top_k": 4}).json()["sources"]) == 4
    assert len(client.get("/api/search", params={"q": "综保区", "top_k": 2}).json()["results"]) == 2


def test_unknown_routes_and_methods_use_the_error_shape(client: TestClient) -> None:
    assert_error(client.get("/api/nope"), 404, "not_found", "/api/nope")
    assert_error(client.get("/v1/nope"), 404, "not_found")
    assert_error(client.get("/api/ask"), 405, "method_not_allowed")
    r = client.put("/api/documents", json={})
    assert_error(r, 405, "method_not_allowed")
    assert r.headers["allow"] == "GET, POST"
    assert client.post("/healthz").headers["allow"] == "GET"


def test_body_over_the_limit_is_413(make_client) -> None:
    client = make_client(max_body_bytes=1000)
    big = {"question": "问" * 600}
    assert_error(client.post("/api/ask", json=big), 413, "too_large", "1000")

    def chunked():
        yield b'{"question": "'
        for _ in range(100):
            yield "问".encode() * 10
        yield b'"}'

    r = client.post("/api/ask", content=chunked(), headers={"Content-Type": "application/json"})
    assert "content-length" not in {k.lower() for k in r.request.headers}
    assert_error(r, 413, "too_large")
    assert client.post("/api/ask", json={"question": "展会在哪？"}).status_code == 200


def test_bad_content_length_is_400(client: TestClient) -> None:
    r = client.post("/api/ask", content=b'{"question": "x"}',
                    headers={"Content-Type": "application/json", "Content-Length": "lots"})
    assert_error(r, 400)


def test_rate_limit(make_client) -> None:
    client = make_client(rate_limit_per_minute=2)
    for _ in range(2):
        assert client.post("/api/ask", json={"question": "展会在哪？"}).status_code == 200
    r = client.post("/api/ask", json={"question": "展会在哪？"})
    assert_error(r, 429, "rate_limited")
    assert 1 <= int(r.headers["retry-after"]) <= 60
    assert_error(client.post("/api/ask/stream", json={"question": "展会在哪？"}), 429)
    assert client.get("/api/search", params={"q": "展会"}).status_code == 200


def test_no_rate_limit_by_default(client: TestClient) -> None:
    for _ in range(30):
        assert client.post("/api/ask", json={"question": "展会在哪？"}).status_code == 200


def test_rate_limiter_window() -> None:
    now = [0.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    assert limiter.check("a") == 0 and limiter.check("a") == 0
    assert limiter.check("a") == 60 and limiter.check("b") == 0
    now[0] = 59.5
    assert limiter.check("a") == 1
    now[0] = 60.0
    assert limiter.check("a") == 0


def test_cors_is_off_by_default_and_on_when_configured(make_client) -> None:
    preflight = {"Origin": "https://expo.example", "Access-Control-Request-Method": "POST"}
    r = make_client().options("/api/ask", headers=preflight)
    assert "access-control-allow-origin" not in r.headers
    cors = make_client(cors_origins=("https://expo.example",))
    r = cors.options("/api/ask", headers=preflight)
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "https://expo.example"
    r = cors.post("/api/ask", json={"question": "展会在哪？"}, headers={"Origin": "https://expo.example"})
    assert r.headers["access-control-allow-origin"] == "https://expo.example"


def test_unexpected_errors_are_a_generic_500(client: TestClient, shared_pipe: Pipeline, monkeypatch,
                                             caplog) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(shared_pipe, "answer", broken)
    with caplog.at_level(logging.ERROR, logger="qa.api"):
        r = client.post("/api/ask", json={"question": "展会在哪？"})
    error = assert_error(r, 500, "internal_error")
    assert "secret" not in r.text and "Traceback" not in r.text and "RuntimeError" not in error["message"]
    assert any("secret internal detail" in (rec.exc_text or "") or rec.exc_info for rec in caplog.records)


def test_openapi_describes_every_route(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    expected = {("/api/ask", "post"), ("/api/ask/stream", "post"), ("/api/search", "get"),
                ("/api/documents", "get"), ("/api/documents", "post"), ("/api/documents/{doc_id}", "get"),
                ("/api/documents/{doc_id}", "delete"), ("/healthz", "get"), ("/v1/chat/completions", "post"),
                ("/v1/models", "get")}
    found = {(p, m) for p, ops in spec["paths"].items() for m in ops}
    assert expected == found
    for path, method in expected:
        responses = spec["paths"][path][method]["responses"]
        assert responses["200"]["content"], (path, method)
        for status in ("413", "422", "500"):
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema["$ref"].endswith("ErrorResponse")
    upload = spec["paths"]["/api/documents"]["post"]["requestBody"]["content"]
    assert set(upload) == {"application/json", "multipart/form-data"}
    assert spec["components"]["schemas"]["AskRequest"]["additionalProperties"] is False


# -- OpenAI-compatible ---------------------------------------------------------------------------------
def chat_body(**extra) -> dict:
    return {"model": "expo-qa", "messages": [
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": "综保区改革一共多少条措施？"}], **extra}


def test_chat_completion(client: TestClient) -> None:
    r = client.post("/v1/chat/completions", json=chat_body(temperature=0.2, max_tokens=200))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["object"] == "chat.completion" and body["model"] == "expo-qa"
    assert body["id"].startswith("chatcmpl-")
    [choice] = body["choices"]
    assert choice["index"] == 0 and choice["finish_reason"] == "stop"
    assert choice["message"]["role"] == "assistant"
    answer = client.post("/api/ask", json={"question": "综保区改革一共多少条措施？"}).json()
    content = choice["message"]["content"]
    assert content.startswith(answer["answer"])
    if answer["citations"]:
        c = answer["citations"][0]
        assert f"\n\n来源：\n[1] {c['title']}" in content
    usage = body["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"] > 0


def test_chat_uses_history_and_content_parts(client: TestClient) -> None:
    messages = [{"role": "user", "content": "中国国际电子商务博览会在哪里举办？"},
                {"role": "assistant", "content": "义乌国际博览中心"},
                {"role": "user", "content": [{"type": "text", "text": "那它什么时候举办？"}]}]
    r = client.post("/v1/chat/completions", json={"model": "expo-qa", "messages": messages})
    assert r.status_code == 200 and r.json()["choices"][0]["message"]["content"]


def test_chat_stream(client: TestClient) -> None:
    with client.stream("POST", "/v1/chat/completions",
                       json=chat_body(stream=True, stream_options={"include_usage": True})) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        events = sse_events("".join(r.iter_text()))
    assert events[-1] == (None, "[DONE]")
    chunks = [json.loads(d) for _, d in events[:-1]]
    assert all(c["object"] == "chat.completion.chunk" and c["model"] == "expo-qa" for c in chunks)
    assert len({c["id"] for c in chunks}) == 1
    with_choices = [c for c in chunks if c["choices"]]
    assert with_choices[0]["choices"][0]["delta"]["role"] == "assistant"
    assert with_choices[-1]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["total_tokens"] > 0
    streamed = "".join(c["choices"][0]["delta"].get("content", "") for c in with_choices)
    whole = client.post("/v1/chat/completions", json=chat_body()).json()
    assert streamed == whole["choices"][0]["message"]["content"]


@pytest.mark.parametrize("body, status, code", [
    (chat_body(model="gpt-4o"), 404, "model_not_found"),
    ({"model": "expo-qa", "messages": [{"role": "system", "content": "hi"}]}, 400, "bad_request"),
    ({"model": "expo-qa", "messages": []}, 422, "invalid_request"),
    ({"model": "expo-qa", "messages": [{"role": "wizard", "content": "hi"}]}, 422, "invalid_request"),
    ({"model": "expo-qa", "messages": [{"role": "user", "content": "   "}]}, 400, "bad_request"),
    ({"messages": [{"role": "user", "content": "hi"}]}, 422, "invalid_request"),
])
def test_chat_errors(client: TestClient, body: dict, status: int, code: str) -> None:
    assert_error(client.post("/v1/chat/completions", json=body), status, code)


def test_models(client: TestClient) -> None:
    body = client.get("/v1/models").json()  # no language model configured: no llm model offered
    assert body["object"] == "list" and [m["id"] for m in body["data"]] == ["expo-qa", "expo-qa-extractive"]


def test_chat_model_or_mode_field_picks_the_answer_mode(client: TestClient) -> None:
    default = client.post("/v1/chat/completions", json=chat_body()).json()
    extractive = client.post("/v1/chat/completions", json=chat_body(model="expo-qa-extractive")).json()
    assert extractive["model"] == "expo-qa-extractive"
    assert extractive["choices"][0]["message"]["content"] == default["choices"][0]["message"]["content"]
    assert client.post("/v1/chat/completions", json=chat_body(mode="extractive")).status_code == 200
    for body in (chat_body(model="expo-qa-llm"), chat_body(mode="llm"), chat_body(mode="llm", stream=True)):
        r = client.post("/v1/chat/completions", json=body)
        assert_error(r, 400, "bad_request")
        assert "QA_LLM_BASE_URL" in r.json()["error"]["message"]
    r = client.post("/v1/chat/completions", json=chat_body(model="expo-qa-extractive", mode="llm"))
    assert_error(r, 400, "bad_request")
    assert "expo-qa-extractive" in r.json()["error"]["message"]
    assert_error(client.post("/v1/chat/completions", json=chat_body(mode="poetry")), 422, "invalid_request")


def test_count_tokens() -> None:
    assert count_tokens("展会 in Yiwu 2023!") == 2 + 3 + 1


# -- the real model ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real_client(real_pipeline, real_settings: Settings) -> TestClient:
    return TestClient(create_app(real_pipeline, real_settings))


@pytest.mark.slow
def test_real_answer_cites_the_measures_document(real_client: TestClient) -> None:
    body = real_client.post("/api/ask", json={"question": "综保区改革一共多少条措施？"}).json()
    assert not body["abstained"]
    assert "customs-ftz-23-measures" in {c["doc_id"] for c in body["citations"]}
    assert "23" in body["answer"]


@pytest.mark.slow
def test_real_search_and_chat(real_client: TestClient) -> None:
    results = real_client.get("/api/search", params={"q": "展会在哪里举办", "top_k": 3}).json()["results"]
    assert "expo-info" in {r["doc_id"] for r in results}
    chat = real_client.post("/v1/chat/completions", json={"model": "expo-qa", "messages": [
        {"role": "user", "content": "综保区改革一共多少条措施？"}]}).json()
    content = chat["choices"][0]["message"]["content"]
    assert "23" in content and "来源：" in content


@pytest.mark.slow
def test_real_off_topic_question_abstains(real_client: TestClient) -> None:
    body = real_client.post("/api/ask", json={"question": "火星上的天气怎么样？"}).json()
    assert body["abstained"] and body["citations"] == []
