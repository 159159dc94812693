"""PDF files: the text layer read with pypdf, one page after another, each page's start kept.

pypdf was chosen over pdfplumber by ``python bench/pdf_extract.py`` (the figures are in the README): on
the expo corpus printed to PDF both recover the text, pypdf several times faster and in content-stream
order, which keeps a two-column page's columns apart where pdfplumber's top-to-bottom reading interleaves
them. Lines are rebuilt from the positioned text pieces pypdf reports, so each line knows its font size
(a larger one marks a heading) and its place on the page.

Cleaning what a printed page adds to the text:

- running headers and footers, and page numbers ("- 3 -", "第 3 页", "3/12", "Page 3"), are lines near the
  top or bottom of a page that repeat on most pages once digits are ignored; they are dropped;
- a paragraph wrapped over several lines is joined again: Chinese has no spaces and no hyphens, so a
  line that fills the column and does not end a sentence continues on the next line without a space
  (Latin words get one).

Pages without a text layer (scans) are read by OCR when the ``[ocr]`` extra is installed
(``index.ingest.ocr``); otherwise the file is refused, or the page left out, with a message saying so.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from index.documents import Document
from index.errors import DocumentError
from index.ingest.records import TITLE_MAX, document_from_dict, slugify

_PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*)?\d+\s*(?:页)?(?:\s*/\s*(?:共\s*)?\d+\s*页?)?[-—–\s]*$"
                          r"|^(?:page|p\.)\s*\d+(?:\s*(?:of|/)\s*\d+)?$", re.IGNORECASE)
_SENTENCE_END = "。！？!?；;：:…」』”）)"
_EDGE_LINES = 3  # lines at the top and at the bottom of a page where headers and footers sit


@dataclass
class Line:
    text: str
    size: float
    y: float
    margin: bool = False  # in the top or bottom 8% of the page, where running headers and footers sit


def load_pdf(path: Path, data: bytes) -> tuple[list[Document], list[DocumentError]]:
    """One document per PDF; its ``pages`` say where each page starts in its text."""
    reader = _open(path, data)
    pages = [_page_lines(path, page, n) for n, page in enumerate(reader.pages, start=1)]
    notices: list[str] = []
    # A page with nothing but a running header in its margin is a scan too (some scanners stamp one).
    empty = [n for n, lines in enumerate(pages, start=1) if all(line.margin for line in lines)]
    if empty:
        from index.ingest.ocr import ocr_pages

        read, notice = ocr_pages(path, reader, empty)
        for n, texts in read.items():
            pages[n - 1] = [Line(text, 0.0, -float(i)) for i, text in enumerate(texts)]
        if notice:
            notices.append(notice)
    if all(all(line.margin for line in lines) for lines in pages):
        raise DocumentError(f"{path}: the PDF has no text layer (a scanned or image-only PDF); "
                            + (notices[0] if notices else "nothing could be read from it"))
    pages = _drop_running_lines(pages)
    body = _body_size(pages)
    texts, headings = [], []
    for lines in pages:
        text, heads = _page_text(lines, body)
        texts.append(text)
        headings.append(heads)
    return [_document(path, reader, texts, headings, notices)], []


def _open(path: Path, data: bytes):
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(f"{path}: the PDF is encrypted (password protected); save an unprotected copy "
                                "and index that")
        len(reader.pages)
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise DocumentError(f"{path}: not a readable PDF ({exc})") from exc
    except Exception as exc:  # pypdf raises many kinds on broken files; name the file
        if type(exc).__name__ in ("DependencyError", "FileNotDecryptedError"):
            raise DocumentError(f"{path}: the PDF is encrypted and cannot be opened ({exc})") from exc
        raise DocumentError(f"{path}: not a readable PDF ({type(exc).__name__}: {exc})") from exc
    return reader


def _page_lines(path: Path, page, n: int) -> list[Line]:
    """The page's text lines in content order, each with its font size and height on the page."""
    lines: list[Line] = []

    def visit(text: str, cm, tm, font, size) -> None:
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = abs(tm[3] * cm[3]) or 1.0
        for k, part in enumerate(text.split("\n")):
            if k or not lines or abs(lines[-1].y - y) > 1.0:
                if not part.strip():
                    continue
                lines.append(Line(part, (size or 0) * scale, y))
            else:
                lines[-1].text += part

    try:
        page.extract_text(visitor_text=visit)
    except Exception as exc:  # a broken page is that page's problem, reported with the file
        raise DocumentError(f"{path}: page {n} cannot be read ({type(exc).__name__}: {exc})") from exc
    box = page.mediabox
    bottom, height = float(box.bottom), float(box.height) or 1.0
    out = []
    for line in lines:
        text = unicodedata.normalize("NFKC", line.text) if _has_compat(line.text) else line.text
        text = " ".join(text.split())
        if text:
            rel = (line.y - bottom) / height
            out.append(Line(text, line.size, line.y, margin=not 0.08 <= rel <= 0.92))
    return out


