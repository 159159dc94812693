"""The evidence for one question: candidate sentences from the retrieved chunks (and the opening chunks
of their documents), each with its features and its learned score.

This is the part of answering that both the composer and the scorer's training script run, so the model
is trained on exactly the numbers it is later applied to.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from index.documents import Chunk
from index.storage.base import Lexicon
from index.tokenizer import STOPWORDS, Tokenizer
from qa.answering.entities import char_bigrams
from qa.answering.features import Candidate, feature_matrix
from qa.answering.kinds import BUILDING, CONTACT, WHICH_SEVERAL, is_factoid, question_types
from qa.answering.retriever import Retrieval
from qa.answering.scorer import ANSWERABILITY_FEATURES, ScorerWeights
from qa.answering.sentences import (
    CJK,
    Scored,
    Sentence,
    SentenceScorer,
    bigrams,
    split_chunk,
    without_comparisons,
)
from qa.answering.spans import NUMBER_RE, QType
from qa.answering.thesaurus import shared_thesaurus
from qa.types import Hit

GENERIC = STOPWORDS | frozenset(
    ["哪", "哪里", "哪儿", "什么时候", "何时", "是", "多少", "几", "谁", "吗", "呢", "请", "告诉", "介绍", "主要", "内容", "有关", "相关", "情况", "一下", "怎么样", "可以", "能", "会", "要", "需要", "应该", "具体", "分别", "一共", "总共", "共", "条", "个", "项", "please", "tell", "me", "about", "much", "many", "main", "what's", "whats", "there", "any"])
# Nouns that say what kind of answer is wanted (号码, 名字, 时间) or what about a thing is asked (区别,
# 好处): they ask for nothing a document must name.
META_NOUNS = frozenset(
    ["位置", "落款", "意思", "区别", "差别", "不同", "态度", "效果", "号码", "文号", "名字", "名称", "全称", "简称", "地名", "文章", "篇文章", "内容", "情况", "时候", "问题", "方式", "方法", "办法", "原因", "作用", "特点", "关系", "要求", "目的", "时间", "地点", "想法", "看法", "评价", "意义", "背景", "目标", "结果", "回事", "好处", "部分", "方面", "东西", "事情", "消息", "信息", "资料", "数据", "详情", "细节", "主题", "重点", "要点", "地方", "规定", "政策", "说法", "哪方面", "这方面", "那方面"])
# Words that only make a sentence a question (哪几个, 多少, 分为, how many…), not what it is about.
QUESTION_FORM = re.compile(
    rf"哪几个|哪几条|哪几项|哪几类|哪几种|哪几|{WHICH_SEVERAL}[个位家条项类种名座所部本件路门]?|哪一[年天个位种类家条项次届份些]|哪些|哪个|哪家|哪位|哪里|哪儿|哪天|哪年|几号(?!{BUILDING})|几月|几日|几点|几个|几条|几项|几类|几种|几家|"
    r"在哪|百分之几|几成|多久|多长时间|多大|多高|多远|多少|什么时候|什么|怎么样|怎么|怎样|如何|是否|有没有|是不是|为什么|为何|分为|分成|包括|包含|涉及|主要有|都有|"
    r"请问|告诉我|介绍一下|说说|讲讲|一共|总共|共有|分别|具体|\bhow (many|much)\b|\bwhat\b|\bwhich\b|\bwhen\b|"
    r"\bwhere\b|\bwho\b|\bwhy\b|\bhow\b|\bdoes\b|\bdid\b|\bis\b|\bare\b", re.IGNORECASE)
TOP_FOR_FORM = 8  # the best candidates a value of the asked kind is looked for in
# Suffixes that make a noun of a verb: the place (原产地, 住处), the doer (创作者), the amount (销售额, 发行量).
NOUN_SUFFIXES = frozenset("地者量额数处")
_FUNCTION_CHARS = frozenset("的了是在和与及或也都就还又而但把被给对向从于以之其这那个些吗呢吧啊呀哪谁啥么")
# A field line of a fact sheet or contact block: a short label, a colon, its value; a bare attribute
# (地址, 电话: a label of one or two characters) names no subject of its own.
FIELD = re.compile(r"^[^：:，,。；;\s]{1,8}[：:]")
_ATTRIBUTE = re.compile(r"^[^：:，,。；;\s]{1,2}[：:]")
RIVAL = 0.75  # a field line scoring this share of the best one's score is as likely what is meant


def field_label(text: str) -> str | None:
    """The label of a field line (展会咨询QQ of 展会咨询QQ：604026680); None for any other text."""
    m = FIELD.match(text)
    return m.group(0)[:-1] if m else None


@functools.lru_cache(maxsize=4096)
def names_a_kind(word: str) -> bool:
    """Whether a word is one of the kinds' cues for the kind of answer asked (热线, 邮件, 日期)."""
    return question_types(word) != [QType.DESCRIPTIVE]


