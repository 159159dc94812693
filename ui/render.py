"""Answers, sources and errors as the HTML the chat shows: pure functions, no Gradio.

Everything that comes from a document (answer sentences are quoted from documents, titles, chunks) or
from the visitor goes through ``escape_text`` before it meets markup. It turns HTML's special characters
*and* all ASCII punctuation into numeric character references, so the text can be neither HTML (no tags,
no attribute breakout) nor Markdown (no links, emphasis or autolinks: the Chatbot renders Markdown before
it sanitizes HTML) nor LaTeX; the browser still shows the original characters.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import re
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from qa.errors import (
    USER_ERRORS,
    BadRequestError,
    IndexMismatchError,
    IndexMissingError,
    ModelError,
    NotFoundError,
)
from qa.types import Answer, Citation, Hit
from ui import icons

_PUNCT = {ord(c): f"&#{ord(c)};" for c in string.punctuation}
_MARKER = re.compile(r"\[(\d+)\]")
ABSTAIN_LEAD = "抱歉，资料中没有找到相关信息。"
ABSTAIN_LEAD_EN = "Sorry, the published material does not answer this."
GENERIC_ERROR = icons.span("warn") + " 抱歉，系统出了点问题，请稍后再试。<br><span class=\"qa-en\">Sorry, something went wrong on our " \
                "side; please try again.</span>"


def escape_text(text: str) -> str:
    """Text safe to place inside HTML elements, attribute values and Markdown; newlines become ``<br>``."""
    return text.replace("\r\n", "\n").translate(_PUNCT).replace("\n", "<br>")


def anchor_id(turn: int, n: int) -> str:
    """The class naming citation ``n`` of answer ``turn`` in a sources list, where its marker links to.

    A class, not an id: the same sources appear in the side panel and inside the answer's message (and
    the chat's sanitizer keeps classes only). The turn is part of it so that an earlier answer's ``[1]``
    finds that answer's first source, not the latest answer's.
    """
    return f"qa-src-{turn}-{n}"


def marker(citation: Citation, turn: int = 0) -> str:
    """A superscript ``[n]`` linking to its source; hovering shows the cited title and quote."""
    tip = escape_text(f"{citation.title}：{citation.quote}").replace("<br>", " ")
    return (f'<sup class="qa-cite"><a href="#{anchor_id(turn, citation.n)}" title="{tip}">'
            f'[{citation.n}]</a></sup>')


def _answer_body(answer: Answer) -> str:
    """The answer text without the English lead that only repeats the short answer shown above it."""
    text = answer.answer
    lead = f"Short answer: {answer.short_answer}. "
    return text[len(lead):] if answer.short_answer and text.startswith(lead) else text


def stream_cuts(text: str, step: int = 6) -> Iterator[int]:
    """Prefix lengths to reveal ``text`` in, never cutting through a ``[n]`` marker; ends with ``len(text)``."""
    spans = [(m.start(), m.end()) for m in _MARKER.finditer(text)]
    pos = 0
    while pos < len(text):
        pos = min(pos + step, len(text))
        for start, end in spans:
            if start < pos < end:
                pos = end
                break
        yield pos
    if not text:
        yield 0


def stream_answer(answer: Answer, turn: int = 0, step: int = 6) -> Iterator[str]:
    """Progressively longer renderings of ``answer``, the last one complete: the answer is composed at
    once, but revealing it in pieces lets the visitor start reading at the top while the rest arrives."""
    if answer.abstained:
        yield render_abstention(answer)
        return
    body = _answer_body(answer)
    for cut in stream_cuts(body, step):
        if cut < len(body):
            yield render_answer(answer, turn, upto=cut)
    yield render_answer(answer, turn)


def render_draft(text: str) -> str:
    """A language model's answer as it is being written: plain text (its ``[n]`` markers become links
    once the answer is checked and its citations are known) and a caret."""
    return f'<div class="qa-body">{escape_text(text.lstrip())}<span class="qa-caret">▍</span></div>'


def render_answer(answer: Answer, turn: int = 0, upto: int | None = None) -> str:
    """The chat message for an answer: the short answer first, then the cited sentences with markers,
    then (once complete) the answer's own sources, collapsed.

    ``upto`` reveals only a prefix of the sentences, for streaming; the short answer shows from the start.
    The sources travel with the message so that, however many answers later, its ``[n]`` can still show
    them: on a phone they open right under the answer; on a wide screen the page script moves them into
    the sources panel, where they are hidden in the message itself.
    """
    if answer.abstained:
        return render_abstention(answer)
    by_n = {c.n: c for c in answer.citations}
    body = _answer_body(answer)
    shown = body if upto is None else body[:upto]
    parts: list[str] = []
    pos = 0
    for m in _MARKER.finditer(shown):
        citation = by_n.get(int(m.group(1)))
        if citation is None:
            continue
        parts.append(escape_text(shown[pos:m.start()]))
        parts.append(marker(citation, turn))
        pos = m.end()
    parts.append(escape_text(shown[pos:]))
    html = ""
    if answer.short_answer:
        html += (f'<div class="qa-short"><b>简答 <span class="qa-en">Short answer</span>：</b>'
                 f"{escape_text(answer.short_answer)}</div>")
    html += f'<div class="qa-body">{"".join(parts)}'
    if upto is not None and upto < len(body):
        return html + '<span class="qa-caret">▍</span></div>'
    return html + "</div>" + message_sources(answer, turn)


def message_sources(answer: Answer, turn: int) -> str:
    """An answer's sources inside its message, collapsed under a summary that counts them."""
    if not answer.citations:
        return ""
    docs = len({c.doc_id for c in answer.citations})
    return (f'<details class="qa-msg-sources" data-turn="{turn}"><summary>{icons.span("sources")} 引用来源 '
            f'<span class="qa-en">Sources</span> ({docs})</summary>{render_sources(answer, None, turn)}</details>')


