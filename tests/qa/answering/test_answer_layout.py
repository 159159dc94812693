"""How answers read: titles are not quoted as evidence, near-duplicates are quoted once, sentences from
different places are on lines of their own, list items one per line as the source numbers them, and an
ordinal follow-up refers to the previous answer's items. Units first, then the real answers over HTTP."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from qa.answering.followup import answer_items, ordinal, referred_item
from qa.answering.layout import Quote, keep, layout, list_style, near_duplicates
from qa.http.app import create_app
from qa.pipeline import Pipeline

TITLE = "7月份中国电商物流指数为110.9点 环比提高0.3个点"


def _q(text: str, start: int, doc: str = "d", title: str = TITLE) -> Quote:
    return Quote(text, doc, start, start + len(text), title)


def test_the_title_is_left_out_when_a_sentence_says_it() -> None:
    quotes = [_q(TITLE, 2), _q("7月份中国电商物流指数为110.9点,比上月小幅提高0.3个点。", 120)]
    assert keep(quotes) == [1]
    assert keep(quotes[:1]) == [0]  # a title alone is still better than nothing
    # a headline that is the best evidence, its document saying it nowhere else (a source line after it)
    source = [_q(TITLE, 2), _q("来源:海关发布", 40)]
    assert keep(source, best=0) == [0, 1] and keep(source) == [1]


def test_near_duplicates_keep_the_fuller_sentence_and_items_are_never_duplicates() -> None:
    assert near_duplicates("指数为110.9点 环比提高0.3个点", "7月份指数为110.9点,比上月小幅提高0.3个点。")
    assert not near_duplicates("二、全面推广阶段(2024年1月-12月)经地方推荐产生第二批“领跑县”。",
                               "三、总结评估阶段(2025年1月-10月)经地方推荐产生第三批“领跑县”。")
    assert not near_duplicates("7月份指数为110.9点。", "8月份指数为110.9点。")
    quotes = [_q("指数为110.9点 环比提高0.3个点", 10, title="x"), _q("其他内容完全不同的一句话。", 50, title="x"),
              _q("7月份指数为110.9点,比上月小幅提高0.3个点。", 90, title="x")]
    assert keep(quotes) == [2, 1]
    # the same sentence in two documents is two sources saying it
    twins = [_q("来源:海关发布", 500, doc="a", title="x"), _q("来源:海关发布", 700, doc="b", title="y")]
    assert keep(twins) == [0, 1]


def test_places_are_separated_and_neighbours_read_as_one_passage() -> None:
    a, b, c = _q("第一句。", 0, title="t"), _q("第二句。", 4, title="t"), _q("远处的一句。", 300, title="t")
    assert layout([a, b, c], [1, 2, 3], lead_titles=False) == "第一句。[1]第二句。[2]\n远处的一句。[3]"


def test_list_items_one_per_line_numbered_as_in_the_source_with_the_lead_in_apart() -> None:
    items = [_q("主要内容如下:一、服务构建新发展格局。", 90, title="t"), _q("二、促进贸易便利化。", 2000, title="t"),
             _q("三、助推高质量发展。", 3000, title="t")]
    assert list_style([q.text for q in items]) == "dun"
    assert layout(items, [1, 2, 3], lead_titles=False) == (
        "主要内容如下:\n一、服务构建新发展格局。[1]\n二、促进贸易便利化。[2]\n三、助推高质量发展。[3]")
    assert list_style(["二、甲。", "一、乙。"]) is None


@pytest.mark.parametrize(("question", "n"), [
    ("第一个方面具体是什么？", 1), ("第3条呢", 3), ("第十二项是什么", 12), ("最后一个阶段呢？", -1),
    ("What does the second one say?", 2), ("and the last item?", -1), ("展会在哪里举办？", None),
    ("最后那个阶段时间是怎么安排的", -1),
])
def test_ordinals(question: str, n: int | None) -> None:
    assert ordinal(question) == n


def test_an_ordinal_follow_up_takes_the_item_of_the_latest_answer_with_items() -> None:
    listed = "主要内容如下:\n一、甲方面。[1]\n二、乙方面。[2]\n三、丙方面。[3]"
    history = [{"role": "user", "content": "有哪几个方面？"}, {"role": "assistant", "content": listed}]
    assert answer_items(listed) == ["一、甲方面。", "二、乙方面。", "三、丙方面。"]
    assert referred_item("第一个方面具体是什么？", history) == "一、甲方面。"
    assert referred_item("第四个呢？", history) is None
    later = history + [{"role": "user", "content": "第一个呢"}, {"role": "assistant", "content": "一、甲方面。[1]"}]
    assert referred_item("最后一个呢？", later) == "三、丙方面。"
    assert referred_item("第二句呢？", [{"role": "assistant", "content": "甲。[1]\n乙。[2]"}]) == "乙。"
    # the items one sentence lists after a colon; "the other one" of two is the one not named
    stages = [{"role": "assistant", "content": "分三个阶段：部署启动阶段(2023年7月-12月)、全面推广阶段、总结评估阶段。"}]
    assert referred_item("最后那个阶段时间是怎么安排的", stages) == "总结评估阶段"
    phones = [{"role": "assistant", "content": "客服电话有两个：0579-85891888、010-67801814。"}]
    assert referred_item("第一个打不通 另一个号多少", phones) == "010-67801814"


# -- the real answers, as the API returns them -------------------------------------------------------------
@pytest.fixture(scope="module")
def api(real_pipeline: Pipeline) -> TestClient:
    return TestClient(create_app(real_pipeline, real_pipeline.settings))


def _ask(api: TestClient, question: str, history: list[dict] | None = None) -> dict:
    r = api.post("/api/ask", json={"question": question, "history": history or []})
    assert r.status_code == 200, r.text
    return r.json()


def _chat(api: TestClient, question: str) -> str:
    r = api.post("/v1/chat/completions", json={"model": "expo-qa", "messages": [{"role": "user", "content": question}]})
    assert r.status_code == 200, r.text
    return r.json()["choices"][0]["message"]["content"]


@pytest.mark.slow
def test_api_answer_quotes_no_title(api: TestClient) -> None:
    a = _ask(api, "综保区改革一共多少条措施？")
    titles = {c["title"] for c in a["citations"]}
    assert all(c["quote"].strip("# ") not in titles for c in a["citations"])
    assert a["answer"].startswith("近日,海关总署印发了") and "23条" in a["answer"]


@pytest.mark.slow
def test_api_answer_quotes_a_repeated_figure_once(api: TestClient) -> None:
    a = _ask(api, "7月份电商物流指数是多少？")
    assert a["answer"].count("110.9") == 1 and len(a["citations"]) == 1


@pytest.mark.slow
def test_api_list_answer_has_one_item_per_line_in_api_ui_text_and_openai(api: TestClient) -> None:
    question = "海关支持综保区发展的改革措施涉及哪几个方面？"
    a = _ask(api, question)
    lines = a["answer"].split("\n")
    numbered = [ln for ln in lines if re.match(r"^[一二三四五]、", ln)]
    assert [ln[0] for ln in numbered] == list("一二三四五")
    assert all(re.search(r"\[\d+\]$", ln) for ln in numbered)
    assert "\n一、" in _chat(api, question) and "\n五、" in _chat(api, question)


@pytest.mark.slow
def test_api_ordinal_follow_up_answers_about_that_item(api: TestClient) -> None:
    first = _ask(api, "海关支持综保区发展的改革措施涉及哪几个方面？")
    history = [{"role": "user", "content": "海关支持综保区发展的改革措施涉及哪几个方面？"},
               {"role": "assistant", "content": first["answer"]}]
    a = _ask(api, "第一个方面具体是什么？", history)
    assert "服务构建新发展格局" in a["answer"] and "完善配套保障" not in a["answer"]
    # the item's own points, one per line, numbered as in the source: (一) to (五) belong to aspect one
    points = re.findall(r"^\(([一二三四五六七八九十]+)\)", a["answer"], re.MULTILINE)
    assert points == list("一二三四五"), a["answer"]
    b = _ask(api, "最后一个方面呢？", history)
    assert "完善配套保障" in b["answer"]
    # asked in English: the item's Chinese text carried from the list is kept when the question is translated
    c = _ask(api, "the second one?", history)
    assert not c["abstained"] and "促进贸易便利化" in c["answer"] and "(六)" in c["answer"], c["answer"]
