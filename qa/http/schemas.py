"""Request and response bodies of the HTTP API, as pydantic models.

They are the contract clients (and the OpenAPI schema at ``/docs``) see, so they are strict on the way in
(unknown fields are refused instead of silently ignored) and exact on the way out: every route declares
its response model, and the models mirror what ``Answer.to_dict`` and ``Hit.to_source`` produce.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from index.ingest.loaders import SUPPORTED_SUFFIXES, normalize_date
from qa.errors import DocumentError
from qa.limits import MAX_HISTORY_TURNS, MAX_QUESTION_CHARS, MAX_TOP_K, MAX_TURN_CHARS


class _Strict(BaseModel):
    """A request body: a misspelt field is an error, not an option quietly ignored, and a value of the
    wrong JSON type (``"top_k": "5"``) is refused rather than converted."""

    model_config = ConfigDict(extra="forbid", strict=True)


def _encodable(value: str) -> str:
    """JSON may escape a lone UTF-16 surrogate (``"\\ud800"``); such a string cannot be encoded, tokenized
    or stored, so it is refused here rather than failing deep in the pipeline."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"contains an invalid character (lone surrogate) at position {exc.start}") from None
    return value


Text = Annotated[str, AfterValidator(_encodable)]


def _check_question(value: str) -> str:
    """The same rule the pipeline applies, so the client gets a 422 naming the field."""
    trimmed = _encodable(value).replace("\x00", "").strip()
    if not trimmed:
        raise ValueError("the question is empty (or only spaces)")
    if len(trimmed) > MAX_QUESTION_CHARS:
        raise ValueError(f"the question is {len(trimmed)} characters long after trimming; "
                         f"the limit is {MAX_QUESTION_CHARS}")
    return trimmed


Question = Annotated[
    str,
    AfterValidator(_check_question),
    Field(description=f"1–{MAX_QUESTION_CHARS} characters after trimming spaces.",
          examples=["综保区改革一共多少条措施？"],
          json_schema_extra={"minLength": 1, "pattern": r"[^\s\x00]"}),
]


def _real_date(value: str) -> str:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date of the calendar") from None
    return value


def _document_date(value: str) -> str:
    _encodable(value)
    try:
        normalize_date(value, "date")
    except DocumentError:
        raise ValueError(f"{value!r} is not a valid date; write it as YYYY-MM-DD") from None
    return value


IsoDate = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$"), AfterValidator(_real_date),
                    Field(description="A date as YYYY-MM-DD.", examples=["2023-08-01"],
                          json_schema_extra={"format": "date"})]


