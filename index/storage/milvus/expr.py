"""Milvus filter expressions built from values that may come from a request (doc ids, dates).

Values are never pasted into an expression as they are: strings become double-quoted literals with every
quote and backslash escaped, dates become integers after a strict check. A doc id such as ``a" or id != "``
stays one string to compare with, never an operator. (Milvus's own templates, ``filter_params``, would do
the same, but Milvus Lite does not support them.)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from index.storage.base import SearchFilter

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def quote(value: str) -> str:
    """``value`` as a Milvus string literal."""
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    if _CONTROL.search(value):
        raise ValueError(f"{value!r} contains a control character, which a filter cannot express")
    return '"' + "".join(_ESCAPES.get(ch, ch) for ch in value) + '"'


def eq(field: str, value: str) -> str:
    return f"{field} == {quote(value)}"


def one_of(field: str, values: Iterable[str]) -> str:
    return f"{field} in [{', '.join(quote(v) for v in values)}]"


def date_number(date: str | None) -> int:
    """An ISO date as YYYYMMDD; 0 for none. Anything but a real date is refused."""
    if date is None or date == "":
        return 0
    if not isinstance(date, str) or not _ISO_DATE.fullmatch(date):
        raise ValueError(f"expected a date as YYYY-MM-DD, got {date!r}")
    dt.date.fromisoformat(date)
    return int(date.replace("-", ""))


def search_filter(filters: SearchFilter | None) -> str:
    """The expression for a search over chunks; "" when nothing is filtered."""
    if filters is None or not filters.active:
        return ""
    parts = []
    if filters.doc_ids:
        parts.append(one_of("doc_id", filters.doc_ids))
    if filters.date_from or filters.date_to:
        parts.append("date > 0")  # an undated document never falls in a date range
    if filters.date_from:
        parts.append(f"date >= {date_number(filters.date_from)}")
    if filters.date_to:
        parts.append(f"date <= {date_number(filters.date_to)}")
    return " and ".join(parts)
