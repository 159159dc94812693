"""Document frequencies of our tokens, kept in the ``terms`` collection so that a query reads them by
primary key instead of counting chunks.

One row per hashed term (``lexicon.term``): ``df``, the number of current chunks that contain it (a row
whose count falls to 0 is deleted). Three more rows, the totals, hold the number of chunks and of tokens
counted (``#chunks``, ``#length``) and a digest of the (document, version) pairs they were counted from
(``#digest``): the XOR of one hash per pair, so a write changes it by the hashes of the versions it adds
and drops, and anyone holding the list of documents can tell whether the counts describe exactly them.

``MilvusStore.apply`` writes a batch as: the new versions' rows; the documents switch version (one
upsert); ``TermStats.apply`` (read the totals, read and write the term rows, write the totals); the old
versions' rows are deleted. The bound on what a reader sees: its list of documents may be ahead of the
counts by the documents of the one write in progress (between its switch and its totals), so a
count can be off by at most that write's chunks; ``lexicon.StatsLexicon`` clamps every count into [0, chunks], so an
IDF is always finite. Two cases leave the counts wrong after the write ends: a writer killed between the
switch and its totals, and two processes updating one term at once (replicas take no lock and
Milvus has no transactions). Both leave totals that do not match the documents: the totals are read
before the term rows and written after them, so an update of a term lost to another writer means that
writer's totals overwrote this one's. ``check`` finds that at the start of the next write
session and rebuilds the counts from the chunks.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pymilvus import MilvusClient

from index.storage.milvus import expr, lexicon, schema

log = logging.getLogger(__name__)

CHUNKS, LENGTH, DIGEST = TOTALS = ("#chunks", "#length", "#digest")  # terms are "t" + hex: never these
_BATCH = 1000
_STRONG = {"consistency_level": "Strong"}  # a cluster's default (Bounded) may read a count from before a write
_REMEMBER = 2_000_000  # terms a writer remembers (about 200 MB) before it starts again from Milvus
SETTLE_S = 5.0  # how long a write session waits for a live writer to finish before it rebuilds the counts


def version_hash(doc_id: str, version: str) -> int:
    """63 bits: an XOR of them fits Milvus's INT64."""
    h = hashlib.blake2b(f"{doc_id}\x00{version}".encode(), digest_size=8).digest()
    return int.from_bytes(h, "big") >> 1


def digest(docs: Iterable[tuple[str, str]]) -> int:
    """The digest of (document id, version) pairs."""
    value = 0
    for doc_id, version in docs:
        value ^= version_hash(doc_id, version)
    return value


@dataclass
class Change:
    """What one write does to the counts: +1 per term of each chunk it adds, -1 per term of each chunk it
    drops (a replaced or removed version's)."""

    df: Counter = field(default_factory=Counter)
    chunks: int = 0
    length: int = 0
    digest: int = 0

    def add(self, doc_id: str, version: str, token_lists: Iterable[list[str]], sign: int = 1) -> None:
        self.digest ^= version_hash(doc_id, version)
        self.count(token_lists, sign)

    def count(self, token_lists: Iterable[list[str]], sign: int = 1) -> None:
        for tokens in token_lists:
            self.chunks += sign
            self.length += sign * len(tokens)
            for tok in set(tokens):
                self.df[lexicon.term(tok)] += sign

    def drop(self, doc_id: str, version: str, token_lists: Iterable[list[str]]) -> None:
        self.add(doc_id, version, token_lists, sign=-1)

    def __bool__(self) -> bool:
        return bool(self.digest or self.chunks or any(self.df.values()))


def _row(key: str, df: int) -> dict[str, Any]:
    return {"pk": key, "df": int(df), "_v": [0.0, 0.0]}


def _totals_rows(chunks: int, length: int, dig: int) -> list[dict[str, Any]]:
    return [_row(CHUNKS, max(chunks, 0)), _row(LENGTH, max(length, 0)), _row(DIGEST, dig)]


