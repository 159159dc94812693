"""Metric functions on hand-worked examples: each expected value is computed in the comment beside it."""

from __future__ import annotations

import pytest

from eval.datasets import EvalItem, ItemType, Match
from eval.metrics import (
    abstention_scores,
    aggregate,
    answer_correct,
    citation_precision,
    citation_recall,
    exact_match,
    f1,
    hit_at_k,
    normalize,
    percentiles,
    quotes_verbatim,
    ranked_doc_ids,
    reciprocal_rank,
    score_item,
    segment,
)
from index.documents import Chunk, Document
from qa.types import Answer, Citation, Hit

EXPO = Document(id="expo-info", title="展会信息",
                text="展会时间：2024年9月1日-3日\n展会地点：义乌国际博览中心\n客服电话：0579-85891888、010-67801814")
INDEX = Document(id="logistics", title="电商物流指数",
                 text="7月份中国电商物流指数为110.9点,比上月小幅提高0.3个点。")
DOCS = {d.id: d for d in (EXPO, INDEX)}


def hit(doc_id: str, rank: int) -> Hit:
    chunk = Chunk(id=f"{doc_id}#{rank}", doc_id=doc_id, title=doc_id, date=None, ordinal=0, start=0, end=1,
                  text="x")
    return Hit(chunk=chunk, score=1.0 / rank, rank=rank)


def cite(n: int, doc: Document, quote: str, shift: int = 0) -> Citation:
    start = doc.text.index(quote) + shift
    return Citation(n=n, doc_id=doc.id, title=doc.title, date=None, chunk_id=f"{doc.id}#0", quote=quote,
                    start=start, end=start + len(quote))


def item(answers: list[str], doc_ids: list[str], **kw) -> EvalItem:
    return EvalItem(id="t", question="q", answers=answers, doc_ids=doc_ids, **kw)


# -- normalization -------------------------------------------------------------------------------------

def test_normalize_folds_width_case_space_and_punctuation():
    assert normalize("ＷＥＢ＠ecfair.CN") == "webecfaircn"
    assert normalize(" 展会地点：义乌 国际博览中心。") == "展会地点义乌国际博览中心"
    assert normalize("“一线”、《实施方案》(简称)") == "一线实施方案简称"
    assert normalize("0579-85891888") == "057985891888"


def test_normalize_keeps_decimal_points_inside_numbers():
    assert normalize("110.9点。") == "110.9点"
    assert normalize("增长0.4%.") == "增长0.4"
    assert normalize("110.9") != normalize("1109")


# -- answer correctness ------------------------------------------------------------------------------

def test_answer_correct_any_of_the_acceptable_answers():
    it = item(["23条", "23条具体改革措施"], ["c"])
    assert answer_correct("海关总署提出了五方面 23 条具体改革措施。", it)
    assert not answer_correct("海关总署提出了五方面改革措施。", it)


def test_answer_correct_all_items_for_list_questions():
    it = item(["部署启动阶段", "全面推广阶段", "总结评估阶段"], ["r"], match=Match.ALL)
    assert answer_correct("分为部署启动阶段、全面推广阶段和总结评估阶段。", it)
    assert not answer_correct("分为部署启动阶段和全面推广阶段。", it)


def test_answer_correct_reads_past_citation_marks():
    it = item(["以头足类为食。体型较大的物种也以爬行动物为食"], ["c"])
    assert answer_correct("大部分是鱼食性动物,以头足类为食。[1]体型较大的物种也以爬行动物为食。[2]", it)
    assert not answer_correct("以头足类为食。[1]体型较大的物种以鱼为食。[2]", it)


def test_answer_correct_takes_a_count_in_chinese_numerals_or_digits_alike():
    it = item(["6部门"], ["c"])
    assert answer_correct("六部门:推进县域快递", it) and answer_correct("由6部门联合印发", it)
    assert answer_correct("共二十三条措施", item(["23条"], ["c"]))
    assert answer_correct("共23条措施", item(["二十三条"], ["c"]))
    assert answer_correct("第一百零五号", item(["105号"], ["c"]))
    # another number, however written, is still another
    assert not answer_correct("七部门:推进县域快递", it) and not answer_correct("由8部门联合印发", it)
    assert not answer_correct("共二十条措施", item(["23条"], ["c"]))


def test_answer_correct_is_false_without_gold_answers():
    it = EvalItem(id="u", question="q", answerable=False, type=ItemType.UNANSWERABLE)
    assert not answer_correct("随便什么", it)


