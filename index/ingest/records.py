"""One document from a record of fields: a JSONL line, an API request body, parsed front matter.

Shared by every loader and the API, so a document is validated the same way wherever it comes from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from index.documents import Document
from index.errors import DocumentError

TITLE_MAX = 60
_FIELDS = ("id", "title", "date", "text", "url", "source")
_DATE_PATTERNS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
)
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")


def document_from_dict(
    d: dict, origin: str, *, default_id: str | None = None, meta: dict | None = None,
    default_title: str | None = None,
) -> Document:
    """A ``Document`` from one JSON object (a JSONL line, an API request body, parsed front matter).

    A non-blank ``text`` is required. Without a ``title`` the document is named by its first sentence (or
    ``default_title``) and ``meta["notices"]`` says so; without an ``id`` the document gets ``default_id`` or,
    failing that, one derived from its content, so re-sending the same text keeps the same id. Keys that are
    not document fields are kept in ``meta``. ``origin`` names the file/line or request in error messages.
    """
    if not isinstance(d, dict):
        raise DocumentError(f"{origin}: expected a JSON object with 'title' and 'text', got {_kind(d)}")
    text = d.get("text")
    if not isinstance(text, str):
        raise DocumentError(f"{origin}: 'text' is required and must be a string, got {_kind(text)}")
    _require_encodable(text, "text", origin)
    text = strip_blank_lines(text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text:
        raise DocumentError(f"{origin}: 'text' is empty")
    title = _string_field(d, "title", origin)
    notices: tuple[str, ...] = ()
    if not title:  # exported news and JSONL dumps often have none: name it rather than refuse it
        title = first_sentence_title(text) or default_title or default_id or "untitled"
        notices = (f"{origin}: no title; using {title!r}",)
    doc_id = _string_field(d, "id", origin)
    if doc_id is None:
        doc_id = default_id or "doc-" + hashlib.sha1(f"{title}\x00{text}".encode()).hexdigest()[:12]
    if not doc_id or re.search(r"[\s#/\\\x00-\x1f\x7f]", doc_id):
        raise DocumentError(f"{origin}: id {doc_id!r} is empty or contains a space, '#', '/', '\\' or a "
                            "control character")
    if doc_id in (".", ".."):
        raise DocumentError(f"{origin}: id {doc_id!r} cannot be used: in a URL it names a folder, not a document")
    extra = {key: value for key, value in d.items() if key not in _FIELDS}
    return Document(
        id=doc_id,
        title=title,
        text=text,
        date=normalize_date(d.get("date"), origin),
        source=_string_field(d, "source", origin),
        url=_string_field(d, "url", origin),
        meta={**extra, **(meta or {}), **({"notices": notices} if notices else {})},
    )


def normalize_date(value: object, origin: str) -> str | None:
    """ISO ``YYYY-MM-DD`` from a YAML date or the ways Chinese pages write dates; anything else is an error.

    Dates filter and order answers, so a value that cannot be read is reported instead of dropped.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        for pattern in _DATE_PATTERNS:
            match = pattern.fullmatch(value.strip())
            if match:
                try:
                    return dt.date(*(int(part) for part in match.groups())).isoformat()
                except ValueError:
                    break
    raise DocumentError(f"{origin}: date {value!r} is not a valid date; write it as YYYY-MM-DD")


def slugify(name: str) -> str:
    """An id from a file name: letters of any script and digits are kept, everything else becomes ``-``."""
    slug = re.sub(r"[^\w.-]+", "-", name.lower())
    return re.sub(r"-{2,}", "-", slug).strip("-.") or "document"


def _string_field(d: dict, key: str, origin: str) -> str | None:
    value = d.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise DocumentError(f"{origin}: {key!r} must be a string, got {_kind(value)}")
    _require_encodable(value, key, origin)
    return value.strip()


def _require_encodable(value: str, key: str, origin: str) -> None:
    """JSON and YAML may escape a lone UTF-16 surrogate (``"\\ud800"``); such a string cannot be hashed,
    embedded or stored as UTF-8, so it is refused here with the field named, instead of failing deep
    in the indexer."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise DocumentError(f"{origin}: {key!r} contains an invalid character (a lone surrogate) at "
                            f"position {exc.start}") from None


def _kind(value: object) -> str:
    """JSON's name for a Python value, for messages read by people who wrote JSON."""
    names = {type(None): "nothing", bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    return names.get(type(value), "a list" if isinstance(value, list) else "an object")


def first_sentence_title(text: str) -> str:
    """The first sentence of ``text`` (up to its end mark, newline or ``TITLE_MAX`` characters)."""
    for line in text.split("\n"):
        line = " ".join(line.split())
        if line:
            m = _SENTENCE_END.search(line)
            return (line[:m.start()] if m and m.start() >= 2 else line)[:TITLE_MAX]
    return ""


def first_line_title(text: str) -> str:
    for line in text.split("\n"):
        if line.strip():
            return line.strip()[:TITLE_MAX]
    return ""


def strip_blank_lines(text: str) -> str:
    """Drops blank lines around the text but keeps the first line's indentation (code, poems)."""
    return re.sub(r"\A(?:[ \t]*\n)+", "", text).rstrip()
