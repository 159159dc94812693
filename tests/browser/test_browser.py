"""The chat page in headless Chromium, against ``qa serve`` with the real embedding model.

One server per module over a tmp data dir: the shipped corpus plus a hostile document whose text and
title carry a script tag, an ``onerror`` image and a ``javascript:`` link. Each test opens its own page.
Chromium is Debian's (``/usr/bin/chromium``); Playwright only drives it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.serve import ServerProcess
from index.documents import Document
from qa.feedback import FeedbackStore
from qa.pipeline import Pipeline
from qa.settings import Settings
from tests.browser.chat import ANSWER_TIMEOUT_MS, ask, wait_for_answer

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
PAYLOAD = ('<script>window.__xss=1</script><img src=x onerror="window.__xss=1">'
           '<a href="javascript:window.__xss=1">x</a>[点我](javascript:window.__xss=1)')
HOSTILE = Document(
    id="xss-probe", title=f"安全测试展台说明{PAYLOAD}",
    text=f"安全测试展台说明。测试展台的编号是A7788{PAYLOAD}。本文档只用于页面安全测试。")


@dataclass(frozen=True)
class Server:
    url: str
    data_dir: Path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, model_cache: Path) -> Iterator[Server]:
    """``qa serve`` on a free port, over an index that already holds the hostile document."""
    data_dir = tmp_path_factory.mktemp("browser") / "data"
    settings = Settings.from_env({}, data_dir=data_dir, model_cache=model_cache)
    builder = Pipeline.from_settings(settings)
    builder.index_paths()
    builder.add_documents([HOSTILE])
    builder.store.close()
    del builder

    proc = ServerProcess(data_dir, env={"QA_MODEL_CACHE": str(model_cache)},
                         log_path=data_dir.parent / "serve.log", startup_s=600)  # slow on a busy CI machine
    proc.start()
    try:
        yield Server(proc.url, data_dir)
    finally:
        proc.stop()
    text = proc.log_text()
    assert "Traceback" not in text, text


@pytest.fixture
def page(browser, server: Server):
    """A fresh page on the chat UI; dialogs (alert, confirm...) are recorded and dismissed."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto(server.url + "/")
    page.wait_for_selector("#qa-input textarea", timeout=60_000)
    yield page
    context.close()


def watch_streaming(page) -> None:
    """Note whether a partly revealed answer (the caret) is ever on screen."""
    page.evaluate("""() => {
        window.__sawPartial = false;
        new MutationObserver(() => {
            if (document.querySelector('#qa-chat .qa-caret')) window.__sawPartial = true;
        }).observe(document.querySelector('#qa-chat'), {subtree: true, childList: true, characterData: true});
    }""")


def test_question_gets_a_streamed_cited_answer(page, tmp_path: Path) -> None:
    watch_streaming(page)
    ask(page, "展会在哪里举办？")
    answer = wait_for_answer(page)
    assert page.evaluate("window.__sawPartial") is True
    assert "义乌国际博览中心" in answer.locator(".qa-short").inner_text()
    marker = answer.locator("sup.qa-cite a").first
    assert marker.inner_text() == "[1]"
    assert "展会地点" in (marker.get_attribute("title") or "")

    doc = page.locator('#qa-sources .qa-doc[data-doc="expo-info"]')
    doc.wait_for(timeout=10_000)
    assert "中国国际电子商务博览会 展会信息" in doc.locator(".qa-title").inner_text()
    assert "义乌国际博览中心" in doc.locator(".qa-chunk mark").first.inner_text()

    before = page.url
    marker.click()
    assert page.url == before and len(page.context.pages) == 1
    target = (marker.get_attribute("href") or "").lstrip("#")
    assert doc.locator(f".{target}").inner_text() == "[1]"
    page.wait_for_function("c => { const r = document.querySelector('#qa-sources .' + c).getBoundingClientRect();"
                           " return r.top >= 0 && r.bottom <= window.innerHeight; }", arg=target, timeout=5_000)
    doc.locator("details summary").click()
    assert "义乌国际博览中心" in doc.locator(".qa-fulltext").inner_text()
    page.screenshot(path=str(tmp_path / "answer.png"), full_page=True)
    assert (tmp_path / "answer.png").stat().st_size > 10_000


def test_example_question_and_feedback_is_stored(page, server: Server) -> None:
    page.locator("button.qa-example", has_text="综保区改革一共多少条措施？").click()
    answer = wait_for_answer(page)
    assert "23" in answer.inner_text()
    page.locator('#qa-sources .qa-doc[data-doc="customs-ftz-23-measures"]').wait_for(timeout=10_000)
    page.locator("#qa-chat").get_by_role("button", name="赞", exact=True).last.click()  # "Like" in zh-CN

    store = FeedbackStore(server.data_dir / "feedback.sqlite")
    deadline = time.monotonic() + 15
    while not [r for r in store.records() if r.question == "综保区改革一共多少条措施？"]:
        assert time.monotonic() < deadline, "the 👍 was not stored"
        time.sleep(0.2)
    record = next(r for r in store.records() if r.question == "综保区改革一共多少条措施？")
    assert record.rating == 1 and "23" in record.answer
    assert {c["doc_id"] for c in record.citations} == {"customs-ftz-23-measures"}

    page.locator("#qa-new").click()
    page.wait_for_function("() => !document.querySelector('#qa-chat [data-testid=\"bot\"]')", timeout=10_000)
    assert page.locator("#qa-sources .qa-doc").count() == 0


def test_problems_are_friendly_messages(page) -> None:
    page.locator("#qa-send").click()
    warning = page.locator("#qa-chat .qa-warn")
    warning.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert "请检查您的输入" in warning.inner_text()
    ask(page, "火星上一共有多少家咖啡馆营业？")
    notice = wait_for_answer(page, 2).locator(".qa-info")
    assert "资料中没有找到相关信息" in notice.inner_text()
    assert "Traceback" not in page.locator("#qa-chat").inner_text()


def test_hostile_document_runs_nothing(page) -> None:
    ask(page, "安全测试展台的编号是什么？")
    answer = wait_for_answer(page)
    doc = page.locator('#qa-sources .qa-doc[data-doc="xss-probe"]')
    doc.wait_for(timeout=10_000)
    doc.locator("details summary").click()
    answer.locator("sup.qa-cite a").first.hover()
    page.wait_for_timeout(500)

    assert "A7788" in answer.inner_text()
    assert "<script>window.__xss=1</script>" in doc.inner_text()  # shown as text, not dropped or run
    assert "onerror" in doc.locator(".qa-title").inner_text()
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.dialogs == []
    assert page.locator('img[src="x"], a[href^="javascript"], #qa-chat script, #qa-sources script').count() == 0
