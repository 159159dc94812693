"""Word segmentation for the lexical index: jieba with the domain lexicon, folded through synonyms.

Every token that belongs to a synonym group is also emitted as the group's canonical term, on both the
document and the query side, so "综保区" in a question matches "综合保税区" in an article.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

import jieba

from qa.errors import SettingsError

_PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)
STOPWORDS = frozenset(
    "的 了 和 与 及 是 在 有 为 对 等 将 也 就 都 而 或 并 被 把 从 以 由 之 其 这 那 个 吗 呢 吧 啊 么 "
    "什么 怎么 怎样 如何 哪些 哪个 哪里 多少 几 请问 一下 一共 关于 我 你 他 它 我们 "
    "the a an of to in on for and or is are was were be what which who how when where does do did".split())


def _read_lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise SettingsError(f"cannot read lexicon file {path}: {e}") from None
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


class Tokenizer:
    """jieba search-mode segmentation + synonym folding; deterministic for a given lexicon."""

    def __init__(self, lexicon: Path | None = None, synonyms: Path | None = None) -> None:
        self._jieba = jieba.Tokenizer()
        jieba.setLogLevel(60)
        h = hashlib.sha256(b"tokenizer-v1")
        self._canonical: dict[str, str] = {}
        self.groups: list[list[str]] = []
        if lexicon is not None and lexicon.exists():
            for line in _read_lines(lexicon):
                parts = line.split()
                freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
                self._jieba.add_word(parts[0], freq=freq)
                h.update(line.encode())
        if synonyms is not None and synonyms.exists():
            for line in _read_lines(synonyms):
                terms = [t.strip() for t in line.split("\t") if t.strip()]
                if len(terms) < 2:
                    continue
                self.groups.append(terms)
                for t in terms:
                    self._canonical.setdefault(self._norm(t), self._norm(terms[0]))
                    if len(t) > 1:
                        self._jieba.add_word(t)
                h.update(line.encode())
        self.fingerprint = h.hexdigest()[:16]

    @staticmethod
    def _norm(s: str) -> str:
        return unicodedata.normalize("NFKC", s).lower().strip()

    def words(self, text: str) -> list[str]:
        """Segmented words (normalised, no punctuation or whitespace), stopwords kept."""
        text = self._norm(text)
        return [w for w in (t.strip() for t in self._jieba.cut_for_search(text)) if w and not _PUNCT.match(w)]

    def tokens(self, text: str) -> list[str]:
        """Index/query tokens: words minus stopwords, plus canonical synonyms."""
        out: list[str] = []
        for w in self.words(text):
            if w in STOPWORDS:
                continue
            out.append(w)
            canon = self._canonical.get(w)
            if canon is not None and canon != w:
                out.append(canon)
        return out

    def synonyms_of(self, word: str) -> list[str]:
        w = self._norm(word)
        canon = self._canonical.get(w)
        if canon is None:
            return []
        for g in self.groups:
            if self._norm(g[0]) == canon:
                return [t for t in g if self._norm(t) != w]
        return []
