"""A noun asked for that a text holds only inside a word of two joined opposites (出口 in 进出口: 进出 + 口,
imports and exports together): the text gives the two together, not the one asked."""

from __future__ import annotations

import re
from collections.abc import Callable

from index.tokenizer import Tokenizer


class JoinedOpposites:
    def __init__(self, tokenizer: Tokenizer, stem: Callable[[str], str]) -> None:
        self.tokenizer = tokenizer
        self.stem = stem  # a noun without what is glued to it (出口额 → 出口)

    def english_inside_word(self, question: str, text: str) -> tuple[str, str] | None:
        """asked_inside_word for an English question: a word of it (exports) whose Chinese term ``text`` holds
        only inside a word of two joined opposites (进出口), unless the question joins the two as well
        (imports and exports, import-export: asked together)."""
        words = re.findall(r"[A-Za-z]{3,}", question)
        terms = {w: [t for t in self.tokenizer.translate(w).split() if len(t) >= 2] for w in dict.fromkeys(words)}
        # pairs the question joins (imports plus exports, import-export, imports and exports, import export,
        # import-and-export)
        pairs = re.findall(r"\b([A-Za-z]{3,})\b(?=[\s-]*(?:(?:and|&|/|\+|or|plus)[\s-]*)?([A-Za-z]{3,})\b)", question)
        for word, own in terms.items():
            found = self.inside_word(own, text) if len(own) == 1 else None
            if found is None:
                continue
            # the other word of a pair with it is a term made of the joined word's characters too (进口)
            partners = [b if a == word else a for a, b in pairs if word in (a, b)]
            if not any(t != own[0] and set(t) <= set(found[1]) for p in partners for t in terms.get(p, [])):
                return found
        return None

    def inside_word(self, nouns: list[str], text: str) -> tuple[str, str] | None:
        """The first of ``nouns`` that ``text`` holds only inside a word of two joined opposites, with that
        word; None when it holds each on its own or not at all."""
        for word in dict.fromkeys(nouns):
            stem = self.stem(word)
            spots = [m.start() for m in re.finditer(f"(?={re.escape(stem)})", text)] if stem else []  # overlapping too
            if len(stem) >= 2 and spots and all(self._joined_opposites(text, i, stem) for i in spots):
                return stem, text[spots[0] - 1:spots[0] + len(stem)]
            # 进口 held only split by its opposite: 进 + 出口 (进出口, imports and exports together)
            split = next((m.group(0) for m in re.finditer(f"{re.escape(stem[:1])}.{re.escape(stem[1:])}", text)
                          if self._two_words_joined(m.group(0))), None) if len(stem) == 2 and not spots else None
            if split:
                return stem, split
        return None

    def _two_words_joined(self, word: str) -> bool:
        """A word of three characters whose first two and last two are words too (进出口: 进出, 出口)."""
        frequency = self.tokenizer.general_frequency
        return frequency(word) > 0 and frequency(word[:2]) > 0 and frequency(word[1:]) > 0

    def _joined_opposites(self, text: str, i: int, stem: str) -> bool:
        """text[i-1] + stem is a word whose first two characters are a word too (进出口: 进出)."""
        frequency = self.tokenizer.general_frequency
        return i > 0 and frequency(text[i - 1] + stem[0]) > 0 and frequency(text[i - 1:i + len(stem)]) > 0
