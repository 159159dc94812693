"""A question asking exactly which members of a noun (具体是哪几个县, 哪两家公司): the names it wants, and
whether the best evidence gives any (经地方推荐产生第一批领跑县 names no county)."""

from __future__ import annotations

import re
from collections.abc import Callable

from index.dictionary import words_for
from qa.answering.entities import EntityRecognizer
from qa.answering.kinds import WHICH_SEVERAL

# Nouns whose members are named (县 by place names, 公司 by firms' names, 牌子 by brands), with the tags that
# name them. A question asking exactly which of them (具体是哪几个县, 哪两家公司) wants those names.
_MEMBERS = (("县|市|城市|省|省份|国家|地区|区县|县市|城镇|乡镇|村|口岸|港口|综保区|保税区|园区", ("LOC",)),
            # a firm or a brand is often named after a person, or with a name the recogniser does not type
            ("公司|企业|机构|单位|部门|部委|银行|协会|学校|大学|商家|厂家|厂商|品牌|牌子|平台|产品|app|APP",
             ("ORG", "PER", "nz", "nw")))
_WHICH_MEMBERS = re.compile(rf"(?:{WHICH_SEVERAL}|(哪些))(?:个|家|座|所|批)?(" +
                            "|".join(c for c, _t in _MEMBERS) + ")")
_EXACTLY = re.compile(r"具体|名单|点名|点个名|列一下|列举|叫什么|叫啥|名字|分别是")


# The same in English: which zones, which specific companies (the plural, like 哪些, beside a word that
# wants them exactly; a singular names one of a kind: which department issued it)
_MEMBERS_EN = (("zones?|counties|county|cities|city|provinces?|countries|country|regions?|towns?|villages?|ports?|parks?",
                ("LOC",)),
               (("companies|company|firms?|enterprises?|departments?|ministries|ministry|banks?|associations?|"
                 "schools?|universities|brands?|platforms?|products?"), ("ORG", "PER", "nz", "nw")))
_WHICH_MEMBERS_EN = re.compile(r"\bwhich\s+(specific\s+|exact\s+|particular\s+)?(?:[a-z-]+\s+){0,3}?(" +
                               "|".join(c for c, _t in _MEMBERS_EN) + r")\b", re.IGNORECASE)
_EXACTLY_EN = re.compile(r"\b(?:specific|exact|exactly|particular|list|names?|one of them|among)\b", re.IGNORECASE)


def members_asked(question: str) -> tuple[str, tuple[str, ...]] | None:
    """The noun whose named members a question asks for (具体是哪几个县: 县, by LOC), or None. 哪些
    asks for names only beside a word that wants them exactly (具体, 名单): 哪些企业可以 asks which kind."""
    en = _WHICH_MEMBERS_EN.search(question)
    if en is not None:
        noun = en.group(2).lower()
        plural = noun.endswith("s") and not noun.endswith("ss")
        if en.group(1) or plural and _EXACTLY_EN.search(question):
            return noun, next(tags for nouns, tags in _MEMBERS_EN if re.fullmatch(nouns, noun))
        return None
    m = _WHICH_MEMBERS.search(question)
    if m is None or (m.group(1) and not _EXACTLY.search(question)):
        return None
    noun = m.group(2)
    return noun, next(tags for nouns, tags in _MEMBERS if noun in nouns.split("|"))


def members_unnamed(question: str, texts: list[str], recognizer: EntityRecognizer,
                    generic: Callable[[str], bool]) -> str | None:
    """The noun of a question asking exactly which of its members (第一批领跑县具体有哪些县), when none
    of ``texts`` (the best evidence) names one: a name with the noun's tag that the question does not
    use and that is not the noun itself (综合保税区 for 综保区: ``generic``)."""
    asked = members_asked(question)
    if asked is None or not texts:
        return None
    noun, tags = asked
    for text in texts:
        found = recognizer.entities(text) + recognizer.names(text)
        if any(e.tag in tags and e.text not in question and not generic(e.text) for e in found):
            return None
    return noun


# Who holds an office (抖音电商的总裁是谁, who is the CEO): the asking word for a person, and in English the
# verbs that ask who holds one (who heads, who founded)
_WHO = re.compile(r"谁|哪位")
_HOLDER = r"{0}(?:现在|目前|到底|究竟)?(?:是|为|叫)(?:谁|哪位)|(?:谁|哪位)(?:是|在当|当|担任)[^，,。？?]{{0,12}}{0}"
_WHO_EN = re.compile(r"\bwho\b", re.IGNORECASE)
_HOLDS_EN = re.compile(r"\bwho\s+(?:heads|runs|leads|chairs|founded|manages|directs)\b", re.IGNORECASE)


def office_asked(question: str, words: Callable[[str], list[str]], is_office: Callable[[str], bool]) -> str | None:
    """The office whose holder a question asks for by name (总裁 of 抖音电商的总裁是谁; CEO of who is the CEO):
    a word of the question that ``is_office`` (the thesaurus's officials by post), or in English a word
    whose dictionary translations include one, or a verb of holding one; None when it asks no one. ``words``
    cuts a Chinese question into words."""
    if _WHO_EN.search(question):
        held = _HOLDS_EN.search(question)
        if held:
            return held.group(0)
        return next((w for w in re.findall(r"[A-Za-z]+", question) if any(is_office(t) for t in words_for(w.lower()))), None)
    if not _WHO.search(question):
        return None
    # the office 谁 is said of (总裁是谁, 谁是…的老板), not one named on the way (总理一职由谁委任)
    return next((w for w in words(question) if (is_office(w) or w.isascii() and any(is_office(t) for t in words_for(w)))
                 and re.search(_HOLDER.format(re.escape(w)), question, re.IGNORECASE)), None)


def holder_unnamed(question: str, texts: list[str], recognizer: EntityRecognizer,
                   words: Callable[[str], list[str]], is_office: Callable[[str], bool]) -> str | None:
    """The office a question asks the holder of, when none of ``texts`` (the best evidence) names a person
    the question does not: the material says nothing of who holds it (a headline on 抖音电商 for 总裁是谁)."""
    office = office_asked(question, words, is_office)
    if office is None or not texts:
        return None
    for text in texts:  # a person the question does not name, not part of a longer word (小红 of 小红书)
        longer = [w for w in words(text) if len(w) > 2]
        if any(e.tag == "PER" and e.text not in question and not any(e.text in w and e.text != w for w in longer)
               for e in recognizer.entities(text)):
            return None
    return office
