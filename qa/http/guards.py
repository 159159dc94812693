"""Guards in front of every request: the body-size limit, the last-resort 500, and the rate limiter.

They sit outside FastAPI's routing (ASGI middleware), so a body over the limit is refused before it is
read whole, with or without a Content-Length header, and an unexpected exception still leaves in the API's
JSON error shape.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque

from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qa.http import schemas as s

log = logging.getLogger("qa.api")


def error_response(status: int, code: str, message: str,
                    headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(s.error_body(code, message), status_code=status, headers=headers)



class RateLimiter:
    """At most ``per_minute`` requests per client in any sliding 60-second window (0: unlimited).

    Kept in memory per process: it protects one server from one noisy client, not a fleet.
    """

    def __init__(self, per_minute: int, clock=time.monotonic) -> None:
        self.per_minute, self.clock = per_minute, clock
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, client: str) -> int:
        """0 when the request may go ahead (and is counted), else the seconds to wait."""
        if self.per_minute <= 0:
            return 0
        now = self.clock()
        with self._lock:
            if len(self._seen) > 10_000:  # forget idle clients so the table cannot grow without bound
                self._seen = {k: v for k, v in self._seen.items() if v and now - v[-1] < 60}
            times = self._seen.setdefault(client, deque())
            while times and now - times[0] >= 60:
                times.popleft()
            if len(times) >= self.per_minute:
                return max(1, math.ceil(60 - (now - times[0])))
            times.append(now)
            return 0


class Guard:
    """Outermost layer: caps request bodies and turns an unexpected exception into a generic 500.

    The body is read here, counting bytes, before any route sees it: a Content-Length over the limit is
    refused at once, and a body sent without one (chunked) is refused as soon as it grows past it.
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app, self.max_body_bytes = app, max_body_bytes

    def _too_large(self) -> JSONResponse:
        return error_response(413, "too_large", f"the request body is larger than the limit of "
                               f"{self.max_body_bytes} bytes")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and not declared.strip().isdigit():
            await error_response(400, "bad_request", "invalid Content-Length header")(scope, receive, send)
            return
        if declared is not None and int(declared) > self.max_body_bytes:
            await self._too_large()(scope, receive, send)
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_body_bytes:
                await self._too_large()(scope, receive, send)
                return
            more = message.get("more_body", False)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        started = False

        async def send_tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, replay, send_tracking)
        except Exception:
            log.exception("unexpected error in %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            await error_response(500, "internal_error", "internal server error; the server log has "
                                  "the details")(scope, receive, send)
