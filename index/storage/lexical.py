"""The BM25 index over tokenized chunks (bm25s), addressed by the same integer ids as the FAISS index."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np


class LexicalIndex:
    """BM25 over token lists. Immutable once built: an update builds a new one from stored tokens."""

    def __init__(self, ids: np.ndarray, model: bm25s.BM25 | None) -> None:
        self.ids = ids.astype(np.int64)
        self._model = model
        self._vocab: set[str] = set(model.vocab_dict) if model is not None else set()

    @classmethod
    def build(cls, ids: Sequence[int], token_lists: Sequence[list[str]]) -> LexicalIndex:
        ids_arr = np.asarray(list(ids), dtype=np.int64)
        if len(ids_arr) == 0:
            return cls(ids_arr, None)
        model = bm25s.BM25(k1=1.2, b=0.75)
        # An empty token list would make bm25s drop the row; a placeholder keeps rows aligned with ids.
        corpus = [toks if toks else ["\x00"] for toks in token_lists]
        model.index(corpus, show_progress=False)
        return cls(ids_arr, model)

    def __len__(self) -> int:
        return len(self.ids)

    def knows(self, token: str) -> bool:
        """Whether any chunk contains this token."""
        return token in self._vocab

    def idf(self, token: str) -> float:
        """Inverse document frequency over chunks; a token the corpus never uses gets the highest value,
        which is what makes an unknown term in a question count against answering it."""
        n = len(self.ids)
        df = 0
        if self._model is not None and token in self._vocab:
            tid = self._model.vocab_dict[token]
            indptr = self._model.scores["indptr"]
            df = int(indptr[tid + 1] - indptr[tid]) if tid + 1 < len(indptr) else 0
        return float(np.log(1.0 + (n - df + 0.5) / (df + 0.5)))

    def search(self, tokens: list[str], k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(id, score) of the best ``k`` rows with a positive score; ``allowed`` is a boolean row mask."""
        if self._model is None:
            return []
        known = [t for t in tokens if t in self._vocab]
        if not known:
            return []
        scores = self._model.get_scores(known)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(self.ids[i]), float(scores[i])) for i in top if scores[i] > 0]

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        np.save(directory / "ids.npy", self.ids)
        if self._model is not None:
            self._model.save(str(directory / "bm25"), show_progress=False)
        (directory / "lexical.json").write_text(json.dumps({"rows": len(self.ids)}), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        ids = np.load(directory / "ids.npy")
        model = None
        if len(ids):
            model = bm25s.BM25.load(str(directory / "bm25"), show_progress=False, verbosity=0)
        return cls(ids, model)
