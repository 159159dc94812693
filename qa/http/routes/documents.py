"""The documents: list, read, add (JSON or an uploaded file) and delete.

Adding and deleting need the API key (``write_key``); reading does not.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from index.ingest.loaders import document_from_dict
from qa.errors import NotFoundError
from qa.http import schemas as s
from qa.http.deps import PipelineDep, write_key
from qa.http.errors import HTTPRefusal, is_json
from qa.http.uploads import add_docs, add_upload

router = APIRouter(tags=["documents"])


@router.get("/api/documents", response_model=list[s.DocumentSummary], responses=s.errors())
def list_documents(pipeline: PipelineDep) -> list[dict]:
    """Every indexed document, by id."""
    docs = pipeline.snapshot().docs
    return [{"doc_id": d.id, "title": d.title, "date": d.date, "chunks": d.chunks}
            for _, d in sorted(docs.items())]


@router.get("/api/documents/{doc_id}", response_model=s.DocumentDetail, responses=s.errors(404))
def get_document(doc_id: str, pipeline: PipelineDep) -> dict:
    """One document's metadata and full text (what citation offsets refer to)."""
    info = pipeline.snapshot().docs.get(doc_id)
    if info is None:
        raise NotFoundError(f"no document with id {doc_id!r} in the index")
    return {"doc_id": info.id, "title": info.title, "date": info.date, "chunks": info.chunks,
            "source": info.source, "url": info.url, "text": pipeline.store.document_text(doc_id)}


@router.post("/api/documents", response_model=s.AddReport, dependencies=[Depends(write_key)],
             responses=s.errors(400, 401, 403, 415, 422, 503), openapi_extra=s.ADD_DOCUMENT_BODY)
async def add_document(request: Request, pipeline: PipelineDep) -> dict:
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
    if content_type and not is_json(content_type):
        raise HTTPRefusal(415, "unsupported_media_type",
                          "send the document as JSON or as a multipart upload in the field 'file'")
    try:
        doc_in = s.DocumentIn.model_validate_json(await request.body())
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]) from None
    doc = document_from_dict(doc_in.model_dump(exclude_none=True), "the request body")
    return await run_in_threadpool(add_docs, pipeline, [doc], [])


@router.delete("/api/documents/{doc_id}", response_model=s.DeleteReport, dependencies=[Depends(write_key)],
               responses=s.errors(401, 403, 404))
def delete_document(doc_id: str, pipeline: PipelineDep) -> dict:
    """Remove a document and its chunks from the index."""
    info = pipeline.snapshot().docs.get(doc_id)
    pipeline.remove_documents([doc_id])
    return {"doc_id": doc_id, "chunks_removed": info.chunks if info else 0}
