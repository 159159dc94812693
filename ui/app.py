"""The chat page that ``qa serve`` mounts at ``/``.

It calls the same ``Pipeline`` object as the HTTP API, in-process: one model and one index in memory, and
no second round trip through HTTP. The handlers live in ``ChatUI`` so tests can drive them without a
browser; ``build_ui`` only lays out components and wires events; ``ui.render`` turns answers into HTML.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from typing import Any

import gradio as gr
from fastapi import FastAPI

from qa.answering.retriever import Filters
from qa.errors import USER_ERRORS
from qa.feedback import FeedbackStore
from qa.limits import MAX_TOP_K
from qa.pipeline import Pipeline
from qa.settings import AnswerMode, Settings
from ui import icons, render
from ui.admin import AdminPanel, build_admin
from ui.style import CSS, HEAD, THEME

log = logging.getLogger("ui.app")

EXAMPLES = (
    "展会在哪里举办？",
    "展会什么时候举办？",
    "展会的客服电话是多少？",
    "综保区改革一共多少条措施？",
    "县域商业三年行动分几个阶段？",
    "抖音上新品牌怎么起量？",
    "7月份电商物流指数是多少？",
    "Where is the expo held?",
)
STREAM_DELAY_S = 0.015
THINKING = (f'<span class="qa-thinking">{icons.span("search")} 正在查找资料… <span class="qa-en">Searching the published '
            'material…</span></span>')
HEADER = """
<div id="qa-header">
  <div class="qa-logo">LOGO</div>
  <div>
    <h1>中国国际电子商务博览会 智能问答</h1>
    <div class="qa-sub">China International E-commerce Expo · Q&amp;A</div>
    <p>我可以回答展会的时间、地点和联系方式，以及展会网站上发布的政策与行业文章中的问题。
    每个回答都直接摘自这些公开资料，并用 <b>[1]</b> 这样的角标注明出处；资料里没有的内容，我会如实告诉您。<br>
    <span class="qa-en">Ask about the expo's dates, venue and contacts, or the policy and industry articles
    on its website. Answers are quoted only from that published material, with citations; if it is not
    there, the bot says so.</span></p>
  </div>