def threshold_group(kind: QType | None) -> str | None:
    """The group of answer kinds whose answerability threshold is chosen apart (``ScorerWeights.threshold_kinds``)."""
    return "contact" if kind in CONTACT else None


# a question asking for every value of its kind, counted or with its word for all (两个号都告诉我, 几个QQ, QQ号都有
# 哪些, both numbers, which QQ numbers: a plural asked for): not one of them
_CONTACT_WORD = r"(?:号|QQ|扣扣|电话|邮箱|热线|\b(?:numbers?|QQs?|phones?|e-?mails?|contacts?)\b)"
_EVERY = re.compile(rf"[两俩二几]个[^，,。？?\s]{{0,4}}?{_CONTACT_WORD}|{_CONTACT_WORD}[^，,。？?]{{0,6}}?(?:都|分别|各自)"
                    rf"|哪些[^，,。？?\s]{{0,4}}?{_CONTACT_WORD}|\b(?:both|all|each)(?:\s+(?:of\s+)?(?:the|your|its|their))?\s+{_CONTACT_WORD}"
                    r"|\b(?:which|what)\b[^.?!,]{0,24}?\b(?:numbers|QQs|phones|e-?mails|contacts)\b",
                    re.IGNORECASE)


def rival_fields(first: Scored, others: list[Scored], question: str) -> list[Scored]:
    """Field lines giving the same kind of contact as the first under another label (展会咨询QQ and
    参观咨询QQ) that score nearly as well: the evidence cannot tell which the asker means, so each is
    given with its label; where the question asks for every one of the kind (两个号都告诉我), each
    whatever its score."""
    label = field_label(first.sentence.text)
    if label is None:
        return []
    kind = label[-2:]  # QQ, 电话, 邮箱: the label's last word says what the line gives
    every = _EVERY.search(question) is not None
    return [y for y in others if y.has_form and (every or y.score >= RIVAL * first.score)
            and (other := field_label(y.sentence.text)) is not None and other.endswith(kind)]


@dataclass
class Evidence:
    basis: str  # what the answer must be about: the question, with carried-over topic, in Chinese
    qtype: QType
    scorer: SentenceScorer
    scored: list[Scored]  # best first; score = the learned probability that the sentence answers
    features: np.ndarray  # rows aligned with ``scored``
    unknown_share: float
    synonyms: list[list[str]]  # groups of words that mean the same (综保区, 综合保税区)
    unknown: tuple[str, ...] = ()  # the question's words that no document uses, in any form or synonym

    def answerability_features(self) -> np.ndarray:
        """One row of ANSWERABILITY_FEATURES, from the best sentences."""
        if not self.scored:
            return np.zeros(len(ANSWERABILITY_FEATURES))
        from qa.answering.features import FEATURES

        col = {n: i for i, n in enumerate(FEATURES)}
        logits = [_logit(x.score) for x in self.scored[:2]]
        best = self.features[0]
        top = self.scored[:TOP_FOR_FORM]
        values = {
            "best_logit": logits[0],
            "margin": logits[0] - logits[1] if len(logits) > 1 else 5.0,
            "best_sent_dense": best[col["sent_dense"]],
            "best_chunk_dense": self.features[:, col["chunk_dense"]].max(),
            "best_coverage": self.scored[0].coverage,
            "max_coverage": max(x.coverage for x in self.scored),
            "best_bigram": best[col["bigram"]],
            "form_share": sum(x.has_form for x in top) / len(top),
            "unknown_share": self.unknown_share,
        }
        return np.array([values[n] for n in ANSWERABILITY_FEATURES], dtype=np.float64)


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return float(np.log(p / (1 - p)))


