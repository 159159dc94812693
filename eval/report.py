"""Reports of an eval run: ``report.json`` (everything), ``report.md`` (configurations side by side,
worst items listed) and ``report.png`` (the headline metrics as bars)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.storage.atomic import write_atomic, write_json_atomic, write_text_atomic

if TYPE_CHECKING:
    from eval.results import RunResult

HEADLINE = [("hit@1", "hit@1"), ("hit@5", "hit@5"), ("mrr", "MRR"), ("answer_correct", "answer correct"),
            ("em", "short EM"), ("f1", "short F1"), ("citation_precision", "citation precision"),
            ("citation_recall", "citation recall"), ("quotes_verbatim", "quotes verbatim")]


def _abst(a: dict[str, Any], key: str) -> float | None:
    return (a.get("abstention") or {}).get(key)


def _lat(a: dict[str, Any], stage: str, p: str) -> float | None:
    return ((a.get("latency_ms") or {}).get(stage) or {}).get(p)


def _fmt(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def metric_table(results: Sequence[RunResult]) -> list[tuple[str, list[Any]]]:
    rows: list[tuple[str, list[Any]]] = [(label, [r.aggregate.get(key) for r in results]) for key, label in HEADLINE]
    rows += [
        ("abstention recall (unanswerable refused)", [_abst(r.aggregate, "recall") for r in results]),
        ("abstention precision", [_abst(r.aggregate, "precision") for r in results]),
        ("false abstention (answerable refused)", [_abst(r.aggregate, "false_abstention_rate") for r in results]),
        ("latency total p50 ms", [_lat(r.aggregate, "total", "p50") for r in results]),
        ("latency total p95 ms", [_lat(r.aggregate, "total", "p95") for r in results]),
        ("latency retrieve p50 ms", [_lat(r.aggregate, "retrieve", "p50") for r in results]),
        ("latency compose p50 ms", [_lat(r.aggregate, "compose", "p50") for r in results]),
        ("index build s", [r.index_seconds for r in results]),
        ("questions", [r.aggregate.get("n") for r in results]),
    ]
    return rows


def _worst(result: RunResult, n: int = 12) -> list[dict[str, Any]]:
    def badness(row: dict[str, Any]) -> tuple:
        if not row["answerable"]:
            return (0 if row["abstention_correct"] else 2, 0.0)
        return ((0 if row.get("answer_correct") else 1) + (0 if row.get("hit@5") else 1), -(row.get("f1") or 0.0))

    return [r for r in sorted(result.rows, key=badness, reverse=True) if badness(r)[0] > 0][:n]


def markdown(results: Sequence[RunResult], dataset: str) -> str:
    lines = [f"# Evaluation: {dataset}", ""]
    lines.append("| metric | " + " | ".join(r.name for r in results) + " |")
    lines.append("|---|" + "---|" * len(results))
    for label, values in metric_table(results):
        lines.append(f"| {label} | " + " | ".join(_fmt(v) for v in values) + " |")
    lines += ["", "Settings per configuration:", ""]
    for r in results:
        lines.append(f"- **{r.name}**: " + (", ".join(f"{k}={v}" for k, v in r.settings.items()) or "defaults"))
    types = sorted({t for r in results for t in (r.aggregate.get("by_type") or {})})
    if types:
        lines += ["", "## Answer correctness by question type", "",
                  "| type | n | " + " | ".join(r.name for r in results) + " |", "|---|---|" + "---|" * len(results)]
        for t in types:
            n = results[0].aggregate["by_type"].get(t, {}).get("n")
            vals = []
            for r in results:
                g = r.aggregate["by_type"].get(t, {})
                vals.append(g.get("answer_correct") if g.get("answer_correct") is not None
                            else g.get("abstention_correct"))
            lines.append(f"| {t} | {n} | " + " | ".join(_fmt(v) for v in vals) + " |")
    for r in results:
        worst = _worst(r)
        if not worst:
            continue
        lines += ["", f"## Worst items: {r.name}", "", "| id | question | gold | answer | sources |", "|---|---|---|---|---|"]
        for row in worst:
            ans = (row.get("short_answer") or row.get("answer") or "").replace("|", "/").replace("\n", " ")[:80]
            if row.get("abstain_reason"):
                ans = f"({row['abstain_reason']}) {ans}"
            gold = " / ".join(row.get("gold") or []).replace("|", "/")[:40] or "(unanswerable)"
            q = row["question"].replace("|", "/")
            lines.append(f"| {row['id']} | {q} | {gold} | {ans} | {', '.join(row.get('sources', [])[:3])} |")
    return "\n".join(lines) + "\n"


def chart(results: Sequence[RunResult], path: Path, dataset: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    labels = ["hit@5", "correct", "cite prec.", "abstain rec.", "1 - false abst."]
    fig, ax = plt.subplots(figsize=(9, 4.2))
    width = 0.8 / max(1, len(results))
    x = np.arange(len(labels))
    for i, r in enumerate(results):
        a = r.aggregate
        fa = _abst(a, "false_abstention_rate")
        vals = [a.get("hit@5"), a.get("answer_correct"), a.get("citation_precision"), _abst(a, "recall"),
                None if fa is None else 1 - fa]
        ax.bar(x + i * width, [v or 0.0 for v in vals], width, label=r.name)
    ax.set_xticks(x + width * (len(results) - 1) / 2, labels)
    ax.set_ylim(0, 1.05)
    ax.set_title(f"expo-qa eval: {dataset}")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    write_atomic(path, lambda p: fig.savefig(p, format="png", dpi=110))
    plt.close(fig)


def write_reports(results: Sequence[RunResult], dataset: str, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    payload = {"dataset": dataset, "runs": [
        {"name": r.name, "settings": r.settings, "aggregate": r.aggregate, "index_seconds": r.index_seconds,
         "items": r.rows} for r in results]}
    write_json_atomic(out / "report.json", json.loads(json.dumps(payload, default=str)))
    write_text_atomic(out / "report.md", markdown(results, dataset))
    chart(results, out / "report.png", dataset)
    return [out / "report.json", out / "report.md", out / "report.png"]
