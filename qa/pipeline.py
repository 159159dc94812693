"""The one object the CLI, the API, the UI and the eval harness all call.

Built once from ``Settings``: embedder, tokenizer, chunker, store, indexer, retriever and composer.
Models load once, in ``warm_up`` or on first use; requests never reload them.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Callable, Sequence

from index.chunker import Chunker
from index.documents import Document
from index.embedder import Embedder
from index.indexer import Indexer, IndexReport, ProgressFn
from index.loaders import load_path, shipped_corpus_dir
from index.store import Manifest, Snapshot, Store
from index.tokenizer import Tokenizer
from qa.errors import BadRequestError, IndexMissingError
from qa.retriever import Filters, Retriever
from qa.settings import RetrievalMode, Settings
from qa.composer import is_english, merge_answers
from qa.types import Answer, Hit

CORPUS_ROOT = Path(__file__).resolve().parent.parent / "corpus"
MAX_QUESTION_CHARS = 2000


def default_tokenizer(lexicon_dir: Path = CORPUS_ROOT) -> Tokenizer:
    return Tokenizer(lexicon_dir / "lexicon.txt", lexicon_dir / "synonyms.tsv", lexicon_dir / "glossary_en.tsv")


class Pipeline:
    def __init__(self, settings: Settings, embedder: Embedder | None = None,
                 tokenizer: Tokenizer | None = None) -> None:
        self.settings = settings
        if embedder is None:
            from index.embedder import make_embedder

            embedder = make_embedder(settings)
        self.embedder = embedder
        self.tokenizer = tokenizer or default_tokenizer()
        self.chunker = Chunker(settings.chunk_size, settings.chunk_overlap)
        self._store: Store | None = None
        self._lock = threading.Lock()
        self._composer = None

    # -- construction ------------------------------------------------------------------------------
    @classmethod
    def from_settings(cls, settings: Settings) -> "Pipeline":
        return cls(settings)

    @property
    def manifest(self) -> Manifest:
        return Manifest(model_id=self.embedder.model_id, dim=self.embedder.dim,
                        chunk_size=self.settings.chunk_size, chunk_overlap=self.settings.chunk_overlap)

    @property
    def store(self) -> Store:
        if self._store is None:
            with self._lock:
                if self._store is None:
                    store = Store(self.settings.index_dir, self.manifest)
                    snap = store.snapshot(max_age_s=0)
                    if len(snap) and snap.tokenizer_fingerprint != self.tokenizer.fingerprint:
                        store.retokenize(self.tokenizer.tokens, self.tokenizer.fingerprint)
                    self._store = store
        return self._store

    @property
    def indexer(self) -> Indexer:
        return Indexer(self.store, self.chunker, self.embedder, self.tokenizer)

    @property
    def retriever(self) -> Retriever:
        return Retriever(self.store, self.embedder, self.tokenizer, self.settings.retrieval_mode,
                         self.settings.rrf_k)

    @property
    def composer(self):
        if self._composer is None:
            from qa.composer import Composer

            self._composer = Composer(self.tokenizer, abstain_threshold=self.settings.abstain_threshold)
        return self._composer

    def warm_up(self) -> None:
        """Load the model and the index now rather than on the first request."""
        self.embedder.embed_queries(["warm up"])
        self.store.snapshot()

    def snapshot(self) -> Snapshot:
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
            docs, errors = load_path(path)
            prefix = str(path.resolve())
            part = self.indexer.index(docs, origin_of=lambda d: d.meta.get("path") or prefix,
                                      sync_prefix=prefix if sync else None, progress=progress)
            part.errors = errors + part.errors
            report = _merge(report, part)
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
            say(f"building the index from the shipped corpus into {self.settings.index_dir} ...")
        return self.index_paths(progress=progress)

    # -- asking ------------------------------------------------------------------------------------
    def search(self, query: str, top_k: int | None = None, filters: Filters | None = None,
               mode: RetrievalMode | None = None) -> list[Hit]:
        query = _check_question(query)
        if self.is_empty():
            raise IndexMissingError("the index is empty: run `qa index` to build it from the shipped corpus")
        return self.retriever.retrieve(query, top_k or self.settings.top_k, filters, mode).hits

    def answer(self, question: str, history: Sequence[dict] | None = None, top_k: int | None = None,
               filters: Filters | None = None) -> Answer:
        from qa.followup import rewrite_query

        t0 = time.perf_counter()
        question = _check_question(question)
        if self.is_empty():
            raise IndexMissingError("the index is empty: run `qa index` to build it from the shipped corpus")
        parts = self.composer.split_questions(question)
        retrieve_ms = 0.0
        answers = []
        for part in parts:
            query = rewrite_query(part, history or [], self.tokenizer)
            t1 = time.perf_counter()
            retrieval = self.retriever.retrieve(
                query, top_k or self.settings.top_k, filters,
                lexical_query=self.tokenizer.translate(query) if is_english(query) else None)
            retrieve_ms += (time.perf_counter() - t1) * 1000
            answer = self.composer.compose(part, retrieval, query=query)
            answer.query = query
            answers.append(answer)
        answer = answers[0] if len(answers) == 1 else merge_answers(answers)
        total = (time.perf_counter() - t0) * 1000
        answer.timings_ms = {"retrieve": retrieve_ms, "compose": total - retrieve_ms, "total": total}
        return answer


def _check_question(question: str) -> str:
    if not isinstance(question, str):
        raise BadRequestError("the question must be text")
    q = question.replace("\x00", "").strip()
    if not q:
        raise BadRequestError("the question is empty: type a question, e.g. 展会在哪里举办？")
    if len(q) > MAX_QUESTION_CHARS:
        raise BadRequestError(f"the question is {len(q)} characters long; the limit is {MAX_QUESTION_CHARS}")
    return q


def _merge(a: IndexReport, b: IndexReport) -> IndexReport:
    return IndexReport(
        documents=a.documents + b.documents, added=a.added + b.added, updated=a.updated + b.updated,
        unchanged=a.unchanged + b.unchanged, removed=a.removed + b.removed,
        chunks_embedded=a.chunks_embedded + b.chunks_embedded, chunks_reused=a.chunks_reused + b.chunks_reused,
        seconds=a.seconds + b.seconds, errors=a.errors + b.errors, doc_ids=a.doc_ids + b.doc_ids)
