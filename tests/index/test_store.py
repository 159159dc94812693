"""The index on disk: incremental updates, removals, mismatch detection, crash safety."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from index.documents import Document
from index.embedders.fake import HashEmbedder
from index.storage.store import Store
from qa.errors import IndexMismatchError, NotFoundError
from qa.pipeline import Pipeline
from qa.settings import Settings

REPO = Path(__file__).resolve().parents[2]


def _doc(i: int, text: str | None = None) -> Document:
    return Document(id=f"doc-{i}", title=f"文档{i}", date=f"2024-01-0{1 + i % 9}",
                    text=text or f"第{i}号文档。" + "义乌电商博览会的内容介绍。" * 60 + f"编号{i}的独特词语甲乙{i}。")


def test_second_index_run_embeds_nothing(hash_pipeline: Pipeline) -> None:
    first = hash_pipeline.index_paths()
    assert first.added == 7 and first.chunks_embedded > 0
    second = hash_pipeline.index_paths()
    assert second.chunks_embedded == 0 and second.unchanged == 7 and second.added == 0


def test_reopened_index_embeds_nothing(settings: Settings) -> None:
    Pipeline(settings, embedder=HashEmbedder()).index_paths()
    again = Pipeline(settings, embedder=HashEmbedder()).index_paths()
    assert again.chunks_embedded == 0 and again.unchanged == 7


def test_changed_document_is_replaced_and_unchanged_chunks_reused(hash_pipeline: Pipeline) -> None:
    hash_pipeline.add_documents([_doc(1)])
    changed = _doc(1, text=_doc(1).text + "新增的一句话，关于跨境电商。")
    report = hash_pipeline.add_documents([changed])
    assert report.updated == 1 and report.chunks_reused > 0
    assert hash_pipeline.store.document_text("doc-1") == changed.text
    chunks = [c for c in hash_pipeline.snapshot().chunks.values() if c.doc_id == "doc-1"]
    assert "".join(c.text for c in chunks).count("新增的一句话") >= 1


def test_removed_document_never_comes_back(hash_pipeline: Pipeline, settings: Settings) -> None:
    hash_pipeline.index_paths()
    hits = hash_pipeline.search("综合保税区 检验检疫", top_k=20)
    assert any(h.chunk.doc_id == "customs-ftz-23-measures" for h in hits)
    hash_pipeline.remove_documents(["customs-ftz-23-measures"])
    for q in ("综合保税区 检验检疫", "海关总署 23条 综合改革措施"):
        assert all(h.chunk.doc_id != "customs-ftz-23-measures" for h in hash_pipeline.search(q, top_k=20))
    reopened = Pipeline(settings, embedder=HashEmbedder())
    assert "customs-ftz-23-measures" not in reopened.snapshot().docs
    assert all(h.chunk.doc_id != "customs-ftz-23-measures"
               for h in reopened.search("综合保税区 检验检疫", top_k=20))
    with pytest.raises(NotFoundError):
        reopened.remove_documents(["customs-ftz-23-measures"])


def test_folder_sync_removes_deleted_files(hash_pipeline: Pipeline, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.md").write_text("# 甲\n\n甲文档的内容。", encoding="utf-8")
    (folder / "b.md").write_text("# 乙\n\n乙文档的内容。", encoding="utf-8")
    hash_pipeline.index_paths([folder])
    assert {"a", "b"} <= set(hash_pipeline.snapshot().docs)
    (folder / "b.md").unlink()
    report = hash_pipeline.index_paths([folder])
    assert report.removed == 1 and "b" not in hash_pipeline.snapshot().docs


def test_index_built_with_other_settings_is_refused(settings: Settings) -> None:
    Pipeline(settings, embedder=HashEmbedder()).add_documents([_doc(1)])
    other = settings.replace(chunk_size=200)
    with pytest.raises(IndexMismatchError, match="qa index --rebuild"):
        Pipeline(other, embedder=HashEmbedder()).snapshot()
    with pytest.raises(IndexMismatchError, match="model_id"):
        Pipeline(settings, embedder=HashEmbedder(dim=32)).snapshot()


def test_missing_or_corrupt_derived_files_are_rebuilt(settings: Settings) -> None:
    pipe = Pipeline(settings, embedder=HashEmbedder())
    pipe.add_documents([_doc(i) for i in range(3)])
    gen = pipe.store.generation()
    index_dir = settings.index_dir
    (index_dir / f"vectors-{gen}.faiss").write_bytes(b"not a faiss file")
    import shutil

    shutil.rmtree(index_dir / f"lexical-{gen}")
    again = Pipeline(settings, embedder=HashEmbedder())
    assert len(again.snapshot()) == len(pipe.snapshot())
    assert again.search("独特词语甲乙2", top_k=1)[0].chunk.doc_id == "doc-2"


def test_snapshots_are_immutable_while_writing(hash_pipeline: Pipeline) -> None:
    hash_pipeline.add_documents([_doc(1)])
    before = hash_pipeline.snapshot()
    hash_pipeline.add_documents([_doc(2)])
    assert "doc-2" not in before.docs and "doc-2" in hash_pipeline.snapshot().docs
    assert before.vectors.ntotal == len(before.chunks)


def test_lexicon_change_retokenizes_without_embedding(settings: Settings, tmp_path: Path) -> None:
    from index.tokenizer import Tokenizer

    pipe = Pipeline(settings, embedder=HashEmbedder())
    pipe.add_documents([_doc(1, text="我们讨论奇异词汇的检索。" * 3)])
    lex = tmp_path / "lexicon.txt"
    lex.write_text("奇异词汇 100 n\n", encoding="utf-8")
    syn = tmp_path / "synonyms.tsv"
    syn.write_text("奇异词汇\t怪词\n", encoding="utf-8")
    embedder = HashEmbedder()
    pipe2 = Pipeline(settings, embedder=embedder, tokenizer=Tokenizer(lex, syn))
    hits = pipe2.search("怪词", top_k=1, mode=None)
    assert hits and hits[0].chunk.doc_id == "doc-1" and hits[0].lexical is not None
    assert embedder.passages_embedded == 0


_WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from index.documents import Document
    from index.embedders.fake import HashEmbedder
    from qa.pipeline import Pipeline
    from qa.settings import Settings
    settings = Settings(data_dir=Path(sys.argv[1]), model_cache=Path(sys.argv[1]) / "models")
    pipe = Pipeline(settings, embedder=HashEmbedder())
    pipe.indexer.batch_chunks = 8
    start = int(sys.argv[2])
    for i in range(start, start + 400):
        text = f"第{i}号文档。" + "跨境电商与直播电商的发展情况。" * 30 + f"唯一标记{i}号。"
        pipe.add_documents([Document(id=f"d{i}", title=f"文档{i}", text=text)])
        print(f"ack d{i}", flush=True)
""")


