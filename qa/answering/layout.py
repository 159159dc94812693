"""How the quoted sentences of an answer are laid out as text: what a reader sees in the API, the CLI,
the chat page and the OpenAI endpoint alike.

The composer decides which sentences answer; this decides how they read. A document's title is not
evidence (the sentence that states the fact is: the composer swaps a quoted title for it when the
document has one), so it is left out whenever another sentence remains. Of two sentences of a document
that say nearly the same thing (a headline and the sentence repeating it), the fuller one is kept. Sentences that follow each other in a document read as one passage; sentences from
different places start a new line. The items of a list go one per line, numbered as the source numbers
them, with any lead-in ("主要内容如下:") on a line of its own.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from qa.answering.lists import markers
from qa.answering.sentences import bigrams

NEAR_DUPLICATE = 0.7  # share of the shorter sentence's character bigrams found in the longer one
_NON_WORD = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"[0-9]+(?:\.[0-9]+)?")


@dataclass(frozen=True)
class Quote:
    """One quoted sentence: its text, where it sits in its document, and its document's title."""

    text: str
    doc_id: str
    start: int
    end: int
    title: str


def is_title(quote: Quote) -> bool:
    """The sentence is its document's title (a Markdown heading repeats it at the top of the text)."""
    bare = _NON_WORD.sub("", quote.text)
    return bool(bare) and bare == _NON_WORD.sub("", quote.title)


def _figures(text: str) -> set[object]:
    """The numbers a sentence states and the list numbers it carries: two list items, or two months'
    figures, share most of their wording and still say different things."""
    return set(_DIGITS.findall(text)) | {(style, n) for _, style, n in markers(text)}


def near_duplicates(a: str, b: str) -> bool:
    """``a`` and ``b`` say the same: the shorter's figures all in the longer, and most of its wording."""
    short, long_ = sorted((a, b), key=lambda t: len(bigrams(t)))
    grams_short, grams_long = bigrams(short), bigrams(long_)
    if not grams_short or not _figures(short) <= _figures(long_):
        return False
    return len(grams_short & grams_long) / len(grams_short) >= NEAR_DUPLICATE


def keep(quotes: Sequence[Quote], best: int | None = None) -> list[int]:
    """Indices of the quotes worth showing, in their order: titles left out unless nothing else is
    left or the title is the ``best`` evidence (a document that is a headline and its source line says
    it only there), and of near-duplicates within one document only the longest, in the place of the
    first (the same sentence in two documents is two sources saying it)."""
    chosen = [i for i, q in enumerate(quotes) if i == best or not is_title(q)] or list(range(len(quotes)))
    out: list[int] = []
    for i in chosen:
        twin = next((k for k, j in enumerate(out) if quotes[j].doc_id == quotes[i].doc_id
                     and near_duplicates(quotes[j].text, quotes[i].text)), None)
        if twin is None:
            out.append(i)
        elif len(quotes[i].text) > len(quotes[out[twin]].text):
            out[twin] = i
    return out


def list_style(texts: Sequence[str]) -> str | None:
    """The marker style ("dun" for 一、, "paren" for (一), …) in which these sentences count up as the
    items of one list, or None when they are not a list."""
    if len(texts) < 2:
        return None
    if not markers(texts[0]) and len(texts) > 2:  # a sentence that announces or counts the items, first
        return list_style(texts[1:])
    marks = [markers(t) for t in texts]
    for _, style, _ in marks[0]:
        numbers = [next((n for _, s, n in m if s == style), None) for m in marks]
        if None not in numbers and all(b > a for a, b in itertools.pairwise(numbers)):
            return style
    return None


def _item_lines(text: str, style: str) -> list[str]:
    """The item's text from its marker on, after its lead-in (if any) on a line of its own."""
    at = next(pos for pos, s, _ in markers(text) if s == style)
    lead, item = text[:at].strip(), text[at:].strip()
    return [lead, item] if lead else [item]


def layout(quotes: Sequence[Quote], cites: Sequence[int], lead_titles: bool) -> str:
    """The answer text: each quote followed by its citation marker ``[n]`` (``cites``), laid out as the
    module docstring says; with ``lead_titles``, each document's first quote is introduced by its title."""
    style = list_style([q.text for q in quotes])
    out = ""
    previous: Quote | None = None
    for q, n in zip(quotes, cites):
        lead = f"《{q.title}》：" if lead_titles and q.title and (previous is None or q.doc_id != previous.doc_id) else ""
        if style is not None and any(s == style for _, s, _ in markers(q.text)):
            lines = _item_lines(q.text, style)
            lines[0] = lead + lines[0]
            piece = "\n".join(lines) + f"[{n}]"
            out += ("\n" if out else "") + piece
        elif style is not None:  # the sentence before the items, on a line of its own
            out += ("\n" if out else "") + f"{lead}{q.text.strip()}[{n}]"
        else:
            piece = f"{lead}{q.text.strip()}[{n}]"
            follows = previous is not None and q.doc_id == previous.doc_id and 0 <= q.start - previous.end <= 1
            out += piece if not out or (follows and not lead) else "\n" + piece
        previous = q
    return out
