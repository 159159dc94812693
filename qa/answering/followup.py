"""History-aware query rewriting without an LLM.

An elliptical follow-up ("那它什么时候举办？", "还有呢？", "具体是哪几条？") names no topic of its own, so the
retrieval query borrows the key terms of the previous user turn. A follow-up that names its own topic
("抖音新品牌怎么起量？") is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.tokenizer import STOPWORDS, Tokenizer

_ANAPHORA = re.compile(r"^(那|那么|还有|另外|然后|再|具体|其中)|它|它们|其|该|这个|那个|这些|那些|这项|这条|此|上述|"
                       r"\b(it|its|they|them|their|that|this|those|these)\b|^(and|what about|how about)", re.IGNORECASE)
_QUESTION_WORDS = STOPWORDS | frozenset(
    ["哪", "哪里", "哪儿", "何时", "什么时候", "时候", "多少", "几", "谁", "吗", "呢", "具体", "还有", "另外", "然后", "分别", "都", "主要", "内容", "呢", "是", "说", "讲", "举办", "举行", "召开", "时间", "地点", "日期", "电话", "地址", "号码", "条", "个", "项", "方面", "措施", "哪几条", "几条", "please", "tell", "more", "else", "other", "when", "where", "who", "much", "many", "it", "its", "they", "them", "their", "that", "this", "those", "these"])
MAX_CARRIED = 6


def _content(tokens: list[str]) -> list[str]:
    return [t for t in tokens if t not in _QUESTION_WORDS and len(t) > 1]


def is_elliptical(question: str, tokenizer: Tokenizer) -> bool:
    own = _content(tokenizer.tokens(question))
    if not own:
        return True
    return bool(_ANAPHORA.search(question)) and len(own) <= 1


def rewrite_query(question: str, history: Sequence[dict], tokenizer: Tokenizer) -> str:
    """The query to retrieve with: the question itself, or the question plus the previous topic."""
    users = [h.get("content", "") for h in history if isinstance(h, dict) and h.get("role") == "user"]
    if not users or not is_elliptical(question, tokenizer):
        return question
    carried: list[str] = []
    for prev in reversed(users[-2:]):
        words = [w for w in tokenizer.words(prev) if w not in _QUESTION_WORDS and len(w) > 1]
        carried.extend(w for w in words if w not in carried)
        if not is_elliptical(prev, tokenizer):
            break  # the topic was set by this turn; older turns are about something else
    if not carried:
        return question
    return " ".join(carried[:MAX_CARRIED]) + " " + question
