"""Scores for one answered question and their aggregate over a run.

Everything here is a pure function of an ``EvalItem``, the pipeline's ``Answer`` and the documents, so
two runs (two settings, two models) can be scored and compared side by side without re-running anything.
Metrics that do not apply to an item (retrieval on an unanswerable question, citation precision when
nothing was cited) are ``None`` and left out of the means rather than counted as zero.
"""

from __future__ import annotations

import math
import re
import string
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from eval.datasets import EvalItem, Match
from index.documents import Document
from qa.types import Answer, Citation

_ASCII_PUNCT = frozenset(string.punctuation)
_CITATION_MARK = re.compile(r"\[\d+\]")  # the answer's [1], [2] after each quote
K_VALUES = (1, 3, 5)


def _is_punct(ch: str) -> bool:
    """ASCII symbols plus every Unicode punctuation class, which covers CJK marks (，。、“”《》…)."""
    return ch in _ASCII_PUNCT or unicodedata.category(ch).startswith("P")


def _is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF
            or 0x20000 <= cp <= 0x2FA1F)


def _keeps_decimal_point(text: str, i: int) -> bool:
    """A '.' between digits is part of a number: dropping it would make 110.9 match 1109."""
    return (text[i] == "." and 0 < i < len(text) - 1
            and text[i - 1].isdigit() and text[i + 1].isdigit())


def normalize(s: str) -> str:
    """Fold the surface differences a reader would not notice: width, case, spacing, punctuation.

    NFKC first, so full-width digits, letters and colons compare equal to ASCII ones.
    """
    text = unicodedata.normalize("NFKC", s).lower()
    return "".join(ch for i, ch in enumerate(text)
                   if not ch.isspace() and (not _is_punct(ch) or _keeps_decimal_point(text, i)))


_ZH_NUMERAL = re.compile(r"[零一二两三四五六七八九十百千]+")
_ZH_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
_ZH_UNIT = {"十": 10, "百": 100, "千": 1000}


def _zh_number(numeral: str) -> str:
    """A Chinese numeral in digits (九 → 9, 二十三 → 23, 一百零五 → 105, 一二 → 12)."""
    if not any(c in _ZH_UNIT for c in numeral):
        return "".join(str(_ZH_DIGIT[c]) for c in numeral)
    total, digit = 0, None
    for c in numeral:
        if c in _ZH_UNIT:
            total += (1 if digit is None else digit) * _ZH_UNIT[c]
            digit = None
        elif _ZH_DIGIT[c]:  # 零 between places (一百零五) holds no place
            digit = _ZH_DIGIT[c]
    return str(total + (digit or 0))


def with_digits(text: str) -> str:
    """Chinese numerals written in digits, so a reply saying 九部门 states the 9部门 a text gives: one count,
    however written. Applied to reply and gold alike, it only joins what means the same number."""
    return _ZH_NUMERAL.sub(lambda m: _zh_number(m.group(0)), text)


def answer_correct(answer_text: str, item: EvalItem) -> bool:
    """Does the reply contain an acceptable answer (every one, for ``match: all`` list items)?

    Containment rather than equality because the bot answers in sentences; the gold spans are short
    enough that containing one means the fact was stated. The citation marks after each quote are not
    part of what it says: a gold span the answer quotes across two sentences (or two pieces of one
    long sentence) is stated, "[1]" between them or not; and a count is stated in Chinese numerals or in
    digits alike (九部门, 9部门).
    """
    golds = [with_digits(g) for g in (normalize(a) for a in item.answers) if g]
    if not golds:
        return False
    text = with_digits(normalize(_CITATION_MARK.sub("", answer_text)))
    found = [g in text for g in golds]
    return all(found) if item.match is Match.ALL else any(found)


def segment(s: str) -> list[str]:
    """Split like the CMRC 2018 scorer: one token per Chinese character, one per English word or number.

    Punctuation and whitespace separate tokens and are dropped, so "110.9点" is ["110.9", "点"].
    """
    text = unicodedata.normalize("NFKC", s).lower()
    tokens: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            tokens.append("".join(run))
            run.clear()

    for i, ch in enumerate(text):
        if _is_cjk(ch):
            flush()
            tokens.append(ch)
        elif ch.isspace() or (_is_punct(ch) and not _keeps_decimal_point(text, i)):
            flush()
        else:
            run.append(ch)
    flush()
    return tokens


