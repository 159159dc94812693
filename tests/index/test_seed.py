"""The shipped corpus is exactly what the scraped page gives, minus the site's boilerplate."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from index.documents import Document
from index.ingest.seed import (
    DEFAULT_OUT,
    DEFAULT_SEED,
    main,
    parse_seed,
    read_seed,
    render_document,
    write_corpus,
)
from qa.errors import DocumentError

EXPECTED = {
    "customs-ftz-23-measures": (
        "海关总署关于推动综合保税区高质量发展23条综合改革措施解读",
        "2023-08-21",
        "来源:海关发布",
    ),
    "rural-livestream-ecommerce": (
        "九部门:大力发展农村直播电商",
        "2023-08-18",
        "来源:商务部流通发展司、电商发布,电商会整理发布。",
    ),
    "douyin-new-brands": ("新品牌如何抓住抖音电商流量", "2023-08-15", "来源:电商会"),
    "customs-trade-jan-jul": (
        "海关总署:前7个月我国进出口总值为23.55万亿元,同比增长0.4%",
        "2023-08-14",
        "来源:海关发布",
    ),
    "china-georgia-fta": (
        "李强:充分释放中格自贸协定红利,加强跨境电商等领域合作",
        "2023-08-12",
        "来源:外交部网站",
    ),
    "ecommerce-logistics-index-july": (
        "7月份中国电商物流指数为110.9点 环比提高0.3个点",
        "2023-08-11",
        "来源:电商报、杭州电商,电商会整理发布。",
    ),
    "expo-info": ("中国国际电子商务博览会 展会信息", None, "中国国际电子商务博览会官网"),
}

EXPO_INFO_TEXT = """# 中国国际电子商务博览会 展会信息

