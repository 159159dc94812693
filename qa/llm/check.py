"""Checking what a language model wrote against the sources it was given.

A model may cite a source that does not exist ([7] of five), cite nothing, or hide its answer behind a
reasoning block. The text is therefore rewritten as it arrives, by the same code whether it streams or
not, so that what a client saw streaming is what the final answer says: markers that point to no source
disappear, valid ones are renumbered densely in order of first use. Each cited source then gets a
verbatim quote: the sentence of its chunk that best matches the model's sentence citing it, scored the
way the extractive composer scores evidence, with offsets into the document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.documents import Chunk
from index.storage.base import Lexicon
from index.tokenizer import Tokenizer
from qa.answering.composer import is_english
from qa.answering.sentences import SentenceScorer, bigrams, split_chunk
from qa.answering.spans import QType
from qa.types import Citation, Hit

_LABEL = r"(?:(?:来源|资料|source)\s*)?"
# [1] [1,2] [1, 2] [1，2] 【1】 [来源1] [source 1]: the forms models use for "source n".
_MARKER = re.compile(rf"[\[【]\s*{_LABEL}(\d{{1,3}}(?:\s*[,，、]\s*{_LABEL}\d{{1,3}})*)\s*[\]】]", re.IGNORECASE)
_OPEN_TAIL = re.compile(r"[\[【][^\]】\n]{0,24}$")
_CLEAN_MARKER = re.compile(r"\[(\d+)\]")
_GROUP = re.compile(r"(?:\[\d+\])+")
_SEGMENT = re.compile(r".*?(?:[。！？!?；;\n]+(?:[ \t]*\[\d+\])*|$)", re.DOTALL)
_NO_INFO = re.compile(
    r"资料中?(?:并)?(?:没有|未|没)(?:有)?(?:找到|提供|提及|提到|包含|涉及)|没有找到相关信息|"
    r"\bsources? (?:do|does) not (?:contain|mention|say|provide)|\bno (?:relevant )?information\b", re.IGNORECASE)
_THINK_OPEN, _THINK_CLOSE = "<think>", "</think>"


class MarkerRewriter:
    """Rewrites citation markers in text fed piece by piece.

    A marker cut between two pieces ("…举办[" + "1]。") is held back until it is complete, so no piece
    ever carries half a marker. ``order`` lists the original source numbers in order of first use;
    source ``order[k-1]`` is cited as ``[k]``.
    """

    def __init__(self, n_sources: int) -> None:
        self.n_sources = n_sources
        self.order: list[int] = []
        self._pending = ""

    def feed(self, delta: str) -> str:
        text = self._pending + delta
        tail = _OPEN_TAIL.search(text)
        self._pending = text[tail.start():] if tail else ""
        return self._rewrite(text[:tail.start()] if tail else text)

    def finish(self) -> str:
        text, self._pending = self._pending, ""
        return self._rewrite(text)

    def rewrite_all(self, text: str) -> str:
        return self.feed(text) + self.finish()

    def _rewrite(self, text: str) -> str:
        return _MARKER.sub(self._replace, text)

    def _replace(self, m: re.Match) -> str:
        out: list[int] = []
        for num in re.findall(r"\d+", m.group(1)):
            n = int(num)
            if not 1 <= n <= self.n_sources:
                continue
            if n not in self.order:
                self.order.append(n)
            new = self.order.index(n) + 1
            if new not in out:
                out.append(new)
        return "".join(f"[{k}]" for k in out)


class ThinkFilter:
    """Drops the ``<think>…</think>`` block that reasoning models put before their answer."""

    def __init__(self) -> None:
        self._buf = ""
        self._state = "start"  # start: undecided; think: inside the block; pass: answer text

    def feed(self, delta: str) -> str:
        if self._state == "pass":
            return delta
        self._buf += delta
        if self._state == "start":
            head = self._buf.lstrip()
            if head.startswith(_THINK_OPEN):
                self._state = "think"
            elif _THINK_OPEN.startswith(head):
                return ""
            else:
                self._state, out, self._buf = "pass", self._buf, ""
                return out
        end = self._buf.find(_THINK_CLOSE)
        if end < 0:
            return ""
        self._state, out, self._buf = "pass", self._buf[end + len(_THINK_CLOSE):], ""
        return out.lstrip()

    def finish(self) -> str:
        """What is left: undecided text is answer text; an unterminated reasoning block is not."""
        out = self._buf if self._state == "start" else ""
        self._buf, self._state = "", "pass"
        return out

    def strip(self, text: str) -> str:
        return self.feed(text) + self.finish()


def says_no_info(text: str) -> bool:
    """Whether the model said the sources do not answer (in the words the prompt asks for, or close)."""
    return bool(_NO_INFO.search(text))


def claims_by_marker(text: str) -> dict[int, list[str]]:
    """For each marker number, the clauses of the answer that cite it: the text since the previous
    marker in the same sentence, and the whole sentence (for "A和B[1][2]", where the clause is short)."""
    out: dict[int, list[str]] = {}
    for segment in _SEGMENT.findall(text):
        if not segment.strip():
            continue
        whole = _CLEAN_MARKER.sub("", segment).strip()
        last = 0
        for group in _GROUP.finditer(segment):
            clause = _CLEAN_MARKER.sub("", segment[last:group.start()]).strip(" ，,、：:")
            last = group.end()
            for num in _CLEAN_MARKER.findall(group.group(0)):
                claims = out.setdefault(int(num), [])
                for c in (clause, whole):
                    if len(c) >= 2 and c not in claims:
                        claims.append(c)
    return out


def best_quote(claims: Sequence[str], chunk: Chunk, tokenizer: Tokenizer,
               lexical: Lexicon) -> tuple[str, int, int] | None:
    """(quote, start, end) of the chunk's sentence that best supports any of ``claims``: weighted
    coverage of the claim's content words, plus shared character bigrams (robust to paraphrase and
    segmentation); English claims are matched through the glossary. Offsets are into the document."""
    sentences = split_chunk(chunk)
    if not sentences:
        body = chunk.text.strip()
        if not body:
            return None
        start = chunk.start + chunk.text.index(body)
        return body, start, start + len(body)
    tokens = [set(tokenizer.tokens(text)) for text, _, _ in sentences]
    best: tuple[float, int] = (-1.0, 0)
    for claim in claims:
        basis = tokenizer.translate(claim) if is_english(claim) else claim
        scorer = SentenceScorer(basis, tokenizer.concepts(basis), lexical, QType.DESCRIPTIVE)
        q_bigrams = bigrams(basis)
        for i, (text, _, _) in enumerate(sentences):
            overlap = len(q_bigrams & bigrams(text)) / len(q_bigrams) if q_bigrams else 0.0
            score = scorer.coverage(tokens[i]) + 0.5 * overlap
            if score > best[0]:
                best = (score, i)
    return sentences[best[1]]


def build_citations(text: str, order: Sequence[int], hits: Sequence[Hit], tokenizer: Tokenizer,
                    lexical: Lexicon) -> list[Citation]:
    """One citation per renumbered marker, carrying the same fields as an extractive citation."""
    claims = claims_by_marker(text)
    plain = _CLEAN_MARKER.sub("", text).strip()
    citations = []
    for k, source in enumerate(order, start=1):
        chunk = hits[source - 1].chunk
        found = best_quote(claims.get(k) or [plain], chunk, tokenizer, lexical)
        if found is None:
            continue
        quote, start, end = found
        citations.append(Citation.of(k, chunk, quote, start, end))
    return citations
