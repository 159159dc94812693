"""The qa command, run in-process against the real index of the shipped corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.cli.main import main
from qa.pipeline import Pipeline
from qa.settings import Settings

pytestmark = pytest.mark.slow


@pytest.fixture
def real_env(monkeypatch: pytest.MonkeyPatch, real_pipeline: Pipeline, real_settings: Settings) -> Settings:
    monkeypatch.setenv("QA_DATA_DIR", str(real_settings.data_dir))
    monkeypatch.setenv("QA_MODEL_CACHE", str(real_settings.model_cache))
    return real_settings


def _search(capsys, query: str, k: int = 5) -> list[dict]:
    assert main(["search", query, "-k", str(k), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_search_ranks_the_right_documents(real_env, capsys) -> None:
    hits = _search(capsys, "综保区改革有多少条措施")
    assert hits[0]["doc_id"] == "customs-ftz-23-measures"
    hits = _search(capsys, "展会在哪里举办", k=3)
    assert "expo-info" in [h["doc_id"] for h in hits[:3]]


def test_search_without_k_takes_the_top_k_setting(real_env, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_TOP_K", "3")
    assert main(["search", "综保区", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3


def test_search_prints_scores_title_and_text(real_env, capsys) -> None:
    assert main(["search", "客服电话", "-k", "2"]) == 0
    out = capsys.readouterr().out
    assert "[1] score" in out and "dense" in out and "bm25" in out and "0579-85891888" in out


def test_second_index_run_embeds_nothing(real_env, capsys) -> None:
    assert main(["index"]) == 0
    out = capsys.readouterr().out
    assert "0 embedded" in out and "7 unchanged" in out


def test_ask_json(real_env, capsys) -> None:
    assert main(["ask", "综保区改革一共多少条措施？", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["short_answer"] == "23条"
    assert answer["citations"][0]["doc_id"] == "customs-ftz-23-measures"
    assert set(answer["timings_ms"]) == {"retrieve", "compose", "total"}


def test_ask_text_and_abstention(real_env, capsys) -> None:
    assert main(["ask", "展会的客服电话是多少"]) == 0
    out = capsys.readouterr().out
    assert "0579-85891888" in out and "010-67801814" in out and "[1]" in out
    assert main(["ask", "2025年展会门票多少钱"]) == 0
    assert "资料中没有找到相关信息" in capsys.readouterr().out


def test_errors_are_one_clear_line(real_env, capsys, tmp_path: Path) -> None:
    assert main(["ask", "   "]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "empty" in err and "Traceback" not in err
    assert main(["index", "--remove", "no-such-doc"]) == 1
    assert "no-such-doc" in capsys.readouterr().err
    assert main(["search", "x", "-k", "0"]) == 2


def test_index_reports_unreadable_files_and_indexes_the_rest(real_env, capsys, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.md").write_text("# 好文档\n\n义乌的好文档内容。", encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"\xff\xfe\x00bad")
    assert main(["index", str(folder)]) == 1  # something failed: a script can tell, the rest is indexed
    captured = capsys.readouterr()
    assert "bad.txt" in captured.err and "1 documents (1 added" in captured.out


def test_index_refuses_other_settings_with_rebuild_hint(real_env, capsys) -> None:
    assert main(["search", "展会", "--set", "chunk_size=200"]) == 1
    assert "qa index --rebuild" in capsys.readouterr().err
