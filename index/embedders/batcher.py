"""Folding concurrent query embeddings into shared model calls, with a small cache."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np


class QueryBatcher:
    """Runs one model call at a time and folds the queries that arrive meanwhile into the next call.

    Concurrent requests each starting a forward pass on their own threads make the cores thrash; one
    pass over a batch of eight short queries costs little more than a pass over one. The first caller
    to find the model free takes everything queued and answers it; the others wait for their result.
    Repeated queries are answered from a small cache.
    """

    def __init__(self, encode: Callable[[list[str]], np.ndarray], cache_size: int = 1024) -> None:
        self._encode = encode
        self._queue: list[list[Any]] = []  # [text, vector or None, event]
        self._queue_lock = threading.Lock()
        self._run_lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size

    def embed(self, text: str) -> np.ndarray:
        with self._queue_lock:
            hit = self._cache.get(text)
            if hit is not None:
                self._cache.move_to_end(text)
                return hit
            item: list[Any] = [text, None, threading.Event()]
            self._queue.append(item)
        while not item[2].is_set():
            if self._run_lock.acquire(blocking=False):
                try:
                    self._run_queued()
                finally:
                    self._run_lock.release()
            else:
                item[2].wait(timeout=0.002)
        if isinstance(item[1], BaseException):
            raise item[1]
        return item[1]

    def _run_queued(self) -> None:
        with self._queue_lock:
            batch, self._queue = self._queue, []
        if not batch:
            return
        try:
            vectors = self._encode([b[0] for b in batch])
        except BaseException as exc:  # every waiter gets the error, not a hang
            for b in batch:
                b[1] = exc
                b[2].set()
            raise
        with self._queue_lock:
            for b, v in zip(batch, vectors):
                self._cache[b[0]] = v
                if len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        for b, v in zip(batch, vectors):
            b[1] = v
            b[2].set()
