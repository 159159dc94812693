"""multilingual-e5-small through ONNX Runtime: the same model and vectors, about 2-3x faster per query.

A short query (~16 tokens) spends most of its time in framework overhead and small matrix products;
PyTorch eager needs 30-40 ms for it on one CPU core, ONNX Runtime's fused graph 12-17 ms. That is the
bulk of an answer's latency, so this is the default backend.

The graph is exported once from the sentence-transformers folder that :mod:`index.embedders.e5model`
builds, into ``<that folder>/onnx/``, so it lives in the shared model cache beside the weights it came from.
It takes token *embeddings* rather than token ids: the 250k x 384 word-embedding table (384 MB, most
of the model) stays in the folder's safetensors file and is memory-mapped, so the exported file is
~85 MB and only the rows a text uses are ever read into memory. Everything after the lookup — position
and type embeddings, the 12 layers, mean pooling and normalisation — is in the graph.

Position ids are numbered from ``padding_idx + 1`` along the sequence when the model is given
embeddings instead of ids; for right-padded batches that equals the id-based numbering on every real
token, and padded positions are masked out of attention and pooling, so the vectors are the same
(cosine 1.0000 against sentence-transformers, tested).

Like :mod:`index.embedders.e5model`, the export is crash-safe and safe under concurrency: a temp file, a
file lock, ``os.replace``, then a marker naming the recipe.
"""

from __future__ import annotations

import json
import os
import struct
import threading
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index.embedders.base import ProgressFn, as_unit_rows, embed_longest_first, quiet_transformers_progress
from index.embedders.batcher import QueryBatcher
from index.embedders.e5model import E5_DIM, E5_MODEL_ID, E5_PROMPTS, ensure_e5_model
from index.embedders.pieces import load_tokenizer
from index.errors import ModelError
from index.storage.atomic import fsync_dir, write_atomic, write_json_atomic

ONNX_DIR = "onnx"
GRAPH_FILE = "encoder.onnx"
MARKER_FILE = "encoder.complete"
# Bump when the exported graph changes, so caches holding an older export are re-exported.
EXPORT_FORMAT = 1
_WORD_EMBEDDINGS = "embeddings.word_embeddings.weight"
_MAX_TOKENS = 512
_PAD_ID = 1
_LOCK_TIMEOUT_S = 900.0

Progress = Callable[[str], None]


def _marker_payload() -> dict[str, object]:
    return {"format": EXPORT_FORMAT, "model": E5_MODEL_ID}


