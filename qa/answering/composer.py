"""The extractive answer: the best 1–3 sentences of the retrieved chunks, quoted and cited, or an honest
"the material does not say".

Nothing is generated: every sentence of an answer is a verbatim quote with its character offsets in the
document, so the answer can be no more wrong than the source it points to.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass

from index.tokenizer import Tokenizer, is_english
from qa.answering.candidates import answering_figures, value_readings
from qa.answering.evidence import CONTACT, FIELD, TOP_FOR_FORM, EvidenceBuilder, rival_fields, with_leads
from qa.answering.followup import ordinal
from qa.answering.kinds import (
    WHICH_SEVERAL,
    YES_NO,
    asked_type,
    asking,
    extract_span,
    is_factoid,
)
from qa.answering.layout import Quote, is_title, keep, layout, near_duplicates
from qa.answering.lists import enumerates, has_marker, siblings, starts_item, under
from qa.answering.meanings import coined_kin
from qa.answering.neighbours import Neighbours, continued, elaborate
from qa.answering.parts import QuestionParts
from qa.answering.retriever import Retrieval, related_titles
from qa.answering.sentences import Scored, Sentence, SentenceScorer, lead_in, time_specifiers
from qa.answering.spans import DATE_RE, NUMBER_RE, QType, asked_unit, fits_unit
from qa.answering.words import QuestionWords
from qa.types import AbstainReason, Answer, Citation

ABSTAIN_ZH = "抱歉，资料中没有找到相关信息。"
ABSTAIN_EN = "Sorry, the material does not contain information on this."
# "分几个阶段", "哪五个方面", "what are the stages": the parts themselves are asked for
_PARTS_Q = re.compile(r"分(?:为|成)?[几哪]|[几哪][一二三四五六七八九十几]?个?(?:阶段|方面|部分|步骤|环节|层次)|"
                      r"(?:[一二三四五六七八九十两]个?|每一?个?)(?:阶段|步骤|环节|步)[^，,。？?]{0,8}分别|"
                      r"\b(?:stages|phases|parts|steps|aspects)\b", re.IGNORECASE)
_UNIQUE_ITEM_MARGIN = 0.3  # an item covering this much more of the question than its siblings is the topic
_LIST_SLACK = 0.15  # how much less of the question a list item may cover than the best sentence
FORM_REQUIRED = frozenset({QType.NUMBER, QType.PHONE, QType.FAX, QType.EMAIL, QType.QQ, QType.DOC_NUMBER, QType.DATE,
                           QType.DURATION})
NO_EVIDENCE = AbstainReason("no_evidence", "没有检索到相关资料。", "Nothing relevant was retrieved.")
PERIOD_MISMATCH = AbstainReason("period_mismatch", "资料没有提到问题所问的时期。",
                                "The material does not cover the period asked about.")
LOW_COVERAGE = AbstainReason("low_coverage", "最相关的资料也只涉及问题的一小部分。",
                             "The closest evidence covers too little of the question.")
NO_VALUE_OF_KIND = AbstainReason("no_value_of_kind", "资料中没有所问类型的数值。",
                                 "The material gives no value of the kind asked for.")
VALUE_NOT_NEAR = AbstainReason("value_not_near", "资料中有相关数值，但都不是所问对象的。",
                               "The material gives values, but none for what was asked.")
_ENUM_Q = re.compile(rf"有哪些|{WHICH_SEVERAL}|分几个|分为几|几个阶段|几个方面|包括哪|包含哪|都有什么|what are|which|list", re.IGNORECASE)


def _count_first(unit: str | None, top: list[Scored], picked: list[Scored]) -> list[Scored]:
    """分几个方面: the items, after the sentence that counts them (五方面23条…) when one of the best does."""
    counting = unit is not None and unit.startswith("个|")
    count = next((x for x in top if counting and any(fits_unit(m.group(0), unit) and not m.group(0).startswith("个")
                                                      for m in NUMBER_RE.finditer(x.sentence.text))), None)
    return picked if count is None or count in picked else [count] + picked


_CONFIRMS = re.compile(r"吧|没错")  # …对吧, …没错; 对不对 is an A不A question (YES_NO)


def _restates(value: str, question: str, normalize) -> bool:
    """The value is one the question itself gives (义乌国际博览中心的地址在哪条路: 义乌国际博览中心): it tells the
    asker nothing they did not say (6.1万亿占26.6%，那总额本身是多少: not 6.1万亿元; 100米跑有多少人参赛: not 100米).
    A question asking to confirm a value (…是这个比例吗, …对吧) is answered by it."""
    if YES_NO.search(question) or _CONFIRMS.search(question):
        return False
    value = normalize(value).removesuffix("元")  # 6.1万亿 restates 6.1万亿元
    return len(value) >= 2 and value in normalize(question)


def _piece_before(question: str, basis: str, first: Scored, whole_doc_of: Callable[[str], list[Scored]]
                  ) -> tuple[Scored, str] | None:
    """The piece quoted just before ``first`` in the same full sentence, with its figure, when the question
    asks several values (零售额是多少，同比增长多少) and that piece gives one ``first`` does not."""
    asked = asking(question, basis)
    readings = value_readings(asked, asked_unit(asked))
    lacking = [r for r in readings if not answering_figures(first.sentence.text, *r)]
    s = first.sentence
    if len(readings) < 2 or not lacking or not lead_in(s):  # (a piece opening its sentence has none before)
        return None
    prev = max((x for x in whole_doc_of(s.doc_id) if x.sentence.end <= s.start), key=lambda x: x.sentence.end, default=None)
    if prev is None or s.start - prev.sentence.end > 2:
        return None
    figures = [answering_figures(prev.sentence.text, *r) for r in lacking]
    return (prev, figures[0][-1].group(0)) if all(figures) else None


@dataclass(frozen=True)
class ComposeConfig:
    abstain_threshold: float = 0.3  # minimum weighted coverage of the question's terms by the evidence
    max_sentences: int = 3
    list_max_sentences: int = 10


class Composer:
    def __init__(self, tokenizer: Tokenizer, abstain_threshold: float = 0.3, config: ComposeConfig | None = None):
        self.tokenizer = tokenizer
        self.config = config or ComposeConfig(abstain_threshold=abstain_threshold)
        self.evidence = EvidenceBuilder(tokenizer)  # sentences of chunks, cached; no weights needed here
        self.words = QuestionWords(tokenizer, self.evidence)
        self.parts = QuestionParts(self.evidence, self.words.asked_nouns)

    def question_terms(self, question: str) -> list[str]:
        return self.evidence.question_terms(question)

    def missing_concepts(self, question: str, lexical) -> list[str]:
        return self.words.missing_concepts(question, lexical)

    def asked_nouns(self, question: str) -> list[str]:
        return self.words.asked_nouns(question)

    def missing_asked(self, question: str, lexical) -> str | None:
        return self.words.missing_asked(question, lexical)

    def split_questions(self, question: str, lexical=None) -> list[str]:
        return self.parts.split(question, lexical)

    def clauses(self, part: str, lexical=None) -> list[str]:
        return self.parts.clauses(part, lexical)

    def topic_clauses(self, part: str, lexical=None) -> list[str]:
        return self.parts.topic_clauses(part, lexical)

    def question_concepts(self, question: str, lexical=None) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        """What the question is about: its content words, once the words that only make it a question
        (哪几个, 多少, 分为, how many…) are taken out; with ``lexical``, a word no document uses also
        in the general synonyms the documents do use."""
        return self.evidence.question_concepts(question, lexical)

    def compose(self, question: str, retrieval: Retrieval, query: str | None = None) -> Answer:
        """Answer ``question`` from ``retrieval``; ``query`` is what was retrieved with (the question
        with the topic carried over from earlier turns), and also decides what the answer must cover."""
        english = is_english(question)
        hits = retrieval.hits
        if not hits:
            return self._abstain(english, retrieval, NO_EVIDENCE)
        basis = query or question
        qtype = asked_type(question, basis)
        basis = self.tokenizer.translate(basis) if english else basis
        lexical = retrieval.snapshot.lexical
        missing = self.missing_concepts(basis, lexical)
        if missing:
            return self._abstain(english, retrieval, AbstainReason(
                "unknown_word", f"资料中没有出现“{missing[0]}”。", f"The material never mentions {missing[0]}."))
        scorer = SentenceScorer(basis, self.question_concepts(basis, lexical), lexical, qtype, asking(question, basis))
        best_dense = max((h.dense or 0.0) for h in hits)
        best_fused = max(h.score for h in hits)
        seen: set[tuple[str, int]] = set()
        scored: list[Scored] = []
        for hit in with_leads(hits, retrieval):
            for text, start, end, toks, hay in self.evidence.sentences(hit.chunk):
                if (hit.chunk.doc_id, start) in seen:
                    continue
                seen.add((hit.chunk.doc_id, start))
                s = Sentence(text, hit.chunk.doc_id, start, end, hit)
                scored.append(scorer.score(s, toks, best_dense, best_fused, hay))
        scored.sort(key=lambda x: -x.score)
        specs = time_specifiers(basis)
        if specs:  # a question about August must not be answered with July's figure
            scored = [x for x in scored if specs <= time_specifiers(x.sentence.text + x.sentence.hit.chunk.title)]
            if not scored:
                return self._abstain(english, retrieval, PERIOD_MISMATCH)
        scored = [x for x in scored if x.coverage >= self.config.abstain_threshold]
        if not scored:
            return self._abstain(english, retrieval, LOW_COVERAGE)
        return self._finish(question, english, qtype, basis, scored, retrieval,
                            lambda doc_id: self._score_document(
                                doc_id, retrieval, scored, lambda s, t, h: scorer.score(s, t, 1.0, 1.0, h)))

    def _finish(self, question: str, english: bool, qtype: QType, basis: str, scored: list[Scored],
                retrieval: Retrieval, whole_doc_of: Callable[[str], list[Scored]]) -> Answer:
        """From ranked sentences to the answer: a factoid's value and the sentences that hold it, a list
        gathered across its document, or the best sentences (a heading with its explanation)."""
        short = None
        if is_factoid(qtype):
            formed = [x for x in scored[:TOP_FOR_FORM] if x.has_form]
            if qtype in FORM_REQUIRED and not formed:
                return self._abstain(english, retrieval, NO_VALUE_OF_KIND)
            keywords = [t for t in self.question_terms(basis) if len(t) > 1 and not t.isdigit()]
            # and, asking other than a figure, the figures it states (上一次站上110点是啥时候: the date
            # beside 110点 in the text); a figure stated where one is asked would be its own nearest
            if qtype is not QType.NUMBER:
                dates = [m.span() for m in DATE_RE.finditer(question)]
                keywords += [m.group(0) for m in NUMBER_RE.finditer(question)
                             if not m.group(0).isdigit() and not any(a <= m.start() < b for a, b in dates)]
            asked = asking(question, basis)
            restated = None
            for x in formed or scored[:1]:
                short = extract_span(asked, x.sentence.text, qtype, keywords)
                if short is None:  # what the value is about may be named in the piece before, or, for a
                    # fact sheet's line (展会时间：…), in the title of the record it belongs to
                    lead = lead_in(x.sentence) or (x.sentence.hit.chunk.title if FIELD.match(x.sentence.text) else "")
                    short = extract_span(asked, lead + x.sentence.text, qtype, keywords)
                    short = short if short and short in x.sentence.text else None
                if short is None and qtype is QType.NUMBER:  # what it is of, in a word of the same sense
                    short = extract_span(asked, x.sentence.text, qtype, self._kin(basis, keywords))  # (比例: 比重)
                if short is None and (kin := coined_kin(keywords, x.sentence.text, retrieval.snapshot.lexical.knows,
                                                        self.tokenizer.general_frequency)):
                    short = extract_span(asked, x.sentence.text, qtype, kin)  # (爆款: 爆品)
                if short and _restates(short, question, self.tokenizer.normalize):
                    # another value of the sentence, or none: the rest are values of other things
                    other = extract_span(asked, x.sentence.text.replace(short, "，"), qtype, keywords)
                    if not (other and other in x.sentence.text and not _restates(other, question, self.tokenizer.normalize)):
                        restated, short = short, None
                        break
                    short = other
                if short:
                    scored = [x] + [y for y in scored if y is not x]
                    break
            if short is None and restated is not None:
                return self._abstain(english, retrieval, AbstainReason(
                    "value_restated", f"资料中只提到了问题里已有的“{restated}”。", f"The material only gives what the question says ({restated})."))
            if short is None and qtype in FORM_REQUIRED:
                return self._abstain(english, retrieval, VALUE_NOT_NEAR)
        if short:  # a factoid: the sentence holding the value, plus any that say the same value
            same = [y for y in scored[1:] if short in y.sentence.text][: self.config.max_sentences - 1]
            same += rival_fields(scored[0], scored[1:TOP_FOR_FORM], question) if qtype in CONTACT else []
            before = _piece_before(question, basis, scored[0], whole_doc_of) if qtype is QType.NUMBER else None
            if before is not None:  # another value asked is given just before (…为6.1万亿元,|同比增长10.8%)
                return self._answer(english, [before[0], scored[0]] + same, f"{before[1]}；{short}", retrieval)
            return self._answer(english, [scored[0]] + same, short, retrieval)
        if ordinal(question) is not None and starts_item(scored[0].sentence.text):
            # "第一个方面具体是什么？" about an item of the previous answer: what that item says, its own
            # numbered points when it has some, gathered across its document
            ordered = sorted(whole_doc_of(scored[0].sentence.doc_id), key=lambda x: x.sentence.start)
            at = next((i for i, x in enumerate(ordered) if x.sentence.start == scored[0].sentence.start), None)
            if at is not None:
                picked = under(ordered, [x.sentence.text for x in ordered], at, leading=True,
                               limit=self.config.list_max_sentences, plain=self.config.max_sentences - 1)
                return self._answer(english, picked, short, retrieval)
        whole_doc: list[Scored] = []
        if qtype is QType.LIST or _ENUM_Q.search(question):
            whole_doc = whole_doc_of(scored[0].sentence.doc_id)
        picked = self._pick(question, qtype, scored, whole_doc)
        plain = len(picked) <= self.config.max_sentences  # not the items of a list
        if qtype is QType.LIST and not re.search(WHICH_SEVERAL, question):  # 分几个 asks how many, 哪几个 which
            picked = _count_first(asked_unit(question), scored[:TOP_FOR_FORM], picked)
        if plain:
            near = Neighbours(lambda doc_id: self.evidence.doc_sentences(doc_id, retrieval))
            if qtype is not QType.LIST:  # a factoid with no value of its kind is answered as a description is
                picked = elaborate(picked, near)
            picked = continued(picked, near)
        return self._answer(english, picked, short, retrieval)

    def _kin(self, basis: str, keywords: list[str]) -> list[str]:
        """The keywords and the thesaurus's words of the same sense for each, as the question uses it."""
        tags = dict(self.tokenizer.tagged_words(basis))
        return list(dict.fromkeys(keywords + [s for k in keywords for s in self.evidence.thesaurus.synonyms(k, tags.get(k, ""))
                                              if len(s) > 1]))

    def _pick(self, question: str, qtype: QType, scored: list[Scored], whole_doc: list[Scored]) -> list[Scored]:
        """The best sentence plus close runners-up; for list questions, the enumerated items of the best
        document, gathered across all its chunks."""
        best = scored[0]
        if whole_doc:
            items = [x for x in whole_doc if has_marker(x.sentence.text)
                     and x.coverage >= self.config.abstain_threshold]
            # The list must be one that retrieval found relevant: its anchor item is among the best
            # sentences; otherwise a document's outline would crowd out the specific answer.
            top = {x.sentence.start for x in scored[:5] if x.sentence.doc_id == best.sentence.doc_id}
            items = [x for x in items if x.sentence.start in top]
            anchor = max(items, key=lambda x: (x.coverage, x.score)) if items else None
            # A sentence that covers the question better than every list item answers it by itself:
            # "允许建哪些设施" is answered by the sentence naming them, not by the outline around it.
            # (nor does one of the best two that names the things asked itself, covering as much: 按需设立食堂、充电桩、停车场等)
            if anchor is not None and anchor.coverage + _LIST_SLACK >= best.coverage and not any(
                    x is not anchor and x.coverage >= anchor.coverage and enumerates(
                        x.sentence.text, lambda said: any(len(w) > 1 and w in question for w in self.tokenizer.words(said))) for x in scored[:2]):
                # its siblings are judged on the text alone: most sit in chunks never ranked
                ordered = sorted(whole_doc, key=lambda x: x.sentence.start)
                texts = [x.sentence.text for x in ordered]
                at = ordered.index(anchor)
                chosen = siblings(ordered, texts, at, limit=self.config.list_max_sentences)
                others = [x.coverage for x in chosen if x is not anchor]
                if (others and anchor.coverage - max(others) >= _UNIQUE_ITEM_MARGIN
                        and not _PARTS_Q.search(question)):
                    # The question names one item ("检验检疫作业模式优化包括哪几点"): it asks what that
                    # item says, not which items its list has.
                    return under(ordered, texts, at, limit=self.config.list_max_sentences,
                                 plain=self.config.max_sentences - 1)
                if len(chosen) > 1:
                    return chosen
        chosen = [best]
        cutoff = self._runner_up_floor(best.score)
        for x in scored[1:]:
            if len(chosen) >= self.config.max_sentences or x.score < cutoff:
                break
            chosen.append(x)
        # Keep reading order inside a document; documents in order of their best sentence.
        order = {d: i for i, d in enumerate(dict.fromkeys(x.sentence.doc_id for x in chosen))}
        return sorted(chosen, key=lambda x: (order[x.sentence.doc_id], x.sentence.start))

    def _runner_up_floor(self, best: float) -> float:
        """The score a sentence needs, beside the best one, to be quoted too."""
        return best * 0.8

    def _score_document(self, doc_id: str, retrieval: Retrieval, scored: list[Scored],
                        score_new: Callable[[Sentence, frozenset[str], str], Scored]) -> list[Scored]:
        """Every sentence of one document; those already scored keep their retrieval context, the rest
        are scored by ``score_new`` (they are gathered as items of a list an anchor sentence belongs to)."""
        known = {x.sentence.start: x for x in scored if x.sentence.doc_id == doc_id}
        out: list[Scored] = []
        for sent, toks, hay in self.evidence.doc_sentences(doc_id, retrieval):
            if sent.start in known:
                out.append(known.pop(sent.start))
            elif not any(x.sentence.start == sent.start for x in out):
                out.append(score_new(sent, toks, hay))
        return out

    def _stated(self, picked: list[Scored], retrieval: Retrieval) -> list[Scored]:
        """Each quoted title replaced by the sentence of its document that states the same (a headline
        "7月份…110.9点 环比提高0.3个点" by "7月份…为110.9点,比上月小幅提高0.3个点。"), when there is one."""
        out: list[Scored] = []
        for x in picked:
            s = x.sentence
            if is_title(Quote(s.text, s.doc_id, s.start, s.end, s.hit.chunk.title)):
                body = next((sent for sent, _toks, _hay in self.evidence.doc_sentences(s.doc_id, retrieval)
                             if sent.start > s.start and near_duplicates(s.text, sent.text)), None)
                if body is not None:
                    x = Scored(body, x.score, x.coverage, x.has_form)
            out.append(x)
        return out

    def _answer(self, english: bool, picked: list[Scored], short: str | None, retrieval: Retrieval) -> Answer:
        picked = self._stated(picked, retrieval)
        quotes = [Quote(x.sentence.text, x.sentence.doc_id, x.sentence.start, x.sentence.end,
                        x.sentence.hit.chunk.title) for x in picked]
        top = max(range(len(picked)), key=lambda i: picked[i].score, default=None)
        kept = keep(quotes, top)
        picked, quotes = [picked[i] for i in kept], [quotes[i] for i in kept]
        citations: list[Citation] = []
        for n, x in enumerate(picked, start=1):
            s: Sentence = x.sentence
            c = s.hit.chunk
            citations.append(Citation.of(n, c, s.text, s.start, s.end))
        # Quotes from several documents are each introduced by their document's title: "来源:海关发布"
        # or "从后期来看…" means little until the reader knows which article says it.
        several = len({q.doc_id for q in quotes}) > 1
        body = layout(quotes, [c.n for c in citations], lead_titles=several)
        if english:
            lead = f"Short answer: {short}. " if short else ""
            text = lead + "The source says (quoted in Chinese):" + ("\n" if "\n" in body else " ") + body
        else:
            text = body
        sources = list(retrieval.hits)
        listed = {h.chunk.id for h in sources}
        sources += [x.sentence.hit for x in picked if x.sentence.hit.chunk.id not in listed
                    and not listed.add(x.sentence.hit.chunk.id)]  # type: ignore[func-returns-value]
        return Answer(answer=text, short_answer=short, abstained=False, citations=citations, sources=sources)

    def _abstain(self, english: bool, retrieval: Retrieval, reason: AbstainReason) -> Answer:
        titles = related_titles(retrieval.hits)
        return Answer(answer=ABSTAIN_EN if english else ABSTAIN_ZH, short_answer=None, abstained=True,
                      citations=[], sources=list(retrieval.hits), suggestions=titles, abstain_reason=reason)


