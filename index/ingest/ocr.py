"""OCR for PDF pages without a text layer (scans), with the optional ``[ocr]`` extra.

``pip install 'expo-qa[ocr]'`` installs rapidocr, which ships the Chinese PP-OCR detection and recognition
models as ONNX files inside its wheel and runs them in ONNX Runtime: nothing is downloaded at run time.
The images of each page (a scanner puts one per page) are read and their text boxes put back into lines,
top to bottom. Without the extra, the caller gets a notice naming the pages it could not read.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

INSTALL_HINT = "install the OCR extra (pip install 'expo-qa[ocr]') to read scanned pages"


@functools.lru_cache(maxsize=1)
def _engine():
    from rapidocr import RapidOCR

    logging.getLogger("RapidOCR").setLevel(logging.WARNING)
    return RapidOCR()


def available() -> bool:
    try:
        import rapidocr  # noqa: F401
    except ImportError:
        return False
    return True


def ocr_pages(path: Path, reader, pages: list[int]) -> tuple[dict[int, list[str]], str | None]:
    """The text lines OCR reads on ``pages`` (1-based) of ``reader``, and a notice for what it could not."""
    if not available():
        return {}, f"{len(pages)} page(s) have no text layer; {INSTALL_HINT}"
    read: dict[int, list[str]] = {}
    for n in pages:
        lines: list[str] = []
        for image in reader.pages[n - 1].images:
            lines.extend(_image_lines(image.data))
        if lines:
            read[n] = lines
    missed = [n for n in pages if n not in read]
    notice = f"OCR found no text on page(s) {', '.join(map(str, missed))}" if missed else None
    return read, notice


def _image_lines(data: bytes) -> list[str]:
    """Text boxes grouped into lines (boxes whose vertical centres are within half a box height)."""
    result = _engine()(data)
    if not result.txts:
        return []
    boxes = sorted(((min(p[1] for p in box), max(p[1] for p in box), min(p[0] for p in box), text)
                    for box, text in zip(result.boxes, result.txts)), key=lambda b: (b[0], b[2]))
    lines: list[list[tuple]] = []
    for box in boxes:
        top, bottom = box[0], box[1]
        if lines:
            last = lines[-1][-1]
            if abs((top + bottom) / 2 - (last[0] + last[1]) / 2) < (bottom - top) / 2:
                lines[-1].append(box)
                continue
        lines.append([box])
    out = []
    for line in lines:
        parts = [b[3] for b in sorted(line, key=lambda b: b[2])]
        text = ""
        for part in parts:
            latin = text and text[-1].isascii() and text[-1].isalnum() and part[:1].isascii()
            text += (" " if latin else "") + part
        if text.strip():
            out.append(text.strip())
    return out
