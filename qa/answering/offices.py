"""A question asking a person's office (吴政隆是什么职务): the document names the person, and says their
office only where a title stands before the name (国务院总理李强, 中心主任刘宇航). And the other way round, a
question asking who holds an office (总裁是谁, who is the CEO): the evidence must name a person."""

from __future__ import annotations

import re
from collections.abc import Callable

from index.dictionary import words_for
from qa.answering.candidates import ahead
from qa.answering.entities import Entity, EntityRecognizer
from qa.answering.sentences import Scored
from qa.answering.spans import QType

# what a person is asked to be: their office, post or standing in the event
OFFICE_ASKED = re.compile(r"职务|职位|头衔|官职|(?:什么|啥|哪个)(?:官|职|级别)|(?:什么|啥)身份|"
                          r"\b(?:position|title|job|post|office|role)\b", re.IGNORECASE)
PASSING = 2  # sentences naming someone mentioned in passing, not written about
# the verbs that tell an office taken (任, 担任, 当选为…)
_TAKES_OFFICE = frozenset({"任", "担任", "出任", "兼任", "升任", "就任", "历任", "曾任", "现任", "调任", "接任",
                           "当选", "当选为", "受聘", "聘为", "署理", "任职", "卸任", "辞去"})
_BREAK = re.compile(r"[，,。；;：:！!？?、\s“”\"（）()]")


def office_not_given(question: str, persons: list[Entity], texts: Callable[[], list[str]],
                     tagged: Callable[[str], list[tuple[str, str]]]) -> str | None:
    """The person (of ``persons``, the people the question names) whose office it asks for, when the best
    document (``texts``) names them in passing (in at most ``PASSING`` sentences), never with a title before
    the name (a noun ending the words of its clause before it; ``tagged`` gives the words with their parts
    of speech), and tells no office taken. A document that does not name them says nothing here."""
    asked = OFFICE_ASKED.search(question)
    if asked is None or not persons:
        return None
    # the one named last before it asks (…提到的吴政隆，他是什么职务: 吴政隆, not 李强 before him)
    named = [p for p in persons if 0 <= question.find(p.text) < asked.start()]
    person = max(named, key=lambda p: question.find(p.text)) if named else persons[0]
    every = texts()
    sentences = [t for t in every if person.text in t]
    if not sentences or len(sentences) > PASSING or any(w in _TAKES_OFFICE for t in every for w, _pos in tagged(t)):
        return None  # a life told by the offices taken (1995年8月，任…市委常委) gives them without the name,
        # and a text about the person (王爱爱，…，国家一级演员) in words of its own
    for text in sentences:
        for m in re.finditer(re.escape(person.text), text):
            lead = _BREAK.split(text[:m.start()])[-1]  # the clause's words before the name
            words = tagged(lead) if lead else []
            if words and words[-1][1].startswith("n") and not words[-1][1].startswith("nr"):
                return None  # 国务院总理李强: a title (a noun, not another name) before the name
    return person.text


# Who holds an office (抖音电商的总裁是谁, who is the CEO): the asking word for a person, and in English the
# verbs that ask who holds one (who heads, who founded)
# (主任叫啥, 主任的名字是什么: the holder's name asked)
_WHO = re.compile(r"谁|哪位|叫(?:啥|什么)|名字|姓名")
_HOLDER = (r"{0}(?:现在|目前|到底|究竟)?(?:是|为|叫)(?:谁|哪位)|(?:谁|哪位)(?:是|在当|当|担任)[^，,。？?]{{0,12}}{0}|"
           r"{0}(?:现在|目前|到底|究竟)?叫(?:啥|什么)(?:名字)?|{0}的?(?:名字|姓名)")
_WHO_EN = re.compile(r"\bwho\b", re.IGNORECASE)
_HOLDS_EN = re.compile(r"\bwho\s+(?:heads|runs|leads|chairs|founded|manages|directs)\b", re.IGNORECASE)


def office_asked(question: str, words: Callable[[str], list[str]], is_office: Callable[[str], bool]) -> str | None:
    """The office whose holder a question asks for by name (总裁 of 抖音电商的总裁是谁; CEO of who is the CEO):
    a word of the question that ``is_office`` (the thesaurus's officials by post), or in English a word
    whose dictionary translations include one, or a verb of holding one; None when it asks no one. ``words``
    cuts a Chinese question into words."""
    if _WHO_EN.search(question):
        held = _HOLDS_EN.search(question)
        if held:
            return held.group(0)
        return next((w for w in re.findall(r"[A-Za-z]+", question) if any(is_office(t) for t in words_for(w.lower()))), None)
    if not _WHO.search(question):
        return None
    # the office 谁 is said of (总裁是谁, 谁是…的老板), not one named on the way (总理一职由谁委任)
    return next((w for w in words(question) if (is_office(w) or w.isascii() and any(is_office(t) for t in words_for(w)))
                 and re.search(_HOLDER.format(re.escape(w)), question, re.IGNORECASE)), None)


def holder_kind(kind: QType, question: str, words: Callable[[str], list[str]], is_office: Callable[[str], bool]) -> QType:
    """WHO for a question asking the name of an office's holder (总理叫什么名字: a person, not a title in
    《》 as other names asked are), else ``kind``."""
    return QType.WHO if kind is QType.WHAT and office_asked(question, words, is_office) else kind


def holder_unnamed(question: str, texts: list[str], recognizer: EntityRecognizer,
                   words: Callable[[str], list[str]], is_office: Callable[[str], bool]) -> str | None:
    """The office a question asks the holder of, when none of ``texts`` (the best evidence) names a person
    the question does not: the material says nothing of who holds it (a headline on 抖音电商 for 总裁是谁)."""
    office = office_asked(question, words, is_office)
    if office is None or not texts:
        return None
    for text in texts:  # a person the question does not name, not part of a longer word (小红 of 小红书)
        longer = [w for w in words(text) if len(w) > 2]
        if any(e.tag == "PER" and e.text not in question and not any(e.text in w and e.text != w for w in longer)
               for e in recognizer.entities(text)):
            return None
    return office


HOLDER_REACH = 12  # candidates searched for the holder of an asked office


def holder_first(kept: list[Scored], question: str, words: Callable[[str], list[str]], is_office: Callable[[str], bool],
                 persons: Callable[[str], set[str]], doc_sentences=None) -> list[Scored]:
    """For a question asking who holds an office (…中心主任叫啥), the first candidate naming a person
    right after that office (中心主任刘宇航表示…) comes first, else such a sentence of the best document:
    a question telling the report it read about (7月份讲电商物流指数的那个…) covers the report's figures
    better than the line that names the holder."""
    office = office_asked(question, words, is_office) if kept else None
    if office is None or office.isascii():
        return kept
    named = persons(question)

    def names_holder(text: str) -> bool:
        return office in text and any(text.startswith(p, m.end()) for p in persons(text) - named
                                      for m in re.finditer(re.escape(office), text))
    first = next((x for x in kept[:HOLDER_REACH] if names_holder(x.sentence.text)), None)
    if first is None and doc_sentences is not None:
        sent = next((s for s, _t, _h in doc_sentences(kept[0].sentence.doc_id) if names_holder(s.text)), None)
        return kept if sent is None else [Scored(sent, kept[0].score, kept[0].coverage, False)] + kept
    return ahead(kept, first)
