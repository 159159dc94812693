"""Written Wu (Shanghainese and the Zhejiang speech around Yiwu) read as written Mandarin: a trader asks
侬晓得伐，搿只展会辣啥地方开额 (你知道吗，这个展会在什么地方开的), 啥辰光开 (什么时候开), 阿拉勿是来白相额
(我们不是来玩的). The documents are in Mandarin, so the pronouns, demonstratives, question words,
negation and particles of Wu are read as their Mandarin forms before a question is analysed.

Only a text that writes words Mandarin does not use (侬, 阿拉, 伊拉, 搿, 辰光, 哪能, 覅, 呒没, 几钿, 白相,
…伐？) is converted: 勿, 辣, 额 and 伐 are Mandarin characters too (请勿, 辣椒, 零售额, 步伐), and mean 不,
在, 的 and 吗 only in Wu. The table is the grammatical core of written Wu (as in any Shanghainese–Mandarin
primer), not the vocabulary of any one topic."""

from __future__ import annotations

import re

from index.dialect import read_as_mandarin

# Words written Wu uses and written Mandarin does not: one is enough to read the text as Wu.
# (侬, you, opens a clause or follows a verb of speaking or doing for someone: not the 侬 of a name, 萱侬律)
_MARKERS = re.compile(r"(?:^|(?<=[，,。？?！!\s、：:帮问请同跟搭拨给诉]))侬|阿拉(?!伯|斯加|木图|善|丁)|伊拉(?!克|斯谟)|"
                      r"搿|辰光|哪能|覅|呒没|几钿|白相|屋里厢|"
                      r"(?<![步采征讨砍杀])伐(?=\s*(?:[？?！!。，,]|$))")

# Wu → Mandarin, longest first where one contains another.
_AS_MANDARIN = {
    # pronouns and demonstratives
    "阿拉": "我们", "侬": "你", "伊拉": "他们", "㑚": "你们",
    "搿只": "这个", "搿个": "这个", "搿搭": "这里", "搿能": "这样", "搿": "这", "格么": "那么",
    # question words
    "啥辰光": "什么时候", "额辰光": "的时候", "辰光": "时间", "几钿": "多少钱", "哪能": "怎么", "啥个": "什么", "阿是": "是不是",
    # negation, verbs, particles
    "覅": "不要", "呒没": "没有", "勿": "不", "辣辣": "在", "放辣": "在", "辣": "在", "额": "的", "伐": "吗",
    "里向": "里面", "屋里厢": "家里", "物事": "东西", "事体": "事情", "白相相": "玩", "白相": "玩", "交关": "很多", "今朝": "今天",
}
_WORDS = re.compile("|".join(sorted(map(re.escape, _AS_MANDARIN), key=len, reverse=True)))
# 辣, 额 and 伐 stay in the Mandarin words a Wu text writes too (辣椒, 零售额, 额外, 步伐, 采伐)
_KEPT = re.compile(r"辣(?=[椒条味酱妹])|(?<=[金余总份限差数配定名超面税售业易口资])额|额(?=[外度头])|(?<=[步采征讨砍杀])伐")


def is_wu(text: str) -> bool:
    return _MARKERS.search(text) is not None


def as_mandarin(text: str) -> str:
    """A text in written Wu, in written Mandarin words (搿只展会辣啥地方开额 → 这个展会在啥地方开的); any other
    text as it is."""
    return read_as_mandarin(text, _MARKERS, _KEPT, _WORDS, lambda m, _text: _AS_MANDARIN[m.group(0)])
