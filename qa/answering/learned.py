"""Answers decided from the evidence by learned weights: which sentence answers (meaning and words),
and whether any does (a calibrated probability), with named abstention rules for the constraints a
question states. Selected with ``answer_scorer=learned``; list gathering, elaboration of headings and
the cited answer text are the rule composer's.

The weights come from ``python -m eval.train_scorer`` (see ``qa/answering/scorer_weights.json``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from index.dictionary import ordinary_word, spoken_form
from index.storage.base import Lexicon
from index.tokenizer import Tokenizer
from qa.answering.abstention import AbstainReason, Context, first_reason
from qa.answering.asker import (
    about_question,
    after_lead_in,
    asked_clauses,
    kind_asked,
    without_formulas,
    without_work,
)
from qa.answering.candidates import (
    abbreviated_first,
    another_first,
    asked_parts_first,
    defining_first,
    labelled_first,
    mentioned_term,
    naming_first,
    numbered_first,
    reasons_first,
    uses,
    values_first,
    with_lead_values,
)
from qa.answering.composer import FORM_REQUIRED, NO_EVIDENCE, Composer, is_english
from qa.answering.denied import denied_last
from qa.answering.english_asked import asks_for_a_thing
from qa.answering.english_names import english_names, quoted_terms
from qa.answering.entities import (
    Entity,
    EntityRecognizer,
    abbreviated,
    across_words,
    at_places,
    char_bigrams,
    mentioned,
    not_said_by,
    ordinary_alone,
    shared_recognizer,
    stated_figures,
    unknown_title,
)
from qa.answering.evidence import CONTACT, META_NOUNS, TOP_FOR_FORM, Evidence, names_a_kind, threshold_group
from qa.answering.followup import EN_PLACES
from qa.answering.kinds import asking, clause_units, has_answer_form, is_factoid
from qa.answering.latin import english_not_given, latin_first
from qa.answering.members import members_unnamed
from qa.answering.offices import holder_first, holder_kind, holder_unnamed, office_not_given
from qa.answering.periods import about_period, dated_in_paragraph, of_the_counted
from qa.answering.retriever import Retrieval
from qa.answering.scorer import ScorerWeights
from qa.answering.segments import straddles
from qa.answering.sentences import Scored, time_specifiers
from qa.answering.slips import after_i, kin_called, latin_word, no_given_name, no_letters
from qa.answering.spans import SIGNATURE_RE, SIGNING_ASKED, QType
from qa.answering.values import AskedValues, titled_count
from qa.types import Answer

# A noun general Chinese text uses at most this often (5 in a million words of jieba's dictionary) names
# something specific: 综合保税区, 袋鼠, 林业局, but not 学校 or 公司. Chosen on CMRC questions outside the
# evaluation sample (negative rejection up, false abstention on their answerable variant unchanged).
SPECIFIC_FREQUENCY = 5e-6
SPECIFIC_POS = ("n", "j", "eng")
# 位于, 就读于 are verbs; 剧中, 书里, 网上 a place particle after a noun: neither names anything
_NOT_A_NAME_END = frozenset("于中里上内")
# what the asker owns (我们村小店, 俺家网店, 我们公司): the asker, whom no document names
_THE_ASKERS = r"(?:我|俺|咱|阮)(?:们|家|们家)?(?:[村厂店社]|公司|合作社)?的?"
# The kinds of value a question asks of someone it names: when, where, how much
_OF_A_PERSON = frozenset({QType.DATE, QType.PLACE, QType.NUMBER, QType.DURATION})
# an item asked by its place in English (the second stage), and how many words after it may name it
_EN_ORDINAL = re.compile(rf"\b({'|'.join(EN_PLACES)})\b", re.IGNORECASE)
_EN_ORDINAL_REACH = 8
# where the words naming the item end: a preposition or a clause's word (the second group | of the counties…)
_EN_ITEM_END = re.compile(r"\b(?:of|for|in|on|at|to|from|with|by|which|that|when|where|who|what|is|are|was|were|do|does|did)\b|[?？]",
                          re.IGNORECASE)


# a question asking whether what it states is right (听说…95%…是这个比例吗): the figure it states is what is
# checked against the evidence, not a constraint the evidence must meet
_CHECKS = re.compile(r"是这个(?:数|数字|比例|比重|时间|日子|日期|号码)?吗|对吗|对不对|对吧|没错吧|准确吗|是真的吗")
_TITLED = re.compile(r"《[^《》]*》")
_UNIT_PLACE = re.compile(r"[省市县区乡镇村][里上内]")  # where, not which place: 镇里想搞个…, 县上 name none


class LearnedComposer(Composer):
    def __init__(self, tokenizer: Tokenizer, threshold: float | None = None,
                 weights: ScorerWeights | None = None, entities: EntityRecognizer | None = None) -> None:
        super().__init__(tokenizer)
        self.fixed_threshold = threshold
        if weights is not None:
            self.evidence.weights = weights
        self.entities = entities or shared_recognizer()
        self.values = AskedValues(tokenizer, self.evidence)

    @property
    def weights(self) -> ScorerWeights:
        return self.evidence.weights

    def use_weights(self, weights: ScorerWeights) -> None:
        """Score with other weights (the training script swaps in the model it is fitting)."""
        self.evidence.weights = weights

    def threshold(self, english: bool, kind: QType | None = None) -> float:
        if self.fixed_threshold is not None:
            return self.fixed_threshold
        return self.weights.threshold_for(english, threshold_group(kind))

    def gather(self, question: str, retrieval: Retrieval, query: str | None = None,
               exclude: Callable[[str], bool] | None = None) -> Evidence:
        """The scored evidence; ``query`` (what was retrieved with) also decides what the answer must cover."""
        english = is_english(question)
        # not the asker's 在写…报告, nor a letter's Dear Sir/Madam, kindly inform me of
        basis = without_formulas(query or question) if english else without_work(query or question)
        if english:  # the dictionary's words for the rest of its words, those the evidence uses
            texts = [h.chunk.text for h in retrieval.hits]
            used = lambda w: any(w in t for t in texts)
            whole, asked = self.tokenizer.translate(basis, used), self.tokenizer.translate(about_question(basis), used)
            # what the asker says of themselves (I export Georgian wine…) is no part of what must be covered,
            # when the rest names a topic of its own
            basis = " ".join([asked if len(asked.split()) >= 2 else whole, *quoted_terms(question, texts)])
        kind = holder_kind(kind_asked(question, basis), question, self.tokenizer.words, self.evidence.thesaurus.is_office)
        return self.evidence.build(basis, kind, retrieval, exclude, asking(question, basis))

    def decide(self, question: str, ev: Evidence, retrieval: Retrieval) -> tuple[Context, AbstainReason | None]:
        """Run the abstention rules over the evidence."""
        english = is_english(question)
        # 我们去年做出过一个爆款: the asker's, not asked; a question asking when (那第一批是啥时间段评出来,
        # after one on 2025) is not about the period of the topic it carries over. An English question's basis
        # holds only its asked terms already, in no sentence order. The years in a document's title
        # (《…计划(2023-2025年)》) name the document, not the period asked.
        asked = question if ev.qtype is QType.DATE else ev.basis
        specs = time_specifiers(_TITLED.sub("《》", asked if english and ev.qtype is not QType.DATE else about_question(asked)))
        kept, displaced = ev.scored, None
        if specs:  # a question about August must not be answered with July's figure
            kept = [x for x in kept if about_period(x, specs, ev.qtype is QType.WHO)]
            displaced = self._displaced_topic(ev, kept, retrieval)
        if ev.qtype is QType.NUMBER:
            kept = self.values.of_the_asked(asking(question, ev.basis), ev, kept, retrieval)
        kept = denied_last(values_first(kept), question, self.tokenizer) if ev.qtype in FORM_REQUIRED else kept
        sentences, document = (lambda d: self.evidence.doc_sentences(d, retrieval)), (lambda d: self.evidence.document_text(d, retrieval))
        numbered = self._numbered_english(question) if english else None
        kept = reasons_first(defining_first(numbered_first(kept, question, sentences, numbered), ev.basis), question, sentences)
        kept = latin_first(abbreviated_first(kept, question, sentences), question)
        kept = naming_first(kept, mentioned_term(question, self.tokenizer.normalize), ev.scorer, self.tokenizer.normalize, sentences)
        kept = asked_parts_first(kept, ev.qtype, self.words.english_asked_nouns(question) if english else self.asked_nouns(ev.basis),
                                 sentences, ev.basis)
        kept = holder_first(another_first(kept, question, self.entities.persons), question, self.tokenizer.words, self.evidence.thesaurus.is_office,
                            self.entities.persons, sentences) if ev.qtype in (QType.WHO, QType.WHAT) else kept
        kept = of_the_counted(kept, about_question(f"{question} {ev.basis}"))  # 第一批: not the sentence on 第二批
        if english:  # the glossary's terms of the question, but for words of the kind asked (时间: the date)
            kept = labelled_first(kept, [t for t in ev.basis.split() if not (names_a_kind(t) or t in META_NOUNS)])
        elif ev.qtype in (QType.WHAT, QType.WHO):  # 运营公司全称是什么: the line labelled 公司 gives its name
            kept = labelled_first(kept, [w for w, pos in self.tokenizer.tagged_words(about_question(ev.basis)) if len(w) >= 2
                                         and pos.startswith(("n", "vn")) and not (names_a_kind(w) or w in META_NOUNS)])
        if ev.qtype is QType.NUMBER and not english:
            kept = with_lead_values(titled_count(kept, ev.scorer.unit, sentences), clause_units(question))
        if ev.qtype is QType.DATE and kept and SIGNING_ASKED.search(question):
            kept = self._signed_first(kept, ev, retrieval)
        if ev.qtype is QType.DATE and not english:
            kept = dated_in_paragraph(kept)
        own = about_question(question)  # 我是县商务局的: the asker's own names constrain nothing
        own_tagged = [] if english else self.tokenizer.tagged_words(own)  # its segmentation, cut once
        own_words = [w for w, _pos in own_tagged]
        entities = (english_names(own, retrieval.snapshot.lexical.knows, self.entities, self.tokenizer.general_frequency) if english
                    else self._entities(own, retrieval.snapshot.lexical.knows, own_tagged) + (() if _CHECKS.search(own) else stated_figures(own)))
        p = float(self.weights.answerable.proba(ev.answerability_features()[None, :])[0]) if ev.scored else 0.0
        # A factoid asks the value of a named attribute (多少保证金, 署长是谁): no document naming it, none gives
        # it. What a descriptive question asks about (有啥好处) is often the asker's paraphrase, explained.
        missing, lexical = None, retrieval.snapshot.lexical
        if is_factoid(ev.qtype) or english and asks_for_a_thing(question):
            missing = (self.words.missing_asked_english(question, lexical) if english
                       else self.missing_asked(ev.basis, lexical))
        missing = missing or self.words.unknown_name(question, retrieval, kept) or self.words.missing_had(question, lexical)
        term = None
        if not english:  # an English question's terms are the glossary's approximations
            kept, term = self._naming_specific_terms(ev, kept, retrieval, entities, self.entities.names(own))
            term = term or (None if missing else unknown_title(own, retrieval.snapshot.lexical.knows, own_words))
            term = term or (self.words.contact_owner(own, kept, lambda d: document(d)[1]) if ev.qtype in CONTACT else None)
        inside = None
        if is_factoid(ev.qtype) and kept:
            inside = (self.words.english_inside_word(own, kept[0].sentence.text) if english  # not the asker's import business
                      else self.words.asked_inside_word(question, kept[0].sentence.text))
        generic = {f for forms, _parts, _w in ev.scorer.concepts for f in forms}
        unnamed = members_unnamed(question, [x.sentence.text for x in kept[:3]], self.entities,
                                  lambda name: bool(set(self.tokenizer.forms(self.tokenizer.normalize(name))) & generic))
        doc_texts = lambda: [s.text for s, _t, _h in self.evidence.doc_sentences(kept[0].sentence.doc_id, retrieval)] if kept else []
        someone_else = (self._said_of_someone_else(ev.qtype, kept, entities) or not_said_by(own, self.entities, doc_texts)
                        or office_not_given(own, [e for e in entities if e.tag == "PER"], doc_texts, self.tokenizer.tagged_words))
        ctx = Context(ev, retrieval, entities, self.threshold(english, ev.qtype), p, kept, english,
                      document, missing, term, displaced, inside,
                      someone_else, unnamed, english_not_given(question, [x.sentence.text for x in kept[:TOP_FOR_FORM]]),
                      holder_unnamed(f"{own} {ev.basis}", [x.sentence.text for x in kept[:3]], self.entities, self.tokenizer.words, self.evidence.thesaurus.is_office))
        return ctx, first_reason(ctx)

    def _numbered_english(self, question: str) -> list[tuple[int, str]]:
        """The item an English question asks about by its place (the second stage): the place, with each
        Chinese word of the few words after it, which may name the item."""
        m = _EN_ORDINAL.search(question)
        if m is None:
            return []
        rest = question[m.end():]
        end = _EN_ITEM_END.search(rest)
        after = re.findall(r"[A-Za-z]+", rest[:end.start() if end else None])[:_EN_ORDINAL_REACH]
        return [(EN_PLACES[m.group(1).lower()], zh) for w in after for zh in self.tokenizer.translate(w).split()
                if not zh.isascii()]

    def _signed_first(self, kept: list[Scored], ev: Evidence, retrieval: Retrieval) -> list[Scored]:
        """When the date a document was signed is asked (落款, 印发), the best document's signature — its
        issuers and the date after them (…供销合作总社办公厅2023年7月27日) — comes first."""
        for sent, toks, hay in self.evidence.doc_sentences(kept[0].sentence.doc_id, retrieval):
            if SIGNATURE_RE.search(sent.text):
                signed = Scored(sent, kept[0].score, ev.scorer.coverage(toks, hay), True)
                return [signed] + [x for x in kept if x.sentence.start != sent.start or x.sentence.doc_id != sent.doc_id]
        return kept

    def _said_of_someone_else(self, kind: QType, kept: list[Scored], entities: tuple[Entity, ...]) -> str | None:
        """A person the question names (习近平…在哪个城市会晤) when every candidate with a value of the
        asked kind names someone else and not them (李强在人民大会堂会见…), and a candidate that names
        them says what was asked about without the value: the value is the other's."""
        people = [e for e in entities if e.tag == "PER"]
        if not people or kind not in _OF_A_PERSON:
            return None
        top = [(x, x.sentence.text, char_bigrams(x.sentence.text)) for x in kept[:TOP_FOR_FORM]]
        valued = [(x, text) for x, text, _g in top if x.has_form or has_answer_form(text, kind)]
        for person in people:
            names = {id(x) for x, text, grams in top if mentioned(person, text, grams)}
            about = [x.coverage for x, _t, _g in top if id(x) in names]
            # what is said of them covers the question as well as any value does (习近平…同总理先生成功会晤),
            # so the value is not of them left unnamed (1659年受册为王妃, the queen the text is about)
            if valued and about and max(about) >= max(x.coverage for x, _t in valued) and all(
                    id(x) not in names and any(e.tag == "PER" for e in self.entities.entities(text))
                    for x, text in valued):
                return person.text
        return None

    def _displaced_topic(self, ev: Evidence, kept: list[Scored], retrieval: Retrieval) -> str | None:
        """When the period filter moved the best evidence to another document: a concept of the question
        that the best document overall uses and the best document about the period does not. The
        material on the topic is about another period, the material on the period about another topic
        (7月份进出口增长多少: the trade figures are for 前7个月; July's figures are the logistics index)."""
        if not kept or not ev.scored:
            return None
        top, now = ev.scored[0].sentence.doc_id, kept[0].sentence.doc_id
        if top == now:
            return None
        _raw, on_topic, _g = self.evidence.document_text(top, retrieval)
        _raw, on_period, _g = self.evidence.document_text(now, retrieval)
        for forms, parts, _w in ev.scorer.concepts:
            if not time_specifiers(forms[0]) and uses(on_topic, forms, parts) and not uses(on_period, forms, parts):
                return forms[0]
        return None

    def _entities(self, text: str, known: Callable[[str], bool],
                  tagged: list[tuple[str, str]] | None = None) -> tuple[Entity, ...]:
        """The names of a Chinese question, less those the recogniser cut across its words (``tagged``: its
        segmentation with parts of speech, if cut already), and a word of the language it took for a person or a
        body (新手小白: a novice; 苹果 an apple; 进出口total: an English word; 阮是: a pronoun and its verb; 阮囝, 我尕娃: my son;
        我弗晓得: I don't know; 🚚🚚: pictures)."""
        tagged = self.tokenizer.tagged_words(text) if tagged is None else tagged
        words = [w for w, _pos in tagged]
        return at_places(tuple(e for e in self.entities.entities(text) if not across_words(e.text, text, words, known)
                               and not ordinary_alone(e, text, self.tokenizer.tagged_words) and not self._described(e, known)
                               and not latin_word(e) and not no_letters(e)
                               and not no_given_name(e, tagged, self.tokenizer.general_frequency) and not kin_called(e) and not after_i(e, text)
                               and not (e.tag == "LOC" and _UNIT_PLACE.fullmatch(e.text))), text)

    def _described(self, entity: Entity, known: Callable[[str], bool]) -> bool:
        """An organisation said in words of the language alone (小卖部合作社: shops and co-operatives), or in
        them and names the documents use (网博会运营公司: the expo's operating company), no other name among
        them: a description of what the documents may name otherwise, not a name."""
        parts = [w for w, _pos in self.tokenizer.tagged_words(entity.text)]
        return entity.tag == "ORG" and len(parts) >= 2 and ordinary_word(parts[-1]) and all(ordinary_word(w) or known(w) for w in parts)

    def _naming_specific_terms(self, ev: Evidence, kept: list[Scored], retrieval: Retrieval,
                               entities: tuple[Entity, ...], names: tuple[Entity, ...]) -> tuple[list[Scored], str | None]:
        """The candidates from the documents that name the most of what the question names (its
        entities, and its specific terms: words general text hardly uses, 尤金袋鼠, 综合保税区, and
        proper names the recogniser finds, POWER6处理器), and the first specific term the best of those
        documents does not use. A name narrows down which documents can answer the way a date does."""
        specific = [(forms, parts) for forms, parts in self.specific_terms(ev.basis, [(f, p) for f, p, _w in ev.scorer.concepts])
                    if not straddles(forms[0], ev.basis, lambda w: retrieval.snapshot.lexical.knows(w) or ordinary_word(w))]
        specific += self._known_names(names, retrieval.snapshot.lexical, {f for forms, _ in specific for f in forms})
        if not (specific or entities) or not kept:
            return kept, None
        named: dict[str, tuple[int, str | None]] = {}
        # a term is said by its forms or a word of the same meaning (日用品: 办公用品、生活消费品), looked up once
        said = [(forms + self.evidence.thesaurus.synonyms(forms[0], "n"), parts) for forms, parts in specific]
        for x in kept:
            d = x.sentence.doc_id
            if d in named:
                continue
            raw, text, grams = self.evidence.document_text(d, retrieval)
            lacking = [forms[0] for forms, parts in said
                       if not (uses(text, forms, parts) or abbreviated(forms[0], text))]
            count = len(specific) - len(lacking) + sum(mentioned(e, raw, grams) for e in entities)
            named[d] = (count, lacking[0] if lacking else None)
        most = max(c for c, _ in named.values())
        kept = [x for x in kept if named[x.sentence.doc_id][0] == most]
        return kept, named[kept[0].sentence.doc_id][1]

    def specific_terms(self, basis: str, concepts: list[tuple[tuple[str, ...], tuple[str, ...]]]
                       ) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        """The concepts that name something specific: nouns general text hardly uses, other than what
        the question asks for (原产地在哪里, 出生地: often said otherwise, 原产于) or a word for its kind, figures, verbs ending in
        于, nouns with a place particle (剧中), compounds of two common words (著名演员) and words said with the
        spoken 儿 (这玩意儿: the asker's way of saying it, which no written text uses)."""
        tags = dict(self.tokenizer.tagged_words(basis))
        asked = set(self.asked_nouns(basis))
        # 我在东阳开小店: the asker's place asks nothing; nor what they do, head the question with (备课用：…) or state around it
        own = self.tokenizer.normalize(about_question(asked_clauses(after_lead_in(basis))))
        # a piece of a longer word beside it (公室 of 办公室, from a topic carried in the search cut) names nothing
        whole = [forms[0] for forms, _parts in concepts]
        return [(forms, parts) for forms, parts in concepts
                if forms[0] in own and not any(c.isdigit() for c in forms[0]) and tags.get(forms[0], "").startswith(SPECIFIC_POS)
                and not any(forms[0] in w and forms[0] != w for w in whole)
                and forms[0] not in asked and not names_a_kind(forms[0])  # 文件文号是多少: the kind asked, not a name
                and not re.search(_THE_ASKERS + re.escape(forms[0]), own)
                and forms[0][-1] not in _NOT_A_NAME_END and not self.words.names_a_time(forms[0])
                and self.tokenizer.general_frequency(forms[0]) <= SPECIFIC_FREQUENCY
                and not self._compositional(forms[0]) and not spoken_form(forms[0])
                and not self.words.says_a_thing(forms[0], tags.get(forms[0], ""))]

    def _compositional(self, word: str) -> bool:
        """A compound of two common words (著名+演员, 北京+奥运会) is rare in general text only as a
        whole: a document may well say what it means in other words (日本喜剧演员)."""
        frequency = self.tokenizer.general_frequency
        return any(min(frequency(word[:i]), frequency(word[i:])) > SPECIFIC_FREQUENCY for i in range(2, len(word) - 1))

    def _known_names(self, names: tuple[Entity, ...], lexical: Lexicon, have: set[str]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        """Proper names as (forms, parts), those the corpus uses: as a word, or every word of two or more
        characters in it (POWER6处理器: power6, 处理器). A name no document uses is the asker's own word
        (扣扣号), not a constraint on the evidence."""
        out = []
        for e in names:
            name = self.tokenizer.normalize(e.text)
            parts = tuple(dict.fromkeys(w for w in self.tokenizer.words(name) if len(w) >= 2 and w != name))
            if name in have or names_a_kind(name) or self.evidence.unknown((name,), parts, lexical):
                continue
            out.append(((name,), parts))
        return out

    def _runner_up_floor(self, best: float) -> float:
        """Scores are probabilities, peaked near the best sentence: a runner-up is close when its odds
        are within a factor e of the best's (one unit of logit), not when its probability is."""
        p = min(max(best, 1e-6), 1 - 1e-6)
        odds = p / (1 - p) / math.e
        return odds / (1 + odds)

    def compose(self, question: str, retrieval: Retrieval, query: str | None = None) -> Answer:
        english = is_english(question)
        if not retrieval.hits:
            return self._abstain(english, retrieval, NO_EVIDENCE)
        ev = self.gather(question, retrieval, query)
        ctx, reason = self.decide(question, ev, retrieval)
        answer = self._compose(question, english, ev, ctx, reason, retrieval)
        answer.confidence = ctx.answerability
        return answer

    def _compose(self, question: str, english: bool, ev: Evidence, ctx: Context, reason: AbstainReason | None,
                 retrieval: Retrieval) -> Answer:
        kind, kept = ev.qtype, ctx.period_kept
        if reason is not None and reason.code == "no_value_of_kind" and kind is QType.NUMBER:
            # 分几种通道: no figure counts them, but a sentence names them (报关货物通道和非报关货物通道)
            named = self.values.naming_the_counted(asking(question, ev.basis), kept)
            kind, kept, reason = (QType.LIST, named, None) if named else (kind, kept, reason)
        if reason is not None:
            return self._abstain(english, retrieval, reason)
        return self._finish(question, english, kind, ev.basis, kept, retrieval,
                            lambda doc_id: self._score_document(doc_id, retrieval, ctx.period_kept, lambda s, t, h: (
                                # judged by coverage alone: an item of a list its anchor sentence belongs to
                                Scored(s, 0.0, ev.scorer.coverage(t, h), ev.scorer.has_form(s.text)))))


