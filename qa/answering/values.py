"""The value a question asks for, read in the candidates: which figures of a sentence are of the asked
thing (not a change for a level, a bound for the exact figure, a figure said of something else with
the asked one's head, a count of something else), and the noun phrase a count or a value is asked of.
"""

from __future__ import annotations

import re
from dataclasses import replace

from index.tokenizer import Tokenizer
from qa.answering.candidates import ahead, answering_all, listing, value_readings
from qa.answering.evidence import TOP_FOR_FORM, Evidence, EvidenceBuilder
from qa.answering.kinds import BODIES
from qa.answering.retriever import Retrieval
from qa.answering.sentences import Scored, lead_in
from qa.answering.spans import (
    COUNT_WORD,
    COUNTED,
    KIND_NOUNS,
    NUMBER_RE,
    asked_subject,
    counted_after,
    counted_noun,
    fits_unit,
    of_another_subject,
    subject_of_value,
)

_HOW_MANY = re.compile(r"\bhow many\s+((?:[a-z][a-z-]*\s+){0,3}?[a-z][a-z-]*s)\b", re.IGNORECASE)  # up to its plural
_NOUN_UNITS = ("部门", "方面", "阶段", "县")  # counts that name what they count
_BODY = re.compile(rf"{BODIES}|部委|委员会|[部局委厅办署]$")  # a noun naming a body (单位, 部委, 商务部): counted in 部门
# a noun of one character a count counts (分几条道: 道), which the tagger seldom reads as one
_ONE_CHAR_COUNTED = re.compile(COUNT_WORD + r"([\u4e00-\u9fff])(?![\u4e00-\u9fff])")
# what a count with 个 counts (多少个带头的县): a figure whose unit is a noun names what it counts, which is
# another thing when the words after the count name another such noun (9部门 for 县; not for 部委, the
# asker's word for 部门)
_COUNTED_BY_MEASURE = re.compile(r"(?:多少|几)个([^，,。；;？?！!\s]{1,10})")
# a part of a whole (电商物流指数里头那个库存周转指数): the whole, where in it, and the part, up to the asking
_PART_OF = re.compile(r"([\u4e00-\u9fff]{2,12}?)(里面|里头|里|之中|中)(?:的)?(?:那个|这个|那项|这项)?([\u4e00-\u9fff]{2,12}?)"
                      r"(?=是|有|为|到底|具体|大概|现在|多少|几)")
# what an English question asks the value of (the value of the rural e-commerce index in July), up to its period
_VALUE_OF_EN = re.compile(r"\b(?:value|level|reading|figure)\s+of\s+(?:the\s+)?([a-z][a-z -]{2,60}?)(?=\s+(?:in|for|during|on|at)\b|\s*[,?.]|$)",
                          re.IGNORECASE)
_NOUN_POS = ("n", "vn", "j", "b", "nz", "ns", "nt", "eng")  # the parts of speech of a noun phrase's words
_QUOTES = re.compile(r"[\"“”‘’'「」]")


def _named_in(phrase: str, text: str) -> bool:
    """Whether ``text`` names the phrase or its last three characters or more (县域商业领跑县: 领跑县)."""
    return any(phrase[i:] in text for i in range(max(1, len(phrase) - 2)))


def _of_another_title(text: str, at: int, question: str) -> bool:
    """``text[at]`` lies between book-title marks (《…》) and the question names no run of six characters
    of that title: it is part of the name of a document the question does not ask about."""
    opened = text.rfind("《", 0, at)
    if opened < 0 or text.count("《", 0, at) <= text.count("》", 0, at):
        return False
    closed = text.find("》", at)
    title = re.sub(r"\s", "", text[opened + 1:closed if closed > 0 else len(text)])
    return not any(title[i:i + 6] in question for i in range(len(title) - 5))


