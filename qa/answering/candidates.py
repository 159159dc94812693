"""Readings of the candidate sentences for the answer: which come first for the question asked, which
figures of a sentence could answer it, and the period a sentence is about when it names none."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from index.tokenizer import Tokenizer, is_english
from qa.answering.asker import about_question
from qa.answering.evidence import META_NOUNS, TOP_FOR_FORM, field_label, names_a_kind
from qa.answering.kinds import valued_clauses
from qa.answering.lists import (
    SERIES_ITEM,
    last_item,
    markers,
    numbered_asked,
    opens_item,
    starts_item,
    zh_number,
)
from qa.answering.meanings import defined_term, defines
from qa.answering.sentences import Scored, lead_in, time_specifiers
from qa.answering.spans import (
    DATE_RE,
    NUMBER_RE,
    QType,
    asked_unit,
    asks_change,
    asks_exact,
    fits_unit,
    states_bound,
    states_change,
)


def ahead(kept: list[Scored], first: Scored | None) -> list[Scored]:
    """The candidates with ``first`` (one of them) put before the rest, the rest in their order."""
    return kept if first is None else [first] + [x for x in kept if x is not first]


def values_first(kept: list[Scored]) -> list[Scored]:
    """For a question that wants a value (a count, a date, a number): of the sentences that cover the
    question best, those that hold a value of the asked kind come first. The model ranks by meaning and
    place; "一共有多少条措施" is answered by the sentence that gives the count, not by one that only
    talks about the measures."""
    top = max((x.coverage for x in kept), default=0.0)
    return sorted(kept, key=lambda x: not (x.has_form and x.coverage >= top))  # stable: the model's order within


def labelled_first(kept: list[Scored], terms: list[str]) -> list[Scored]:
    """Of the best candidates that are a fact sheet's field lines (公司：…, 技术支持：…), the one whose label
    is a term the question asks with (the company that organises the expo: 公司) comes first, unless the
    first is one such already; of two, the longer label, which says more. A fact sheet's lines share its
    subject, and the model ranks them by it."""
    def label(x: Scored) -> str | None:
        name = field_label(x.sentence.text)
        if name is None or re.search(r"[，,。；;]", x.sentence.text[len(name) + 1:]):
            return None  # a headline (李强:充分释放…,加强…) says more than one value
        return name if any(name.endswith(t) for t in terms) else None  # 展会地点 is a 地点

    labelled = [x for x in kept[:TOP_FOR_FORM] if label(x)]
    if not labelled or labelled[0] is kept[0]:
        return kept
    first = max(labelled, key=lambda x: len(label(x)))
    return [replace(first, score=kept[0].score)] + [x for x in kept if x is not first]


def with_lead_values(kept: list[Scored], units: list[str | None]) -> list[Scored]:
    """For a question asking two values in two units (零售额多少 占社零比重多少: 元 and %), the best
    candidate holding a value, quoted from the piece of its sentence that gives the value it lacks
    (…零售额为6.1万亿元,同比增长10.8%,占…比重为26.6%): a long sentence is split into pieces, and the
    asker wants both."""
    first = next((x for x in kept[:TOP_FOR_FORM] if x.has_form), None)
    if len({u for u in units if u}) < 2 or first is None:
        return kept
    s = first.sentence
    lacking = [u for u in units if u and not any(fits_unit(m.group(0), u) for m in NUMBER_RE.finditer(s.text))]
    lead = lead_in(s)
    for m in reversed(list(NUMBER_RE.finditer(lead)) if lacking else []):
        if any(fits_unit(m.group(0), u) for u in lacking):
            cut = max(lead.rfind(c, 0, m.start()) for c in "，,；;") + 1
            start = s.start - len(lead) + cut
            chunk = s.hit.chunk
            text = chunk.text[start - chunk.start:s.end - chunk.start]
            return [replace(first, sentence=replace(s, text=text, start=start)) if x is first else x for x in kept]
    return kept


def numbered_first(kept: list[Scored], question: str, doc_sentences=None,
                   english: list[tuple[int, str]] | None = None) -> list[Scored]:
    """For a question about a numbered item (第二阶段啥时候), the candidate that begins that item of a list
    (二、全面推广阶段…) comes first: the text names the item by its place, not by the words asked; for the
    last (最后那个阶段), the item of the highest number. For an English one, ``english`` holds the place with
    the Chinese words that may name the item (the second, 'nationwide' stage: 2 with 全国, 阶段). For one naming
    a series' items (一年干啥两年干啥三年干啥), the sentence naming them all; for these two, from the best document if need be."""
    numbered = numbered_asked(question)
    if numbered is not None and numbered[0] < 0:
        last = last_item([x.sentence for x in kept] + ([s for s, _t, _h in doc_sentences(kept[0].sentence.doc_id)] if kept and doc_sentences else []), numbered[1])
        first = next((x for x in kept if x.sentence is last), None)
        return ahead(kept, first) if first is not None or last is None else [Scored(last, kept[0].score, kept[0].coverage, False)] + kept
    if numbered is not None or english:
        asked = [numbered] if numbered is not None else english
        return ahead(kept, next((x for x in kept if any(opens_item(x.sentence.text, *a) for a in asked)), None))
    series = _series(question)
    if series is None or not kept or doc_sentences is None:
        return kept
    return _matching_first(kept, series, doc_sentences, len(kept))


