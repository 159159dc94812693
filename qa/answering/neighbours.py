"""The sentences quoted beside the chosen ones: what a quote needs from its neighbours to say all it means.

A clause that ends in a semicolon is carried on to its sentence's end; a sentence that announces what
follows (…如下。, 又各有不同。 as the best of an explanation) is quoted with the sentence after it; one that
opens by pointing back (因此…) with the sentence before it; a numbered point's heading with its body.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from qa.answering.lists import starts_item
from qa.answering.sentences import Scored, Sentence

CLAUSES_ON = 3  # clauses quoted after one that ends in a semicolon, to its sentence's end
HEADING_CHARS = 16  # a sentence this short that answers a "what/how" question is a heading
ITEM_BODY = 3  # the sentences of a numbered point's body quoted after its heading
# A sentence that opens by pointing back (因此…, 在此背景下…, 他…) says half of what it means: the rest is
# the sentence before it.
POINTS_BACK = re.compile(r"^(?:因此|所以|因而|于是|由此|为此|在此|对此|据此|这|此|该|其(?![次实他它])|他|她|它)")
# ... and one that points on ("陷入了类似以下的状况。", "具体如下。") says it in the sentence after it.
POINTS_ON = re.compile(r"(?:以下|如下|下列|下面)[^。！？!?]{0,6}[。！？!?]?$")


@dataclass(frozen=True)
class Neighbours:
    """The sentences of a document in reading order, as the evidence step split them
    (``doc_sentences`` yields ``(sentence, tokens, haystack)``)."""

    doc_sentences: Callable[[str], Iterable[tuple[Sentence, object, object]]]

    def before(self, sent: Sentence) -> Sentence | None:
        previous = None
        for other, _toks, _hay in self.doc_sentences(sent.doc_id):
            if other.end > sent.start:
                break
            previous = other
        return previous

    def after(self, sent: Sentence) -> Sentence | None:
        return next((other for other, _toks, _hay in self.doc_sentences(sent.doc_id) if other.start >= sent.end),
                    None)


def _beside(x: Scored, sent: Sentence | None, have: set[tuple[str, int]]) -> list[Scored]:
    """``sent`` to quote beside ``x``, unless there is none or it is quoted already (``have``, updated)."""
    if sent is None or (sent.doc_id, sent.start) in have:
        return []
    have.add((sent.doc_id, sent.start))
    return [Scored(sent, x.score, x.coverage, False)]


def _carries_on(text: str) -> bool:
    text = text.rstrip()
    return text[-1:] in "；;：:" or bool(POINTS_ON.search(text))


def continued(picked: list[Scored], near: Neighbours) -> list[Scored]:
    """A quote that ends in a semicolon ("抖音是…展示效果好;") is one clause of a longer sentence: the
    clauses after it are quoted up to the sentence's end (at most ``CLAUSES_ON``). One that ends in a
    colon ("分为两类：") or pointing on (…以下的状况。) announces the sentence after it, which is quoted too."""
    out: list[Scored] = []
    have = {(x.sentence.doc_id, x.sentence.start) for x in picked}
    for x in picked:
        out.append(x)
        s = x.sentence
        for _ in range(CLAUSES_ON):
            if not _carries_on(s.text):
                break
            nxt = _beside(x, near.after(s), have)
            out += nxt
            if not nxt or s.text.rstrip()[-1:] not in "；;":
                break
            s = nxt[0].sentence
    return out


def elaborate(picked: list[Scored], near: Neighbours) -> list[Scored]:
    """A heading picked as the answer ("一是原则上“只检一次”。", "1.大力发展农村直播电商。") only names
    its point; the sentence after it says what the point is, so it is quoted too. The best
    explanation is quoted with the sentence after it, which often carries it on (the reason after
    the fact, the details after the summary); one that opens by pointing back (因此…, 在此背景下…) with
    the sentence before it, which it points at."""
    out: list[Scored] = []
    have = {(x.sentence.doc_id, x.sentence.start) for x in picked}
    best = max(picked, key=lambda x: x.score, default=None)
    for x in picked:
        s = x.sentence
        if POINTS_BACK.match(s.text.strip()):
            out += _beside(x, near.before(s), have)
        out.append(x)
        heading = len(s.text.strip()) <= HEADING_CHARS
        if not (heading or x is best):
            continue
        nxt = near.after(s)
        if nxt is not None and (heading or len(nxt.text.strip()) > HEADING_CHARS):
            out += _beside(x, nxt, have)
        # a numbered point's heading (2.培育“土特产”电商品牌。) is explained by its body, to the next point
        for _ in range(ITEM_BODY - 1 if heading and starts_item(s.text) else 0):
            nxt = near.after(nxt) if nxt is not None else None
            if nxt is None or starts_item(nxt.text):
                break
            out += _beside(x, nxt, have)
    return out
