"""Learned weights over the evidence features: which sentence answers, and whether any does.

Two logistic models, numpy only at run time, loaded from ``scorer_weights.json`` beside this module.
The file is written by ``python -m eval.train_scorer`` (which records its command, data and figures in
it); retraining on the same data reproduces it. Nothing here is hand-set except the features themselves.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

WEIGHTS_PATH = Path(__file__).with_name("scorer_weights.json")

ANSWERABILITY_FEATURES = (
    "best_logit",  # the best sentence's score
    "margin",  # how far the best sentence stands above the runner-up
    "best_sent_dense",  # cosine of the best sentence with the question
    "best_chunk_dense",  # the best retrieved chunk's cosine with the question
    "best_coverage",  # the best sentence's coverage of the question's concepts
    "max_coverage",  # the most any candidate covers
    "best_bigram",
    "form_share",  # share of the top sentences holding a value of the asked kind
    "unknown_share",  # share of the question's content words that no document uses
)


@dataclass(frozen=True)
class Logistic:
    """p = sigmoid(w · (x - mean) / scale + b)."""

    names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float

    def logits(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean) / self.scale) @ self.weights + self.bias

    def proba(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logits(x)))

    def to_dict(self) -> dict:
        return {"features": list(self.names), "mean": self.mean.tolist(), "scale": self.scale.tolist(),
                "weights": self.weights.tolist(), "bias": self.bias}

    @classmethod
    def from_dict(cls, d: dict, expected: tuple[str, ...]) -> Logistic:
        names = tuple(d["features"])
        if names != expected:
            raise ValueError(f"weights are for features {names}, this code computes {expected}: retrain with "
                             "python -m eval.train_scorer")
        return cls(names, np.array(d["mean"]), np.array(d["scale"]), np.array(d["weights"]), float(d["bias"]))


def fit_logistic(x: np.ndarray, y: np.ndarray, names: tuple[str, ...], l2: float = 1.0,
                 sample_weight: np.ndarray | None = None, iterations: int = 50) -> Logistic:
    """L2-regularised logistic regression by Newton's method: deterministic, no randomness to seed."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    sw = np.ones(len(x)) if sample_weight is None else sample_weight
    w = np.zeros(z.shape[1])
    reg = np.full(z.shape[1], l2)
    reg[-1] = 0.0  # the bias is not shrunk
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        grad = z.T @ (sw * (p - y)) + reg * w
        hess = (z * (sw * p * (1 - p))[:, None]).T @ z + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return Logistic(names, mean, scale, w[:-1], float(w[-1]))


@dataclass(frozen=True)
class ScorerWeights:
    sentence: Logistic
    answerable: Logistic
    threshold: float  # answerability probability under which the composer abstains
    meta: dict
    threshold_en: float | None = None  # the same for English questions (None: as for Chinese)
    # per kind of answer whose evidence the model reads otherwise (a contact sheet's field line is no
    # prose): the threshold for questions of that kind, in either language
    threshold_kinds: dict = field(default_factory=dict)

    def threshold_for(self, english: bool, kind: str | None = None) -> float:
        if kind in self.threshold_kinds:
            return float(self.threshold_kinds[kind])
        return self.threshold_en if english and self.threshold_en is not None else self.threshold

    @classmethod
    def untrained(cls) -> ScorerWeights:
        """All-zero weights: every sentence scores 0.5; for computing features before any training."""
        from qa.answering.features import FEATURES

        def zero(names: tuple[str, ...]) -> Logistic:
            return Logistic(names, np.zeros(len(names)), np.ones(len(names)), np.zeros(len(names)), 0.0)

        return cls(zero(FEATURES), zero(ANSWERABILITY_FEATURES), 0.0, {})

    @classmethod
    def load(cls, path: Path = WEIGHTS_PATH) -> ScorerWeights:
        from qa.answering.features import FEATURES

        d = json.loads(Path(path).read_text(encoding="utf-8"))
        en = d.get("threshold_en")
        return cls(Logistic.from_dict(d["sentence"], FEATURES),
                   Logistic.from_dict(d["answerable"], ANSWERABILITY_FEATURES),
                   float(d["threshold"]), d.get("meta", {}), None if en is None else float(en),
                   {k: float(v) for k, v in d.get("threshold_kinds", {}).items()})

    def to_dict(self) -> dict:
        return {"sentence": self.sentence.to_dict(), "answerable": self.answerable.to_dict(),
                "threshold": self.threshold, "threshold_en": self.threshold_en, "threshold_kinds": self.threshold_kinds,
                "meta": self.meta}
