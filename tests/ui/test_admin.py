"""The admin panel: the key unlocks it and is forgotten; uploads and deletions go through the API's code;
paged citations show their page and link to it in the whole document."""

from __future__ import annotations

import html as html_lib
from pathlib import Path

import pytest

from bench.docgen import write_pdf
from index.documents import Document
from index.embedders.fake import HashEmbedder
from qa.pipeline import Pipeline
from ui import render
from ui.admin import AdminPanel
from ui.app import ChatUI, build_ui

KEY = "test-admin-key"


@pytest.fixture
def panel(settings, tokenizer, monkeypatch) -> AdminPanel:
    monkeypatch.setenv(settings.api_key_env, KEY)
    pipe = Pipeline(settings, embedder=HashEmbedder(), tokenizer=tokenizer)
    # the answerability threshold is calibrated on the real embedder; the hash embedder's similarities
    # mean nothing to it
    pipe.composer.fixed_threshold = 0.0
    return AdminPanel(pipe, settings)


def test_key_unlocks_and_is_not_kept(panel: AdminPanel) -> None:
    box, unlocked, message, _ = panel.unlock("wrong")
    assert (box, unlocked) == ("", False) and "not valid" in message
    box, unlocked, message, tools = panel.unlock(KEY)
    assert (box, unlocked) == ("", True) and KEY not in message and tools["visible"] is True


def test_locked_panel_does_nothing(panel: AdminPanel, tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("# A\n\n正文。", encoding="utf-8")
    message, table, _, _ = panel.upload(False, [str(path)])
    assert "Enter the key" in message and table == []


def test_upload_pdf_ask_with_page_then_delete(panel: AdminPanel, tmp_path: Path) -> None:
    text = "\n".join(["## 报名须知", "参展报名截止日期为2024年8月15日。" * 3] + ["## 展位", "展位费用见附件。" * 300]
                     + ["## 交通", "义乌国际博览中心提供免费接驳巴士，每二十分钟一班。"])
    pdf = write_pdf(Document(id="x", title="参展商手册", text=text), tmp_path / "handbook.pdf")
    bad = tmp_path / "notes.xlsx"
    bad.write_bytes(b"x")
    message, table, _, _ = panel.upload(True, [str(pdf), str(bad)], progress=_NoProgress())
    message = html_lib.unescape(message)
    assert "handbook.pdf: handbook (" in message and "notes.xlsx" in message and ".xlsx" in message
    row = next(r for r in table if r[0] == "handbook")
    assert row[2] > 0 and row[3] >= 2
    answer = panel.pipeline.answer("接驳巴士多久一班？")
    cited = [c for c in answer.citations if c.doc_id == "handbook"]
    assert cited and cited[0].page == row[3] and cited[0].section in ("展位", "交通")  # the chunk's heading
    html = render.render_sources(answer, panel.pipeline.store.document_text, 3, panel.pipeline.store.document_pages)
    anchor = render.page_anchor(3, "handbook", cited[0].page)
    assert f'href="#{anchor}"' in html and f'id="{anchor}"' in html and f"第 {cited[0].page} 页 / p. {cited[0].page}" in html
    message, table, _ = panel.delete(True, "handbook")
    assert "Deleted" in html_lib.unescape(message) and all(r[0] != "handbook" for r in table)
    assert "handbook" not in panel.pipeline.snapshot().docs


def test_page_builds_with_the_panel(panel: AdminPanel, tmp_path: Path) -> None:
    from qa.feedback import FeedbackStore

    ui = ChatUI(panel.pipeline, panel.settings, FeedbackStore(tmp_path / "fb.sqlite"))
    demo = build_ui(ui)
    assert any(getattr(b, "elem_id", None) == "qa-admin-key" for b in demo.blocks.values())


class _NoProgress:
    def tqdm(self, items, desc=None):
        return items
