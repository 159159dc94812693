"""Who writes the answer from the retrieved chunks: the ``Generator`` protocol and the extractive one.

The extractive composer and the language model (``qa.llm.generator``) sit behind one ``Generator``
protocol, so the pipeline, the API and the UI choose per request and stream either the same way: text
deltas, then the final ``Answer``. The final ``Answer`` is what counts; a client replaces what it
streamed with its text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

from qa.answering.composer import Composer
from qa.answering.followup import rewrite_query
from qa.answering.retriever import Retrieval
from qa.types import Answer

_PIECE = re.compile(r"(?<=\])|(?<=[。！？!?\n])(?!\[)")


class Generator(Protocol):
    """Turns retrieved chunks into an ``Answer``; ``joint`` generators answer a compound question in one
    go instead of part by part."""

    joint: bool

    def rewrite(self, question: str, history: Sequence[dict]) -> str:
        """The query to retrieve with for a question asked after ``history``."""
        ...

    def generate(self, question: str, retrieval: Retrieval, query: str | None,
                 history: Sequence[dict]) -> Answer: ...

    def stream(self, question: str, retrieval: Retrieval, query: str | None,
               history: Sequence[dict]) -> Iterator[str | Answer]:
        """Text deltas, then the final ``Answer`` (always last, always exactly one)."""
        ...


def text_pieces(text: str) -> list[str]:
    """An answer cut after each citation marker and sentence end, so a client can render it as it comes."""
    return [p for p in _PIECE.split(text) if p] or [text]


class ExtractiveGenerator:
    """The composer's verbatim quotes; its stream is the finished answer in pieces."""

    joint = False

    def __init__(self, composer: Composer, known: Callable[[str], bool] | None = None) -> None:
        self.composer = composer
        self.known = known  # whether the documents use a word: a question using none is a follow-up

    def rewrite(self, question: str, history: Sequence[dict]) -> str:
        return rewrite_query(question, history, self.composer.tokenizer, self.known)

    def generate(self, question: str, retrieval: Retrieval, query: str | None,
                 history: Sequence[dict]) -> Answer:
        return self.composer.compose(question, retrieval, query=query)

    def stream(self, question: str, retrieval: Retrieval, query: str | None,
               history: Sequence[dict]) -> Iterator[str | Answer]:
        answer = self.generate(question, retrieval, query, history)
        yield from text_pieces(answer.answer)
        yield answer