def _longest_common_run(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest contiguous token run shared by a and b (CMRC's F1 counts this, not a bag)."""
    best = 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0] * (len(b) + 1)
        for j, y in enumerate(b, 1):
            if x == y:
                cur[j] = prev[j - 1] + 1
                best = max(best, cur[j])
        prev = cur
    return best


def exact_match(pred: str, golds: Iterable[str]) -> float:
    """1.0 if the prediction equals any gold answer once punctuation, spacing and case are ignored."""
    pred_tokens = segment(pred)
    if not pred_tokens:
        return 0.0
    return float(any(pred_tokens == segment(g) for g in golds))


def f1(pred: str, golds: Iterable[str]) -> float:
    """Best token F1 against any gold, from the longest common run of tokens as CMRC 2018 scores it."""
    pred_tokens = segment(pred)
    best = 0.0
    for gold in golds:
        gold_tokens = segment(gold)
        if not pred_tokens or not gold_tokens:
            continue
        common = _longest_common_run(pred_tokens, gold_tokens)
        if common == 0:
            continue
        precision, recall = common / len(pred_tokens), common / len(gold_tokens)
        best = max(best, 2 * precision * recall / (precision + recall))
    return best


def ranked_doc_ids(answer: Answer) -> list[str]:
    """Documents in the order their first chunk was retrieved: hit@k asks about documents, not chunks."""
    return list(dict.fromkeys(hit.chunk.doc_id for hit in answer.sources))


def hit_at_k(source_doc_ids: Sequence[str], gold_doc_ids: Iterable[str], k: int) -> float:
    """1.0 if any gold document is among the first k distinct retrieved documents."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    gold = set(gold_doc_ids)
    return float(any(d in gold for d in list(dict.fromkeys(source_doc_ids))[:k]))


def reciprocal_rank(source_doc_ids: Sequence[str], gold_doc_ids: Iterable[str]) -> float:
    """1/rank of the first gold document among the distinct retrieved documents; 0.0 if none."""
    gold = set(gold_doc_ids)
    for rank, doc_id in enumerate(dict.fromkeys(source_doc_ids), 1):
        if doc_id in gold:
            return 1.0 / rank
    return 0.0


def citation_precision(citations: Sequence[Citation], gold_doc_ids: Iterable[str]) -> float | None:
    """Share of citations that point into a gold document; None when nothing was cited."""
    if not citations:
        return None
    gold = set(gold_doc_ids)
    return sum(c.doc_id in gold for c in citations) / len(citations)


def citation_recall(citations: Sequence[Citation], gold_doc_ids: Iterable[str]) -> float | None:
    """Share of gold documents cited at least once; a multi-document answer must cite each source."""
    gold = set(gold_doc_ids)
    if not gold:
        return None
    return len(gold & {c.doc_id for c in citations}) / len(gold)


def quotes_verbatim(answer: Answer, docs_by_id: Mapping[str, Document]) -> bool:
    """Every quote is exactly the document text at its offsets, so a reader can find and trust it."""
    for c in answer.citations:
        doc = docs_by_id.get(c.doc_id)
        if doc is None or not (0 <= c.start <= c.end <= len(doc.text)) or doc.text[c.start:c.end] != c.quote:
            return False
    return True


def abstention_scores(answerable: Sequence[bool], abstained: Sequence[bool]) -> dict[str, float | None]:
    """How well refusing tracks unanswerability.

    precision: of the refusals, how many were right to refuse; recall: of the unanswerable questions,
    how many were refused; false_abstention_rate: of the answerable questions, how many were refused.
    """
    if len(answerable) != len(abstained):
        raise ValueError(f"{len(answerable)} answerable flags but {len(abstained)} abstained flags")
    pairs = list(zip(answerable, abstained))
    refused = [a for a, ab in pairs if ab]
    unanswerable = [ab for a, ab in pairs if not a]
    answerable_refused = [ab for a, ab in pairs if a]
    return {
        "precision": (sum(not a for a in refused) / len(refused)) if refused else None,
        "recall": (sum(unanswerable) / len(unanswerable)) if unanswerable else None,
        "false_abstention_rate": (sum(answerable_refused) / len(answerable_refused))
        if answerable_refused else None,
    }


def percentiles(values: Iterable[float], qs: Sequence[float] = (50, 95)) -> dict[str, float | None]:
    """Linearly interpolated percentiles keyed "p50", "p95"...; None for an empty run."""
    data = sorted(values)
    out: dict[str, float | None] = {}
    for q in qs:
        if not 0 <= q <= 100:
            raise ValueError(f"percentile must be within 0..100, got {q}")
        key = f"p{q:g}"
        if not data:
            out[key] = None
            continue
        pos = (len(data) - 1) * q / 100
        lo, hi = math.floor(pos), math.ceil(pos)
        out[key] = data[lo] + (data[hi] - data[lo]) * (pos - lo)
    return out


def score_item(item: EvalItem, answer: Answer, docs_by_id: Mapping[str, Document]) -> dict[str, Any]:
    """Every per-item metric in one flat row, ready for a JSONL report and for ``aggregate``.

    An unanswerable item is scored only on whether the bot abstained; answer and retrieval metrics
    would be meaningless there and stay None.
    """
    row: dict[str, Any] = {
        "id": item.id,
        "type": item.type.value,
        "lang": item.lang,
        "answerable": item.answerable,
        "abstained": answer.abstained,
        "abstention_correct": answer.abstained != item.answerable,
        "quotes_verbatim": quotes_verbatim(answer, docs_by_id),
        "n_citations": len(answer.citations),
        "timings_ms": dict(answer.timings_ms),
        "answer_correct": None,
        "em": None,
        "f1": None,
        "rr": None,
        "citation_precision": None,
        "citation_recall": None,
        **{f"hit@{k}": None for k in K_VALUES},
    }
    if not item.answerable:
        return row
    docs = ranked_doc_ids(answer)
    row.update({f"hit@{k}": hit_at_k(docs, item.doc_ids, k) for k in K_VALUES})
    row["rr"] = reciprocal_rank(docs, item.doc_ids)
    if answer.abstained:
        row.update(answer_correct=False, em=0.0, f1=0.0, citation_recall=0.0)
        return row
    full = " ".join(t for t in (answer.short_answer, answer.answer) if t)
    span = answer.short_answer or answer.answer
    row["answer_correct"] = answer_correct(full, item)
    row["em"] = exact_match(span, item.answers)
    row["f1"] = f1(span, item.answers)
    row["citation_precision"] = citation_precision(answer.citations, item.doc_ids)
    row["citation_recall"] = citation_recall(answer.citations, item.doc_ids)
    return row


_MEAN_KEYS = ("answer_correct", "em", "f1", *(f"hit@{k}" for k in K_VALUES), "rr",
              "citation_precision", "citation_recall", "quotes_verbatim", "abstention_correct")


def _mean(values: Iterable[Any]) -> float | None:
    present = [float(v) for v in values if v is not None]
    return sum(present) / len(present) if present else None


def aggregate(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Means over the items each metric applies to, abstention rates, per-type accuracy and latency.

    ``rr`` is averaged into ``mrr``; latency is summarised per pipeline stage because a slow run is
    usually one slow stage.
    """
    out: dict[str, Any] = {
        "n": len(rows),
        "n_answerable": sum(1 for r in rows if r["answerable"]),
        "n_unanswerable": sum(1 for r in rows if not r["answerable"]),
    }
    for key in _MEAN_KEYS:
        out["mrr" if key == "rr" else key] = _mean(r.get(key) for r in rows)
    out["abstention"] = abstention_scores([r["answerable"] for r in rows], [r["abstained"] for r in rows])

    groups: dict[str, dict[str, list[Mapping[str, Any]]]] = {"by_type": defaultdict(list),
                                                            "by_lang": defaultdict(list)}
    for r in rows:
        groups["by_type"][r["type"]].append(r)
        groups["by_lang"][r["lang"]].append(r)
    for name, grouped in groups.items():
        out[name] = {
            key: {
                "n": len(members),
                "answer_correct": _mean(m.get("answer_correct") for m in members),
                "abstention_correct": _mean(m.get("abstention_correct") for m in members),
                "hit@5": _mean(m.get("hit@5") for m in members),
            }
            for key, members in sorted(grouped.items())
        }

    stages: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        for stage, ms in (r.get("timings_ms") or {}).items():
            stages[stage].append(float(ms))
    out["latency_ms"] = {stage: percentiles(values, (50, 95)) for stage, values in sorted(stages.items())}
    return out
