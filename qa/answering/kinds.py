"""The kinds of question the composer knows, in one registry: each kind's cue (the words that ask for
it), the form of its short answer (what a value of that kind looks like in text) and its extractor (how
the short answer is cut from an evidence sentence).

A new kind is one ``Kind`` entry in ``KINDS`` (and its name in ``QType``). Cues are tried by rank, lower
first, so a specific cue ("传真") wins over a general one ("号码"); a kind may have cues at several ranks
(a date is asked by "哪天" before a list cue is tried, and by "时间是" only after). A question no cue
matches is descriptive: it is answered by the sentences that explain, with no short answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from index.dictionary import a_site
from index.tokenizer import is_english
from qa.answering.english_asked import asks_which_ones
from qa.answering.plain import abstract_where, named_contacts, sentences, stated_few
from qa.answering.respective import respective
from qa.answering.spans import (
    AT_PLACE_RE,
    CLOCK_ASKED,
    DATE_RE,
    DOC_NUMBER_RE,
    DURATION_RE,
    EMAIL_RE,
    FREQUENCY_ASKED,
    FREQUENCY_RE,
    NUMBER_RE,
    PHONE_RE,
    PLACE_RE,
    QQ_RE,
    SIGNATURE_RE,
    SIGNING_ASKED,
    TITLE_RE,
    QType,
    asked_date_part,
    asked_ordinal,
    asked_unit,
    asks_change,
    dates_of_part,
    fits_unit,
    gives_date_part,
    is_enumerator,
    nearest,
    share_of_other,
    states_change,
    unique,
    value_after_label,
)

Extractor = Callable[[str, str, list[str]], "str | None"]  # (question, sentence, keywords) → short answer


@dataclass(frozen=True)
class Kind:
    qtype: QType
    cues: tuple[tuple[int, re.Pattern], ...]  # (rank, words that ask for this kind)
    answer: str  # the form of the short answer, in words
    form: re.Pattern | None = None  # a value of this kind in text; None: no short answer (lists, reasons)
    extract: Extractor | None = None


def _all_of(pattern: re.Pattern) -> Extractor:
    """Every distinct value in the sentence (a contact line may give two numbers)."""
    def extract(_question: str, sentence: str, _keywords: list[str]) -> str | None:
        found = unique(pattern.findall(sentence))
        return "、".join(found) if found else None
    return extract


# 哪个城市, 哪个省, which country: a region is asked, which a building or site in one does not name
_REGION_ASKED = re.compile(r"(?:哪个|哪座|哪一个|什么|哪)(城市|市|省份?|国家|地区)|\bwhich (city|province|country|region)\b",
                           re.IGNORECASE)


def asked_region(question: str) -> str | None:
    """The kind of region a question asks which one of (在哪个城市举办: 城市), or None."""
    m = _REGION_ASKED.search(question)
    return (m.group(1) or m.group(2)) if m else None


def site_only(texts: list[str]) -> bool:
    """Whether the places the texts give are sites in a region (人民大会堂), none the region, and there is one."""
    places = [t for t in texts if _place("", t, []) is not None]
    return bool(places) and all(_place("", t, [], region_asked=True) is None for t in places)


def _place(question: str, sentence: str, keywords: list[str], region_asked: bool | None = None) -> str | None:
    """The place a sentence gives: its labelled value, else the one it says something is at or the nearest;
    none when a region is asked (by the question, unless ``region_asked`` says) and it is a site in one."""
    labelled = value_after_label(sentence, ("地点", "地址", "场馆", "举办地"))
    if labelled:
        return labelled
    at = AT_PLACE_RE.search(sentence)
    place = at.group(1) if at else nearest([(m.start(), m.group(0)) for m in PLACE_RE.finditer(sentence)], sentence, keywords)
    region = _REGION_ASKED.search(question) is not None if region_asked is None else region_asked
    return None if place and region and a_site(place) else place


def _date(question: str, sentence: str, keywords: list[str]) -> str | None:
    signed = SIGNATURE_RE.search(sentence) if SIGNING_ASKED.search(question) else None
    if signed:  # the date a document was signed follows its issuers, whatever the question's words
        return signed.group(1)
    part = asked_date_part(question)
    labelled = value_after_label(sentence, ("时间", "日期"))
    if labelled and DATE_RE.search(labelled) and gives_date_part(labelled, part):
        return labelled
    return nearest([(m.start(), m.group(0)) for m in dates_of_part(sentence, part)], sentence, keywords)


def _number(question: str, sentence: str, keywords: list[str]) -> str | None:
    clauses = [] if is_english(question) else valued_clauses(question)
    if len(clauses) > 1:  # 一共多少钱，跟去年同期比涨了多少: each clause in its unit, the first answered
        return next((v for c in clauses if (v := _number(c, sentence, keywords))), None)
    ordinal = asked_ordinal(question)
    if ordinal is not None:  # 第几届: "第31届", which reads as a list marker otherwise
        return nearest([(m.start(), m.group(0)) for m in ordinal.finditer(sentence)], sentence, keywords)
    # a figure inside a date or period (前7个月, 2023年7月) dates the value; it is not one
    periods = [m.span() for m in DATE_RE.finditer(sentence)]
    cands = [(m.start(), m.group(0)) for m in NUMBER_RE.finditer(sentence)
             if not is_enumerator(sentence, m.start(), m.group(0)) and not any(a <= m.start() < b for a, b in periods)]
    unit = asked_unit(question)
    if not unit:  # "一次性", "一个": 一 with a measure word is rarely the quantity asked for (一半 is a share)
        cands = [c for c in cands if not (c[1][0] == "一" and not c[1][1:2].isdigit() and c[1][1:2] != "半")]
    cands = [c for c in cands if fits_unit(c[1], unit) and not share_of_other(question, sentence, c[0] + len(c[1]))]
    # a question about a change is answered by a change, one about a level by a level; the one change (or, a
    # share asked, the one share) a sentence states answers, whatever words stand near it
    changes = [c for c in cands if states_change(sentence, c[0], c[0] + len(c[1]))]
    found = changes if asks_change(question) else [c for c in cands if c not in changes]
    if len(found) == 1 and (found is changes or unit == "%"):
        return found[0][1]
    return respective(found, sentence, keywords) or nearest(found, sentence, keywords)


# How often, as official text also writes it: a period before the verb (季调度、半年汇总、年度通报; not 第三季度,
# 上半年, 2023年度, 夏季运动会), read where no frequency is stated with 每/按 or 一次
PERIOD_BEFORE_VERB = re.compile(r"(?<![0-9〇零一二三四五六七八九十两上下本今去明前后当同第全春夏秋冬旺淡雨换])(?:季度?|半年|年度|月度)[\u4e00-\u9fff]{2}")


def _duration(question: str, sentence: str, keywords: list[str]) -> str | None:
    if not FREQUENCY_ASKED.search(question):
        return nearest([(m.start(), m.group(0)) for m in DURATION_RE.finditer(sentence)], sentence, keywords)
    return nearest([(m.start(), m.group(0)) for m in FREQUENCY_RE.finditer(sentence)]
                   or [(m.start(), m.group(0)) for m in PERIOD_BEFORE_VERB.finditer(sentence)], sentence, keywords)


def _name(question: str, sentence: str, keywords: list[str]) -> str | None:
    labelled = value_after_label(sentence, ("名称", "名字", "全称"))
    if labelled:
        return labelled
    if re.search(r"全称|文件|方案|名称|叫什么", question):
        return nearest([(m.start(), m.group(0)) for m in TITLE_RE.finditer(sentence)], sentence, keywords)
    return None


# 号 numbers days (几号开幕) and also streets, buildings and halls (哪条街几号, 几号馆, 几楼): a number
# after a street or before a building word is an address, which the place kind answers.
_STREET = "街|路|巷|大道|弄"
BUILDING = "楼|馆|厅|门|展位|展厅|展馆|房|室|座|栋|单元|口"
_DAY_NUMBER = rf"(?<![街路巷道弄])几号(?!{BUILDING})"
_STREET_NUMBER = (rf"哪条(?:{_STREET})|(?:{_STREET})几号|门牌|几号(?:{BUILDING})|几楼|哪个(?:{BUILDING})|"
                  r"\b(?:hall|booth|gate) (?:no\.?|number)\b|\b(?:which|what) floor\b")
# 哪几个, 哪五个方面, 哪两家公司: which several, or which N, of something: the items are asked for
WHICH_SEVERAL = "哪(?:几|[两二三四五六七八九十]+)"


def _asking(word: str) -> str:
    """An English question word where it asks (When is…, …, and when…, tell me when…), not where it joins
    a clause (can we get it waived when we…, companies who qualify, When they get…, must they…?)."""
    # When they get…, must the vessels…? / When Li Qiang spoke of it, which…?: a clause with its subject after
    # "when" (not the verb of a question: When is…), then the question; or in a statement (When I land… .) before it
    aux = r"(?:must|do|does|did|can|could|will|would|should|shall|may|is|are|was|were|has|have|had)\b"
    joins = rf"(?!(?!\s+(?:\w+ly\s+)?{aux})[^?]*,\s*(?:(?:in|on|at|for|from|to|with|by)\s+)?(?:{aux}|what|which|who|where|how|why)\b)(?![^?.!]*[.!]\s+[^?]*\?)"
    return rf"(?:^\s*|[,.;:?!(]\s*|\b(?:and|or|but|so|then|know|me|ask|wonder|wondering|sure|idea|out|check|see)\s+){word}\b{joins}"


def _cue(rank: int, words: str, flags: int = re.IGNORECASE) -> tuple[int, re.Pattern]:
    return rank, re.compile(words, flags)


# bodies a who-question asks for by their kind (哪个部门, 什么机构, 哪个机关)
BODIES = "部门|机构|机关|单位|组织|公司|企业"

KINDS: tuple[Kind, ...] = (
    Kind(QType.FAX, (_cue(0, r"传真|(?<![a-z])fax"),), "a fax number", PHONE_RE, _all_of(PHONE_RE)),
    # "call" phones, unless as a verb with its particle (call out: name, call off: cancel)
    Kind(QType.PHONE, (_cue(1, r"电话|热线|座机|手机(?![上里])|\b(?:tele)?phones?\b|\bcall\b(?!\s+(?:out|off|upon)\b)|\bhotlines?\b"),), "a phone number", PHONE_RE, _all_of(PHONE_RE)),
    Kind(QType.EMAIL, (_cue(2, r"邮箱|邮件|e-?mail"),), "an e-mail address", EMAIL_RE, _all_of(EMAIL_RE)),
    Kind(QType.QQ, (_cue(3, r"QQ"),), "a QQ number", QQ_RE, _all_of(QQ_RE)),
    Kind(QType.DOC_NUMBER, (_cue(4, r"文号|发文字号|发文号|document number|reference number"),),
         "a document number (财建〔2023〕9号)", DOC_NUMBER_RE, _all_of(DOC_NUMBER_RE)),
    # 好几个月 (read as 好些个月: "several months") asks to confirm a length only where nothing else is asked
    Kind(QType.DURATION, (_cue(5, r"多久(?!以来)|多长时间|多少时间|时长|多少天|多少年|多少个月(?!份)|(?<!哪)几天|(?<!哪)几年|(?<!哪)几个月|how long|how many (?:days|weeks|months|years)\b"),
                          _cue(15, r"好些(?:天|年|个月)")),
         "a length of time (3个月, 半年)", DURATION_RE, _duration),
    # 多久以来第一次 asks since when: a date (as does 何日, 何年: the written 哪天, 哪年)
    Kind(QType.DATE, (_cue(7, rf"多久以来|哪几(?:天|年|个?月)|哪天|哪一天|{_DAY_NUMBER}|什么时候|何时|何[日年月]|{CLOCK_ASKED}|几时|{_asking('when')}|\bdates?\b|"
                              r"what day|opening hours|business hours"),
                      _cue(10, rf"何时|什么时候|哪天|哪一天|{_DAY_NUMBER}|几月|哪个?月|哪一个?月|哪年|哪一年|日期|时间是|什么时间|多久|"
                              rf"{_asking('when')}|what date|which day|what time|deadline|due date|by when")),
         "a date or period (2024年9月1日-3日, 7月份)", DATE_RE, _date),
    # 四条分别叫什么, 一是二是三是分别是啥: the names of several items counted or numbered
    Kind(QType.LIST, (_cue(8, rf"有哪些|哪些|{WHICH_SEVERAL}|分几个|分为几|几个阶段|几个方面|包括哪|包含哪|列举|都有什么|有什么措施|"
                              r"(?:[一二三四五六七八九十两几][条个项种类点样步]|[一二三四五六七八九十]是|每一?[步个项条种])[^，,。？?]{0,8}"
                              r"分别(?:叫|是|指|在)?(?:什么|啥|哪)|"
                              r"what are the|which .*(measures|stages|steps|platforms|areas)|\beach (?:stage|step|phase)\b|(?<![a-z])list(?![a-z])"),),
         "the items, one per line, numbered as in the source"),
    Kind(QType.PLACE, (_cue(6, _STREET_NUMBER),
                       _cue(11, rf"哪里|哪儿|在哪(?![些几个种类])|什么地方|什么位置|地点|地址|位置|位于|场馆|楼层|{_asking('where')}|(?<![a-z])venues?(?![a-z])|"
                                r"哪一?[个座]?(?:城市|省份?|国家|地区|县城|城镇)|which (?:city|country|province|town)\b|"
                               r"(?<![a-z])address(?:es)?(?![a-z])|(?<![a-z])located(?![a-z])")),
         "a place or address", PLACE_RE, _place),
    # (好多 closing a question is 多少 in the south-west: 拨好多钱？)
    Kind(QType.NUMBER, (_cue(12, r"多少|几条|几项|几个|几家|几类|几点|第几|几[届期次批篇位名人件种款倍份张本座台辆所场轮部处组套箱吨间栋元]|几[块毛]钱|(?<![星期周拜点十百千万])几(?=\s*(?:[，,。？?！!]|$))|多大|多高|多快|多远|多重|多宽|多深|多厚|多长(?!时间)|几比几|多少比多少|百分之|比重|涨跌|是涨是跌|涨还是跌|涨了还是跌了|升还是降|增还是减|"
                               r"增长了?多|(?:[值额]|[总数销产]量|业务量)[？?]\s*$|好多(?=[^，,。？?！!好]{0,4}[嘛呢啊呀]?[？?])|how many|how much|what (?:number|figure)\b|what percent(?:age)?\b|what share|\brates?\b|number of|\bvalue\b|"
                               r"what (?:[a-z]+ )?(?:is|was|were|will|did|does|do) .*\b(?:index|figure|total|amount|level|growth|increase|decrease|decline|rise|drop)\b|how (?:fast|quickly|big|large|high)\b"),),
         "a number with its unit (23条, 10.8%)", NUMBER_RE, _number),
    # the organisations and people the English cue names (department, agency, organisation, company, official…)
    Kind(QType.WHO, (_cue(13, rf"谁|哪一?位|哪一?[个些][\u4e00-\u9fff]{{0,2}}(?:{BODIES}|领导|官员)|哪一?家|什么(?:{BODIES})|{_asking('who')}|"
                          r"(?:which|what) (?:other )?(?:\w+ )?(department|agency|organi|official|leader|minister|company|firm)"),),
         "a person or organisation, in the sentence that names it"),
    # what does Douyin call the setup…: a name asked, not a number to call (ranked before the phone's cue)
    Kind(QType.WHAT, (_cue(14, r"叫什么|名称|名字|全称|简称|标题|题目|what is the name|called"),
                      _cue(-1, r"\bwhat (?:do|does|did) (?:[\w-]+ ){1,4}call\b|\b(?:what|how)\b[^?.!,;]{0,40}?\b(?:it|they|people|the article|"
                               r"the text|the report)\s+(?:\w+\s+)?call\b")),
         "a name or title (《…》)", TITLE_RE, _name),
    # "为什么…时间是其他泳手的一半": a why-question asks for a reason, whatever its topic names
    Kind(QType.DESCRIPTIVE, (_cue(9, r"为什么|为何|\bwhy\b"),), "the sentences that explain"),
)
BY_TYPE: dict[QType, Kind] = {k.qtype: k for k in KINDS}
_CUES = sorted(((rank, k.qtype, pat) for k in KINDS for rank, pat in k.cues), key=lambda c: c[0])

# Spoken question words, asked as their written forms: 啥时候 is 什么时候, 咋 is 怎么.
_COLLOQUIAL_AS = {"啥": "什么", "啥子": "什么", "咋": "怎么", "咋个": "怎么", "多会儿": "什么时候", "啥前儿": "什么时候",
                  "多前儿": "什么时候", "哪块儿": "哪里", "哪旮旯": "哪里", "哪疙瘩": "哪里", "哪嘎达": "哪里"}
_COLLOQUIAL = re.compile("|".join(sorted(_COLLOQUIAL_AS, key=len, reverse=True)))

# "后面几个月", "近几年", "这几天": 几 meaning "a few", part of the topic rather than a question about a number.
_VAGUE_FEW = re.compile(r"(?:后面|后续|今后|未来|接下来|最近|近|过去|前|这|那)几(?:个)?(?:天|周|个月|月|年)")
# "好几年", "好几个月": several, not a question about how many
_SEVERAL = re.compile(r"好几(?=[\u4e00-\u9fff])")
# "这几个平台", "那几种": these few, already named; the question asks something else of them
_THESE_FEW = re.compile(r"(?<=[这那])几(?=[个种类家项条样位款])")
# a clause asking whether (…吗, …么, 是不是…): a question word in it is an indefinite (还得几辆车凑齐一块儿进吗: must
# several trucks go in together?), unless a verb of knowing or telling holds what it asks (你知道展会几号开吗)
_CLAUSE_OF = re.compile(r"[^，,。？?！!；;\s]+")
_KNOWING = re.compile(r"知道|晓得|清楚|告诉|问|说说|讲讲|了解")


def _few_in_whether(question: str) -> str:
    """The question with the 几 of a count in a clause asking whether written 些: it asks no count (a 几 of a date
    or an hour there, 是几号开吗, or of which, 是哪几天开么 with a dialect's 么, is still read as asked)."""
    def plain(m: re.Match) -> str:
        c = m.group(0)
        return re.sub(r"(?<!哪)几(?![号点月日时])(?=[\u4e00-\u9fff])", "些", c) if _WHETHER.search(c) and not _KNOWING.search(c) else c
    return _CLAUSE_OF.sub(plain, question)


def _asked_sentences(question: str) -> str:
    """The sentences of a Chinese question that ask: one closed by 。 or ！ states (想讲清楚几个平台的区别。: 几个 is
    "several" there, as question words are in statements), when another sentence asks."""
    if is_english(question):
        return question
    said = sentences(question)
    asking = [x for x, states in said if not states and ASKS.search(x)]
    return "".join(asking) if asking and len(asking) < len(said) else question


def question_types(question: str) -> list[QType]:
    """Every kind whose cue appears, most specific first; DESCRIPTIVE when none does (or it asks why)."""
    question = _asked_sentences(question)
    question = _VAGUE_FEW.sub("近期", _COLLOQUIAL.sub(lambda m: _COLLOQUIAL_AS[m.group(0)], question))
    question = _few_in_whether(_SEVERAL.sub("好些", _THESE_FEW.sub("些", stated_few(question))))
    question = named_contacts(abstract_where(question))
    found = [qtype for _rank, qtype, pat in _CUES if pat.search(question)] or ([QType.LIST] if asks_which_ones(question) else [])
    if found and found[0] in CONTACT and _HOURS.search(question):  # 客服电话几点到几点有人接: its hours
        found = [QType.DATE] + [t for t in found if t is not QType.DATE]
    return found or [QType.DESCRIPTIVE]


# A contact asked for the hours it answers (电话几点有人接, what hours is the hotline staffed): a time
CONTACT = (QType.PHONE, QType.FAX, QType.EMAIL, QType.QQ)
_HOURS = re.compile(rf"{CLOCK_ASKED}|opening hours|business hours|what (?:time|hours)", re.IGNORECASE)


def asked_type(question: str, basis: str) -> QType:
    """The kind a question asks for; a follow-up that asks nothing in words of its own (那8月呢: a particle, not the 么 of
    什么) asks what the question it is restated from (its ``basis``: 8月电商物流指数多少) asked, unless it names a kind (那地址呢)."""
    own = question_types(question)[0]
    follows = basis != question and not is_english(question) and not ASKS.search(re.sub(rf"[呢吗?？]|{_ME}", "", question))
    if follows and own is QType.DESCRIPTIVE:
        return question_types(basis)[0]
    # 参观那个是多少 after 展会咨询QQ: the number it asks is of the kind the topic names (a QQ number)
    numbered = basis != question and own is QType.NUMBER and _ELIDED_NUMBER.search(question)
    return carried if numbered and (carried := question_types(basis)[0]) in (*CONTACT, QType.DOC_NUMBER) else own


_ELIDED_NUMBER = re.compile(r"(?:[这那]个|的)(?:号码?)?(?:是|为)?多少[？?]?$")


def asking(question: str, basis: str) -> str:
    """What the unit or ordinal asked for is read from: the question itself, not the topic a follow-up
    carries (总值 asked before does not make 幅度多大 a question about 元); for an English question,
    its Chinese terms and its own words, since the glossary translates terms, not asking words (what
    share of… asks for a percentage)."""
    if is_english(question):
        return f"{basis} {question}"
    # a clause asking no value says nothing of its unit (多少钱 比上年涨了还是跌了: 元; 涨跌 asks whether)
    valued = valued_clauses(question)
    return " ".join(valued) if valued else question


def valued_clauses(question: str) -> list[str]:
    """The clauses of a question that ask for a value (一共多少钱，跟去年同期比涨了多少: two); one that is
    the asking words alone (7月 农村电商业务量指数 几点, 备案号 icp那个 是多少) asks it of the two before (those asking none)."""
    clauses = _CLAUSES.split(question)
    return [("".join(b for b in clauses[max(0, i - 2):i] if not _ASKS_VALUE.search(b)) if _BARE_VALUE.match(c) else "") + c
            for i, c in enumerate(clauses) if _ASKS_VALUE.search(c)]


def clause_units(question: str) -> list[str | None]:
    """The unit each clause that asks for a value asks in (零售额有多少 占社零比重多少: 元, %)."""
    return [asked_unit(c) for c in valued_clauses(question)]


_CLAUSES = re.compile(r"[\s，,。？?！!；;]+")
_ASKS_VALUE = re.compile(r"多少|(?<!好)几|多[大高长久远快]")  # 好几年: several years, asking nothing
# the value alone: (…) 是多少, (…)它是多少, (…) 分别是百分之多少, (…增长得快不快，)保持在百分之多少以上
_BARE_VALUE = re.compile(r"(?:它们?|这个|那个)?(?:分别|具体|到底|究竟)?(?:是|为|有|保持在?|维持在?)?(?:百分之)?(?:多少|几|多[大高长久远快])")


def is_factoid(qtype: QType) -> bool:
    return qtype not in (QType.DESCRIPTIVE, QType.LIST)


# The contact a field line's label names (客服电话：…, 传真：…, 展会咨询QQ：…): a line labelled with one
# kind of contact gives no other kind, however alike the numbers look (a fax number is no hotline).
_LABEL = re.compile(r"^\s*([^：:\n]{1,12})[：:]")
_LABEL_KINDS = ((QType.FAX, re.compile(r"传真|fax", re.IGNORECASE)),
                (QType.PHONE, re.compile(r"电话|热线|手机|座机|tel|phone", re.IGNORECASE)),
                (QType.EMAIL, re.compile(r"邮箱|邮件|e-?mail", re.IGNORECASE)), (QType.QQ, re.compile(r"qq", re.IGNORECASE)))


def labelled_otherwise(sentence: str, qtype: QType) -> bool:
    """The sentence is a field line whose label names a kind of contact other than ``qtype``."""
    m = _LABEL.match(sentence) if qtype in CONTACT else None
    named = {kind for kind, cue in _LABEL_KINDS if m and cue.search(m.group(1))}
    return bool(named) and qtype not in named


def has_answer_form(sentence: str, qtype: QType) -> bool:
    form = BY_TYPE[qtype].form
    return bool(form and form.search(sentence)) and not labelled_otherwise(sentence, qtype)


def extract_span(question: str, sentence: str, qtype: QType, keywords: list[str]) -> str | None:
    """The short answer inside ``sentence``, or None when no span of the wanted form is there. Where several
    candidates exist (a sentence with three numbers), the one with the asked unit wins, then the one nearest
    to a question keyword found in the sentence."""
    extract = BY_TYPE[qtype].extract
    return extract(question, sentence, keywords) if extract else None

# A不A (有没有, 是不是): a question answered yes or no
_A_NOT_A = r"([\u4e00-\u9fff])[不没]\1"
_ME = r"(?<![什怎那这多要])么"  # the particle 么 (as 吗), not the 么 of 什么, 怎么
# a clause asking whether ends in 吗 or 么 (a particle after it) or has A不A in it: _few_in_whether
_WHETHER = re.compile(rf"(?:吗|{_ME})[呀啊呢嘛]?$|{_A_NOT_A}")
# 啥都有, 谁也不知道, 哪儿都行: a question word before 都/也 means any or every one; it asks nothing
INDEFINITE = re.compile(r"(?:啥|什么|谁|哪(?:里|儿)?)(?=[都也])")
# a clause asks when it has a question word or mark (not: "trying to see if they overlap", "我想做个对比")
ASKS = re.compile(rf"多少|(?<![许很好众诸])多(?:快|大|久|远|高|长|重|宽|深|厚)|几|(?!{INDEFINITE.pattern})(?:啥|什么|哪|谁)|何|怎|咋|吗|么|呢|还是|是否|"
                  rf"{_A_NOT_A}|[?？]|"
                  r"\b(?:what|which|who|when|where|how|why)\b", re.IGNORECASE)
# a question answered yes or no: 吗/么, A还是B, 是否, A不A, V不? (要得不？有优惠没有？), or in English one that opens with an auxiliary verb
YES_NO = re.compile(rf"吗|{_ME}|还是|是否|{_A_NOT_A}|(?<=[\u4e00-\u9fff])[不没]有?\s*[？?]|"
                    r"^\s*(?:is|are|do|does|did|can|could|will|would|was|were|has|have)\b", re.IGNORECASE)
