"""Word ``.docx`` files, read with python-docx: paragraphs in order, headings as sections, tables as rows.

A heading paragraph (style "Heading n" or "Title") starts a section that the chunks after it sit under;
the document's title is its "Title" paragraph, its core-properties title, or its first heading. Each
table row becomes one line with its cells separated by " | ", so a row stays one quotable fact.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

from index.documents import Document
from index.errors import DocumentError
from index.ingest.records import document_from_dict, slugify


def load_docx(path: Path, data: bytes) -> tuple[list[Document], list[DocumentError]]:
    blocks = _blocks(path, data)
    text, sections, title = "", [], ""
    for kind, content in blocks:
        if text:
            text += "\n"
        if kind == "title" and not title:
            title = content
        elif kind == "heading":
            sections.append((len(text), content))
            title = title or content
        text += content
    if not text.strip():
        raise DocumentError(f"{path}: the Word document has no text")
    core = _core_title(data)
    fields = {"title": core or title, "text": text}
    doc = document_from_dict(fields, str(path), default_id=slugify(path.stem), default_title=path.stem,
                             meta={"path": str(path)})
    if doc.text != text:
        shift = text.index(doc.text)  # leading blank lines dropped: sections move with the text
        sections = [(at - shift, h) for at, h in sections if at >= shift]
    sections = [(at, h) for at, h in sections if not (at == 0 and h == doc.title)]
    return [replace(doc, sections=tuple(sections))], []


def _open(path: Path, data: bytes):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise DocumentError(f"{path}: not a readable Word .docx file ({exc})") from exc
    except Exception as exc:  # zip and XML errors of a broken file; name the file
        raise DocumentError(f"{path}: not a readable Word .docx file ({type(exc).__name__}: {exc})") from exc


def _blocks(path: Path, data: bytes) -> list[tuple[str, str]]:
    """(kind, text) in body order: ``title``, ``heading``, ``text`` (a paragraph or a table row)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = _open(path, data)
    out: list[tuple[str, str]] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = " ".join(block.text.split())
            if not text:
                continue
            style = (block.style.name if block.style is not None else "") or ""
            kind = "title" if style == "Title" else "heading" if style.startswith("Heading") else "text"
            out.append((kind, text))
        elif isinstance(block, Table):
            for row in block.rows:
                cells = _unique(" ".join(cell.text.split()) for cell in row.cells)
                if any(cells):
                    out.append(("text", " | ".join(cells)))
    return out


def _unique(cells) -> list[str]:
    """A merged cell is reported once per grid column it spans; keep it once."""
    out: list[str] = []
    for cell in cells:
        if not out or cell != out[-1]:
            out.append(cell)
    return out


def _core_title(data: bytes) -> str:
    import docx

    try:
        return (docx.Document(io.BytesIO(data)).core_properties.title or "").strip()
    except Exception:  # noqa: BLE001 - the title is optional; the body was already read
        return ""
