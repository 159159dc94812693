"""Serving: build the pipeline once, make sure there is an index, and run the API under uvicorn.

The model and index are loaded before the port opens, so the first request is as fast as the rest and
a broken setup fails at start-up with one clear line instead of on every request.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any, Protocol

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from qa.http.app import create_app, keep_api_paths
from qa.pipeline import Pipeline
from qa.settings import Settings

log = logging.getLogger("qa.server")

_INDEX_PAGE = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>expo-qa</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>expo-qa</h1>
<p>中国国际电子商务博览会资料问答 · Grounded, cited answers over the Expo corpus.</p>
<ul>
<li><a href="/docs">API documentation (/docs)</a></li>
<li><a href="/healthz">/healthz</a></li>
</ul>
<pre>curl -s localhost:PORT/api/ask -H 'Content-Type: application/json' \\
     -d '{"question": "展会在哪里举办？"}'</pre>
</body></html>
"""


Frontend = Callable[[FastAPI, Pipeline, Settings], object]
"""Mounts a front end (the chat UI) at ``/`` of the app; the composition root (``qa.cli.main``) passes one."""


def build_app(pipeline: Pipeline, settings: Settings, port: int | None = None,
              frontend: Frontend | None = None) -> FastAPI:
    """The API plus, at ``/``, the front end if there is one or else a page pointing to ``/docs``."""
    app = create_app(pipeline, settings)
    if frontend is not None:
        frontend(app, pipeline, settings)
        keep_api_paths(app)
        return app
    page = _INDEX_PAGE.replace("PORT", str(port or 8000))

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> str:
        return page

    return app


def uvicorn_options(forwarded_allow_ips: str | None = None) -> dict[str, Any]:
    """How uvicorn runs: its h11 parser with JSON refusals (``qa.http.protocol``), and X-Forwarded-For /
    X-Forwarded-Proto ignored unless trusted proxies are named.

    The client address keys the rate limiter. uvicorn on its own trusts these headers from 127.0.0.1, so
    any local process could pose as any client; here they are honoured only from the addresses in
    ``forwarded_allow_ips`` (a reverse proxy's, e.g. ``127.0.0.1``), and otherwise the address of the
    connection itself is the client.
    """
    from qa.http.protocol import JsonErrorH11Protocol

    trusted = (forwarded_allow_ips or "").strip()
    return {"proxy_headers": bool(trusted), "forwarded_allow_ips": trusted or None, "http": JsonErrorH11Protocol}


class Reporter(Protocol):
    """How start-up reports its steps (``qa.cli.progress.Steps``): a line per step, a bar for counted work."""

    def say(self, message: str) -> None: ...

    def bar(self, desc: str = ..., unit: str = ...) -> Callable[[int, int], None]: ...


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000, frontend: Frontend | None = None,
          reporter: Reporter | None = None) -> int:
    """Run the server until interrupted; returns the process exit status."""
    import uvicorn

    pipeline = Pipeline.from_settings(settings)
    say = reporter.say if reporter else print
    pipeline.load_model(say)
    pipeline.ensure_index(progress=reporter.bar() if reporter else None, say=say)
    pipeline.warm_up()
    app = build_app(pipeline, settings, port, frontend)
    snap = pipeline.snapshot()
    writes = "enabled" if settings.api_key() else f"disabled (set {settings.api_key_env} to enable)"
    print(f"serving {len(snap.docs)} documents ({len(snap)} chunks) with {pipeline.embedder.model_id} "
          f"on http://{host}:{port}  (API docs: /docs; writes {writes})")
    # uvicorn's own variable, read here at the edge like the rest of the process's configuration
    options = uvicorn_options(os.environ.get("FORWARDED_ALLOW_IPS"))
    uvicorn.run(app, host=host, port=port, log_level="info", **options)
    return 0