class EvidenceBuilder:
    def __init__(self, tokenizer: Tokenizer, weights: ScorerWeights | None = None) -> None:
        self.tokenizer = tokenizer
        self._weights = weights
        self._cache: dict[str, list[tuple[str, int, int, frozenset[str], str]]] = {}
        self.cache_size = 20000
        self._documents: dict[tuple, tuple[str, str, set[str]]] = {}
        self._only_figures: dict[tuple, bool] = {}  # per heading and document: its only figure?
        self.thesaurus = shared_thesaurus()

    @property
    def weights(self) -> ScorerWeights:
        """The shipped weights, read on first use: the rule composer shares this builder's sentence
        cache and never needs them."""
        if self._weights is None:
            self._weights = ScorerWeights.load()
        return self._weights

    @weights.setter
    def weights(self, value: ScorerWeights) -> None:
        self._weights = value

    def sentences(self, chunk: Chunk) -> list[tuple[str, int, int, frozenset[str], str]]:
        """Sentences of a chunk with their tokens and normalised text, title included (a sentence is
        read in the context of its document). A bare attribute field that follows another field
        ("公司：…" then "地址：…", a page's contact block) is read with it: consecutive fields describe
        one record, and the address is the company's ("参观咨询QQ：…" names its own subject). Chunks are
        immutable under their content-hash id, so this caches."""
        cached = self._cache.get(chunk.id)
        if cached is None:
            title = set(self.tokenizer.tokens(chunk.title))
            norm_title = self.tokenizer.normalize(chunk.title)
            cached = []
            before = ""
            for t, s, e in split_chunk(chunk):
                record = before if _ATTRIBUTE.match(t) and FIELD.match(before) else ""
                cached.append((t, s, e, frozenset(set(self.tokenizer.tokens(t + "\n" + record)) | title),
                               self.tokenizer.normalize(t) + "\n" + norm_title
                               + ("\n" + self.tokenizer.normalize(record) if record else "")))
                before = t
            if len(self._cache) >= self.cache_size:
                self._cache.pop(next(iter(self._cache)))
            self._cache[chunk.id] = cached
        return cached

    def question_concepts(self, question: str, lexical: Lexicon | None = None) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        """What the question is about, as (forms, parts). Given the corpus's ``lexical`` index, a word
        no document uses also takes the general synonyms the documents do use (人手 → 人员)."""
        text = QUESTION_FORM.sub(" ", without_comparisons(question))
        concepts = self.tokenizer.concepts(text, drop=GENERIC)
        concepts = [(forms + _verb_of(forms[0], self.tokenizer.general_frequency), parts) for forms, parts in concepts]
        if lexical is None:
            return concepts
        tags: dict[str, str] = {}
        for word, pos in self.tokenizer.tagged_words(text):
            tags.setdefault(word, pos)
        return [(forms + self.synonyms_known(forms[0], tags.get(forms[0], ""), lexical)
                 if self.unknown(forms, parts, lexical) else forms, parts) for forms, parts in concepts]

    def synonyms_known(self, word: str, pos: str, lexical: Lexicon) -> tuple[str, ...]:
        """The general synonyms of ``word`` (as ``pos``) that some document uses."""
        return tuple(s for s in self.thesaurus.synonyms(word, pos) if self.known(self.tokenizer.forms(s), lexical))

    @staticmethod
    def known(forms: tuple[str, ...], lexical: Lexicon) -> bool:
        return any(lexical.knows(f) for f in forms)

    @classmethod
    def unknown(cls, forms: tuple[str, ...], parts: tuple[str, ...], lexical: Lexicon) -> bool:
        """A concept no document uses: none of its forms, and not all of its parts (a word for the kind
        of answer among them needs none: 传真号码 is known where 传真 is, 客服热线 where 客服 is)."""
        return not cls.known(forms, lexical) and not (
            any(map(lexical.knows, parts)) and all(lexical.knows(p) or p in META_NOUNS or names_a_kind(p) for p in parts))

    def question_terms(self, question: str) -> list[str]:
        return [t for t in self.tokenizer.tokens(question) if t not in GENERIC]

    def build(self, basis: str, qtype: QType, retrieval: Retrieval,
              exclude: Callable[[str], bool] | None = None, asking: str | None = None) -> Evidence:
        """Score every candidate sentence of ``retrieval`` (plus its documents' leads), leaving out those
        whose text ``exclude`` rejects (training builds evidence without the answer this way)."""
        lexical = retrieval.snapshot.lexical
        concepts = self.question_concepts(basis, lexical)
        scorer = SentenceScorer(basis, concepts, lexical, qtype, asking)
        adverbs = {w for w, pos in self.tokenizer.tagged_words(basis) if pos.startswith("d")}  # 大概, 到底: how it is asked
        unknown = [forms[0] for forms, parts in concepts if self.unknown(forms, parts, lexical) and forms[0] not in adverbs]
        named = {f for forms, _parts in concepts for f in forms if len(f) >= 2}
        candidates = [c for c in self._candidates(retrieval, is_factoid(qtype), named)
                      if not (exclude and exclude(c.sentence.text))]
        x, coverage, form = feature_matrix(candidates, retrieval.query_vector, scorer, bigrams(basis),
                                           content_chars(basis))
        probs = self.weights.sentence.proba(x) if len(candidates) else np.zeros(0)
        order = np.argsort(-probs, kind="stable")
        scored = [Scored(candidates[i].sentence, float(probs[i]), float(coverage[i]), bool(form[i])) for i in order]
        return Evidence(basis, qtype, scorer, scored, x[order], len(unknown) / len(concepts) if concepts else 0.0,
                        self.tokenizer.groups, tuple(unknown))

    def _candidates(self, retrieval: Retrieval, headings: bool, named: set[str] = frozenset()) -> Iterator[Candidate]:
        """Every sentence of the retrieved chunks and their documents' leads. A heading that repeats
        the document's title is one only when ``headings``: a news headline carries the key figure
        (前7个月进出口总值为23.55万亿元) a factoid asks for, but it neither explains nor lists; unless the
        headline is all its document says with a figure (海关总署:前7个月…同比增长0.4% over 来源:海关发布): then it
        is what any question about it is answered by."""
        snap = retrieval.snapshot
        qvec = retrieval.query_vector
        seen: set[tuple[str, int]] = set()
        for hit in with_sections(with_leads(retrieval.hits, retrieval), retrieval, named):
            chunk = hit.chunk
            chunk_dense = hit.dense
            if chunk_dense is None:
                chunk_dense = _chunk_cosine(snap, chunk, qvec)
            vectors = snap.sentence_vectors_of(chunk)
            rows = self.sentences(chunk)
            doc_chunks = snap.chunks_of(chunk.doc_id)
            lead = bool(doc_chunks) and doc_chunks[0].id == chunk.id
            for i, (text, start, end, toks, hay) in enumerate(rows):
                if (chunk.doc_id, start) in seen or (not headings and text.strip() == chunk.title.strip()
                                                     and not self._only_figure(text, doc_chunks)):
                    continue
                seen.add((chunk.doc_id, start))
                vec = vectors[i] if vectors is not None and len(vectors) == len(rows) else None
                yield Candidate(Sentence(text, chunk.doc_id, start, end, hit), toks, hay, vec, chunk_dense, lead, i)

    def document_text(self, doc_id: str, retrieval: Retrieval) -> tuple[str, str, set[str]]:
        """A document's text with its title and every spelling of the synonyms it uses (综合保税区 also
        as 综保区), as written and normalised, and its character bigrams: what names a document
        mentions is read from this. Cached by the document's chunks."""
        snap = retrieval.snapshot
        chunks = snap.chunks_of(doc_id)
        key = (doc_id, tuple(c.id for c in chunks))
        cached = self._documents.get(key)
        if cached is None:
            raw = "\n".join([c.text for c in chunks] + ([snap.docs[doc_id].title] if doc_id in snap.docs else []))
            # a spelling of two characters is found inside too many other words (展会 in 云展会) to say
            # that the document names what its group names
            raw += "\n".join(t for group in self.tokenizer.groups if any(len(g) > 2 and g in raw for g in group)
                             for t in group)
            cached = (raw, self.tokenizer.normalize(raw), char_bigrams(raw))
            if len(self._documents) >= 512:
                self._documents.pop(next(iter(self._documents)))
            self._documents[key] = cached
        return cached

    def _only_figure(self, heading: str, chunks: list[Chunk]) -> bool:
        """Whether a heading holds a figure and nothing else of its document does; read once per document."""
        key = (heading, tuple(c.id for c in chunks))
        if key not in self._only_figures:
            if len(self._only_figures) >= 512:
                self._only_figures.pop(next(iter(self._only_figures)))
            self._only_figures[key] = bool(NUMBER_RE.search(heading)) and not any(
                NUMBER_RE.search(c.text.replace(heading.strip(), " ")) for c in chunks)
        return self._only_figures[key]

    def doc_sentences(self, doc_id: str, retrieval: Retrieval) -> Iterator[tuple[Sentence, frozenset[str], str]]:
        """Every sentence of one document in order, with its tokens and normalised text; the chunks that
        retrieval did not rank get a hit scored just under the weakest ranked one."""
        snap = retrieval.snapshot
        floor = min(h.score for h in retrieval.hits)
        for chunk in snap.chunks_of(doc_id):
            hit = Hit(chunk=chunk, score=floor * 0.9)
            for text, start, end, toks, hay in self.sentences(chunk):
                yield Sentence(text, doc_id, start, end, hit), toks, hay


