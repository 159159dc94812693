"""Checking a question before any work is done on it: cheap to import, so the CLI can refuse an empty
question at once instead of after loading the model."""

from __future__ import annotations

from qa.errors import BadRequestError
from qa.limits import MAX_QUESTION_CHARS


def check_question(question: str) -> str:
    """The question trimmed, or a ``BadRequestError`` saying what is wrong with it."""
    if not isinstance(question, str):
        raise BadRequestError("the question must be text")
    q = question.replace("\x00", "").strip()
    try:
        q.encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequestError("the question contains invalid characters (unpaired surrogates)") from None
    if not q:
        raise BadRequestError("the question is empty: type a question, e.g. 展会在哪里举办？")
    if len(q) > MAX_QUESTION_CHARS:
        raise BadRequestError(f"the question is {len(q)} characters long; the limit is {MAX_QUESTION_CHARS}")
    return q
