"""When the composer refuses, and why: a list of named rules, each giving a code and a sentence.

Every rule looks at the evidence, never at the question's vocabulary alone: a word no document uses is
unknown, not proof of absence. Rules run in order; the first that fires decides. Adding a rule is one
entry in ``RULES``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from qa.answering.candidates import beyond_the_record
from qa.answering.composer import FORM_REQUIRED, NO_EVIDENCE, PERIOD_MISMATCH
from qa.answering.entities import Entity, mentioned
from qa.answering.evidence import TOP_FOR_FORM, Evidence
from qa.answering.kinds import (
    YES_NO,
    asked_region,
    extract_span,
    site_only,
)
from qa.answering.parts import OPENS_FURTHER
from qa.answering.place_parts import asked_place_part, states_place_part
from qa.answering.plans import planned_not_done
from qa.answering.retriever import Retrieval
from qa.answering.sentences import Scored
from qa.answering.spans import QType
from qa.types import AbstainReason, Answer


@dataclass
class Context:
    evidence: Evidence
    retrieval: Retrieval
    entities: tuple[Entity, ...]
    threshold: float
    answerability: float  # calibrated probability that the evidence answers the question
    period_kept: list[Scored]  # candidates about the period the question names (all, if it names none)
    english: bool
    document: Callable[[str], tuple[str, str, set[str]]]  # a document's text, normalised text and bigrams
    missing_asked: str | None = None  # a noun the question asks for that no document uses
    missing_term: str | None = None  # a specific term of the question no evidence document uses
    displaced: str | None = None  # a concept the on-topic document has and the one about the period lacks
    inside: tuple[str, str] | None = None  # an asked noun the best evidence has only inside another word
    someone_else: str | None = None  # a person the question names whose value the evidence gives of another
    unnamed: str | None = None  # a noun whose members the question asks for by name and the evidence names none of
    latin_asked: bool = False  # the question asks for English words (哪个英文单词) none of the evidence gives
    holder: str | None = None  # an office whose holder the question asks for, and the evidence names no one


Rule = Callable[[Context], AbstainReason | None]


def no_evidence(ctx: Context) -> AbstainReason | None:
    if not ctx.evidence.scored:
        return NO_EVIDENCE
    return None


def nothing_known(ctx: Context) -> AbstainReason | None:
    """No word of the question is used by any document (火星上的天气怎么样): whatever retrieval found
    shares nothing with it. One known word is enough to go on; an unknown word alone proves nothing."""
    ev = ctx.evidence
    if ctx.english and not ev.basis.strip():  # not one word the glossary knows
        return AbstainReason("nothing_known", "资料中没有出现问题里的词语。", "The material uses none of the question's words.")
    if ev.unknown and ev.unknown_share >= 1.0:
        words = "”“".join(ev.unknown[:3])
        return AbstainReason("nothing_known", f"资料中没有出现“{words}”。", f"The material never mentions {', '.join(ev.unknown[:3])}.")
    return None


def period_mismatch(ctx: Context) -> AbstainReason | None:
    if not ctx.period_kept:
        return PERIOD_MISMATCH
    return None


def period_displaced(ctx: Context) -> AbstainReason | None:
    """The material on the question's topic is about another period, and the material about its
    period is about something else (it never mentions ``displaced``)."""
    if ctx.displaced:
        return AbstainReason("period_displaced", f"资料中关于“{ctx.displaced}”的内容不是所问时期的。",
                             f"What the material says about {ctx.displaced} is for another period.")
    return None


def entity_missing(ctx: Context) -> AbstainReason | None:
    """A person, place or organisation the question names, or a figure it states, that the document of
    the best evidence does not mention (a name found only in another retrieved document does not make
    this one about it)."""
    if not ctx.period_kept or not ctx.entities:  # most questions name no one: read no document
        return None
    haystack, _normalised, grams = ctx.document(ctx.period_kept[0].sentence.doc_id)
    for ent in ctx.entities:
        if not mentioned(ent, haystack, grams):
            return AbstainReason("entity_missing", f"资料没有提到“{ent.text}”。",
                                 f"The material does not mention {ent.text}.")
    return None


def rare_term_missing(ctx: Context) -> AbstainReason | None:
    """A specific term of the question (a name the recogniser does not tag, a term of the trade) that
    no document of the evidence uses: the evidence is about something else."""
    if ctx.missing_term:
        return AbstainReason("rare_term_missing", f"资料没有提到“{ctx.missing_term}”。",
                             f"The material does not mention {ctx.missing_term}.")
    return None


def asked_unknown(ctx: Context) -> AbstainReason | None:
    """What the question asks for (多少保证金, 总统叫啥) is a word no document uses in any form: the
    documents cannot say it, however close the rest of the question comes."""
    if ctx.missing_asked:
        return AbstainReason("asked_unknown", f"资料中没有出现“{ctx.missing_asked}”。",
                             f"The material never mentions {ctx.missing_asked}.")
    return None


def beyond_record(ctx: Context) -> AbstainReason | None:
    """The best evidence is a fact sheet's line that shares with the question only what the sheet is
    about (展会名称：… for 展会有直播吗) and the sheet never names what else it asks about: it has no line
    for it. Read for descriptive and yes-no questions: a question asking a kind of answer (在哪里举办, 哪个
    城市) is answered by the line giving one, whatever else its words say."""
    if ctx.evidence.qtype is not QType.DESCRIPTIVE or not ctx.period_kept or ctx.english:  # English: the glossary's
        return None
    best = ctx.period_kept[0]
    word = beyond_the_record(ctx.evidence.basis, best, ctx.evidence.scorer.concepts, ctx.evidence.unknown,
                             ctx.document(best.sentence.doc_id)[1])
    if word:
        return AbstainReason("beyond_record", f"资料中没有关于“{word}”的内容。", f"The material says nothing about {word}.")
    return None


def asked_inside_word(ctx: Context) -> AbstainReason | None:
    """What the question asks for is in the best evidence only as part of a word for something else
    (出口 in 进出口: the evidence gives imports and exports together, not exports)."""
    if ctx.inside:
        noun, word = ctx.inside
        return AbstainReason("asked_inside_word", f"资料只提到“{word}”，没有单独给出“{noun}”。",
                             f"The material gives {word}, not {noun} on its own.")
    return None


def said_of_someone_else(ctx: Context) -> AbstainReason | None:
    """The question asks when, where or how much of someone it names, and every value of that kind in
    the evidence is said of someone else (李强 met him in 人民大会堂; 习近平 was asked about)."""
    if ctx.someone_else:
        return AbstainReason("said_of_someone_else", f"资料中的相关信息说的是别人，没有说“{ctx.someone_else}”的。",
                             f"What the material gives is about someone else, not {ctx.someone_else}.")
    return None


def members_unnamed(ctx: Context) -> AbstainReason | None:
    """The question asks exactly which of something (具体是哪几个县) and the best evidence names none of
    them: it speaks of them (第一批领跑县) without a list of names."""
    if ctx.unnamed:
        return AbstainReason("members_unnamed", f"资料提到了{ctx.unnamed}，但没有列出具体是哪些。",
                             f"The material mentions them but does not name which ({ctx.unnamed}).")
    return None


def holder_unnamed(ctx: Context) -> AbstainReason | None:
    """The question asks who holds an office (总裁是谁, who is the CEO) and the best evidence names no person:
    it says nothing of who holds it, whatever else it says of the organisation."""
    if ctx.holder:
        return AbstainReason("holder_unnamed", f"资料中没有提到所问的人（{ctx.holder}）是谁。",
                             f"The material names no one for this ({ctx.holder}).")
    return None


def no_english_given(ctx: Context) -> AbstainReason | None:
    """The question asks for English words (FACT四个字母各是哪个英文单词, which English word is F) and the
    best evidence writes none besides those the question gives: it says what they mean in Chinese only."""
    if ctx.latin_asked:
        return AbstainReason("no_english_given", "资料中没有给出所问的英文。", "The material gives no English words for this.")
    return None


def no_value_of_kind(ctx: Context) -> AbstainReason | None:
    kind = ctx.evidence.qtype
    if kind in FORM_REQUIRED and not any(x.has_form for x in ctx.period_kept[:TOP_FOR_FORM]):
        return AbstainReason("no_value_of_kind", f"资料中没有所问的{_KIND_ZH.get(kind, '数值')}。",
                             f"The material gives no {kind.value} for this.")
    return None


def no_place_part(ctx: Context) -> AbstainReason | None:
    """The question asks which part of a place (几号门, 几楼, 哪个馆) and the best evidence names the place
    without numbering or naming any such part: the venue is not its gate; or which region (哪个城市) and the
    best evidence names only a site in one: the hall is not the city."""
    # (an English question's own words: its basis is the glossary's terms, with no number in them)
    part = asked_place_part(ctx.evidence.scorer.asking if ctx.english else ctx.evidence.basis) if ctx.evidence.qtype is QType.PLACE else None
    if part and ctx.period_kept and not states_place_part(ctx.period_kept[0].sentence.text, part):  # the answering line
        return AbstainReason("no_value_of_kind", f"资料中没有说是哪个{part}。", f"The material does not say which {part}.")
    # 在哪个城市举办: the best evidence names only a hall in a city (人民大会堂), not the city
    region = asked_region(ctx.evidence.basis) if ctx.evidence.qtype is QType.PLACE else None
    if region and site_only([x.sentence.text for x in ctx.period_kept[:TOP_FOR_FORM]]):
        return AbstainReason("no_value_of_kind", f"资料中没有说是哪个{region}。", f"The material does not say which {region}.")
    return None


def planned_only(ctx: Context) -> AbstainReason | None:
    """The question asks what already is (已经有多少个县达到, 已经发布了吗) and the best evidence says what is
    planned (到2025年…打造, 将制定出台): a plan does not say what has been done."""
    if ctx.english or not ctx.period_kept:
        return None
    top, ev = ctx.period_kept[:TOP_FOR_FORM], ctx.evidence
    # the sentence a value is read from (the first giving one of the kind asked), else the best
    source = next((x for x in top if x.has_form and extract_span(ev.basis, x.sentence.text, ev.qtype, [])), top[0])
    if not planned_not_done(ctx.evidence.basis, source.sentence.text):
        return None
    return AbstainReason("planned_not_done", "资料只说了计划要做的，没有说已经做到了多少。",
                         "The material states a plan, not what has already been done.")


def low_confidence(ctx: Context) -> AbstainReason | None:
    if ctx.answerability < ctx.threshold:
        return AbstainReason("low_confidence", f"最相关的资料也不足以回答（置信度 {ctx.answerability:.2f}）。",
                             f"The closest evidence does not answer it (confidence {ctx.answerability:.2f}).")
    return None


RULES: list[Rule] = [no_evidence, nothing_known, period_mismatch, period_displaced, entity_missing, rare_term_missing, asked_unknown,
                    beyond_record, asked_inside_word, said_of_someone_else, members_unnamed, holder_unnamed, no_english_given, planned_only, no_value_of_kind, no_place_part,
                    low_confidence]

_KIND_ZH = {QType.NUMBER: "数字", QType.PHONE: "电话号码", QType.FAX: "传真号码", QType.EMAIL: "邮箱",
            QType.QQ: "QQ号", QType.DOC_NUMBER: "文号", QType.DATE: "日期", QType.DURATION: "时长"}


def first_reason(ctx: Context) -> AbstainReason | None:
    for rule in RULES:
        reason = rule(ctx)
        if reason is not None:
            return reason
    return None


# Rules that say the material lacks what a part asks (not that its evidence is weak), and the confidence
# another part of the same question needs beside such a refusal. Chosen on the development sets: parts
# answered beside a refused one scored 0.28 and up when right, 0.07-0.10 when the question was a near miss.
MISSING = frozenset({"nothing_known", "period_mismatch", "period_displaced", "entity_missing", "rare_term_missing",
                     "asked_unknown", "beyond_record", "asked_inside_word", "said_of_someone_else", "members_unnamed", "holder_unnamed",
                     "no_english_given", "planned_not_done", "no_value_of_kind", "value_not_near"})
SIBLING_BAR = 0.2


def judged_together(answers: list[Answer], parts: list[str] | None = None) -> list[Answer]:
    """The parts of one question share its topic: where the material lacks what one part asks (门票多少钱),
    another part answered on weak evidence (学生有优惠不, confidence under ``SIBLING_BAR``) is a stray
    match, and is left out, as is a yes-no part before or after it (老年人有没有优惠, 有官方微信客服吗,
    比…高还是低), or one going on about what the part before named (跟抖音比哪个高, 各自同比增长多少, 该协定…), which
    asks about what the refused part asked; the question is refused when no part is left answered."""
    lacking = [a.abstained and a.abstain_reason is not None and a.abstain_reason.code in MISSING for a in answers]
    if not any(lacking):
        return answers
    # a part that says it asks one thing more (…要不要实际进出境？还有人问维修目录多久调一次) is a question of its
    # own: what it lacks says nothing of what the others ask
    shared = parts is not None and any(lack and not OPENS_FURTHER.match(p) for lack, p in zip(lacking, parts))
    # the question's first part refused for what its document lacks (2025年那届 of the expo's page): a later
    # part answered from that same document asks it of the same thing (…also in September?)
    lacked = answers[0].sources[0].chunk.doc_id if lacking[0] and answers[0].sources else None
    leaning = [bool(YES_NO.search(p)) or i > 0 and (_LEANS.match(p) is not None or _POINTS_BACK.search(p) is not None
                                                    or bool(a.citations) and a.citations[0].doc_id == lacked)
               for i, (a, p) in enumerate(zip(answers, parts))] if shared else [False] * len(answers)
    return [a for a, leans in zip(answers, leaning)
            if a.abstained or not leans and (a.confidence is None or a.confidence >= SIBLING_BAR)]


# a part that points back at what the part before named (双方在该协定项下…, 上述措施): 该 as "that", not "should"
_POINTS_BACK = re.compile(r"上述|(?<![应活])该(?![怎如咋不])")
# A part that goes on about what the part before it named, its subject left out: a comparison with
# something else (跟抖音比哪个高, 比去年呢) or a pronoun standing for it (各自同比增长多少, 其占比多少)
_LEANS = re.compile(r"\s*(?:那|那么)?(?:(?:跟|和|与|同)[^，,。？?！!\s]{1,12}?(?:相比|比)|比|较|各自|其(?![他它实次中余])|"
                    r"它们?|两者|二者)")