def test_killed_writer_leaves_a_loadable_index_with_every_acknowledged_document(tmp_path: Path) -> None:
    data = tmp_path / "data"
    rng = random.Random(7)
    acked: set[str] = set()
    for round_no in range(4):
        proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(data), str(round_no * 1000)],
                                cwd=REPO, stdout=subprocess.PIPE, text=True,
                                env={**os.environ, "PYTHONPATH": str(REPO)})
        deadline = time.monotonic() + rng.uniform(2.5, 5.0)
        lines: list[str] = []
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
        proc.send_signal(signal.SIGKILL)
        rest = proc.communicate()[0]
        acked |= {ln.split()[1] for ln in lines + rest.splitlines() if ln.startswith("ack ")}
        settings = Settings(data_dir=data, model_cache=data / "models")
        pipe = Pipeline(settings, embedder=HashEmbedder())
        snap = pipe.snapshot()
        assert acked <= set(snap.docs), f"round {round_no}: acknowledged documents lost"
        assert snap.vectors.ntotal == len(snap.chunks) == len(snap.lexical)
        probe = max(acked)
        assert pipe.search(f"唯一标记{probe[1:]}号", top_k=3)
        pipe.store.close()
    assert len(acked) > 0


def test_store_refuses_nothing_on_empty_index(settings: Settings) -> None:
    store = Store(settings.index_dir, Pipeline(settings, embedder=HashEmbedder()).manifest)
    snap = store.snapshot()
    assert len(snap) == 0 and snap.vectors.ntotal == 0
