"""The extractive answer: the best 1–3 sentences of the retrieved chunks, quoted and cited, or an honest
"the material does not say".

Nothing is generated: every sentence of an answer is a verbatim quote with its character offsets in the
document, so the answer can be no more wrong than the source it points to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.store import Store
from index.tokenizer import STOPWORDS, Tokenizer
from qa.retriever import Retrieval
from qa.sentences import Scored, SentenceScorer, Sentence, split_hit, time_specifiers
from qa.spans import QType, extract_span, is_factoid, question_types
from qa.types import Answer, Citation

ABSTAIN_ZH = "抱歉，资料中没有找到相关信息。"
ABSTAIN_EN = "Sorry, the material does not contain information on this."
_GENERIC = STOPWORDS | frozenset(
    "哪 哪里 哪儿 什么时候 何时 是 多少 几 谁 吗 呢 请 告诉 介绍 主要 内容 有关 相关 情况 一下 怎么样 可以 "
    "能 会 要 需要 应该 具体 分别 一共 总共 共 条 个 项 "
    "please tell me about much many main what's whats there any".split())
_LIST_MARK = re.compile(r"[一二三四五六七八九十]是|[(（][一二三四五六七八九十0-9]+[)）]|第[一二三四五六七八九十]+|"
                        r"^[0-9]+[.、]|[一二三四五六七八九十]+、")
_ENUM_Q = re.compile(r"有哪些|哪几|分几个|分为几|几个阶段|几个方面|包括哪|包含哪|都有什么|what are|which|list", re.I)


def is_english(text: str) -> bool:
    letters = sum(c.isascii() and c.isalpha() for c in text)
    cjk = sum("\u4e00" <= c <= "\u9fff" for c in text)
    return letters > 0 and cjk == 0


@dataclass(frozen=True)
class ComposeConfig:
    abstain_threshold: float = 0.5  # minimum weighted coverage of the question's terms by the evidence
    max_sentences: int = 3
    list_max_sentences: int = 6


class Composer:
    def __init__(self, tokenizer: Tokenizer, abstain_threshold: float = 0.5, config: ComposeConfig | None = None):
        self.tokenizer = tokenizer
        self.config = config or ComposeConfig(abstain_threshold=abstain_threshold)

    def question_terms(self, question: str) -> list[str]:
        return [t for t in self.tokenizer.tokens(question) if t not in _GENERIC]

    def compose(self, question: str, retrieval: Retrieval, store: Store) -> Answer:
        english = is_english(question)
        hits = retrieval.hits
        if not hits:
            return self._abstain(english, retrieval)
        qtypes = question_types(question)
        qtype = qtypes[0]
        terms = self.question_terms(question)
        scorer = SentenceScorer(question, terms, retrieval.snapshot.lexical, qtype)
        best_dense = max((h.dense or 0.0) for h in hits)
        best_fused = max(h.score for h in hits)
        seen: set[tuple[str, int]] = set()
        scored: list[Scored] = []
        for hit in hits:
            for s in split_hit(hit):
                if (s.doc_id, s.start) in seen:
                    continue
                seen.add((s.doc_id, s.start))
                toks = set(self.tokenizer.tokens(s.text)) | set(self.tokenizer.tokens(s.hit.chunk.title))
                scored.append(scorer.score(s, toks, best_dense, best_fused))
        scored.sort(key=lambda x: -x.score)
        specs = time_specifiers(question)
        if specs:  # a question about August must not be answered with July's figure
            scored = [x for x in scored if specs <= time_specifiers(x.sentence.text + x.sentence.hit.chunk.title)]
        if not scored or scored[0].coverage < self.config.abstain_threshold:
            return self._abstain(english, retrieval)
        picked = self._pick(question, qtype, scored)
        short = None
        if is_factoid(qtype):
            keywords = [t for t in terms if len(t) > 1]
            for x in picked[:1] + [x for x in scored[:5] if x.has_form]:
                short = extract_span(question, x.sentence.text, qtype, keywords)
                if short:
                    if x not in picked:
                        picked = [x] + picked[: self.config.max_sentences - 1]
                    break
        return self._answer(english, picked, short, retrieval)

    def _pick(self, question: str, qtype: QType, scored: list[Scored]) -> list[Scored]:
        """The best sentence, plus close runners-up; for list questions, the enumerated items."""
        best = scored[0]
        if qtype is QType.LIST or _ENUM_Q.search(question):
            items = [x for x in scored if _LIST_MARK.search(x.sentence.text) and x.coverage > 0]
            same_doc = [x for x in items if x.sentence.doc_id == best.sentence.doc_id]
            chosen = [best] + [x for x in same_doc if x is not best][: self.config.list_max_sentences - 1]
            return sorted(chosen, key=lambda x: (x.sentence.doc_id != best.sentence.doc_id, x.sentence.start))
        chosen = [best]
        cutoff = best.score * 0.8
        docs = {best.sentence.doc_id}
        for x in scored[1:]:
            if len(chosen) >= self.config.max_sentences or x.score < cutoff:
                break
            if x.coverage < self.config.abstain_threshold:
                continue
            chosen.append(x)
            docs.add(x.sentence.doc_id)
        # Keep reading order inside a document; documents in order of their best sentence.
        order = {d: i for i, d in enumerate(dict.fromkeys(x.sentence.doc_id for x in chosen))}
        return sorted(chosen, key=lambda x: (order[x.sentence.doc_id], x.sentence.start))

    def _answer(self, english: bool, picked: list[Scored], short: str | None, retrieval: Retrieval) -> Answer:
        citations: list[Citation] = []
        parts: list[str] = []
        for n, x in enumerate(picked, start=1):
            s: Sentence = x.sentence
            c = s.hit.chunk
            citations.append(Citation(n=n, doc_id=s.doc_id, title=c.title, date=c.date, chunk_id=c.id,
                                      quote=s.text, start=s.start, end=s.end))
            parts.append(f"{s.text}[{n}]")
        if english:
            lead = f"Short answer: {short}. " if short else ""
            text = lead + "The source says (quoted in Chinese): " + " ".join(parts)
        else:
            text = "".join(parts)
        return Answer(answer=text, short_answer=short, abstained=False, citations=citations,
                      sources=list(retrieval.hits))

    def _abstain(self, english: bool, retrieval: Retrieval) -> Answer:
        titles = list(dict.fromkeys(h.chunk.title for h in retrieval.hits))[:3]
        return Answer(answer=ABSTAIN_EN if english else ABSTAIN_ZH, short_answer=None, abstained=True,
                      citations=[], sources=list(retrieval.hits), suggestions=titles)
