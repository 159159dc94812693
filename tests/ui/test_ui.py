"""The chat page's pure parts: rendering (with escaping) and the event handlers, over the fake embedder."""

from __future__ import annotations

import logging
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import gradio as gr
import pytest
from fastapi.testclient import TestClient

from index.documents import Chunk
from qa.errors import BadRequestError, IndexMissingError
from qa.feedback import FeedbackStore
from qa.pipeline import Pipeline
from qa.types import Answer, Citation, Hit
from ui import render
from ui.app import ChatUI, build_ui, new_session

EVIL = '<script>window.__xss=1</script><img src=x onerror="window.__xss=1"><a href="javascript:window.__xss=1">x</a>'
MD_EVIL = "[点我](javascript:alert(1)) ![i](http://x/y.png) **粗** $x$ https://evil.example/"
SAFE_TAGS = {"div", "b", "span", "sup", "a", "br", "mark", "blockquote", "details", "summary", "ul", "li"}


class _Markup(HTMLParser):
    """Collects every tag and attribute, to prove that only the renderer's own markup is there."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text += data


def parse(html: str) -> _Markup:
    p = _Markup()
    p.feed(html)
    p.close()
    return p


def assert_only_own_markup(html: str) -> _Markup:
    p = parse(html)
    for tag, attrs in p.tags:
        assert tag in SAFE_TAGS, tag
        assert not any(name.startswith("on") for name in attrs), attrs
        href = attrs.get("href")
        assert href is None or href == "#" or href.startswith("#qa-src-"), href
    for raw in ("<script", "<img", "javascript:", "](", "**", "$x$", "https://"):
        assert raw not in html
    return p


@pytest.fixture
def pipe(indexed_hash_pipeline) -> Pipeline:
    return indexed_hash_pipeline


@pytest.fixture
def ui(pipe, settings) -> ChatUI:
    return ChatUI(pipe, settings, FeedbackStore(settings.data_dir / "feedback.sqlite"), stream_delay_s=0)


def evil_answer() -> Answer:
    text = f"前言{EVIL}{MD_EVIL}"
    chunk = Chunk(id="evil#1", doc_id="evil", title=f"标题{EVIL}", date="2024-01-01", ordinal=0, start=5,
                  end=5 + len(text) + 4, text=f"开头。{text}。")
    cite = Citation(n=1, doc_id="evil", title=chunk.title, date=chunk.date, chunk_id=chunk.id, quote=text,
                    start=8, end=8 + len(text))
    return Answer(answer=f"{text}[1][7]", short_answer=f"简{EVIL}", abstained=False, citations=[cite],
                  sources=[Hit(chunk=chunk, score=1.0)])


def run(ui: ChatUI, question: str, chat=None, session=None, **kw):
    steps = list(ui.respond(question, chat, session, **kw))
    _, chat, session, sources = steps[-1]
    return steps, chat, session, sources


# -- rendering ----------------------------------------------------------------------------------------

def test_escape_text_neutralises_html_markdown_and_latex() -> None:
    out = render.escape_text(EVIL + MD_EVIL + "\n第二行")
    assert_only_own_markup(out)
    assert parse(out).text == EVIL + MD_EVIL + "第二行"  # the browser shows the original characters
    assert out.endswith("<br>第二行")


def test_answer_has_short_answer_first_and_linked_markers(pipe) -> None:
    answer = pipe.answer("展会在哪里举办？")
    html = render.render_answer(answer)
    p = assert_only_own_markup(html)
    assert html.startswith('<div class="qa-short"><b>简答')
    assert "义乌国际博览中心" in p.text.split("Short answer")[1].split("展会地点")[0]
    links = [a for tag, a in p.tags if tag == "a"]
    assert [a["href"] for a in links] == [f"#qa-src-0-{c.n}" for c in answer.citations]
    assert answer.citations[0].quote in links[0]["title"]
    assert "[1]" in p.text


def test_malicious_document_text_is_escaped_everywhere() -> None:
    answer = evil_answer()
    for html in [render.render_answer(answer), render.render_sources(answer, lambda _: "全文" + EVIL),
                 *render.stream_answer(answer)]:
        p = assert_only_own_markup(html)
        assert "window.__xss=1" in p.text
    assert "[7]" in parse(render.render_answer(answer)).text  # a marker with no citation stays plain text


def test_english_answer_does_not_repeat_the_short_answer(pipe) -> None:
    answer = pipe.answer("Where is the expo held?")
    html = render.render_answer(answer).split('<details class="qa-msg-sources"')[0]  # without its sources
    lead = f"Short answer: {answer.short_answer}. "
    assert answer.answer.startswith(lead)
    body = answer.answer[len(lead):]
    assert parse(html).text.count(answer.short_answer) == 1 + body.count(answer.short_answer)


def test_streaming_reveals_prefixes_without_cutting_markers(pipe) -> None:
    answer = pipe.answer("县域商业三年行动分几个阶段？")
    steps = list(render.stream_answer(answer, step=5))
    assert len(steps) > 5
    assert steps[-1] == render.render_answer(answer)
    texts = [parse(s).text.replace("▍", "") for s in steps]
    assert all(a != b and b.startswith(a[: len(a) - 1]) for a, b in pairwise(texts))
    for s in steps:
        assert_only_own_markup(s)
        assert s.count("[") == s.count("]")


def test_stream_cuts_end_at_the_full_length() -> None:
    assert list(render.stream_cuts("ab[12]cd", step=3)) == [6, 8]
    assert list(render.stream_cuts("", step=3)) == [0]


def test_abstention_is_a_neutral_notice_with_suggestions() -> None:
    answer = Answer(answer="抱歉，资料中没有找到相关信息。", short_answer=None, abstained=True,
                    suggestions=["新品牌如何抓住抖音电商流量", f"坏{EVIL}"])
    html = render.render_answer(answer)
    p = assert_only_own_markup(html)
    assert 'class="qa-info"' in html and "qa-warn" not in html
    assert "抱歉，资料中没有找到相关信息。" in p.text and "点击即可提问" in p.text
    assert 'class="qa-icon qa-icon-info"' in html and "ℹ" not in html  # an SVG icon, not an emoji
    assert [t for t, _ in p.tags].count("li") == 2
    links = [a for t, a in p.tags if t == "a"]
    assert [a["class"] for a in links] == ["qa-suggestion"] * 2 and links[0]["href"] == "#"
    assert links[0]["title"] == "《新品牌如何抓住抖音电商流量》主要讲了什么？"
    assert "没有引用" in render.render_sources(answer)


def test_errors_are_friendly_warnings() -> None:
    html = render.render_error(BadRequestError(f"the question is empty {EVIL}"))
    p = assert_only_own_markup(html)
    assert 'class="qa-warn"' in html and "请检查" in p.text and "the question is empty" in p.text
    assert "资料库尚未建立" in render.render_error(IndexMissingError("run `qa index`"))


def test_sources_panel_marks_quotes_and_offers_the_whole_document(pipe) -> None:
    answer = pipe.answer("展会在哪里举办？")
    html = render.render_sources(answer, pipe.store.document_text)
    p = assert_only_own_markup(html)
    assert 'data-doc="expo-info"' in html and "中国国际电子商务博览会 展会信息" in p.text
    assert 'class="qa-ref qa-src-0-1"' in html
    marked = html.split('<mark data-cite="1">')[1].split("</mark>")[0]
    assert parse(marked).text == answer.citations[0].quote
    assert "<details" in html and "<summary>阅读全文" in html
    assert html.count('<mark data-cite="1">') == 2  # in its chunk and in the whole document
    assert "引用的资料会显示在这里" in render.render_sources(None)


def test_sources_panel_groups_citations_by_document(pipe) -> None:
    answer = pipe.answer("县域商业三年行动分几个阶段？")
    html = render.render_sources(answer, pipe.store.document_text)
    assert len(answer.citations) > 1
    assert html.count('class="qa-doc"') == len({c.doc_id for c in answer.citations})
    for c in answer.citations:
        assert f'class="qa-ref qa-src-0-{c.n}"' in html


# -- handlers -----------------------------------------------------------------------------------------

def test_respond_streams_and_fills_the_sources_panel(ui: ChatUI) -> None:
    steps, chat, session, sources = run(ui, "展会在哪里举办？")
    assert len(steps) > 2
    assert steps[0][0] == "" and "正在查找资料" in steps[0][1][-1]["content"]
    assert [m["role"] for m in chat] == ["user", "assistant"]
    assert "义乌国际博览中心" in chat[1]["content"] and "qa-cite" in chat[1]["content"]
    assert 'data-doc="expo-info"' in sources
    assert session["history"][0] == {"role": "user", "content": "展会在哪里举办？"}
    assert session["turns"][1]["citations"][0]["doc_id"] == "expo-info"


def test_follow_up_passes_the_history(ui: ChatUI, monkeypatch: pytest.MonkeyPatch) -> None:
    _, chat, session, _ = run(ui, "展会在哪里举办？")
    seen = {}
    real = ui.pipeline.answer

    def spy(question, history=None, **kw):
        seen["history"] = history
        return real(question, history=history, **kw)

    monkeypatch.setattr(ui.pipeline, "answer", spy)
    _, chat, session, sources = run(ui, "那客服电话呢？", chat, session)
    assert seen["history"][0]["content"] == "展会在哪里举办？" and seen["history"][1]["role"] == "assistant"
    assert len(chat) == 4 and set(session["turns"]) == {1, 3}
    assert 'href="#qa-src-1-1"' in chat[1]["content"] and 'href="#qa-src-3-1"' in chat[3]["content"]
    assert "qa-src-3-1" in sources and "qa-src-1-" not in sources  # the panel shows the latest answer
    # each answer carries its own sources, so its [n] can show them later
    assert 'class="qa-ref qa-src-1-1"' in chat[1]["content"] and 'class="qa-ref qa-src-3-1"' in chat[3]["content"]


def test_settings_restrict_the_search(ui: ChatUI) -> None:
    _, chat, _, sources = run(ui, "抖音上新品牌怎么起量？", top_k=3, doc_ids=["douyin-new-brands"])
    assert 'data-doc="douyin-new-brands"' in sources and sources.count('class="qa-doc"') == 1
    _, chat, _, _ = run(ui, "抖音上新品牌怎么起量？", date_from="2030-01-01")
    assert "qa-info" in chat[-1]["content"]
    _, chat, session, _ = run(ui, "抖音上新品牌怎么起量？", date_from="8月1日")
    assert "qa-warn" in chat[-1]["content"] and "date_from" in parse(chat[-1]["content"]).text
    assert session["history"] == [] and session["turns"][1]["answer"].startswith("[error] date_from")


def test_empty_question_is_a_friendly_message(ui: ChatUI) -> None:
    _, chat, _, sources = run(ui, "   ")
    assert [m["role"] for m in chat] == ["assistant"]
    assert "qa-warn" in chat[0]["content"] and "empty" in chat[0]["content"]
    assert not isinstance(sources, str)  # the sources panel keeps showing the last answer's sources


def test_missing_index_is_a_friendly_message(hash_pipeline, settings) -> None:
    ui = ChatUI(hash_pipeline, settings, FeedbackStore(settings.data_dir / "feedback.sqlite"), stream_delay_s=0)
    _, chat, _, _ = run(ui, "展会在哪里举办？")
    assert "资料库尚未建立" in chat[-1]["content"]
    assert ui.document_choices() == []


def test_unexpected_errors_are_logged_not_shown(ui: ChatUI, monkeypatch: pytest.MonkeyPatch,
                                                caplog: pytest.LogCaptureFixture) -> None:
    def boom(*a, **kw):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(ui.pipeline, "answer", boom)
    with caplog.at_level(logging.ERROR, logger="ui.app"):
        _, chat, _, _ = run(ui, "展会在哪里举办？")
    assert chat[-1]["content"] == render.GENERIC_ERROR
    assert "secret internals" not in str(chat)
    assert "secret internals" in caplog.text


def test_like_and_dislike_are_stored(ui: ChatUI) -> None:
    _, chat, session, _ = run(ui, "展会的客服电话是多少？")
    ui.like(session, gr.LikeData(None, {"index": 1, "value": chat[1]["content"], "liked": True}))
    ui.like(session, gr.LikeData(None, {"index": 1, "value": chat[1]["content"], "liked": False}))
    ui.like(session, gr.LikeData(None, {"index": 1, "value": chat[1]["content"], "liked": ""}))  # taken back
    ui.like(session, gr.LikeData(None, {"index": 7, "value": "", "liked": True}))  # no such reply
    _, chat, session, _ = run(ui, "", chat, session)
    ui.like(session, gr.LikeData(None, {"index": 2, "value": chat[2]["content"], "liked": False}))
    records = ui.feedback.records()
    assert [r.rating for r in records] == [1, -1, -1]
    assert records[2].question == "" and records[2].answer.startswith("[error] the question is empty")
    assert records[0].question == "展会的客服电话是多少？" and "0579-85891888" in records[0].answer
    assert records[0].citations[0]["doc_id"] == "expo-info"


def test_new_chat_clears_everything(ui: ChatUI) -> None:
    msg, chat, session, sources = ui.new_chat()
    assert (msg, chat, session) == ("", [], new_session())
    assert "引用的资料会显示在这里" in sources


def test_document_choices_name_every_document(ui: ChatUI) -> None:
    choices = dict(ui.document_choices())
    assert len(choices) == 7
    assert choices["中国国际电子商务博览会 展会信息"] == "expo-info"
    assert any(label.startswith("新品牌如何抓住抖音电商流量（2023-08-15") for label in choices)


def test_the_page_is_served_next_to_the_api(pipe, settings) -> None:
    from qa.cli.main import build_app

    assert isinstance(build_ui(ChatUI(pipe, settings, FeedbackStore(Path(settings.data_dir) / "f.sqlite"))),
                      gr.Blocks)
    with TestClient(build_app(pipe, settings)) as client:
        page = client.get("/")
        assert page.status_code == 200 and "gradio" in page.text.lower()
        assert "中国国际电子商务博览会 智能问答" in client.get("/config").text
        assert client.get("/healthz").json()["documents"] == 7
