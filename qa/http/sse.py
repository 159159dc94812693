"""Server-sent events: how the streaming routes frame what they send."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi.responses import StreamingResponse


def sse(data: str, event: str | None = None) -> str:
    """One event: an optional ``event:`` line, the ``data:`` line, a blank line."""
    return (f"event: {event}\n" if event else "") + f"data: {data}\n\n"


def event_stream(events: Iterator[str]) -> StreamingResponse:
    """A ``text/event-stream`` response that proxies must not buffer or cache."""
    return StreamingResponse(events, media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
