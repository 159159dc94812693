"""The e5 tokenizer as SentencePiece models: the token ids of ``tokenizer.json``, loaded in half the time.

Reading the 17 MB ``tokenizer.json`` takes ~0.7 s, a third of a one-question ``qa ask``. The same
Unigram vocabulary and normalisation table, written once as SentencePiece models, load in ~0.3 s:

* ``normalizer.model`` carries only the normalisation table (NFKC plus the model's own mappings) and
  a four-piece vocabulary, so it loads instantly;
* ``pieces.model`` carries the 250k pieces and scores with an identity normaliser.

Between the two, runs of spaces become one and a leading space is added unless there is one, as the
``tokenizer.json`` pipeline does (Replace ``' {2,}'``, then Metaspace with ``prepend_scheme=always``).
SentencePiece turns a run of characters outside the vocabulary into one unknown piece where
``tokenizer.json`` isolates each, so an unknown run is counted one ``<unk>`` per character.

The conversion checks itself against ``tokenizer.json`` on sample texts and is not used if they differ
(the embedder then reads ``tokenizer.json``), so a future tokenizer with other rules cannot change
vectors silently.
"""

from __future__ import annotations

import base64
import json
import logging
import re
from collections.abc import Sequence
from pathlib import Path

from index.storage.atomic import write_atomic

_log = logging.getLogger(__name__)

PIECES_FILE = "pieces.model"
NORMALIZER_FILE = "normalizer.model"
UNUSABLE_FILE = "pieces.unusable"
BOS, PAD, EOS, UNK = 0, 1, 2, 3
_SPACES = re.compile(" {2,}")
_SAMPLES = (
    "展会名称：中国国际电子商务博览会\n展会时间：2024年9月1日-3日\n展会地点：义乌国际博览中心",
    "query: 观众QQ号是多少?", "passage: 海关总署印发了《实施方案》，提出23条具体改革措施。  ",
    "  Where is the China International E-commerce Expo held?\tAnd when?  ", "",
    " ", "ｆｕｌｌ　ｗｉｄｔｈ　１２３ ①② ㎏", "emoji 😀🎉👍🏽 and é è ñ ß Ω", "a\u200bb\u3000c\r\nd",
    "电商物流指数冲上110点,是自2023年3月以来首次。 客服电话：0579-85415888",
)


def _models(tokenizer_json: dict) -> tuple[bytes, bytes]:
    from sentencepiece import sentencepiece_model_pb2 as pb

    model = tokenizer_json.get("model") or {}
    steps = (tokenizer_json.get("normalizer") or {}).get("normalizers") or [{}]
    if model.get("type") != "Unigram" or model.get("unk_id") != UNK or steps[0].get("type") != "Precompiled":
        raise ValueError("not a Unigram tokenizer with a precompiled normaliser")
    kind = pb.ModelProto.SentencePiece
    special = {"<s>": kind.CONTROL, "<pad>": kind.CONTROL, "</s>": kind.CONTROL, "<unk>": kind.UNKNOWN,
               "<mask>": kind.USER_DEFINED}

    def build(vocab: Sequence, charsmap: bytes | None) -> bytes:
        proto = pb.ModelProto()
        for piece, score in vocab:
            p = proto.pieces.add()
            p.piece, p.score, p.type = piece, score, special.get(piece, kind.NORMAL)
        t = proto.trainer_spec
        t.model_type, t.vocab_size = pb.TrainerSpec.UNIGRAM, len(vocab)
        t.bos_id, t.pad_id, t.eos_id, t.unk_id = BOS, PAD, EOS, UNK
        n = proto.normalizer_spec
        n.add_dummy_prefix = n.remove_extra_whitespaces = False
        if charsmap is None:
            n.name, n.escape_whitespaces = "identity", True
        else:
            n.name, n.precompiled_charsmap, n.escape_whitespaces = "nmt_nfkc", charsmap, False
        return proto.SerializeToString()

    vocab = model["vocab"]
    charsmap = base64.b64decode(steps[0]["precompiled_charsmap"])
    return build(vocab[:UNK + 2], charsmap), build(vocab, None)  # a model needs one normal piece


