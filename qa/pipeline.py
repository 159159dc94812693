"""The one object the CLI, the API, the UI and the eval harness all call.

Built once from ``Settings``: embedder, tokenizer, chunker, store, indexer, retriever and composer.
Models load once, in ``warm_up`` or on first use; requests never reload them.
"""

from __future__ import annotations

import functools
import inspect
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from index.dictionary import (
    acronyms,
    chinese_names,
    homophones,
    ordinary_word,
    places_within,
    same_name,
    spoken_form,
    words_read_as,
)
from index.documents import Document
from index.embedders import Embedder
from index.indexer import Indexer, IndexReport, ProgressFn
from index.ingest.chunker import Chunker
from index.ingest.loaders import load_files, shipped_corpus_dir
from index.storage.base import IndexStore, IndexView, Manifest
from index.storage.registry import drop_store, open_store
from index.tokenizer import Tokenizer
from index.written import as_written
from qa.answering.abstention import judged_together
from qa.answering.composer import is_english, merge_answers
from qa.answering.parts import stated_then_asked
from qa.answering.retriever import Filters, Retrieval, Retriever
from qa.answering.thesaurus import shared_thesaurus
from qa.answering.typed import fixed, typed_alike
from qa.errors import BadRequestError, IndexMissingError
from qa.questions import check_question
from qa.settings import AnswerMode, AnswerScorer, Computed, RetrievalMode, Settings, StoreBackend
from qa.types import Answer, Hit

if TYPE_CHECKING:
    from qa.answering.generator import Generator

CORPUS_ROOT = Path(__file__).resolve().parent.parent / "corpus"

# refusals for evidence that holds no value of the kind asked, or none of the period asked: the evidence may
# be about the wrong sentence, drawn there by what the asker says first (我常往乡下拉快递，…)
_UNFOCUSED = frozenset({"no_value_of_kind", "value_not_near", "period_mismatch", "period_displaced"})
Part = tuple[str, str, Retrieval]  # a part of the question, the query it is retrieved with, what was retrieved


class Clauses(NamedTuple):
    """A part whose clauses ask of different documents, each retrieved on its own."""

    text: str
    each: list[Part]


def store_location(settings: Settings) -> Path:
    """Where the backend keeps its files: the index dir locally, the data dir for embedded Milvus Lite."""
    return settings.index_dir if settings.store is StoreBackend.LOCAL else settings.data_dir


def store_options(settings: Settings) -> dict:
    if settings.store is StoreBackend.LOCAL:
        return {}
    return {"uri": settings.milvus_uri, "token": settings.milvus_token(), "prefix": settings.milvus_collection,
            "engine_bm25": settings.milvus_bm25 is Computed.ENGINE,
            "engine_fusion": settings.milvus_fusion is Computed.ENGINE}


def default_tokenizer(lexicon_dir: Path = CORPUS_ROOT) -> Tokenizer:
    """The tokenizer with the domain data in ``lexicon_dir``; built once per process for each version of
    those files (building one loads jieba's dictionary, about a second), then shared: it is read-only."""
    files = [lexicon_dir / n for n in ("lexicon.txt", "synonyms.tsv", "glossary_en.tsv")]
    stamp = tuple(f.stat().st_mtime_ns if f.exists() else 0 for f in files)
    return _tokenizer(lexicon_dir, stamp)


@functools.lru_cache(maxsize=4)
def _tokenizer(lexicon_dir: Path, stamp: tuple[int, ...]) -> Tokenizer:
    return Tokenizer(lexicon_dir / "lexicon.txt", lexicon_dir / "synonyms.tsv", lexicon_dir / "glossary_en.tsv")


