"""Chinese questions asking for English words (英文缩写是哪三个字母, FACT四个字母各是哪个英文单词): the
evidence that writes Latin letters answers them, and evidence that explains in Chinese only does not."""

from __future__ import annotations

import re
from collections.abc import Callable

from qa.answering.candidates import ahead
from qa.answering.evidence import TOP_FOR_FORM
from qa.answering.sentences import Scored

# a question asking for English words: 哪个英文单词, 英文全称, 英文名, (which) English word, or in English for
# letters that stand for words (its acronym, the abbreviation)
_ENGLISH_ASKED = re.compile(r"哪个英文|英文(?:单词|全称|名称|名字|名|缩写|原文|怎么(?:说|写))|\bEnglish (?:words?|names?|terms?)\b|"
                            r"\b(?:acronyms?|abbreviations?|abbreviated|initials)\b", re.IGNORECASE)
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _writes_latin(question: str) -> Callable[[str], bool]:
    """Whether a text writes a word in Latin letters besides those ``question`` gives (FACT)."""
    given = {w.lower() for w in _LATIN_WORD.findall(question)}
    return lambda text: any(w.lower() not in given for w in _LATIN_WORD.findall(text))


def english_not_given(question: str, texts: list[str]) -> bool:
    """The question asks for English words and none of ``texts`` (the best evidence) writes a word in Latin
    letters besides those the question gives (FACT): the evidence explains them in Chinese only."""
    if not _ENGLISH_ASKED.search(question):
        return False
    return not any(map(_writes_latin(question), texts))


def latin_first(kept: list[Scored], question: str) -> list[Scored]:
    """For a question asking for English words (英文缩写是哪三个字母), the best candidate that writes a word
    in Latin letters besides the question's (仓库管理系统(WMS)) comes first."""
    if not _ENGLISH_ASKED.search(question):
        return kept
    writes = _writes_latin(question)
    return ahead(kept, next((x for x in kept[:TOP_FOR_FORM] if writes(x.sentence.text)), None))
