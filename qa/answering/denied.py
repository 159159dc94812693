"""What the asker says they do not ask.

"参展这块该加哪个QQ？（不是参观的那个）" names the line it does not want (参观咨询QQ) as plainly as the one it
does: a word of the question, and the scorer takes it for a word the answer should share. Of a fact
sheet's lines, which share their subject and differ by their labels, the one labelled with what the asker
says is not asked goes after the lines labelled otherwise.
"""

from __future__ import annotations

import re

from index.tokenizer import Tokenizer
from qa.answering.evidence import TOP_FOR_FORM, field_label
from qa.answering.sentences import Scored
from qa.answering.spans import NOT_ASKED

# where what is denied ends and what is asked begins (不是参展的 就是想去逛逛, 不是问涨多少 是问点数)
_THEN_ASKED = re.compile(r"\s|[就而只]是|是问")
_NAMING = ("n", "v", "vn", "nz", "j")  # the words that can say which line is meant


def denied_words(question: str, tokenizer: Tokenizer) -> set[str]:
    """The words naming what the asker says they do not ask (不是参观的那个 → 参观)."""
    words: set[str] = set()
    for m in NOT_ASKED.finditer(question):
        stretch = _THEN_ASKED.split(m.group(1), maxsplit=1)[0]
        words.update(w for w, pos in tokenizer.tagged_words(stretch) if len(w) >= 2 and pos in _NAMING)
    return words


def denied_last(kept: list[Scored], question: str, tokenizer: Tokenizer) -> list[Scored]:
    """The best candidates, a fact sheet's line whose label holds a word of what the asker says they do
    not ask put after the lines holding a value of the kind asked labelled otherwise, when there is one."""
    words = denied_words(question, tokenizer)
    if not words:
        return kept
    top = kept[:TOP_FOR_FORM]
    denied = {id(x) for x in top if (label := field_label(x.sentence.text)) and any(w in label for w in words)}
    if not denied or not any(x.has_form and field_label(x.sentence.text) and id(x) not in denied for x in top):
        return kept
    return [x for x in kept if id(x) not in denied] + [x for x in kept if id(x) in denied]
