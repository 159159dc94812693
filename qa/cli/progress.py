"""What a long command tells its user while it works: numbered plain steps, one bar per step.

A first run on a fresh machine builds the embedding model, exports it to ONNX and indexes the corpus;
each of those is announced as a step before it starts (with how long it usually takes), and only the
step that has a measurable amount of work (embedding chunks) draws a bar. Library bars are hidden by
the embedders, so nothing else cuts into these lines.
"""

from __future__ import annotations

import sys
from typing import TextIO


class Steps:
    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stderr
        self.n = 0

    def say(self, message: str) -> None:
        self.n += 1
        print(f"{self.n}. {message}", file=self.out, flush=True)

    def bar(self, desc: str = "embedding", unit: str = "chunk"):
        """A ``(done, total)`` callback drawing one bar for the current step; nothing when total is 0."""
        from tqdm import tqdm

        bar = None

        def update(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:
                bar = tqdm(total=total, desc=f"   {desc}", unit=unit, file=self.out, disable=total == 0,
                           bar_format="{desc}: {percentage:3.0f}%|{bar:24}| {n_fmt}/{total_fmt} {unit}s "
                                      "[{elapsed}<{remaining}]")
            bar.n = done
            bar.refresh()
            if done >= total:
                bar.close()

        return update