_MARKER = re.compile(r"\[(\d+)\]")
def merge_answers(answers: list[Answer]) -> Answer:
    """One answer for a question asked in parts: the answered parts in order, citations renumbered."""
    answered = [a for a in answers if not a.abstained]
    if not answered:
        first = answers[0]
        first.suggestions = list(dict.fromkeys(t for a in answers for t in a.suggestions))[:3]
        return first
    texts, citations, shorts, sources, seen = [], [], [], [], set()
    quoted: set[tuple] = set()  # a part answered from quotes already given: they are said once, its value added
    for a in answered:
        spans = {(c.doc_id, c.start, c.end) for c in a.citations}
        if spans and spans <= quoted:
            shorts += [a.short_answer] if a.short_answer and a.short_answer not in shorts else []
            continue
        quoted |= spans
        offset = len(citations)
        texts.append(_MARKER.sub(lambda m, offset=offset: f"[{int(m.group(1)) + offset}]", a.answer))
        citations += [dataclasses.replace(c, n=c.n + offset) for c in a.citations]
        shorts += [a.short_answer] if a.short_answer else []
        for h in a.sources:
            if h.chunk.id not in seen:
                seen.add(h.chunk.id)
                sources.append(h)
    joiner = " " if all(is_english(t) for t in texts) else ""
    # refused only when every part is: as sure as its surest answered part
    known = [a.confidence for a in answered if a.confidence is not None]
    return Answer(answer=joiner.join(texts), short_answer="；".join(shorts) or None, abstained=False,
                  citations=citations, sources=sources, confidence=max(known) if known else None)