</div>
""".replace("LOGO", icons.svg("bag", size=42))

Session = dict[str, Any]
Message = dict[str, Any]


def new_session() -> Session:
    """Per-visitor state: the plain-text history handed to the pipeline for follow-up questions, and
    what each assistant message answered, so a 👍/👎 on it can be stored with its question."""
    return {"history": [], "turns": {}}


class ChatUI:
    """The page's event handlers over one pipeline and one feedback store."""

    def __init__(self, pipeline: Pipeline, settings: Settings, feedback: FeedbackStore,
                 stream_delay_s: float = STREAM_DELAY_S) -> None:
        self.pipeline = pipeline
        self.settings = settings
        self.feedback = feedback
        self.stream_delay_s = stream_delay_s

    def document_choices(self) -> list[tuple[str, str]]:
        """(label, doc id) for the "restrict to documents" picker; empty while the index cannot load."""
        try:
            docs = self.pipeline.snapshot().docs
        except USER_ERRORS:
            return []
        labelled = [(f"{info.title}（{info.date}）" if info.date else info.title, doc_id)
                    for doc_id, info in docs.items()]
        return sorted(labelled, key=lambda pair: pair[0])

    def refresh_documents(self) -> gr.Dropdown:
        """Re-read the document list on page load, so documents added through the API show up."""
        return gr.Dropdown(choices=self.document_choices())

    @staticmethod
    def filters(date_from: str | None, date_to: str | None, doc_ids: Sequence[str] | None) -> Filters | None:
        """The settings accordion as ``Filters``; a malformed date raises ``BadRequestError``."""
        f = Filters(doc_ids=tuple(doc_ids or ()), date_from=(date_from or "").strip() or None,
                    date_to=(date_to or "").strip() or None)
        return f if f.active else None

    def respond(self, message: str | None, chat: list[Message] | None, session: Session | None,
                top_k: float | None = None, date_from: str | None = None, date_to: str | None = None,
                doc_ids: Sequence[str] | None = None,
                mode: str | None = None) -> Iterator[tuple[Any, list[Message], Session, Any]]:
        """Answer one question, yielding (textbox, chat, session, sources panel) as the answer streams in."""
        chat = list(chat or [])
        session = session if session is not None else new_session()
        question = (message or "").strip()
        if question:
            chat.append({"role": "user", "content": render.escape_user(question)})
        chat.append({"role": "assistant", "content": THINKING})
        turn = len(chat) - 1
        yield "", list(chat), session, gr.skip()
        try:
            k = None if top_k is None else max(1, min(MAX_TOP_K, int(top_k)))
            asked = AnswerMode(mode) if mode else None
            args = {"history": list(session["history"]), "top_k": k,
                    "filters": self.filters(date_from, date_to, doc_ids), "mode": asked}
            if (asked or AnswerMode(self.settings.answer_mode)) is AnswerMode.LLM:
                # The model's text is shown as it is written; the checked answer then replaces it.
                answer, text = None, ""
                for item in self.pipeline.answer_stream(question, **args):
                    if isinstance(item, str):
                        text += item
                        chat[-1] = {"role": "assistant", "content": render.render_draft(text)}
                        yield gr.skip(), list(chat), session, gr.skip()
                    else:
                        answer = item
                assert answer is not None, "answer_stream ends with the answer"
                steps: Iterator[str] = iter([render.render_answer(answer, turn)])
            else:
                answer = self.pipeline.answer(question, **args)
                steps = render.stream_answer(answer, turn)
        except Exception as exc:
            if isinstance(exc, USER_ERRORS):
                html, said = render.render_error(exc), str(exc)
            else:
                log.exception("the chat UI could not answer %r", question)
                html, said = render.GENERIC_ERROR, "unexpected error"
            chat[-1] = {"role": "assistant", "content": html}
            session["turns"][turn] = {"question": question, "answer": f"[error] {said}", "citations": []}
            yield gr.skip(), list(chat), session, gr.skip()
            return
        for html in steps:
            chat[-1] = {"role": "assistant", "content": html}
            yield gr.skip(), list(chat), session, gr.skip()
            if self.stream_delay_s:
                time.sleep(self.stream_delay_s)
        session["history"] += [{"role": "user", "content": question},
                               {"role": "assistant", "content": answer.answer}]
        session["turns"][turn] = {"question": question, "answer": answer.answer,
                                  "citations": [asdict(c) for c in answer.citations]}
        yield gr.skip(), list(chat), session, render.render_sources(answer, self._document_text, turn,
                                                                    self.pipeline.store.document_pages)

    def _document_text(self, doc_id: str) -> str:
        return self.pipeline.store.document_text(doc_id)

    def like(self, session: Session | None, data: gr.LikeData) -> None:
        """Store a 👍 (+1) or 👎 (−1) on a reply. Abstentions and error messages are rated too: a 👎 on
        "not found" is how reviewers learn what the material should have answered. Taking a rating back
        stores nothing."""
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        turn = (session or {}).get("turns", {}).get(index)
        if turn is None or not isinstance(data.liked, bool):
            return
        try:
            self.feedback.add(turn["question"], turn["answer"], turn["citations"], 1 if data.liked else -1)
        except Exception:
            log.exception("could not store feedback")
            gr.Warning("反馈没有保存成功，请稍后再试。Feedback could not be saved.")
            return
        gr.Info("感谢您的反馈！Thanks for the feedback.", duration=3)

    @staticmethod
    def new_chat() -> tuple[str, list[Message], Session, str]:
        """Start over: empty chat, no history for follow-ups, empty sources panel."""
        return "", [], new_session(), render.render_sources(None)


