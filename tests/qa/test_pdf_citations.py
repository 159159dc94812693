"""Answers over the expo corpus printed to PDF cite the page their quote is on."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bench.docgen import main as docgen
from eval.datasets import GOLD_PATH
from index.embedders.fake import HashEmbedder
from qa.pipeline import Pipeline


def test_citations_of_pdf_documents_carry_the_right_page(settings, tokenizer, tmp_path: Path) -> None:
    from pypdf import PdfReader

    assert docgen([str(tmp_path / "corpus")]) == 0
    pipe = Pipeline(settings, embedder=HashEmbedder(), tokenizer=tokenizer)
    # this test is about the pages quotes are on; the answerability threshold is calibrated on the real
    # embedder, and the hash embedder's similarities mean nothing to it
    pipe.composer.fixed_threshold = 0.0
    report = pipe.index_paths([tmp_path / "corpus" / "pdf"])
    assert report.errors == [] and report.added == 7
    pages = {p.stem: [re.sub(r"\s+", "", page.extract_text()) for page in PdfReader(p).pages]
             for p in (tmp_path / "corpus" / "pdf").glob("*.pdf")}
    questions = [json.loads(line)["question"] for line in GOLD_PATH.read_text(encoding="utf-8").splitlines()]
    checked = multi_page = 0
    for question in questions[:60]:
        for c in pipe.answer(question).citations:
            assert c.page is not None
            quote = re.sub(r"\s+", "", c.quote)
            on_page = pages[c.doc_id][c.page - 1]
            # a quote that runs over a page break starts on its page
            assert quote in on_page or any(on_page.endswith(quote[:k]) for k in range(4, len(quote)))
            checked += 1
            multi_page += len(pages[c.doc_id]) > 1 and c.page > 1
    assert checked > 30 and multi_page > 3
