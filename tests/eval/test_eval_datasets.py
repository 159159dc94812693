"""The expo gold set stays valid against the shipped corpus, and both loaders read what they promise."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from eval.datasets import GOLD_PATH, EvalItem, ItemType, Match, load_jsonl, load_squad
from qa.errors import DocumentError, SettingsError

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus" / "expo"
CMRC = ROOT / "eval" / "datasets" / "cmrc2018"
EXPO_IDS = {"customs-ftz-23-measures", "rural-livestream-ecommerce", "douyin-new-brands",
            "customs-trade-jan-jul", "china-georgia-fta", "ecommerce-logistics-index-july", "expo-info"}


def _body(md: Path) -> str:
    """The document text is everything after the YAML front matter, stripped."""
    raw = md.read_text(encoding="utf-8")
    assert raw.startswith("---\n"), md
    end = raw.index("\n---\n", 4)
    return raw[end + len("\n---\n"):].strip()


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return {p.stem: _body(p) for p in sorted(CORPUS.glob("*.md"))}


@pytest.fixture(scope="module")
def gold() -> list[EvalItem]:
    return load_jsonl(GOLD_PATH)


# -- the expo gold set ---------------------------------------------------------------------------------

def test_corpus_holds_the_seven_expo_documents(texts):
    assert EXPO_IDS <= set(texts)


def test_gold_set_size_and_mix(gold):
    types = Counter(it.type for it in gold)
    assert len(gold) >= 90
    assert types[ItemType.FACTOID] >= 25
    assert types[ItemType.DESCRIPTIVE] >= 15
    assert types[ItemType.LIST] >= 8
    assert types[ItemType.MULTI_DOC] >= 6
    assert types[ItemType.FOLLOWUP] >= 6
    assert types[ItemType.UNANSWERABLE] >= 18
    assert sum(it.lang == "en" for it in gold) >= 12
    assert len({it.question for it in gold}) == len(gold)


def test_gold_covers_every_document(gold):
    assert {d for it in gold if it.answerable for d in it.doc_ids} == EXPO_IDS


def test_gold_doc_ids_exist(gold, texts):
    for it in gold:
        assert set(it.doc_ids) <= set(texts), it.id


def test_every_answer_and_evidence_is_verbatim_in_a_gold_document(gold, texts):
    for it in gold:
        if not it.answerable:
            continue
        docs = [texts[d] for d in it.doc_ids]
        assert it.evidence, it.id
        for span in [*it.answers, *it.evidence]:
            assert any(span in t for t in docs), f"{it.id}: {span!r} is not in {it.doc_ids}"


def test_multi_doc_items_draw_on_every_listed_document(gold, texts):
    for it in gold:
        if it.type is ItemType.MULTI_DOC:
            assert len(it.doc_ids) >= 2 and it.match is Match.ALL, it.id
            for d in it.doc_ids:
                assert any(a in texts[d] for a in it.answers), f"{it.id}: no answer from {d}"


def test_list_items_require_every_item(gold):
    for it in gold:
        if it.type is ItemType.LIST:
            assert it.match is Match.ALL and len(it.answers) >= 2, it.id


def test_followups_carry_a_previous_exchange(gold):
    for it in gold:
        if it.type is ItemType.FOLLOWUP:
            assert [t["role"] for t in it.history] == ["user", "assistant"], it.id


def test_unanswerable_items_have_nothing_to_match(gold):
    for it in gold:
        if it.type is ItemType.UNANSWERABLE:
            assert not it.answerable and it.answers == [] and it.evidence == [], it.id


def test_masked_words_are_never_answers(gold):
    for it in gold:
        assert not any("*" in a for a in it.answers), it.id


# -- load_jsonl validation -----------------------------------------------------------------------------

GOOD = {"id": "x1", "question": "展会在哪？", "lang": "zh", "type": "factoid", "answerable": True,
        "answers": ["义乌国际博览中心"], "evidence": [], "doc_ids": ["expo-info"], "history": []}


def _write(tmp_path: Path, *records) -> Path:
    path = tmp_path / "items.jsonl"
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_load_jsonl_reads_defaults(tmp_path):
    minimal = {"id": "m", "question": "q", "answerable": True, "answers": ["a"], "doc_ids": []}
    items = load_jsonl(_write(tmp_path, GOOD, "", minimal))
    assert [i.id for i in items] == ["x1", "m"]
    assert items[1].type is ItemType.FACTOID and items[1].match is Match.ANY and items[1].lang == "zh"


@pytest.mark.parametrize("bad, message", [
    ("{not json", "not valid JSON"),
    ({**GOOD, "type": "trivia"}, "'type' must be one of"),
    ({k: v for k, v in GOOD.items() if k != "answers"}, "missing field"),
    ({**GOOD, "answer": ["x"]}, "unknown field"),
    ({**GOOD, "answers": []}, "at least one acceptable answer"),
    ({**GOOD, "answerable": False, "type": "unanswerable"}, "must have no answers"),
    ({**GOOD, "lang": "fr"}, "'lang' must be one of"),
    ({**GOOD, "type": "followup"}, "needs the earlier turns"),
    ({**GOOD, "history": [{"role": "bot", "content": "hi"}]}, "history turn"),
    ({**GOOD, "id": "x2", "match": "some"}, "'match' must be one of"),
])
def test_load_jsonl_names_file_and_line_of_a_bad_record(tmp_path, bad, message):
    path = _write(tmp_path, GOOD, bad)
    with pytest.raises(DocumentError) as err:
        load_jsonl(path)
    assert f"{path}:2:" in str(err.value) and message in str(err.value)


def test_load_jsonl_refuses_duplicate_ids_and_missing_files(tmp_path):
    with pytest.raises(DocumentError, match=":2: duplicate id"):
        load_jsonl(_write(tmp_path, GOOD, GOOD))
    with pytest.raises(DocumentError, match="cannot read"):
        load_jsonl(tmp_path / "absent.jsonl")


# -- SQuAD-format loader -------------------------------------------------------------------------------

def test_cmrc_trial_copy_ships_with_its_licence():
    licence = (CMRC / "LICENCE").read_text(encoding="utf-8")
    assert "Attribution-ShareAlike 4.0 International" in licence
    assert "CC BY-SA 4.0" in (CMRC / "README.md").read_text(encoding="utf-8")


def test_load_squad_on_cmrc_trial():
    docs, items = load_squad(CMRC / "cmrc2018_trial.json")
    # 256 paragraphs, 1002 questions of which two have an empty question text
    assert len(docs) == 256 and len({d.id for d in docs}) == 256
    assert len(items) == 1000 and len({i.id for i in items}) == 1000
    by_id = {d.id: d for d in docs}
    assert by_id["TRIAL_800"].title == "泡泡战士"
    for it in items:
        assert it.answerable and it.type is ItemType.FACTOID and it.answers
        assert it.doc_ids == it.context_doc_ids and len(it.doc_ids) == 1
        for answer in it.answers:
            assert answer in by_id[it.doc_ids[0]].text, it.id


def test_load_squad_sample_is_seeded_and_limits_documents():
    path = CMRC / "cmrc2018_trial.json"
    docs, items = load_squad(path, sample=25, seed=3)
    again = load_squad(path, sample=25, seed=3)[1]
    other = load_squad(path, sample=25, seed=4)[1]
    assert len(items) == 25 and [i.id for i in items] == [i.id for i in again]
    assert [i.id for i in items] != [i.id for i in other]
    assert {d.id for d in docs} == {i.doc_ids[0] for i in items}
    assert len(load_squad(path, sample=25, all_documents=True)[0]) == 256
    first = load_squad(path, limit=3)[1]
    assert [i.id for i in first] == ["TRIAL_800_QUERY_0", "TRIAL_800_QUERY_1", "TRIAL_800_QUERY_2"]
    with pytest.raises(SettingsError):
        load_squad(path, limit=3, sample=3)
    with pytest.raises(SettingsError):
        load_squad(path, sample=0)


def test_load_squad_v2_unanswerable_duplicates_and_fallback_ids(tmp_path):
    context = "义乌国际博览中心位于浙江省义乌市，是中国国际电子商务博览会的举办地。"
    raw = {"version": "v2.0", "data": [{"title": "", "paragraphs": [{"context": context, "qas": [
        {"id": "q1", "question": "博览会在哪里举办？", "answers": [
            {"text": "义乌国际博览中心", "answer_start": 0}, {"text": "义乌国际博览中心", "answer_start": 0},
            {"text": "义乌", "answer_start": 0}]},
        {"id": "q2", "question": "门票多少钱？", "answers": [], "is_impossible": True,
         "plausible_answers": [{"text": "义乌", "answer_start": 0}]},
    ]}]}]}
    path = tmp_path / "squad2.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    docs, items = load_squad(path)
    assert [d.id for d in docs] == ["article0-0"]
    assert docs[0].title == context[:20] and docs[0].text == context
    assert items[0].answers == ["义乌国际博览中心", "义乌"]
    assert not items[1].answerable and items[1].answers == [] and items[1].type is ItemType.UNANSWERABLE


def test_load_squad_rejects_files_that_are_not_squad(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"questions": []}), encoding="utf-8")
    with pytest.raises(DocumentError, match="SQuAD"):
        load_squad(path)
    path.write_text("{", encoding="utf-8")
    with pytest.raises(DocumentError, match="not valid JSON"):
        load_squad(path)