def _integral(value: Any) -> Any:
    """JSON has one number type, and JSON Schema counts ``5.0`` as an integer, so it is taken as 5; ``5.5``
    and ``"5"`` are still refused."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


TOP_K_HELP = "How many chunks to retrieve; default: the server's top_k setting (QA_TOP_K, 5 unless set)."
TopK = Annotated[int, Field(ge=1, le=MAX_TOP_K, description=TOP_K_HELP), BeforeValidator(_integral)]


# -- asking ------------------------------------------------------------------------------------------
class Turn(_Strict):
    role: Literal["user", "assistant"]
    content: Text = Field(max_length=MAX_TURN_CHARS, description=(
        f"At most {MAX_TURN_CHARS} characters: earlier turns are tokenized to resolve follow-ups, so their "
        "size is bounded like the question's."))


class FiltersIn(_Strict):
    doc_ids: list[Text] = Field(default_factory=list, description="Only these documents (empty: all).")
    date_from: IsoDate | None = Field(default=None, description="Inclusive lower bound on the document date.")
    date_to: IsoDate | None = Field(default=None, description="Inclusive upper bound on the document date.")

    @model_validator(mode="after")
    def _ordered(self) -> FiltersIn:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(f"date_from ({self.date_from}) is after date_to ({self.date_to})")
        return self


class AskRequest(_Strict):
    question: Question
    top_k: TopK | None = None
    history: list[Turn] = Field(default_factory=list, max_length=MAX_HISTORY_TURNS,
                                description="Earlier turns, oldest first; used to resolve follow-ups.")
    filters: FiltersIn | None = None
    mode: Literal["extractive", "llm"] | None = Field(
        default=None, description="extractive (quotes only) or llm (an OpenAI-compatible model writes the answer "
        "from the sources, checked and cited; needs QA_LLM_BASE_URL); default: the server's setting.")


class CitationOut(BaseModel):
    n: int = Field(description="The marker [n] in the answer text.")
    doc_id: str
    title: str
    date: str | None
    chunk_id: str
    quote: str = Field(description="Verbatim: document text[start:end].")
    start: int
    end: int
    page: int | None = Field(None, description="The page the quote starts on (PDF documents); null otherwise.")
    section: str | None = Field(None, description="The heading of the section the quote sits in, if any.")


class SourceOut(BaseModel):
    doc_id: str
    title: str
    date: str | None
    chunk_id: str
    text: str
    score: float
    page: int | None = Field(None, description="The page the chunk starts on (PDF documents); null otherwise.")
    section: str | None = None


class Timings(BaseModel):
    retrieve: float
    compose: float
    total: float


class AbstainReasonOut(BaseModel):
    code: str = Field(description="Which rule refused: no_evidence, nothing_known, period_mismatch, "
                      "period_displaced, entity_missing, rare_term_missing, asked_unknown, beyond_record, asked_inside_word, "
                      "said_of_someone_else, members_unnamed, holder_unnamed, no_english_given, planned_not_done, no_value_of_kind, value_not_near, "
                      "low_confidence, low_coverage, unknown_word.")
    message: str = Field(description="Why, in Chinese.")
    message_en: str = Field(description="Why, in English.")


class AskResponse(BaseModel):
    answer: str
    short_answer: str | None
    abstained: bool
    citations: list[CitationOut]
    sources: list[SourceOut]
    timings_ms: Timings
    suggestions: list[str] = Field(default_factory=list,
                                   description="Related document titles, offered when the bot abstains.")
    abstain_reason: AbstainReasonOut | None = Field(default=None, description="Why the bot abstained.")
    confidence: float | None = Field(default=None, description=(
        "Calibrated probability that the evidence answers the question (learned answer scorer only)."))


class SearchResponse(BaseModel):
    results: list[SourceOut]


# -- documents ---------------------------------------------------------------------------------------
_DOCUMENT_DATE = (r"^(\s*(\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2}"
                  r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*)?$")
DocumentDate = Annotated[str, StringConstraints(pattern=_DOCUMENT_DATE), AfterValidator(_document_date)]


class DocumentIn(_Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[^\s#/\\\x00-\x1f\x7f]+$"),
                  AfterValidator(_encodable)] | None = Field(
        default=None, examples=["my-notice-2024"],
        description="Stable id without spaces, '#', '/', '\\' or control characters, and not '.' or '..'; "
                    "default: derived from title and text.")
    title: Text = Field(pattern=r"\S", examples=["2024年网博会延期通知"])
    date: DocumentDate | None = Field(
        default=None, examples=["2024-03-01"],
        description="YYYY-MM-DD (also 2023/8/1 or 2023年8月1日).")
    text: Text = Field(pattern=r"\S", examples=["经组委会研究决定，2024年网博会延期至10月18日举办。"])
    url: Text | None = None
    source: Text | None = Field(default=None, description="Attribution line, e.g. 来源:海关发布.")


class DocumentSummary(BaseModel):
    doc_id: str
    title: str
    date: str | None
    chunks: int


class DocumentDetail(DocumentSummary):
    source: str | None
    url: str | None
    text: str


class AddedDocument(BaseModel):
    doc_id: str
    title: str
    chunks: int


class AddReport(BaseModel):
    documents: list[AddedDocument] = Field(description="Documents now in the index from this request.")
    added: int
    updated: int
    unchanged: int
    chunks_embedded: int
    chunks_reused: int
    errors: list[str] = Field(description="What could not be read, e.g. one entry per bad JSONL line.")


class DeleteReport(BaseModel):
    doc_id: str
    chunks_removed: int


class Health(BaseModel):
    status: Literal["ok"]
    documents: int
    chunks: int
    embedding_model: str
    index_version: str


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorDetail


# -- OpenAI-compatible chat --------------------------------------------------------------------------
class TextPart(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: str
    text: Text | None = None


class ChatMessage(BaseModel):
    """A chat message; OpenAI clients add fields (name, tool_calls...) that the bot does not use."""

    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: Text | list[TextPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(p.text or "" for p in self.content if p.type == "text")
        return self.content or ""


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)

    include_usage: bool = False


_USER_MESSAGE = {"type": "object", "required": ["role", "content"],
                 "properties": {"role": {"const": "user"}, "content": {"type": "string", "pattern": r"\S"}}}


class ChatRequest(BaseModel):
    """OpenAI's request; sampling parameters (temperature, max_tokens...) are accepted and ignored,
    because the answer is extractive and fully determined by the sources."""

    model_config = ConfigDict(extra="allow", strict=True)

    model: str = Field(examples=["expo-qa"], description="expo-qa (the server's default answer mode), "
                       "expo-qa-extractive or expo-qa-llm",
                       json_schema_extra={"enum": ["expo-qa", "expo-qa-extractive", "expo-qa-llm"]})
    messages: list[ChatMessage] = Field(min_length=1, description="At least one with role 'user'.",
                                        json_schema_extra={"contains": _USER_MESSAGE})
    stream: bool = False
    stream_options: StreamOptions | None = None
    mode: Literal["extractive", "llm"] | None = Field(
        default=None, description="As in /api/ask; an alternative to choosing the mode by model name.")


class ChatReply(BaseModel):
    role: Literal["assistant"]
    content: str


class ChatChoice(BaseModel):
    index: int
    message: ChatReply
    finish_reason: Literal["stop"]


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"]
    created: int
    model: str
    choices: list[ChatChoice]
    usage: Usage


class ModelCard(BaseModel):
    id: str
    object: Literal["model"]
    created: int
    owned_by: str


class ModelList(BaseModel):
    object: Literal["list"]
    data: list[ModelCard]


def error_body(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


# -- OpenAPI pieces that the models alone cannot express ---------------------------------------------
ERROR_DESCRIPTIONS = {400: "Bad request", 401: "Missing or wrong API key", 403: "Writes are disabled",
                      404: "Not found", 413: "Request body too large", 415: "Unsupported media type",
                      422: "Invalid field", 429: "Rate limited (see Retry-After)", 500: "Internal error",
                      503: "Index or model unavailable"}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses a route can answer with (all share one body shape);
    413, 422 and 500 can come from any route."""
    return {code: {"model": ErrorResponse, "description": ERROR_DESCRIPTIONS[code]}
            for code in sorted({*statuses, 413, 422, 500})}


