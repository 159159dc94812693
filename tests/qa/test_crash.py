"""SIGKILL at random moments while documents are written: the data dir still loads, answers, and holds
every document whose write was acknowledged (and none whose deletion was).

- Indexing: ``Pipeline.index_paths``, the path ``qa index`` takes, in a subprocess with the hash embedder
  over folders of many documents, committing every 16 chunks so that kills land inside SQLite
  transactions, inside writes of the derived FAISS and BM25 files, and between batches. A folder is
  acknowledged when ``index_paths`` has returned for it (the child prints so). Each round re-indexes the
  earlier folders too, one of them with a changed document, so recovery is followed by more writes.
- Serving: a real server (``bench/load_mixed.py --serve-only --fake-embedder``, ``QA_API_KEY`` set) killed
  while a client uploads documents one by one and deletes some; a write is acknowledged by its 200.
- The real ``qa index`` command with the real model, killed while it embeds (marked slow).

``QA_CRASH_ROUNDS`` (default 3) sets the rounds of the first two; ``QA_CRASH_ROUNDS=5 python -m pytest
tests/qa/test_crash.py`` makes ten kills or more.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import httpx
import pytest

from bench.load_mixed import ServerProcess
from index.embedders.fake import HashEmbedder
from qa.pipeline import Pipeline
from qa.settings import Settings
from tests.qa.http.test_reliability import _assert_complete_documents, _check_snapshot

REPO = Path(__file__).resolve().parents[2]
ROUNDS = int(os.environ.get("QA_CRASH_ROUNDS", "3"))
KEY = "crash-key-51c0e8"


def _verify(pipe: Pipeline, acked: dict[str, set[str]], deleted: set[str], probe: str | None) -> None:
    """The checks after a kill, on a pipeline freshly opened on the data dir.

    ``acked`` maps each acknowledged document to the texts it may have (the last acknowledged one, or a
    later one whose write was cut off); ``probe`` is a document a question should find.
    """
    snap = pipe.store.snapshot(max_age_s=0)
    _check_snapshot(snap)
    missing = set(acked) - set(snap.docs)
    assert not missing, f"acknowledged documents lost: {sorted(missing)[:10]}"
    resurrected = deleted & set(snap.docs)
    assert not resurrected, f"acknowledged deletions undone: {sorted(resurrected)}"
    for doc_id, texts in acked.items():
        assert pipe.store.document_text(doc_id) in texts, f"{doc_id} holds a text that was never written"
    _assert_complete_documents(pipe)
    if probe is not None:
        marker = f"唯一标记{probe}号"
        assert probe in {h.chunk.doc_id for h in pipe.search(marker, top_k=5)}
        answer = pipe.answer(f"{marker}是什么文档？")
        for c in answer.citations:
            assert pipe.store.document_text(c.doc_id)[c.start:c.end] == c.quote


# -- indexing ------------------------------------------------------------------------------------------
_INDEXER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from index.embedders.fake import HashEmbedder
    from index.indexer import Indexer
    from qa.pipeline import Pipeline
    from qa.settings import Settings

    class SmallBatches(Pipeline):
        @property
        def indexer(self):
            return Indexer(self.store, self.chunker, self.embedder, self.tokenizer, batch_chunks=16)

    data = Path(sys.argv[1])
    pipe = SmallBatches(Settings(data_dir=data, model_cache=data / "models"), embedder=HashEmbedder())
    pipe.store
    print("ready", flush=True)
    for folder in sys.argv[2:]:
        report = pipe.index_paths([Path(folder)], progress=lambda done, total: done and print("doc", flush=True))
        assert not report.errors, report.errors
        print("ack", folder, flush=True)
""")


def _doc_text(name: str, version: int = 0) -> str:
    body = f"第{name}号文档。义乌电商博览会的内容介绍，跨境电商与直播电商的发展情况。" * 25
    return f"{body}唯一标记{name}号。" + (f"第{version}次修订。" if version else "")


def _write_doc(folder: Path, name: str, version: int = 0) -> str:
    """Writes one Markdown file; returns the text the loader makes of it (the heading stays in)."""
    text = f"# 文档{name}\n\n{_doc_text(name, version)}"
    (folder / f"{name}.md").write_text(text + "\n", encoding="utf-8")
    return text


def _write_folder(folder: Path, prefix: str, n: int) -> dict[str, str]:
    folder.mkdir(parents=True)
    return {f"{prefix}x{i}": _write_doc(folder, f"{prefix}x{i}") for i in range(n)}


def test_killed_indexing_keeps_every_acknowledged_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    rng = random.Random(int(os.environ.get("QA_CRASH_SEED", "11")))
    folders: list[Path] = []
    contents: dict[Path, dict[str, str]] = {}
    acked: dict[str, set[str]] = {}
    for round_no in range(ROUNDS):
        for k in range(3):
            folder = tmp_path / "docs" / f"r{round_no}f{k}"
            contents[folder] = _write_folder(folder, f"r{round_no}f{k}", 40)
            folders.append(folder)
        if round_no:  # a changed document in an earlier folder: once acknowledged, either version will do
            text = _write_doc(folders[0], "r0f0x0", round_no)
            contents[folders[0]]["r0f0x0"] = text
            if "r0f0x0" in acked:
                acked["r0f0x0"].add(text)

        proc = subprocess.Popen([sys.executable, "-c", _INDEXER, str(data), *map(str, folders)], cwd=REPO,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env={**os.environ, "PYTHONPATH": str(REPO)})
        assert proc.stdout.readline().strip() == "ready", proc.communicate()[1][-2000:]
        # The kill lands after a random number of embedded documents, however fast the machine (a timed
        # kill could come after the work is done): each round embeds at least its 3 new folders of 40.
        docs, seen = rng.randrange(1, 120), []
        while sum(line.startswith("doc") for line in seen) < docs:
            line = proc.stdout.readline()
            if not line:
                break
            seen.append(line)
        time.sleep(rng.uniform(0.0, 0.02))
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate()
        out = "".join(seen) + out
        assert proc.returncode == -signal.SIGKILL, f"the indexer ended before the kill:\n{err[-2000:]}"
        for line in out.splitlines():
            if line.startswith("ack "):
                for name, text in contents[Path(line[4:])].items():
                    acked[name] = {text}
        print(f"indexing round {round_no}: killed after {docs} embedded documents, "
              f"{out.count('ack ')}/{len(folders)} folders acknowledged")
        pipe = Pipeline(Settings(data_dir=data, model_cache=data / "models"), embedder=HashEmbedder())
        _verify(pipe, acked, set(), probe=max(acked) if acked else None)
        pipe.store.close()


