"""What has been done, asked of a text that says only what is planned: 现在全国已经有多少个县达到基本型 read
against 到2025年…打造500个左右的“领跑县”, 那个公告已经发布了吗 against 将制定出台《…公告》. A plan says what is to
be, not what is; the figure or the step it names does not answer a question about what already is."""

from __future__ import annotations

import re

from qa.answering.asker import about_question
from qa.answering.kinds import ASKS

# 已经, 已有, 现已, 目前已: the question asks what is so now, in a clause that asks
_DONE = re.compile(r"已经|已有|现已|目前已|如今已|已达到|已建成")
# 到2025年…, 将制定 (not 将其作为: "taking it as"), 拟, 力争, 争取, 预计, 支持…, 鼓励…, 探索…: what is to be done
_PLANNED = re.compile(r"(?:^|[,，;；:：])\s*(?:到|至)20[0-9]{2}年|将(?![其之此这该])|拟|力争|争取|预计|"
                      r"(?:^|[,，;；:：])\s*(?:支持|鼓励|探索|推动|推进|引导)")
_CLAUSE = re.compile(r"[^，,。？?！!；;]+")


def asks_done(question: str) -> bool:
    """Whether a Chinese question asks what already is, in a clause that asks (not in the asker's story)."""
    return any(_DONE.search(c) and ASKS.search(c) for c in _CLAUSE.findall(about_question(question)))


def planned_not_done(question: str, sentence: str) -> bool:
    """The question asks what already is, and the sentence answering it says what is planned."""
    return asks_done(question) and _PLANNED.search(sentence) is not None
