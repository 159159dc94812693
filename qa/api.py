"""The HTTP API: translates requests into ``Pipeline`` calls and domain errors into status codes.

``create_app`` receives a built pipeline, so the same object serves the CLI, the UI, eval and HTTP, and
tests can hand it a pipeline with a fake embedder. Every error leaves as ``{"error": {"code", "message"}}``:
domain errors (``QAError``) are mapped to a status in one handler, FastAPI's validation errors are
reworded to name the field, and anything unexpected becomes a generic 500 that is logged, never shown.
Pipeline calls are synchronous and thread-safe for reads, so they run in the threadpool.
"""

import dataclasses
import hmac
import json
import logging
import re
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Annotated

from fastapi import Depends, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import ValidationError
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware

from index.documents import Document
from index.indexer import IndexReport
from index.ingest.loaders import SUPPORTED_SUFFIXES, document_from_dict, load_path, slugify
from qa import schemas as s
from qa.answering.generator import text_pieces
from qa.answering.retriever import Filters
from qa.errors import (
    USER_ERRORS,
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
from qa.http_guard import Guard, RateLimiter, error_response
from qa.limits import MAX_QUESTION_CHARS, MAX_TOP_K
from qa.pipeline import Pipeline
from qa.settings import AnswerMode, Settings
from qa.types import Answer

log = logging.getLogger("qa.api")

_STATUS: dict[type[Exception], int] = {
    BadRequestError: 400, DocumentError: 400, NotFoundError: 404, IndexMissingError: 503,
    IndexMismatchError: 503, ModelError: 503, SettingsError: 500, ConfigError: 500,
}
_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 413: "too_large", 415: "unsupported_media_type"}
_ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
_BLANK = (r"\S", r"[^\s\x00]")


