"""Asking: ``POST /api/ask``, its streamed twin ``/api/ask/stream``, and ``GET /api/search``.

A ``top_k`` left out means the server's ``top_k`` setting (``QA_TOP_K``): the pipeline resolves it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from qa.answering.generator import text_pieces
from qa.answering.retriever import Filters
from qa.http import schemas as s
from qa.http.deps import PipelineDep, SettingsDep, rate_limited
from qa.http.sse import event_stream, sse
from qa.limits import MAX_QUESTION_CHARS, MAX_TOP_K
from qa.pipeline import Pipeline
from qa.settings import AnswerMode
from qa.types import Answer

router = APIRouter(tags=["ask"])


def _filters(body: s.AskRequest) -> Filters | None:
    f = body.filters
    return Filters(tuple(f.doc_ids), f.date_from, f.date_to) if f else None


def answer(pipeline: Pipeline, body: s.AskRequest) -> Answer:
    history = [t.model_dump() for t in body.history]
    return pipeline.answer(body.question, history=history, top_k=body.top_k, filters=_filters(body),
                           mode=AnswerMode(body.mode) if body.mode else None)


def llm_events(pipeline: Pipeline, body: s.AskRequest) -> Iterator[str]:
    """The model's text as it arrives, then the checked answer. Bad input and configuration errors
    are raised here, before the stream starts, so they still get a proper error status."""
    items = pipeline.answer_stream(body.question, history=[t.model_dump() for t in body.history],
                                   top_k=body.top_k, filters=_filters(body), mode=AnswerMode.LLM)

    def events() -> Iterator[str]:
        for item in items:
            if isinstance(item, str):
                yield sse(json.dumps({"text": item}, ensure_ascii=False), "delta")
            else:
                yield sse(json.dumps(item.to_dict(), ensure_ascii=False), "done")

    return events()


@router.post("/api/ask", response_model=s.AskResponse, dependencies=[Depends(rate_limited)],
             responses=s.errors(400, 415, 422, 429, 503))
def ask(body: s.AskRequest, pipeline: PipelineDep) -> dict:
    """Answer a question with verbatim, cited quotes from the corpus (or abstain)."""
    return answer(pipeline, body).to_dict()


@router.post("/api/ask/stream", response_class=StreamingResponse, dependencies=[Depends(rate_limited)],
             responses={200: s.ASK_EVENTS, **s.errors(400, 415, 422, 429, 503)})
async def ask_stream(body: s.AskRequest, pipeline: PipelineDep, settings: SettingsDep) -> StreamingResponse:
    """The same answer as server-sent events: ``delta`` events with answer text, then one ``done``
    event whose data is the full JSON of ``/api/ask``."""
    if AnswerMode(body.mode or settings.answer_mode) is AnswerMode.LLM:
        return event_stream(await run_in_threadpool(llm_events, pipeline, body))
    result = (await run_in_threadpool(answer, pipeline, body)).to_dict()

    def events() -> Iterator[str]:
        for piece in text_pieces(result["answer"]):
            yield sse(json.dumps({"text": piece}, ensure_ascii=False), "delta")
        yield sse(json.dumps(result, ensure_ascii=False), "done")

    return event_stream(events())


@router.get("/api/search", response_model=s.SearchResponse, responses=s.errors(400, 422, 503))
def search(pipeline: PipelineDep,
           q: Annotated[str, Query(min_length=1, max_length=MAX_QUESTION_CHARS, pattern=r"\S")],
           doc_id: Annotated[list[str], Query(default_factory=list, description="Only these documents")],
           top_k: Annotated[int | None, Query(ge=1, le=MAX_TOP_K, description=s.TOP_K_HELP)] = None,
           date_from: Annotated[s.IsoDate | None, Query()] = None,
           date_to: Annotated[s.IsoDate | None, Query()] = None) -> dict:
    """The chunks retrieval ranks highest for a query, without composing an answer."""
    filters = Filters(tuple(doc_id), date_from, date_to)
    return {"results": [h.to_source() for h in pipeline.search(q, top_k, filters)]}
