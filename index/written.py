"""A question as the corpus writes: simplified characters (格魯吉亞總理), and Mandarin words for the words of
written Cantonese (喺边度) or Wu (啥辰光)."""

from __future__ import annotations

from index import cantonese, wu
from index.dictionary import simplified


def as_written(text: str) -> str:
    return wu.as_mandarin(cantonese.as_mandarin(simplified(text)))