def event_stream_doc(description: str,
                     events: list[tuple[str | None, dict[str, Any] | None]]) -> dict[str, Any]:
    """OpenAPI for a ``text/event-stream`` response: ``itemSchema`` describes one event, as FastAPI does
    for its own SSE routes, with the JSON schema of each event's data."""
    variants = []
    for name, data_schema in events:
        data: dict[str, Any] = {"type": "string"}
        if data_schema is not None:
            data |= {"contentMediaType": "application/json", "contentSchema": data_schema}
        props: dict[str, Any] = {"data": data, "id": {"type": "string"},
                                 "retry": {"type": "integer", "minimum": 0}}
        if name is not None:
            props["event"] = {"const": name}
        required = ["data"] + (["event"] if name else [])
        variants.append({"type": "object", "required": required, "properties": props})
    item = variants[0] if len(variants) == 1 else {"oneOf": variants}
    return {"description": description, "content": {"text/event-stream": {"itemSchema": item}}}


_DELTA = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}}
ASK_EVENTS = event_stream_doc(
    "Server-sent events: `delta` events with pieces of the answer text, then one `done` event with the full "
    "answer.", [("delta", _DELTA), ("done", {"$ref": "#/components/schemas/AskResponse"})])
CHAT_EVENTS = event_stream_doc(
    "The completion; with `stream: true`, `chat.completion.chunk` events, then `data: [DONE]`.",
    [(None, None)])
ADD_DOCUMENT_BODY: dict[str, Any] = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": DocumentIn.model_json_schema()},
    "multipart/form-data": {"schema": {
        "type": "object", "required": ["file"], "additionalProperties": False,
        "properties": {"file": {"type": "string", "format": "binary",
                                "description": f"One of: {' '.join(sorted(SUPPORTED_SUFFIXES))}"}}}},
}}}
