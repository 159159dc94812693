"""The HTTP/1.1 parser the server runs, chosen deliberately: uvicorn's h11, with its one plain-text
reply replaced by the API's JSON error.

A request whose request line is not valid HTTP (raw UTF-8 in the URL, as ``curl 'http://…?q=综保区'``
sends it; spaces; garbage) never reaches the app: the parser refuses it. Both of uvicorn's parsers do,
checked with a raw socket (``tests/qa/http/test_raw_requests.py``): h11 and httptools 0.9 alike answer
``400 Invalid HTTP request received.`` in plain text, and httptools also refuses ``HTTP/9.9``. h11 is
pure Python, already a dependency of uvicorn, and lets the refusal be rewritten here, so it is the one
we run, named explicitly instead of left to uvicorn's "auto" (which would switch to httptools whenever
it happens to be installed). The refusal gets ``{"error": {"code", "message"}}`` like every other error,
with a message that says how to send non-ASCII text in a URL.
"""

from __future__ import annotations

import json

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

BAD_REQUEST_LINE = ("the request line is not valid HTTP: a URL may contain only ASCII characters, so "
                    "percent-encode the rest (curl -G URL --data-urlencode 'q=综保区' does it)")


class JsonErrorH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, answering requests it cannot parse in the API's JSON error shape."""

    def send_400_response(self, msg: str) -> None:
        body = json.dumps({"error": {"code": "bad_request", "message": BAD_REQUEST_LINE}},
                          ensure_ascii=False).encode("utf-8")
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                   (b"connection", b"close")]
        self.transport.write(self.conn.send(h11.Response(status_code=400, headers=headers, reason=b"Bad Request")))
        self.transport.write(self.conn.send(h11.Data(data=body)))
        self.transport.write(self.conn.send(h11.EndOfMessage()))
        self.transport.close()
