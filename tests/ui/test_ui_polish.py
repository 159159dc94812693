"""The page's rough edges, without a browser: icons are SVG (no emoji glyph the machine may lack),
sources show text rather than Markdown syntax, each answer carries its own sources, and the queue lets
an idle server sleep."""

from __future__ import annotations

import html as html_lib
import re
import unicodedata
from pathlib import Path

import gradio as gr

from index.documents import Chunk
from qa.types import Answer, Citation, Hit
from ui import icons, render
from ui.app import HEADER, PROGRESS_POLL_S, QUEUE_POLL_S, THINKING, quiet_queue
from ui.style import CSS

UI_DIR = Path(render.__file__).parent


def _emoji(text: str) -> list[str]:
    """Characters drawn from a colour-emoji font: pictographs and the variation selector that asks for one."""
    return [c for c in text if ord(c) >= 0x1F000 or c == "\ufe0f" or 0x2600 <= ord(c) <= 0x27BF
            or unicodedata.name(c, "") in ("INFORMATION SOURCE", "HOURGLASS", "WARNING SIGN")]


def test_the_page_draws_no_emoji() -> None:
    for path in UI_DIR.glob("*.py"):
        code = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                         if not line.strip().startswith(("#", '"""')) and "👍" not in line)
        assert _emoji(code) == [], path.name
    assert "<svg" in HEADER and "qa-icon-search" in THINKING


def test_every_icon_has_a_css_mask_and_markup() -> None:
    css = icons.css()
    for name in icons.PATHS:
        assert f".qa-icon-{name} {{ --qa-icon: url(\"data:image/svg+xml," in css
        assert icons.svg(name).startswith("<svg") and 'aria-hidden="true"' in icons.svg(name)
    assert css in CSS


def _answer_on(text: str, quote: str) -> Answer:
    start = text.index(quote)
    chunk = Chunk(id="d#0", doc_id="d", title="中国国际电子商务博览会 展会信息", date=None, ordinal=0, start=0,
                  end=len(text), text=text)
    cite = Citation(n=1, doc_id="d", title=chunk.title, date=None, chunk_id=chunk.id, quote=quote,
                    start=start, end=start + len(quote))
    return Answer(answer=f"{quote}[1]", short_answer=None, abstained=False, citations=[cite],
                  sources=[Hit(chunk=chunk, score=1.0)])


def test_sources_show_text_not_markdown_syntax() -> None:
    text = "# 中国国际电子商务博览会 展会信息\n\n## 联系方式\n\n- **电话**：0579-85891888\n> 引用\n展会地点：义乌国际博览中心"
    answer = _answer_on(text, "展会地点：义乌国际博览中心")
    html = render.render_sources(answer, lambda _doc: text)
    shown = html_lib.unescape(re.sub(r"<[^>]+>", "\n", html))
    for syntax in ("#", "**", "- ", ">"):
        assert syntax not in shown, syntax
    assert "中国国际电子商务博览会 展会信息" in shown and "电话：0579-85891888" in shown
    marked = html.split('<mark data-cite="1">')[1].split("</mark>")[0]
    assert marked == render.escape_text("展会地点：义乌国际博览中心")


def test_an_answer_carries_its_own_sources_collapsed() -> None:
    answer = _answer_on("甲。展会地点：义乌国际博览中心。", "展会地点：义乌国际博览中心。")
    html = render.render_answer(answer, turn=3)
    assert '<details class="qa-msg-sources"' in html and 'class="qa-ref qa-src-3-1"' in html
    assert 'href="#qa-src-3-1"' in html
    streaming = list(render.stream_answer(answer, turn=3, step=4))
    assert all("qa-msg-sources" not in s for s in streaming[:-1]) and "qa-msg-sources" in streaming[-1]


def test_quiet_queue_slows_gradios_idle_polling() -> None:
    with gr.Blocks() as demo:
        gr.Markdown("x")
    assert demo._queue.sleep_when_free < QUEUE_POLL_S  # Gradio's default: 1 ms
    quiet_queue(demo)
    assert demo._queue.sleep_when_free == QUEUE_POLL_S
    assert demo._queue.progress_update_sleep_when_free == PROGRESS_POLL_S