def build_ui(ui: ChatUI) -> gr.Blocks:
    """Lay out the page and wire its events to ``ui``."""
    top_k_default = max(1, min(MAX_TOP_K, ui.settings.top_k))
    with gr.Blocks(title="中国国际电子商务博览会 智能问答 · Expo Q&A") as demo:
        gr.HTML(HEADER, js_on_load=None)
        session = gr.State(new_session())
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=380):
                chat = gr.Chatbot(
                    # no floating label: it sat over the first message once the chat scrolled
                    label="对话 Chat", show_label=False, elem_id="qa-chat", height=540, layout="bubble",
                    sanitize_html=True, render_markdown=True, latex_delimiters=[], allow_tags=False,
                    feedback_options=("Like", "Dislike"), buttons=[],
                    placeholder="<b>您好！</b>请在下方输入问题，或点击示例问题。<br>"
                                "<span class='qa-en'>Hello! Type a question below or pick an example.</span>")
                with gr.Row(equal_height=True):
                    msg = gr.Textbox(placeholder="输入您的问题，例如：展会在哪里举办？ · Ask a question…",
                                     show_label=False, scale=6, max_lines=4, autofocus=True, elem_id="qa-input")
                    send = gr.Button("发送 Send", variant="primary", scale=1, min_width=90, elem_id="qa-send")
                    clear = gr.Button("新对话 New chat", scale=1, min_width=160, elem_id="qa-new",
                                      elem_classes=["qa-icon-before", "qa-icon-plus"])
                gr.HTML('<p class="qa-hint">试试这些问题 · Try asking:</p>', js_on_load=None)
                with gr.Row(elem_id="qa-examples"):
                    examples = [gr.Button(q, size="sm", elem_classes=["qa-example"]) for q in EXAMPLES]
                with gr.Accordion("检索设置 Search settings", open=False, elem_id="qa-settings",
                                  elem_classes=["qa-icon-settings"]):
                    top_k = gr.Slider(1, MAX_TOP_K, value=top_k_default, step=1,
                                      label="检索片段数 Passages retrieved (top_k)")
                    with gr.Row():
                        date_from = gr.Textbox(label="起始日期 From (YYYY-MM-DD)", placeholder="例如 e.g. 2023-08-01")
                        date_to = gr.Textbox(label="截止日期 To (YYYY-MM-DD)", placeholder="例如 e.g. 2023-08-31")
                    docs = gr.Dropdown(choices=ui.document_choices(), multiselect=True, value=[],
                                       label="仅在这些文档中查找 Only search these documents")
                    # Only offered when an LLM server is configured (QA_LLM_BASE_URL).
                    mode = gr.Radio([("摘录 Extractive", "extractive"), ("大模型 LLM", "llm")],
                                    value=ui.settings.answer_mode.value, label="回答方式 Answer mode",
                                    visible=bool(ui.settings.llm_base_url), elem_id="qa-mode")
            with gr.Column(scale=2, min_width=320, elem_id="qa-sources-box"):
                gr.HTML(f"<h3>{icons.svg('sources')} 引用来源 <span class='qa-en'>Sources</span></h3>", js_on_load=None)
                sources = gr.HTML(render.render_sources(None), js_on_load=None, elem_id="qa-sources")

                build_admin(AdminPanel(ui.pipeline, ui.settings))
        inputs = [chat, session, top_k, date_from, date_to, docs, mode]
        outputs = [msg, chat, session, sources]
        msg.submit(ui.respond, [msg, *inputs], outputs, api_visibility="private")
        send.click(ui.respond, [msg, *inputs], outputs, api_visibility="private")
        for button in examples:
            button.click(ui.respond, [button, *inputs], outputs, api_visibility="private")
        chat.like(ui.like, [session], None, api_visibility="private")
        for event in (clear.click, chat.clear):
            event(ui.new_chat, None, [msg, chat, session, sources], queue=False, api_visibility="private")
        demo.load(ui.refresh_documents, None, docs, queue=False, api_visibility="private")
    return demo


QUEUE_POLL_S = 0.05
PROGRESS_POLL_S = 0.5


def quiet_queue(demo: gr.Blocks) -> None:
    """Let an idle server sleep. Gradio's queue looks for new events every millisecond and for progress
    updates every 10 ms while it has nothing to do, which keeps an idle ``qa serve`` at 4-9 % of a core;
    every 50 ms (an answer takes longer than that to read) and every 0.5 s (the page shows no progress
    bars) bring it under 1 % (``bench/idle_cpu.py``). The attributes are Gradio's own, set on this page's
    queue only; ``tests/ui/test_ui.py`` fails if a Gradio release renames them."""
    queue = demo._queue
    for name, value in (("sleep_when_free", QUEUE_POLL_S), ("progress_update_sleep_when_free", PROGRESS_POLL_S)):
        if not hasattr(queue, name):
            raise AttributeError(f"gradio's Queue has no {name!r} any more: see ui.app.quiet_queue")
        setattr(queue, name, value)


def mount_ui(app: FastAPI, pipeline: Pipeline, settings: Settings) -> FastAPI:
    """Mount the chat page at ``/`` of ``app`` (the API's routes, registered earlier, take precedence).

    Ratings go to ``<data dir>/feedback.sqlite``, where ``qa feedback export`` reads them.
    """
    ui = ChatUI(pipeline, settings, FeedbackStore(settings.data_dir / "feedback.sqlite"))
    demo = build_ui(ui)
    quiet_queue(demo)
    return gr.mount_gradio_app(app, demo, path="/", theme=THEME, css=CSS, head=HEAD,
                               footer_links=["settings"], show_error=False)
