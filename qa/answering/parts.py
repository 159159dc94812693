"""A question's parts: the questions one message asks, each answered on its own and merged after.

Visitors ask several things at once (展会在哪？几号开？), ask of two documents in one breath (综保区23条是
哪个部门印发的 县域商业三年行动又是谁牵头的), or add a part that only points back (…fax line? what's the
number). Which is which is read from the question's form and from which of its words the documents use.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from index.storage.base import Lexicon
from index.tokenizer import is_english
from qa.answering.asker import about_question
from qa.answering.evidence import META_NOUNS, EvidenceBuilder, names_a_kind
from qa.answering.kinds import ASKS, QType, question_types, valued_clauses
from qa.answering.lists import SERIES_ITEM
from qa.answering.plain import sentences
from qa.answering.sentences import time_specifiers

# an English part that is a question word and at most one word more: "what's the number?", "when?"
_BARE_EN = re.compile(r"^\s*(?:and\s+|so\s+|then\s+)?(?:what|which|when|where|who|how)(?:'s|\s+is|\s+are|\s+was)?"
                      r"(?:\s+(?:the|its|their|it|that|this))?(?:\s+(?:actual|exact|real|precise))?(?:\s+\w+)?\s*[?.!]*\s*$",
                      re.IGNORECASE)
# an English part naming figures to choose between and at most one word besides (Morning 9 or 10?, 2023 or
# 2024?): the choice narrows what the part before asked, as 9月几号到几号 does in Chinese
_FIGURES_EN = re.compile(r"^\s*(?:[A-Za-z]+\s+)?(?:at\s+|around\s+)?[0-9][0-9.:%]*(?:\s*(?:am|pm))?"
                         r"(?:\s*(?:,|or|to|-)\s*[0-9][0-9.:%]*(?:\s*(?:am|pm))?)+\s*[?.!]*\s*$", re.IGNORECASE)
# the clause that asks, after what the asker says first (The July article said it would go up, so what's the…)
_LAST_CLAUSE_EN = re.compile(r"^.*[,;:]\s*(?=(?:so|then)\s)", re.IGNORECASE)


# the pair 分别 distributes over: named in its clause or counted back to (…，两边分别; not …，这些文件分别)
_BOTH = re.compile(r"^(.{2,40}?)(?:和|与|以及|及)([^，,。；;：:！!？?]{2,40}?|.{2,40}?[，,]\s*[两二][^，,。；;：:！!？?\s]{0,3})[，,]?分别(.+)$")
_SHARED = re.compile(r"^(.+?)(?:也都|都|均)([^，,。；;\s]{2,})")
_TWO_EN = re.compile(r"^(.{10,}?),?\s+and\s+((?:(?:at|in|on|from|for)\s+)?"
                     r"(?:what|how|why|when|where|who|which)\b.{6,})$", re.IGNORECASE)
_BOTH_EN = re.compile(r"^(.*?)\bboth (?:the )?(.{3,80}?) and (?:the )?(.{3,80}?)[.?!]*$", re.IGNORECASE)


def split_questions(question: str) -> list[str]:
    """"7月物流指数是多少？博览会又在哪里举办？" and "A和B分别是多少" ask two things; each part is
    answered on its own. A piece that asks nothing says who asks or why (我想做个对比): it stays with
    the part before it, where what it says of the asker is read as such; an English one (…? trying to
    see if they overlap) is left out, since the glossary would translate its words into the topic,
    unless it asks for the answer as a list (…? List them all): that says what the part asks for."""
    parts: list[str] = []
    said = ""  # what the asker says before the first question (我在做展台海报；)
    for piece in (p.strip() for p in re.split(r"(?<=[？?；;])\s*", question)):
        if len(piece) < 4 and not (parts and ASKS.search(piece)):  # (多少点 after a question: its value)
            continue
        if ASKS.search(piece):
            parts.append(f"{said}{piece}")
            said = ""
        elif parts and (not is_english(piece) or QType.LIST in question_types(piece)):
            parts[-1] = f"{parts[-1]} {piece}"  # (…which sub-indices rose? List them: how to answer it)
        elif not parts:
            said += piece
    if len(parts) > 1:
        return parts
    question = parts[0] if parts else question
    m = _BOTH.match(question.strip())
    if m:
        first, second, rest = m.groups()
        # A和B都提到了X，两篇分别怎么说: what both do (提到了X) belongs to each part
        both = _SHARED.match(second)
        shared = f" {both.group(2)} " if both else ""
        second = both.group(1) if both else second
        return [first + shared + rest, second + shared + rest]
    m = _TWO_EN.match(question.strip())
    if m:  # "How fast did trade grow, and what did he say about …?"
        return [m.group(1) + "?", m.group(2)]
    m = _BOTH_EN.match(question.strip())
    if m:
        return [f"{m.group(1)}{m.group(2)}", f"{m.group(1)}{m.group(3)}"]
    return [question]


# a part offering another answer to the question before it (…多少钱？还是免费的？, How much is…? Or free if…?)
_ALTERNATIVE = re.compile(r"^\s*(?:还是|或者|or\b)", re.IGNORECASE)

_NOUN_TAGS = ("n", "j", "eng")  # the tags of nouns (n, nz, ns, nt, nr), abbreviations and Latin terms

# a clause that says it asks one thing more: 县域商业三年行动又是谁牵头的, 另外…要做到什么程度, 还有…是多少,
# 顺便问下…
_FURTHER = re.compile(r"又|另外|^\s*(?:还有|顺便)")
OPENS_FURTHER = re.compile(r"^\s*(?:另外|还有|顺便)")  # …, 另外…: the clause itself opens with it


def asking_clauses(part: str) -> list[str]:
    """A part read clause by clause (综保区23条是哪个部门印发的 县域商业三年行动又是谁牵头的): a clause that
    asks one thing more starts a question of its own; any other goes with the question it is in."""
    return _clauses_starting(part, lambda _before, clause: _FURTHER.search(clause) is not None)


# a clause naming the source the question goes by (据…印发之《…》, 根据…的通知，, 《…》里说，)
_SOURCE = re.compile(r"^\s*(?:(?:据|根据|依据|依照|按照)[^，,。；;？?]{4,60}|《[^《》]{2,40}》[^，,。；;？?]{0,6})[，,]")


def stated_then_asked(part: str) -> tuple[str, str] | None:
    """A Chinese part that states something in sentences of its own before the sentence that asks (…联合制定的
    《县域商业三年行动计划》设定了量化目标。请问到2025年…打造多少个…?), or names the source it goes by in a
    clause (据…印发之《…》,至2025年…多少个; 《…》里说，…): the statements and the asking, or None."""
    if is_english(part):
        return None
    source = _SOURCE.match(part)
    if source and ASKS.search(part[source.end():]) and not ASKS.search(source.group(0)):
        return source.group(0).strip(" ，,"), part[source.end():]
    said = sentences(part)
    told = 0
    while told < len(said) - 1 and said[told][1] and not ASKS.search(said[told][0]):
        told += 1
    if not told:  # or in clauses of what the asker does or means to (我常往乡下拉快递，农村电商…涨得快不快)
        rest = about_question(part)
        at = part.rfind(rest) if rest.strip() and rest != part else -1
        return (part[:at].strip(" ，,"), rest) if at > 0 and part[:at].strip(" ，,") else None
    return "".join(x for x, _ in said[:told]), "".join(x for x, _ in said[told:])


def _clauses_starting(part: str, starts: Callable[[str, str], bool]) -> list[str]:
    """A Chinese part cut at clause breaks into the questions it asks: a clause that asks, after text that
    asks, starts a question of its own where ``starts(text so far, clause)`` says so; any other goes with
    the question it is in. An English part stays whole (its parts are split elsewhere)."""
    if is_english(part):
        return [part]
    out: list[str] = []
    for clause in re.split(r"(?<=[，,\s])", part):
        # 另外县里打造村播学院 用的是哪儿的场地: a clause saying it asks one thing more, whose asking words follow
        further = OPENS_FURTHER.match(clause) is not None
        if out and ASKS.search(out[-1]) and (ASKS.search(clause) or further) and starts(out[-1], clause):
            out.append(clause)
        elif out:
            out[-1] += clause
        else:
            out.append(clause)
    merged: list[str] = []
    for c in out:  # a question that asks nothing after all stays with the one before it
        if merged and not ASKS.search(c):
            merged[-1] += c
        else:
            merged.append(c)
    return [c.strip(" ，,") for c in merged]


def _asks_value_more(clause: str) -> bool:
    """A clause that says it asks one thing more and names a value (还有上半年…占社零的比重): it asks for
    the value, with no question word."""
    return OPENS_FURTHER.match(clause) is not None and question_types(clause)[0] is QType.NUMBER


# two things asked joined (电话和传真, 全称及其办公地址)
_AND = re.compile(r"和|与|及其?|以及|跟|还有")


def _kind_named(word: str) -> QType | None:
    """The kind of answer a word names (传真, 办公地址, 全称), other than a figure."""
    kind = question_types(word)[0]
    return None if kind in (QType.DESCRIPTIVE, QType.NUMBER) else kind


def by_kind(question: str) -> list[str]:
    """A question asking two kinds of answer of one thing, joined (展会的电话和传真是多少, 运营单位的全称及其办公地址):
    a part for each, with what they share (展会的电话是多少, 展会的传真是多少). Two of one kind (开幕和闭幕时间) are
    one question."""
    for m in _AND.finditer(question):
        before, after = question[:m.start()], question[m.end():]
        first = next(((w, k) for n in range(2, min(6, len(before)) + 1) if (k := _kind_named(w := before[-n:]))), None)
        second = next(((w, k) for n in range(2, min(6, len(after)) + 1) if (k := _kind_named(w := after[:n]))), None)
        if first and second and first[1] != second[1]:
            head, rest = before[:-len(first[0])], after[len(second[0]):]
            return [head + first[0] + rest, head + second[0] + rest]
    return [question]


def by_period(question: str) -> list[str]:
    """A question asking values of two periods in its clauses (上半年零售额涨了多少，前七个月进出口又涨了
    多少) as one part per period: no one sentence is about both. A clause naming no period goes with the
    part before it."""
    if is_english(question) or len(time_specifiers(question)) < 2:
        return [question]
    parts: list[tuple[str, set[str], bool]] = []  # text, its periods, whether it asks a value yet
    for clause in re.split(r"(?<=[，,；;。？?！!\s])", question):
        periods, asks = time_specifiers(clause), bool(valued_clauses(clause)) or _asks_value_more(clause)
        if parts and periods and parts[-1][2] and parts[-1][1] and not periods <= parts[-1][1]:
            parts.append((clause, periods, asks))
        elif parts:
            text, had, asked = parts[-1]
            parts[-1] = (text + clause, had | periods, asked or asks)
        else:
            parts.append((clause, periods, asks))
    if len(parts) < 2 or not all(p and a for _t, p, a in parts):
        return [question]
    return [t.strip(" ，,；;") for t, _p, _a in parts]


class QuestionParts:
    def __init__(self, evidence: EvidenceBuilder, asked_nouns: Callable[[str], list[str]]) -> None:
        self.evidence = evidence
        self.asked_nouns = asked_nouns

    def split(self, question: str, lexical: Lexicon | None = None) -> list[str]:
        """The questions a question asks, each answered on its own: split where it asks again
        (？, ；, two things 分别), a part naming nothing (…? what's the number) kept with the one before it,
        and a part asking of two periods split by period."""
        parts: list[str] = []
        for part in split_questions(question):
            # …fax line? what's the number: the same thing; 门票多少钱？还是免费的: another answer to the same question
            if parts and (not self._names_anything(part, lexical) or _ALTERNATIVE.match(part)):
                parts[-1] = f"{parts[-1]} {part}"
            else:
                parts.append(part)
        return [p for part in parts for k in by_kind(part) for p in by_period(k)]

    def clauses(self, part: str, lexical: Lexicon | None = None) -> list[str]:
        """The clauses of a part that each ask something and name what they ask about (a clause naming
        nothing, 几号开, goes with the one before it); one when the part asks one thing."""
        out: list[str] = []
        for clause in asking_clauses(part):
            if out and not self._names_anything(clause, lexical):
                out[-1] = f"{out[-1]} {clause}"
            else:
                out.append(clause)
        return out

    def topic_clauses(self, part: str, lexical: Lexicon | None = None) -> list[str]:
        """A part read as one question per clause that asks again and names a topic of its own (海关最近
        发的两个消息 前7个月进出口同比涨了多少 综保区改革一共多少条), for when the part as written finds no
        answer: no one document may say both. A clause naming only what it asks for (有没有联系电话) or
        nothing (谁牵头啊), or pointing back (那时候…处在哪个阶段), goes with the one before it; one clause
        when the part asks one thing."""
        return _clauses_starting(part, lambda before, clause: not self._points_back(clause)
                                 and self._names_topic(before, lexical) and self._names_topic(clause, lexical))

    def _names_topic(self, clause: str, lexical: Lexicon | None) -> bool:
        """Whether a clause names, in words some document uses, a thing besides what it asks for: a noun
        neither asked for nor a word for a kind of answer (联系电话 asks for a phone number)."""
        asked, tags = set(self.asked_nouns(clause)), dict(self.evidence.tokenizer.tagged_words(clause))
        return any(forms[0] not in asked and tags.get(forms[0], "").startswith(_NOUN_TAGS)
                   and not names_a_kind(forms[0])
                   and (lexical is None or not self.evidence.unknown(forms, parts, lexical))
                   for forms, parts in self.evidence.question_concepts(clause, lexical))

    def _points_back(self, clause: str) -> bool:
        """Whether a clause opens with a demonstrative (那时候, 它, 这个): it asks about what the clause
        before it names."""
        tagged = self.evidence.tokenizer.tagged_words(clause.strip(" ，,"))
        return bool(tagged) and tagged[0][1] == "r" and not ASKS.search(tagged[0][0])

    def _names_anything(self, part: str, lexical: Lexicon | None = None) -> bool:
        """Whether a part of a question names what it asks about (not: "what's the number", "具体是哪天"),
        in words some document uses when ``lexical`` is given (not: 前前后后最多查几回, after a question on
        inspections: its words are the asker's for what the part before named), nor in what the asker says of
        themselves (叫啥名，我想关注了看最新通知: what they will do with the answer names nothing asked)."""
        if is_english(part):  # nor one whose only terms in the glossary name a kind of answer (from when
            # until when can we go in?: 时间), which asks it of what the part before named
            terms = self.evidence.tokenizer.translate(part, lexical.knows).split() if lexical else None
            return not (_BARE_EN.match(_LAST_CLAUSE_EN.sub("", part)) or _FIGURES_EN.match(part)
                        or terms is not None and all(names_a_kind(t) or t in META_NOUNS for t in terms))
        # an item of a series by its place (第一年干啥、第二年干啥) picks among what the part before named, and
        # a bare number (the 9 of 9月几号到几号) narrows what it asked
        concepts = [(forms, parts) for forms, parts in self.evidence.question_concepts(about_question(part), lexical)
                    if not SERIES_ITEM.fullmatch(forms[0]) and not forms[0].isdigit()]
        return any(not self.evidence.unknown(forms, parts, lexical) for forms, parts in concepts) if lexical \
            else bool(concepts)
