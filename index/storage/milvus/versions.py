"""Document versions: how a write names the rows it adds, and the sweep of rows no document names.

A version is 24 hex digits: the time it was made (milliseconds, 12 digits) and 12 random ones. Rows of a
version that never became current (a writer killed between writing its rows and switching the document)
or of a document that no longer exists are invisible to readers but take space. ``sweep`` deletes them,
except rows younger than ``GRACE_S``: another process may be between writing its rows and switching its
documents over to them (replicas take no lock), and deleting those would leave its documents without
chunks. Versions made before the time was part of them (16 digits) count as old.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Mapping
from typing import Any

from pymilvus import MilvusClient

from index.storage.milvus import expr, schema

log = logging.getLogger(__name__)

GRACE_S = 3600.0  # far longer than one batch of a write takes from its first row to its switch
_LENGTH = 24
_BATCH = 1000


def new_version(now: float | None = None) -> str:
    ms = int((time.time() if now is None else now) * 1000)
    return f"{ms:012x}{uuid.uuid4().hex[:12]}"


def made_at(version: str) -> float | None:
    """When ``version`` was made (seconds since the epoch); None for one that does not say."""
    if len(version) != _LENGTH:
        return None
    try:
        return int(version[:12], 16) / 1000
    except ValueError:
        return None


def _stale(row: dict[str, Any], docs: Mapping[str, Any], before: float) -> bool:
    info = docs.get(row["doc_id"])
    if info is not None and info.version == row["version"]:
        return False
    made = made_at(row["version"])
    return made is None or made < before


def sweep(client: MilvusClient, collection: str, docs: Mapping[str, Any], expected: int) -> int:
    """Delete the rows of ``collection`` (chunks or texts: ``doc_id`` and ``version`` fields) that belong
    to no current version of ``docs`` (id → ``DocInfo``), older than ``GRACE_S``. ``expected`` is how
    many rows the current versions have: when the collection holds exactly that many there is nothing to
    sweep and nothing is read. Returns the rows deleted."""
    total = int(client.query(collection, filter="", output_fields=["count(*)"])[0]["count(*)"])
    if total == expected:
        return 0
    before = time.time() - GRACE_S
    rows = schema.query_all(client, collection, "", ["pk", "doc_id", "version"])
    stale = [r["pk"] for r in rows if _stale(r, docs, before)]
    for i in range(0, len(stale), _BATCH):
        client.delete(collection, filter=expr.one_of("pk", stale[i:i + _BATCH]))
    if stale:
        log.info("swept %d rows of %s that no current document version names", len(stale), collection)
    return len(stale)
