"""The ``qa`` subcommands that only drive the pipeline: index, search, ask, feedback export.

Each takes the parsed arguments, calls the ``Pipeline`` and prints; errors propagate to ``main``, which
shows them as one line.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from qa.cli.progress import Steps
from qa.questions import check_question
from qa.settings import Settings


def settings_from(args: argparse.Namespace) -> Settings:
    overrides = {}
    if getattr(args, "data_dir", None):
        overrides["data_dir"] = args.data_dir
    if getattr(args, "backend", None):
        overrides["embedding_backend"] = args.backend
    if getattr(args, "store", None):
        overrides["store"] = args.store
    settings = Settings.from_env(**overrides)
    if getattr(args, "set", None):
        settings = settings.replace_from_strings(args.set)
    return settings


def _pipeline(settings: Settings):
    from qa.pipeline import Pipeline

    return Pipeline.from_settings(settings)


def cmd_index(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    pipe = _pipeline(settings)
    if args.rebuild:
        pipe.drop_index()
    if args.remove:
        report = pipe.remove_documents(args.remove)
        print(f"removed {report.removed} document(s): {', '.join(args.remove)}")
        return 0
    steps = Steps()
    pipe.load_model(steps.say)
    steps.say(f"indexing {', '.join(args.paths) or 'the shipped corpus'} into {settings.index_dir}")
    report = pipe.index_paths([Path(p) for p in args.paths] or None, progress=steps.bar())
    for path, reason in report.skipped:
        print(f"skipped: {path}: {reason}", file=sys.stderr)
    for notice in report.notices:
        print(f"notice: {notice}", file=sys.stderr)
    for err in report.errors:
        print(f"error: {err}", file=sys.stderr)
    print(report.summary())
    return 1 if report.errors else 0  # the rest was indexed; the exit status says not everything was


def cmd_search(args: argparse.Namespace) -> int:
    check_question(args.query)  # before loading anything: an empty query is refused at once
    pipe = _pipeline(settings_from(args))
    hits = pipe.search(args.query, top_k=args.k)
    if args.json:
        print(json.dumps([h.to_source() | {"dense": h.dense, "lexical": h.lexical} for h in hits],
                         ensure_ascii=False, indent=2))
        return 0
    for h in hits:
        c = h.chunk
        dense = f"{h.dense:.3f}" if h.dense is not None else "-"
        lex = f"{h.lexical:.2f}" if h.lexical is not None else "-"
        print(f"[{h.rank}] score {h.score:.4f} (dense {dense}, bm25 {lex})  {c.title}  {c.date or ''}  <{c.doc_id}>")
        print(f"    {c.text}\n")
    if not hits:
        print("no results")
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    check_question(args.question)  # before loading the model: an empty question is refused at once
    pipe = _pipeline(settings_from(args))
    answer = pipe.answer(args.question, top_k=args.k)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(answer.answer)
    if answer.short_answer:
        print(f"\n简答 / short answer: {answer.short_answer}")
    if answer.citations:
        print("\n引用 / citations:")
        for c in answer.citations:
            where = f" › {c.section}" if c.section else ""
            page = f" 第 {c.page} 页 / p. {c.page}" if c.page else ""
            print(f"  [{c.n}] {c.title}{where} {c.date or ''}{page} <{c.doc_id}> 「{c.quote}」")
    if answer.suggestions:
        print("\n相关文档 / related: " + "；".join(answer.suggestions))
    return 0


def cmd_feedback(args: argparse.Namespace) -> int:
    from qa.feedback import FeedbackStore

    settings = settings_from(args)
    store = FeedbackStore(settings.data_dir / "feedback.sqlite")
    if args.out:
        with open(args.out, "w", encoding="utf-8") as out:
            n = store.export_jsonl(out)
    else:
        n = store.export_jsonl(sys.stdout)
    print(f"exported {n} feedback record(s)", file=sys.stderr)
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    """Copy the local index into another backend, vectors and all: nothing is embedded again."""
    from index.storage.migrate import migrate

    settings = settings_from(args)
    source = _pipeline(settings.replace(store="local"))
    if source.is_empty():
        print(f"error: there is no local index in {settings.index_dir} to copy (run `qa index` first)",
              file=sys.stderr)
        return 1
    target = _pipeline(settings.replace(store=args.to))
    report = migrate(source.store, target.store, progress=Steps().bar("copying", unit="document"))
    print(report.summary())
    return 0