def _matching_first(kept: list[Scored], pattern: re.Pattern, doc_sentences, reach: int) -> list[Scored]:
    """The first of the best ``reach`` candidates that ``pattern`` finds, else the first sentence of the
    best document it finds, put first, ranked as the best was."""
    first = next((x for x in kept[:reach] if pattern.search(x.sentence.text)), None)
    if first is None and doc_sentences is not None:
        sent = next((s for s, _t, _h in doc_sentences(kept[0].sentence.doc_id) if pattern.search(s.text)), None)
        return kept if sent is None else [Scored(sent, kept[0].score, kept[0].coverage, False)] + kept
    return kept if first is None else [replace(first, score=kept[0].score)] + [x for x in kept if x is not first]


# a number word asked the items of (哪三化, 哪几样“统一”): so many items, each holding the word, listed together
_ABBREVIATED = re.compile(r"哪([两二三四五六七八九十几])(?:个|项|条|样|种|大)?“?([\u4e00-\u9fff]{1,2}?)(?=[”啊呀呢吗吧嘛的\s？?，,。]|$)")
_ITEM = r"[^、，,。；;和与及]{0,8}"


def abbreviated_first(kept: list[Scored], question: str, doc_sentences=None) -> list[Scored]:
    """For a question asking the items of a number word (“三化”是哪三化: 数字化、连锁化、标准化), the
    candidate listing that many items each holding its word, among the candidates or else in the best
    document, comes first: the text spells out what the number word sums up."""
    m = _ABBREVIATED.search(question)
    if m is None or not kept:
        return kept
    n = 2 if m.group(1) == "几" else zh_number(m.group(1).replace("两", "二"))
    word = re.escape(m.group(2))
    items = re.compile(rf"{_ITEM}{word}{_ITEM}(?:(?:[、和与及]|以及){_ITEM}{word}{_ITEM}){{{n - 1},}}")
    return _matching_first(kept, items, doc_sentences, TOP_FOR_FORM)


