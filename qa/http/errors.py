"""Every error leaves the API as ``{"error": {"code", "message"}}``, with its status decided here.

Domain errors (``qa.errors`` and the index errors it re-exports) map to a status in one handler;
FastAPI's validation errors are reworded to name the field; Starlette's own 404 and 405 (no route, or a
route without that method) get the API's shape, and a 405 names every method the path allows.
"""

from __future__ import annotations

import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from qa.errors import (
    USER_ERRORS,
    BackendError,
    BadRequestError,
    ConfigError,
    DocumentError,
    IndexMismatchError,
    IndexMissingError,
    ModelError,
    NotFoundError,
    QAError,
    SettingsError,
)
from qa.http.guards import error_response

STATUS: dict[type[Exception], int] = {
    BadRequestError: 400, DocumentError: 400, NotFoundError: 404, IndexMissingError: 503,
    IndexMismatchError: 503, ModelError: 503, BackendError: 503, SettingsError: 500, ConfigError: 500,
}
_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 413: "too_large", 415: "unsupported_media_type"}
_BLANK = (r"\S", r"[^\s\x00]")


class HTTPRefusal(QAError):
    """A refusal that belongs to HTTP rather than to the pipeline: auth, rate limit, media type."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.headers = status, code, headers or {}


def install_error_handlers(app: FastAPI) -> None:
    for error_class in USER_ERRORS:
        app.add_exception_handler(error_class, domain_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(StarletteHTTPException, http_error)


async def domain_error(request: Request, exc: Exception) -> JSONResponse:
    """The one place where a domain error becomes a status code."""
    if isinstance(exc, HTTPRefusal):
        return error_response(exc.status, exc.code, str(exc), exc.headers)
    status = next((v for k, v in STATUS.items() if isinstance(exc, k)), 400)
    return error_response(status, getattr(exc, "code", "error"), str(exc))


async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
    return error_response(*describe_validation(exc.errors(), request.headers.get("content-type")))


async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    """Starlette's own errors: an unparsable body, no such route (404), no such method (405)."""
    message, headers = str(exc.detail), dict(exc.headers or {})
    path = request.scope["path"]
    if message == "There was an error parsing the body":
        message = "the request body could not be read as JSON; send UTF-8 JSON"
    elif exc.status_code == 404 and message == "Not Found":
        message = f"no such endpoint: {path}"
    elif exc.status_code == 405:
        message = "method not allowed"
        headers["Allow"] = ", ".join(sorted(allowed_methods(request.app, path)))
    return error_response(exc.status_code, _HTTP_CODES.get(exc.status_code, "error"), message, headers)


def allowed_methods(app: FastAPI, path: str) -> set[str]:
    """Every method some route serves at ``path`` (Starlette's 405 names only the first route's): the
    app's own routes and those of the routers ``create_app`` included (listed in ``app.state.routers``)."""
    routes = [*app.router.routes, *(r for router in getattr(app.state, "routers", ()) for r in router.routes)]
    return {m for r in routes if getattr(r, "methods", None) and r.path_regex.match(path) for m in r.methods}


def is_json(content_type: str) -> bool:
    mime = content_type.split(";", 1)[0].strip().lower()
    return mime == "application/json" or (mime.startswith("application/") and mime.endswith("+json"))


def describe_validation(errs: list[dict], content_type: str | None) -> tuple[int, str, str]:
    """(status, code, message) for FastAPI's validation errors, naming the field in plain words."""
    first = errs[0] if errs else {"loc": ("body",), "msg": "invalid request", "type": ""}
    if first["type"] == "json_invalid":
        problem = str((first.get("ctx") or {}).get("error", "invalid JSON")).removesuffix(" at")
        where = f" at character {first['loc'][-1]}" if isinstance(first["loc"][-1], int) else ""
        return 400, "invalid_json", f"the request body is not valid JSON: {problem}{where}"
    if (tuple(first["loc"]) == ("body",) and first["type"] in ("model_attributes_type", "dict_type")
            and content_type and not is_json(content_type)):
        return 415, "unsupported_media_type", "send the body as JSON with 'Content-Type: application/json'"
    parts = []
    for e in errs[:3]:
        loc = [str(x) for x in e["loc"]]
        place, path = (loc[0], loc[1:]) if loc and loc[0] in ("body", "query", "path") else ("", loc)
        name = re.sub(r"\.(\d+)(?=\.|$)", r"[\1]", ".".join(path))
        name = name or ("the request body" if place == "body" else place)
        message = e["msg"].removeprefix("Value error, ")
        if e["type"] == "extra_forbidden":
            message = "unknown field"
        elif e["type"] == "string_pattern_mismatch" and (e.get("ctx") or {}).get("pattern") in _BLANK:
            message = "must not be empty or only spaces"
        elif e["type"] == "missing":
            message = "is required"
        parts.append(f"{name}: {message}")
    more = f" (and {len(errs) - 3} more)" if len(errs) > 3 else ""
    return 422, "invalid_request", "; ".join(parts) + more