def content_chars(question: str) -> frozenset[str]:
    """The question's characters that carry meaning: CJK characters outside its question words and the
    function characters of any sentence (的, 是, 在…). A word no document uses still shares some of its
    characters with the words that do (观众 and 参观: 观)."""
    return frozenset(c for c in QUESTION_FORM.sub(" ", question) if CJK.match(c) and c not in _FUNCTION_CHARS)


def _verb_of(word: str, frequency: Callable[[str], float]) -> tuple[str, ...]:
    """The verb a derived noun of three or more characters is made from (原产地 → 原产, 销售额 → 销售,
    居住地 → 居住), when general text uses it as a word (履约率指数 is not 履约率指 + 数): a sentence that
    says 原产于台湾 tells where the 原产地 is."""
    if len(word) >= 3 and word[-1] in NOUN_SUFFIXES and CJK.match(word) and frequency(word[:-1]) > 0:
        return (word[:-1],)
    return ()


def with_leads(hits: list[Hit], retrieval: Retrieval) -> list[Hit]:
    """The hits plus the opening chunks of each document they come from: titles and leads carry a
    document's key facts (who, what, how many) even when the question matched a later passage."""
    out = list(hits)
    have = {h.chunk.id for h in hits}
    floor = min(h.score for h in hits)
    for doc_id in dict.fromkeys(h.chunk.doc_id for h in hits):
        # the first two chunks: a heading often makes a chunk of its own
        for lead in retrieval.snapshot.chunks_of(doc_id)[:2]:
            if lead.id not in have:
                have.add(lead.id)
                out.append(Hit(chunk=lead, score=floor * 0.9, dense=None, lexical=None, rank=len(out) + 1))
    return out


