"""The two faster loading paths of a one-question run: SentencePiece models converted from the e5
``tokenizer.json`` (same token ids), and part-of-speech tags read per word from a SQLite table built from
jieba's dictionary (same tags as jieba's tagger)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jieba
import jieba.posseg
import pytest
from tokenizers import Tokenizer as HFTokenizer

from index import word_tags
from index.embedders import pieces
from index.embedders.e5model import ensure_e5_model
from index.embedders.pieces import JsonTokenizer, PieceTokenizer, convert, load_tokenizer
from index.tokenizer import _PUNCT, Tokenizer

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"
TRICKY = ["", " ", "  leading and trailing  ", "tabs\tand\nnew\r\nlines", "a     b", "ｆｕｌｌ　ｗｉｄｔｈ　１２３",
          "①②③ ㈱ ㎏ ﬁ", "emoji 😀🎉 👍🏽", "é è ñ ß Ω Ж", "zero\u200bwidth", "𠀀𪚥 rare han", "ᣇ亢ᬊ unknown runs ⯦ᕁ",
          "query: 观众QQ号是多少?", "passage: 2024年9月1日-3日", "0579-85415888 a_b@x.com 5%", "综合保税区" * 300]


def _texts() -> list[str]:
    """Paragraphs of the shipped corpus and every question of the bundled evaluation sets."""
    out: list[str] = []
    for f in sorted(CORPUS.rglob("*")):
        if f.is_file() and f.suffix in {".md", ".txt", ".tsv"}:
            out += [p for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    for f in sorted((REPO / "eval" / "datasets").glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line).get("question", ""))
    return out


# -- SentencePiece form of the e5 tokenizer ----------------------------------------------------------------
@pytest.fixture(scope="module")
def e5_folder(model_cache: Path) -> Path:
    return ensure_e5_model(model_cache)


@pytest.fixture(scope="module")
def converted(e5_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pieces")
    assert convert(e5_folder / "tokenizer.json", out, 512)
    return out


def test_converted_tokenizer_gives_the_same_ids_on_corpus_questions_and_odd_text(
        e5_folder: Path, converted: Path) -> None:
    reference = HFTokenizer.from_file(str(e5_folder / "tokenizer.json"))
    reference.enable_truncation(512)
    texts = _texts() + TRICKY
    assert len(texts) > 200
    ours = PieceTokenizer.load(converted, 512).encode_batch(texts)
    theirs = [e.ids for e in reference.encode_batch(texts)]
    differ = [t[:40] for t, a, b in zip(texts, ours, theirs) if a != b]
    assert not differ, differ
    assert max(map(len, ours)) == 512  # truncated like the reference: <s> + 510 pieces + </s>


def test_files_are_written_whole_and_readable(converted: Path) -> None:
    assert sorted(p.name for p in converted.iterdir()) == [pieces.NORMALIZER_FILE, pieces.PIECES_FILE]
    assert all(p.stat().st_mode & 0o044 == 0o044 for p in converted.iterdir())


def test_a_tokenizer_it_cannot_reproduce_is_read_from_json(tmp_path: Path) -> None:
    from tokenizers import models

    other = HFTokenizer(models.WordLevel({"<unk>": 0, "展会": 1}, unk_token="<unk>"))
    source = tmp_path / "model"
    source.mkdir()
    other.save(str(source / "tokenizer.json"))
    out = tmp_path / "onnx"
    loaded = load_tokenizer(source, out, 512)
    assert isinstance(loaded, JsonTokenizer)
    assert "Unigram" in (out / pieces.UNUSABLE_FILE).read_text(encoding="utf-8")
    assert not (out / pieces.PIECES_FILE).exists()


def test_conversion_happens_once(e5_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_tokenizer(e5_folder, tmp_path, 512)
    assert isinstance(first, PieceTokenizer)

    def must_not_convert(*_a, **_kw) -> bool:
        raise AssertionError("converted again")

    monkeypatch.setattr(pieces, "convert", must_not_convert)
    again = load_tokenizer(e5_folder, tmp_path, 512)
    assert again.encode_batch(["展会在哪"]) == first.encode_batch(["展会在哪"])


# -- part-of-speech tags read per word ---------------------------------------------------------------------
def _reference_tags(pos: jieba.posseg.POSTokenizer, text: str) -> list[tuple[str, str]]:
    """jieba's own tagger (precise mode, no HMM), normalised and filtered as ``tagged_words`` does."""
    norm = Tokenizer.normalize(text)
    return [(p.word, p.flag) for p in pos.cut(norm, HMM=False) if p.word.strip() and not _PUNCT.match(p.word)]


def test_tags_equal_jiebas_tagger_with_the_domain_lexicon(tmp_path: Path) -> None:
    files = [CORPUS / n for n in ("lexicon.txt", "synonyms.tsv", "glossary_en.tsv")]
    ours = Tokenizer(*files, cache_dir=tmp_path)
    # jieba's tagger over a second tokenizer with the same lexicon (it takes over that one's word tags)
    reference = jieba.posseg.POSTokenizer(Tokenizer(*files, cache_dir=tmp_path)._jieba)
    texts = [line for t in _texts() for line in t.splitlines()] + TRICKY
    differ = [t[:40] for t in texts if ours.tagged_words(t) != _reference_tags(reference, t)]
    assert not differ, differ
    assert ("观众", "n") in ours.tagged_words("观众QQ号是多少")


def test_a_tag_given_with_a_word_wins(tmp_path: Path) -> None:
    lexicon = tmp_path / "lexicon.txt"
    lexicon.write_text("义乌博览会 5 nt\n", encoding="utf-8")
    tok = Tokenizer(lexicon, cache_dir=tmp_path)
    assert ("义乌博览会", "nt") in tok.tagged_words("义乌博览会在哪里")


def test_the_table_is_built_once_and_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Tokenizer(cache_dir=tmp_path).tagged_words("观众")
    built = list(tmp_path.glob("expo-qa-word-tags-*.sqlite"))
    assert len(built) == 1 and not list(tmp_path.glob("*.tmp"))

    def must_not_build(*_a, **_kw) -> None:
        raise AssertionError("built again")

    monkeypatch.setattr(word_tags, "_build", must_not_build)
    assert Tokenizer(cache_dir=tmp_path).tagged_words("观众") == [("观众", "n")]


def test_an_unusable_cache_folder_falls_back_to_the_dictionary(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    tok = Tokenizer(cache_dir=blocker / "cache")
    assert tok.tagged_words("观众QQ号") == [("观众", "n"), ("qq", "eng"), ("号", "m")]
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    path = word_tags._table_path(damaged, word_tags._dictionary_path())
    path.write_bytes(b"not a database" * 100)
    assert Tokenizer(cache_dir=damaged).tagged_words("观众") == [("观众", "n")]


def test_tagging_a_question_does_not_load_jiebas_whole_tag_table() -> None:
    code = ("import sys; from qa.pipeline import default_tokenizer; "
            "default_tokenizer().tagged_words('观众QQ号是多少'); "
            "print(sorted(m for m in ('jieba.posseg',) if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.strip() == "[]"
