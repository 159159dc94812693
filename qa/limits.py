"""Limits and defaults, in one place for everything that enforces or shows them.

The request schemas, the pipeline, the settings, the chat UI, the CLI and the LLM prompt all read these,
so a limit the API documents (docs/api.md) is the limit every way in applies.
"""

from __future__ import annotations

MAX_QUESTION_CHARS = 2000
"""Longest question, after trimming spaces."""

DEFAULT_TOP_K = 5
"""Chunks retrieved per question when neither the request nor ``QA_TOP_K`` says otherwise."""

MAX_TOP_K = 20
"""Most chunks a request, the ``top_k`` setting, ``qa ask -k`` or the UI's slider may ask for."""

MAX_HISTORY_TURNS = 20
"""Most earlier turns a request may send; they are tokenized to resolve follow-ups."""

MAX_TURN_CHARS = 10_000
"""Longest earlier turn a request may send."""

LLM_HISTORY_TURNS = 4
"""Most recent turns shown to a language model: a shorter window than a request may send, because
only the last exchange or two decides what a follow-up refers to."""

LLM_HISTORY_CHARS = 400
"""Each turn shown to a language model is cut to this many characters."""

MAX_COMMENT_CHARS = 2000
"""Longest feedback comment kept."""
