"""Answers written by a language model, behind the same ``Generator`` protocol as the extractive composer.

``LLMGenerator`` talks to any OpenAI-compatible server (Ollama, vLLM, llama.cpp, a hosted API) and never
lets it decide what the user gets unchecked: markers that point to no source are dropped, an answer
that cites nothing valid is replaced by the extractive one, and every citation is a verbatim quote with
document offsets. A slow, unreachable, failing or nonsensical server costs the user the LLM's wording,
never the answer: the extractive answer is returned with a visible notice, and the failure is logged
(without the key).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from qa.answering.composer import Composer, is_english
from qa.answering.followup import rewrite_query
from qa.answering.generator import ExtractiveGenerator, text_pieces
from qa.answering.retriever import Retrieval
from qa.errors import ModelError, SettingsError
from qa.llm.check import MarkerRewriter, ThinkFilter, build_citations, says_no_info
from qa.llm.prompt import answer_messages, rewrite_messages
from qa.settings import Settings
from qa.types import Answer

log = logging.getLogger("qa.generator")

REWRITE_TIMEOUT_S = 5.0
REWRITE_MAX_TOKENS = 96
UNAVAILABLE_ZH = "（大模型服务暂不可用，以下为摘录答案）"
UNAVAILABLE_EN = "(The language model is unavailable; showing the extracted answer.) "
UNCITED_ZH = "（大模型回答未给出有效引用，以下为摘录答案）"
UNCITED_EN = "(The language model's answer cited no valid source; showing the extracted answer.) "
_REWRITE_LABEL = re.compile(r"^(?:改写后的问题|改写|问题|question|rewritten question)\s*[:：]\s*", re.IGNORECASE)


class LLMFailure(Exception):
    """The LLM server did not produce a usable reply; caught inside this module and answered
    extractively, so it never reaches a user."""


class LLMGenerator:
    """Answers written by a language model from the numbered sources, checked before they are returned."""

    joint = True

    def __init__(self, base_url: str, model: str, composer: Composer, *,
                 api_key: Callable[[], str | None] = lambda: None, timeout_s: float = 20.0,
                 max_tokens: int = 512, today: Callable[[], dt.date] = dt.date.today) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise SettingsError(f"llm_base_url must start with http:// or https://, got {base_url!r}")
        if not model:
            raise SettingsError("llm_model is empty: set QA_LLM_MODEL to a model the server serves")
        if not timeout_s > 0 or max_tokens < 1:
            raise SettingsError(f"llm_timeout_s must be > 0 and llm_max_tokens >= 1, got {timeout_s} and "
                                f"{max_tokens}")
        try:
            import httpx
        except ImportError:
            raise ModelError("LLM answers need the httpx package: pip install httpx") from None
        self._httpx = httpx
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model, self.composer, self.timeout_s, self.max_tokens = model, composer, timeout_s, max_tokens
        self._api_key, self._today = api_key, today
        self._client = httpx.Client(follow_redirects=False)

    @classmethod
    def from_settings(cls, settings: Settings, composer: Composer) -> LLMGenerator:
        if not settings.llm_base_url or not settings.llm_model:
            raise SettingsError("no LLM server is configured: set QA_LLM_BASE_URL and QA_LLM_MODEL")
        return cls(settings.llm_base_url, settings.llm_model, composer, api_key=settings.llm_api_key,
                   timeout_s=settings.llm_timeout_s, max_tokens=settings.llm_max_tokens)

    def close(self) -> None:
        self._client.close()

    # -- the Generator protocol -------------------------------------------------------------------
    def rewrite(self, question: str, history: Sequence[dict]) -> str:
        """A follow-up made standalone by one short, time-bounded call; the rule-based rewrite when
        the call fails or returns something that is not a question."""
        fallback = rewrite_query(question, history, self.composer.tokenizer)
        if not any(isinstance(h, dict) and h.get("role") == "user" for h in history):
            return question
        try:
            raw = self._complete(rewrite_messages(question, history), REWRITE_MAX_TOKENS,
                                 min(self.timeout_s, REWRITE_TIMEOUT_S))
        except LLMFailure as exc:
            self._log("follow-up rewrite", exc)
            return fallback
        return _clean_rewrite(raw, question) or fallback

    def generate(self, question: str, retrieval: Retrieval, query: str | None,
                 history: Sequence[dict]) -> Answer:
        if not retrieval.hits:
            return self.composer.compose(question, retrieval, query=query)
        messages = answer_messages(question, retrieval.hits, history, is_english(question), self._today())
        try:
            raw = self._complete(messages, self.max_tokens, self.timeout_s)
            markers = MarkerRewriter(len(retrieval.hits))
            text = markers.rewrite_all(ThinkFilter().strip(raw)).strip()
            if not text:
                raise LLMFailure("the reply has no answer text")
        except LLMFailure as exc:
            self._log("answer", exc)
            return self._fallback(question, retrieval, query, unavailable=True)
        return self._checked(text, markers.order, question, retrieval, query)[0]

    def stream(self, question: str, retrieval: Retrieval, query: str | None,
               history: Sequence[dict]) -> Iterator[str | Answer]:
        if not retrieval.hits:
            yield from ExtractiveGenerator(self.composer).stream(question, retrieval, query, history)
            return
        messages = answer_messages(question, retrieval.hits, history, is_english(question), self._today())
        markers, think = MarkerRewriter(len(retrieval.hits)), ThinkFilter()
        parts: list[str] = []
        try:
            for delta in self._stream(messages):
                out = markers.feed(think.feed(delta))
                out = out if parts else out.lstrip()
                if out:
                    parts.append(out)
                    yield out
            tail = markers.feed(think.finish()) + markers.finish()
            if tail.strip():
                parts.append(tail if parts else tail.lstrip())
                yield parts[-1]
            if not "".join(parts).strip():
                raise LLMFailure("the reply has no answer text")
        except LLMFailure as exc:
            self._log("streamed answer", exc)
            answer = self._fallback(question, retrieval, query, unavailable=True)
        else:
            answer, kept = self._checked("".join(parts).strip(), markers.order, question, retrieval, query)
            if kept:
                yield answer
                return
        # The extractive answer replaces the model's: a client that can only append (an OpenAI chat
        # client) shows it after what already streamed; one that renders the final Answer shows only it.
        if parts:
            yield "\n\n"
        yield from text_pieces(answer.answer)
        yield answer

    # -- checking ---------------------------------------------------------------------------------
    def _checked(self, text: str, order: list[int], question: str, retrieval: Retrieval,
                 query: str | None) -> tuple[Answer, bool]:
        """The model's answer with its citations, or the extractive one in its place; and whether the
        model's text was kept."""
        hits = retrieval.hits
        if order:
            citations = build_citations(text, order, hits, self.composer.tokenizer, retrieval.snapshot.lexical)
            return Answer(answer=text, short_answer=None, abstained=False, citations=citations,
                          sources=list(hits)), True
        if says_no_info(text):
            titles = list(dict.fromkeys(h.chunk.title for h in hits))[:3]
            return Answer(answer=text, short_answer=None, abstained=True, citations=[], sources=list(hits),
                          suggestions=titles), True
        return self._fallback(question, retrieval, query, unavailable=False), False

    def _fallback(self, question: str, retrieval: Retrieval, query: str | None, unavailable: bool) -> Answer:
        answer = self.composer.compose(question, retrieval, query=query)
        english = is_english(question)
        if unavailable:
            notice = UNAVAILABLE_EN if english else UNAVAILABLE_ZH
        else:
            notice = UNCITED_EN if english else UNCITED_ZH
        answer.answer = notice + answer.answer
        return answer

    # -- HTTP -------------------------------------------------------------------------------------
    def _headers(self) -> dict[str, str]:
        key = self._api_key()
        return {"Authorization": f"Bearer {key}"} if key else {}

    def _payload(self, messages: list[dict], max_tokens: int, stream: bool) -> dict[str, Any]:
        return {"model": self.model, "messages": messages, "temperature": 0, "max_tokens": max_tokens,
                "stream": stream}

    def _complete(self, messages: list[dict], max_tokens: int, timeout_s: float) -> str:
        httpx = self._httpx
        try:
            r = self._client.post(self.url, json=self._payload(messages, max_tokens, False),
                                  headers=self._headers(), timeout=timeout_s)
        except httpx.TimeoutException:
            raise LLMFailure(f"no reply within {timeout_s:g} s") from None
        except httpx.HTTPError as exc:
            raise LLMFailure(f"{type(exc).__name__}: {exc}") from None
        if r.status_code >= 400:
            raise LLMFailure(f"HTTP {r.status_code}: {r.text[:200]}")
        return _content(r.content)

    def _stream(self, messages: list[dict]) -> Iterator[str]:
        """Text deltas from the server's server-sent events; a server that ignores ``stream`` and sends
        one JSON reply is read as that reply."""
        httpx = self._httpx
        try:
            with self._client.stream("POST", self.url, json=self._payload(messages, self.max_tokens, True),
                                     headers=self._headers(), timeout=self.timeout_s) as r:
                if r.status_code >= 400:
                    r.read()
                    raise LLMFailure(f"HTTP {r.status_code}: {r.text[:200]}")
                if "text/event-stream" not in r.headers.get("content-type", ""):
                    yield _content(r.read())
                    return
                for line in r.iter_lines():
                    delta = _event_delta(line)
                    if delta is _DONE:
                        return
                    if delta:
                        yield delta
        except httpx.TimeoutException:
            raise LLMFailure(f"no data within {self.timeout_s:g} s") from None
        except httpx.HTTPError as exc:
            raise LLMFailure(f"{type(exc).__name__}: {exc}") from None

    def _log(self, what: str, exc: Exception) -> None:
        reason = str(exc)
        key = self._api_key()
        if key:
            reason = reason.replace(key, "***")
        log.warning("LLM %s from %s failed, answering without it: %s", what, self.url, reason)


