"""The forms answers take (a phone number, a date, a count with its unit) and the helpers that find one
in a sentence; the kinds of question built on them are registered in :mod:`qa.answering.kinds`.

All rules are about the *form* of answers (a phone number, a date, a count with its unit), never about
particular questions, so they carry over to documents nobody has seen.
"""

from __future__ import annotations

import enum
import functools
import re
from typing import NamedTuple

from qa.answering.measures import CURRENCIES, MEASURES


class QType(str, enum.Enum):
    PHONE = "phone"
    FAX = "fax"
    EMAIL = "email"
    QQ = "qq"
    DOC_NUMBER = "doc_number"  # a document's issuing number (财建〔2023〕9号)
    DATE = "date"
    DURATION = "duration"
    PLACE = "place"
    NUMBER = "number"
    WHO = "who"
    LIST = "list"
    WHAT = "what"  # a named thing ("叫什么", "what is the name")
    DESCRIPTIVE = "descriptive"


# Units a count or amount can carry, longest first so 万亿元 wins over 元.
_UNITS = ("万亿元|亿元|万元|千元|元|(?:万亿|亿|万)?(?:美元|港元|欧元|日元|英镑)|万亿|亿|万|个百分点|百分点|个点|点|%|条|项|个月|个小时|个|家|类|批|方面|阶段|部门|年|月|日|天|"
          "公斤|千克|克|吨|公里|千米|米|厘米|公分|毫米|平方米|平方公里|公顷|亩|升|毫升|小时|分钟|秒|周|岁|册|本|页|"
          "名|位|座|所|间|栋|层|场|届|期|篇|部|集|首|张|台|辆|架|艘|只|头|匹|株|发|股|级|度|倍|分|"
          "次|倍|人|件|种|款|县|届|号|处(?![理于在置罚分])|份|轮|组|套|箱|公尺|英尺|英里|英寸|℃")
# Units written in Latin letters, often set off by a space (1.601 km², 75 kg).
_LATIN_UNITS = "km²|km2|cm²|m²|km|kg|cm|mm|mg|ml"
# A share said in words: 三分之一, 百分之三十, 一半以上.
_SHARE = r"(?:[0-9一二三四五六七八九十百千]+|百)分之[0-9一二三四五六七八九十点]+|(?:一半|半数)(?:以上|以下|左右)?"
_GROUPED = r"[0-9]{1,3}(?:,[0-9]{3})+"  # a figure with thousands separators: 1,234 or 2,400
# 十多个, 200余家: a round figure and more
NUMBER_RE = re.compile(rf"{_SHARE}|(?:{_GROUPED}(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|[一二三四五六七八九十两百千]+)(?:多|余)?"
                       rf"(?:{_UNITS}|[ \u00a0]?(?i:{_LATIN_UNITS})(?![A-Za-z]))")
# A length of time, from the start of its figure: a month counts with 个 (3个月; 7月 is July) and a
# four-digit year is a date (2023年), not a length; a span between two dates or months is one too
# (花期1-3月, 9月1日-3日).
_SPAN_END = r"\s*[-—~至到]\s*(?:[0-9]{4}年)?"
DURATION_RE = re.compile(rf"(?<![0-9.〇零一二三四五六七八九十百千两半])(?![12][0-9]{{3}}年)"
                         rf"(?:{_GROUPED}|[0-9]+(?:\.[0-9]+)?|[一二三四五六七八九十百千两半]+)(?:万|亿)?"
                         r"(?:个月|个?(?:年|周|天|小时|分钟))(?:左右|以上|以内|多)?|半年(?:左右)?|"
                         rf"(?:[0-9]{{4}}年)?[0-9]{{1,2}}月[0-9]{{1,2}}日{_SPAN_END}(?:[0-9]{{1,2}}月)?[0-9]{{1,2}}日|"
                         rf"(?:[0-9]{{4}}年)?[0-9]{{1,2}}(?:月)?{_SPAN_END}[0-9]{{1,2}}月")