# a top-level section's heading in running text (…制定本行动计划。二、工作目标建立县域统筹…): a numeral and 、
# at a sentence's start, the section's name in the characters after it
_SECTION = re.compile(r"(?:^|(?<=[。！？!?；;\n]))\s*(?:#+\s*)?[一二三四五六七八九十]{1,2}、([^。！？!?；;\n]{1,6})")


@functools.lru_cache(maxsize=8192)
def section_headings(text: str) -> tuple[str, ...]:
    """The names after the top-level section markers of a chunk's text: read once per chunk, since every
    question searches the chunks of the documents it retrieves."""
    return tuple(m.group(1) for m in _SECTION.finditer(text))


def with_sections(hits: list[Hit], retrieval: Retrieval, named: set[str]) -> list[Hit]:
    """The hits plus, in each document they come from, the chunks that open a top-level section whose
    heading names a word of the question (二、工作目标 for 三年行动的目标是多少个县, 二、全面推广阶段 for
    正处在哪个阶段), with the chunk after each: a section's sentences seldom repeat its heading's word,
    so retrieval, which matches the question's words, ranks them low."""
    if not named:
        return hits
    out = list(hits)
    have = {h.chunk.id for h in hits}
    floor = min(h.score for h in hits)
    for doc_id in dict.fromkeys(h.chunk.doc_id for h in hits):
        chunks = retrieval.snapshot.chunks_of(doc_id)
        for i, chunk in enumerate(chunks):
            if not any(f in heading for heading in section_headings(chunk.text) for f in named):
                continue
            for extra in chunks[i:i + 2]:
                if extra.id not in have:
                    have.add(extra.id)
                    out.append(Hit(chunk=extra, score=floor * 0.9, dense=None, lexical=None, rank=len(out) + 1))
    return out


def _chunk_cosine(snap, chunk: Chunk, qvec: np.ndarray | None) -> float:
    """The cosine of a chunk that dense retrieval did not rank (a document's lead), from its stored vector."""
    if qvec is None:
        return 0.0
    vector = snap.vector_of(chunk)
    return 0.0 if vector is None else float(np.dot(vector, qvec))