def is_exported(folder: Path) -> bool:
    try:
        payload = json.loads((folder / ONNX_DIR / MARKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return payload == _marker_payload() and (folder / ONNX_DIR / GRAPH_FILE).is_file()


def ensure_onnx_encoder(model_cache: Path, progress: Progress | None = None) -> Path:
    """The e5 folder (built if needed) with its ONNX encoder exported; returns the folder."""
    say = progress or (lambda _msg: None)
    folder = ensure_e5_model(model_cache, progress)
    if is_exported(folder):
        return folder
    from filelock import FileLock, Timeout

    lock = FileLock(str(folder.parent / f"{folder.name}.onnx.lock"))
    try:
        with lock.acquire(timeout=_LOCK_TIMEOUT_S):
            if is_exported(folder):
                return folder
            say(f"exporting the embedding model to ONNX Runtime, once (~10 s): {folder / ONNX_DIR}")
            (folder / ONNX_DIR).mkdir(exist_ok=True)
            write_atomic(folder / ONNX_DIR / GRAPH_FILE, lambda tmp: export_encoder(folder, tmp))
            (folder / ONNX_DIR / GRAPH_FILE).chmod(0o644)
            write_json_atomic(folder / ONNX_DIR / MARKER_FILE, _marker_payload())
            (folder / ONNX_DIR / MARKER_FILE).chmod(0o644)
            (folder / ONNX_DIR).chmod(0o755)
            fsync_dir(folder / ONNX_DIR)
    except Timeout:
        raise ModelError(f"another process has held {lock.lock_file} for over {_LOCK_TIMEOUT_S:.0f} s "
                         "while exporting the embedding model; stop it or wait") from None
    except OSError as exc:
        raise ModelError(f"cannot write the ONNX export into {folder / ONNX_DIR}: {exc}") from None
    return folder


def export_encoder(folder: Path, out_file: Path) -> None:
    """Trace the transformer (embeddings in, unit sentence vectors out) into ``out_file``."""
    try:
        import torch
        from transformers import AutoModel
    except ImportError as exc:
        raise ModelError(f"exporting the ONNX encoder needs torch and transformers ({exc})") from None

    class Encoder(torch.nn.Module):
        def __init__(self, body: Any) -> None:
            super().__init__()
            self.body = body

        def forward(self, inputs_embeds: Any, attention_mask: Any) -> Any:
            hidden = self.body(inputs_embeds=inputs_embeds, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2.0, dim=-1)

    with quiet_transformers_progress():
        body = AutoModel.from_pretrained(str(folder), local_files_only=True, add_pooling_layer=False)
    encoder = Encoder(body.eval()).eval()
    hidden = body.config.hidden_size
    example = (torch.zeros(2, 7, hidden), torch.tensor([[1] * 7, [1] * 4 + [0] * 3]))
    with warnings.catch_warnings(), torch.inference_mode():
        warnings.simplefilter("ignore")  # tracer notes about Python-side shape checks, none of which vary
        torch.onnx.export(
            encoder, example, str(out_file), input_names=["inputs_embeds", "attention_mask"],
            output_names=["sentence_embedding"], opset_version=17, dynamo=False,
            dynamic_axes={"inputs_embeds": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                          "sentence_embedding": {0: "batch"}})


def mmap_safetensor(path: Path, name: str) -> np.ndarray:
    """One tensor of a safetensors file as a read-only memory map (no copy, pages read on use)."""
    dtypes = {"F32": np.float32, "F16": np.float16}
    with open(path, "rb") as f:
        (header_len,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(header_len))
    if name not in header:
        raise ModelError(f"{path} has no tensor {name!r}; delete its folder to have it rebuilt")
    info = header[name]
    if info["dtype"] not in dtypes:
        raise ModelError(f"{path}: tensor {name!r} has unsupported dtype {info['dtype']}")
    start, end = info["data_offsets"]
    table = np.memmap(path, dtype=dtypes[info["dtype"]], mode="r", offset=8 + header_len + start,
                      shape=tuple(info["shape"]))
    if table.nbytes != end - start:
        raise ModelError(f"{path}: tensor {name!r} size does not match its shape")
    return table


class OnnxE5Embedder:
    """The default e5 model in ONNX Runtime; vectors identical to the sentence-transformers backend."""

    backend = "onnx"
    model_id = E5_MODEL_ID
    dim = E5_DIM
    query_prompt = E5_PROMPTS["query"]
    passage_prompt = E5_PROMPTS["passage"]

    def __init__(self, model_cache: Path, num_threads: int | None = None) -> None:
        self.model_cache = Path(model_cache)
        self.num_threads = num_threads
        self._loaded: tuple[Any, Any, np.ndarray] | None = None
        self._lock = threading.Lock()
        self._batcher: QueryBatcher | None = None

    def warm_up(self, say: Callable[[str], None] | None = None) -> None:
        """Load the model now; ``say`` hears about the one-time steps (building the model, exporting
        it to ONNX) before they start, so a first run can tell its user what the wait is for."""
        self._ensure_loaded(say)

    def _ensure_loaded(self, say: Callable[[str], None] | None = None) -> tuple[Any, Any, np.ndarray]:
        if self._loaded is None:
            with self._lock:
                if self._loaded is None:
                    self._loaded = self._load(say)
        return self._loaded

    def _load(self, say: Callable[[str], None] | None = None) -> tuple[Any, Any, np.ndarray]:
        try:
            import onnxruntime as ort
            import tokenizers  # noqa: F401 - the tokenizer's source format, read once to convert it
        except ImportError as exc:
            raise ModelError(f"the onnx backend needs onnxruntime and tokenizers ({exc}); "
                             "run: pip install onnxruntime tokenizers sentencepiece") from None
        folder = ensure_onnx_encoder(self.model_cache, say)
        try:
            tokenizer = load_tokenizer(folder, folder / ONNX_DIR, _MAX_TOKENS)
            table = mmap_safetensor(folder / "model.safetensors", _WORD_EMBEDDINGS)
            options = ort.SessionOptions()
            options.intra_op_num_threads = self.num_threads or min(os.cpu_count() or 1, 4)
            options.inter_op_num_threads = 1
            # Idle worker threads sleep instead of spinning, so they do not take CPU from the server.
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            session = ort.InferenceSession(str(folder / ONNX_DIR / GRAPH_FILE), options,
                                           providers=["CPUExecutionProvider"])
        except ModelError:
            raise
        except Exception as exc:  # noqa: BLE001 - ONNX Runtime raises its own exception types
            raise ModelError(f"cannot load the ONNX encoder in {folder / ONNX_DIR}: {exc}; delete that "
                             "folder to have it exported again") from None
        if table.shape[1] != self.dim:
            raise ModelError(f"word embeddings in {folder} have dimension {table.shape[1]}, expected {self.dim}")
        return tokenizer, session, table

    def token_count(self, text: str, is_query: bool = False) -> int:
        tokenizer, _, _ = self._ensure_loaded()
        prompt = self.query_prompt if is_query else self.passage_prompt
        return len(tokenizer.encode_batch([prompt + text])[0])

    def _encode(self, texts: list[str], prompt: str) -> np.ndarray:
        tokenizer, session, table = self._ensure_loaded()
        rows = tokenizer.encode_batch([prompt + t for t in texts])
        ids = np.full((len(rows), max(map(len, rows))), _PAD_ID, dtype=np.int64)
        mask = np.zeros_like(ids)
        for i, row in enumerate(rows):  # right-padded, as the exported graph expects
            ids[i, :len(row)] = row
            mask[i, :len(row)] = 1
        embeds = np.ascontiguousarray(table[ids], dtype=np.float32)
        (vectors,) = session.run(None, {"inputs_embeds": embeds, "attention_mask": mask})
        return as_unit_rows(vectors, self.dim)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if len(texts) > 1:
            return self._encode(texts, self.query_prompt)
        if self._batcher is None:
            with self._lock:
                if self._batcher is None:
                    self._batcher = QueryBatcher(lambda batch: self._encode(batch, self.query_prompt))
        return np.stack([self._batcher.embed(texts[0])])

    def embed_passages(self, texts: Sequence[str], batch_size: int = 32,
                       progress: ProgressFn | None = None) -> np.ndarray:
        """Embed in batches of similar length (less padding), reporting texts done after each batch."""
        return embed_longest_first(texts, self.dim, batch_size,
                                   lambda batch: self._encode(batch, self.passage_prompt), progress)
