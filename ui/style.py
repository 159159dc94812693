"""The page's look (theme, CSS, icons) and the behaviour Gradio does not provide: a citation marker
shows its answer's sources (in the side panel on a wide screen, under the answer on a phone) instead of
following the link, and a suggested document asks about it when clicked."""

from __future__ import annotations

import gradio as gr

from ui import icons

THEME = gr.themes.Soft(
    primary_hue="red", secondary_hue="orange", neutral_hue="slate",
    font=["Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "system-ui", "sans-serif"],
)

CSS = """
.gradio-container { max-width: 1280px !important; margin: 0 auto !important; }
#qa-header { display: flex; gap: 18px; align-items: center; padding: 18px 22px; border-radius: 14px;
  background: linear-gradient(120deg, #b91c1c 0%, #dc2626 55%, #f97316 100%); color: #fff; }
#qa-header .qa-logo { line-height: 0; }
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
.qa-svg { display: inline-block !important; vertical-align: -3px; }
#qa-header .qa-svg { color: #fff !important; stroke: #fff !important; }
#qa-header .qa-sub, #qa-header b { color: #fff7ed !important; }
#qa-new { flex-wrap: nowrap !important; gap: 4px; white-space: nowrap; }
#qa-new::before { content: ""; flex: none; }
#qa-settings > button > span:first-child::before, #qa-settings .label-wrap > span:first-child::before {
  content: ""; display: inline-block; width: 1.1em; height: 1.1em; vertical-align: -0.18em; margin-right: 4px;
  background-color: currentColor; -webkit-mask: var(--qa-icon) center / contain no-repeat;
  mask: var(--qa-icon) center / contain no-repeat; }
.qa-suggest ul { list-style: none; margin: 4px 0 0; padding: 0; }
.qa-suggest li { margin: 3px 0; }
a.qa-suggestion { display: inline-block; padding: 2px 10px; border: 1px solid #93c5fd; border-radius: 999px;
  background: #fff; color: #1d4ed8 !important; text-decoration: none !important; cursor: pointer; }
a.qa-suggestion:hover { background: #dbeafe; }
.qa-msg-sources { display: none; margin-top: 8px; }
.qa-msg-sources summary { cursor: pointer; color: #b91c1c; font-size: 14px; }
.qa-msg-sources .qa-sources { margin-top: 6px; }
@media (max-width: 760px) {
  #qa-sources-box { display: none !important; }
  .qa-msg-sources { display: block; }
  #qa-header { padding: 12px 14px; gap: 10px; }
  #qa-header h1 { font-size: 19px; }
  #qa-header p { font-size: 13px; }
  #qa-header p .qa-en, #qa-header .qa-logo { display: none; }
}
""" + icons.css()

HEAD = """
<script>
(function () {
  var NARROW = "(max-width: 760px)";
  function flash(els) {
    els.forEach(function (el) {
      if (!el) return;
      el.classList.add("qa-flash");
      setTimeout(function () { el.classList.remove("qa-flash"); }, 1500);
    });
  }
  function showSources(link) {
    var ref = (link.getAttribute("href") || "").slice(1);
    var message = link.closest(".qa-body") && link.closest(".qa-body").parentElement;
    var own = message && message.querySelector(".qa-msg-sources");
    var selector = "." + ref;
    var target = null;
    if (window.matchMedia(NARROW).matches) {
      if (own) { own.open = true; target = own.querySelector(selector); }
    } else {
      var panel = document.querySelector("#qa-sources");
      target = panel && panel.querySelector(selector);
      if (!target && own && panel) {  // an earlier answer: show its sources in the panel
        var shown = panel.querySelector(".qa-sources");
        var copy = own.querySelector(".qa-sources").cloneNode(true);
        if (shown) shown.replaceWith(copy); else panel.appendChild(copy);
        target = copy.querySelector(selector);
      }
    }
    if (!target) return;
    target.scrollIntoView({behavior: "smooth", block: "center"});
    flash([target, target.closest(".qa-doc")]);
  }
  function ask(link) {
    var box = document.querySelector("#qa-input textarea");
    var send = document.querySelector("#qa-send");
    if (!box || !send) return;
    var setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value").set;
    setter.call(box, link.getAttribute("title") || "");
    box.dispatchEvent(new Event("input", {bubbles: true}));
    setTimeout(function () { send.click(); }, 50);
  }
  document.addEventListener("click", function (event) {
    if (!event.target.closest) return;
    var cite = event.target.closest("sup.qa-cite a");
    var suggestion = event.target.closest("a.qa-suggestion");
    if (!cite && !suggestion) return;
    event.preventDefault();
    event.stopPropagation();
    if (cite) showSources(cite); else ask(suggestion);
  }, true);
})();
</script>
"""
