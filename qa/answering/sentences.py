"""Sentences of retrieved chunks, located in their documents, and how well each one answers a question.

Scoring uses no model at query time: the chunk's retrieval scores stand in for semantic similarity,
and the sentence itself is judged by which question terms it contains (weighted by how rare each term
is in the corpus), by shared character bigrams (robust to segmentation differences) and by whether it
holds an answer of the wanted form.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass

from index.ingest.sentences import split_chunk  # noqa: F401  (re-exported for the composer)
from index.storage.base import Lexicon
from qa.answering.kinds import PERIOD_BEFORE_VERB, has_answer_form
from qa.answering.spans import (
    FREQUENCY_ASKED,
    FREQUENCY_RE,
    NUMBER_RE,
    SHORT_YEAR,
    QType,
    asked_date_part,
    asked_ordinal,
    asked_unit,
    dates_of_part,
    fits_unit,
)
from qa.types import Hit

# A Chinese character: the unified ideographs and their extensions A and B onwards.
CJK = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]")
_TIME_SPEC = re.compile(r"[0-9]{4}年|(?<!哪)[0-9一二三四五六七八九十]{1,3}月份?|前[0-9一二三四五六七八九十]+个月|上半年|下半年|"
                        r"第[0-9一二三四五六七八九十]+[届批期]|(?:19|20)[0-9]{2}\b")
_ZH_NUM = {c: i for i, c in enumerate("零一二三四五六七八九十")}
FULL_STOP = re.compile(r"[。！？!?\n]")
_LEAD_IN_CHARS = 120


@dataclass(frozen=True)
class Sentence:
    text: str
    doc_id: str
    start: int  # offsets into the document text
    end: int
    hit: Hit


def lead_in(sentence: Sentence) -> str:
    """The text of the same full sentence before ``sentence``: a long sentence is quoted in pieces, and
    what a piece is about (its subject, its period) is often named in an earlier piece."""
    chunk = sentence.hit.chunk
    at = sentence.start - chunk.start
    return FULL_STOP.split(chunk.text[max(0, at - _LEAD_IN_CHARS):at])[-1]


@dataclass(frozen=True)
class Scored:
    sentence: Sentence
    score: float
    coverage: float  # weighted share of the question's terms present in the sentence
    has_form: bool


@functools.lru_cache(maxsize=65536)
def bigrams(text: str) -> frozenset[str]:
    """Character bigrams of letters, digits and CJK; cached, since the same sentences come back for
    question after question."""
    chars = [c for c in text if CJK.match(c) or c.isalnum()]
    return frozenset(a + b for a, b in itertools.pairwise(chars))


# (跟6月比, 和2022年相比: the same comparison framed around the period)
_COMPARED = re.compile(r"(?:比|较|环比|同比|相比|对比)(?:上月|去年)?[0-9一二三四五六七八九十]{1,4}(?:年|月份?)|"
                       r"(?:跟|和|与|同)[0-9一二三四五六七八九十]{1,4}(?:年|月份?)(?:相|对)?比|"
                       r"(?:去年|上年)同期(?:相|对)?比?|"  # (跟去年同期比: what a passage calls 同比)
                       r"(?:跟|和|与)(?:去年|上年|前年)[^，,。？?！!；;\s]{0,6}?(?:相|对)?比")  # 跟去年这个时候比
# "自2019年1月之后首次突破", "(自)2020年以来": a period named as the start of a run, not the one it is about
_SINCE = re.compile(r"(?:自|从)?(?<![0-9一二三四五六七八九十年月份])[0-9一二三四五六七八九十年月份]{2,12}(?:以来|之后|以后)")
# 去年7月 is another July than the one a report of this year gives; 比去年, 跟去年比, 去年同期 only compare.
# 8月7日消息, (新华社北京7月31日电): the day a report was filed, not the period its figures are about
_DATELINE = re.compile(r"[0-9一二三四五六七八九十]{1,2}月[0-9一二三四五六七八九十]{1,3}日(?:消息|电|讯)(?=[,，)）\s])")
_RELATIVE_YEAR = re.compile(r"(?<![比较跟和与])(?:去年|前年|明年|后年)(?!同期|相比|比)")
_FROM_JAN = re.compile(r"(?:1|一)月?\s*(?:到|至|-|—|~)\s*([0-9一二三四五六七八九十]{1,2})月(?:份)?")
# 头七个月, 前7月: the first months of a year, as 前7个月 says (前一月 is the month before)
_FIRST_MONTHS = re.compile(r"头([0-9一二三四五六七八九十]{1,2})个月|前((?:1[0-2]|[2-9])|十[一二]?|[二三四五六七八九])月(?!份)")
_PERIOD = re.compile(f"{_TIME_SPEC.pattern}|{_RELATIVE_YEAR.pattern}")


def _full_year(m: re.Match) -> str:
    """25年 → 2025年, 98年 → 1998年."""
    yy = m.group(1) or m.group(2)
    return f"{'20' if int(yy) <= 50 else '19'}{yy}年"


def without_comparisons(text: str) -> str:
    """The text without the periods it names only as points of comparison (比6月份, 较2022年): a
    passage says "比上月", "环比" where a question says "比6月", so they are neither what it is about
    nor words an answer must share."""
    return _COMPARED.sub(" ", text)


def time_specifiers(text: str) -> set[str]:
    """Years, months and periods a text is about, normalised (8月份 → 8月, 八月 → 8月, 1到7月, 头七个月 and 前7月 → 前7个月).

    A period named only as a point of comparison ("比6月份涨了多少"), or as the day a report was filed
    (8月7日消息), is not what the text is about.
    """
    return {period for _text, period in period_pieces(text) if period}


def period_pieces(text: str) -> list[tuple[str, str | None]]:
    """The text in pieces, each with the period it names, normalised, or None: the periods it names only to
    compare with left out (前七个月外贸跟去年同期比 → 前7个月 | 外贸…). A period is one piece, which the
    tokenizer would cut apart (前, 七个, 月)."""
    text = _FROM_JAN.sub(lambda m: f"前{m.group(1)}个月", _SINCE.sub(" ", without_comparisons(_DATELINE.sub(" ", text))))
    text = _FIRST_MONTHS.sub(lambda m: f"前{m.group(1) or m.group(2)}个月", text)
    text = SHORT_YEAR.sub(_full_year, text)
    pieces, at = [], 0
    for m in _PERIOD.finditer(text):
        s = m.group(0).replace("月份", "月")
        s = "".join(str(_ZH_NUM[c]) if c in _ZH_NUM and c != "十" else c for c in s)
        pieces += [(text[at:m.start()], None), (m.group(0), s if not s.isdigit() else s + "年")]
        at = m.end()
    return [*pieces, (text[at:], None)]


class SentenceScorer:
    def __init__(self, question: str, concepts: list[tuple[tuple[str, ...], tuple[str, ...]]],
                 lexical: Lexicon, qtype: QType, asking: str | None = None) -> None:
        self.question = question
        self.qtype = qtype
        # the unit and ordinal asked for are read from ``asking`` when given (composer.asking)
        self.asking = asking or question
        self.unit = asked_unit(asking or question)
        self.ordinal = asked_ordinal(asking or question)
        self.date_part = asked_date_part(asking or question)
        self.frequency = bool(FREQUENCY_ASKED.search(asking or question))
        # A concept weighs as much as its most common spelling is rare, so a question saying 综保区
        # where the corpus says 综合保税区 is not penalised for the alias. Words no document uses
        # (colloquial verbs, 啥) weigh nothing: no sentence could cover them.
        self.concepts: list[tuple[tuple[str, ...], tuple[str, ...], float]] = []
        for forms, parts in concepts:
            known = [f for f in forms if lexical.knows(f)]
            known_parts = [p for p in parts if lexical.knows(p)]
            if known:
                self.concepts.append((forms, (), min(lexical.idf(f) for f in known)))
            elif parts and len(known_parts) == len(parts):
                self.concepts.append((forms, parts, sum(lexical.idf(p) for p in parts) / len(parts)))
        self.total = sum(w for _, _, w in self.concepts) or 1.0
        self.q_bigrams = bigrams(question)
        # A phrase the asker put in quotes ("“只检一次”是什么意思") is what the answer must be about.
        self.quoted = [q for q in re.findall(r"[“\"「『](.{2,20}?)[”\"」』]", question)]

    def coverage(self, tokens: frozenset[str] | set[str], haystack: str = "") -> float:
        """Weighted share of the question's concepts the sentence has, as a token or, since word
        segmentation of unfamiliar names differs between a question and a passage, as a substring
        of the (normalised) sentence and title."""
        if not self.concepts:
            return 0.0
        got = 0.0
        for forms, parts, w in self.concepts:
            if (any(f in tokens or (len(f) > 1 and f in haystack) for f in forms)
                    or (parts and all(p in tokens or p in haystack for p in parts))):
                got += w
        return got / self.total

    def has_form(self, text: str) -> bool:
        """The text holds a value of the asked kind (a count in the asked unit, for a count)."""
        if self.qtype is QType.NUMBER and self.ordinal is not None:
            return bool(self.ordinal.search(text))
        if self.qtype is QType.DATE and self.date_part is not None:
            return bool(dates_of_part(text, self.date_part))
        if self.qtype is QType.DURATION and self.frequency:
            return bool(FREQUENCY_RE.search(text) or PERIOD_BEFORE_VERB.search(text))
        form = has_answer_form(text, self.qtype)
        if form and self.qtype is QType.NUMBER:
            form = any(fits_unit(m.group(0), self.unit) for m in NUMBER_RE.finditer(text))
        return form

    def score(self, s: Sentence, tokens: set[str], best_dense: float, best_fused: float,
              haystack: str = "") -> Scored:
        cov = self.coverage(tokens, haystack)
        bg = len(self.q_bigrams & bigrams(s.text)) / len(self.q_bigrams) if self.q_bigrams else 0.0
        dense = (s.hit.dense or 0.0) / best_dense if best_dense > 0 else 0.0
        fused = s.hit.score / best_fused if best_fused > 0 else 0.0
        form = self.has_form(s.text)
        length_penalty = 0.1 if len(s.text) < 8 else 0.0
        quoted = 0.3 if self.quoted and any(q in s.text for q in self.quoted) else 0.0
        score = (0.45 * cov + 0.2 * bg + 0.15 * dense + 0.1 * fused + (0.15 if form else 0.0) + quoted
                 - length_penalty)
        return Scored(s, score, cov, form)
