"""Written Cantonese read as written Mandarin: a visitor from Hong Kong or Guangdong asks 网博会喺边度搞㗎
(网博会在哪里搞), 几时见面 (什么时候见面), 同咩嘢绑埋一齐 (和什么绑在一起). The documents are in Mandarin, so the
question words, pronouns, particles and common verbs of Cantonese are read as their Mandarin forms before a
question is analysed.

Only a text that writes characters Mandarin does not use (喺 嘅 咗 㗎 啲 嘢 佢 冇 嗰 …) is converted: 系, 几时,
仲 and 呢 are ordinary Mandarin too (关系, 仲裁, 好吗呢), and mean their Cantonese senses only in Cantonese.
The table is the grammatical core of written Cantonese (as in the Cantonese entries of CC-CEDICT and any
Cantonese–Mandarin primer), not the vocabulary of any one topic."""

from __future__ import annotations

import re

from index.dialect import read_as_mandarin

# Characters written Cantonese uses and written Mandarin does not: one is enough to read the text as Cantonese.
_COUNTS = "两几三四五六"  # the numerals 边 (which) goes before: 边两条, which two
_MARKERS = re.compile(rf"[喺嘅咗㗎啲嘢佢冇嗰咩乜咁噉嚟睇揾搵畀冚咪嘞喇囉啩𠮶哋]|(?<![这那旁两一左右东西南北里外上下前后周身海岸手半])边(?:[度个位]|(?=[{_COUNTS}]))|几多|系咪|唔")

# Cantonese → Mandarin, longest first where one contains another.
_AS_MANDARIN = {
    # question words
    "乜嘢": "什么", "咩嘢": "什么", "咩": "什么", "乜": "什么",
    "边度": "哪里", "边处": "哪里", "边个": "谁", "边位": "哪位", "边间": "哪家", "边啲": "哪些",
    **{f"边{n}": f"哪{n}" for n in _COUNTS},  # 系边两条: 是哪两条
    "几多": "多少", "几时": "什么时候", "点解": "为什么", "点样": "怎样", "系咪": "是不是", "使唔使": "需不需要",
    # pronouns and demonstratives
    "佢哋": "他们", "我哋": "我们", "你哋": "你们", "哋": "们", "佢": "他",
    "呢个": "这个", "呢度": "这里", "呢边": "这边", "嗰边": "那边", "呢啲": "这些", "呢间": "这家", "呢次": "这次", "呢排": "最近",
    "嗰个": "那个", "嗰度": "那里", "嗰啲": "那些", "嗰间": "那家", "嗰次": "那次", "嗰": "那", "𠮶": "那",
    # verbs, negation, particles
    "唔系": "不是", "系": "是", "喺": "在", "嘅": "的", "咗": "了", "啲": "些", "嘢": "东西",
    "冇": "没有", "唔": "不", "噉": "这样", "咁": "这么", "嚟": "来", "睇": "看", "揾": "找", "搵": "找",
    "畀": "给", "仲有": "还有", "仲": "还", "而家": "现在", "琴日": "昨天", "听日": "明天", "今日": "今天",
    "埋一齐": "在一起", "一齐": "一起", "冚": "全",
    "㗎": "", "嘞": "", "喇": "", "囉": "", "啩": "",
}
_WORDS = re.compile("|".join(sorted(map(re.escape, _AS_MANDARIN), key=len, reverse=True)))
# 系, 仲, 点 and 边 stay in the Mandarin words a Cantonese text writes too (关系, 体系, 系统, 仲裁, 重点解决, 寄点样品,
# 这边个人).
_KEPT = re.compile(r"(?<=[关联体派世谱直])系|系(?=[统列数])|仲(?=裁)|点(?=解[决读释答析]|样[品本板])|"
                   r"(?<=[这那旁两一左右东西南北里外上下前后周身海岸手半呢嗰])边")


def is_cantonese(text: str) -> bool:
    return _MARKERS.search(text) is not None


def as_mandarin(text: str) -> str:
    """A text in written Cantonese, in written Mandarin words (网博会喺边度搞㗎 → 网博会在哪里搞); any other
    text as it is."""
    return read_as_mandarin(text, _MARKERS, _KEPT, _WORDS, _word)


# 边个 is who, and before a noun which one (边个机构: 哪个机构).
_NOUN_NEXT = re.compile(r"[\u4e00-\u9fff](?<![呀啊㗎呢嘅咧吖喇嘞啦])")


def _word(m: re.Match, text: str) -> str:
    if m.group(0) == "边个" and _NOUN_NEXT.match(text, m.end()):
        return "哪个"
    return _AS_MANDARIN[m.group(0)]

