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
