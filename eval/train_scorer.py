"""Train the composer's scorer: ``python -m eval.train_scorer``.

Data (none of it test data):
- sentence model: CMRC 2018 trial questions outside the first 300 (those are the CMRC evaluation sample;
  paragraphs they are asked about are left out too), over the index of all 256 CMRC paragraphs. A
  candidate sentence is positive when it is in the question's own paragraph and holds a gold answer.
- answerability model: the same questions asked twice — over the whole index (answerable) and with a
  filter to the five best-ranked paragraphs other than their own (related text without the answer).
- threshold: chosen on the development sets (the expo gold set, visitor_dev and every visitor-style set in
  eval/datasets but the frozen test split, which is never read) and on the training questions asked as in the
  negative-rejection run (over five related paragraphs without the answer: to be refused; over their own
  paragraph and four of those: to be answered), the one that refuses the most unanswerable questions while
  answerable ones are refused at most ``--max-false-abstention`` of the time on each set.

Writes ``qa/answering/scorer_weights.json`` with the command, the data and the figures it was fitted on.
Deterministic: the same data and code give the same file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from eval.negative_rejection import ask_both
from eval.run import CMRC_PATH, load_dataset, open_pipeline
from qa.answering.composer import is_english
from qa.answering.evidence import threshold_group
from qa.answering.features import FEATURES
from qa.answering.kinds import asked_type
from qa.answering.retriever import Filters
from qa.answering.scorer import ANSWERABILITY_FEATURES, WEIGHTS_PATH, ScorerWeights, fit_logistic
from qa.settings import Settings

CMRC_EVAL_SAMPLE = 300
RULE_SLACK = 0.02
VISITOR_DEV = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "visitor_dev.jsonl"
DATASETS = Path(__file__).resolve().parent / "datasets"
TEST_SPLIT = DATASETS / "visitor_test.jsonl"


def development_sets() -> list[Path]:
    """visitor_dev and every set in eval/datasets written in the visitors' style from the documents, the
    frozen test split excepted."""
    return [VISITOR_DEV, *sorted(p for p in DATASETS.glob("visitor_*.jsonl") if p != TEST_SPLIT)]


def training_items(limit: int | None = None):
    ds = load_dataset("cmrc")
    held = {d for it in ds.items[:CMRC_EVAL_SAMPLE] for d in it.doc_ids}
    train = [it for it in ds.items[CMRC_EVAL_SAMPLE:] if it.doc_ids[0] not in held]
    return ds, train[:limit] if limit else train


def sentence_rows(pipe, items, top_k: int):
    """(features, labels, question index) for every candidate sentence of every training question."""
    xs, ys, groups = [], [], []
    for qi, it in enumerate(items):
        retrieval = pipe.retriever.retrieve(it.question, top_k)
        ev = pipe.composer.gather(it.question, retrieval)
        labels = [float(x.sentence.doc_id == it.doc_ids[0] and any(a in x.sentence.text for a in it.answers))
                  for x in ev.scored]
        if not any(labels):
            continue  # retrieval missed, or the answer spans sentences: nothing to learn about ranking
        xs.append(ev.features)
        ys += labels
        groups += [qi] * len(labels)
    return np.vstack(xs), np.array(ys), np.array(groups)


def answerability_rows(pipe, items, top_k: int):
    """Three variants per question: over all paragraphs (answerable); filtered to five other related
    paragraphs (off-topic evidence); and over all paragraphs with every sentence holding the answer
    taken out (on-topic evidence without the answer: the near miss a visitor's question often is)."""
    xs, ys = [], []
    for it in items:
        wide = pipe.retriever.retrieve(it.question, 20)
        own = it.doc_ids[0]
        others = tuple(dict.fromkeys(h.chunk.doc_id for h in wide.hits if h.chunk.doc_id != own))[:5]
        for label, filters in ((1.0, None), (0.0, Filters(doc_ids=others))):
            retrieval = pipe.retriever.retrieve(it.question, top_k, filters)
            if not retrieval.hits:
                continue
            ev = pipe.composer.gather(it.question, retrieval)
            xs.append(ev.answerability_features())
            ys.append(label)
            if label == 1.0 and any(a in x.sentence.text for x in ev.scored for a in it.answers):
                near = pipe.composer.gather(it.question, retrieval,
                                            exclude=lambda text, it=it: any(a in text for a in it.answers))
                if near.scored:
                    xs.append(near.answerability_features())
                    ys.append(0.0)
    return np.vstack(xs), np.array(ys)


def choose_thresholds(settings: Settings, weights: ScorerWeights, max_false: float) -> tuple[dict, dict]:
    """Answer every dev question with rule-based abstention only, then pick the answerability threshold,
    one per question language: an English question is matched against Chinese text, so its evidence
    scores sit lower and the same probability means something else."""
    confidences, answerable, refused, english, sets, groups = [], [], [], [], [], []

    def record(spec: str, question: str, a, is_answerable: bool) -> None:
        confidences.append(a.confidence if a.confidence is not None else 0.0)
        answerable.append(is_answerable)
        refused.append(a.abstained)
        english.append(is_english(question))
        sets.append(spec)
        groups.append(threshold_group(asked_type(question, a.query or question)) or "")

    def unthresholded(ds):
        pipe, _ = open_pipeline(ds, settings)
        pipe.composer.use_weights(weights)
        pipe.composer.fixed_threshold = 0.0
        return pipe

    pipe = None  # every development set asks about the shipped corpus: one index serves them all
    for spec in ("expo", *map(str, development_sets())):
        ds = load_dataset(spec)
        if pipe is None:
            pipe = unthresholded(ds)
        for it in ds.items:
            record(spec, it.question, pipe.answer(it.question, history=it.history), it.answerable)
    # the threshold serves other documents too: CMRC's training questions, each refused over related
    # paragraphs without its answer and answered over its own, are a set of their own
    cmrc, train = training_items()
    pipe = unthresholded(cmrc)
    for it in train:
        refuse, answer = ask_both(pipe, it)
        record("cmrc negative rejection", it.question, refuse, False)
        record("cmrc negative rejection", it.question, answer, True)
    en = np.array(english)
    out, stats = {}, {}
    # the cap holds on each set's Chinese questions; a set's English ones (8 to 12) are too few for a
    # rate of their own (one question is a tenth), so English is capped over all the sets together
    for lang, mask, by_set in (("zh", ~en, True), ("en", en, False)):
        out[lang], stats[lang] = _threshold(np.array(confidences)[mask], np.array(answerable)[mask],
                                            np.array(refused)[mask], max_false,
                                            np.array(sets)[mask] if by_set else None)
    # a kind whose evidence the model reads otherwise (a contact sheet's field lines) gets a threshold
    # of its own, over both languages and all the sets (its questions are few on each)
    out["kinds"], stats["kinds"] = {}, {}
    for group in sorted(set(groups) - {""}):
        mask = np.array(groups) == group
        out["kinds"][group], stats["kinds"][group] = _threshold(
            np.array(confidences)[mask], np.array(answerable)[mask], np.array(refused)[mask], max_false)
    return out, stats


def _threshold(conf: np.ndarray, ans: np.ndarray, ref: np.ndarray, max_false: float,
               sets: np.ndarray | None = None) -> tuple[float, dict]:
    """The threshold that best tells unanswerable questions from answerable ones (the most refused of the
    first less the share refused of the second) while keeping false abstention within ``max_false`` on
    every development set (``sets`` names each question's; one set's figure is not bought with
    another's), the lowest such threshold: a higher one that refuses one more unanswerable question for
    several answerable ones is no better. Where the named rules alone already refuse more than that on a
    set, the threshold may add at most ``RULE_SLACK`` to what they refuse there."""
    sets = np.zeros(len(conf), dtype=int) if sets is None else sets
    groups = [sets == name for name in dict.fromkeys(sets.tolist()) if (ans & (sets == name)).any()]
    caps = [max(max_false, float(ref[ans & g].mean()) + RULE_SLACK) for g in groups]
    best, best_gain, stats = 0.0, -2.0, {}
    for t in np.round(np.arange(0.0, 1.0, 0.01), 2):
        abstain = ref | (conf < t)
        if any(float(abstain[ans & g].mean()) > cap for g, cap in zip(groups, caps)):
            continue
        recall = float(abstain[~ans].mean()) if (~ans).any() else 0.0
        gain = recall - float(abstain[ans].mean())
        if gain > best_gain + 1e-9:
            best, best_gain = float(t), gain
            stats = {"false_abstention": round(float(abstain[ans].mean()), 4), "abstention_recall": round(recall, 4),
                     "answerable": int(ans.sum()), "unanswerable": int((~ans).sum())}
    return best, stats


def threshold_data(max_false: float) -> str:
    names = ", ".join(p.stem for p in development_sets())
    return (f"expo gold + {names} (development sets) + CMRC training questions asked as in the negative-rejection "
            f"run, max false abstention {max_false}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.train_scorer", description=__doc__.split("\n")[0])
    p.add_argument("--out", default=str(WEIGHTS_PATH))
    p.add_argument("--l2", type=float, default=1.0)
    p.add_argument("--max-false-abstention", type=float, default=0.04)
    p.add_argument("--limit", type=int, default=None, help="train on at most this many questions (quick runs)")
    p.add_argument("--thresholds-only", action="store_true",
                   help="keep the weights in --out, choose the thresholds again")
    args = p.parse_args(argv)
    settings = Settings.from_env(answer_scorer="learned")
    if args.thresholds_only:
        weights = ScorerWeights.load(Path(args.out))
        thresholds, dev = choose_thresholds(settings, weights, args.max_false_abstention)
        meta = dict(weights.meta, threshold_data=threshold_data(args.max_false_abstention), dev_at_threshold=dev)
        weights = ScorerWeights(weights.sentence, weights.answerable, thresholds["zh"], meta, thresholds["en"],
                                thresholds["kinds"])
        Path(args.out).write_text(json.dumps(weights.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(json.dumps(dev), thresholds)
        return 0
    ds, train = training_items(args.limit)
    pipe, _ = open_pipeline(ds, settings)
    pipe.composer.use_weights(ScorerWeights.untrained())
    x, y, groups = sentence_rows(pipe, train, settings.top_k)
    # each question weighs the same, whatever its number of candidate sentences
    counts = np.bincount(groups)
    sentence = fit_logistic(x, y, FEATURES, l2=args.l2, sample_weight=len(y) / len(set(groups.tolist())) / counts[groups])
    weights = ScorerWeights(sentence, ScorerWeights.untrained().answerable, 0.0, {})
    pipe.composer.use_weights(weights)
    xa, ya = answerability_rows(pipe, train, settings.top_k)
    balance = np.where(ya == 1.0, (ya == 0).sum() / max((ya == 1).sum(), 1), 1.0)
    answerable = fit_logistic(xa, ya, ANSWERABILITY_FEATURES, l2=args.l2, sample_weight=balance)
    weights = ScorerWeights(sentence, answerable, 0.0, {})
    thresholds, dev = choose_thresholds(settings, weights, args.max_false_abstention)
    meta = {
        "command": "python -m eval.train_scorer" + (f" --l2 {args.l2}" if args.l2 != 1.0 else ""),
        "sentence_data": f"{CMRC_PATH.name}: {len(set(groups))} questions after the first {CMRC_EVAL_SAMPLE} "
                         f"(their paragraphs excluded), {len(y)} candidate sentences, {int(y.sum())} positive",
        "answerability_data": f"the same questions over all paragraphs (answerable, {int(ya.sum())}) and "
                              f"filtered to 5 other related paragraphs or with the answer's sentences removed "
                              f"(unanswerable, {int(len(ya) - ya.sum())}), classes weighted equally",
        "threshold_data": threshold_data(args.max_false_abstention),
        "dev_at_threshold": dev,
        "top_k": settings.top_k,
    }
    weights = ScorerWeights(sentence, answerable, thresholds["zh"], meta, thresholds["en"], thresholds["kinds"])
    Path(args.out).write_text(json.dumps(weights.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(meta, ensure_ascii=False, indent=1))
    for name, w in zip(FEATURES, sentence.weights):
        print(f"  sentence  {name:16s} {w:+.3f}")
    for name, w in zip(ANSWERABILITY_FEATURES, answerable.weights):
        print(f"  answerable {name:16s} {w:+.3f}")
    print(f"thresholds {thresholds}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