# how a text may write each number of a series' items
_ZH_DIGIT = {1: "一", 2: "[二两]", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十"}


def _series(question: str) -> re.Pattern | None:
    """A pattern finding, in one text, every item of the first series the question names two or more
    items of (一年…两年…三年 → 一年, 两年 and 三年 in any order), or None."""
    items: dict[str, set[int]] = {}
    for m in SERIES_ITEM.finditer(question):
        n = zh_number(m.group(1))
        if n is not None:
            items.setdefault(m.group(2), set()).add(n)
    unit, numbers = next(((u, ns) for u, ns in items.items() if len(ns) >= 2), (None, set()))
    if unit is None:
        return None
    edge = "(?<![一二两三四五六七八九十百千0-9])"
    return re.compile("".join(f"(?=.*{edge}第?{_ZH_DIGIT[n]}{unit})" for n in sorted(numbers)), re.DOTALL)


def defining_first(kept: list[Scored], basis: str) -> list[Scored]:
    """For a question about what a term means (二线是指啥), the best candidate that says what it means
    (通常所说的“二线”, “号店一体”,让…) comes first: one that only uses the term does not explain it."""
    term = defined_term(basis)
    first = next((x for x in kept[:TOP_FOR_FORM] if defines(x.sentence.text, term)), None) if term else None
    return ahead(kept, first)


# the words that ask why, on what grounds (凭什么, 凭啥) and by what (何以) among them
_WHY = re.compile(r"为什么|为何|为啥|凭什么|凭啥|何以|咋回事|原因|理由|\bwhy\b", re.IGNORECASE)
_GIVES_REASON = re.compile(r"由于|因为|因此|所以|鉴于|考虑到?|原因|是为了|旨在|以便|从而|导致|得益于|受益于|随着")


# a sentence that opens with why (考虑…, 由于…), after a label (解读:) if it has one
_OPENS_WITH_REASON = re.compile(r"^(?:[^，,。:：]{1,6}[:：])?\s*(?:由于|因为|鉴于|考虑到?|随着|得益于|受益于|为了)")
REASON_REACH = 4  # sentences either side of a measure, within its item, that may say why it is taken


def reasons_first(kept: list[Scored], question: str, doc_sentences=None) -> list[Scored]:
    """For a why-question, of the candidates that cover the question best, those that give a reason
    (由于…, 考虑…, 随着…) come first: one that only states the measure does not say why. When none
    does, a sentence near the best one, in the same item of its document, that opens with a reason
    (解读:考虑…, the explanation beside the measure) comes first: a reason shares few words with the
    question, which names the measure."""
    if not _WHY.search(question):
        return kept
    top = max((x.coverage for x in kept[:TOP_FOR_FORM]), default=0.0)
    first = next((x for x in kept[:TOP_FOR_FORM] if x.coverage >= top and _GIVES_REASON.search(x.sentence.text)), None)
    if first is None and kept and doc_sentences is not None:
        first = _reason_beside(kept, doc_sentences)
    return ahead(kept, first)


def _reason_beside(kept: list[Scored], doc_sentences) -> Scored | None:
    best = kept[0]
    sents = [sent for sent, _toks, _hay in doc_sentences(best.sentence.doc_id)]
    at = next((i for i, sent in enumerate(sents) if sent.start == best.sentence.start), None)
    if at is None:
        return None
    before = []
    for i in range(at - 1, max(-1, at - 1 - REASON_REACH), -1):  # back to the item's heading
        if starts_item(sents[i].text):
            break
        before.append(i)
    after = []
    for i in range(at + 1, min(len(sents), at + 1 + REASON_REACH)):  # on to the next item
        if starts_item(sents[i].text):
            break
        after.append(i)
    for i in sorted(before + after, key=lambda i: abs(i - at)):
        if _OPENS_WITH_REASON.search(sents[i].text.strip()):
            same = next((x for x in kept if x.sentence.doc_id == best.sentence.doc_id
                         and x.sentence.start == sents[i].start), None)
            return same or Scored(sents[i], best.score, best.coverage, False)
    return None


HEADING_REACH = 8  # characters after a list marker that may hold its section's name (一、总体思路以…)


def section_first(kept: list[Scored], asked: list[str], doc_sentences=None) -> list[Scored]:
    """For a question asking for what a document sets out under a name (三年行动的思路是啥, 工作目标是什么),
    when none of the best candidates uses the name, the sentence of the best document that opens the
    section headed by it (一、总体思路…, 二、工作目标…) comes first: a policy text names its parts in
    headings, and the section's sentences seldom repeat the heading's word."""
    if not kept or not asked or doc_sentences is None:
        return kept
    best = kept[0]
    for sent, _toks, _hay in doc_sentences(best.sentence.doc_id):
        found = markers(sent.text.lstrip())
        if not found or found[0][0] != 0 or found[0][1] not in ("dun", "paren"):
            continue
        body = re.sub(r"^\s*[(（]?[一二三四五六七八九十]{1,3}[)）、]", "", sent.text)
        if any(a in body[:HEADING_REACH] for a in asked):
            same = next((x for x in kept if x.sentence.doc_id == sent.doc_id and x.sentence.start == sent.start), None)
            if any(a in x.sentence.text for x in kept[:TOP_FOR_FORM] if x is not same for a in asked):
                return kept  # another of the best names it: the section is not the only place that does
            first = replace(same, score=best.score) if same else Scored(sent, best.score, best.coverage, False)
            return [first] + [x for x in kept if x is not same]
    return kept


def listing_first(kept: list[Scored], asked: list[str]) -> list[Scored]:
    """For a question asking which ones of a noun (供给端哪几个指数一直在涨), the first of the best
    candidates listing several of them (物流时效指数、满意率指数、履约率指数和人员指数…) comes first: the
    list is the answer; the sentences around it speak of one each."""
    for noun in asked:
        first = listing(kept, noun)
        if first is not None:
            return [replace(first, score=kept[0].score)] + [x for x in kept if x is not first]
    return kept


def listing(kept: list[Scored], noun: str) -> Scored | None:
    """The first of the best candidates naming several of ``noun`` joined in one list (报关货物通道和非报关
    货物通道, 物流时效指数、满意率指数…; or 跨境电商、基础设施建设等领域, 以数字化、连锁化为方向: items, then 等 or 为 and the
    noun they are), or None."""
    joined = re.compile(rf"{re.escape(noun)}(?:[和与及、]|以及)[^，,。；;]*{re.escape(noun)}|、[^，,。；;、]+[等为]{re.escape(noun)}")
    return next((x for x in kept[:TOP_FOR_FORM] if joined.search(x.sentence.text)), None)


def asked_parts_first(kept: list[Scored], qtype: QType, asked: list[str], doc_sentences=None, question: str = "") -> list[Scored]:
    """What the question asks for by name, found where a text sets it out: the list of them for a list
    question (listing_first); for another, one named in quotes when ``question`` asks which one of it
    (quoted_first), then the section it heads for a descriptive or what question (section_first)."""
    if qtype is QType.LIST:
        return listing_first(kept, asked)
    kept = quoted_first(kept, [a for a in asked if re.search(rf"(?:哪|什么|啥)[个种家项位条一]?{re.escape(a)}", question)])
    return section_first(kept, asked, doc_sentences) if qtype in (QType.DESCRIPTIVE, QType.WHAT) else kept


_QUOTED = re.compile(r"“([^“”]{2,16})”|《([^《》]{2,40})》")  # a name in quotes, or a title in its marks
QUOTED_REACH = 10  # candidates searched for a quoted name of the asked noun


def quoted_first(kept: list[Scored], asked: list[str]) -> list[Scored]:
    """For a question asking which one of a noun (哪个工程的经验: ``asked``), the first of the best candidates naming one
    in quotes or title marks ending in the noun (学习运用“千万工程”经验做法, 《…联合声明》) comes first: the name is asked."""
    for noun in asked:
        first = next((x for x in kept[:QUOTED_REACH]
                      if any(q.endswith(noun) and q != noun for m in _QUOTED.findall(x.sentence.text) for q in m)), None)
        if first is not None:
            return [replace(first, score=kept[0].score)] + [x for x in kept if x is not first]
    return kept


# a question asking for someone besides those it names (还有哪位领导, who else, which other official)
_ELSE = re.compile(r"还有|另外|另有|其他|其余|其它|除了|除去|\b(?:else|other|besides|apart from|aside from|in addition to)\b",
                   re.IGNORECASE)
# a sentence saying who took part in the event reported (吴政隆参加上述活动, …出席会议)
_TOOK_PART = re.compile(r"参加|出席|陪同|在场|列席|参会")
ELSE_REACH = 12  # candidates searched for another person


def another_first(kept: list[Scored], question: str, persons) -> list[Scored]:
    """For a question asking who else (besides the people it names) took part, or the name of someone else
    who did (还有一位领导也参加了…叫啥名), of the candidates that
    name someone neither the question nor the best candidate names, the first that says someone took
    part (…参加上述活动) comes first, else the first of them: the best candidate reports the event, with
    the people the asker knows of, and the others present are named apart, in few words."""
    if not kept or not _ELSE.search(question):
        return kept
    named = persons(question) | persons(kept[0].sentence.text)
    others = [x for x in kept[1:ELSE_REACH] if persons(x.sentence.text) - named]
    first = next((x for x in others if _TOOK_PART.search(x.sentence.text)), others[0] if others else None)
    # ranked as the best was: its runners-up are those close to the event's report
    return kept if first is None else [replace(first, score=kept[0].score)] + [x for x in kept if x is not first]


def answering_figures(text: str, unit: str | None, change: bool, exact: bool) -> list[re.Match]:
    """The figures of the text that could answer: in the asked unit, not part of a date or of a word in 性
    (一次性), a change if a change is asked and a level if a level, and not a bound if the exact one is."""
    periods = [m.span() for m in DATE_RE.finditer(text)]
    return [m for m in NUMBER_RE.finditer(text) if fits_unit(m.group(0), unit) and not text.startswith("性", m.end())
            and not any(a <= m.start() < b for a, b in periods) and states_change(text, *m.span()) == change
            and not (exact and states_bound(text, *m.span()))]


def value_readings(asking: str, unit: str | None) -> list[tuple[str | None, bool, bool]]:
    """How each value asked is read, as (unit, a change?, the exact figure?): one per clause that asks
    a value (一共多少钱，跟去年同期比涨了多少: a level in 元, then a change in any unit), else one for the
    whole question in ``unit``."""
    clauses = [] if is_english(asking) else valued_clauses(asking)
    if len(clauses) > 1:
        return [(asked_unit(c), asks_change(c), asks_exact(c)) for c in clauses]
    return [(unit, asks_change(asking), asks_exact(asking))]


def answering_all(text: str, before: str, readings: list[tuple[str | None, bool, bool]]) -> list[re.Match]:
    """The figures of ``text`` answering any of the values asked, when every one of them is answered
    there or in the piece ``before`` it (出口和进口各占多少 is not answered by the total beside it;
    占社零比重多少 is, with the amount said just before)."""
    if not all(answering_figures(before + text, *r) for r in readings):
        return []
    return [m for r in readings for m in answering_figures(text, *r)]


_RECORD = re.compile(r"^[^：:，,。；;\s]{1,8}[：:][^，,。；;]*$")  # a fact sheet's line: 展会地点：义乌国际博览中心


_META = "|".join(sorted(META_NOUNS, key=len, reverse=True))


def _of_nothing_in_particular(word: str, question: str) -> bool:
    """The word is said of a word for nothing in particular (基本信息, 详细的情况)."""
    return re.search(f"{re.escape(word)}的?(?:{_META})", question) is not None


def beyond_the_record(question: str, best: Scored, concepts: list[tuple[tuple[str, ...], tuple[str, ...], float]],
                      unknown: Sequence[str], document: str) -> str | None:
    """What a question asks about that a fact sheet cannot say: when the best candidate is a record line
    (label：value, not the title) sharing with the question only words of its document's title (展会名称：…
    for 展会有直播吗), the first word of the question the sheet (``document``, normalised) never uses, other
    than a word for a time, a kind of answer or nothing in particular, or one said of such a word (基本 of
    基本信息); when it names the whole value too (义乌国际博览中心停车收费吗), the first one no document uses. A line
    answers what its label names, not whatever is asked of its subject or of what it gives."""
    line, title = Tokenizer.normalize(best.sentence.text), Tokenizer.normalize(best.sentence.hit.chunk.title)
    if not _RECORD.match(line) or line == title:
        return None
    own = Tokenizer.normalize(about_question(question))  # 俺腿脚不好去不了义乌: the asker's 义乌 asks nothing of the line
    said = [(forms, parts) for forms, parts, _w in concepts if uses(line, forms, parts) and forms[0] in own]
    label, value = re.split(r"[：:]", line, maxsplit=1)
    if not said or not all(uses(title, f, p) or value in f and not uses(label, f, p) for f, p in said):
        return None
    rest = [forms[0] for forms, parts, _w in concepts if not uses(document, forms, parts)] if all(uses(title, f, p) for f, p in said) else []
    return next((w for w in [*rest, *unknown] if w not in META_NOUNS and not names_a_kind(w) and not time_specifiers(w)
                 and not _of_nothing_in_particular(w, Tokenizer.normalize(question))), None)


def uses(text: str, forms: tuple[str, ...], parts: tuple[str, ...]) -> bool:
    """The (normalised) text has the concept: one of its forms, or every part of it."""
    return any(f in text for f in forms) or bool(parts) and all(p in text for p in parts)


# What the question says a text mentions (提到了跨境电商, 说到的“前置仓”): the matter it asks about,
# which the answer must name, whatever else of the question (the document it names) another sentence has.
_MENTIONED = re.compile(r"(?:提到|提及|说到|讲到|谈到)了?(?:的)?[“\"「]?(?![了的]|哪|什么|啥|怎|多少|几)([\u4e00-\u9fffA-Za-z0-9]{2,12}?)"
                        r"(?=[是有怎为指的要在吗呢啥什都也，,。？?！!；;\s”\"」]|$)")


def mentioned_term(question: str, normalize) -> str | None:
    """What a question says a text mentions (县域商业计划提到了跨境电商，是怎么说的: 跨境电商)."""
    m = _MENTIONED.search(question)
    return normalize(m.group(1)) if m else None


def naming_first(kept: list[Scored], term: str | None, scorer, normalize, doc_sentences) -> list[Scored]:
    """The best candidate that names what the question says the text mentions (``term``) comes first;
    when none of the best does, the first sentence of the best document that names it (a long
    document's other chunks are seldom retrieved by the words that name the document). A sentence that
    does not name it is no runner-up beside one that does."""
    if not term or not kept:
        return kept
    first = next((x for x in kept[:TOP_FOR_FORM] if term in normalize(x.sentence.text)), None)
    for sent, toks, hay in [] if first else doc_sentences(kept[0].sentence.doc_id):
        if term in normalize(sent.text):
            first = Scored(sent, kept[0].score, scorer.coverage(toks, hay), scorer.has_form(sent.text))
            break
    if first is None:
        return kept
    return [first] + [x if term in normalize(x.sentence.text) else replace(x, score=x.score / 2)
                      for x in kept if x.sentence != first.sentence]