# -- serving -------------------------------------------------------------------------------------------
def _write_until_gone(url: str, round_no: int, stop: threading.Event, acked: dict[str, set[str]],
                      deleted: set[str], errors: list[str], rng: random.Random) -> None:
    """Uploads documents one by one, deleting an acknowledged one every fourth request, until the server
    is gone; ``acked`` and ``deleted`` record only writes answered with 200."""
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {KEY}"}, timeout=30) as http:
        n = 0
        while not stop.is_set():
            n += 1
            try:
                if n % 4 == 0 and acked:
                    victim = sorted(acked)[rng.randrange(len(acked))]
                    del acked[victim]  # if it is in flight at the kill, either outcome is right
                    r = http.delete(f"/api/documents/{victim}")
                    if r.status_code == 200:
                        deleted.add(victim)
                        continue
                else:
                    name = f"s{round_no}n{n}"
                    text = _doc_text(name)
                    body = f"---\nid: {name}\ntitle: 文档{name}\n---\n\n{text}\n".encode()
                    r = http.post("/api/documents", files={"file": (f"{name}.md", body, "text/markdown")})
                    if r.status_code == 200:
                        acked[name] = {text}
                        continue
            except httpx.TransportError:
                return  # the server is gone: what was in flight was never acknowledged
            errors.append(f"HTTP {r.status_code}: {r.text[:200]}")
            return


def test_killed_server_keeps_every_acknowledged_upload(tmp_path: Path) -> None:
    data = tmp_path / "data"
    rng = random.Random(int(os.environ.get("QA_CRASH_SEED", "11")) + 1)
    acked: dict[str, set[str]] = {}
    deleted: set[str] = set()
    for round_no in range(ROUNDS):
        server = ServerProcess(data, fake_embedder=True, api_key=KEY, startup_s=180,
                               log_path=tmp_path / f"server-{round_no}.log").start()
        stop = threading.Event()
        errors: list[str] = []
        thread = threading.Thread(target=_write_until_gone,
                                  args=(server.url, round_no, stop, acked, deleted, errors, rng))
        thread.start()
        wait = rng.uniform(1.0, 4.0)
        time.sleep(wait)
        server.kill()
        stop.set()
        thread.join(60)
        assert not errors, errors
        assert server.proc.returncode == -signal.SIGKILL
        print(f"serving round {round_no}: killed {wait:.1f} s into the writes; "
              f"{len(acked)} documents acknowledged, {len(deleted)} deletions so far")
        pipe = Pipeline(Settings(data_dir=data, model_cache=data / "models"), embedder=HashEmbedder())
        _verify(pipe, acked, deleted, probe=max(acked) if acked else None)
        pipe.store.close()
    assert len(acked) + len(deleted) >= ROUNDS, "too few acknowledged writes to prove anything"


# -- the real command ----------------------------------------------------------------------------------
@pytest.mark.slow
def test_killed_qa_index_with_the_real_model(tmp_path: Path, model_cache: Path) -> None:
    from index.documents import Document

    settings = Settings.from_env({}, data_dir=tmp_path / "data", model_cache=model_cache)
    pipe = Pipeline.from_settings(settings)
    seeds = [Document(id="seed0", title="网博会报名须知", text="2024年网博会的报名截止日期是7月15日，逾期不再受理。"),
             Document(id="seed1", title="网博会志愿者须知", text="网博会志愿者的集合地点是义乌国际博览中心北门广场。")]
    pipe.add_documents(seeds)
    acked = {d.id: {d.text} for d in seeds}
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(120):  # several seconds of embedding even in ONNX Runtime, so the kill lands inside it
        (folder / f"real{i}.md").write_text(f"# 文档real{i}\n\n{_doc_text(f'real{i}')[-120:]}\n", encoding="utf-8")
    env = {**os.environ, "QA_DATA_DIR": str(settings.data_dir), "QA_MODEL_CACHE": str(model_cache)}
    proc = subprocess.Popen([sys.executable, "-m", "qa.cli", "index", str(folder)], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    embedding = threading.Event()

    def watch() -> None:  # tqdm draws its bar on stderr once the model is loaded and embedding starts
        for chunk in iter(lambda: proc.stderr.read(64), b""):
            if b"embedding" in chunk:
                embedding.set()

    threading.Thread(target=watch, daemon=True).start()
    assert embedding.wait(300), "qa index never started embedding"
    time.sleep(random.Random(3).uniform(0.5, 5.0))
    proc.send_signal(signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL, "qa index finished before the kill"
    fresh = Pipeline(settings, embedder=pipe.embedder)
    _verify(fresh, acked, set(), probe=None)
    answer = fresh.answer("网博会志愿者在哪里集合？")
    assert not answer.abstained and "seed1" in {c.doc_id for c in answer.citations}, answer.answer
