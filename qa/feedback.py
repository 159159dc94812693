"""Visitors' 👍/👎 on answers, kept in one SQLite file in the data dir.

The UI writes a row per rating; ``qa feedback export`` turns the table into JSONL for whoever reviews
answer quality. Every write is its own transaction on its own connection, so the UI's worker threads and
a concurrent export never share a connection or see half a row.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from qa.errors import BadRequestError
from qa.limits import MAX_COMMENT_CHARS

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    comment TEXT
);
"""


@dataclass(frozen=True)
class FeedbackRecord:
    """One rating as stored: ``citations`` is the list of citation dicts the answer carried."""

    id: int
    created_at: str  # UTC, ISO 8601
    question: str
    answer: str
    citations: list[dict[str, Any]]
    rating: int  # +1 helpful, -1 not helpful
    comment: str | None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


class FeedbackStore:
    """Append-only ratings; the file and its folder are created on the first write, so exporting from a
    data dir nobody has rated in yet reads nothing instead of leaving an empty database behind."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._ready = False

    @contextmanager
    def _connect(self, create: bool) -> Iterator[sqlite3.Connection | None]:
        if not create and not self.path.exists():
            yield None
            return
        if create and not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=30)) as conn:
            if create and not self._ready:
                with self._lock:
                    conn.executescript(_SCHEMA)
                    self._ready = True
            yield conn

    def add(self, question: str, answer: str, citations: Sequence[Any] = (), rating: int = 1,
            comment: str | None = None) -> int:
        """Store one rating and return its id. ``citations`` may be ``Citation`` dataclasses or dicts."""
        if rating not in (1, -1) or isinstance(rating, bool):
            raise BadRequestError(f"rating must be 1 (helpful) or -1 (not helpful), got {rating!r}")
        if comment is not None:
            comment = comment.strip()[:MAX_COMMENT_CHARS] or None
        cited = [dataclasses.asdict(c) if dataclasses.is_dataclass(c) else dict(c) for c in citations]
        row = (_utc_now(), str(question), str(answer), json.dumps(cited, ensure_ascii=False), rating, comment)
        with self._connect(create=True) as conn:
            assert conn is not None
            with conn:  # one transaction: the row is there completely or not at all
                cur = conn.execute("INSERT INTO feedback (created_at, question, answer, citations, rating, "
                                   "comment) VALUES (?, ?, ?, ?, ?, ?)", row)
            return int(cur.lastrowid or 0)

    def records(self) -> list[FeedbackRecord]:
        """All ratings, oldest first."""
        with self._connect(create=False) as conn:
            if conn is None:
                return []
            try:
                rows = conn.execute("SELECT id, created_at, question, answer, citations, rating, comment "
                                    "FROM feedback ORDER BY id").fetchall()
            except sqlite3.OperationalError as exc:
                if "no such table" in str(exc):
                    return []
                raise
        return [FeedbackRecord(id=r[0], created_at=r[1], question=r[2], answer=r[3], citations=json.loads(r[4]),
                               rating=r[5], comment=r[6]) for r in rows]

    def export_jsonl(self, fileobj: IO[str]) -> int:
        """Write one JSON object per rating (UTF-8 text, Chinese unescaped) and return how many."""
        records = self.records()
        for record in records:
            fileobj.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
        return len(records)


def _utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
