"""The `qa` command: argv in, Pipeline calls out, results printed; domain errors as one line.

This module is the composition root: the one place in `qa` that imports the layers above it, wiring the
chat UI (`ui.app`) into `qa serve` and handing `qa eval` to the eval harness (`eval.run`). The
architecture contract in pyproject.toml allows exactly these two imports.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from qa.cli.commands import cmd_ask, cmd_feedback, cmd_index, cmd_migrate, cmd_search, settings_from
from qa.errors import USER_ERRORS
from qa.limits import MAX_TOP_K
from qa.settings import EmbeddingBackend, Settings, StoreBackend

DESCRIPTION = """\
Answers questions about the China International E-commerce Expo (中国国际电子商务博览会) and the
articles on its website, in Chinese or English. Every answer quotes the documents verbatim and cites
them; when they do not say, it says so. Runs offline on a CPU.

First run: `qa serve` builds the embedding model and the index (about a minute), then serves the chat
page on http://127.0.0.1:8000."""

EXAMPLES = """\
examples:
  qa serve                                  chat page + API on http://127.0.0.1:8000
  qa ask "展会在哪里举办？"                  one answer with its citations
  qa ask "What is the customer service phone number?" --json
  qa search "综保区改革有多少条措施" -k 3     the passages retrieval finds, with scores
  qa index ~/my-docs                        add your .md/.txt/.html/.jsonl files
  qa index --remove customs-ftz-23-measures
  qa eval --dataset expo --out out/eval     measure answer quality

every setting can be set with a QA_* variable or --set NAME=VALUE (see README.md, "Configuration");
data lives in $QA_DATA_DIR (default ~/.local/share/expo-qa)."""

if TYPE_CHECKING:
    from fastapi import FastAPI

    from qa.http.server import Frontend
    from qa.pipeline import Pipeline


def ui_frontend() -> Frontend | None:
    """``ui.app.mount_ui`` when the chat UI is installed; a UI that fails to import is reported, and the
    API is served without it rather than not at all."""
    try:
        from ui.app import mount_ui
    except ModuleNotFoundError as exc:
        if exc.name in ("ui", "ui.app"):
            return None
        print(f"chat UI not available ({exc}); serving the API only", file=sys.stderr)
        return None
    except ImportError as exc:
        print(f"chat UI not available ({exc}); serving the API only", file=sys.stderr)
        return None
    return mount_ui


def build_app(pipeline: Pipeline, settings: Settings, port: int | None = None) -> FastAPI:
    """What ``qa serve`` serves: the API plus the chat UI at ``/`` (or a page pointing to ``/docs``)."""
    from qa.http.server import build_app as build

    return build(pipeline, settings, port, ui_frontend())


def cmd_serve(args: argparse.Namespace) -> int:
    from qa.cli.progress import Steps
    from qa.http.server import serve

    return serve(settings_from(args), host=args.host, port=args.port, frontend=ui_frontend(), reporter=Steps())


def cmd_eval(args: argparse.Namespace) -> int:
    from eval.run import main as eval_main

    return eval_main(args, settings_from(args))


def build_parser() -> argparse.ArgumentParser:
    raw = argparse.RawDescriptionHelpFormatter
    p = argparse.ArgumentParser(prog="qa", description=DESCRIPTION, epilog=EXAMPLES, formatter_class=raw)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR",
                        help="where the index and feedback live (default: $QA_DATA_DIR or ~/.local/share/expo-qa)")
    common.add_argument("--backend", choices=[b.value for b in EmbeddingBackend],
                        help="how the embedding model runs (default: auto, i.e. onnx for the default model)")
    common.add_argument("--store", choices=[b.value for b in StoreBackend],
                        help="index backend (default: $QA_STORE or local)")
    common.add_argument("--set", action="append", metavar="NAME=VALUE",
                        help="override a setting for this command, e.g. --set top_k=3 (repeatable)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND",
                           title="commands", description="run `qa COMMAND --help` for a command's options")

    s = sub.add_parser("index", parents=[common], help="index documents (default: the shipped corpus)")
    s.add_argument("paths", nargs="*", help=".md/.txt/.html/.jsonl/.pdf/.docx files or folders")
    s.add_argument("--remove", nargs="+", metavar="DOC_ID", help="remove these documents instead")
    s.add_argument("--rebuild", action="store_true", help="delete the index first and build it anew")
    s.set_defaults(func=cmd_index)

    s = sub.add_parser("search", parents=[common], help="show the passages retrieved for a query, with their scores")
    s.add_argument("query", help="what to look for, in Chinese or English")
    s.add_argument("-k", type=int, default=None, help=f"number of passages, 1-{MAX_TOP_K} (default: setting top_k, 5)")
    s.add_argument("--json", action="store_true", help="print the passages as JSON")
    s.set_defaults(func=cmd_search)

    s = sub.add_parser("ask", parents=[common], help="answer a question with citations")
    s.add_argument("question", help="the question, in Chinese or English (quote it)")
    s.add_argument("-k", type=int, default=None,
                   help=f"passages to answer from, 1-{MAX_TOP_K} (default: setting top_k, 5)")
    s.add_argument("--json", action="store_true", help="print the Answer object as JSON")
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("serve", parents=[common], help="serve the REST API and the chat UI")
    s.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0 for the network)")
    s.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("eval", parents=[common], help="evaluate on a dataset and write a report")
    s.add_argument("--dataset", default="expo", help="expo, cmrc, or a path to a .jsonl / SQuAD .json file")
    s.add_argument("--compare", action="append", metavar="NAME=SETTINGS",
                   help="a named configuration, e.g. dense=retrieval_mode=dense,top_k=5")
    s.add_argument("--limit", type=int, default=None, help="evaluate at most this many questions")
    s.add_argument("--corpus", default=None, metavar="DIR",
                   help="ask the expo questions over this folder instead of the shipped corpus (e.g. the PDF "
                        "and Word versions from `python -m bench.docgen`; file names are document ids)")
    s.add_argument("--out", default="out/eval", help="report directory")
    s.set_defaults(func=cmd_eval)

    s = sub.add_parser("migrate", parents=[common], help="copy the local index into Milvus without re-embedding",
                       epilog="example: QA_MILVUS_URI=http://127.0.0.1:19530 qa migrate --to milvus")
    s.add_argument("--to", required=True, choices=[b.value for b in StoreBackend if b is not StoreBackend.LOCAL])
    s.set_defaults(func=cmd_migrate)

    s = sub.add_parser("feedback", parents=[common], help="feedback given in the UI")
    s.add_argument("action", choices=["export"], help="export: write every 👍/👎 as one JSON line each")
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
