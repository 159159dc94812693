"""Requests the HTTP parser refuses before the app sees them, sent byte for byte over a raw socket to a
real uvicorn running the server's options: each gets a 400 in the API's JSON error shape."""

from __future__ import annotations

import json
import socket

import pytest

from qa.http.app import create_app
from qa.http.protocol import BAD_REQUEST_LINE, JsonErrorH11Protocol
from qa.http.server import uvicorn_options
from tests.qa.http.test_reliability import live_server


def _raw(url: str, request_line: bytes) -> tuple[bytes, dict[str, str], bytes]:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(request_line + b"\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines)}
    return status.encode(), headers, body


@pytest.fixture(scope="module")
def server(shared_pipe):
    with live_server(create_app(shared_pipe, shared_pipe.settings), log_level="warning", **uvicorn_options()) as url:
        yield url


def test_the_server_runs_h11_with_json_refusals() -> None:
    assert uvicorn_options()["http"] is JsonErrorH11Protocol


@pytest.mark.parametrize("line", [
    "GET /api/search?q=综保区&top_k=3 HTTP/1.1".encode(),   # what curl sends for a pasted URL with Chinese
    "GET /api/documents/展会 HTTP/1.1".encode(),
    b"GET /api/search?q=a b HTTP/1.1",
    b"GET /api/search?q=\xff\xfe HTTP/1.1",
    b"GARBAGE",
])
def test_a_malformed_request_line_gets_the_json_error_shape(server: str, line: bytes) -> None:
    status, headers, body = _raw(server, line)
    assert status.startswith(b"HTTP/1.1 400")
    assert headers["content-type"] == "application/json"
    assert json.loads(body) == {"error": {"code": "bad_request", "message": BAD_REQUEST_LINE}}


def test_the_same_search_percent_encoded_is_answered(server: str) -> None:
    status, _, body = _raw(server, b"GET /api/search?q=%E7%BB%BC%E4%BF%9D%E5%8C%BA&top_k=3 HTTP/1.1")
    assert status.startswith(b"HTTP/1.1 200")
    assert len(json.loads(body)["results"]) == 3
