"""A question's words read plainly before its kind is decided: the dictionary's other words for a contact
(电邮 for 邮箱), 在哪 said of a matter rather than a place (好处在哪: what the advantage is), and which of its
sentences state rather than ask, and where 几 is "a few" rather than "how many"."""

from __future__ import annotations

import functools
import re

from index.dictionary import chinese_for
from qa.answering.thesaurus import shared_thesaurus

# A contact named by any of the dictionary's words for it (电邮, 电子邮件 for e-mail): the words the
# dictionary gives for its English name, read as the kind's own cue
# (its English name however spelt, and the same name for where it is kept or how it is written: an e-mail
# inbox, a fax number)
_CONTACT_NAMES = (("email", "邮箱"), ("e-mail", "邮箱"), ("fax", "传真"), ("telephone", "电话"))
_CONTACT_HELD = ("", " address", " number", " inbox")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@functools.lru_cache(maxsize=1)
def _contact_words() -> tuple[re.Pattern, dict[str, str]]:
    cues = {w: cue for english, cue in _CONTACT_NAMES for held in _CONTACT_HELD for w in chinese_for(english + held)
            if len(w) >= 2}
    return re.compile("|".join(sorted(map(re.escape, cues), key=len, reverse=True)) or "(?!)"), cues


def named_contacts(question: str) -> str:
    """The question with each of the dictionary's words for a contact written as the kind's cue."""
    if not _CJK.search(question):
        return question
    pattern, cues = _contact_words()
    return pattern.sub(lambda m: cues[m.group(0)], question)


# 好处在哪, 区别在哪儿, 难在哪: where in a matter, not a place; the word before 在哪, asked where it is (no
# verb after: 比赛在哪里举行 asks a place), says which
_ABSTRACT_WHERE = re.compile(r"([\u4e00-\u9fff]{2})在哪(?:里|儿)?(?=[？?。，,！!；;\s啊呢呀吧]|$)")
# the thesaurus's classes of circumstances, causes, properties and meanings, and of good and bad (难, 贵);
# and of people, things, times and places, societies and organisations
_ABSTRACT, _CONCRETE = ("Da", "Db", "Dd", "Df", "Ed"), ("A", "B", "C", "Di", "Dm")


def _abstract_where(m: re.Match) -> str:
    """好处在哪 → 好处是什么; 主要难在哪 → 主要难是什么 (the word is 难); 展会在哪 as it is."""
    before = m.group(1)
    for word in (before, before[1:]):
        classes = shared_thesaurus().classes(word)
        if classes:
            abstract = any(c.startswith(_ABSTRACT) for c in classes) and not any(c.startswith(_CONCRETE) for c in classes)
            return f"{before}是什么" if abstract else m.group(0)
    return m.group(0)


def abstract_where(question: str) -> str:
    """The question with 在哪 after a matter asked as 是什么 (好处在哪 → 好处是什么), and 为何 after what it is
    of (全称为何 → 全称是什么)."""
    return _WHAT_IT_IS.sub("是什么", _ABSTRACT_WHERE.sub(_abstract_where, question))


# 全称为何？, 日期为何: in written style 为何 closing a clause after what it is of asks what that is (not 是为何:
# why); 为何 before a verb (为何要做内容) asks why
_WHAT_IT_IS = re.compile(r"(?<=[\u4e00-\u9fff])(?<![是因])为何(?=\s*(?:[，,。？?！!；;]|$))")


_SENTENCE_END = re.compile(r"(?<=[。！!])")


def sentences(text: str) -> list[tuple[str, bool]]:
    """The sentences of a Chinese text, each with whether it states: one closed by 。 or ！ does, whatever
    question words it holds (想讲清楚几个平台的区别。: 几个 is "several" there)."""
    return [(x, re.search(r"[。！!]\s*$", x) is not None) for x in _SENTENCE_END.split(text) if x.strip()]


# 几 with a measure word after a wish (想带几个客户, 打算买几件), in what the asker has (我们车队有几台冷藏车跑
# 短途的), in who wishes (村里几个娃想学直播) or who they are by what they do (几个卖啤酒的): "a few", where a later
# clause asks
_SOME = re.compile(r"((?:想|打算|准备)[\u4e00-\u9fff]{1,3}?|^\s*(?:我|我们|俺|俺们|咱|咱们)[\u4e00-\u9fff]{0,6}?有)几"
                   r"(?=[个位家件样天台辆])|几(?=[个位家名][\u4e00-\u9fff]{1,4}?(?:想|要|打算|准备))"
                   r"|几(?=[个位家名][做卖开搞干种养跑][\u4e00-\u9fff]{1,6}?的)")
_ASKS = re.compile(r"多少|(?<!好)几|啥|什么|哪|谁|何|吗|么")
_CLAUSE_END = re.compile(r"(?<=[\s，,。？?！!；;])")


def stated_few(question: str) -> str:
    """The question with the 几 of "a few" written 些 (想带些个客户, 我们车队有些台冷藏车…) in a clause that asks
    nothing else, where a later clause asks: it asks no count."""
    clauses = _CLAUSE_END.split(question)
    for i, clause in enumerate(clauses):
        some = _SOME.sub(r"\1些", clause)
        if some != clause and not _ASKS.search(some) and any(_ASKS.search(c) for c in clauses[i + 1:]):
            clauses[i] = some
    return "".join(clauses)
