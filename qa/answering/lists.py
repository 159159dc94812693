"""Enumerations inside a document: given one item ("二、全面推广阶段…"), find its siblings.

Policy texts number their points in a few fixed styles (一、 / (一) / 一是 / 1. / 第一); the items of one
list share a style and count up from one, usually spread over several chunks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

_ZH = "一二三四五六七八九十"
STYLES: dict[str, re.Pattern] = {
    "dun": re.compile(rf"(?<![{_ZH}第])([{_ZH}]{{1,3}})、"),
    "paren": re.compile(rf"[(（]([{_ZH}]{{1,3}})[)）]"),
    "shi": re.compile(rf"(?<![{_ZH}第])([{_ZH}]{{1,3}})是(?![否不])"),
    "digit": re.compile(r"(?<![0-9.])([0-9]{1,2})[.、](?![0-9])"),
    "di": re.compile(rf"第([{_ZH}]{{1,3}})(?=[,，、:：是条项个]|阶段|方面)"),
}


def zh_number(text: str) -> int | None:
    """一→1, 十一→11, 二十一→21; digits as they are."""
    if text.isdigit():
        return int(text)
    if not text or any(c not in _ZH for c in text):
        return None
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_ZH.index(tens) + 1 if tens else 1) * 10 + (_ZH.index(ones) + 1 if ones else 0)
    return _ZH.index(text) + 1 if len(text) == 1 else None


def markers(text: str) -> list[tuple[int, str, int]]:
    """(position, style, number) of every list marker in a sentence, in order of position."""
    found = []
    for style, pat in STYLES.items():
        for m in pat.finditer(text):
            n = zh_number(m.group(1))
            if n is not None and 0 < n <= 30:
                found.append((m.start(), style, n))
    return sorted(found)


def has_marker(text: str) -> bool:
    return bool(markers(text))


def siblings(sentences: Sequence[T], texts: Sequence[str], anchor: int, limit: int = 10) -> list[T]:
    """The list that sentence ``anchor`` belongs to: from item one of its style up to where counting
    stops. ``sentences`` are in document order; ``texts`` their texts."""
    marks = [markers(t) for t in texts]
    if not marks[anchor]:
        return [sentences[anchor]]
    for _, style, n in marks[anchor]:
        # walk back to the sentence holding item 1 of this style
        start, want = anchor, n - 1
        i = anchor - 1
        while want >= 1 and i >= 0:
            if any(s == style and k == want for _, s, k in marks[i]):
                start, want = i, want - 1
            i -= 1
        if want >= 1:
            continue  # this marker's list does not begin in the document; try the next one
        out, want = [sentences[start]], 2
        for j in range(start + 1, len(sentences)):
            if len(out) >= limit:
                break
            if any(s == style and k == want for _, s, k in marks[j]):
                out.append(sentences[j])
                want += 1
        if len(out) > 1:
            return out
    return [sentences[anchor]]


def under(sentences: Sequence[T], texts: Sequence[str], anchor: int, limit: int = 10,
          plain: int = 2) -> list[T]:
    """What item ``anchor`` says: its own numbered points when it has some ("一是…二是…" under "(一)…"),
    otherwise its first ``plain`` sentences; the item's text ends where the next item of its style begins."""
    marks = [markers(t) for t in texts]
    styles = {style for _, style, _ in marks[anchor]}
    end = anchor + 1
    while end < len(sentences) and not any(s in styles for _, s, _ in marks[end]):
        end += 1
    body = range(anchor + 1, end)
    first = next((i for i in body if any(k == 1 and s not in styles for _, s, k in marks[i])), None)
    if first is not None:
        items = siblings(sentences[first:end], texts[first:end], 0, limit=limit)
        if len(items) > 1:
            return [sentences[anchor], *items]
    return [sentences[anchor], *(sentences[i] for i in list(body)[:plain])]