# How often (多久报一回, 多长时间一次, how often) is answered by a frequency, not a length of time
FREQUENCY_ASKED = re.compile(r"(?:多久|多长时间|隔多久)[^，,。？?]{0,6}?一[次回趟遍]|频率|频次|how often", re.IGNORECASE)
FREQUENCY_RE = re.compile(r"(?:每|按)(?:半年|年度?|季度?|个?月|月度|周|天|日)|(?:一|两|半)?(?:年|季度?|个?月|周|天)[一1][次回]")
TITLE_RE = re.compile(r"《[^》]{2,60}》")
# A Chinese official document's number: issuer's code, year in brackets, serial (国发〔2019〕3号)
DOC_NUMBER_RE = re.compile(r"[\u4e00-\u9fff]{1,8}[〔\[［(（][0-9]{4}[〕\]］)）][0-9]{1,4}号")
_ZH_DIGIT = "〇零一二三四五六七八九"
_ZH_SMALL = "一二三四五六七八九十"
DATE_RE = re.compile(
    r"[0-9]{4}年[0-9]{1,2}月(?:[0-9]{1,2}日|底|末|初(?!步)|[上中下]旬)?(?:\s*[-—~至到]\s*(?:(?:[0-9]{1,2}月)?[0-9]{1,2}日|[0-9]{1,2}月(?!份)))?|"
    r"[0-9]{1,2}月[0-9]{1,2}日(?:\s*[-—~至到]\s*[0-9]{1,2}日)?|"
    # written in Chinese numerals (一九六一年九月十日), BC and early years (公元前25年), centuries
    rf"[{_ZH_DIGIT}]{{4}}年(?:[{_ZH_SMALL}]{{1,2}}月(?:[{_ZH_SMALL}]{{1,3}}日)?)?|公元前?[0-9]{{1,4}}年|"
    rf"(?:[0-9]{{1,2}}|[{_ZH_SMALL}]{{1,3}})世纪(?:初期?|早期|中期|中叶|晚期|末期?|[0-9]{{2}}年代)?|"
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}\s*[-—~至到]\s*[0-9]{4}年|[0-9]{4}年(?:上半年|下半年|底|初)?|[0-9]{1,2}月(?:份|底|末|初(?!步)|[上中下]旬)?|前[0-9一二三四五六七八九十]+个月")
# 到25年, 23年上半年, 24年底, 23年头七个月, a clause that opens with 24年: a year said with two digits,
# where the words around make it a point in time (not 用了12年, 20年来, 12年前: a length of time)
SHORT_YEAR = re.compile(r"(?<![0-9.])([0-9]{2})年"
                        r"(?=底|初|末|头|上半年|下半年|[0-9一二三四五六七八九十]{1,2}(?:[-—~至到][0-9一二三四五六七八九十]{1,2})?月)"
                        r"|(?:(?<=[到在于从至止])|(?<![^\s，,。？?！!；;：:]))([0-9]{2})年"
                        r"(?![0-9代级来间内多了左右以后]|前(?![0-9一二三四五六七八九十]))")