_DONE = object()


def _event_delta(line: str) -> Any:
    """The content delta of one SSE line ("" for comments, role-only and empty events; ``_DONE`` at the
    end marker)."""
    if not line.startswith("data:"):
        return ""
    data = line[5:].strip()
    if data == "[DONE]":
        return _DONE
    try:
        event = json.loads(data)
    except ValueError:
        raise LLMFailure(f"malformed stream event: {data[:80]!r}") from None
    if not isinstance(event, dict):
        raise LLMFailure(f"malformed stream event: {data[:80]!r}")
    if event.get("error"):
        raise LLMFailure(f"error event: {str(event['error'])[:200]}")
    choices = event.get("choices") or []
    delta = choices[0].get("delta") if choices and isinstance(choices[0], dict) else None
    content = delta.get("content") if isinstance(delta, dict) else None
    return content if isinstance(content, str) else ""


def _content(body: bytes) -> str:
    """The message text of a non-streamed chat completion, or why there is none."""
    try:
        content = json.loads(body)["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise LLMFailure(f"malformed reply: {body[:80]!r}") from None
    if not isinstance(content, str):
        raise LLMFailure("malformed reply: the message has no text content")
    return content


def _clean_rewrite(raw: str, question: str) -> str | None:
    """The rewritten question on its own, or None when the reply is not one (empty, an answer, a speech)."""
    text = ThinkFilter().strip(raw).strip()
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    line = _REWRITE_LABEL.sub("", line).strip(" \"'“”「」")
    if not 2 <= len(line) <= max(200, 4 * len(question)) or says_no_info(line):
        return None
    return line