class AskedValues:
    def __init__(self, tokenizer: Tokenizer, evidence: EvidenceBuilder) -> None:
        self.tokenizer = tokenizer
        self.evidence = evidence

    def of_the_asked(self, asking_text: str, ev: Evidence, kept: list[Scored], retrieval: Retrieval) -> list[Scored]:
        """The candidates, a sentence marked as holding no value when none of its figures could answer:
        a change for a level, a bound for the exact figure, a figure said of something else with the
        asked one's head (物流时效指数 asked: 电商物流指数为110.9点), a count of something else (500个
        领跑县 for 多少个村播学院). Something else counts only when a document names the asked one too:
        then it is one of several, not the asker's name for the one the text gives."""
        if ev.scorer.ordinal is not None:  # 第几届: an ordinal, which the scorer checks
            return kept
        readings = value_readings(asking_text, ev.scorer.unit)
        counting = ev.scorer.unit is not None and any(re.fullmatch(ev.scorer.unit, c) for c in COUNTED.split("|"))
        asked = self.counted(asking_text) if counting else self.noun_phrase(asked_subject(asking_text), trailing=True)
        texts = [self.evidence.document_text(d, retrieval)[1] for d in dict.fromkeys(x.sentence.doc_id for x in kept[:TOP_FOR_FORM])]
        named = asked is not None and any(asked[0] in t for t in texts)
        part = self.inside_another(asking_text)  # asked as a part of a whole the question names
        part = part if part and not any(part[0] in t for t in texts) else None
        # 五方面 counts 方面, not 综合保税区 (a word the documents use), unless 方面 is asked too (几方面、多少条);
        # a body asked by any name (几个部委, 几个单位) is counted in 部门
        other_units = tuple(u for u in _NOUN_UNITS if asked is not None and not asked[0].endswith(u)
                            and not re.search(f"(?:几|多少)个?{u}", asking_text) and not (u == "部门" and _BODY.search(asked[0])))
        of_en = _VALUE_OF_EN.search(asking_text) if asked is None and not counting else None
        en_terms = [t.split("/") for t in self.tokenizer.translate(of_en.group(1), retrieval.snapshot.lexical.knows).split()
                    if not t.isascii()] if of_en else []
        # a count naming nothing after it (要评出多少个) counts what a clause before names (要评“领跑县”，…)
        named_elsewhere = f"{ev.basis} {asking_text}" if counting and (c := counted_noun(asking_text)) and c.before else asking_text
        by_noun = _COUNTED_BY_MEASURE.search(asking_text)
        by_noun = by_noun if by_noun and any(u in by_noun.group(1) for u in _NOUN_UNITS) else None
        out, wholes = [], {}  # a document's text, read once

        def whole_of(doc: str) -> str:
            if doc not in wholes:
                wholes[doc] = "\n".join(c.text for c in retrieval.snapshot.chunks_of(doc))
            return wholes[doc]

        for x in kept:
            if not x.has_form:
                out.append(x)
                continue
            text, lead = x.sentence.text, lead_in(x.sentence)
            figures = answering_all(text, lead, readings)
            if counting:  # a count in title marks (《商务部等15部门…的通知》) is part of a document's name, unless
                figures = [m for m in figures if not _of_another_title(text, m.start(), ev.basis)]  # it is asked of
            if named and counting:
                figures = [m for m in figures if m.group(0).endswith(asked[1])
                           or not self.counts_another(asked, text, m.end(), named_elsewhere)]
                figures = [m for m in figures if not m.group(0).endswith(other_units)]
            elif counting and by_noun:  # 多少个带头的县: 9部门 counts departments, whatever the counties are called
                figures = [m for m in figures if not any(m.group(0).endswith(u) and u not in by_noun.group(1)
                                                         for u in _NOUN_UNITS)]
            elif part:  # 电商物流指数里的成本指数, which no document names: 电商物流指数为110.9点 is the whole's
                figures = [m for m in figures if not of_another_subject(part[0], part[1], text, m.start())]
            elif named and ev.scorer.unit is None and not any(w in self.tokenizer.normalize(lead + text) for w in asked):
                figures = []  # what is asked is named by the documents and by no unit, but not here
            elif named:
                figures = [m for m in figures if not of_another_subject(asked[0], asked[1], text, m.start())]
            elif asked is not None and not counting and figures:  # the asker's name for it: what it is said of
                # must not lack a word that narrows the asked one (农村 of 农村网络零售额, for 实物商品网上零售额)
                whole = whole_of(x.sentence.doc_id)
                figures = [m for m in figures if not self.lacks_qualifier(asked, lead + text, m.start() + len(lead), whole)]
            elif en_terms and figures:  # in English, the glossary's terms for what it is the value of: the
                whole = whole_of(x.sentence.doc_id)  # sentence must not lack one its document uses elsewhere (rural: 农村)
                chars = set(self.tokenizer.normalize(lead + text))
                figures = [] if any(any(f in whole for f in forms) and not any(set(f) & chars for f in forms)
                                    for forms in en_terms) else figures
            out.append(x if figures else replace(x, has_form=False))
        return out

    def lacks_qualifier(self, asked: tuple[str, str], text: str, start: int, document: str) -> bool:
        """The figure at text[start] is said of a compound with the asked one's head (实物商品网上零售额), and
        a word narrowing the asked one (农村 of 农村网络零售额) is one its document uses elsewhere and the text
        has no character of: the document tells that one apart, and this figure is not of it. A word the
        text shares a character with (网络 for 网上) is the asker's paraphrase. The text's own name for the one
        it gives a figure of, ending the asked one (人员指数 of 电商物流人员指数), with the words before it naming
        with the head a whole the document names (电商物流指数), is the asked one named by what it is part of."""
        said_of = subject_of_value(text, start, asked[1])
        if said_of is None:
            return False
        family = asked[0].removesuffix(said_of)
        if len(said_of) > len(asked[1]) and family != asked[0] and family + asked[1] in document:
            return False
        narrowing = [w for w, pos in self.tokenizer.tagged_words(asked[0].removesuffix(asked[1]))
                     if len(w) >= 2 and pos.startswith(_NOUN_POS) and w in document]
        chars = set(self.tokenizer.normalize(text))
        # a spelling of a synonym group the text has a character of (外贸 for 进出口) is a paraphrase as well
        return any(not any(set(self.tokenizer.normalize(f)) & chars for f in self._spellings(w)) for w in narrowing)

    def _spellings(self, word: str) -> list[str]:
        return [word] + [t for group in self.tokenizer.groups if word in group for t in group]

    @staticmethod
    def inside_another(asking_text: str) -> tuple[str, str] | None:
        """The part a question asks the value of, inside a whole it names with the same head, and that
        head (电商物流指数里头那个库存周转指数: a sub-index of the index → 库存周转指数, 指数), or None."""
        m = _PART_OF.search(asking_text)
        if m is None:
            return None
        part = m.group(3).removeprefix("的")
        head = part[-2:] if m.group(1).endswith(part[-2:]) else ""
        return (part, head) if head and part != m.group(1) else None

    def naming_the_counted(self, asking_text: str, kept: list[Scored]) -> list[Scored] | None:
        """First the candidate naming several of what a count counts (报关…和非报关货物通道 for 分几种通道), or None."""
        counted = self.counted(asking_text)
        # a noun of one character counted (分几条道) is the head the list's items end in (报关货物通道和…通道)
        nouns = ([counted[0]] if counted else []) + _ONE_CHAR_COUNTED.findall(asking_text)
        first = next(filter(None, (listing(kept, n) for n in nouns)), None)
        return None if first is None else ahead(kept, first)

    def noun_phrase(self, words: str | None, trailing: bool = False, counted: bool = False) -> tuple[str, str] | None:
        """The noun phrase the words begin with (部委一起搞的 → 部委), or end in (银行成立时的注册资本 →
        注册资本), or, for what a count question counts, the words themselves when the tagger finds no
        noun; and its head, the shortest word it ends in (物流时效指数 → 指数): the domain lexicon may
        hold the whole as one word."""
        if not words:
            return None
        tagged = self.tokenizer.tagged_words(words)
        while trailing and len(tagged) > 1 and tagged[-1][1] == "r":  # 物流时效指数本身: a pronoun after it adds nothing
            tagged = tagged[:-1]
        noun = ""
        for w, pos in reversed(tagged) if trailing else tagged:
            if not pos.startswith(_NOUN_POS):
                break
            noun = w + noun if trailing else noun + w
        # 村+播+学院: a name the segmenter splits; what a count question counts (几种通道) is a noun, however tagged
        if not noun and (counted or tagged[-1][1].startswith(_NOUN_POS)):
            noun = words
        head = min((w for w in self.tokenizer.words(noun) if len(w) >= 2 and noun.endswith(w)), key=len, default="")
        return (noun, head) if head and len(noun) >= 2 else None

    def counted(self, asking_text: str) -> tuple[str, str] | None:
        """The noun phrase a count question counts, and its head; in English, the glossary's term for
        what 'how many' counts (how many comprehensive bonded zones → 综合保税区)."""
        english = _HOW_MANY.search(asking_text)
        if english:
            terms = [t for t in self.tokenizer.translate(english.group(1)).split() if not t.isascii()]
            return self.noun_phrase(terms[0], counted=True) if terms else None
        counted = counted_noun(asking_text)
        return None if counted is None else self.noun_phrase(counted.words, trailing=counted.before, counted=True)

    def counts_another(self, asked: tuple[str, str], text: str, end: int, asking_text: str) -> bool:
        """The count ending at text[end] is followed by another noun phrase than the asked one (两种类型 counts
        kinds), and one the question does not name either: what it names elsewhere (带头示范的“领跑县”到2025年全国
        要打造多少个: 500个左右的县域商业“领跑县”; or in a clause before: 要评“领跑县”，全国一共评多少个) is what it
        counts, whatever the words before the asking say."""
        phrase = self.noun_phrase(counted_after(text, end))
        return (phrase is not None and asked[0] not in phrase[0] and asked[1] not in phrase[0]
                and not phrase[0].startswith(KIND_NOUNS) and not _named_in(phrase[0], _QUOTES.sub("", asking_text)))


def titled_count(kept: list[Scored], unit: str | None, doc_sentences) -> list[Scored]:
    """For a count asked of a document (通知是几个部门发的) that no candidate gives, the best document's
    title when it gives a count in that unit (九部门:大力发展农村直播电商): a headline says it of the whole
    document, however the question words what the document is. ``doc_sentences`` is EvidenceBuilder.doc_sentences
    over the retrieval."""
    # (a count that names what it counts, 几个部门, not a classifier: 分几条道 is not answered by a headline's 23条措施)
    if not kept or unit is None or unit.split("|")[-1] not in _NOUN_UNITS or any(x.has_form for x in kept[:TOP_FOR_FORM]):
        return kept
    first = next(iter(doc_sentences(kept[0].sentence.doc_id)), None)
    if first is None or first[0].text.strip("# ") != first[0].hit.chunk.title.strip():
        return kept
    title = first[0]
    if not any(fits_unit(m.group(0), unit) for m in NUMBER_RE.finditer(title.text)):
        return kept
    return [Scored(title, kept[0].score, kept[0].coverage, True)] + kept
