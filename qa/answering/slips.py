"""Names the recogniser finds in a Chinese question that are no names: words of other speech it reads as
a person or a body. A name the documents do not mention makes a question a near miss; a word taken for
one must not."""

from __future__ import annotations

import re
from collections.abc import Callable

from index.dictionary import chinese_names, english_to_chinese, proper_name
from qa.answering.asker import KIN
from qa.answering.entities import Entity

# how often a one-character word occurs in general text for it to be a word of grammar or a copula (是,
# 得, 也), not a character of a given name (军 and 国 are the commonest of those, a few in ten thousand)
_GRAMMAR_WORD = 1e-3
# the segmenter's parts of speech of words no given name begins with: a conjunction, a place word (a numeral
# may: 张三, 王一博; and a particle may be a character of a transliterated name: 锦地罗)
_NO_GIVEN_NAME = ("c", "s")
# the parts of speech of words no surname is: a modal particle, an interjection, a structural particle (是么斯意思:
# 么 + 斯, Wuhan's 什么)
_NO_SURNAME = ("y", "e", "u")


def latin_word(entity: Entity) -> bool:
    """A word in Latin letters written in lower case inside a Chinese question that names nothing: an
    English word the dictionary gives more words of the language than names for (进出口total係幾多, 想睇下
    macro trend: total, 总数…; not beijing: 北京市, nor china), or a word of another language the dictionary
    has neither as English nor as the pinyin of a name (terima kasih; not hangzhou: 杭州, nor douyin)."""
    if not (entity.text.isascii() and entity.text.isalpha() and entity.text.islower()):
        return False
    chinese = english_to_chinese().get(entity.text, ())
    if not chinese:
        return not chinese_names(entity.text)
    return sum(not proper_name(c) for c in chinese) > sum(proper_name(c) for c in chinese)


def no_letters(entity: Entity) -> bool:
    """A "name" of no letter, digit or character (🚚🚚🚚, ★★): pictures or marks the recogniser took for one."""
    return not any(c.isalnum() for c in entity.text)


def no_given_name(entity: Entity, words: list[tuple[str, str]], frequency: Callable[[str], float]) -> bool:
    """A person whose characters after the first the segmenter reads in the question as a word no given name
    begins with: of two characters, a word of grammar of its own, one of the commonest of the language and not
    a name (阮是晋江做鞋的: 阮 + 是; 莫得好多钱: 莫 + 得), and of any length, a conjunction or a place word
    (阮村里: 阮 + 村里; 阮若佇: 阮 + 若) — a dialect's pronoun or adverb before its words, not a surname and
    a given name (王毅: 毅). ``words`` is the question's segmentation, (word, part of speech) in order."""
    if entity.tag != "PER":
        return False
    for i in range(len(words)):
        joined, j = "", i
        while j < len(words) and entity.text.startswith(joined + words[j][0]):
            joined += words[j][0]
            j += 1
        if joined != entity.text or j - i < 2:
            continue
        if words[i][1].startswith(_NO_SURNAME):
            return True
        second, pos = words[i + 1]
        if len(entity.text) == 2 and not pos.startswith("n") and frequency(second) >= _GRAMMAR_WORD:
            return True
        return pos.startswith(_NO_GIVEN_NAME)
    return False


# a kinship word after the one character the recogniser takes for a surname (阮囝, 阮阿弟: my son, my younger brother
# in Minnan; 王阿姨, 张大哥: Auntie Wang, Brother Zhang)
_KIN = re.compile(rf"{KIN}|阿[弟妹姐兄哥姨叔伯婆公嬷]|阿舅舅?|囝仔?|大哥|大姐|伯伯?|老爸|老妈")


def kin_called(entity: Entity) -> bool:
    """A person called by a kinship word (阮囝, 王阿姨): someone the asker knows, not a name the documents give."""
    return entity.tag == "PER" and len(entity.text) >= 2 and _KIN.fullmatch(entity.text[1:]) is not None


def after_i(entity: Entity, text: str) -> bool:
    """A "person" the question writes right after 我 wherever it names them: no name follows the pronoun that way,
    as what is had (我尕娃给我说了半天: my kid, a word of kinship) or as what the asker does (我弗晓得: I don't know,
    in Wu speech). A word of the asker's speech, not a name the documents give. (After 我们 a place may follow:
    我们庆元, the asker's county, can be what is asked about.)"""
    if entity.tag != "PER":
        return False
    starts = [m.start() for m in re.finditer(re.escape(entity.text), text)]
    return bool(starts) and all(text[:i].endswith("我") for i in starts)