class HTTPRefusal(QAError):
    """A refusal that belongs to HTTP rather than to the pipeline: auth, rate limit, media type."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.headers = status, code, headers or {}


def create_app(pipeline: Pipeline, settings: Settings) -> FastAPI:
    """The FastAPI app serving ``pipeline``; middleware, error handlers and routes all live here."""
    app = FastAPI(title="expo-qa", version="0.1.0", strict_content_type=False,
                  description="Grounded, cited answers over the China International E-commerce Expo corpus.")
    app.state.pipeline, app.state.settings = pipeline, settings
    limiter = RateLimiter(settings.rate_limit_per_minute)
    bearer = HTTPBearer(auto_error=False, description=f"The key in ${settings.api_key_env} on the server.")

    app.add_middleware(Guard, max_body_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
                           allow_headers=["Authorization", "Content-Type"])

    async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, HTTPRefusal):
            return error_response(exc.status, exc.code, str(exc), exc.headers)
        status = next((v for k, v in _STATUS.items() if isinstance(exc, k)), 400)
        return error_response(status, getattr(exc, "code", "error"), str(exc))

    for error_class in USER_ERRORS:
        app.add_exception_handler(error_class, _domain_error)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(*describe_validation(exc.errors(), request.headers.get("content-type")))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = str(exc.detail)
        if message == "There was an error parsing the body":
            message = "the request body could not be read as JSON; send UTF-8 JSON"
        return error_response(exc.status_code, _HTTP_CODES.get(exc.status_code, "error"), message,
                               dict(exc.headers or {}))

    async def rate_limited(request: Request) -> None:
        wait = limiter.check(request.client.host if request.client else "unknown")
        if wait:
            raise HTTPRefusal(429, "rate_limited", f"too many questions: at most {limiter.per_minute} per "
                              f"minute; retry in {wait} s", {"Retry-After": str(wait)})

    def write_key(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> None:
        key = settings.api_key()
        if key is None:
            raise HTTPRefusal(403, "writes_disabled", "writes are disabled on this server: set "
                              f"{settings.api_key_env} in its environment to enable them, then send "
                              "'Authorization: Bearer <key>'")
        if credentials is None:
            raise HTTPRefusal(401, "unauthorized", "this request needs 'Authorization: Bearer <key>'",
                              {"WWW-Authenticate": "Bearer"})
        if not hmac.compare_digest(credentials.credentials.encode(), key.encode()):
            raise HTTPRefusal(401, "unauthorized", "the API key is not valid", {"WWW-Authenticate": "Bearer"})

    def answer(body: s.AskRequest) -> Answer:
        f = body.filters
        filters = Filters(tuple(f.doc_ids), f.date_from, f.date_to) if f else None
        history = [t.model_dump() for t in body.history]
        return pipeline.answer(body.question, history=history, top_k=body.top_k, filters=filters,
                               mode=AnswerMode(body.mode) if body.mode else None)

    @app.post("/api/ask", response_model=s.AskResponse, tags=["ask"], dependencies=[Depends(rate_limited)],
              responses=s.errors(400, 415, 422, 429, 503))
    def ask(body: s.AskRequest) -> dict:
        """Answer a question with verbatim, cited quotes from the corpus (or abstain)."""
        return answer(body).to_dict()

    def llm_events(body: s.AskRequest) -> Iterator[str]:
        """The model's text as it arrives, then the checked answer. Bad input and configuration errors
        are raised here, before the stream starts, so they still get a proper error status."""
        f = body.filters
        items = pipeline.answer_stream(
            body.question, history=[t.model_dump() for t in body.history], top_k=body.top_k,
            filters=Filters(tuple(f.doc_ids), f.date_from, f.date_to) if f else None, mode=AnswerMode.LLM)

        def events() -> Iterator[str]:
            for item in items:
                if isinstance(item, str):
                    yield sse(json.dumps({"text": item}, ensure_ascii=False), "delta")
                else:
                    yield sse(json.dumps(item.to_dict(), ensure_ascii=False), "done")

        return events()

    @app.post("/api/ask/stream", response_class=StreamingResponse, tags=["ask"],
              dependencies=[Depends(rate_limited)],
              responses={200: s.ASK_EVENTS, **s.errors(400, 415, 422, 429, 503)})
    async def ask_stream(body: s.AskRequest) -> StreamingResponse:
        """The same answer as server-sent events: ``delta`` events with answer text, then one ``done``
        event whose data is the full JSON of ``/api/ask``."""
        if AnswerMode(body.mode or settings.answer_mode) is AnswerMode.LLM:
            return event_stream(await run_in_threadpool(llm_events, body))
        result = (await run_in_threadpool(answer, body)).to_dict()

        def events() -> Iterator[str]:
            for piece in text_pieces(result["answer"]):
                yield sse(json.dumps({"text": piece}, ensure_ascii=False), "delta")
            yield sse(json.dumps(result, ensure_ascii=False), "done")

        return event_stream(events())

    @app.get("/api/search", response_model=s.SearchResponse, tags=["ask"], responses=s.errors(400, 422, 503))
    def search(q: Annotated[str, Query(min_length=1, max_length=MAX_QUESTION_CHARS, pattern=r"\S")],
               doc_id: Annotated[list[str], Query(default_factory=list, description="Only these documents")],
               top_k: Annotated[int, Query(ge=1, le=MAX_TOP_K)] = 5,
               date_from: Annotated[s.IsoDate | None, Query()] = None,
               date_to: Annotated[s.IsoDate | None, Query()] = None) -> dict:
        """The chunks retrieval ranks highest for a query, without composing an answer."""
        filters = Filters(tuple(doc_id), date_from, date_to)
        return {"results": [h.to_source() for h in pipeline.search(q, top_k, filters)]}

    @app.get("/api/documents", response_model=list[s.DocumentSummary], tags=["documents"],
             responses=s.errors())
    def list_documents() -> list[dict]:
        """Every indexed document, by id."""
        docs = pipeline.snapshot().docs
        return [{"doc_id": d.id, "title": d.title, "date": d.date, "chunks": d.chunks}
                for _, d in sorted(docs.items())]

    @app.get("/api/documents/{doc_id}", response_model=s.DocumentDetail, tags=["documents"],
             responses=s.errors(404))
    def get_document(doc_id: str) -> dict:
        """One document's metadata and full text (what citation offsets refer to)."""
        info = pipeline.snapshot().docs.get(doc_id)
        if info is None:
            raise NotFoundError(f"no document with id {doc_id!r} in the index")
        return {"doc_id": info.id, "title": info.title, "date": info.date, "chunks": info.chunks,
                "source": info.source, "url": info.url, "text": pipeline.store.document_text(doc_id)}

    @app.post("/api/documents", response_model=s.AddReport, tags=["documents"],
              dependencies=[Depends(write_key)], responses=s.errors(400, 401, 403, 415, 422, 503),
              openapi_extra=s.ADD_DOCUMENT_BODY)
    async def add_document(request: Request) -> dict:
        """Index one document sent as JSON, or an uploaded .md/.txt/.html/.jsonl file (field ``file``)."""
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("multipart/form-data"):
            form = await request.form(max_files=1, max_fields=10)
            upload = form.get("file")
            problems = [{"type": "extra_forbidden", "loc": ("body", key), "msg": "unknown field"}
                        for key in form if key != "file"]
            if not isinstance(upload, UploadFile):
                problems.insert(0, {"type": "missing", "loc": ("body", "file"), "msg": "Field required"})
            if problems:
                raise RequestValidationError(problems)
            data = await upload.read()
            return await run_in_threadpool(add_upload, pipeline, upload.filename or "", data)
        if content_type and not _is_json(content_type):
            raise HTTPRefusal(415, "unsupported_media_type",
                              "send the document as JSON or as a multipart upload in the field 'file'")
        try:
            doc_in = s.DocumentIn.model_validate_json(await request.body())
        except ValidationError as exc:
            raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]) from None
        doc = document_from_dict(doc_in.model_dump(exclude_none=True), "the request body")
        return await run_in_threadpool(add_docs, pipeline, [doc], [])

    @app.delete("/api/documents/{doc_id}", response_model=s.DeleteReport, tags=["documents"],
                dependencies=[Depends(write_key)], responses=s.errors(401, 403, 404))
    def delete_document(doc_id: str) -> dict:
        """Remove a document and its chunks from the index."""
        info = pipeline.snapshot().docs.get(doc_id)
        pipeline.remove_documents([doc_id])
        return {"doc_id": doc_id, "chunks_removed": info.chunks if info else 0}

    @app.get("/healthz", response_model=s.Health, tags=["service"], responses=s.errors())
    def healthz() -> dict:
        """Liveness plus what is being served: corpus size, model and index generation."""
        snap = pipeline.snapshot()
        return {"status": "ok", "documents": len(snap.docs), "chunks": len(snap),
                "embedding_model": pipeline.embedder.model_id, "index_version": str(snap.generation)}

    from qa.openai_compat import add_openai_routes

    add_openai_routes(app, pipeline, settings, rate_limited)

    @app.api_route("/api/{rest:path}", methods=_ALL_METHODS, include_in_schema=False)
    @app.api_route("/v1/{rest:path}", methods=_ALL_METHODS, include_in_schema=False)
    @app.api_route("/healthz", methods=_ALL_METHODS, include_in_schema=False)
    def no_route(request: Request) -> None:
        """404 or 405 in the API's error shape for API paths, which would otherwise fall through to an
        app mounted at ``/`` (the chat UI) and get its errors; the 405 names every allowed method."""
        path = request.scope["path"]
        allowed = {m for r in app.router.routes if getattr(r, "name", "") != "no_route"
                   and getattr(r, "methods", None) and r.path_regex.match(path) for m in r.methods}
        if allowed:
            raise StarletteHTTPException(405, "method not allowed", {"Allow": ", ".join(sorted(allowed))})
        raise StarletteHTTPException(404, f"no such endpoint: {path}")

    return app


