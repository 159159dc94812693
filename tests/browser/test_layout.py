"""The chat page at a desktop and a phone width: every glyph drawn from a font the machine has, source
excerpts without Markdown syntax, clickable suggestions after a refusal, an earlier answer's [n]
showing that answer's sources, and on a phone each answer's sources right under it.

Screenshots of both widths are written to the test's tmp dir; with QA_UPDATE_SCREENSHOTS=1 they
replace docs/screenshot.png (desktop, shown in the README) and docs/screenshot-phone.png.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.chat import ask, wait_for_answer
from tests.browser.test_browser import REPO, server  # noqa: F401  (the server fixture)

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Characters a font on this machine cannot draw render as the same box (.notdef) as a code point no
# font has; each distinct character of the page is drawn on a canvas in the page's font and compared.
TOFU_JS = """() => {
    const family = getComputedStyle(document.querySelector('#qa-chat') || document.body).fontFamily;
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 40;
    const ctx = canvas.getContext('2d', {willReadFrequently: true});
    const draw = ch => {
        ctx.clearRect(0, 0, 40, 40);
        ctx.font = '24px ' + family;
        ctx.textBaseline = 'top';
        ctx.fillText(ch, 4, 4);
        return ctx.getImageData(0, 0, 40, 40).data.join(',');
    };
    const missing = draw('\\u{10FFFD}');
    const text = document.body.innerText + [...document.querySelectorAll('button, summary, label')]
        .map(e => e.innerText).join('');
    const chars = [...new Set([...text].filter(ch => ch.codePointAt(0) > 127 && !/\\s/.test(ch)))];
    return {missing: chars.filter(ch => draw(ch) === missing), checked: chars.length,
            selfTest: draw("\\u{10FFFE}") === missing};
}"""


def open_page(browser, server, viewport: dict):  # noqa: F811
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.goto(server.url + "/")
    page.wait_for_selector("#qa-input textarea", timeout=60_000)
    return page


@pytest.fixture
def desktop(browser, server):  # noqa: F811
    page = open_page(browser, server, DESKTOP)
    yield page
    page.context.close()


@pytest.fixture
def phone(browser, server):  # noqa: F811
    page = open_page(browser, server, PHONE)
    yield page
    page.context.close()


def _screenshot(page, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(tmp_path / name), full_page=True)
    if os.environ.get("QA_UPDATE_SCREENSHOTS") == "1":
        page.screenshot(path=str(REPO / "docs" / name), full_page=True)


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_no_character_renders_as_a_missing_glyph(request, size: str) -> None:
    page = request.getfixturevalue(size)
    ask(page, "2025年展会门票多少钱")
    wait_for_answer(page)
    ask(page, "展会在哪里举办？")
    wait_for_answer(page, 2)
    result = page.evaluate(TOFU_JS)
    assert result["selfTest"] and result["checked"] > 50
    assert result["missing"] == []
    icons = [i for i in page.locator("#qa-header .qa-svg, #qa-chat .qa-icon, #qa-new").all() if i.is_visible()]
    assert len(icons) >= 3
    for icon in icons:
        box = icon.bounding_box()
        assert box and box["width"] >= 12 and box["height"] >= 12


def test_sources_show_no_markdown_and_no_label_covers_the_chat(desktop) -> None:
    ask(desktop, "展会在哪里举办？")
    wait_for_answer(desktop)
    panel = desktop.locator("#qa-sources .qa-doc").first
    panel.wait_for(timeout=20_000)
    panel.locator("details summary").click()
    text = desktop.locator("#qa-sources").inner_text()
    assert "中国国际电子商务博览会 展会信息" in text
    assert not any(line.lstrip().startswith(("#", "- ", "> ")) for line in text.splitlines()) and "**" not in text
    assert desktop.locator("#qa-chat").get_by_text("对话 Chat").count() == 0


def test_a_refusal_suggests_documents_that_ask_when_clicked(desktop) -> None:
    ask(desktop, "2025年展会门票多少钱")
    refusal = wait_for_answer(desktop)
    links = refusal.locator("a.qa-suggestion")
    assert links.count() == 1 and "展会信息" in links.first.inner_text()
    links.first.click()
    answer = wait_for_answer(desktop, 2)
    users = desktop.locator('#qa-chat [data-testid="user"]')
    assert users.last.inner_text().strip() == "《中国国际电子商务博览会 展会信息》主要讲了什么？"
    assert answer.locator("sup.qa-cite").count() >= 1


def test_an_earlier_answers_marker_shows_that_answers_sources(desktop, tmp_path: Path) -> None:
    ask(desktop, "展会在哪里举办？")
    first = wait_for_answer(desktop)
    ask(desktop, "县域商业三年行动分几个阶段？")
    wait_for_answer(desktop, 2)
    panel = desktop.locator("#qa-sources")
    panel.locator('.qa-doc[data-doc="rural-livestream-ecommerce"]').wait_for(timeout=20_000)
    assert panel.locator('.qa-doc[data-doc="expo-info"]').count() == 0
    first.locator("sup.qa-cite a").first.click()
    panel.locator(".qa-doc .qa-src-1-1").wait_for(timeout=15_000)
    assert "中国国际电子商务博览会 展会信息" in panel.inner_text()
    assert "县域商业" not in panel.inner_text()
    assert first.locator(".qa-msg-sources").is_hidden()  # on a wide screen the panel shows them
    _screenshot(desktop, tmp_path, "screenshot.png")


def test_on_a_phone_sources_sit_under_their_answer_collapsed(phone, tmp_path: Path) -> None:
    ask(phone, "海关支持综保区发展的改革措施涉及哪几个方面？")
    answer = wait_for_answer(phone)
    assert phone.locator("#qa-sources-box").is_hidden()
    assert answer.inner_text().count("\n") >= 5  # one item per line
    sources = answer.locator(".qa-msg-sources")
    assert sources.is_visible() and sources.get_attribute("open") is None
    body, box = answer.locator(".qa-body").bounding_box(), sources.bounding_box()
    assert 0 <= box["y"] - (body["y"] + body["height"]) < 40  # right under the answer
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _screenshot(phone, tmp_path, "screenshot-phone.png")
    answer.locator("sup.qa-cite a").nth(2).click()
    phone.wait_for_function("() => document.querySelector('#qa-chat .qa-msg-sources').open", timeout=15_000)
    target = answer.locator(".qa-msg-sources .qa-src-1-3")
    target.wait_for(timeout=15_000)
    phone.wait_for_timeout(800)  # smooth scrolling
    assert target.is_visible()
