"""Users' own files become Documents; every file that cannot be read is reported by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.ingest.loaders import document_from_dict, load_path, shipped_corpus_dir, slugify
from index.ingest.seed import DEFAULT_SEED, parse_seed, read_seed
from qa.errors import DocumentError


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def load_one(path: Path):
    docs, errors = load_path(path)
    assert errors == []
    assert len(docs) == 1
    return docs[0]


def only_error(path: Path) -> str:
    docs, errors = load_path(path)
    assert docs == []
    assert len(errors) == 1
    assert isinstance(errors[0], DocumentError)
    message = str(errors[0])
    assert str(path) in message
    return message


def test_shipped_corpus_round_trips_through_the_files() -> None:
    docs, errors = load_path(shipped_corpus_dir())
    assert errors == []
    parsed = parse_seed(read_seed(DEFAULT_SEED))
    assert {doc.id: doc for doc in docs} == {doc.id: doc for doc in parsed}
    assert len(docs) == 7


def test_markdown_front_matter(tmp_path: Path) -> None:
    path = write(
        tmp_path / "notes.md",
        '---\nid: my-id\ntitle: "展会:须知"\ndate: 2023/8/21\nsource: 来源:自编\n'
        "url: https://example.cn/a\ntags: [a, b]\n---\n\n\n# 另一个标题\n\n正文,原样。\n\n",
    )
    doc = load_one(path)
    assert doc.id == "my-id"
    assert doc.title == "展会:须知"
    assert doc.date == "2023-08-21"
    assert doc.source == "来源:自编"
    assert doc.url == "https://example.cn/a"
    assert doc.text == "# 另一个标题\n\n正文,原样。"
    assert doc.meta["tags"] == ["a", "b"]


@pytest.mark.parametrize(
    ("written", "iso"),
    [("2023-08-21", "2023-08-21"), ('"2023-8-1"', "2023-08-01"), ("2023年8月21日", "2023-08-21")],
)
def test_dates_are_normalised(tmp_path: Path, written: str, iso: str) -> None:
    doc = load_one(write(tmp_path / "a.md", f"---\ndate: {written}\n---\ntext"))
    assert doc.date == iso


def test_markdown_without_front_matter(tmp_path: Path) -> None:
    doc = load_one(write(tmp_path / "展会 指南 (v2).md", "\n\n前言\n\n# 参观指南\n\n内容\r\n第二行\n"))
    assert doc.id == "展会-指南-v2"
    assert doc.title == "参观指南"
    assert doc.text == "前言\n\n# 参观指南\n\n内容\n第二行"
    assert doc.date is None


def test_text_file_title_is_its_first_line(tmp_path: Path) -> None:
    first = "第一行" * 30
    doc = load_one(write(tmp_path / "Plain_Notes.txt", f"\n{first}\nsecond\n"))
    assert doc.id == "plain_notes"
    assert doc.title == first[:60]
    assert doc.text == f"{first}\nsecond"


def test_html_text_extraction(tmp_path: Path) -> None:
    page = (
        "<!doctype html><html><head><title>展会 &amp; 论坛</title>"
        "<style>p { color: red }</style><script>var s = '<p>hidden</p>';</script></head>"
        "<body><h1>标题</h1><p>A&nbsp;&lt;b&gt;   c\n   d</p><div>e<br>f</div>"
        "<noscript>NOSCRIPT</noscript><template><p>TPL</p></template><ul><li>x</li><li>y</li></ul></body></html>"
    )
    doc = load_one(write(tmp_path / "page.html", page))
    assert doc.title == "展会 & 论坛"
    assert doc.text == "标题\nA <b> c d\ne\nf\nx\ny"
    for hidden in ("color", "var s", "hidden", "NOSCRIPT", "TPL"):
        assert hidden not in doc.text
    other = load_one(write(tmp_path / "other.htm", "<body><h1>只有 <em>h1</em></h1><p>内容</p></body>"))
    assert other.title == "只有 h1"


def test_jsonl_bad_line_is_reported_and_good_lines_load(tmp_path: Path) -> None:
    path = write(
        tmp_path / "docs.jsonl",
        '{"id": "a", "title": "A", "date": "2023/08/01", "text": "甲", "url": "https://x.cn"}\n'
        "\n"
        "{not json\n"
        '{"title": "B", "text": "乙"}\n'
        '{"title": "C", "text": "   "}\n'
        '{"title": ["D"], "text": "丁"}\n'
        '["a list"]\n',
    )
    docs, errors = load_path(path)
    assert [(d.id, d.title, d.text, d.date) for d in docs] == [
        ("a", "A", "甲", "2023-08-01"),
        ("docs-4", "B", "乙", None),
    ]
    assert docs[0].url == "https://x.cn"
    messages = [str(e) for e in errors]
    assert [m.split(":")[0] for m in messages] == [f"{path}, line {n}" for n in (3, 5, 6, 7)]
    assert "invalid JSON" in messages[0]
    assert "'text' is empty" in messages[1]
    assert "'title' must be a string" in messages[2]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("gbk.txt", "展会资料".encode("gbk"), "not UTF-8"),
        ("empty.md", b"", "empty"),
        ("blank.txt", b"  \n\n", "empty"),
        ("binary.txt", b"PK\x03\x04\x00\x00data", "binary"),
        ("bad-date.md", b"---\ndate: 2023-02-30\n---\ntext", "2023-02-30"),
        ("words-date.md", b"---\ndate: next week\n---\ntext", "next week"),
        ("bad-yaml.md", b"---\ntitle: [unclosed\n---\ntext", "front matter"),
        ("only-front-matter.md", b"---\ntitle: t\n---\n\n", "no text"),
        ("page.pdf", b"%PDF-1.4", "not a readable PDF"),
        ("letter.docx", b"PK\x03\x04 not a zip", "not a readable Word"),
        ("sheet.xlsx", b"x", "unsupported"),
    ],
)
def test_unreadable_files_are_named(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    assert expected in only_error(write(tmp_path / name, content))


def test_one_bad_file_does_not_stop_the_rest(tmp_path: Path) -> None:
    write(tmp_path / "a.md", "# A\n\ntext a")
    write(tmp_path / "b.txt", b"\xff\xfe\xfd")
    write(tmp_path / "sub" / "c.txt", "text c")
    write(tmp_path / "sub" / ".hidden.md", "hidden")
    write(tmp_path / ".git" / "d.md", "hidden too")
    write(tmp_path / "notes.csv", "x,y")
    docs, errors = load_path(tmp_path)
    assert [doc.id for doc in docs] == ["a", "c"]
    assert len(errors) == 1 and str(tmp_path / "b.txt") in str(errors[0])


def test_duplicate_id_is_reported_for_the_later_file(tmp_path: Path) -> None:
    write(tmp_path / "a.md", "---\nid: same\n---\nfirst")
    write(tmp_path / "b.md", "---\nid: same\n---\nsecond")
    docs, errors = load_path(tmp_path)
    assert [doc.text for doc in docs] == ["first"]
    assert len(errors) == 1
    assert str(tmp_path / "b.md") in str(errors[0]) and "duplicate id 'same'" in str(errors[0])


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    docs, errors = load_path(tmp_path / "nowhere")
    assert docs == [] and "nowhere" in str(errors[0])


def test_document_from_dict_validates_and_derives_ids() -> None:
    doc = document_from_dict({"title": "T", "text": "正文"}, "request")
    again = document_from_dict({"title": "T", "text": "正文"}, "request")
    assert doc.id == again.id and doc.id.startswith("doc-")
    assert document_from_dict({"title": "T", "text": "x"}, "r", default_id="given").id == "given"
    with pytest.raises(DocumentError, match="request: 'text' is required"):
        document_from_dict({"title": "T"}, "request")
    untitled = document_from_dict({"text": "  新闻正文的第一句。第二句。"}, "request")
    assert untitled.title == "新闻正文的第一句" and "no title" in untitled.meta["notices"][0]
    with pytest.raises(DocumentError, match="'url' must be a string"):
        document_from_dict({"title": "T", "text": "x", "url": 5}, "request")
    with pytest.raises(DocumentError, match="id 'a b'"):
        document_from_dict({"id": "a b", "title": "T", "text": "x"}, "request")


def test_slugify_keeps_cjk() -> None:
    assert slugify("电商 博览会/2024") == "电商-博览会-2024"
    assert slugify("...") == "document"
