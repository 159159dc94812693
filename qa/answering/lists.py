"""Enumerations inside a document: given one item ("二、全面推广阶段…"), find its siblings.

Policy texts number their points in a few fixed styles (一、 / (一) / 一是 / 1. / 第一); the items of one
list share a style and count up from one, usually spread over several chunks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
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

# an item of a series named by its place (一年, 第二步, 三阶段)
SERIES_ITEM = re.compile(r"第?([一二两三四五六七八九十])(年|步|阶段|期|批|轮)")


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


_ITEM_NOUNS = "阶段|方面|部分|步|环节|任务|措施|举措"  # what the items of a plan's list are called
_NUMBERED_ASKED = re.compile(rf"第([{_ZH}]{{1,3}}|[0-9]{{1,2}})(?:个|条|项)?({_ITEM_NOUNS})")
_LAST_ASKED = re.compile(rf"(?:最后|末)[那这]?一?(?:个|条|项)?({_ITEM_NOUNS})")


def numbered_asked(question: str) -> tuple[int, str] | None:
    """The numbered item a question asks about (第二阶段 → 2, 阶段; 第三条措施 → 3, 措施; 最后那个阶段 → -1,
    阶段: the last)."""
    m = _NUMBERED_ASKED.search(question)
    n = zh_number(m.group(1)) if m else None
    if m is None and (last := _LAST_ASKED.search(question)):
        return -1, last.group(1)
    return None if m is None or n is None else (n, m.group(2))


def last_item(sentences: Sequence, noun: str):
    """Of the sentences (anything with a ``text``), the one holding the list item of the highest number
    that names ``noun`` at its head (三、总结评估阶段 for the last 阶段), or None."""
    numbered = [(n, -i) for i, s in enumerate(sentences) for pos, _style, n in markers(s.text) if noun in s.text[pos:pos + 16]]
    return sentences[-max(numbered)[1]] if numbered else None


def opens_item(text: str, number: int, noun: str) -> bool:
    """The text begins item ``number`` of a list, an item that names ``noun`` at its head
    (二、全面推广阶段(2024年1月-12月)… for 第二阶段)."""
    return any(pos <= 1 and n == number and noun in text[pos:pos + 16] for pos, _style, n in markers(text))


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


def enumerates(text: str, asked: Callable[[str], bool]) -> bool:
    """The sentence names three or more things in one clause, set apart by 、 (食堂、充电桩、停车场等),
    not by list markers (一、), and what it says they are (…等必要的生产性配套服务设施: the text after the
    last 、 to the clause's end) is what is ``asked``: it says which ones by itself."""
    return any(len(commas := _ENUMERATION_COMMA.split(clause)) >= 3 and asked(commas[-1])
               for clause in re.split(r"[，,。；;:：]", text))


_ENUMERATION_COMMA = re.compile(rf"(?<![{_ZH}0-9第])、")


def starts_item(text: str) -> bool:
    """The sentence begins with a list marker, or with a lead-in ending in a colon and then one ("主要内容
    如下:一、…"): it is an item of a list, not a sentence that mentions one."""
    text = text.lstrip()
    found = markers(text)
    return bool(found) and (found[0][0] == 0 or text[:found[0][0]].rstrip().endswith((":", "：")))


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
          plain: int = 2, leading: bool = False) -> list[T]:
    """What item ``anchor`` says: its own numbered points when it has some ("一是…二是…" under "(一)…"),
    otherwise its first ``plain`` sentences; the item's text ends where the next item of its style begins.

    By default the item is the innermost one the sentence names ("…方面(一)优化检验检疫作业模式。" is
    item (一)), and its points count from one. With ``leading`` the item is the one the sentence starts
    with (an aspect 一、 picked from a list of aspects): its points may begin in the same sentence, as a
    heading without a full stop runs into its first point, and may be numbered on from the previous
    item's (一、(一)…(五) 二、(六)…)."""
    marks = [markers(t) for t in texts]
    if not marks[anchor]:
        return [sentences[anchor]]
    styles = {marks[anchor][0][1]} if leading else {s for _, s, _ in marks[anchor]}
    end = anchor + 1
    while end < len(sentences) and not any(s in styles for _, s, _ in marks[end]):
        end += 1

    def opens(style: str, n: int) -> bool:  # a marker that can be the item's first point
        return style not in styles and (leading or n == 1)

    first = anchor if leading and any(opens(s, k) for _, s, k in marks[anchor][1:]) else next(
        (i for i in range(anchor + 1, end) if any(opens(s, k) for _, s, k in marks[i])), None)
    if first is not None:
        items = _points(sentences[first:end], marks[first:end], opens, limit)
        if len(items) > 1:
            return items if first == anchor else [sentences[anchor], *items]
    return [sentences[anchor], *sentences[anchor + 1:end][:plain]]


def _points(sentences: Sequence[T], marks: Sequence[list[tuple[int, str, int]]],
            opens: Callable[[str, int], bool], limit: int) -> list[T]:
    """The sentences holding consecutive points of the first marker of ``sentences[0]`` that ``opens``
    the list, counting up from its number (points may be numbered on from the previous item:
    一、(一)…(五) 二、(六)…)."""
    sub, n = next((s, k) for _, s, k in marks[0] if opens(s, k))
    out, want = [sentences[0]], n + 1
    for sentence, found in zip(sentences[1:], marks[1:]):
        if len(out) >= limit:
            break
        if any(s == sub and k == want for _, s, k in found):
            out.append(sentence)
            want += 1
    return out
