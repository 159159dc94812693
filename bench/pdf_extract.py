"""pypdf against pdfplumber on Chinese PDFs: ``python bench/pdf_extract.py``.

The expo corpus is printed to PDF (``bench.docgen``: running header, page numbers, wrapped lines) plus a
two-column page; each library's raw page text is compared with the source text, whitespace ignored
(similarity = difflib ratio, 1.0 = the same characters in the same order), and timed.
"""

from __future__ import annotations

import difflib
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.docgen import HEADER, PdfWriter, write_pdf
from index.ingest.loaders import load_path, shipped_corpus_dir


def _squeeze(text: str) -> str:
    """Whitespace, Markdown marks and the running header (which pdfplumber reads without its "·") removed."""
    text = re.sub(r"\s+", "", text).replace("#", "")
    return text.replace(re.sub(r"\s+", "", HEADER), "").replace(re.sub(r"[\s·]+", "", HEADER), "")


def _pypdf(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(path).pages)


def _pdfplumber(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "\n".join(p.extract_text() or "" for p in pdf.pages)


def main() -> int:
    docs, _ = load_path(shipped_corpus_dir())
    tmp = Path(tempfile.mkdtemp(prefix="pdf-bench-"))
    # the title is printed once: as the Markdown's "# title" line, or above the text when there is none
    cases = [(write_pdf(d, tmp / f"{d.id}.pdf"),
              _squeeze(d.text if d.text.lstrip("# ").startswith(d.title) else f"{d.title}\n{d.text}"))
             for d in docs]
    left, right = "左栏" + docs[3].text[:700], "右栏" + docs[4].text[:700]
    cols = PdfWriter(tmp / "two-columns.pdf", columns=2)
    cols.paragraph(left)
    cols.paragraph(right)
    cols.save()
    cases.append((tmp / "two-columns.pdf", _squeeze(left + right)))
    print(f"{'document':34} {'pypdf sim':>9} {'ms':>7} {'pdfplumber sim':>14} {'ms':>7}")
    totals = {"pypdf": [0.0, 0.0], "pdfplumber": [0.0, 0.0]}
    for path, expected in cases:
        row = f"{path.stem[:34]:34}"
        for name, fn in (("pypdf", _pypdf), ("pdfplumber", _pdfplumber)):
            t0 = time.perf_counter()
            got = _squeeze(re.sub(r"- \d+ -", "", fn(path)))
            ms = (time.perf_counter() - t0) * 1000
            sim = difflib.SequenceMatcher(None, expected, got, autojunk=False).ratio()
            totals[name][0] += sim
            totals[name][1] += ms
            row += f" {sim:>9.4f} {ms:>7.1f}" if name == "pypdf" else f" {sim:>14.4f} {ms:>7.1f}"
        print(row)
    n = len(cases)
    print(f"{'mean similarity / total ms':34} {totals['pypdf'][0] / n:>9.4f} {totals['pypdf'][1]:>7.1f} "
          f"{totals['pdfplumber'][0] / n:>14.4f} {totals['pdfplumber'][1]:>7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
