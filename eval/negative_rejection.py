"""Negative rejection on CMRC 2018: ``python -m eval.negative_rejection [--limit N] [--set NAME=VALUE]``.

Each question is asked twice over the index of all CMRC paragraphs: once filtered to the five best-ranked
paragraphs other than its own (related text that does not hold the answer: it must be refused), and once
over its own paragraph plus four of those (it must be answered, and correctly). This measures whether
abstention follows the evidence rather than the topic.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from eval.metrics import answer_correct
from eval.run import load_dataset, open_pipeline
from qa.answering.retriever import Filters
from qa.settings import Settings


def ask_both(pipe, item):
    """The item's question over the five best-ranked paragraphs other than its own (to be refused) and over
    its own paragraph plus four of those (to be answered): the two answers."""
    own = item.doc_ids[0]
    wide = pipe.retriever.retrieve(item.question, 20)
    others = list(dict.fromkeys(h.chunk.doc_id for h in wide.hits if h.chunk.doc_id != own))[:5]
    neg = pipe.answer(item.question, filters=Filters(doc_ids=tuple(others)))
    pos = pipe.answer(item.question, filters=Filters(doc_ids=(own, *others[:4])))
    return neg, pos


def run(pipe, items, progress: bool = True) -> dict:
    rejected = answered = correct = 0
    rows = []
    for it in items:
        neg, pos = ask_both(pipe, it)
        ok = (not pos.abstained) and answer_correct(pos.answer, it)
        rejected += neg.abstained
        answered += not pos.abstained
        correct += ok
        rows.append({"id": it.id, "question": it.question, "negative_refused": neg.abstained,
                     "positive_answered": not pos.abstained, "positive_correct": ok,
                     "negative_reason": neg.abstain_reason.code if neg.abstain_reason else None})
    n = len(items) or 1
    return {"questions": len(items), "negative_rejection": round(rejected / n, 4),
            "false_abstention_answerable": round(1 - answered / n, 4),
            "answerable_correct": round(correct / n, 4), "rows": rows}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.negative_rejection", description=__doc__.split("\n")[0])
    p.add_argument("--limit", type=int, default=300, help="the first N CMRC questions (default 300)")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="override a setting")
    p.add_argument("--out", default="out/negative_rejection.json")
    args = p.parse_args(argv)
    settings = Settings.from_env()
    if args.set:
        settings = settings.replace_from_strings(args.set)
    ds = load_dataset("cmrc")
    pipe, _ = open_pipeline(ds, settings)
    result = run(pipe, ds.items[:args.limit])
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"negative rejection {result['negative_rejection']:.3f}  false abstention (answerable variant) "
          f"{result['false_abstention_answerable']:.3f}  answerable correct {result['answerable_correct']:.3f}"
          f"  ({result['questions']} questions) -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