def _is_json(content_type: str) -> bool:
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
            and content_type and not _is_json(content_type)):
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


def sse(data: str, event: str | None = None) -> str:
    return (f"event: {event}\n" if event else "") + f"data: {data}\n\n"


def event_stream(events: Iterator[str]) -> StreamingResponse:
    return StreamingResponse(events, media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def add_docs(pipeline: Pipeline, docs: list[Document], load_errors: list[str]) -> dict:
    report: IndexReport = pipeline.add_documents(docs)
    infos = pipeline.snapshot().docs
    return {
        "documents": [{"doc_id": d.id, "title": d.title, "chunks": infos[d.id].chunks if d.id in infos else 0}
                      for d in docs],
        "added": report.added, "updated": report.updated, "unchanged": report.unchanged,
        "chunks_embedded": report.chunks_embedded, "chunks_reused": report.chunks_reused,
        "errors": load_errors + [str(e) for e in report.errors],
    }


def add_upload(pipeline: Pipeline, filename: str, data: bytes) -> dict:
    """Index an uploaded file through the same loaders as ``qa index``.

    The bytes go to a fresh temp directory under a generated name that keeps only the suffix, so the
    client's filename never decides where anything is written; it only names the documents (as a slug,
    the way ``qa index`` names a file's documents) and the file in error messages.
    """
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise HTTPRefusal(415, "unsupported_media_type", f"cannot index a {suffix or 'suffix-less'} file; "
                          f"upload one of: {' '.join(sorted(SUPPORTED_SUFFIXES))}")
    stem = slugify(PurePosixPath(filename.replace("\\", "/")).stem)
    token = f"upload-{secrets.token_hex(8)}"
    with tempfile.TemporaryDirectory(prefix="expo-qa-upload-") as tmp:
        path = Path(tmp) / f"{token}{suffix}"
        path.write_bytes(data)
        docs, failures = load_path(path)
    shown = f"{stem}{suffix}"
    messages = [str(e).replace(str(path), shown) for e in failures]
    docs = [_rename_upload(d, token, stem, shown) for d in docs]
    if not docs:
        more = f" (and {len(messages) - 5} more)" if len(messages) > 5 else ""
        raise DocumentError("; ".join(messages[:5]) + more if messages else f"{shown}: no documents found")
    return add_docs(pipeline, docs, messages)


def _rename_upload(doc: Document, token: str, stem: str, shown: str) -> Document:
    """Ids the loader derived from the temp name become ids derived from the uploaded name."""
    doc_id = doc.id
    if doc_id == token or doc_id.startswith(token + "-"):
        doc_id = stem + doc_id[len(token):]
    return dataclasses.replace(doc, id=doc_id, meta={**doc.meta, "path": shown, "origin": shown})
