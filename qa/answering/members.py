"""A question asking exactly which members of a noun (具体是哪几个县, 哪两家公司): the names it wants, and
whether the best evidence gives any (经地方推荐产生第一批领跑县 names no county)."""

from __future__ import annotations

import re
from collections.abc import Callable

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
