"""Where the segmenter cut a question across the words a document would read in it."""

from __future__ import annotations

import re
from collections.abc import Callable

_REACH = 3  # how far past a word a joined word may reach


def straddles(word: str, text: str, knows: Callable[[str], bool]) -> bool:
    """``word`` is a cut across two words the documents use (带货主播 segmented 带/货主/播: 带货 and 主播): at
    some split of it, a word some document uses runs from before it to the split, and another from the
    split to past its end. Such a word is the segmenter's, not one the question names (as a name the
    recogniser cuts across a known word is its slip: entities.across_words)."""
    for at in (m.start() for m in re.finditer(re.escape(word), text)):
        end = at + len(word)
        for i in range(at + 1, end):
            if (any(knows(text[s:i]) for s in range(max(0, at - _REACH), at))
                    and any(knows(text[i:e]) for e in range(end + 1, min(len(text), end + _REACH) + 1))):
                return True
    return False


# a verb that links a noun to what is asked of it (…叫啥, …是多少, …为何)
_LINKS = "叫是为"
_RARE_LINK = 1e-5  # how rare in general text a verb ending in a link is to be the segmenter's join


def link_cut_apart(tagged: list[tuple[str, str]], frequency: Callable[[str], float]) -> list[tuple[str, str]]:
    """The tagged words with a rare verb the segmenter made of a noun's last character and the link after
    it cut back (公众号叫啥 cut 公众/号叫/啥: 号叫, to howl): the noun with that character (公众号), then the
    link (叫)."""
    out: list[tuple[str, str]] = []
    for word, pos in tagged:
        if (len(word) == 2 and word[1] in _LINKS and pos.startswith("v") and frequency(word) < _RARE_LINK
                and out and out[-1][1].startswith("n")):
            out[-1] = (out[-1][0] + word[0], out[-1][1])
            out.append((word[1], "v"))
        else:
            out.append((word, pos))
    return out
