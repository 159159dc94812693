"""The page's look (theme, CSS) and its one piece of behaviour Gradio does not provide: a citation
marker scrolls the sources panel to its entry instead of following the link."""

from __future__ import annotations

import gradio as gr

THEME = gr.themes.Soft(
    primary_hue="red", secondary_hue="orange", neutral_hue="slate",
    font=["Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "system-ui", "sans-serif"],
)

CSS = """
.gradio-container { max-width: 1280px !important; margin: 0 auto !important; }
#qa-header { display: flex; gap: 18px; align-items: center; padding: 18px 22px; border-radius: 14px;
  background: linear-gradient(120deg, #b91c1c 0%, #dc2626 55%, #f97316 100%); color: #fff; }
#qa-header .qa-logo { font-size: 42px; line-height: 1; }
#qa-header h1 { margin: 0; font-size: 26px; font-weight: 700; color: #fff; letter-spacing: .02em; }
#qa-header .qa-sub { margin: 2px 0 8px; font-size: 15px; opacity: .9; }
#qa-header p { margin: 0; font-size: 14px; line-height: 1.6; color: #fff7ed; }
#qa-header .qa-en { color: #fed7aa; }
.qa-en { color: var(--body-text-color-subdued); font-size: .92em; }
.qa-short { padding: 6px 10px; margin-bottom: 8px; border-left: 4px solid #dc2626; border-radius: 6px;
  background: #fef2f2; color: #7f1d1d; font-size: 1.05em; }
.qa-short .qa-en { color: #991b1b; }
.qa-body { line-height: 1.75; }
.qa-caret { color: #dc2626; animation: qa-blink 1s steps(1) infinite; }
@keyframes qa-blink { 50% { opacity: 0; } }
sup.qa-cite { font-size: .72em; margin: 0 1px; }
sup.qa-cite a { color: #b91c1c !important; text-decoration: none !important; font-weight: 600; cursor: pointer; }
sup.qa-cite a:hover { text-decoration: underline !important; }
.qa-info { padding: 8px 12px; border-radius: 8px; background: #eff6ff; border: 1px solid #bfdbfe; color: #1e3a8a; }
.qa-info ul { margin: 4px 0 0 1.2em; padding: 0; }
.qa-suggest { margin-top: 6px; }
.qa-warn { padding: 8px 12px; border-radius: 8px; background: #fffbeb; border: 1px solid #fde68a; color: #78350f; }
.qa-detail { font-size: .9em; color: #92400e; }
.qa-thinking { color: var(--body-text-color-subdued); font-style: italic; }
#qa-sources-box { border: 1px solid var(--border-color-primary); border-radius: 12px; padding: 12px 14px;
  background: var(--background-fill-secondary); flex-wrap: nowrap !important; position: sticky; top: 12px;
  align-self: flex-start; }
#qa-sources .qa-sources { max-height: 72vh; overflow-y: auto; padding-right: 4px; }
#qa-sources-box h3 { margin: 0 0 8px; font-size: 16px; }
.qa-sources.qa-empty { color: var(--body-text-color-subdued); font-size: 14px; padding: 24px 6px; text-align: center; }
.qa-doc { background: var(--background-fill-primary); border: 1px solid var(--border-color-primary);
  border-radius: 10px; padding: 10px 12px; margin-bottom: 10px; transition: box-shadow .3s; }
.qa-doc.qa-flash { box-shadow: 0 0 0 3px #fca5a5; }
.qa-doc-head { display: flex; flex-wrap: wrap; gap: 6px; align-items: baseline; margin-bottom: 6px; }
.qa-badge { background: #dc2626; color: #fff; border-radius: 6px; padding: 0 6px; font-size: 12px; font-weight: 600;
  scroll-margin-top: 12px; }
.qa-title { font-weight: 600; }
.qa-date { color: var(--body-text-color-subdued); font-size: 13px; }
.qa-chunk { margin: 6px 0; padding: 6px 10px; border-left: 3px solid #fecaca; font-size: 14px; line-height: 1.7;
  color: var(--body-text-color); background: var(--background-fill-secondary); border-radius: 0 6px 6px 0; }
.qa-ref { color: #b91c1c; font-weight: 600; font-size: .75em; margin-left: 1px; scroll-margin-top: 40px; }
.qa-ref.qa-flash { background: #fecaca; border-radius: 3px; }
.qa-sources mark { background: #fde68a; color: inherit; padding: 0 1px; border-radius: 3px; }
.qa-full summary { cursor: pointer; color: #b91c1c; font-size: 13px; margin-top: 4px; }
.qa-fulltext { margin-top: 6px; font-size: 13px; line-height: 1.7; max-height: 320px; overflow-y: auto;
  white-space: normal; padding: 6px 8px; border: 1px dashed var(--border-color-primary); border-radius: 6px; }
#qa-examples { gap: 6px !important; flex-wrap: wrap; }
#qa-examples button { flex: 0 0 auto !important; min-width: 0 !important; width: auto !important;
  font-weight: 400; border-radius: 999px; }
.qa-hint { font-size: 13px; color: var(--body-text-color-subdued); margin: 4px 0 0; }
#qa-admin-docs [role=grid], #qa-admin-docs [role=grid] * { font-family: var(--font) !important; font-size: 13px; }
#qa-admin-docs [role=grid] th * { word-break: keep-all !important; overflow-wrap: normal !important; }
"""

HEAD = """
<script>
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("sup.qa-cite a");
  if (!link) return;
  event.preventDefault();
  event.stopPropagation();
  var target = document.getElementById((link.getAttribute("href") || "").slice(1));
  if (!target) return;  // an earlier answer's marker: its sources are no longer in the panel
  target.scrollIntoView({behavior: "smooth", block: "center"});
  var doc = target.closest(".qa-doc");
  [target, doc].forEach(function (el) {
    if (!el) return;
    el.classList.add("qa-flash");
    setTimeout(function () { el.classList.remove("qa-flash"); }, 1500);
  });
}, true);
</script>
"""
