"""One bad document never stops a run: scraped news with runs of spaces, untitled records, files of
types not read; ``qa index`` lists what it skipped and exits 1 when anything failed."""

from __future__ import annotations

import json
from pathlib import Path

from index.embedders.fake import HashEmbedder
from qa.cli.main import main
from qa.pipeline import Pipeline


def news_jsonl(path: Path, n: int = 300) -> Path:
    """Chinese news as scraped: runs of hundreds of spaces, NBSP, full-width and zero-width spaces, tabs;
    three records without a title."""
    lines = []
    for i in range(n):
        body = (f"第{i}条新闻。" + " " * (50 + 7 * i % 400) + "义乌国际博览中心举办电商博览会，" * (i % 9 + 1)
                + "\u00a0\u3000\u200b\t" * (i % 5) + "\n\n\n" + "展会吸引了众多参展商。" * (i % 13 + 1))
        record = {"id": f"n{i}", "text": body}
        if i not in (5, 50, 500 % n):
            record["title"] = f"新闻 {i}"
        lines.append(json.dumps(record, ensure_ascii=False))
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_scraped_jsonl_indexes_every_document(settings, tokenizer, tmp_path: Path) -> None:
    pipe = Pipeline(settings, embedder=HashEmbedder(), tokenizer=tokenizer)
    report = pipe.index_paths([news_jsonl(tmp_path / "news.jsonl")])
    assert report.errors == [] and report.added == 300
    assert len(report.notices) == 3 and "no title" in report.notices[0]
    snap = pipe.snapshot()
    assert len(snap.docs) == 300
    texts = {d: pipe.store.document_text(d) for d in snap.docs}
    assert all(texts[c.doc_id][c.start:c.end] == c.text for c in snap.chunks.values())


def test_qa_index_lists_skipped_files_and_exits_1_on_errors(settings, tmp_path: Path, capsys,
                                                           monkeypatch) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.md").write_text("# 展会\n\n展会在义乌国际博览中心举办。", encoding="utf-8")
    (folder / "bad.txt").write_bytes("展会".encode("gbk"))
    (folder / "lines.jsonl").write_text('{"text": "有正文。"}\n{not json\n[1]\n', encoding="utf-8")
    (folder / "sheet.xlsx").write_bytes(b"x")
    (folder / ".draft.md").write_text("草稿", encoding="utf-8")
    monkeypatch.setattr("qa.pipeline.Pipeline.from_settings",
                        classmethod(lambda cls, s: cls(s, embedder=HashEmbedder())))
    code = main(["index", str(folder), "--data-dir", str(settings.data_dir)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "skipped: " in err and "sheet.xlsx: file type .xlsx is not read" in err and ".draft.md: hidden file" in err
    assert "bad.txt: not UTF-8" in err and "lines.jsonl, line 2" in err
    assert "2 documents (2 added" in out
    assert "2 document(s) not indexed, 1 file(s) unreadable; 2 file(s) with errors" in out
    assert "2 file(s) skipped" in out
