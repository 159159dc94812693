"""Figures said 分别 (respectively) of the subjects named before them: the n-th figure is the n-th subject's."""

from __future__ import annotations

import re

_CLAUSE = re.compile(r"[，,；;。：:]")
_JOINED = re.compile(r"以及|[和与及]")
_AND = re.compile(r"以及|[和与及、]")


def respective(cands: list[tuple[int, str]], sentence: str, keywords: list[str]) -> str | None:
    """Of the figures ``cands`` (position, text) in the clause after 分别, the one in the place of the subject
    the ``keywords`` alone name, among those the last clause before 分别 joins with 和/与/及/、
    (电商物流总业务量指数和农村电商业务量指数…分别保持20%和25%以上, asked of 农村电商: the second). None when
    the sentence says nothing 分别, its figures and subjects differ in number, or no one subject has the
    most of the keywords that name it and no other."""
    at = sentence.find("分别")
    if at < 0:
        return None
    end = _CLAUSE.search(sentence, at)
    figures = [c for c in cands if at < c[0] < (end.start() if end else len(sentence))]
    joined = [c for c in _CLAUSE.split(sentence[:at]) if _JOINED.search(c)]
    if len(figures) < 2 or not joined:
        return None
    subjects = [s for s in _AND.split(joined[-1]) if s]
    if len(subjects) != len(figures):
        return None
    # the last goes on with what is said of them all (进口额均有增长, 蔬菜的线上销量): it ends with the first's
    # head (额, 指数: the same word), else before a 的
    last, head = subjects[-1], subjects[0][-1]
    subjects[-1] = last[:last.find(head) + 1] if head in last else last.split("的")[0]
    own = [sum(len(k) for k in keywords if k in s and not any(k in o for o in subjects if o is not s)) for s in subjects]
    best = max(own)
    return figures[own.index(best)][1] if best and own.count(best) == 1 else None
