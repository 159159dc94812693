"""What a new user meets before any model loads: the help, refusing an empty question at once, and the
plain start-up steps."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qa.cli.main import build_parser, main
from qa.cli.progress import Steps

REPO = Path(__file__).resolve().parents[3]


def _help(argv: list[str], capsys) -> str:
    with pytest.raises(SystemExit):
        build_parser().parse_args(argv)
    return capsys.readouterr().out


def test_help_is_written_for_users_not_developers(capsys) -> None:
    text = _help(["--help"], capsys)
    assert "China International E-commerce Expo" in text and "qa serve" in text
    assert "Examples::" not in text and "Pipeline" not in text and "argv" not in text
    for command in ("index", "search", "ask", "serve", "eval", "feedback"):
        assert command in text


@pytest.mark.parametrize("command", ["index", "search", "ask", "serve", "eval", "feedback"])
def test_every_argument_has_help(command: str) -> None:
    sub = next(a for a in build_parser()._actions if a.dest == "command").choices[command]
    for action in sub._actions:
        assert action.help, f"qa {command}: {action.dest} has no help"


def test_empty_question_is_refused_before_anything_loads(capsys, tmp_path: Path) -> None:
    assert main(["ask", "  ", "--data-dir", str(tmp_path)]) == 1
    assert "the question is empty" in capsys.readouterr().err
    assert not (tmp_path / "index").exists()  # refused before the index (or the model) was opened


def test_empty_question_in_a_fresh_process_imports_no_model_code(tmp_path: Path) -> None:
    code = ("import sys; from qa.cli.main import main; rc = main(['ask', '']); "
            "print(rc, 'qa.pipeline' in sys.modules, 'onnxruntime' in sys.modules)")
    env = {**os.environ, "PYTHONPATH": str(REPO), "QA_DATA_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["1", "False", "False"]
    assert "the question is empty" in out.stderr


def test_steps_are_numbered_lines_with_one_bar_per_counted_step() -> None:
    out = io.StringIO()
    steps = Steps(out)
    steps.say("building the embedding model, once (~10 s)")
    steps.say("indexing the shipped corpus")
    bar = steps.bar()
    for done in (0, 32, 73):
        bar(done, 73)
    text = out.getvalue()
    assert text.startswith("1. building the embedding model, once (~10 s)\n2. indexing the shipped corpus\n")
    assert "73/73 chunks" in text and "Loading weights" not in text
