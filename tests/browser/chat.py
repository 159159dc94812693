"""Driving the chat page: ask a question, wait for its answer to finish streaming."""

from __future__ import annotations

ANSWER_TIMEOUT_MS = 60_000


def ask(page, question: str) -> None:
    box = page.locator("#qa-input textarea")
    box.fill(question)
    box.press("Enter")


def wait_for_answer(page, count: int = 1):
    """Wait until the ``count``-th answer has finished streaming and return its element."""
    page.wait_for_function(
        """n => {
            const bots = document.querySelectorAll('#qa-chat [data-testid="bot"]');
            return bots.length >= n && !bots[n - 1].querySelector('.qa-thinking, .qa-caret');
        }""", arg=count, timeout=ANSWER_TIMEOUT_MS)
    return page.locator('#qa-chat [data-testid="bot"]').nth(count - 1)
