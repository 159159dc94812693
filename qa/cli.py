"""The ``qa`` command: translates argv into Pipeline calls and prints the results.

Examples::

    qa index                         # index the shipped corpus (incremental)
    qa index ~/docs --rebuild        # start over from these files
    qa index --remove customs-ftz-23-measures
    qa search "综保区改革有多少条措施" -k 3
    qa ask "展会在哪里举办？"
    qa serve --port 8000
"""

from __future__ import annotations

import argparse
import importlib
import json
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from qa.errors import USER_ERRORS
from qa.limits import MAX_TOP_K
from qa.settings import EmbeddingBackend, Settings

if TYPE_CHECKING:
    from fastapi import FastAPI

    from qa.http.server import Frontend
    from qa.pipeline import Pipeline


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {}
    if getattr(args, "data_dir", None):
        overrides["data_dir"] = args.data_dir
    if getattr(args, "backend", None):
        overrides["embedding_backend"] = args.backend
    settings = Settings.from_env(**overrides)
    if getattr(args, "set", None):
        settings = settings.replace_from_strings(args.set)
    return settings


def _pipeline(settings: Settings):
    from qa.pipeline import Pipeline

    return Pipeline.from_settings(settings)


def _progress_bar(desc: str):
    from tqdm import tqdm

    bar = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, desc=desc, unit="chunk", file=sys.stderr, disable=total == 0)
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    return update


def cmd_index(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if args.rebuild and settings.index_dir.exists():
        shutil.rmtree(settings.index_dir)
    pipe = _pipeline(settings)
    if args.remove:
        report = pipe.remove_documents(args.remove)
        print(f"removed {report.removed} document(s): {', '.join(args.remove)}")
        return 0
    report = pipe.index_paths([Path(p) for p in args.paths] or None, progress=_progress_bar("embedding"))
    for err in report.errors:
        print(f"error: {err}", file=sys.stderr)
    print(report.summary())
    return 1 if report.errors and not report.documents else 0


def cmd_search(args: argparse.Namespace) -> int:
    pipe = _pipeline(_settings(args))
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
    pipe = _pipeline(_settings(args))
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
            print(f"  [{c.n}] {c.title} {c.date or ''} <{c.doc_id}> 「{c.quote}」")
    if answer.suggestions:
        print("\n相关文档 / related: " + "；".join(answer.suggestions))
    return 0


def ui_frontend() -> Frontend | None:
    """``ui.app.mount_ui`` when the chat UI is installed; a UI that fails to import is reported, and the
    API is served without it rather than not at all."""
    try:
        module = importlib.import_module("ui.app")
    except ModuleNotFoundError as exc:
        if exc.name in ("ui", "ui.app"):
            return None
        print(f"chat UI not available ({exc}); serving the API only", file=sys.stderr)
        return None
    except ImportError as exc:
        print(f"chat UI not available ({exc}); serving the API only", file=sys.stderr)
        return None
    return getattr(module, "mount_ui", None)


def build_app(pipeline: Pipeline, settings: Settings, port: int | None = None) -> FastAPI:
    """What ``qa serve`` serves: the API plus the chat UI at ``/`` (or a page pointing to ``/docs``)."""
    from qa.http.server import build_app as build

    return build(pipeline, settings, port, ui_frontend())


def cmd_serve(args: argparse.Namespace) -> int:
    from qa.http.server import serve

    return serve(_settings(args), host=args.host, port=args.port, frontend=ui_frontend())


def cmd_eval(args: argparse.Namespace) -> int:
    from eval.run import main as eval_main

    return eval_main(args, _settings(args))


def cmd_feedback(args: argparse.Namespace) -> int:
    from qa.feedback import FeedbackStore

    settings = _settings(args)
    store = FeedbackStore(settings.data_dir / "feedback.sqlite")
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    try:
        n = store.export_jsonl(out)
    finally:
        if args.out:
            out.close()
    print(f"exported {n} feedback record(s)", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="qa", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", help="data directory (default: $QA_DATA_DIR or the per-user data dir)")
    common.add_argument("--backend", choices=[b.value for b in EmbeddingBackend], help="embedding backend")
    common.add_argument("--set", action="append", metavar="NAME=VALUE", help="override a setting")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("index", parents=[common], help="index documents (default: the shipped corpus)")
    s.add_argument("paths", nargs="*", help=".md/.txt/.html/.jsonl files or folders")
    s.add_argument("--remove", nargs="+", metavar="DOC_ID", help="remove these documents instead")
    s.add_argument("--rebuild", action="store_true", help="delete the index first and build it anew")
    s.set_defaults(func=cmd_index)

    s = sub.add_parser("search", parents=[common], help="show the chunks retrieved for a query")
    s.add_argument("query")
    s.add_argument("-k", type=int, default=None, help="number of hits (default: setting top_k)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_search)

    s = sub.add_parser("ask", parents=[common], help="answer a question with citations")
    s.add_argument("question")
    s.add_argument("-k", type=int, default=None, help="chunks to retrieve (default: setting top_k)")
    s.add_argument("--json", action="store_true", help="print the Answer object as JSON")
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("serve", parents=[common], help="serve the REST API and the chat UI")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("eval", parents=[common], help="evaluate on a dataset and write a report")
    s.add_argument("--dataset", default="expo", help="expo, cmrc, or a path to a .jsonl / SQuAD .json file")
    s.add_argument("--compare", action="append", metavar="NAME=SETTINGS",
                   help="a named configuration, e.g. dense=retrieval_mode=dense,top_k=5")
    s.add_argument("--limit", type=int, default=None, help="evaluate at most this many questions")
    s.add_argument("--out", default="out/eval", help="report directory")
    s.set_defaults(func=cmd_eval)

    s = sub.add_parser("feedback", parents=[common], help="feedback given in the UI")
    s.add_argument("action", choices=["export"])
    s.add_argument("--out", help="write JSONL here (default: stdout)")
    s.set_defaults(func=cmd_feedback)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "k", None) is not None and not 1 <= args.k <= MAX_TOP_K:
        print(f"error: -k must be between 1 and {MAX_TOP_K}", file=sys.stderr)
        return 2
    try:
        return args.func(args)
    except USER_ERRORS as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
