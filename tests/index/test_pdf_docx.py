"""PDF and Word files read into documents with pages and sections; fixtures are made here (reportlab with
the built-in STSong-Light CID font, python-docx), nothing is downloaded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.docgen import PdfWriter, write_docx, write_pdf
from index.documents import Document
from index.ingest import ocr
from index.ingest.chunker import Chunker
from index.ingest.loaders import load_files, load_path

PARAGRAPH = ("综合保税区是开放层次最高、优惠政策最多、功能最齐全的海关特殊监管区域。海关总署推出23条改革措施，"
             "支持综合保税区发展保税维修、研发设计和跨境电商等新业态，提升贸易便利化水平。")


def long_doc() -> Document:
    body = "\n".join(f"## 第{n}部分\n" + f"第{n}段：" + PARAGRAPH * 5 for n in range(1, 9))
    return Document(id="handbook", title="参展商手册", text=body)


def only(path: Path) -> Document:
    docs, errors = load_path(path)
    assert errors == [] and len(docs) == 1
    return docs[0]


def test_pdf_pages_headers_and_wrapped_lines(tmp_path: Path) -> None:
    doc = only(write_pdf(long_doc(), tmp_path / "handbook.pdf"))
    assert doc.id == "handbook" and doc.title == "参展商手册"
    assert len(doc.pages) >= 3 and doc.pages[0] == 0
    assert "资料汇编" not in doc.text  # the running header
    assert not re.search(r"^- \d+ -$", doc.text, re.MULTILINE)  # the page numbers
    squeezed = re.sub(r"\s+", "", doc.text)
    assert squeezed.count(re.sub(r"\s+", "", PARAGRAPH)) == 40  # wrapped lines joined without spaces
    assert [h for _, h in doc.sections] == [f"第{n}部分" for n in range(1, 9)]
    for chunk in Chunker(300, 60).split(doc):
        assert chunk.page == doc.page_at(chunk.start)
        assert chunk.section == doc.section_at(chunk.start)
    # each page's text is where the reader put it
    from pypdf import PdfReader

    reader = PdfReader(tmp_path / "handbook.pdf")
    for n, start in enumerate(doc.pages, start=1):
        end = doc.pages[n] if n < len(doc.pages) else len(doc.text)
        first = re.sub(r"\s+", "", doc.text[start:end])[:20]
        assert first in re.sub(r"\s+", "", reader.pages[n - 1].extract_text())


def test_two_column_page_keeps_columns_apart(tmp_path: Path) -> None:
    pdf = PdfWriter(tmp_path / "cols.pdf", columns=2)
    left = "左栏：" + "义乌国际博览中心位于义乌市宗泽路。" * 14
    right = "右栏：" + "展会时间为2024年9月1日至3日。" * 14
    pdf.paragraph(left)
    while pdf.column == 0:  # fill the first column, then the second starts
        pdf.paragraph("左栏续：" + "义乌国际博览中心位于义乌市宗泽路。" * 4)
    pdf.paragraph(right)
    pdf.save()
    text = re.sub(r"\s+", "", only(tmp_path / "cols.pdf").text)
    assert text.index("右栏") > text.rindex("左栏续")
    assert re.sub(r"\s+", "", left) in text and re.sub(r"\s+", "", right) in text


def test_table_rows_stay_rows(tmp_path: Path) -> None:
    pdf = PdfWriter(tmp_path / "table.pdf")
    pdf.paragraph("展位价格表如下。")
    pdf.table([["展位类型", "面积", "价格"], ["标准展位", "9平方米", "12800元"], ["光地", "36平方米", "42000元"]])
    pdf.save()
    lines = only(tmp_path / "table.pdf").text.split("\n")
    assert any(re.sub(r"\s+", "", line) == "标准展位9平方米12800元" for line in lines)


def test_encrypted_broken_and_scanned_pdfs_are_named(tmp_path: Path) -> None:
    locked = PdfWriter(tmp_path / "locked.pdf", encrypt="secret")
    locked.paragraph(PARAGRAPH)
    locked.save()
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF")
    scan = PdfWriter(tmp_path / "scan.pdf", header=None)
    scan.image(text_image(tmp_path / "scan.png", "展会地点：义乌国际博览中心"), height=60)
    scan.save()
    result = load_files(tmp_path)
    messages = {Path(e.file).name: str(e) for e in result.errors}
    assert "encrypted" in messages["locked.pdf"]
    assert "not a readable PDF" in messages["broken.pdf"]
    if not ocr.available():  # without the OCR extra: refused, saying how to read it
        assert "no text layer" in messages["scan.pdf"] and "expo-qa[ocr]" in messages["scan.pdf"]
    assert all(e.whole_file for e in result.errors)


def text_image(path: Path, text: str) -> Path:
    """A picture of Chinese text, as a scanner would make (drawn with the system's Noto CJK font)."""
    from PIL import Image, ImageDraw, ImageFont

    fonts = sorted(Path("/usr/share/fonts").rglob("NotoSansCJK-Regular.ttc"))
    assert fonts, "Debian's fonts-noto-cjk is needed to draw a scanned page (scripts/test.sh installs it)"
    font = ImageFont.truetype(str(fonts[0]), 48, index=2)  # index 2: Simplified Chinese
    image = Image.new("RGB", (60 + 50 * len(text), 110), "white")
    ImageDraw.Draw(image).text((30, 25), text, fill="black", font=font)
    image.save(path)
    return path


def test_scanned_pdf_is_read_by_ocr(tmp_path: Path) -> None:
    assert ocr.available(), "the [ocr] extra is needed (scripts/test.sh installs it)"
    scan = PdfWriter(tmp_path / "scan.pdf", header=None)
    scan.image(text_image(tmp_path / "scan.png", "展会地点：义乌国际博览中心"), height=60)
    scan.save()
    doc = only(tmp_path / "scan.pdf")
    assert "义乌国际博览中心" in doc.text and doc.pages == (0,)


def test_docx_headings_paragraphs_and_tables(tmp_path: Path) -> None:
    import docx

    path = write_docx(long_doc(), tmp_path / "handbook.docx")
    doc = only(path)
    assert doc.title == "参展商手册" and [h for _, h in doc.sections][:2] == ["第1部分", "第2部分"]
    assert all(doc.text[at:at + len(h)] == h for at, h in doc.sections)
    out = docx.Document()
    out.add_paragraph("价格表")
    table = out.add_table(rows=2, cols=3)
    for r, row in enumerate([["展位类型", "面积", "价格"], ["标准展位", "9平方米", "12800元"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    out.save(str(tmp_path / "table.docx"))
    table_doc = only(tmp_path / "table.docx")
    assert "标准展位 | 9平方米 | 12800元" in table_doc.text.split("\n")
    assert table_doc.title == "价格表" and "no title" in table_doc.meta["notices"][0]


def test_scanned_pdf_without_ocr_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "available", lambda: False)
    scan = PdfWriter(tmp_path / "scan.pdf", header=None)
    scan.image(text_image(tmp_path / "scan.png", "展会地点：义乌国际博览中心"), height=60)
    scan.save()
    docs, errors = load_path(tmp_path / "scan.pdf")
    assert docs == [] and "no text layer" in str(errors[0]) and "expo-qa[ocr]" in str(errors[0])
