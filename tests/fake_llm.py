"""A fake OpenAI-compatible chat server for tests: scripted replies, no language model.

No model can run in the test environment, and what the tests check is our side of the wire anyway: the
request we send (messages, Bearer header, ``stream``), and what we make of each kind of reply — cited or
uncited text, a stream, a stall, a 500, malformed JSON. Each test queues the replies it needs; the server
records every request it received so the test can read the prompt back.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """One scripted reply. ``raw`` replaces the body outright (for malformed JSON); ``chunks`` are the
    stream's content deltas (default: ``content`` cut into pieces of three characters), and a chunk
    given as bytes is written to the stream as it is (for a malformed event)."""

    content: str = ""
    status: int = 200
    delay_s: float = 0.0
    raw: bytes | None = None
    chunks: list[str | bytes] | None = None


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict]:
        return self.body.get("messages", [])


@dataclass
class FakeLLM:
    """Start with ``start()``; ``base_url`` is what ``llm_base_url`` should be set to."""

    replies: list[Reply] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def script(self, *replies: Reply | str) -> None:
        with self._lock:
            self.replies.extend(r if isinstance(r, Reply) else Reply(r) for r in replies)

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the fake first"
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def start(self) -> FakeLLM:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                with fake._lock:
                    fake.received.append(Received(self.path, dict(self.headers), body))
                    reply = fake.replies.pop(0) if fake.replies else Reply(status=500, raw=b'{"error": "unscripted"}')
                if reply.delay_s and fake._stop.wait(reply.delay_s):
                    return
                try:
                    if reply.raw is not None or reply.status >= 400 or not body.get("stream"):
                        self._send_json(reply, body)
                    else:
                        self._send_stream(reply, body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting, as a timeout test means it to

            def _send_json(self, reply: Reply, body: dict) -> None:
                data = reply.raw if reply.raw is not None else json.dumps({
                    "id": "chatcmpl-fake", "object": "chat.completion", "model": body.get("model"),
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": reply.content},
                                 "finish_reason": "stop"}]}, ensure_ascii=False).encode()
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _send_stream(self, reply: Reply, body: dict) -> None:
                chunks = reply.chunks if reply.chunks is not None else [
                    reply.content[i:i + 3] for i in range(0, len(reply.content), 3)]
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                first = {"choices": [{"index": 0, "delta": {"role": "assistant"}, "finish_reason": None}]}
                for c in [first, *chunks]:
                    if isinstance(c, str):
                        c = {"choices": [{"index": 0, "delta": {"content": c}, "finish_reason": None}]}
                    if isinstance(c, dict):
                        c = f"data: {json.dumps(c, ensure_ascii=False)}\n\n".encode()
                    self.wfile.write(c)
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