class PieceTokenizer:
    """Token ids of texts, with ``<s>`` and ``</s>``, truncated to ``max_tokens``."""

    def __init__(self, normalizer: bytes, pieces: bytes, max_tokens: int) -> None:
        import sentencepiece as spm

        self.max_tokens = max_tokens
        self._normalizer = spm.SentencePieceProcessor(model_proto=normalizer)
        self._pieces = spm.SentencePieceProcessor(model_proto=pieces)

    @classmethod
    def load(cls, folder: Path, max_tokens: int) -> PieceTokenizer:
        return cls((folder / NORMALIZER_FILE).read_bytes(), (folder / PIECES_FILE).read_bytes(), max_tokens)

    def _prepared(self, text: str) -> str:
        s = _SPACES.sub(" ", self._normalizer.normalize(text))
        return s if not s or s.startswith(" ") else " " + s

    def _ids(self, prepared: str) -> list[int]:
        ids = self._pieces.encode(prepared)
        if UNK not in ids:
            return ids
        out: list[int] = []
        for piece in self._pieces.encode(prepared, out_type="proto").pieces:
            out += [UNK] * len(piece.surface) if piece.id == UNK else [piece.id]
        return out

    def encode_batch(self, texts: Sequence[str]) -> list[list[int]]:
        prepared = [self._prepared(t) for t in texts]
        return [[BOS] + (self._ids(p) if p else [])[:self.max_tokens - 2] + [EOS] for p in prepared]


def convert(tokenizer_file: Path, out_dir: Path, max_tokens: int) -> bool:
    """Write the two models into ``out_dir`` if they reproduce ``tokenizer_file`` on the samples;
    otherwise leave a note saying so (and why) and return False."""
    text = tokenizer_file.read_text(encoding="utf-8")
    reference = JsonTokenizer(text, max_tokens)
    try:
        normalizer, pieces = _models(json.loads(text))
        candidate = PieceTokenizer(normalizer, pieces, max_tokens)
        expected = reference.encode_batch(_SAMPLES)
        got = candidate.encode_batch(_SAMPLES)
        if got != expected:
            raise ValueError("token ids differ on sample texts")
    except (ValueError, KeyError, IndexError, TypeError, RuntimeError) as exc:
        reason = f"{exc}\n"
        write_atomic(out_dir / UNUSABLE_FILE, lambda tmp: tmp.write_text(reason, encoding="utf-8"))
        return False
    for name, data in ((NORMALIZER_FILE, normalizer), (PIECES_FILE, pieces)):  # pieces last: it means done
        write_atomic(out_dir / name, lambda tmp, data=data: tmp.write_bytes(data))
        (out_dir / name).chmod(0o644)
    return True


class JsonTokenizer:
    """The same interface over ``tokenizer.json`` itself, for when the conversion is not usable."""

    def __init__(self, tokenizer_json: str, max_tokens: int) -> None:
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_str(tokenizer_json)
        self._tokenizer.enable_truncation(max_tokens)

    def encode_batch(self, texts: Sequence[str]) -> list[list[int]]:
        return [e.ids for e in self._tokenizer.encode_batch(list(texts))]


def load_tokenizer(folder: Path, out_dir: Path, max_tokens: int) -> PieceTokenizer | JsonTokenizer:
    """The SentencePiece form of ``folder``'s tokenizer, converted into ``out_dir`` on first use, or
    ``tokenizer.json`` when the conversion does not reproduce it or sentencepiece is not installed."""
    source = folder / "tokenizer.json"
    try:
        if not (out_dir / PIECES_FILE).is_file() and not (out_dir / UNUSABLE_FILE).exists():
            convert(source, out_dir, max_tokens)
        if (out_dir / PIECES_FILE).is_file():
            return PieceTokenizer.load(out_dir, max_tokens)
    except Exception as exc:  # noqa: BLE001 - any failure here (a protobuf version clash, a read-only cache…)
        _log.info("reading %s instead of its SentencePiece form: %s", source, exc)  # same ids, slower
    return JsonTokenizer(source.read_text(encoding="utf-8"), max_tokens)