PHONE_RE = re.compile(r"(?<![0-9])0[0-9]{2,3}-[0-9]{7,8}(?![0-9])|(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
QQ_RE = re.compile(r"(?<![0-9])[1-9][0-9]{4,10}(?![0-9-])")
PLACE_RE = re.compile(r"[\u4e00-\u9fff]{2,20}?(?:中心|大厦|会展中心|博览中心|展览馆|会议中心|大会堂|会堂|礼堂|宾馆|酒店|广场|体育馆)[0-9A-Za-z]*楼?|"
                      r"[\u4e00-\u9fff]{2,10}(?:省|市|区|县|路)[\u4e00-\u9fff0-9]*?(?:号|楼)[\u4e00-\u9fff0-9]*")
_ZH_DIGITS = "零一二三四五六七八九十两"
# "在人民大会堂会见…": the place of an event is the phrase between 在 and the verb.
AT_PLACE_RE = re.compile(r"在([\u4e00-\u9fff]{2,12}?)(?:会见|举办|举行|召开|开幕|见面|会晤|签署|发布|出席)")


_CLASSIFIERS = frozenset("个家位名项种类款件")
COUNTED = "个|家|位|名|项|种|类|款|件|条|部门|方面|阶段|县|批|所|座|篇|部|人|场|届|次"


# A question about a change (涨了多少, 增速多快, 同比增长百分之几) and a figure that states one: after a
# verb of change (比上月小幅提高0.3个点, 同比增长0.4%) or before a word for growth (25%以上的高速增长).
_CHANGE_ASKED = re.compile(r"涨|升|提高|提升|增长|增加|增速|增幅|降|跌|回落|减少|下滑|变化|变动|幅度|多(?!少)[^了]?了|(?<!多)少了|环比|同比|"
                           r"(?:比|较|跟|和|与)(?:去年|上年|上月|上个月|前一年)|同期|"
                           r"(?:比|较)[^，,。？?！!；;\s]{1,10}?(?:高|低|大|小|快|慢)(?:了|出)?(?:多少|几)|"  # 比6月份高了多少
                           r"\b(?:rise|rose|grow|grew|growth|increase|decrease|fall|fell|drop|change|by how much|"
                           r"go(?:es)? (?:up|down)|went (?:up|down)|year[- ]on[- ]year|month[- ]on[- ]month|same period|"
                           r"(?:vs\.?|versus|compared (?:with|to)|than|from) (?:the )?(?:last|previous|prior|a) (?:year|month))",
                           re.IGNORECASE)
# (增长至23.55万亿元, 提高到110点 give the new level; a figure then 的…增长 is a rate of growth.)
_CHANGE_BEFORE = re.compile(r"(?:提高|提升|上涨|增长|增加|上升|下降|下跌|回落|减少|下滑|环比|同比)[^，,。；;：:0-9至到为]{0,3}$")
# (…20%和25%以上的高速增长: the first of figures joined by 和 is read with the last's words)
_CHANGE_AFTER = re.compile(r"^(?:(?:和|与|、|至|到)[0-9.]+[%％]?)?(?:以上|左右)?的[^，,。；;0-9]{0,4}"
                           r"(?:增长|增速|增幅|涨幅|降幅|下降|回落)")


# A bound, not a value: 突破110点, 在100点以下, 超过3成. A question asking for the exact figure (具体是多少)
# is not answered by one.
_BOUND_BEFORE = re.compile(r"(?:突破|超过|超出|不到|不足|低于|高于|逾|近)$")
_BOUND_AFTER = re.compile(r"^(?:以上|以下|之上|之下|以内|多)")
_EXACT_ASKED = re.compile(r"具体|确切|精确|准确|exact", re.IGNORECASE)


def asks_exact(question: str) -> bool:
    return bool(_EXACT_ASKED.search(question))


def states_bound(sentence: str, start: int, end: int) -> bool:
    """The figure at sentence[start:end] bounds a value (突破110点, 100点以下) rather than giving it."""
    return bool(_BOUND_BEFORE.search(sentence[max(0, start - 2):start]) or _BOUND_AFTER.match(sentence[end:end + 2]))


# what the asker says they do not ask (不是涨了多少; 不是问增幅), to the clause's end; the group: its words
NOT_ASKED = re.compile(r"(?<!是)(?:不是|并不是|并非|而非)(?:问|说|要)?([^，,。？?！!；;（()）]{1,16})")


def asks_change(question: str) -> bool:
    return bool(_CHANGE_ASKED.search(NOT_ASKED.sub(" ", question)))


def states_change(sentence: str, start: int, end: int) -> bool:
    """The figure at sentence[start:end] is a change, not a level."""
    return bool(_CHANGE_BEFORE.search(sentence[max(0, start - 8):start]) or _CHANGE_AFTER.search(sentence[end:end + 16]))


_SHARE_OF_ASKED = re.compile(r"(?:百分之(?:多少|几)|多少%|几成|多大比例|多少比例)的([\u4e00-\u9fff]{1,4})")
_SHARE_OF = re.compile(r"^的([\u4e00-\u9fff]{1,4})")


def share_of_other(question: str, sentence: str, end: int) -> bool:
    """百分之多少的村 asks for a share of villages: "90%的县" is a share of counties. True when the
    figure ending at sentence[end] is a share of something the question does not name."""
    asked = _SHARE_OF_ASKED.search(question)
    of = _SHARE_OF.match(sentence[end:end + 6])
    return bool(asked and of and not set(asked.group(1)) & set(of.group(1)))


# The words that ask for a value, with what may stand between them and the noun whose value is asked
# (物流时效指数具体是多少点, 面积有多大).
_ASKS_VALUE = re.compile(r"(?:具体|到底|一共|总共|大概|大约|现在|目前|一般|通常|平均)?(?:能|可以|可)?"
                         r"(?:是|为|有|在|达到?|做到)?(?:多少|几|多大|多高)")
_CJK_RUN_END = re.compile(r"[\u4e00-\u9fff]+$")
_TERM_RUN_END = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+$")  # 一般ROI: a term in Latin letters too
_CLAUSE_BREAK = re.compile(r"[，,；;：:。！？!?、]")


# how much it changed (满意率指数环比涨了几个点, 增幅多大): a change asked of the subject before it
_CHANGED_BY = re.compile(r"(?:环比|同比|(?:比|较)(?:上月|上个月|去年|上年))?(?:大幅|小幅)?"
                         r"(?:上涨|涨|提高|提升|增长|增加|上升|升|下降|下跌|降|跌|回落|减少|下滑)(?:了|幅|速)?$|"
                         r"(?:环比|同比)?(?:涨幅|增幅|降幅|增速)$")


def asked_subject(question: str) -> str | None:
    """The compound whose value a question asks, without its period (7月物流时效指数具体是多少点 → 物流时效指数):
    four characters or more, a head with what makes it this one and not another; or a term in Latin
    letters (ROI一般能做到多少 → ROI); of a change asked, what changed (满意率指数环比涨了几个点)."""
    m = _ASKS_VALUE.search(question)
    if m is None:
        return None
    run = _TERM_RUN_END.search(_CHANGED_BY.sub("", DATE_RE.sub(" ", question[:m.start()]).rstrip()))
    if run is None:
        return None
    latin = re.search(r"[A-Za-z][A-Za-z0-9]+$", run.group(0))  # ROI能做到多少: the term is the Latin word
    return latin.group(0) if latin else (run.group(0) if len(run.group(0)) >= 4 else None)


def subject_of_value(sentence: str, start: int, head: str) -> str | None:
    """The compound ending in ``head`` that the figure at sentence[start] is said of: the last in its
    clause (7月份中国电商物流指数为110.9点 → 中国电商物流指数), else the first in the sentence; None when
    the sentence names none before the figure."""
    breaks = [b.end() for b in _CLAUSE_BREAK.finditer(sentence, 0, start)]
    before = DATE_RE.sub(lambda m: " " * len(m.group(0)), sentence[:start])
    clause_start = breaks[-1] if breaks else 0
    i = before.rfind(head, clause_start)
    if i < 0:  # a clause without its subject (…提高1.5点,结束了…在100点以下运行) is said of the sentence's
        i = before.find(head, 0, clause_start)
    if i < 0:
        return None
    run = _CJK_RUN_END.search(before[:i + len(head)])
    return run.group(0) if run else None


def of_another_subject(asked: str, head: str, sentence: str, start: int) -> bool:
    """The figure at sentence[start] is said of a compound with the asked one's head that is neither
    the asked one nor part of it (电商物流指数为110.9点, asked 物流时效指数)."""
    said_of = subject_of_value(sentence, start, head)
    if said_of is None or asked in said_of or said_of in asked:
        return False
    # 总业务量指数和农村电商业务量指数…分别保持20%和25%: figures said of each compound named before, in turn
    return not ("分别" in sentence[:start] and asked in sentence[:start])


# What a count question counts: the noun after 多少个/几家 (多少个村播学院), else the one before the verb it
# counts with (县级物流配送中心一共要建多少个).
COUNT_WORD = r"(?:多少|几)(?:个|家|所|座|项|条|种|类|名|位)"
# (up to the next count: 几个超市几个快递网点 counts 超市 first; and with the word for a number of them
# between: 县级物流配送中心的具体数量是多少个)
_COUNTED_AFTER = re.compile(COUNT_WORD + r"([\u4e00-\u9fff“”\"]{2,16}?)(?=多少|几|[^\u4e00-\u9fff“”\"]|$)")
_COUNTED_BEFORE = re.compile(r"([\u4e00-\u9fff]{2,16}?)(?:的?(?:具体)?(?:数量|数目|个数|总数)(?:是|为|有)?)?"
                             r"(?:一共|总共|共|总计)?(?:要|将|会|能|计划|准备)?"
                             r"(?:建设|建成|建|打造|培育|设立|设|改造|有|认定|评选|评出|分为|分成|分)?" + COUNT_WORD)
_PARTICLES = re.compile(r"[啊呀呢吗吧嘛哈\"“”]+")
_COUNTED_IN_TEXT = re.compile(r"^(?:左右|多|余|以上)?的?([\u4e00-\u9fff“”\"]{2,20})")
# Nouns for kinds themselves: 两种类型 counts the kinds of what the sentence divides, not another thing.
KIND_NOUNS = ("类型", "种类", "类别")


class Counted(NamedTuple):
    """What a count question counts, and whether the words come before the count (X一共几条), where
    the noun phrase is the one they end in, or after it (几条X), where it is the one they begin with."""
    words: str
    before: bool


def counted_noun(question: str) -> Counted | None:
    """What a count question counts (到2025年要建多少个村播学院 → 村播学院; 改革措施一共几条 → 改革措施)."""
    m = _COUNTED_AFTER.search(question)
    if m and len(noun := _PARTICLES.sub("", m.group(1))) >= 2:
        return Counted(noun, False)
    m = _COUNTED_BEFORE.search(DATE_RE.sub(" ", question))
    return Counted(_PARTICLES.sub("", m.group(1)), True) if m else None


def counted_after(sentence: str, end: int) -> str | None:
    """What the count ending at sentence[end] names right after it (500个左右的县域商业“领跑县” →
    县域商业领跑县), if anything."""
    m = _COUNTED_IN_TEXT.match(sentence[end:end + 24])
    return _PARTICLES.sub("", m.group(1)) if m else None


# Words written with a numeral that are not figures: 十分可观 (very), 万分, 千万 (by all means), 百般, 十足.
# 一批, 一些 (a batch, some) count nothing either.
_NUMERAL_WORDS = frozenset(["十分", "万分", "千万", "万万", "百般", "十足", "一批", "一些", "一系列"])


def fits_unit(value: str, unit: str | None) -> bool:
    """A figure that can answer a question asking in ``unit`` (None: any quantity): in that unit (a
    count asked in 条 is never answered with a figure in 月), not a word written with a numeral
    (十分可观), nor a number that names something (689号, 99号文件: a house or document number) unless
    号 is what the question asks in (几号), nor a count of kinds (两种) unless a unit is asked."""
    if value in _NUMERAL_WORDS or (value.endswith("号") and unit != "号"):
        return False
    if not unit and value.endswith(("种", "类")):  # 两种 counts kinds: what a question asks in no unit (ROI多少,
        return False  # how much commission) is no count of kinds; 几种, 多少类, how many types ask in one
    return not unit or bool(re.search(rf"(?:{unit})$", value, re.IGNORECASE))


def asked_unit(question: str) -> str | None:
    """The unit a count question asks in: 多少条 → 条, 几个阶段 → 阶段, 多少钱 → 元 (多少份额 is a share, not 份)."""
    m = re.search(r"(?:多少|几)(?:万亿|亿|万|千|百)?(个百分点|个点|个阶段|个方面|个部门|个县|大方面|大类|阶段|方面|部门|条|项|个|家|类|点|批|倍|次|天|年|月|人|件|种|款|届|号|所|座|台|辆|名|位|场|篇|处|份|张|本|部|轮|组|套|箱|吨|间|栋)(?!额)", question)
    if m:
        unit = m.group(1)
        if unit == "个百分点":  # a change of a percentage, said as one as often (增长0.4%), as 多少百分点 is
            return "百分点|%"
        if unit == "个点":  # a measure: "1.4个点" or "0.5点", never a count of things, or a percentage's
            return "点|%"  # change said so (同比涨了几个点: 增长0.4%)
        # 几个部门 is answered by "九部门" or by "9个"
        if unit.startswith(("个", "大")) and len(unit) > 1:  # 几大方面 counts 方面 as 几个方面 does
            return f"个|{unit[1:]}"
        # a bare classifier (几家, 多少个) counts whatever the question names: "几家部委" is answered by
        # "17部门", so any count of things will do, though not a measure (元, %, 点, 年…)
        return COUNTED if unit in _CLASSIFIERS else unit
    # 备案号是多少, 备案号 icp那个 是多少: a number that names
    if re.search(r"号码?\s*(?:[^\s，,。？?！!0-9号]{1,6}?\s*(?:是|为)|是|为)?\s*(?:多少|几)", question):
        return "号"
    for cue, units in MEASURES:  # 面积多大 is answered in 亩 or 平方公里, not in 个
        if cue.search(question):
            return units
    # 占…多少 (社零总额里网上实物占了多少) asks for a share, as 比重 does; 占地 is land, not a share
    if re.search(r"比例|比重|占比|百分|(?<!地)占(?!地)[^，,。？?]{0,12}(?:多少|几成)|percent|share|proportion",
                 question, re.IGNORECASE):
        return "%"
    for cue, currency in CURRENCIES:  # an amount asked in a currency is given in it (美元, not 元)
        if cue.search(question):
            return currency
    # an amount of money: 多少钱, 多少亿元, 多少资金; in English the same words (price, subsidy, funds). How
    # much an amount grew (零售额同比涨了多少) is told as a rate (增长10.8%) as often, unless 元 is named.
    named = re.search(r"多少钱|(?:多少|几)(?:万亿|亿|万|千)?(?:元|块)", question)
    if named or re.search(r"金额|总值|总额|零售额|价格|票价|资金|经费|费用|预算|投资额|补贴|补助|奖补|奖金|保证金|押金|租金|罚款|贷款|\b(?:money|yuan|rmb|prices?|costs?|fees?|"
                          r"subsid(?:y|ies)|funds?|funding|budget|deposit|amount of money)\b", question, re.IGNORECASE):
        return "元|%" if asks_change(question) and not named else "元"
    if re.search(r"指数|%", question, re.IGNORECASE):
        return "点|%"
    if re.search(r"\bhow many\b(?!.*\bpoints?\b)", question, re.IGNORECASE):  # a count, as 多少个 asks
        return COUNTED
    return None


# A time of day: 9:00, 9:00-17:00, 上午9点, 下午两点半 (a bare 9点 may be an index's points)
_DAYTIME = "上午|下午|早上|早晨|晚上|傍晚|凌晨|中午|每天|每日"
CLOCK_RE = re.compile(
    rf"(?:{_DAYTIME})?[0-9]{{1,2}}[:：][0-9]{{2}}(?:\s*[-—~至到]\s*[0-9]{{1,2}}[:：][0-9]{{2}})?|"
    rf"(?:{_DAYTIME})[0-9{_ZH_SMALL}]{{1,3}}[点时](?:[0-9{_ZH_SMALL}]{{1,2}}分|半)?")
# 几点 asks for a time of day before a verb of opening or closing (几点开门, 几点到几点), not for items
# (包括哪几点, 有几点要求), nor after an index (指数几点, 指数 几点, 指数是几点 ask its points)
CLOCK_ASKED = r"(?<![哪有括含分出提])(?<!指数)(?<!指数\s)(?<!指数[是为])几点(?:钟|[前到后开关闭]|结束|开始|营业|入场|进场|\s*[？?]?\s*$)"
# What part of a date a question asks for, most specific first: a time of day (几点开门, 几时到几时), the day a thing is
# due by (几号前: a month's end, 11月底, gives it), a day (哪天, 几号), a month (几月), a year. "When" (几时) asks none.
_DATE_PARTS = (
    ("时", re.compile(rf"{CLOCK_ASKED}|几时(?:到|至|-)几时|what time|opening hours|business hours|what hours?\b", re.IGNORECASE)),
    ("日前", re.compile(r"(?:哪一?天|几号|几日|哪日|何日)(?:之|以)?前|by (?:what|which) (?:day|date)", re.IGNORECASE)),
    ("日", re.compile(r"哪一?天|哪几天|几号|几日|哪日|何日|几月几|what day|which day", re.IGNORECASE)),
    ("月", re.compile(r"几月|哪一?个?月|哪几个?月|什么月份|哪个月份|which month", re.IGNORECASE)),
    ("年", re.compile(r"哪一?年|哪几年|什么年份|哪个年份|何年|which year|what year", re.IGNORECASE)),
)
_DATE_PART_FOUND = {"年": re.compile(r"年|[0-9]{4}-"), "月": re.compile(r"月|[0-9]{4}-[0-9]{2}"),
                    "日": re.compile(r"[日号]|[0-9]{4}-[0-9]{2}-[0-9]{2}")}
_DATE_PART_FOUND["日前"] = re.compile(_DATE_PART_FOUND["日"].pattern + r"|月[底末初]|[上中下]旬")


def asked_date_part(question: str) -> str | None:
    """哪一年 is answered by a year, not by "8月"; 哪天 by a day, not by "2023年"."""
    return next((part for part, cue in _DATE_PARTS if cue.search(question)), None)


def gives_date_part(value: str, part: str | None) -> bool:
    if part == "时":
        return bool(CLOCK_RE.search(value))
    return part is None or bool(_DATE_PART_FOUND[part].search(value))


def dates_of_part(text: str, part: str | None) -> list[re.Match]:
    """The dates of the text that give the asked part: times of day for 几点, else dates."""
    found = CLOCK_RE.finditer(text) if part == "时" else DATE_RE.finditer(text)
    return [m for m in found if gives_date_part(m.group(0), part)]


_ORDINAL_ASKED = re.compile(r"第几([\u4e00-\u9fff]?)")


@functools.lru_cache(maxsize=256)
def asked_ordinal(question: str) -> re.Pattern | None:
    """第几张 is answered by "第15张", 排第几 by "第二": an ordinal, with what the question counts."""
    m = _ORDINAL_ASKED.search(question)
    if m is None:
        return None
    return re.compile(rf"第(?:[0-9]+|[{_ZH_DIGITS}百千]+){re.escape(m.group(1))}")


def value_after_label(sentence: str, labels: tuple[str, ...]) -> str | None:
    """For "标签：值" lines (contact blocks, fact sheets) the value is the answer."""
    for label in labels:
        m = re.search(rf"{label}\s*[：:]\s*([^。；;\n]+)", sentence)
        if m:
            return m.group(1).strip()
    return None


def is_enumerator(sentence: str, pos: int, text: str) -> bool:
    """(一)、一是、第一… are list markers, not quantities."""
    before = sentence[pos - 1] if pos > 0 else ""
    after = sentence[pos + len(text)] if pos + len(text) < len(sentence) else ""
    return (bool(before) and before in "(（第") or (text[-1] in "是" and text[0] in _ZH_DIGITS) or after == ")"


MAX_ANCHOR_DISTANCE = 40


def nearest(cands: list[tuple[int, str]], sentence: str, keywords: list[str]) -> str | None:
    """The candidate closest to where the sentence mentions what was asked about.

    A value far from every keyword (or in a sentence naming none of them) belongs to something else:
    "2023年7月31日" in a sentence about a meeting does not date the free-trade agreement mentioned
    elsewhere, so no span is given.
    """
    if not cands:
        return None
    anchors = [m.start() for k in keywords if k for m in re.finditer(re.escape(k), sentence)]
    if not keywords:
        return cands[0][1]
    if not anchors:
        return None
    pos, text = min(cands, key=lambda c: (min(abs(c[0] - a) for a in anchors), c[0]))
    if min(abs(pos - a) for a in anchors) > MAX_ANCHOR_DISTANCE:
        return None
    return text


def unique(items: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for i in items:
        seen.setdefault(i, None)
    return list(seen)


# An official document's signature: its issuing offices, then the date it was signed
# (…中华全国供销合作总社办公厅2023年7月27日); and a question asking for that date
SIGNATURE_RE = re.compile(r"(?:办公厅|办公室|委员会|人民政府|总署|总局|总社)\s*((?:19|20)[0-9]{2}年[0-9]{1,2}月[0-9]{1,2}日)")
SIGNING_ASKED = re.compile(r"落款|印发|签发|发文日期|成文日期|\b(?:issued|signed|dated)\b|\bdate (?:is |was )?on (?:the|that|this|its)\b",
                           re.IGNORECASE)
