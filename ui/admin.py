"""The admin panel of the chat page: upload documents, see them with their chunk counts, delete one.

For whoever holds the API key (``QA_API_KEY``): it is typed once per browser session, checked in constant
time, and never kept: the session only remembers that it was right, and the box is emptied. Uploads go
through ``qa.http.uploads.add_upload`` and deletions through ``Pipeline.remove_documents``, the code
behind ``POST`` and ``DELETE /api/documents``, so a file indexes the same way from here, the API and
``qa index``.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import gradio as gr

from index.ingest.loaders import SUPPORTED_SUFFIXES
from qa.errors import USER_ERRORS
from qa.http.uploads import add_upload
from qa.pipeline import Pipeline
from qa.settings import Settings
from ui import icons
from ui.render import escape_text

log = logging.getLogger("ui.admin")
COLUMNS = ["doc_id", "标题 Title", "片段 Chunks", "页 Pages"]
COLUMN_WIDTHS = ["31%", "41%", "15%", "13%"]  # every column in view in the page's narrow right-hand column


class AdminPanel:
    """The panel's handlers over the same pipeline as the chat; testable without a browser."""

    def __init__(self, pipeline: Pipeline, settings: Settings) -> None:
        self.pipeline = pipeline
        self.settings = settings

    def unlock(self, key: str | None) -> tuple[Any, bool, str, Any]:
        """(key box, unlocked, message, tools visibility): the key is checked, then forgotten."""
        expected = self.settings.api_key()
        if expected is None:
            return "", False, _note("warn", f"服务器未启用写入 Writes are disabled: set {self.settings.api_key_env}"), \
                gr.update(visible=False)
        if not key or not hmac.compare_digest(key.encode(), expected.encode()):
            return "", False, _note("warn", "密钥不正确 The key is not valid"), gr.update(visible=False)
        return "", True, _note("ok", "已解锁 Unlocked"), gr.update(visible=True)

    def documents(self) -> list[list[Any]]:
        try:
            snap = self.pipeline.snapshot()
        except USER_ERRORS:
            return []
        pages: dict[str, int] = {}
        for chunk in snap.chunks.values():
            if chunk.page is not None:
                pages[chunk.doc_id] = max(pages.get(chunk.doc_id, 0), chunk.page + len(chunk.page_breaks))
        return [[d.id, d.title, d.chunks, pages.get(d.id, "")] for _, d in sorted(snap.docs.items())]

    def upload(self, unlocked: bool, files: Sequence[str] | None,
               progress: gr.Progress = gr.Progress()) -> tuple[str, list[list[Any]], Any, None]:  # noqa: B008
        """Index each uploaded file; (message, documents table, delete choices, cleared upload box)."""
        if not unlocked:
            return _note("warn", "请先输入密钥 Enter the key first"), self.documents(), gr.skip(), None
        lines = []
        for path in progress.tqdm(list(files or []), desc="indexing"):
            name = Path(path).name
            try:
                result = add_upload(self.pipeline, name, Path(path).read_bytes())
            except Exception as exc:
                if not isinstance(exc, USER_ERRORS):
                    log.exception("upload of %s failed", name)
                lines.append(("warn", f"{name}: {getattr(exc, 'message', None) or exc}"))
                continue
            docs = ", ".join(f"{d['doc_id']} ({d['chunks']} chunk{'' if d['chunks'] == 1 else 's'})"
                             for d in result["documents"])
            lines.append(("ok", f"{name}: {docs}"))
            lines.extend(("warn", e) for e in result["errors"])
        html = "".join(_note(kind, text) for kind, text in lines) or _note("warn", "没有文件 No file chosen")
        table = self.documents()
        return html, table, gr.update(choices=[row[0] for row in table], value=None), None

    def delete(self, unlocked: bool, doc_id: str | None) -> tuple[str, list[list[Any]], Any]:
        if not unlocked:
            return _note("warn", "请先输入密钥 Enter the key first"), self.documents(), gr.skip()
        if not doc_id:
            return _note("warn", "请选择文档 Choose a document"), self.documents(), gr.skip()
        try:
            self.pipeline.remove_documents([doc_id])
            message = _note("ok", f"已删除 Deleted: {doc_id}")
        except USER_ERRORS as exc:
            message = _note("warn", str(exc))
        table = self.documents()
        return message, table, gr.update(choices=[row[0] for row in table], value=None)

    def refresh(self) -> tuple[list[list[Any]], Any]:
        table = self.documents()
        return table, gr.update(choices=[row[0] for row in table])


def _note(kind: str, text: str) -> str:
    return f'<div class="qa-admin-{kind}">{icons.span("check" if kind == "ok" else "warn")} {escape_text(text)}</div>'


def build_admin(panel: AdminPanel) -> None:
    """Lay out the panel inside the current Blocks; the tools show once the key is accepted."""
    unlocked = gr.State(False)
    with gr.Accordion("管理 Admin · 上传文档 Upload documents", open=False, elem_id="qa-admin"):
        with gr.Row():
            key = gr.Textbox(type="password", label="API 密钥 API key", scale=4, elem_id="qa-admin-key")
            unlock = gr.Button("解锁 Unlock", scale=1, elem_id="qa-admin-unlock")
        status = gr.HTML("", elem_id="qa-admin-status")
        with gr.Column(visible=False) as tools:
            files = gr.File(label="文件 Files (" + " ".join(sorted(SUPPORTED_SUFFIXES)) + ")",
                            file_count="multiple", file_types=sorted(SUPPORTED_SUFFIXES), type="filepath",
                            elem_id="qa-admin-files")
            upload = gr.Button("上传并索引 Upload and index", variant="primary", elem_id="qa-admin-upload")
            table = gr.Dataframe(headers=COLUMNS, value=panel.documents, interactive=False, wrap=True,
                                 column_widths=COLUMN_WIDTHS, label="文档 Documents", elem_id="qa-admin-docs")
            with gr.Row():
                target = gr.Dropdown(choices=[row[0] for row in panel.documents()], label="文档 Document",
                                     scale=4, elem_id="qa-admin-target")
                delete = gr.Button("删除 Delete", variant="stop", scale=1, elem_id="qa-admin-delete")
    unlock.click(panel.unlock, [key], [key, unlocked, status, tools], api_visibility="private")
    key.submit(panel.unlock, [key], [key, unlocked, status, tools], api_visibility="private")
    upload.click(panel.upload, [unlocked, files], [status, table, target, files], api_visibility="private")
    delete.click(panel.delete, [unlocked, target], [status, table, target], api_visibility="private")
    unlock.click(panel.refresh, None, [table, target], api_visibility="private")