def _has_compat(text: str) -> bool:
    """CJK compatibility ideographs and presentation forms that some PDF fonts map text to."""
    return any("\uf900" <= ch <= "\ufaff" or "\ufe10" <= ch <= "\ufe6f" for ch in text)


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _drop_running_lines(pages: list[list[Line]]) -> list[list[Line]]:
    """Without headers, footers and page numbers: lines at a page's edges seen on most pages."""
    counts: Counter[str] = Counter()
    for lines in pages:
        edges = lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]  # a line counts once per page
        counts.update({_shape(line.text) for line in edges})
    with_text = sum(1 for lines in pages if lines)
    repeated = {s for s, c in counts.items() if with_text >= 2 and c >= max(2, 0.6 * with_text)}
    body = _body_size(pages)
    out = []
    for lines in pages:
        edge = set(range(_EDGE_LINES)) | set(range(len(lines) - _EDGE_LINES, len(lines)))
        out.append([line for i, line in enumerate(lines) if not (
            i in edge and line.margin and (_shape(line.text) in repeated or _PAGE_NUMBER.match(line.text)
                                           or line.size < 0.9 * body))])
    return out


def _body_size(pages: list[list[Line]]) -> float:
    sizes: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            if not line.margin and line.size > 0:  # OCR'd lines have no size
                sizes[round(line.size, 1)] += len(line.text)
    # The smallest size that holds a good share of the text: a short notice can have more characters in
    # its heading than in its body.
    total = sum(sizes.values())
    common = [size for size, n in sizes.items() if n >= 0.1 * total]
    return min(common) if common else 0.0


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _page_text(lines: list[Line], body: float) -> tuple[str, list[tuple[int, str]]]:
    """The page's paragraphs, wrapped lines joined; and (offset in the page, text) of its headings."""
    widths = [_width(line.text) for line in lines if line.size <= body * 1.1]
    full = max(widths, default=0)
    # Wrapped prose fills most lines to the column's width; a page of short records (name: value) does
    # not, and then no line counts as full.
    if sum(1 for w in widths if w >= 0.9 * full) < 0.4 * len(widths):
        full = float("inf")
    column = max((_width(line.text) * line.size for line in lines if line.size <= body * 1.1), default=0.0)
    out, headings = "", []
    for i, line in enumerate(lines):
        heading = body > 0 and line.size > body * 1.15
        prev = lines[i - 1] if i else None
        continued = heading and prev is not None and abs(prev.size - line.size) < 0.5 and headings \
            and headings[-1][1].endswith(prev.text) and _width(prev.text) * prev.size >= 0.8 * column
        if continued:  # a heading wrapped over two lines is one heading
            latin = prev.text[-1].isascii() and prev.text[-1].isalnum() and line.text[0].isascii()
            out += (" " if latin else "") + line.text
            headings[-1] = (headings[-1][0], headings[-1][1] + (" " if latin else "") + line.text)
            continue
        if heading:
            headings.append((len(out) + (1 if out else 0), line.text))
        if not out:
            out = line.text
            continue
        wrapped = (not heading and prev.size <= body * 1.1 and _width(prev.text) >= 0.85 * full
                   and prev.text[-1] not in _SENTENCE_END)
        if wrapped:
            latin = prev.text[-1].isascii() and prev.text[-1].isalnum() and line.text[0].isascii()
            out += (" " if latin else "") + line.text
        else:
            out += "\n" + line.text
    return out, headings


def _document(path: Path, reader, texts: list[str], headings: list[list[tuple[int, str]]],
              notices: list[str]) -> Document:
    text, starts, sections = "", [], []
    for page_text, heads in zip(texts, headings):
        if text and page_text:
            text += "\n\n"
        starts.append(len(text))
        sections.extend((len(text) + at, h) for at, h in heads)
        text += page_text
    meta_title = str((reader.metadata or {}).get("/Title") or "").strip() if reader.metadata else ""
    if meta_title.lower() in ("untitled", "anonymous", "title"):  # what PDF writers put when given none
        meta_title = ""
    title = meta_title or (sections[0][1] if sections and sections[0][0] == 0 else "")
    fields = {"title": title[:TITLE_MAX * 2], "text": text}
    doc = document_from_dict(fields, str(path), default_id=slugify(path.stem), default_title=path.stem,
                             meta={"path": str(path), "notices": tuple(notices)})
    if doc.text != text:  # leading blank lines stripped: offsets must stay those of the text kept
        raise DocumentError(f"{path}: the extracted text could not be aligned with its pages")
    sections = [(at, h) for at, h in sections if not (at == 0 and h == doc.title)]
    notices_all = tuple(notices) + tuple(doc.meta.get("notices", ()))
    return replace(doc, pages=tuple(starts), sections=tuple(sections),
                   meta={**doc.meta, "notices": notices_all} if notices_all else doc.meta)
