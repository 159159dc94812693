"""An OpenAI-compatible face for the bot: ``/v1/chat/completions`` and ``/v1/models``.

Chat front-ends and SDKs that speak OpenAI's format can use expo-qa unchanged. The last user message is
the question and earlier user/assistant turns are the history (system prompts are ignored: the bot's
own prompt decides how answers are written). Sources follow the answer in the message text, because
that is the only place a plain chat client shows them.

The model name picks the answer mode, because it is the one field every client lets a user set:
``expo-qa`` answers in the server's default mode, ``expo-qa-extractive`` with verbatim quotes and
``expo-qa-llm`` through the configured language model. A ``mode`` field ("extractive" | "llm", as in
``/api/ask``) does the same for clients that can send extra fields. In llm mode a stream carries the
model's text as it is written.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool

from qa.answering.composer import is_english
from qa.errors import BadRequestError
from qa.http import schemas as s
from qa.http.deps import PipelineDep, SettingsDep, rate_limited
from qa.http.errors import HTTPRefusal
from qa.http.sse import event_stream, sse
from qa.limits import MAX_HISTORY_TURNS, MAX_TURN_CHARS
from qa.pipeline import Pipeline
from qa.settings import AnswerMode, Settings
from qa.types import Answer

MODEL_ID = "expo-qa"
MODEL_MODES = {MODEL_ID: None, f"{MODEL_ID}-extractive": AnswerMode.EXTRACTIVE, f"{MODEL_ID}-llm": AnswerMode.LLM}
_CREATED = int(time.time())
_TOKEN = re.compile(r"[\u3400-\u9fff]|[A-Za-z0-9]+|[^\sA-Za-z0-9\u3400-\u9fff]")

router = APIRouter(tags=["openai"])


def offered(settings: Settings) -> list[str]:
    """The model names this server answers to: llm mode only when a language model is configured."""
    return [m for m, mode in MODEL_MODES.items() if mode is not AnswerMode.LLM or settings.llm_base_url]


def parse(body: s.ChatRequest, settings: Settings) -> tuple[str, list[dict], AnswerMode | None, str]:
    """The question, the history, the answer mode and the prompt text (for ``usage``)."""
    if body.model not in MODEL_MODES:
        raise HTTPRefusal(404, "model_not_found", f"unknown model {body.model!r}; this server serves "
                          f"{', '.join(map(repr, offered(settings)))}")
    mode = MODEL_MODES[body.model]
    if body.mode is not None:
        asked = AnswerMode(body.mode)
        if mode is not None and asked is not mode:
            raise BadRequestError(f"model {body.model!r} answers in {mode.value} mode but mode "
                                  f"{body.mode!r} was asked; use model {MODEL_ID!r} with a mode, or leave "
                                  "mode out")
        mode = asked
    users = [i for i, m in enumerate(body.messages) if m.role == "user"]
    if not users:
        raise BadRequestError("messages must contain at least one message with role 'user'")
    last = users[-1]
    question = body.messages[last].text()
    earlier = [(i, m.role, m.text()) for i, m in enumerate(body.messages[:last])
               if m.role in ("user", "assistant")][-MAX_HISTORY_TURNS:]
    for i, _, text in earlier:
        if len(text) > MAX_TURN_CHARS:
            raise BadRequestError(f"messages[{i}] is {len(text)} characters long; earlier user and "
                                  f"assistant messages may have at most {MAX_TURN_CHARS}")
    history = [{"role": role, "content": text} for _, role, text in earlier]
    prompt = "".join(m.text() for m in body.messages[: last + 1])
    return question, history, mode, prompt


def reply(pipeline: Pipeline, settings: Settings, body: s.ChatRequest) -> tuple[str, str]:
    question, history, mode, prompt = parse(body, settings)
    answer = pipeline.answer(question, history=history, top_k=settings.top_k, mode=mode)
    return prompt, render(question, answer)


def reply_stream(pipeline: Pipeline, settings: Settings,
                 body: s.ChatRequest) -> tuple[str, str, Iterator[str | Answer]]:
    """Checked and retrieved before the stream starts, so bad requests get an error status."""
    question, history, mode, prompt = parse(body, settings)
    return prompt, question, pipeline.answer_stream(question, history=history, top_k=settings.top_k, mode=mode)


def usage_of(prompt: str, content: str) -> dict[str, int]:
    usage = {"prompt_tokens": count_tokens(prompt), "completion_tokens": count_tokens(content)}
    usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
    return usage


@router.post("/v1/chat/completions", response_model=s.ChatCompletion, dependencies=[Depends(rate_limited)],
             responses={200: s.CHAT_EVENTS, **s.errors(400, 404, 415, 422, 429, 503)})
async def chat_completions(body: s.ChatRequest, pipeline: PipelineDep, settings: SettingsDep) -> Any:
    """OpenAI chat completion: the cited answer to the last user message, sources listed after it.
    The model picks the answer mode: expo-qa (server default), expo-qa-extractive, expo-qa-llm."""
    completion_id = f"chatcmpl-{uuid.uuid4().hex}"
    created = int(time.time())
    if not body.stream:
        prompt, content = await run_in_threadpool(reply, pipeline, settings, body)
        return {"id": completion_id, "object": "chat.completion", "created": created, "model": body.model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                             "finish_reason": "stop"}],
                "usage": usage_of(prompt, content)}
    prompt, question, items = await run_in_threadpool(reply_stream, pipeline, settings, body)
    include_usage = bool(body.stream_options and body.stream_options.include_usage)
    return event_stream(_chunks(items, question, prompt, include_usage,
                                {"id": completion_id, "object": "chat.completion.chunk", "created": created,
                                 "model": body.model}))


def _chunks(items: Iterator[str | Answer], question: str, prompt: str, include_usage: bool,
            head: dict[str, Any]) -> Iterator[str]:
    """``chat.completion.chunk`` events: the role, text as the generator produces it, the sources after
    the final Answer, the stop, the usage if asked for, then ``[DONE]``."""

    def chunk(delta: dict, finish: str | None = None) -> str:
        return sse(json.dumps({**head, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]},
                              ensure_ascii=False))

    yield chunk({"role": "assistant", "content": ""})
    sent: list[str] = []
    for item in items:  # text as the generator produces it, then the final Answer
        if isinstance(item, str):
            sent.append(item)
            yield chunk({"content": item})
        else:
            tail = render_sources(question, item)
            if tail:
                sent.append(tail)
                yield chunk({"content": tail})
    yield chunk({}, "stop")
    if include_usage:
        payload = {**head, "choices": [], "usage": usage_of(prompt, "".join(sent))}
        yield sse(json.dumps(payload, ensure_ascii=False))
    yield sse("[DONE]")


@router.get("/v1/models", response_model=s.ModelList, responses=s.errors())
def models(settings: SettingsDep) -> dict:
    """The models this server offers: one per answer mode (llm only when a language model is set)."""
    return {"object": "list",
            "data": [{"id": m, "object": "model", "created": _CREATED, "owned_by": "expo-qa"}
                     for m in offered(settings)]}


def render(question: str, answer: Answer) -> str:
    """The answer text followed by its numbered sources, in the question's language."""
    return answer.answer + render_sources(question, answer)


def render_sources(question: str, answer: Answer) -> str:
    """What follows the answer text: its numbered sources, or related documents when it abstained."""
    english = is_english(question)
    if answer.citations:
        lines = [f"[{c.n}] {c.title}" + (f" ({c.date})" if c.date else "") for c in answer.citations]
        return ("\n\nSources:\n" if english else "\n\n来源：\n") + "\n".join(lines)
    if answer.suggestions:
        return ("\n\nRelated documents: " if english else "\n\n相关文档：") + "；".join(answer.suggestions)
    return ""


def count_tokens(text: str) -> int:
    """An estimate for ``usage``: one token per CJK character, word, number or punctuation mark."""
    return len(_TOKEN.findall(text))