# -- CMRC-style EM and F1 ------------------------------------------------------------------------------

def test_segment_splits_chinese_by_character_and_english_by_word():
    expected = ["指", "数", "为", "110.9", "点", "yiwu", "expo", "center"]
    assert segment("指数为110.9点, Yiwu Expo-Center") == expected
    assert segment("“，。”") == []


def test_exact_match_ignores_punctuation_case_and_width():
    assert exact_match("110.9点。", ["110.9点"]) == 1.0
    assert exact_match("ＦＡＣＴ", ["fact"]) == 1.0
    assert exact_match("110.9", ["110.9点"]) == 0.0
    assert exact_match("", ["110.9点"]) == 0.0
    assert exact_match("x", []) == 0.0


def test_f1_character_level_for_chinese():
    # pred 指 数 为 110.9 点 (5 tokens), gold 110.9 点 (2): common run 2 -> P 2/5, R 1 -> F1 = 0.8/1.4 = 4/7
    assert f1("指数为110.9点", ["110.9点"]) == pytest.approx(4 / 7)
    # pred 义 乌 (2), gold 义 乌 国 际 博 览 中 心 (8): P 1, R 1/4 -> F1 = 0.5/1.25 = 0.4
    assert f1("义乌", ["义乌国际博览中心"]) == pytest.approx(0.4)


def test_f1_counts_the_longest_common_run_not_a_bag_of_tokens():
    # yiwu expo center vs yiwu center: the longest shared run is one token -> P 1/3, R 1/2 -> F1 = 0.4
    assert f1("Yiwu expo center", ["yiwu center"]) == pytest.approx(0.4)


def test_f1_takes_the_best_gold_and_zero_on_no_overlap():
    assert f1("110.9点", ["0.3个点", "110.9点"]) == pytest.approx(1.0)
    assert f1("人民大会堂", ["义乌"]) == 0.0
    assert f1("", ["义乌"]) == 0.0


# -- retrieval ---------------------------------------------------------------------------------------

def test_ranked_doc_ids_dedupes_chunks_into_documents():
    answer = Answer(answer="", short_answer=None, abstained=False,
                    sources=[hit("a", 1), hit("a", 2), hit("b", 3), hit("a", 4), hit("c", 5)])
    assert ranked_doc_ids(answer) == ["a", "b", "c"]


def test_hit_at_k_and_reciprocal_rank_count_documents_not_chunks():
    ranked = ["a", "a", "a", "b", "c", "d", "gold"]  # distinct order: a b c d gold -> gold at rank 5
    assert hit_at_k(ranked, ["gold"], 1) == 0.0
    assert hit_at_k(ranked, ["gold"], 3) == 0.0
    assert hit_at_k(ranked, ["gold"], 5) == 1.0
    assert reciprocal_rank(ranked, ["gold"]) == pytest.approx(1 / 5)
    assert reciprocal_rank(["x", "b", "a"], ["a", "b"]) == pytest.approx(1 / 2)
    assert reciprocal_rank(["x"], ["a"]) == 0.0
    with pytest.raises(ValueError):
        hit_at_k(ranked, ["gold"], 0)


# -- citations ---------------------------------------------------------------------------------------

def test_citation_precision_and_recall():
    cites = [cite(1, EXPO, "义乌国际博览中心"), cite(2, INDEX, "110.9点"), cite(3, EXPO, "2024年9月1日-3日")]
    assert citation_precision(cites, ["expo-info"]) == pytest.approx(2 / 3)
    assert citation_recall(cites, ["expo-info"]) == 1.0
    assert citation_recall(cites[:1], ["expo-info", "logistics"]) == 0.5
    assert citation_precision([], ["expo-info"]) is None
    assert citation_recall(cites, []) is None


def test_quotes_verbatim_checks_offsets_against_the_document():
    good = Answer(answer="", short_answer=None, abstained=False,
                  citations=[cite(1, EXPO, "义乌国际博览中心")])
    shifted = Answer(answer="", short_answer=None, abstained=False,
                     citations=[cite(1, EXPO, "义乌国际博览中心", shift=1)])
    unknown = Answer(answer="", short_answer=None, abstained=False,
                     citations=[Citation(1, "nope", "", None, "", "x", 0, 1)])
    assert quotes_verbatim(good, DOCS)
    assert not quotes_verbatim(shifted, DOCS)
    assert not quotes_verbatim(unknown, DOCS)


# -- abstention and latency --------------------------------------------------------------------------