class TermStats:
    """The counts, read and written. A writer remembers the counts it last read or wrote (``_known``)
    with the totals they go with (``_as_of``): while the totals it reads at the start of a write are
    still those, no other process has finished a write since, and it reads only the terms it does not
    know. One that is writing at that moment has not written its totals yet, and will overwrite ours
    with its own: the lost update shows in the digest, as it would without the memory."""

    def __init__(self, client: MilvusClient, collection: str) -> None:
        self.client = client
        self.coll = collection
        self._known: dict[str, int] = {}
        self._as_of: dict[str, int] | None = None

    def _get(self, keys: list[str], fields: list[str]) -> list[dict[str, Any]]:
        """Rows by primary key: ``pk in [...]``, which Milvus answers as a point read per key."""
        out: list[dict[str, Any]] = []
        for i in range(0, len(keys), _BATCH):
            out += self.client.query(self.coll, filter=expr.one_of("pk", keys[i:i + _BATCH]),
                                     output_fields=fields, **_STRONG)
        return out

    def totals(self) -> dict[str, int] | None:
        """``{"#chunks": …, "#length": …, "#digest": …}``; None before the counts were first written."""
        found = {r["pk"]: int(r["df"]) for r in self._get(list(TOTALS), ["df"])}
        return found if len(found) == len(TOTALS) else None

    def dfs(self, tokens: Iterable[str]) -> dict[str, int]:
        """Each token's document frequency (0 for one no chunk contains), in one read."""
        keys = {lexicon.term(t): t for t in tokens}
        found = {r["pk"]: int(r["df"]) for r in self._get(list(keys), ["df"])} if keys else {}
        return {tok: max(found.get(key, 0), 0) for key, tok in keys.items()}

    def apply(self, change: Change) -> None:
        if not change:
            return
        before = self.totals() or dict.fromkeys(TOTALS, 0)
        if before != self._as_of or len(self._known) > _REMEMBER:
            self._forget()
        keys = [k for k, d in change.df.items() if d]
        unknown = [k for k in keys if k not in self._known]
        now = {r["pk"]: int(r["df"]) for r in self._get(unknown, ["df"])}
        counts = {k: self._known[k] if k in self._known else now.get(k, 0) for k in keys}
        counts = {k: n + change.df[k] for k, n in counts.items()}
        after = _totals_rows(before[CHUNKS] + change.chunks, before[LENGTH] + change.length,
                             before[DIGEST] ^ change.digest)
        try:
            self._put({k: d for k, d in counts.items() if d > 0})
            gone = [k for k, d in counts.items() if d <= 0]  # below 0 only if the counts were already wrong
            for i in range(0, len(gone), _BATCH):
                self.client.delete(self.coll, filter=expr.one_of("pk", gone[i:i + _BATCH]))
            self.client.upsert(self.coll, after)
        except BaseException:
            self._forget()  # some rows may be written, some not: read them all again next time
            raise
        self._known.update((k, max(d, 0)) for k, d in counts.items())
        self._as_of = {r["pk"]: r["df"] for r in after}

    def _forget(self) -> None:
        self._known.clear()
        self._as_of = None

    def _put(self, counts: Mapping[str, int]) -> None:
        rows = [_row(k, d) for k, d in counts.items()]
        for i in range(0, len(rows), _BATCH):
            self.client.upsert(self.coll, rows[i:i + _BATCH])

    def matches(self, docs: Mapping[str, Any]) -> bool:
        """Whether the counts describe exactly ``docs`` (id → ``DocInfo``)."""
        totals = self.totals()
        return (totals is not None and totals[DIGEST] == digest((i, d.version) for i, d in docs.items())
                and totals[CHUNKS] == sum(d.chunks for d in docs.values()))

    def rebuild(self, docs: Mapping[str, Any], token_lists: Callable[[list[tuple[str, Any]]], list[list[str]]],
                batch_docs: int = 100) -> int:
        """Count every current chunk of ``docs`` again (``token_lists`` reads a batch of documents' chunk
        tokens); rows of terms no chunk contains any more are deleted. Returns the chunks counted."""
        self._forget()
        change = Change(digest=digest((i, d.version) for i, d in docs.items()))
        items = sorted(docs.items())
        for i in range(0, len(items), batch_docs):
            change.count(token_lists(items[i:i + batch_docs]))
        stale = [r["pk"] for r in schema.query_all(self.client, self.coll, "", ["pk"])
                 if r["pk"] not in TOTALS and r["pk"] not in change.df]
        self._put(change.df)
        for i in range(0, len(stale), _BATCH):
            self.client.delete(self.coll, filter=expr.one_of("pk", stale[i:i + _BATCH]))
        self.client.upsert(self.coll, _totals_rows(change.chunks, change.length, change.digest))
        return change.chunks

    def check(self, load_docs: Callable[[], Mapping[str, Any]],
              token_lists: Callable[[list[tuple[str, Any]]], list[list[str]]], where: str) -> bool:
        """At the start of a write session: rebuild the counts when they do not describe the documents,
        unless another process is writing them (the totals change while we wait). Says whether
        they were rebuilt (readers holding counts should drop them)."""
        docs = load_docs()
        if self.matches(docs):
            return False
        before = self.totals()
        if before is not None:
            time.sleep(SETTLE_S)
            if self.totals() != before:
                log.info("term statistics of %s are being written by another process; not rebuilt", where)
                return False
            docs = load_docs()
            if self.matches(docs):
                return False
        if not docs:  # a new index, or every document removed: nothing to count, nothing to say
            self.rebuild(docs, token_lists)
            return True
        what = "missing" if before is None else "out of step with the documents"
        log.warning("term statistics of %s are %s: counting them again from the chunks of %d documents",
                    where, what, len(docs))
        t0 = time.perf_counter()
        n = self.rebuild(docs, token_lists)
        log.warning("term statistics of %s rebuilt from %d chunks in %.1f s", where, n, time.perf_counter() - t0)
        return True