def render_abstention(answer: Answer) -> str:
    """A neutral notice, not an error: nothing in the material answers, and where one might look instead."""
    html = (f'<div class="qa-info">{icons.span("info")} {ABSTAIN_LEAD}<br>'
            f'<span class="qa-en">{ABSTAIN_LEAD_EN}</span>')
    if answer.abstain_reason is not None:
        r = answer.abstain_reason
        html += (f'<div class="qa-reason">{escape_text(r.message)} '
                 f'<span class="qa-en">{escape_text(r.message_en)}</span></div>')
    if answer.suggestions:
        # the question rides in the title (the chat's sanitizer keeps no data-* attributes): the tooltip
        # says what a click asks, and the page script asks it
        items = "".join(f'<li><a href="#" class="qa-suggestion" title="{escape_text(suggested_question(t))}">'
                        f'{icons.span("ask")} {escape_text(t)}</a></li>' for t in answer.suggestions)
        html += (f'<div class="qa-suggest">这些文档可能相关，点击即可提问 <span class="qa-en">These documents may help; '
                 f'click one to ask about it</span>：<ul>{items}</ul></div>')
    return html + "</div>"


def suggested_question(title: str) -> str:
    """What clicking a suggested document asks."""
    return f"《{title}》主要讲了什么？"


_ERROR_LEADS: list[tuple[type[Exception], str]] = [
    (BadRequestError, "请检查您的输入 <span class=\"qa-en\">Please check your input</span>"),
    (IndexMissingError, "资料库尚未建立 <span class=\"qa-en\">The document index is not built yet</span>"),
    (IndexMismatchError, "资料库需要重建 <span class=\"qa-en\">The document index needs rebuilding</span>"),
    (ModelError, "检索模型暂时不可用 <span class=\"qa-en\">The search model is not available</span>"),
    (NotFoundError, "没有找到该文档 <span class=\"qa-en\">Document not found</span>"),
]


def render_error(error: Exception) -> str:
    """A friendly warning in the chat: what kind of problem it is, then the error's own user-facing message."""
    lead = next((text for cls, text in _ERROR_LEADS if isinstance(error, cls)),
                "请求没有完成 <span class=\"qa-en\">The request could not be completed</span>")
    return f'<div class="qa-warn">{icons.span("warn")} {lead}<br><span class="qa-detail">{escape_text(str(error))}</span></div>'


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    n: int


_MARKUP = re.compile(r"(?m)^[ \t]*#{1,6}[ \t]+|^[ \t]*>[ \t]?|\*\*|__|^[ \t]*(?:[-*+])[ \t]+(?=\S)")


def _markup_chars(text: str) -> set[int]:
    """Positions of Markdown syntax in a document's text (heading hashes, quote marks, bold markers,
    bullets): the reader sees the words, not the syntax they were written in."""
    return {i for m in _MARKUP.finditer(text) for i in range(m.start(), m.end())}


def _plain(text: str, start: int, end: int, markup: set[int]) -> str:
    """``text[start:end]`` without its Markdown syntax, escaped."""
    return escape_text("".join(c for i, c in enumerate(text[start:end], start) if i not in markup))


def _mark(text: str, spans: list[_Span], anchor_turn: int | None = None) -> str:
    """``text`` escaped and without Markdown syntax, with each span wrapped in ``<mark>`` (overlapping spans
    merge into the first).

    With ``anchor_turn`` each mark is followed by its ``[n]``, the target of that answer's marker ``[n]``.
    """
    markup = _markup_chars(text)
    out, pos = [], 0
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        label = ("" if anchor_turn is None else
                 f'<sup class="qa-ref {anchor_id(anchor_turn, span.n)}">[{span.n}]</sup>')
        start, end = max(span.start, pos), min(span.end, len(text))
        if start >= end:
            out.append(label)
            continue
        out.append(_plain(text, pos, start, markup))
        out.append(f'<mark data-cite="{span.n}">{_plain(text, start, end, markup)}</mark>{label}')
        pos = end
    out.append(_plain(text, pos, len(text), markup))
    return "".join(out)


