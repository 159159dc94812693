"""PDF and Word versions of documents, as organisers publish them: ``python -m bench.docgen OUT_DIR``.

Writes ``<doc id>.pdf`` and ``<doc id>.docx`` for every document of the shipped corpus (or of ``--src``),
so ``qa eval --dataset expo --corpus OUT_DIR/pdf`` measures answers over the same text read back from
PDF and Word. The PDFs look like real ones: a running header and a page number on every page, wrapped
lines, headings in a larger size, several pages per document. Chinese text uses reportlab's built-in
STSong-Light (an Adobe CID font every PDF reader has), so no font file is needed. The tests use the
same writers for their fixtures (a two-column page, a table, a scanned page, an encrypted file).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from index.documents import Document

FONT = "STSong-Light"
HEADER = "中国国际电子商务博览会 · 资料汇编"
PAGE_W, PAGE_H = 595.27, 841.89  # A4 in points
MARGIN = 72.0
BODY_SIZE, HEADING_SIZE, LEADING = 11.0, 15.0, 17.0
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def wrap(text: str, width: float, size: float) -> list[str]:
    """Lines of at most ``width`` points: CJK breaks anywhere, Latin words only at spaces."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, line = [], ""
    for token in re.findall(r"[A-Za-z0-9@._:/%+\-]+ ?|.", text):
        if line and stringWidth(line + token.rstrip(), FONT, size) > width:
            lines.append(line.rstrip())
            line = token.lstrip() if token.strip() else ""
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


def blocks(doc: Document) -> list[tuple[str, str]]:
    """(kind, text) of each paragraph: ``heading`` or ``body``; the title first."""
    out = [("heading", doc.title)]
    for line in doc.text.split("\n"):
        m = _HEADING.match(line)
        if m and m[2].strip() == doc.title:
            continue
        if m:
            out.append(("heading", m[2].strip()))
        elif line.strip():
            out.append(("body", line.strip()))
    return out


class PdfWriter:
    """Flows paragraphs down pages with a running header and page numbers."""

    def __init__(self, path: Path, columns: int = 1, header: str | None = HEADER, encrypt: str | None = None) -> None:
        from reportlab.pdfgen import canvas

        _register_font()
        self.canvas = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H), encrypt=encrypt)
        self.columns, self.header = columns, header
        self.page, self.column = 1, 0
        self.gutter = 24.0
        self.col_w = (PAGE_W - 2 * MARGIN - self.gutter * (columns - 1)) / columns
        self.y = PAGE_H - MARGIN
        self._decorate()

    def _decorate(self) -> None:
        """The running header and the page number; none at all for a scan (``header=None``)."""
        if self.header is None:
            return
        c = self.canvas
        c.setFont(FONT, 8)
        c.drawString(MARGIN, PAGE_H - 40, self.header)
        c.drawCentredString(PAGE_W / 2, 30, f"- {self.page} -")

    def new_page(self) -> None:
        self.canvas.showPage()
        self.page += 1
        self.column = 0
        self.y = PAGE_H - MARGIN
        self._decorate()

    def _next_line(self, height: float) -> None:
        if self.y - height < MARGIN:
            if self.column + 1 < self.columns:
                self.column += 1
                self.y = PAGE_H - MARGIN
            else:
                self.new_page()
        self.y -= height

    def paragraph(self, text: str, size: float = BODY_SIZE) -> None:
        for line in wrap(text, self.col_w, size):
            self._next_line(LEADING if size == BODY_SIZE else LEADING + 6)
            self.canvas.setFont(FONT, size)
            self.canvas.drawString(MARGIN + self.column * (self.col_w + self.gutter), self.y, line)
        self.y -= 6  # paragraph spacing

    def table(self, rows: Sequence[Sequence[str]]) -> None:
        """Cells side by side on a grid, one row per line."""
        cell_w = self.col_w / max(len(r) for r in rows)
        for row in rows:
            self._next_line(LEADING + 4)
            for i, cell in enumerate(row):
                x = MARGIN + i * cell_w
                self.canvas.setFont(FONT, BODY_SIZE)
                self.canvas.drawString(x + 4, self.y, cell)
                self.canvas.rect(x, self.y - 5, cell_w, LEADING + 4)

    def image(self, path: Path, height: float) -> None:
        self._next_line(height)
        self.canvas.drawImage(str(path), MARGIN, self.y, width=self.col_w, height=height)

    def save(self) -> None:
        self.canvas.save()


def write_pdf(doc: Document, path: Path) -> Path:
    pdf = PdfWriter(path)
    for kind, text in blocks(doc):
        pdf.paragraph(text, HEADING_SIZE if kind == "heading" else BODY_SIZE)
    pdf.save()
    return path


def write_docx(doc: Document, path: Path) -> Path:
    import docx

    out = docx.Document()
    for i, (kind, text) in enumerate(blocks(doc)):
        if kind == "heading":
            out.add_heading(text, level=0 if i == 0 else 1)
        else:
            out.add_paragraph(text)
    out.save(str(path))
    return path


def main(argv: Sequence[str] | None = None) -> int:
    from index.ingest.loaders import load_path, shipped_corpus_dir

    p = argparse.ArgumentParser(prog="python -m bench.docgen", description=__doc__.split("\n\n")[0])
    p.add_argument("out", type=Path, help="writes OUT/pdf/<id>.pdf and OUT/docx/<id>.docx")
    p.add_argument("--src", type=Path, default=None, help="documents to convert (default: the shipped corpus)")
    args = p.parse_args(argv)
    docs, errors = load_path(args.src or shipped_corpus_dir())
    if errors:
        print(f"error: {errors[0]}", file=sys.stderr)
        return 1
    for kind, write in (("pdf", write_pdf), ("docx", write_docx)):
        (args.out / kind).mkdir(parents=True, exist_ok=True)
        for doc in docs:
            write(doc, args.out / kind / f"{doc.id}.{kind}")
    print(f"wrote {len(docs)} PDF and {len(docs)} Word files under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