def test_abstention_scores():
    answerable = [True, True, True, True, False, False, False]
    abstained = [False, False, True, False, True, True, False]
    s = abstention_scores(answerable, abstained)
    assert s["precision"] == pytest.approx(2 / 3)  # 3 refusals, 2 on unanswerable items
    assert s["recall"] == pytest.approx(2 / 3)  # 3 unanswerable items, 2 refused
    assert s["false_abstention_rate"] == pytest.approx(1 / 4)  # 4 answerable items, 1 refused
    assert abstention_scores([True], [False])["precision"] is None


def test_percentiles_interpolate_linearly():
    values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    # p50 sits at position 4.5 -> 55; p95 at 8.55 -> 90 + 0.55 * 10 = 95.5
    assert percentiles(values, (50, 95)) == {"p50": pytest.approx(55.0), "p95": pytest.approx(95.5)}
    assert percentiles([7.0]) == {"p50": 7.0, "p95": 7.0}
    assert percentiles([]) == {"p50": None, "p95": None}


# -- per item and aggregate ----------------------------------------------------------------------------

def _answerable_row(abstained: bool = False) -> dict:
    it = item(["义乌国际博览中心"], ["expo-info"])
    answer = Answer(answer="展会地点：义乌国际博览中心。[1]", short_answer="义乌国际博览中心",
                    abstained=abstained,
                    citations=[] if abstained else [cite(1, EXPO, "义乌国际博览中心")],
                    sources=[hit("logistics", 1), hit("expo-info", 2)],
                    timings_ms={"retrieve": 10.0, "total": 30.0})
    return score_item(it, answer, DOCS)


def test_score_item_answerable():
    row = _answerable_row()
    assert row["answer_correct"] is True
    assert row["em"] == 1.0 and row["f1"] == 1.0
    assert (row["hit@1"], row["hit@3"], row["hit@5"], row["rr"]) == (0.0, 1.0, 1.0, 0.5)
    assert row["citation_precision"] == 1.0 and row["citation_recall"] == 1.0
    assert row["quotes_verbatim"] is True
    assert row["abstention_correct"] is True


def test_score_item_abstaining_on_an_answerable_question_scores_zero():
    row = _answerable_row(abstained=True)
    assert row["answer_correct"] is False and row["em"] == 0.0 and row["f1"] == 0.0
    assert row["abstention_correct"] is False
    assert row["hit@3"] == 1.0  # retrieval is still judged: it found the document


def test_score_item_unanswerable_only_judges_abstention():
    it = EvalItem(id="u", question="8月份指数是多少？", answerable=False, type=ItemType.UNANSWERABLE,
                  doc_ids=["logistics"])
    refused = Answer(answer="语料中没有这一信息。", short_answer=None, abstained=True,
                     sources=[hit("logistics", 1)], timings_ms={"retrieve": 20.0, "total": 50.0})
    row = score_item(it, refused, DOCS)
    assert row["abstention_correct"] is True
    assert row["answer_correct"] is None and row["hit@1"] is None and row["f1"] is None
    guessed = Answer(answer="110.9点", short_answer="110.9点", abstained=False)
    assert score_item(it, guessed, DOCS)["abstention_correct"] is False


def test_aggregate_means_counts_and_latency():
    it = EvalItem(id="u", question="q", answerable=False, type=ItemType.UNANSWERABLE, lang="en")
    refused = Answer(answer="", short_answer=None, abstained=True,
                     timings_ms={"retrieve": 20.0, "total": 50.0})
    rows = [_answerable_row(), _answerable_row(abstained=True), score_item(it, refused, DOCS)]
    agg = aggregate(rows)
    assert (agg["n"], agg["n_answerable"], agg["n_unanswerable"]) == (3, 2, 1)
    assert agg["answer_correct"] == pytest.approx(0.5)  # unanswerable row has None and is left out
    assert agg["mrr"] == pytest.approx(0.5)
    assert agg["abstention_correct"] == pytest.approx(2 / 3)
    assert agg["abstention"] == {"precision": 0.5, "recall": 1.0, "false_abstention_rate": 0.5}
    assert agg["by_type"]["factoid"]["n"] == 2 and agg["by_lang"]["en"]["n"] == 1
    assert agg["latency_ms"]["retrieve"] == {"p50": pytest.approx(10.0), "p95": pytest.approx(19.0)}
    assert agg["latency_ms"]["total"]["p50"] == pytest.approx(30.0)
