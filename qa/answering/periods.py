"""The period a sentence is about when it names none itself: the one in force in its paragraph (到2025年,
在全国打造500个…。90%的县达到… — the later sentence goes on about 2025), and the date an event is given
in the sentence before the one telling it (一、部署启动阶段(2023年7月-12月)印发通知…。经地方推荐产生第一批…)."""

from __future__ import annotations

import re
from dataclasses import replace

from qa.answering.evidence import FIELD, TOP_FOR_FORM
from qa.answering.lists import zh_number
from qa.answering.sentences import FULL_STOP, Scored, Sentence, lead_in, time_specifiers
from qa.answering.spans import DATE_RE

# how far back in its paragraph a date may be for the sentence after it to be quoted from there
_DATED_REACH = 160


def period_in_force(sentence: Sentence) -> set[str]:
    """The period the nearest earlier sentence of the same paragraph names, for a sentence that names
    none: "到2025年,在全国打造500个…。90%的县达到…" — a period stays in force over the sentences that go
    on about it, to the end of the paragraph; and over the fields of a fact sheet, line after line."""
    chunk = sentence.hit.chunk
    lines = chunk.text[:sentence.start - chunk.start].split("\n")
    for piece in reversed(FULL_STOP.split(lines[-1])):
        found = time_specifiers(piece)
        if found:
            return found
    if FIELD.match(sentence.text):  # a fact sheet's lines are one record: 展会时间 dates its 展会地点
        for line in reversed(lines[:-1]):
            if not FIELD.match(line):
                break
            found = time_specifiers(line)
            if found:
                return found
    return set()


def dated_in_paragraph(kept: list[Scored]) -> list[Scored]:
    """For a question asking when, the best candidate tells what happened and not when, and the earlier
    sentence of its paragraph that gives a date dates it (the stage heading before the stage's
    events): the candidate is quoted from that sentence on. Only where none of the best candidates
    gives a date: one that does is about the event it dates."""
    if not kept or any(x.has_form for x in kept[:TOP_FOR_FORM]):
        return kept
    first = kept[0].sentence
    chunk = first.hit.chunk
    line = chunk.text[:first.start - chunk.start].split("\n")[-1]
    stops = [0] + [m.end() for m in FULL_STOP.finditer(line)]
    for at in reversed(stops[:-1] if len(stops) > 1 else []):
        if DATE_RE.search(line[at:]):
            if len(line) - at > _DATED_REACH:
                break
            start = first.start - (len(line) - at)
            text = chunk.text[start - chunk.start:first.end - chunk.start]
            return [replace(kept[0], sentence=replace(first, text=text, start=start), has_form=True)] + kept[1:]
    return kept


_YEAR = re.compile(r"[0-9]{4}年")


def about_period(x: Scored, specs: set[str], who: bool = False) -> bool:
    """Whether the sentence is about every period the question names. Its own period (in it, or in
    the pieces of its full sentence before it) comes first: "上半年…6.1万亿元" under a title about
    July is about the first half year. Otherwise the title completes what it leaves out, or, under
    a title that names no period, the period in force in its paragraph. Where neither names a
    year, the year the document is dated is in force. A person or body asked for (``who``) is no
    value of a period: under a title about the periods asked, any of its sentences may name them."""
    own = time_specifiers(lead_in(x.sentence) + x.sentence.text)
    chunk = x.sentence.hit.chunk
    title = time_specifiers(chunk.title)
    if who and title and specs <= title:
        return True
    own = own or (set() if title else period_in_force(x.sentence))
    years = {s for s in own | title if _YEAR.fullmatch(s)}
    dated = {f"{chunk.date[:4]}年"} if chunk.date and not years else set()  # 前7个月 dated 2023-08-14: 2023's
    if own and not own & specs and not (all(_YEAR.fullmatch(s) for s in specs) and not years):
        return False  # about another period (a year asked of a sentence that names none is not)
    return specs <= own | title | dated


# the first batch, the 31st games, the second round: one of a series, counted
_OF_SERIES = re.compile(r"第([0-9]+|[一二三四五六七八九十]+)(批|届|次|期|轮)")


def _counted(text: str) -> set[tuple[int | None, str]]:
    return {(int(n) if n.isdigit() else zh_number(n), unit) for n, unit in _OF_SERIES.findall(text)}


def of_the_counted(kept: list[Scored], question: str) -> list[Scored]:
    """A question about one of a series (第一批领跑县) is not answered by a sentence about another of the
    same series (…产生第二批…): those are left out, where any other remains."""
    asked = _counted(question)
    if not asked:
        return kept
    units = {unit for _n, unit in asked}
    said = [_counted(x.sentence.text) for x in kept]
    return [x for x, counts in zip(kept, said) if not (counts and not counts & asked and {u for _n, u in counts} & units)] or kept

