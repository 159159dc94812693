"""Word segmentation for the lexical index: jieba with the domain lexicon, folded through synonyms.

Every token that belongs to a synonym group is also emitted as the group's canonical term, on both the
document and the query side, so "综保区" in a question matches "综合保税区" in an article.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import jieba

from index.dictionary import dictionary_words, homophones, proper_name, readings, spoken_form, words_read_as
from index.errors import ConfigError
from index.word_tags import WordTags, tagged_cut

_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_EN_WORD = re.compile(r"[A-Za-z]{2,}")
# "in July vs June", "compared with 2022": a period named only to compare with, which the Chinese
# says with 比 (比6月), so that the question stays about the other period.
_EN_COMPARED = re.compile(r"\b(?:vs\.?|versus|compared (?:with|to)|than(?: in)?)\s+([a-z]+|[0-9]{4})\b", re.IGNORECASE)
# a change counted against the year or the month before (up on last year, compared with the same period of the
# preceding year, than a month earlier): 同比, 环比, the corpus's words for a change year on year, month on month
_EN_ON_BEFORE = re.compile(r"\b(?:compared\s+(?:with|to)|than|on|over|versus|vs\.?|from|against)\s+(?:the\s+)?(?:same\s+(?:period|time|"
                           r"months?)\s+(?:of|in)\s+)?(?:(?:last|(?:the\s+)?(?:previous|preceding|prior))\s+(year|month)|a\s+(year|month)\s+"
                           r"(?:before|earlier|ago))", re.IGNORECASE)
_EN_SINCE = re.compile(r"\bsince\s+(?:([a-z]+)\s*,?\s*)?([0-9]{4})?\b(?<=[0-9a-z])", re.IGNORECASE)
_PERIOD = re.compile(r"[0-9]{1,2}月|[0-9]{4}年")
# the months by their number, and by their short names (May has none: "may" is read apart, below)
_MONTH_NUMBER = {m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                             "september", "october", "november", "december"), start=1)}
_EN_MONTHS = {m[:3]: m for m in _MONTH_NUMBER if m != "may"}
# a month's short name (Jan-Jul, jan to jul, Sept.), whose full name the glossary knows
_EN_MONTH_SHORT = re.compile(r"\b(jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b\.?", re.IGNORECASE)
# "may" the modal verb, not the month: in lower case with no date beside it ("in may", "may 2024" are
# the month), or asking before its subject (May I …, Thank you. May we …)
_EN_MODAL_MAY = re.compile(r"(?<!\bin )\bmay\b(?!\s*,?\s*[0-9])|(?<!\bin )(?<!\bof )\bMay(?=\s+(?:I|we|you|they|he|she|it|one)\b)")
_QUOTED = re.compile(r"[“「『](.{2,20}?)[”」』]")
# the first months of a year, as 前7个月 says: January to/through/until July, Jan-Jul, the January-to-July
# figures (the range as one adjective), the first seven months
_EN_FROM_JAN = re.compile(r"\b(?:from\s+)?january\s*-?\s*(?:-|to|through|thru|till|until)\s*-?\s*(" + "|".join(_MONTH_NUMBER)
                          + r")\b", re.IGNORECASE)
_EN_COUNTS = {w: i for i, w in enumerate(("one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                                           "ten", "eleven"), start=1)}
_EN_FIRST_MONTHS = re.compile(r"\bfirst\s+(" + "|".join(_EN_COUNTS) + r"|[0-9]{1,2})\s+months?\b", re.IGNORECASE)
# words that say one thing in several ways (中心/中央: what an English term translates to)
_ALTERNATIVES = re.compile(r"[^\s/]+(?:/[^\s/]+)+")
_PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)
# A two-character word typed for a real word of the same sound: rare in general text as typed (a share of
# all words), and the word meant at least this many times more common (电化 4e-7 → 电话, 334 times).
RARE_TYPED = 1e-5
MORE_COMMON = 10
# Parts of speech of function words: particles, prepositions, conjunctions, pronouns, adverbs, numerals,
# classifiers, interjections, modal particles and place words (上, 里)
_FUNCTION_POS = ("u", "p", "c", "r", "d", "m", "q", "e", "y", "f")
_TO_A_PLACE = frozenset("去到在来回往赴")  # words after which a place is named
_PLACE_AFTER = frozenset("里上内中外")  # words of place after a noun (社里, 网上, 区内)
_COMMON_WORD = 3e-4  # how often a one-character word occurs in general text to be among the commonest (问, 说, 看)
STOPWORDS = frozenset(
    ["的", "了", "和", "与", "及", "是", "在", "有", "为", "对", "等", "将", "也", "就", "都", "而", "或", "并", "被", "把", "从", "以", "由", "之", "其", "这", "那", "个", "吗", "呢", "吧", "啊", "么", "什么", "怎么", "怎样", "如何", "哪些", "哪个", "哪里", "多少", "几", "请问", "一下", "一共", "关于", "我", "你", "他", "它", "我们", "the", "a", "an", "of", "to", "in", "on", "for", "and", "or", "is", "are", "was", "were", "be", "what", "which", "who", "how", "when", "where", "does", "do", "did"])


def is_english(text: str) -> bool:
    """Written in English: Latin letters and no Chinese character, or English sentences that give a few
    Chinese terms beside their own (bonded zones (综保区), Douyin store (抖音小店))."""
    letters = sum(c.isascii() and c.isalpha() for c in text)
    cjk = sum("\u4e00" <= c <= "\u9fff" for c in text)
    return letters > 0 and (cjk == 0 or letters >= 4 * cjk and len(_EN_WORD.findall(text)) >= 4)


def _plural(words: str) -> str:
    """A glossary phrase with its last word in the singular or the plural: county/counties,
    index/indexes/indices, matrix/matrices (the plural English keeps from Latin), box/boxes, measure/measures."""
    if re.search(r"[^aeiou]y$", words):
        return rf"{words[:-1]}(?:y|ies)"
    if re.search(r"[ei]x$", words):
        return rf"{words[:-2]}(?:{words[-2:]}(?:es)?|ices)"
    if re.search(r"(?:s|x|z|ch|sh)$", words):
        return rf"{words}(?:es)?"
    return rf"{words}s?"


def _read_lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"cannot read lexicon file {path}: {e}") from None
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


class Tokenizer:
    """jieba search-mode segmentation + synonym folding; deterministic for a given lexicon."""

    def __init__(self, lexicon: Path | None = None, synonyms: Path | None = None,
                 glossary: Path | None = None, cache_dir: Path | None = None) -> None:
        self._jieba = jieba.Tokenizer()
        self._tags = WordTags(self._jieba, cache_dir)
        jieba.setLogLevel(60)
        h = hashlib.sha256(b"tokenizer-v1")
        self._glossary: list[tuple[re.Pattern, str]] = []
        self._canonical: dict[str, str] = {}
        self.groups: list[list[str]] = []  # synonym groups as written, for spelling-aware presence checks
        self._general_total: int | None = None  # jieba's dictionary size before the domain files add to it
        self._general: dict[str, int] = {}  # general-dictionary counts of the words the domain files add
        if lexicon is not None and lexicon.exists():
            for line in _read_lines(lexicon):
                parts = line.split()
                freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
                self._remember_general(parts[0])
                self._jieba.add_word(parts[0], freq=freq, tag=parts[2] if len(parts) > 2 else None)
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
                        self._remember_general(t)
                        self._jieba.add_word(t)
                h.update(line.encode())
        if glossary is not None and glossary.exists():
            pairs = []
            for line in _read_lines(glossary):
                en, _, zh = line.partition("\t")
                if en.strip() and zh.strip():
                    pairs.append((en.strip().lower(), zh.strip()))
            # Longest phrases first, so "customer service phone" wins over "phone".
            # Words of a phrase may be written apart, hyphenated or together: "fulfilment-rate",
            # "livestreaming", "e mail" are the glossary's "fulfilment rate", "live-streaming", "e-mail".
            for en, zh in sorted(pairs, key=lambda p: -len(p[0])):
                words = r"[\s-]*".join(map(re.escape, re.split(r"[\s-]+", en)))
                self._glossary.append((re.compile(rf"\b{_plural(words)}\b", re.IGNORECASE), zh))
        self.fingerprint = h.hexdigest()[:16]

    def _remember_general(self, word: str) -> None:
        self._jieba.check_initialized()
        if self._general_total is None:
            self._general_total = self._jieba.total
        self._general.setdefault(self._norm(word), self._jieba.FREQ.get(word, 0))

    def general_frequency(self, word: str) -> float:
        """How often ``word`` occurs in general Chinese text (jieba's dictionary, before the domain
        files add to it), as a share of all words: 0 for a name or term general text does not use.
        A corpus of a few dozen documents cannot tell a specific term from an ordinary word by its own
        counts; general text can (联系 is everyday, 综合保税区 and 尤金袋鼠 are not)."""
        self._jieba.check_initialized()
        w = self._norm(word)
        count = self._general[w] if w in self._general else self._jieba.FREQ.get(w, 0)
        return count / (self._general_total or self._jieba.total)

    def translate(self, text: str, known: Callable[[str], bool] | None = None) -> str:
        """Chinese terms for the English words and phrases of ``text`` that the glossary knows, so an
        English question can be matched against Chinese text; unknown words are left out. Chinese in
        the text stays as it is (a name the asker wrote in Chinese, the topic carried from an earlier
        turn). With ``known`` (whether the documents use a Chinese word), the words the glossary does
        not know are looked up in the dictionary too, and its words the documents use are added."""
        found, text = self.english_periods(text)
        text = re.sub(r"(?<=[A-Za-z])\s*[+&]\s*(?=[A-Za-z])", " and ", text)  # imports+exports
        rest = _EN_ON_BEFORE.sub(lambda m: self._on_before(m, found), text)
        rest = _EN_COMPARED.sub(lambda m: self._compared(m, found), rest)
        rest = _EN_SINCE.sub(lambda m: self._since(m, found), rest)
        for pat, zh in self._glossary:
            if pat.search(rest):
                found.append(zh)
                rest = pat.sub(" ", rest)
        found += re.findall(r"[0-9]+(?:\.[0-9]+)?%?|[A-Za-z]+@[A-Za-z0-9.]+|\bQQ\b|\bICP\b|\bAEO\b|\bFACT\b", rest)
        found += _CJK_RUN.findall(rest)
        if known is not None:
            found += [w for w in dictionary_words(rest, known) if w not in found]
        return " ".join(found)

    @staticmethod
    def english_periods(text: str) -> tuple[list[str], str]:
        """The first months of a year an English text names, as 前N个月 (January-July, the first seven
        months), and the text without them, its months' short names spelt out and "may" the verb left out."""
        found: list[str] = []
        text = re.sub(r"[\u2013\u2014]", "-", text)  # January–July is January-July
        text = _EN_MODAL_MAY.sub(" ", text)
        text = _EN_MONTH_SHORT.sub(lambda m: _EN_MONTHS[m.group(1).lower()[:3]], text)  # jan to jul
        text = _EN_FROM_JAN.sub(lambda m: found.append(f"前{_MONTH_NUMBER[m.group(1).lower()]}个月") or " ", text)
        text = _EN_FIRST_MONTHS.sub(lambda m: found.append(f"前{_EN_COUNTS.get(m.group(1).lower(), m.group(1))}个月")
                                    or " ", text)
        return found, text

    @staticmethod
    def _on_before(m: re.Match, found: list[str]) -> str:
        found.append("同比" if (m.group(1) or m.group(2)).lower() == "year" else "环比")
        return " "

    def _compared(self, m: re.Match, found: list[str]) -> str:
        word = m.group(1)
        zh = f"{word}年" if word.isdigit() else next((z for pat, z in self._glossary if pat.fullmatch(word)), "")
        if not _PERIOD.fullmatch(zh):
            return m.group(0)
        found.append(f"比{zh}")
        return " "

    def _since(self, m: re.Match, found: list[str]) -> str:
        """since January 2019 → 自2019年1月以来: the point a change is counted from, which the period
        check does not read as what the question is about."""
        month, year = m.group(1), m.group(2)
        zh_month = next((z for pat, z in self._glossary if pat.fullmatch(month)), "") if month else ""
        if month and not re.fullmatch(r"[0-9]{1,2}月", zh_month):
            return m.group(0)
        found.append(f"自{year + '年' if year else ''}{zh_month}以来")
        return " "

    def typed_alike(self, text: str, known: Callable[[str], bool]) -> list[tuple[str, str]]:
        """Words of ``text`` typed with a character of the same sound as the corpus's word (博揽会 for
        博览会, 号店衣体 for 号店一体, 满意律 for 满意率): (as typed, as meant). A typo leaves a character the
        segmenter cannot join to its neighbours; where another character of its sound joins them into a
        word of the dictionary that the corpus uses (``known``) and the text as typed is no such word,
        that word was meant. The longest such word wins; function words are left alone."""
        norm, spans, cursor = self._norm(text), [], 0
        for w, pos in self.tagged_words(text):
            start = norm.find(w, cursor)
            if start < 0:  # not as the text writes it: no window can hold it
                continue
            cursor = start + len(w)
            spans.append((start, cursor, not (w in STOPWORDS or pos.startswith(_FUNCTION_POS)), pos))
        # a conjunction, preposition, measure word or adverb of one character beside a content word of one
        # (既 时, 传 针, 场 管, 船 真): two characters the segmenter could join to nothing, a typo as likely as a
        # function word
        lone = [b - a == 1 and content for a, b, content, _pos in spans]
        spans = [(a, b, content or (b - a == 1 and pos in ("c", "p", "q", "d") and norm[a:b] not in STOPWORDS
                                    and any(0 <= j < len(lone) and lone[j] for j in (i - 1, i + 1))), pos)
                 for i, (a, b, content, pos) in enumerate(spans)]
        out: list[tuple[str, str]] = []
        done = 0  # where the last found word ends: found words do not overlap
        for i, (start, end, content, pos) in enumerate(spans):
            word = norm[start:end]
            if not content or not _CJK_RUN.fullmatch(word):
                continue
            two = len(word) == 2 and pos.startswith(("n", "v", "a"))  # a word the tagger knows as one
            # a character among the commonest words of the language (问, 说, 看) stands as typed: mistyped for
            # the one meant, it would be the rarer of the two far more often than not
            places = ([] if self.general_frequency(word) >= _COMMON_WORD else [0]) if len(word) == 1 \
                else self._mistyped_at(word, known) if two else []
            if two:  # 有线+上: a character that joins its neighbour outside the word into a word the corpus
                # uses (线上) is as meant; the segmenter joined it to the wrong side
                outside = {0: norm[start - 1:start + 1] if start > 0 else "", 1: norm[end - 1:end + 1]}
                places = [p for p in places if not (len(outside[p]) == 2 and known(outside[p]))]
            if two and not places and start >= done:  # 穿针 for 传真: both characters typed by their sound
                both = next(self._both_alike(word, known), None)
                if both is not None:
                    out.append((word, both))
                    done = end
            if not places:
                continue
            best: tuple[str, str, int] | None = None
            for a in range(max(0, i - 3), i + 1):
                for b in range(i + 1, min(len(spans), a + 4) + 1):
                    window = spans[a:b]
                    lo, hi = window[0][0], window[-1][1]
                    typed = norm[lo:hi]
                    if (lo < done or not 2 <= len(typed) <= 6 or not all(c for _s, _e, c, _p in window)
                            or not _CJK_RUN.fullmatch(typed) or known(typed)):
                        continue  # content words written together, that the corpus does not use as typed
                    for at in (start - lo + p for p in places):
                        for meant in self._sounding_alike(typed, at, known):
                            if best is None or len(meant) > len(best[1]):
                                best = (typed, meant, hi)
            if best is not None:
                out.append(best[:2])
                done = best[2]
        return out + self._place_typed_alike(spans, norm, known)

    def _place_typed_alike(self, spans: list[tuple[int, int, bool, str]], norm: str,
                           known: Callable[[str], bool]) -> list[tuple[str, str]]:
        """An everyday word where a place is asked or gone to (去义务, 在义务哪条路上) that sounds like a
        place the corpus names (义乌): the place, typed by sound (voice input writes the commoner word)."""
        out = []
        for (a0, b0, _c, _p), (a, b, _content, pos) in itertools.pairwise(spans):
            word = norm[a:b]
            if norm[a0:b0] not in _TO_A_PLACE or len(word) != 2 or not pos.startswith(("n", "v", "a")) or proper_name(word):
                continue
            meant = [m for at in range(2) for m in self._sounding_alike(word, at, known) if proper_name(m)]
            if meant:
                out.append((word, meant[0]))
        return out

    def _mistyped_at(self, word: str, known: Callable[[str], bool]) -> list[int]:
        """Where a two-character word the corpus does not use may be a real word typed for another
        (电化 for 电话, 直拨 for 直播): the characters whose same-sounding other gives a word the corpus
        uses, when the word as typed is rare in general text and that word far more common. An
        ordinary word (全称, 施行, 学员) is as meant, whatever sounds like it."""
        return [] if known(word) else [at for at in range(2) if self._meant_at(word, at, known)]

    def commoner_alike(self, word: str) -> str | None:
        """The word of general text a rare two-character word was typed for (名子 for 名字), whether or not
        the corpus uses it: one character read otherwise gives a word far more common (the rule of
        ``_mistyped_at``, without asking the corpus)."""
        if len(word) != 2:
            return None
        found = [m for at in range(2) for m in self._meant_at(word, at, lambda _w: True)]
        return max(found, key=lambda m: (self.general_frequency(m), m), default=None)

    def _meant_at(self, word: str, at: int, known: Callable[[str], bool]) -> list[str]:
        """The words ``known`` accepts that ``word`` becomes with word[at] read otherwise and that are far
        more common in general text, when the word as typed is rare there; none when it is not."""
        typed = self.general_frequency(word)
        if typed >= RARE_TYPED or self._noun_placed(word):
            return []
        return [m for m in self._sounding_alike(word, at, known) if self.general_frequency(m) >= MORE_COMMON * typed]

    def _sounding_alike(self, typed: str, at: int, known: Callable[[str], bool]) -> Iterator[str]:
        """The dictionary's words the corpus uses that ``typed`` becomes with typed[at] read otherwise, the
        commonest first."""
        yield from self._commonest_known([typed[:at] + c + typed[at + 1:] for c in homophones(typed[at]) - {typed[at]}], known)

    def _commonest_known(self, words, known: Callable[[str], bool]) -> list[str]:
        """Of ``words``, the dictionary's that ``known`` accepts, the commonest first (a set of characters has
        no order of its own: the answer must not depend on it)."""
        return sorted((m for m in words if self._jieba.FREQ.get(m) and known(m)), key=lambda m: (-self._jieba.FREQ.get(m, 0), m))

    def _noun_placed(self, word: str) -> bool:
        """A noun of one character with a word of place after it (社里, 馆里: in the co-op, in the hall):
        any noun makes one, so general text's count of the pair says nothing of its being a typo."""
        tagged = self.tagged_words(word[0]) if len(word) == 2 and word[1] in _PLACE_AFTER else []
        return bool(tagged) and tagged[0][1].startswith("n")

    def _both_alike(self, typed: str, known: Callable[[str], bool]) -> Iterator[str]:
        """The dictionary's words the corpus uses that a rare two-character word becomes with both its
        characters read otherwise (穿针 for 传真, as voice input writes it), far more common than it, the
        commonest first: the rule of ``_meant_at`` for a word no one character of which was meant."""
        rarity = self.general_frequency(typed)
        if known(typed) or spoken_form(typed) or rarity >= RARE_TYPED or self._noun_placed(typed):
            return  # 地儿 is 地 said with its 儿, one syllable, not two characters read apart (第二)
        table = readings()  # words the dictionary reads as the typed characters can be read (not 参见 for 身兼)
        found = {m for a in table.get(typed[0], ()) for b in table.get(typed[1], ()) for m in words_read_as(a + b)
                 if len(m) == 2 and m[0] != typed[0] and m[1] != typed[1]}
        yield from (m for m in self._commonest_known(found, known) if self.general_frequency(m) >= MORE_COMMON * rarity)

    def tagged_words(self, text: str) -> list[tuple[str, str]]:
        """(word, part of speech) in precise mode, without guessing new words: an unknown string
        stays in small pieces instead of becoming a made-up word."""
        text = self._norm(text)
        return [(w, tag) for w, tag in tagged_cut(self._jieba, self._tags, text) if w.strip() and not _PUNCT.match(w)]

    def forms(self, word: str) -> tuple[str, ...]:
        """The word and its canonical synonym, if it has one."""
        w = self._norm(word)
        canon = self._canonical.get(w)
        return (w, canon) if canon and canon != w else (w,)

    @staticmethod
    def _norm(s: str) -> str:
        return unicodedata.normalize("NFKC", s).lower().strip()

    normalize = _norm

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

    def concepts(self, text: str, drop: frozenset[str] = frozenset()) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        """The distinct content words of a text as (forms, parts): the word with its canonical synonym,
        and the sub-words of a compound (传真号码 → 传真, 号码).

        A passage covers a concept when it has one of the forms, or all of the parts.
        """
        out: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        # a term the text quotes (“前置仓”) is named as written: its sub-words (前置) do not stand for it
        quoted = [self._norm(q) for q in _QUOTED.findall(text)]
        for q in quoted:  # every piece of it, one character or more, is part of it
            out[q] = ((q,), tuple(p for p in self.words(q) if p != q and p not in STOPWORDS))
        for alt in _ALTERNATIVES.findall(text):  # covered by any of its words
            words = [self._norm(w) for w in alt.split("/")]
            out.setdefault(words[0], (tuple(dict.fromkeys(f for w in words for f in self.forms(w))), ()))
        text = _ALTERNATIVES.sub(" ", text)
        for w, _ in self.tagged_words(text):
            if w in STOPWORDS or w in drop or (len(w) < 2 and not w.isdigit()) or any(w in q for q in quoted):
                continue
            forms = self.forms(w)
            if forms[-1] in out:
                continue
            parts = tuple(p for p in self.words(w) if p != w and len(p) >= 2) if len(w) > 2 else ()
            out[forms[-1]] = (forms, parts)
        return list(out.values())
