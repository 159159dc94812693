"""Answers decided from the evidence by learned weights: which sentence answers (meaning and words),
and whether any does (a calibrated probability), with named abstention rules for the constraints a
question states. Selected with ``answer_scorer=learned``; list gathering, elaboration of headings and
the cited answer text are the rule composer's.

The weights come from ``python -m eval.train_scorer`` (see ``qa/answering/scorer_weights.json``).
"""

from __future__ import annotations

from index.tokenizer import Tokenizer
from qa.answering.abstention import FORM_REQUIRED, VALUE_NOT_NEAR, AbstainReason, Context, first_reason
from qa.answering.composer import _ENUM_Q, NO_EVIDENCE, Composer, is_english
from qa.answering.entities import EntityRecognizer
from qa.answering.evidence import Evidence, EvidenceBuilder
from qa.answering.retriever import Retrieval
from qa.answering.scorer import ScorerWeights
from qa.answering.sentences import Scored, time_specifiers
from qa.answering.spans import QType, extract_span, is_factoid, question_types
from qa.types import Answer


class LearnedComposer(Composer):
    def __init__(self, tokenizer: Tokenizer, threshold: float | None = None,
                 weights: ScorerWeights | None = None, entities: EntityRecognizer | None = None) -> None:
        super().__init__(tokenizer)
        self.fixed_threshold = threshold
        self.weights = weights if weights is not None else ScorerWeights.load()
        self.evidence = EvidenceBuilder(tokenizer, self.weights)
        self.entities = entities or EntityRecognizer()

    def use_weights(self, weights: ScorerWeights) -> None:
        """Score with other weights (the training script swaps in the model it is fitting)."""
        self.weights = weights
        self.evidence.weights = weights

    def threshold(self, english: bool) -> float:
        if self.fixed_threshold is not None:
            return self.fixed_threshold
        if english and self.weights.threshold_en is not None:
            return self.weights.threshold_en
        return self.weights.threshold

    def gather(self, question: str, retrieval: Retrieval, query: str | None = None) -> Evidence:
        """The scored evidence for ``question``; ``query`` is what was retrieved with (the question with
        the topic carried over from earlier turns), and also decides what the answer must cover."""
        english = is_english(question)
        basis = query or question
        basis = self.tokenizer.translate(basis) if english else basis
        return self.evidence.build(basis, question_types(question)[0], retrieval)

    def decide(self, question: str, ev: Evidence, retrieval: Retrieval) -> tuple[Context, AbstainReason | None]:
        """Run the abstention rules over the evidence."""
        specs = time_specifiers(ev.basis)
        kept = ev.scored
        if specs:  # a question about August must not be answered with July's figure
            kept = [x for x in kept if specs <= time_specifiers(x.sentence.text + x.sentence.hit.chunk.title)]
        english = is_english(question)
        entities = () if english else self.entities.entities(question)
        p = float(self.weights.answerable.proba(ev.answerability_features()[None, :])[0]) if ev.scored else 0.0
        ctx = Context(ev, retrieval, entities, self.threshold(english), p, kept, english)
        return ctx, first_reason(ctx)

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
        if reason is not None:
            return self._abstain(english, retrieval, reason)
        scored, qtype, basis = ctx.period_kept, ev.qtype, ev.basis
        short = None
        if is_factoid(qtype):
            formed = [x for x in scored[:8] if x.has_form]
            keywords = [t for t in self.evidence.question_terms(basis) if len(t) > 1 and not t.isdigit()]
            for x in formed or scored[:1]:
                short = extract_span(basis, x.sentence.text, qtype, keywords)
                if short:
                    scored = [x] + [y for y in scored if y is not x]
                    break
            if short is None and qtype in FORM_REQUIRED:
                return self._abstain(english, retrieval, VALUE_NOT_NEAR)
        if short:  # a factoid: the sentence holding the value, plus any that say the same value
            same = [y for y in scored[1:] if short in y.sentence.text][: self.config.max_sentences - 1]
            return self._answer(english, [scored[0]] + same, short, retrieval)
        whole_doc: list[Scored] = []
        if qtype is QType.LIST or _ENUM_Q.search(question):
            whole_doc = self._whole_document(scored[0].sentence.doc_id, ev, retrieval, scored)
        picked = self._pick(question, qtype, scored, whole_doc)
        if qtype is QType.DESCRIPTIVE and len(picked) <= self.config.max_sentences:
            picked = self._elaborate(picked, retrieval)
        return self._answer(english, picked, short, retrieval)

    def _whole_document(self, doc_id: str, ev: Evidence, retrieval: Retrieval,
                        scored: list[Scored]) -> list[Scored]:
        """Every sentence of one document; those already scored keep their score, the rest are judged by
        their coverage alone (they are gathered as items of a list an anchor sentence belongs to)."""
        known = {x.sentence.start: x for x in scored if x.sentence.doc_id == doc_id}
        out: list[Scored] = []
        for sent, toks, hay in self.evidence.doc_sentences(doc_id, retrieval):
            if sent.start in known:
                out.append(known.pop(sent.start))
            elif not any(x.sentence.start == sent.start for x in out):
                out.append(Scored(sent, 0.0, ev.scorer.coverage(toks, hay), ev.scorer.has_form(sent.text)))
        return out

