"""What a question asks the meaning of (二线是指啥, 什么是号店一体) and whether a sentence gives it (通常所说的“二线”);
the documents' words that mean what a coined word of the question does (爆款: 爆品)."""

from __future__ import annotations

import re
from collections.abc import Callable

# a character used as a word of its own less often than this in general text is a morpheme of words (款, 品)
BOUND_MORPHEME = 1e-4

# What a question asks the meaning of: 什么是X, X是指啥, X是什么意思 (the last word of X: 常说的一线 → 一线)
_DEFINITION_ASKED = re.compile(
    r"(?:什么是|啥是|何为|何谓|什么叫|啥叫|what is meant by)\s*[“\"']?([\u4e00-\u9fffA-Za-z]{2,12}?)[”\"']?\s*(?:[？?呢啊]|$)|"
    r"[“\"']?([\u4e00-\u9fffA-Za-z]{2,16}?)[”\"']?\s*(?:是指|指的是|指啥|指什么|是啥意思|是什么意思|啥意思|什么意思|的意思是)")


def defined_term(question: str) -> str | None:
    m = _DEFINITION_ASKED.search(question)
    if m is None:
        return None
    # a term the asker quotes before asking (“二线”，到底指的是哪个环节) is the one asked about
    quoted = re.findall(r"[“\"']([\u4e00-\u9fffA-Za-z]{2,16})[”\"']", question[:m.end()])
    term = quoted[-1] if quoted else re.split(r"的|说|所谓", m.group(1) or m.group(2))[-1]
    return term if len(term) >= 2 else None


def defines(sentence: str, term: str) -> bool:
    """The sentence says what ``term`` means: 通常所说的“二线”, 所谓X, 称为X, X是指, X即, “X”,让…"""
    t = re.escape(term)
    q = "[“\"'「]?"
    e = "[”\"'」]?"
    return bool(re.search(rf"(?:所说的|所谓的?|称为|称作|叫做|简称|即){q}{t}|{q}{t}{e}(?:是指|指的是|即|就是|意思是|[,，]\s*(?:让|使|指|即))",
                          sentence))


def coined_kin(words: list[str], sentence: str, knows: Callable[[str], bool],
               frequency: Callable[[str], float]) -> list[str]:
    """Where a two-character word of the question is a coinage neither the documents nor general text use
    (``knows``, ``frequency``; 爆款 where the article says 爆品), the documents' words in ``sentence`` that
    share one of its characters in the same place, a character that is no word of its own (爆, 款; not 能
    or 火): where the sentence speaks of the same thing. A word general text uses (截至) or a piece of a
    wrong cut (货该: 带货 has 货 elsewhere) has none."""
    found: list[str] = []
    for w in words:
        if len(w) != 2 or knows(w) or frequency(w) > 0:
            continue
        for i, c in enumerate(w):
            if not "\u4e00" <= c <= "\u9fff" or frequency(c) >= BOUND_MORPHEME:
                continue
            for m in re.finditer(c, sentence):
                kin = sentence[m.start() - i: m.start() - i + len(w)]
                if len(kin) == len(w) and kin != w and knows(kin) and kin not in found:
                    found.append(kin)
    return found