展会名称：中国国际电子商务博览会
展会时间：2024年9月1日-3日
展会地点：义乌国际博览中心
客服电话：0579-85891888、010-67801814
传真：0579-85297855
邮箱：web@ecfair.cn
公司：义乌市网博会展有限公司
地址：义乌市工人北路689号外贸商务大厦6楼
展会咨询QQ：604026680
参观咨询QQ：2422768246
版权所有：中国国际电子商务博览会
网站备案号：浙ICP备15030753号
公安备案号：浙公网安备 33078202000341号
技术支持：创源网络"""


@pytest.fixture(scope="module")
def page() -> str:
    return read_seed(DEFAULT_SEED)


@pytest.fixture(scope="module")
def docs(page: str) -> dict[str, Document]:
    return {doc.id: doc for doc in parse_seed(page)}


def articles(docs: dict[str, Document]) -> list[Document]:
    return [doc for doc in docs.values() if doc.id != "expo-info"]


def test_committed_corpus_is_what_the_parser_writes(docs: dict[str, Document]) -> None:
    committed = {path.name for path in DEFAULT_OUT.glob("*.md")}
    assert committed == {f"{doc_id}.md" for doc_id in EXPECTED}
    for doc in docs.values():
        assert (DEFAULT_OUT / f"{doc.id}.md").read_bytes() == render_document(doc).encode("utf-8"), doc.id


def test_ids_titles_dates_and_sources(page: str, docs: dict[str, Document]) -> None:
    assert [doc.id for doc in parse_seed(page)] == list(EXPECTED)
    for doc_id, (title, date, source) in EXPECTED.items():
        doc = docs[doc_id]
        assert (doc.title, doc.date, doc.source) == (title, date, source)
        assert doc.text.startswith(f"# {title}\n\n")


def test_boilerplate_is_gone_and_attribution_kept(docs: dict[str, Document]) -> None:
    for doc in articles(docs):
        assert "查看详细" not in doc.text
        assert "如有侵权" not in doc.text
        assert "删除此文章" not in doc.text
        assert doc.text.endswith(doc.source)
    # A caption note inside the body is not site boilerplate.
    assert "图注:中国物流信息中心主任" in docs["ecommerce-logistics-index-july"].text


def test_article_bodies_are_verbatim_substrings_of_the_page(page: str, docs: dict[str, Document]) -> None:
    for doc in articles(docs):
        body = doc.text.removeprefix(f"# {doc.title}\n\n")
        assert len(body) > 0
        assert body in page, doc.id
    assert "," in docs["rural-livestream-ecommerce"].text  # ASCII commas are not widened


def test_masked_words_are_kept_as_on_the_page(docs: dict[str, Document]) -> None:
    text = docs["douyin-new-brands"].text
    assert "实现*佳匹配" in text
    assert "**批直播间" in text


def test_article_without_body_is_its_source_line(docs: dict[str, Document]) -> None:
    doc = docs["customs-trade-jan-jul"]
    assert doc.text == "# 海关总署:前7个月我国进出口总值为23.55万亿元,同比增长0.4%\n\n来源:海关发布"


def test_expo_info_is_built_from_the_footer(docs: dict[str, Document]) -> None:
    text = docs["expo-info"].text
    assert text == EXPO_INFO_TEXT
    for value in (
        "0579-85891888",
        "010-67801814",
        "web@ecfair.cn",
        "工人北路689号",
        "604026680",
        "2422768246",
    ):
        assert value in text
    assert "官方微信" not in text and "采购商微信预登记" not in text


def test_expo_info_follows_the_page_not_constants(page: str) -> None:
    changed = page.replace("web@ecfair.cn", "info@example.cn").replace(
        "义乌国际博览中心 ", "杭州国际博览中心 "
    )
    info = {doc.id: doc for doc in parse_seed(changed)}["expo-info"]
    assert "邮箱：info@example.cn" in info.text
    assert "展会地点：杭州国际博览中心" in info.text


def test_full_width_punctuation_and_unknown_titles() -> None:
    page = (
        "某会展中心 2025年5月1日-2日\n"
        "  • 新的文章发布时间：2025-05-01\n\n"
        "    正文,数据来源:统计局,保持原样。来源：某报 注：如有侵权，请联系义乌电商博览会组委会办公室删除此文章 \n"
        "    查看详细\n"
        "客服电话:\n1 2\n传真:\n3\n邮箱:\na@b.cn\n版权所有:\n某博览会\n备案号:\nX\n技术支持:\nY\n"
        "版权所有:\n浙公网安备 1号\n公司:\nC\n地址:\nD\n在线咨询 展会咨询QQ\n4\n参观咨询QQ\n5\n官方微信\n"
    )
    article, info = parse_seed(page)
    digest = hashlib.sha1("新的文章".encode()).hexdigest()[:8]
    assert article.id == f"article-20250501-{digest}"
    assert article.text == "# 新的文章\n\n正文,数据来源:统计局,保持原样。来源：某报"
    assert article.source == "来源：某报"
    assert "客服电话：1、2" in info.text and "展会地点：某会展中心" in info.text


def test_missing_footer_value_is_an_error(page: str) -> None:
    broken = page.replace("邮箱:\nweb@ecfair.cn\n", "")
    with pytest.raises(DocumentError, match="邮箱"):
        parse_seed(broken, origin="page.txt")


def test_cli_regenerates_and_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "expo"
    assert main(["--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{doc_id}.md" for doc_id in EXPECTED)
    for path in out.iterdir():
        assert path.read_bytes() == (DEFAULT_OUT / path.name).read_bytes()
    assert main(["--out", str(out), "--check"]) == 0

    (out / "douyin-new-brands.md").write_text("changed\n", encoding="utf-8")
    (out / "china-georgia-fta.md").unlink()
    (out / "stale.md").write_text("old\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["--out", str(out), "--check"]) == 1
    report = capsys.readouterr().err
    assert "differs: " in report and "douyin-new-brands.md" in report
    assert "missing: " in report and "china-georgia-fta.md" in report
    assert "unexpected: " in report and "stale.md" in report


def test_write_corpus_leaves_no_temporary_files(tmp_path: Path, docs: dict[str, Document]) -> None:
    written = write_corpus(list(docs.values()), tmp_path)
    assert sorted(written) == sorted(tmp_path.iterdir())
    write_corpus(list(docs.values()), tmp_path)
    assert sorted(written) == sorted(tmp_path.iterdir())


def test_unreadable_seed_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = tmp_path / "page.txt"
    seed.write_bytes(b"\xff\xfe broken")
    assert main(["--seed", str(seed), "--out", str(tmp_path / "out")]) == 2
    assert "page.txt" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
