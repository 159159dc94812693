"""A question asking a person's office (吴政隆是什么职务): the document names the person, and says their
office only where a title stands before the name (国务院总理李强, 中心主任刘宇航)."""

from __future__ import annotations

import re
from collections.abc import Callable

from qa.answering.entities import Entity

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