def _chunk_span(citation: Citation, chunk_text: str, chunk_start: int) -> _Span:
    """Where the quote sits in its chunk: by the document offsets, or by searching when they disagree."""
    start = citation.start - chunk_start
    if chunk_text[start:start + len(citation.quote)] != citation.quote:
        start = chunk_text.find(citation.quote)
        if start < 0:
            return _Span(0, 0, citation.n)
    return _Span(start, start + len(citation.quote), citation.n)


def page_label(citation: Citation) -> str:
    """Where a quote is in its document: "title › section", and "第 3 页 / p. 3" for a paged one."""
    parts = [f"› {citation.section}" if citation.section else "",
             f"第 {citation.page} 页 / p. {citation.page}" if citation.page else ""]
    return " · ".join(p for p in parts if p)


def page_anchor(turn: int, doc_id: str, page: int) -> str:
    return f"qa-page-{turn}-{hashlib.sha1(doc_id.encode()).hexdigest()[:8]}-{page}"


def render_sources(answer: Answer | None, document_text: Callable[[str], str] | None = None,
                   turn: int = 0, document_pages: Callable[[str], tuple[int, ...]] | None = None) -> str:
    """The sources panel: each cited document once, its cited chunks with the quotes marked, and the
    whole document (quotes marked too) behind an expander."""
    if answer is None:
        return ('<div class="qa-sources qa-empty">引用的资料会显示在这里。<br>'
                '<span class="qa-en">The documents an answer cites appear here.</span></div>')
    if answer.abstained or not answer.citations:
        return ('<div class="qa-sources qa-empty">这次没有引用任何资料。<br>'
                '<span class="qa-en">No sources were cited for this answer.</span></div>')
    chunks: dict[str, Hit] = {h.chunk.id: h for h in answer.sources}
    docs: dict[str, list[Citation]] = {}
    for c in answer.citations:
        docs.setdefault(c.doc_id, []).append(c)
    entries = []
    for doc_id, cites in docs.items():
        first = cites[0]
        date = f'<span class="qa-date">{escape_text(first.date)}</span>' if first.date else ""
        badges = "".join(f'<span class="qa-badge">[{c.n}]</span>' for c in cites)
        pages = "".join(
            f'<a class="qa-page-link" href="#{page_anchor(turn, doc_id, c.page)}">[{c.n}] {escape_text(page_label(c))}</a>'
            if c.page else f'<span class="qa-section">[{c.n}] {escape_text(page_label(c))}</span>'
            for c in cites if c.page or c.section)
        html = (f'<div class="qa-doc" data-doc="{html_lib.escape(doc_id)}"><div class="qa-doc-head">{badges}'
                f'<span class="qa-title">{escape_text(first.title)}</span>{date}</div>'
                + (f'<div class="qa-where">{pages}</div>' if pages else ""))
        by_chunk: dict[str, list[Citation]] = {}
        for c in cites:
            by_chunk.setdefault(c.chunk_id, []).append(c)
        for chunk_id, chunk_cites in by_chunk.items():
            hit = chunks.get(chunk_id)
            if hit is None:
                quotes = "".join(_mark(c.quote, [_Span(0, len(c.quote), c.n)], turn) + " "
                                 for c in chunk_cites)
                html += f'<blockquote class="qa-chunk">{quotes}</blockquote>'
                continue
            spans = [_chunk_span(c, hit.chunk.text, hit.chunk.start) for c in chunk_cites]
            html += f'<blockquote class="qa-chunk">{_mark(hit.chunk.text, spans, turn)}</blockquote>'
        if document_text is not None:
            html += _full_document(doc_id, cites, document_text, turn, document_pages)
        entries.append(html + "</div>")
    return '<div class="qa-sources">' + "".join(entries) + "</div>"


def _full_document(doc_id: str, cites: list[Citation], document_text: Callable[[str], str], turn: int = 0,
                   document_pages: Callable[[str], tuple[int, ...]] | None = None) -> str:
    """The whole document behind an expander, quotes marked; a paged document shows where each page
    starts, with an anchor the citation's page link opens (the browser expands the details to show it)."""
    try:
        text = document_text(doc_id)
        pages = document_pages(doc_id) if document_pages is not None else ()
    except USER_ERRORS:
        return ""
    spans = [_Span(c.start, c.end, c.n) for c in cites if text[c.start:c.end] == c.quote]
    bounds = list(pages) + [len(text)]
    body = "".join(
        f'<span class="qa-page" id="{page_anchor(turn, doc_id, n)}">— 第 {n} 页 / p. {n} —</span><br>'
        + _mark(text[start:bounds[n]], [_Span(s.start - start, s.end - start, s.n) for s in spans
                                        if start <= s.start < bounds[n]])
        for n, start in enumerate(pages, start=1)) if pages else _mark(text, spans)
    return (f'<details class="qa-full"><summary>阅读全文 <span class="qa-en">Read the whole document</span>'
            f'</summary><div class="qa-fulltext">{body}</div></details>')


def escape_user(text: str) -> str:
    """The visitor's own question as shown in the chat: escaped like document text."""
    return escape_text(text.strip())
