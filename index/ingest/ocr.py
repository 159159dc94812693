"""OCR for PDF pages without a text layer (scans), with the optional ``[ocr]`` extra (rapidocr)."""

from __future__ import annotations

from pathlib import Path


def ocr_pages(path: Path, reader, pages: list[int]) -> tuple[dict, str | None]:
    return {}, (f"{len(pages)} page(s) have no text layer; install the OCR extra "
                "(pip install 'expo-qa[ocr]') to read scanned pages")
