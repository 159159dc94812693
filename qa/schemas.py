"""Request and response bodies of the HTTP API, as pydantic models.

They are the contract clients (and the OpenAPI schema at ``/docs``) see, so they are strict on the way in
(unknown fields are refused instead of silently ignored) and exact on the way out: every route declares
its response model, and the models mirror what ``Answer.to_dict`` and ``Hit.to_source`` produce.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from qa.pipeline import MAX_QUESTION_CHARS

MAX_TOP_K = 20
MAX_HISTORY_TURNS = 20


class _Strict(BaseModel):
    """A request body: a misspelt field is an error, not an option quietly ignored."""

    model_config = ConfigDict(extra="forbid")


def _check_question(value: str) -> str:
    """The same rule the pipeline applies, so the client gets a 422 naming the field."""
    trimmed = value.replace("\x00", "").strip()
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
IsoDate = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$"),
                    Field(description="A date as YYYY-MM-DD.", examples=["2023-08-01"])]
TopK = Annotated[int, Field(ge=1, le=MAX_TOP_K, description="How many chunks to retrieve.")]


# -- asking ------------------------------------------------------------------------------------------
class Turn(_Strict):
    role: Literal["user", "assistant"]
    content: str


class FiltersIn(_Strict):
    doc_ids: list[str] = Field(default_factory=list, description="Only these documents (empty: all).")
    date_from: IsoDate | None = Field(default=None, description="Inclusive lower bound on the document date.")
    date_to: IsoDate | None = Field(default=None, description="Inclusive upper bound on the document date.")


class AskRequest(_Strict):
    question: Question
    top_k: TopK = 5
    history: list[Turn] = Field(default_factory=list, max_length=MAX_HISTORY_TURNS,
                                description="Earlier turns, oldest first; used to resolve follow-ups.")
    filters: FiltersIn | None = None


class CitationOut(BaseModel):
    n: int = Field(description="The marker [n] in the answer text.")
    doc_id: str
    title: str
    date: str | None
    chunk_id: str
    quote: str = Field(description="Verbatim: document text[start:end].")
    start: int
    end: int


class SourceOut(BaseModel):
    doc_id: str
    title: str
    date: str | None
    chunk_id: str
    text: str
    score: float


class Timings(BaseModel):
    retrieve: float
    compose: float
    total: float


class AskResponse(BaseModel):
    answer: str
    short_answer: str | None
    abstained: bool
    citations: list[CitationOut]
    sources: list[SourceOut]
    timings_ms: Timings
    suggestions: list[str] = Field(default_factory=list,
                                   description="Related document titles, offered when the bot abstains.")


class SearchResponse(BaseModel):
    results: list[SourceOut]


# -- documents ---------------------------------------------------------------------------------------
class DocumentIn(_Strict):
    id: str | None = Field(default=None, description="Stable id; default: derived from title and text.",
                           examples=["my-notice-2024"])
    title: str = Field(min_length=1)
    date: str | None = Field(default=None, description="YYYY-MM-DD (also 2023/8/1 or 2023年8月1日).")
    text: str = Field(min_length=1)
    url: str | None = None
    source: str | None = Field(default=None, description="Attribution line, e.g. 来源:海关发布.")


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
    text: str | None = None


class ChatMessage(BaseModel):
    """A chat message; OpenAI clients add fields (name, tool_calls...) that the bot does not use."""

    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[TextPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(p.text or "" for p in self.content if p.type == "text")
        return self.content or ""


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="allow")

    include_usage: bool = False


class ChatRequest(BaseModel):
    """OpenAI's request; sampling parameters (temperature, max_tokens...) are accepted and ignored,
    because the answer is extractive and fully determined by the sources."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(examples=["expo-qa"])
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    stream_options: StreamOptions | None = None


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
