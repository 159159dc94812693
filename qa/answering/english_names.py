"""The people, places and bodies an English question names, and the terms it quotes, as the Chinese documents
would write them."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from index.dictionary import FUNCTION_WORDS, chinese_for, chinese_names, names_meaning, spelled_in
from qa.answering.entities import Entity, EntityRecognizer

# A name an English text writes capitalised inside a sentence: one word or several (Li Qiang)
_EN_NAME = re.compile(r"(?<=[a-z,;:'\"(] )(?:[A-Z][a-z]+|[A-Z]{2,})(?: [A-Z][a-z]+)*")


def english_names(question: str, known: Callable[[str], bool], recognizer: EntityRecognizer | None = None,
                  common: Callable[[str], float] = lambda _w: 0.0) -> tuple[Entity, ...]:
    """The places and people an English question names in pinyin (Zhejiang → 浙江, Yiwu → 义乌), as the
    documents would write them: the form they use when they use one, or the Chinese the question gives
    beside it (Liu Yuhang (刘宇航)), else the one ``common`` in general text. A form the ``recognizer`` reads
    as a person's name (Xi Jinping → 习近平) is a person's; any other a place's. A country or body named in
    English (Russia, ASEAN) is one in a clause that asks."""
    out = []
    for m in _EN_NAME.finditer(question):
        words = m.group(0).split()
        given = spelled_in("".join(words), question)  # Liu Yuhang (刘宇航): the asker's own Chinese
        if given:
            out.append(Entity(given, "PER"))
            continue
        for name in dict.fromkeys(["".join(words)] + (words if len(words) > 1 else [])):
            forms = chinese_names(name) or (_named_in_english(name, recognizer) if _in_asking_clause(m.start(), question) else ())
            if forms:
                form = next((f for f in forms if known(f)), max(forms, key=common))
                person = recognizer is not None and any(e.tag == "PER" for e in recognizer.entities(form))
                at = re.search(r"\b(?:in|at|to) $", question[:m.start()]) is not None
                out.append(Entity(form, "PER" if person else "LOC", at=not person and at))
                break
    return tuple(out)


_EN_CLAUSE = re.compile(r"[^,;.!?]+[,;.!?]*")
# a clause that asks: a question word, or an auxiliary opening it (Does the release say…), or a question mark
_EN_ASKS = re.compile(r"\b(?:what|where|who|whom|whose|why|how|which|when)\b|^\s*(?:is|are|was|were|do|does|did|can|could|has|have|any)\b|\?",
                      re.IGNORECASE)


def _in_asking_clause(at: int, question: str) -> bool:
    """The clause around ``at`` asks (how much was trade with Russia): a name in one that asks nothing (Calling
    from Germany is tricky, do they …) is the asker's story."""
    return any(m.start() <= at < m.end() and _EN_ASKS.search(m.group(0)) for m in _EN_CLAUSE.finditer(question))


def _named_in_english(name: str, recognizer: EntityRecognizer | None) -> tuple[str, ...]:
    """A country or body named in English (Russia → 俄罗斯, ASEAN → 东盟), or by its people's name (Ukrainian
    → 乌克兰): the dictionary's Chinese names of it that the ``recognizer`` reads as one place or organisation
    (not Hall → 霍尔, a surname)."""
    if recognizer is None:
        return ()
    one = lambda f: [(e.text, e.tag) for e in recognizer.entities(f)] in ([(f, "LOC")], [(f, "ORG")])
    forms = names_meaning(name)
    # a people (Ukrainian → 乌克兰人) names its country, as "a Ukrainian pavilion" asks about Ukraine
    return tuple(f for f in forms if one(f)) or tuple(f[:-1] for f in forms if f.endswith("人") and one(f[:-1]))


_QUOTED_EN = re.compile(r"(?<![A-Za-z])['‘\"“]([A-Za-z][A-Za-z -]{1,40}?)['’\"”](?![A-Za-z])")
_QUOTED_ZH = re.compile(r"[“\"]([\u4e00-\u9fff]{2,8})[”\"]")
_MOST_WORDS = 4  # a quoted phrase longer than this is a sentence, not a term


def _core(word: str) -> frozenset[str]:
    """The characters two or more of the dictionary's words for an English word share (single: 单一, 单个,
    单人 → 单; door: 大门, 门户 → 门; double: 双重, 双倍, 加倍, 翻倍 → 双, 倍, 翻)."""
    counts = Counter(c for w in chinese_for(word) for c in set(w))
    return frozenset(c for c, n in counts.items() if n >= 2)


def _in_order(term: str, cores: list[frozenset[str]]) -> bool:
    at = 0
    for chars in cores:
        found = [i for i in (term.find(c, at) for c in chars) if i >= 0]
        if not found:
            return False
        at = min(found) + 1
    return True


def quoted_terms(question: str, texts: list[str]) -> list[str]:
    """The terms ``texts`` quote (“单开门”) that hold, in order, the core character of each word of a term
    the English question quotes ('single door'): the asker's word-for-word rendering of the Chinese term,
    which no dictionary entry gives whole."""
    out: list[str] = []
    for m in _QUOTED_EN.finditer(question):
        words = [w for w in m.group(1).lower().replace("-", " ").split() if w not in FUNCTION_WORDS]
        cores = [_core(w) for w in words]
        if not words or len(words) > _MOST_WORDS or not all(cores):
            continue
        out += [t for text in texts for t in _QUOTED_ZH.findall(text) if _in_order(t, cores)]
    return list(dict.fromkeys(out))
