"""What the readers of written Cantonese and written Wu share: a text that writes a word Mandarin does not
use is read word by word as Mandarin, but for the Mandarin words it writes too."""

from __future__ import annotations

import re
from collections.abc import Callable


def read_as_mandarin(text: str, markers: re.Pattern, kept: re.Pattern, words: re.Pattern,
                     word: Callable[[re.Match, str], str]) -> str:
    """``text`` with each match of ``words`` read as ``word`` gives it, where ``markers`` find the dialect
    in it; a match where ``kept`` finds a Mandarin word stays as it is."""
    if not markers.search(text):
        return text
    at = {m.start() for m in kept.finditer(text)}
    return words.sub(lambda m: m.group(0) if m.start() in at else word(m, text), text)
