"""The HTTP API: an app factory that includes one router per area around the pipeline it is given.

``create_app`` receives a built pipeline, so the same object serves the CLI, the UI, eval and HTTP, and
tests can hand it a pipeline with a fake embedder. The routes only translate HTTP: ``routes.ask``
(asking and search), ``routes.documents``, ``routes.openai_compat`` and ``routes.service``; errors
leave in one JSON shape, mapped in ``errors``; ``guards`` caps bodies and turns the unexpected into a
logged 500. Pipeline calls are synchronous and thread-safe for reads, so they run in the threadpool.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Match, Mount
from starlette.types import Scope

from qa.http.errors import install_error_handlers
from qa.http.guards import Guard, RateLimiter
from qa.http.routes import ask, documents, openai_compat, service
from qa.pipeline import Pipeline
from qa.settings import Settings

API_PREFIXES = ("/api/", "/v1/")
API_PATHS = ("/healthz",)


def create_app(pipeline: Pipeline, settings: Settings) -> FastAPI:
    """The FastAPI app serving ``pipeline``: state, middleware, error handlers and the routers."""
    app = FastAPI(title="expo-qa", version="0.1.0", strict_content_type=False,
                  description="Grounded, cited answers over the China International E-commerce Expo corpus.")
    app.state.pipeline, app.state.settings = pipeline, settings
    app.state.limiter = RateLimiter(settings.rate_limit_per_minute)
    app.add_middleware(Guard, max_body_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
                           allow_headers=["Authorization", "Content-Type"])
    install_error_handlers(app)
    app.state.routers = [ask.router, documents.router, service.router, openai_compat.router]
    for router in app.state.routers:
        app.include_router(router)
    return app


def is_api_path(path: str) -> bool:
    return path in API_PATHS or path.startswith(API_PREFIXES)


class _FrontendMount(Mount):
    """A front end mounted at ``/`` that leaves the API's paths alone, so an unknown API path or method
    gets the API's own 404 or 405 (from ``errors``) rather than the front end's page."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if is_api_path(scope.get("path", "")):
            return Match.NONE, {}
        return super().matches(scope)


def keep_api_paths(app: FastAPI) -> None:
    """Call after mounting a front end at ``/`` (the chat UI): API paths stay with the API."""
    routes = app.router.routes
    for i, route in enumerate(routes):
        if isinstance(route, Mount) and route.path == "" and not isinstance(route, _FrontendMount):
            routes[i] = _FrontendMount("/", app=route.app, name=route.name)
