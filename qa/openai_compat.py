"""An OpenAI-compatible face for the bot: ``/v1/chat/completions`` and ``/v1/models``.

Chat front-ends and SDKs that speak OpenAI's format can use expo-qa unchanged. The last user message is
the question and earlier user/assistant turns are the history (system prompts are ignored: nothing is
generated, so there is nothing to instruct). Sources follow the answer in the message text, because
that is the only place a plain chat client shows them.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.concurrency import run_in_threadpool

from qa import schemas as s
from qa.api import HTTPRefusal, answer_pieces, event_stream, sse
from qa.composer import is_english
from qa.errors import BadRequestError
from qa.pipeline import Pipeline
from qa.settings import Settings
from qa.types import Answer

MODEL_ID = "expo-qa"
_CREATED = int(time.time())
_TOKEN = re.compile(r"[\u3400-\u9fff]|[A-Za-z0-9]+|[^\sA-Za-z0-9\u3400-\u9fff]")


def add_openai_routes(app: FastAPI, pipeline: Pipeline, settings: Settings, rate_limited: Callable) -> None:
    """Register the routes on ``app``, sharing its pipeline, error handling and rate limit."""

    def reply(body: s.ChatRequest) -> tuple[str, str]:
        if body.model != MODEL_ID:
            raise HTTPRefusal(404, "model_not_found", f"unknown model {body.model!r}; this server serves "
                              f"{MODEL_ID!r}")
        users = [i for i, m in enumerate(body.messages) if m.role == "user"]
        if not users:
            raise BadRequestError("messages must contain at least one message with role 'user'")
        last = users[-1]
        question = body.messages[last].text()
        earlier = [(i, m.role, m.text()) for i, m in enumerate(body.messages[:last])
                   if m.role in ("user", "assistant")][-s.MAX_HISTORY_TURNS:]
        for i, _, text in earlier:
            if len(text) > s.MAX_TURN_CHARS:
                raise BadRequestError(f"messages[{i}] is {len(text)} characters long; earlier user and "
                                      f"assistant messages may have at most {s.MAX_TURN_CHARS}")
        history = [{"role": role, "content": text} for _, role, text in earlier]
        answer = pipeline.answer(question, history=history, top_k=settings.top_k)
        prompt = "".join(m.text() for m in body.messages[: last + 1])
        return prompt, render(question, answer)

    @app.post("/v1/chat/completions", response_model=s.ChatCompletion, tags=["openai"],
              dependencies=[Depends(rate_limited)],
              responses={200: s.CHAT_EVENTS, **s.errors(400, 404, 415, 422, 429, 503)})
    async def chat_completions(body: s.ChatRequest) -> Any:
        """OpenAI chat completion: the cited answer to the last user message, sources listed after it."""
        prompt, content = await run_in_threadpool(reply, body)
        completion_id = f"chatcmpl-{uuid.uuid4().hex}"
        created = int(time.time())
        usage = {"prompt_tokens": count_tokens(prompt), "completion_tokens": count_tokens(content)}
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        if not body.stream:
            return {"id": completion_id, "object": "chat.completion", "created": created, "model": MODEL_ID,
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                                 "finish_reason": "stop"}],
                    "usage": usage}
        include_usage = bool(body.stream_options and body.stream_options.include_usage)

        def chunk(delta: dict, finish: str | None = None, **extra: Any) -> str:
            choices = [{"index": 0, "delta": delta, "finish_reason": finish}]
            payload = {"id": completion_id, "object": "chat.completion.chunk", "created": created,
                       "model": MODEL_ID, "choices": choices, **extra}
            return sse(json.dumps(payload, ensure_ascii=False))

        def events() -> Iterator[str]:
            yield chunk({"role": "assistant", "content": ""})
            for piece in answer_pieces(content):
                yield chunk({"content": piece})
            yield chunk({}, "stop")
            if include_usage:
                payload = {"id": completion_id, "object": "chat.completion.chunk", "created": created,
                           "model": MODEL_ID, "choices": [], "usage": usage}
                yield sse(json.dumps(payload, ensure_ascii=False))
            yield sse("[DONE]")

        return event_stream(events())

    @app.get("/v1/models", response_model=s.ModelList, tags=["openai"], responses=s.errors())
    def models() -> dict:
        """The one model this server offers."""
        return {"object": "list",
                "data": [{"id": MODEL_ID, "object": "model", "created": _CREATED, "owned_by": "expo-qa"}]}


def render(question: str, answer: Answer) -> str:
    """The answer text followed by its numbered sources, in the question's language."""
    english = is_english(question)
    text = answer.answer
    if answer.citations:
        lines = [f"[{c.n}] {c.title}" + (f" ({c.date})" if c.date else "") for c in answer.citations]
        text += ("\n\nSources:\n" if english else "\n\n来源：\n") + "\n".join(lines)
    elif answer.suggestions:
        text += ("\n\nRelated documents: " if english else "\n\n相关文档：") + "；".join(answer.suggestions)
    return text


def count_tokens(text: str) -> int:
    """An estimate for ``usage``: one token per CJK character, word, number or punctuation mark."""
    return len(_TOKEN.findall(text))