class Pipeline:
    def __init__(self, settings: Settings, embedder: Embedder | None = None,
                 tokenizer: Tokenizer | None = None) -> None:
        self.settings = settings
        if embedder is None:
            from qa.embedding import make_embedder

            embedder = make_embedder(settings)
        self.embedder = embedder
        self.tokenizer = tokenizer or default_tokenizer()
        self.chunker = Chunker(settings.chunk_size, settings.chunk_overlap)
        self._store: IndexStore | None = None
        self._lock = threading.Lock()
        self._composer = None
        self._llm = None

    # -- construction ------------------------------------------------------------------------------
    @classmethod
    def from_settings(cls, settings: Settings) -> Pipeline:
        return cls(settings)

    @property
    def manifest(self) -> Manifest:
        return Manifest(model_id=self.embedder.model_id, dim=self.embedder.dim,
                        chunk_size=self.settings.chunk_size, chunk_overlap=self.settings.chunk_overlap)

    @property
    def store(self) -> IndexStore:
        if self._store is None:
            with self._lock:
                if self._store is None:
                    store = self._open_store()
                    snap = store.snapshot(max_age_s=0)
                    if len(snap) and snap.tokenizer_fingerprint != self.tokenizer.fingerprint:
                        store.retokenize(self.tokenizer.tokens, self.tokenizer.fingerprint)
                    self._store = store
        return self._store

    def _open_store(self) -> IndexStore:
        return open_store(self.settings.store.value, store_location(self.settings), self.manifest,
                          **store_options(self.settings))

    def drop_index(self) -> None:
        """Delete the whole index of the configured backend (``qa index --rebuild``)."""
        self._store = None
        drop_store(self.settings.store.value, store_location(self.settings), **store_options(self.settings))

    @functools.cached_property
    def indexer(self) -> Indexer:
        return Indexer(self.store, self.chunker, self.embedder, self.tokenizer)

    @property
    def retriever(self) -> Retriever:
        return Retriever(self.store, self.embedder, self.tokenizer, self.settings.retrieval_mode,
                         self.settings.rrf_k)

    @property
    def composer(self):
        if self._composer is None:
            if self.settings.answer_scorer is AnswerScorer.LEARNED:
                from qa.answering.learned import LearnedComposer

                self._composer = LearnedComposer(self.tokenizer)
            else:
                from qa.answering.composer import Composer

                self._composer = Composer(self.tokenizer, abstain_threshold=self.settings.abstain_threshold)
        return self._composer

    def load_model(self, say: Callable[[str], None] | None = None) -> None:
        """Load the embedding model now, building it first on a machine that has none yet; ``say`` hears
        about each one-time step before it starts (embedders that have none take no ``say``)."""
        warm = getattr(self.embedder, "warm_up", None)
        if warm is None:
            return
        if say is not None and "say" in inspect.signature(warm).parameters:
            warm(say=say)
        else:
            warm()

    def warm_up(self) -> None:
        """Load the model, the index and the answering path now rather than on the first request."""
        self.load_model()
        self.embedder.embed_queries(["warm up"])
        if not self.is_empty():
            self.answer("展会在哪里举办？", mode=AnswerMode.EXTRACTIVE)
            self.answer("Where is the expo held?", mode=AnswerMode.EXTRACTIVE)  # and the English dictionary
            homophones("会")  # and the characters' readings, for words typed with another of the same sound
            chinese_names("Yiwu")  # and the names English writes in pinyin
            words_read_as("canzhan")  # and the words a Chinese question types in pinyin
            acronyms("扣扣")  # and the words for what the corpus writes in capitals
            spoken_form("地儿")  # and the words said with the spoken 儿
            ordinary_word("义务")  # and the words of the language, which no name typed otherwise is
            same_name("乔治亚")  # and the names another region writes otherwise (格鲁吉亚)
            places_within("北京")  # and which places the dictionary puts inside which (人民大会堂: 北京)
            shared_thesaurus().classes("时间")  # and the general thesaurus (~0.5 s), read by the kinds and asked nouns

    def snapshot(self) -> IndexView:
        return self.store.snapshot()

    def is_empty(self) -> bool:
        return len(self.snapshot()) == 0

    # -- indexing ----------------------------------------------------------------------------------
    def index_paths(self, paths: Sequence[Path] | None = None, progress: ProgressFn | None = None,
                    sync: bool = True) -> IndexReport:
        """Index files or folders (default: the shipped corpus). With ``sync``, documents that came from
        these paths before and are gone now are removed."""
        paths = [Path(p) for p in (paths or [shipped_corpus_dir()])]
        report = IndexReport()
        for path in paths:
            loaded = load_files(path)
            prefix = str(path.resolve())
            part = self.indexer.index(loaded.documents,
                                      origin_of=lambda d, prefix=prefix: d.meta.get("path") or prefix,
                                      sync_prefix=prefix if sync else None, progress=progress)
            part.errors = loaded.errors + part.errors
            part.skipped, part.notices = loaded.skipped, loaded.notices
            report = report.merge(part)
        return report

    def add_documents(self, docs: Sequence[Document], progress: ProgressFn | None = None) -> IndexReport:
        return self.indexer.index(docs, progress=progress)

    def remove_documents(self, doc_ids: Sequence[str]) -> IndexReport:
        return self.indexer.remove(doc_ids)

    def ensure_index(self, progress: ProgressFn | None = None,
                     say: Callable[[str], None] | None = None) -> IndexReport | None:
        """Build the index from the shipped corpus when the data dir has none yet."""
        if not self.is_empty():
            return None
        if say:
            count = sum(1 for _ in shipped_corpus_dir().glob("*.md"))
            say(f"building the index of the shipped corpus ({count} documents) into {self.settings.index_dir}")
        return self.index_paths(progress=progress)

    # -- asking ------------------------------------------------------------------------------------
    def search(self, query: str, top_k: int | None = None, filters: Filters | None = None,
               mode: RetrievalMode | None = None) -> list[Hit]:
        query = check_question(query)
        if self.is_empty():
            raise IndexMissingError("the index is empty: run `qa index` to build it from the shipped corpus")
        return self.retriever.retrieve(query, top_k or self.settings.top_k, filters, mode).hits

    def generator(self, mode: AnswerMode | str | None = None) -> Generator:
        """The generator for ``mode`` (default: the ``answer_mode`` setting). Asking for LLM answers on a
        server that has no LLM is the caller's mistake, so the error says how to configure one."""
        from qa.answering.generator import ExtractiveGenerator
        from qa.llm.generator import LLMGenerator

        try:
            mode = AnswerMode(mode or self.settings.answer_mode)
        except ValueError:
            raise BadRequestError(f"mode must be one of: {', '.join(m.value for m in AnswerMode)}; "
                                  f"got {mode!r}") from None
        if mode is AnswerMode.EXTRACTIVE:
            return ExtractiveGenerator(self.composer, known=lambda word: self.snapshot().lexical.knows(word))
        if not self.settings.llm_base_url:
            raise BadRequestError("LLM answers are not configured on this server: set QA_LLM_BASE_URL to an "
                                  "OpenAI-compatible server (e.g. http://127.0.0.1:11434/v1 for Ollama) and "
                                  "QA_LLM_MODEL to its model (e.g. qwen2.5:7b-instruct), then restart; or ask "
                                  "with mode 'extractive'")
        if self._llm is None:
            with self._lock:
                if self._llm is None:
                    self._llm = LLMGenerator.from_settings(self.settings, self.composer)
        return self._llm

    def answer(self, question: str, history: Sequence[dict] | None = None, top_k: int | None = None,
               filters: Filters | None = None, mode: AnswerMode | None = None) -> Answer:
        t0 = time.perf_counter()
        history = _simplified(history or [])
        generator, parts, retrieve_ms = self._retrieve(question, history, top_k, filters, mode)
        return _timed(self._answer_parts(generator, parts, history, top_k, filters), t0, retrieve_ms)

    def answer_stream(self, question: str, history: Sequence[dict] | None = None, top_k: int | None = None,
                      filters: Filters | None = None, mode: AnswerMode | None = None) -> Iterator[str | Answer]:
        """Text deltas, then the final ``Answer`` (whose text is authoritative). The question is checked
        and retrieved before this returns, so bad requests raise here rather than mid-stream."""
        from qa.answering.generator import text_pieces

        t0 = time.perf_counter()
        history = _simplified(history or [])
        generator, parts, retrieve_ms = self._retrieve(question, history, top_k, filters, mode)

        def events() -> Iterator[str | Answer]:
            if not generator.joint:  # the extractive answer (perhaps merged from parts) is known at the end
                answer = _timed(self._answer_parts(generator, parts, history, top_k, filters), t0,
                                retrieve_ms)
                yield from text_pieces(answer.answer)
                yield answer
                return
            part, query, retrieval = parts[0]
            for item in generator.stream(part, retrieval, query, history):
                if isinstance(item, Answer):
                    item.query = query
                    item = _timed(item, t0, retrieve_ms)
                yield item

        return events()

    @staticmethod
    def _generate(generator: Generator, part: Part, history: Sequence[dict] | None) -> Answer:
        text, query, retrieval = part
        answer = generator.generate(text, retrieval, query, history or [])
        answer.query = query
        return answer

    def _answer_parts(self, generator: Generator, parts: list[Part | Clauses], history: Sequence[dict],
                      top_k: int | None, filters: Filters | None) -> Answer:
        """Each part answered, then merged. A part whose clauses ask of different documents is answered
        clause by clause when every clause finds its answer, each in a document of its own (the
        document retrieval ranks first may not be the one that answers); otherwise as the one question
        it was written as, so that a clause the material cannot answer (…门牌号多少) still refuses the
        whole. A part refused as written is tried the same way, clause by clause where it asks again
        about a topic of its own (前7个月进出口同比涨了多少 综保区改革一共多少条): no one document says both;
        and one refused for lack of a value, whose asking sentence follows the asker's statements, is tried
        with that sentence alone, as a follow-up to them."""
        answers, asked = [], []
        for part in parts:
            if isinstance(part, Clauses):
                each = self._apart(generator, part.each, history)
                if each:
                    answers += each
                    asked += [c[0] for c in part.each]
                    continue
                part = self._retrieve_part(generator, part.text, history, top_k, filters)
            answer = self._generate(generator, part, history)
            clauses = (self.composer.topic_clauses(part[0], self.snapshot().lexical)
                       if answer.abstained and not generator.joint else [])
            each = self._apart(generator, [self._retrieve_part(generator, c, history, top_k, filters)
                                           for c in clauses], history) if len(clauses) > 1 else None
            told = stated_then_asked(part[0]) if answer.abstained and not (each or generator.joint) else None
            if told and answer.abstain_reason and answer.abstain_reason.code in _UNFOCUSED:
                # what the asker states first (…设定了量化目标。请问…多少个) may draw the evidence to itself: the
                # asking sentence is tried as a follow-up to it, which keeps its topic when it names none
                again = self._generate(generator, self._retrieve_part(
                    generator, told[1], [*history, {"role": "user", "content": told[0]}], top_k, filters), history)
                answer = answer if again.abstained else again
            answers += each or [answer]
            asked += clauses if each else [part[0]]
        return answers[0] if len(answers) == 1 else merge_answers(judged_together(answers, asked))

    def _apart(self, generator: Generator, each: list[Part], history: Sequence[dict]) -> list[Answer] | None:
        """The answers of clauses asked of different documents, when every clause finds its answer, each
        in a document of its own; else None."""
        answers = [self._generate(generator, c, history) for c in each]
        cited = {a.citations[0].doc_id for a in answers if a.citations}
        return answers if not any(a.abstained for a in answers) and len(cited) == len(answers) else None

    def _retrieve(self, question: str, history: Sequence[dict], top_k: int | None, filters: Filters | None,
                  mode: AnswerMode | None) -> tuple[Generator, list[Part | Clauses], float]:
        """The generator, and each part of the question with its (rewritten) query and retrieval (or, for a
        part whose clauses ask of different documents, each clause with its own); the time spent
        rewriting and retrieving."""
        question = as_written(check_question(question))  # 格魯吉亞總理, 喺边度: as the corpus writes
        if self.is_empty():
            raise IndexMissingError("the index is empty: run `qa index` to build it from the shipped corpus")
        generator = self.generator(mode)
        lexical = self.snapshot().lexical
        parts = [question] if generator.joint else self.composer.split_questions(question, lexical)
        out: list[Part | Clauses] = []
        t1 = time.perf_counter()
        for i, part in enumerate(parts):
            # a later part naming no topic (…涨了还是跌了？幅度多大) carries the earlier parts', as a follow-up does
            before = [*history, *({"role": "user", "content": p} for p in parts[:i])]
            clauses = [] if generator.joint else self.composer.clauses(part, lexical)
            if len(clauses) > 1:  # 综保区23条是哪个部门印发的 县域商业三年行动又是谁牵头的: two documents
                out.append(Clauses(part, [self._retrieve_part(generator, c, before, top_k, filters) for c in clauses]))
            else:
                out.append(self._retrieve_part(generator, part, before, top_k, filters))
        return generator, out, (time.perf_counter() - t1) * 1000

    def _retrieve_part(self, generator: Generator, part: str, history: Sequence[dict], top_k: int | None,
                       filters: Filters | None) -> Part:
        query = generator.rewrite(part, history)
        english = is_english(query)
        retrieval = self.retriever.retrieve(
            query, top_k or self.settings.top_k, filters,
            lexical_query=self.tokenizer.translate(query, self.snapshot().lexical.knows) if english else None)
        fixes = [] if english else typed_alike(self.tokenizer, query, retrieval)
        if fixes:  # what was meant is both retrieved with and answered
            query, part = fixed(query, fixes), fixed(part, fixes)
            retrieval = self.retriever.retrieve(query, top_k or self.settings.top_k, filters)
        return part, query, retrieval


def _timed(answer: Answer, t0: float, retrieve_ms: float) -> Answer:
    total = (time.perf_counter() - t0) * 1000
    answer.timings_ms = {"retrieve": retrieve_ms, "compose": total - retrieve_ms, "total": total}
    return answer


def _simplified(history: Sequence[dict]) -> list[dict]:
    """The turns with their text in simplified characters and Mandarin words, as the question is read."""
    return [{**turn, "content": as_written(turn["content"])} if isinstance(turn, dict) and isinstance(turn.get("content"), str)
            else turn for turn in history]
