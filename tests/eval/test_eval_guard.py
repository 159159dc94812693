"""Regression guard: the expo gold set and a CMRC 2018 sample, run through the real pipeline.

Floors sit a little under the measured numbers (see README, "Evaluation"); a change that drops a metric
below its floor fails CI. They are a guard, not the targets.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from eval.run import load_dataset, run_config
from eval.run import main as eval_main
from qa.settings import Settings

pytestmark = pytest.mark.slow

# Measured (2026-11-26): hit@5 1.000, correct 0.900, citation precision 0.997, abstention recall 0.917,
# false abstention 0.011. A floor sits two or three items under each.
EXPO_FLOORS = {"hit@5": 0.97, "answer_correct": 0.87, "citation_precision": 0.95, "quotes_verbatim": 1.0}
EXPO_ABSTENTION = {"recall": 0.83, "false_abstention_rate_max": 0.05}
CMRC_FLOORS = {"hit@5": 0.93, "answer_correct": 0.62, "quotes_verbatim": 1.0}
CMRC_SAMPLE = 120


@pytest.fixture(scope="module")
def eval_settings(tmp_path_factory: pytest.TempPathFactory, model_cache: Path) -> Settings:
    return Settings.from_env({}, data_dir=tmp_path_factory.mktemp("eval") / "data", model_cache=model_cache)


def _check(agg: dict, floors: dict) -> list[str]:
    return [f"{k} = {agg.get(k)} < {v}" for k, v in floors.items() if agg.get(k) is None or agg[k] < v]


def test_expo_gold_floors(eval_settings: Settings) -> None:
    result = run_config("default", [], eval_settings, load_dataset("expo"), {}, progress=False)
    agg = result.aggregate
    problems = _check(agg, EXPO_FLOORS)
    abst = agg["abstention"]
    if abst["recall"] < EXPO_ABSTENTION["recall"]:
        problems.append(f"abstention recall {abst['recall']:.3f} < {EXPO_ABSTENTION['recall']}")
    if abst["false_abstention_rate"] > EXPO_ABSTENTION["false_abstention_rate_max"]:
        problems.append(f"false abstention {abst['false_abstention_rate']:.3f} > "
                        f"{EXPO_ABSTENTION['false_abstention_rate_max']}")
    assert not problems, "; ".join(problems)


def test_cmrc_sample_floors(eval_settings: Settings) -> None:
    dataset = load_dataset("cmrc", sample=CMRC_SAMPLE, seed=2018)
    assert len(dataset.documents) == 256  # open-domain: every context is a candidate
    result = run_config("default", [], eval_settings, dataset, {}, progress=False)
    problems = _check(result.aggregate, CMRC_FLOORS)
    assert not problems, "; ".join(problems)


def test_qa_eval_writes_side_by_side_reports(eval_settings: Settings, tmp_path: Path) -> None:
    args = argparse.Namespace(dataset="expo", compare=["bm25=retrieval_mode=bm25", "hybrid=retrieval_mode=hybrid"],
                              limit=12, out=str(tmp_path / "report"))
    assert eval_main(args, eval_settings) == 0
    report = json.loads((tmp_path / "report" / "report.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in report["runs"]] == ["bm25", "hybrid"]
    assert len(report["runs"][0]["items"]) == 12
    md = (tmp_path / "report" / "report.md").read_text(encoding="utf-8")
    assert "| metric | bm25 | hybrid |" in md
    assert (tmp_path / "report" / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
