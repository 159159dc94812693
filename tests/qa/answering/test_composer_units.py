"""Pure units of retrieval and composition: fusion, spans, specifiers, list siblings, rewriting."""

from __future__ import annotations

from dataclasses import replace

import pytest

from index.documents import Chunk, Document
from qa.answering.evidence import names_a_kind
from qa.answering.followup import is_elliptical, rewrite_query
from qa.answering.kinds import extract_span, question_types
from qa.answering.lists import markers, siblings, starts_item, under, zh_number
from qa.answering.neighbours import Neighbours, elaborate
from qa.answering.retriever import Filters
from qa.answering.sentences import split_chunk, time_specifiers
from qa.answering.spans import NUMBER_RE, QType, asked_unit
from qa.errors import BadRequestError
from qa.pipeline import Pipeline, default_tokenizer
from qa.settings import RetrievalMode


@pytest.fixture(scope="module")
def tokenizer():
    return default_tokenizer()


@pytest.mark.parametrize("question,qtype", [
    ("展会的客服电话是多少", QType.PHONE), ("传真号码？", QType.FAX), ("邮箱是什么", QType.EMAIL),
    ("参观咨询QQ是多少", QType.QQ), ("对接的qq是哪个", QType.QQ), ("展会什么时候举办", QType.DATE), ("电商博览会是哪几天？", QType.DATE),
    ("展会在哪开？", QType.PLACE), ("综保区改革一共多少条措施", QType.NUMBER),
    ("兴趣能维持多久", QType.DURATION), ("县域商业三年行动分几个阶段", QType.LIST),
    ("抖音上新品牌怎么起量？", QType.DESCRIPTIVE), ("When is the expo?", QType.DATE),
    # 几 meaning "a few" is part of the topic, not a question about a number or a duration
    ("未来几个月出口怎么走？", QType.DESCRIPTIVE), ("近几年直播电商发展得怎样？", QType.DESCRIPTIVE),
    ("这个政策要执行几个月？", QType.DURATION), ("价格已经连续下跌多少个月了", QType.DURATION), ("一年里有多少个月份有数据", QType.NUMBER),
    # 几号 numbers days, and also streets, buildings and halls
    ("开幕式几号举行", QType.DATE), ("会展中心在哪条路几号", QType.PLACE), ("新能源汽车展区在几号馆", QType.PLACE),
    ("服务台在几楼", QType.PLACE), ("从几号门进场", QType.PLACE),
    # English: "the dates" asks for a date, "what was the … index" for a value
    ("What are the dates of the fair?", QType.DATE), ("What was the price index in May?", QType.NUMBER),
    ("What will the price index be next month?", QType.NUMBER), ("What's the deadline for the survey?", QType.DATE),
    ("What are the main measures?", QType.LIST), ("Please list the stages", QType.LIST),
    # an English cue is a word, not letters inside another (journalist, revenue, allocated), beside Chinese too
    ("Journalist here, by how much did trade grow?", QType.NUMBER), ("请list一下措施", QType.LIST),
    ("How is the revenue split?", QType.DESCRIPTIVE), ("How are funds allocated?", QType.DESCRIPTIVE),
    ("展会fax？", QType.FAX), ("展会的address", QType.PLACE),
    # spoken question words ask what their written forms ask
    ("展会啥时候开", QType.DATE), ("展会多会儿开", QType.DATE), ("新品牌咋起量", QType.DESCRIPTIVE), ("How fast did exports grow?", QType.NUMBER),
    # 多 with an adjective of measure asks for a figure: 增速有多快, 离展馆多远; 多长时间 for a length of time
    ("农村电商业务量增速有多快", QType.NUMBER), ("外贸同比是涨是跌", QType.NUMBER), ("价格涨还是跌", QType.NUMBER), ("酒店离展馆多远", QType.NUMBER), ("活动要办多长时间", QType.DURATION),
    # which N of something asks for the items, as "which several" does; "which one" does not
    ("改革分成哪五个方面？", QType.LIST), ("公司被拆分成哪两家公司？", QType.LIST), ("协定是哪一年签的", QType.DATE),
    ("这是哪个月的数据", QType.DATE), ("哪月开幕", QType.DATE), ("是在哪个城市会晤的", QType.PLACE),
    # a why-question asks for a reason, whatever its topic names
    ("练水的时间是别人的一半，为什么成绩却好？", QType.DESCRIPTIVE), ("为啥人数多少都不公布", QType.DESCRIPTIVE),
    # 这几个, 那几种: these few, already named; the question asks something else of them
    ("这几个平台的流量有啥不一样", QType.DESCRIPTIVE), ("那几家公司是谁", QType.WHO), ("这几个平台有几个是社区", QType.NUMBER),
    # English cues are whole words: "called" is not "call", nor "separate" or "accelerated" "rate"
    ("What is the plan called?", QType.WHAT), ("Can companies file separate declarations?", QType.DESCRIPTIVE),
    ("What is the growth rate?", QType.NUMBER), ("Who should I call?", QType.PHONE),
    # when, where and who ask where they begin a question or clause, not where they join one
    ("Can we get the guarantee waived when we declare in batches?", QType.DESCRIPTIVE),
    ("When they get repaired outside the zone, must the ships cross the boundary?", QType.DESCRIPTIVE),
    ("When the minister toured the port, who went with him?", QType.WHO), ("When is the fair, and where?", QType.DATE),
    ("When the mayor opened the port, in which fields did he want more trade?", QType.LIST),  # no date: which ones
    ("When exactly does it close, which evening?", QType.DATE),
    ("When we reach the city we take a bus. What is the hall's address?", QType.PLACE),  # a statement's when
    ("Is there a hall where I can rest?", QType.DESCRIPTIVE), ("I want to know when it opens", QType.DATE),
    ("Which office issued it, and when?", QType.DATE),
    ("How many days does the expo last?", QType.DURATION), ("How many visitors came?", QType.NUMBER),
    # which leader or department, with what it is of between (哪个中方领导), as "which other official"
    ("这次会见还有哪个中方领导在", QType.WHO), ("是哪个方面的领导", QType.DESCRIPTIVE),
    # the bodies the English cue names (agency, organisation, company…) in Chinese, by 哪个 or 什么
    ("数字是哪个机关对外公布的", QType.WHO), ("这是什么组织办的", QType.WHO), ("是哪个单位主办", QType.WHO),
    # 好几年: several years; it asks for a length only where nothing else is asked
    ("满意率涨了多少 是不是好几年都在100以下", QType.NUMBER), ("也连着涨好几个月了?", QType.DURATION),
    # a count in any measure word (几份, 几处, 几张) asks for a number; 好几 before one is "several"
    ("会上一共印发了几份通知", QType.NUMBER), ("园区设了几处检查点", QType.NUMBER),
    # 几 alone ending a clause asks a number (能做到几); not the weekday's (礼拜几) or a half-remembered figure's (三十点几)
    ("复购率一般能做到几？", QType.NUMBER), ("我记得是三十点几，对吧", QType.DESCRIPTIVE),
    ("一批货拆成好几张单子报关，新规怎么处理", QType.DESCRIPTIVE),
    # a contact asked for the hours it answers asks for a time
    ("客服电话几点到几点有人接", QType.DATE), ("What hours is the hotline staffed?", QType.DATE),
    # 多久以来 asks since when
    ("那是多久以来第一次破110", QType.DATE),
    # the names of several items, counted or numbered, are a list; two values each asked are not
    ("检疫那块四条分别叫什么", QType.LIST), ("一是二是三是分别是啥", QType.LIST),
    ("两个指数分别涨了多少", QType.NUMBER),
    # each of counted steps or stages, whatever is asked of each, is a list of them
    ("分三步走 每一步分别是哪段时间", QType.LIST), ("三个阶段分别是什么时间", QType.LIST),
    ("It has three stages. What is the time window of each stage?", QType.LIST),
    ("这两个号码分别是多少", QType.NUMBER),
    # a question word in a sentence closed by 。 is an indefinite (几个平台: several), when another sentence asks
    ("想讲清楚几个平台的区别。快手的商业流量主要从哪来？", QType.DESCRIPTIVE), ("展会在哪里。", QType.PLACE),
    # ... and in who wishes something (几个娃想学), where a later clause asks; not where the count is asked
    ("村里几个娃想学直播，那个学院叫啥名", QType.WHAT), ("几个部门联合印发了，分别是哪些？", QType.LIST),
    # ... and in a clause asking whether (吗, 是不是): must several go together?; not one held by knowing, nor a date
    ("仓库里几台叉车要一起报备吗？", QType.DESCRIPTIVE), ("是不是得几家企业联合申请", QType.DESCRIPTIVE),
    ("你清楚要几个部门盖章吗", QType.NUMBER), ("要几个部门盖章？", QType.NUMBER), ("展会是9月几号开吗", QType.DATE),
    ("展会到底是哪几天开么？", QType.DATE),
    # what company, what agency: which one
    ("What company is listed on the official site?", QType.WHO), ("What agency released the index?", QType.WHO),
    # what (reading, value…) an index or figure had, with did/does as with was
    ("What reading did the logistics index register in July?", QType.NUMBER),
    ("What did the logistics index stand at in July?", QType.NUMBER),
    # the title of a document is its name (文件的标题, 题目)
    ("那份联合声明的完整标题是什么", QType.WHAT), ("文件题目是什么", QType.WHAT),
    # 几 in what the asker has or means to do is "a few" where a later clause asks; alone, it asks a count
    ("咱们合作社有几辆三轮车送货，县里的快递网点怎么建", QType.DESCRIPTIVE),
    ("我们公司有几家供应商参展？", QType.NUMBER),
    # 手机 as where something was seen (在手机上, 手机里) is the device, not a number to call
    ("我在手机上看到的那个指数是多少", QType.NUMBER), ("手机里刷到说展会改期了 新的日子是哪天", QType.DATE),
    ("展会有手机号可以打吗", QType.PHONE), ("办公室座机是多少", QType.PHONE),  # 座机, as a field line's label says
    # a price asked in spoken money words (几块钱, 几毛钱) asks for a number; 那几块 alone is "those parts"
    ("进场要几块钱", QType.NUMBER), ("买一张门票几毛钱", QType.NUMBER), ("FACT矩阵那几块都是啥", QType.DESCRIPTIVE),
    # dialect question words as their written forms (啥子, 啥前儿: 什么时候; 哪疙瘩: 哪里)
    ("这个政策啥子时候出台的", QType.DATE), ("展馆啥前儿开门", QType.DATE), ("报到处在哪疙瘩", QType.PLACE),
    # the written question words of a day or year (何日, 何年), as 何时
    ("该规定自何日起施行", QType.DATE), ("这项协定何年签署", QType.DATE),
    # 哪 with its numeral asks as 哪 does (哪一位 is 哪位)
    ("这番解读是哪一位专家说的", QType.WHO), ("展会由哪一家单位运营", QType.WHO),
])
def test_question_types(question: str, qtype: QType) -> None:
    assert question_types(question)[0] is qtype


@pytest.mark.parametrize("question,sentence,qtype,keywords,expected", [
    ("客服电话是多少", "客服电话：0579-85891888、010-67801814", QType.PHONE, ["客服电话"],
     "0579-85891888、010-67801814"),
    ("邮箱", "邮箱：web@ecfair.cn", QType.EMAIL, [], "web@ecfair.cn"),
    ("综保区改革一共多少条措施", "提出涉及海关事权的五方面23条具体改革措施。", QType.NUMBER, ["改革", "措施"], "23条"),
    ("7月电商物流指数是多少", "7月份中国电商物流指数为110.9点,比上月小幅提高0.3个点。", QType.NUMBER,
     ["电商物流指数"], "110.9点"),
    ("网上零售额占比多少", "占社会消费品零售总额的比重为26.6%,", QType.NUMBER, ["零售总额"], "26.6%"),
    ("展会在哪开", "展会地点：义乌国际博览中心", QType.PLACE, ["展会"], "义乌国际博览中心"),
    ("在哪里见面的", "国务院总理李强在人民大会堂会见来华的格鲁吉亚总理", QType.PLACE, ["总理"], "人民大会堂"),
    ("展会时间", "展会时间：2024年9月1日-3日", QType.DATE, ["展会"], "2024年9月1日-3日"),
    ("兴趣维持多久", "消费者的兴趣周期是有限的(一般为半年左右)", QType.DURATION, ["兴趣"], "半年左右"),
    # a count asked in 条 is never answered with a month; a value far from every keyword is not an answer
    ("多少条措施", "7月份指数回升。", QType.NUMBER, ["措施"], None),
    # a value that opens the sentence is a value, not a list marker
    ("多大比例的县达标", "80%的县达到标准,其余逐步推进。", QType.NUMBER, ["达到"], "80%"),
    ("第几条", "(三)优化流程。", QType.NUMBER, ["优化"], None),
    # an ordinal asked (第几) is answered by one, with what it counts, not by the other figures near it
    ("是第几届", "本届为第三十一届大会,共有150个国家参加。", QType.NUMBER, ["大会"], "第三十一届"),
    ("全国排名第几", "该校在全国排名第5,比上年提高2位。", QType.NUMBER, ["排名"], "第5"),
    # a figure inside a period (前7个月) times the value; it is not one
    ("外贸规模有多大", "前7个月我国外贸进出口为23.55万亿元。", QType.NUMBER, ["外贸"], "23.55万亿元"),
    ("掉线后多少分钟内不能再配对", "掉线后4分钟内不能配对。", QType.NUMBER, ["配对"], "4分钟"),
    # counted in 处 or 份
    ("园区设了几处检查点", "园区目前设有6处检查点,另有2处在建。", QType.NUMBER, ["检查点"], "6处"),
    ("双方签了几份协议", "双方签署了3份合作协议。", QType.NUMBER, ["协议"], "3份"),
    # 几个点 asks for a measure: "0.3个点", not the nearer count "7个" of 连续7个月
    ("时效指数升了几个点", "物流时效指数连续7个月上升,较上月提高0.3个点。", QType.NUMBER, ["时效指数"], "0.3个点"),
    ("涨了几个百分点", "比重连续3个季度提高,较上年提高1.2个百分点。", QType.NUMBER, ["比重"], "1.2个百分点"),
    # a change of a percentage asked in points is told as a rate as often; a level beside it is no change
    ("跟去年比涨了几个百分点", "进出口总值为23.55万亿元,同比增长0.4%", QType.NUMBER, ["进出口"], "0.4%"),
    ("涨了几个百分点", "比重为26.6%,较上年提高1.2个百分点。", QType.NUMBER, ["比重"], "1.2个百分点"),
    # thousands separators and currencies other than 元
    ("男子平均年收入多少", "男子的平均年收入为31,875美元,女子为23,235美元。", QType.NUMBER, ["男子"], "31,875美元"),
    ("陆地面积有多大", "卡塞雷斯的陆地管辖面积为1750.33km²,人口约9万。", QType.NUMBER, ["面积"], "1750.33km²"),
    ("这类动物生存了多少年", "它们在地球上生存了近2,400万年。", QType.DURATION, ["生存"], "2,400万年"),
    # dates in Chinese numerals, BC years and centuries are dates
    ("什么时候互换批准书", "双方代表于一九六一年九月十日在平壤互换批准书。", QType.DATE, ["批准书"], "一九六一年九月十日"),
    ("城市何时建立", "该城是罗马人在公元前25年建立的。", QType.DATE, ["建立"], "公元前25年"),
    ("这本书什么时候写成", "此书写成于二十世纪初期,流传甚广。", QType.DATE, ["写成"], "二十世纪初期"),
    ("自贸协定哪一年签的", "2023年7月31日上午,国务院总理李强在人民大会堂会见来华出席第31届世界大学生夏季运动会开幕式的总理",
     QType.DATE, ["自贸协定"], None),
])
def test_extract_span(question, sentence, qtype, keywords, expected) -> None:
    assert extract_span(question, sentence, qtype, keywords) == expected


def test_how_often_is_answered_by_a_frequency() -> None:
    assert extract_span("资金使用清单多久报一次", "按季度报送资金使用清单,每年11月底前报送工作总结。",
                        QType.DURATION, ["资金使用清单"]) == "按季度"
    # a length of time does not answer how often, nor a word for "from time to time"
    assert extract_span("多久调整一次", "建立定期调研机制,试点期为两年。", QType.DURATION, []) is None
    assert extract_span("试点要多久", "试点期为两年。", QType.DURATION, []) == "两年"
    # official text writes a frequency as a period before the verb (季例会: a meeting each quarter), read
    # where none is stated with 每/按 or 一次; a period that dates or names something (第三季度, 夏季) is none
    rules = "协会建立季例会、年度评议制度。"
    assert extract_span("协会多久开一次例会", rules, QType.DURATION, ["协会", "例会"]) == "季例会"
    assert extract_span("年度评议多久做一次", "按月报送数据,年度评议结果公开。", QType.DURATION, ["评议"]) == "按月"
    assert extract_span("多久开一次", "第三季度召开,夏季运动会期间暂停。", QType.DURATION, []) is None


def test_each_value_a_question_asks_is_read_in_its_own_clause() -> None:
    from qa.answering.candidates import answering_all, value_readings

    readings = value_readings("头七个月外贸一共多少钱 跟去年同期比涨了多少", "元")
    assert readings == [("元", False, False), (None, True, False)]
    total = "前7个月我国进出口总值为23.55万亿元,同比增长0.4%"
    assert [m.group(0) for m in answering_all(total, "", readings)] == ["23.55万亿元", "0.4%"]
    assert extract_span("头七个月外贸一共多少钱 跟去年同期比涨了多少", total, QType.NUMBER, []) == "23.55万亿元"
    # a value no clause of the sentence gives leaves it without an answer (the shares are not the total)
    assert answering_all(total, "", value_readings("外贸总值多少 出口和进口各占多少", "元")) == []


def test_a_clause_asking_only_the_value_asks_it_of_the_clauses_before() -> None:
    from qa.answering.candidates import answering_figures, value_readings
    from qa.answering.kinds import asking

    # the growth is named before the clause that asks its figure: the figure asked is a rate of growth
    question = "今年出口额涨得猛不猛，维持在百分之多少以上"
    assert asking(question, question) == "今年出口额涨得猛不猛维持在百分之多少以上"
    readings = value_readings(asking(question, question), "%")
    assert readings == [("%", True, False)]
    sentence = "出口和进口分别保持12%和8%以上的增长。"
    assert [m.group(0) for m in answering_figures(sentence, *readings[0])] == ["12%", "8%"]
    assert asking("快递量和订单量 都在往上走 分别是百分之多少", "") == "快递量和订单量都在往上走分别是百分之多少"


def test_a_change_the_asker_says_they_do_not_ask_is_not_asked() -> None:
    from qa.answering.spans import asks_change

    assert not asks_change("满意率指数现在是多少点（不是比上月升了多少）")
    assert not asks_change("履约率指数本身多少 不是问涨了几个点")
    assert asks_change("满意率指数是不是涨了很多") and asks_change("比上月升了多少，不是问总数")


def test_values_of_two_periods_are_asked_as_two_parts() -> None:
    from qa.answering.parts import by_period

    assert by_period("上半年网上零售额同比涨了多少，前七个月外贸进出口又涨了多少，两个增幅给我下") == [
        "上半年网上零售额同比涨了多少", "前七个月外贸进出口又涨了多少，两个增幅给我下"]
    # a period named to compare with, or two periods of one value, stay one question
    assert by_period("7月指数是多少 比6月涨了多少") == ["7月指数是多少 比6月涨了多少"]
    assert by_period("7月和8月的指数是多少") == ["7月和8月的指数是多少"]
    # 还有…的比重: a clause asking one value more, with no question word
    assert by_period("前七个月外贸涨了多少 还有上半年网上零售额占社零的比重") == [
        "前七个月外贸涨了多少", "还有上半年网上零售额占社零的比重"]
    # 指数几点 asks for the index's points, not for a time of day
    assert question_types("7月电商物流指数几点")[0] is QType.NUMBER and question_types("展会几点开门")[0] is QType.DATE
    assert question_types("上个月物流指数是几点")[0] is QType.NUMBER and question_types("满意率指数为几点")[0] is QType.NUMBER
    # a value noun asked by the question mark alone (上半年网上零售额？) asks its figure; a verb in 量 (起量) does not
    assert question_types("上半年全国网上零售额？")[0] is QType.NUMBER and question_types("7月快递业务量？")[0] is QType.NUMBER
    assert question_types("新品牌怎么起量？")[0] is QType.DESCRIPTIVE and question_types("零售额的口径")[0] is QType.DESCRIPTIVE
    # in English, "what number/figure" asks a figure, unless a number to call is meant
    assert question_types("Online retail in the first half — what figure?")[0] is QType.NUMBER
    assert question_types("What number do I call for the fair?")[0] is QType.PHONE
    # "call" with its particle (call out: name) asks for no number to phone
    assert question_types("Which sectors did Li Qiang call out for cooperation?")[0] is not QType.PHONE
    assert question_types("What was the growth of imports and exports?")[0] is QType.NUMBER
    assert question_types("What percent of the counties should have it?")[0] is QType.NUMBER


def test_two_kinds_of_answer_asked_together_are_asked_as_two_parts() -> None:
    from qa.answering.parts import by_kind

    assert by_kind("主办方的热线和邮箱分别是什么") == ["主办方的热线分别是什么", "主办方的邮箱分别是什么"]
    assert by_kind("请告知承办单位的全称及其办公地址，谢谢") == ["请告知承办单位的全称，谢谢", "请告知承办单位的办公地址，谢谢"]
    # two of one kind, or figures, are one question; 和 inside a word joins nothing
    assert by_kind("开幕日期和闭幕日期是哪天") == ["开幕日期和闭幕日期是哪天"]
    assert by_kind("进出口总值和增速各多少") == ["进出口总值和增速各多少"]
    assert by_kind("中华人民共和国的首都在哪") == ["中华人民共和国的首都在哪"]


def test_a_part_asking_two_kinds_of_contact_gives_both(real_pipeline) -> None:
    a = real_pipeline.answer("想联系主办方，电话和传真各是多少")
    assert not a.abstained and "0579-85891888" in a.answer and "0579-85297855" in a.answer, a.answer


def test_number_before_a_word_opening_with_a_measure() -> None:
    # 处 of 处理 begins a word: "4处理器" is no count of places, "4处" of 4处仓库 is
    assert [m.group(0) for m in NUMBER_RE.finditer("采用4处理器,设4处仓库")] == ["4处"]


def test_asked_unit() -> None:
    assert asked_unit("一共多少条措施") == "条"
    assert asked_unit("几个部门一起定的") == "个|部门"
    assert asked_unit("村播学院计划建多少所") == "所" and asked_unit("展馆有几座") == "座"
    # money asked in English is in 元 as 多少钱 is
    assert asked_unit("How much subsidy can a farmer get?") == asked_unit("补贴资金有多少") == "元"
    assert asked_unit("How much did exports grow?") is None
    # ... and so are yuan counted by their magnitude (how many trillion yuan: no count of things)
    assert asked_unit("How many trillion yuan was it?") == asked_unit("How many billion RMB in total?") == "元"
    assert asked_unit("外贸进出口一共多少钱") == "元"
    assert asked_unit("比重是多少") == "%"
    # 几个点 asks in points, or the percentage a rate changed by, as it is said of one as often
    assert asked_unit("升了几个点") == "点|%" and asked_unit("提高了多少个百分点") == "百分点|%"
    assert extract_span("茶叶出口同比涨了几个点", "前5个月茶叶出口同比增长3.2%。", QType.NUMBER, ["茶叶出口"]) == "3.2%"
    assert asked_unit("介绍一下") is None
    # 占…多少 asks for a share; money asked as 多少亿元 or as 资金 is in 元
    assert asked_unit("社零总额里网上实物占了多少") == "%" and asked_unit("学校占地多少") != "%"
    assert asked_unit("出口比进口多了多少亿元") == "元" and asked_unit("中央财政拿出多少资金") == "元"
    # a sum paid or granted (补贴, 押金, 保证金, 罚款) is money, as subsidy and deposit are in English
    assert asked_unit("每个合作社能领多少补贴") == asked_unit("入驻要交多少押金") == asked_unit("保证金收多少") == "元"
    # how much an amount grew may be told as a rate; a question that names its unit asks in it
    assert asked_unit("零售额同比涨了多少") == "元|%" and asked_unit("零售额比去年多了多少亿元") == "元"
    # a named currency is the unit: a total in 元 does not answer how many dollars
    assert asked_unit("快递包裹一共多少亿件") == asked_unit("多少件") and asked_unit("多少万人") == "人"
    assert asked_unit("进出口总值折合多少美元") == "美元" and asked_unit("What was the total in US dollars?") == "美元"


def test_time_specifiers_ignore_points_of_comparison() -> None:
    from qa.answering.sentences import period_pieces

    assert time_specifiers("8月份电商物流指数是多少") == {"8月"}
    assert time_specifiers("头七个月外贸总额") == {"前7个月"} and time_specifiers("头部主播") == set()
    # 2020年以来 (with 自 or without) names where a run starts, not the period asked about
    assert time_specifiers("满意率指数是2020年以来头一回回到100上面吗") == set() == time_specifiers("从2019年1月以后首次突破")
    # 哪一月 asks which month; it names none
    assert time_specifiers("7月人员指数是自哪一年哪一月之后首次突破110点的") == {"7月"} and time_specifiers("一月份") == {"1月"}
    # the day a report was filed (9月5日消息,) is not the period its figures are about
    assert time_specifiers("9月5日消息,协会今天公布了8月份的指数。") == {"8月"} and time_specifiers("9月5日前报名") == {"9月"}
    # 前7月 says 前7个月 shorter; 前一月 is the month before, not the first month
    assert time_specifiers("海关前7月进出口总值") == {"前7个月"} and time_specifiers("前一月") != {"前1个月"}
    # a comparison framed around the period (跟6月比, 和6月相比) names it only to compare
    assert time_specifiers("7月指数是多少点 跟6月比涨了多少") == {"7月"} == time_specifiers("7月指数和6月相比涨了多少")
    assert time_specifiers("电商物流指数比6月份涨了多少？") == set()
    # 去年同期 is what a passage calls 同比: it only compares, and is no word an answer must share
    from qa.answering.sentences import without_comparisons

    assert time_specifiers("上半年零售额跟去年同期比涨了多少") == {"上半年"}
    assert "去年" not in without_comparisons("上半年零售额跟去年同期比涨了多少")
    assert time_specifiers("今年1到7月进出口") == {"前7个月"} == time_specifiers("前七个月的外贸")
    # the start of a run ("since January 2019") is not the period a sentence is about
    assert time_specifiers("人员指数提高1.4个点,自2019年1月之后首次突破110点") == set()
    assert time_specifiers("结束了自2020年以来的态势") == set() and time_specifiers("自7月起实施") == {"7月"}
    # another year named relative to the report's: 去年7月 is not this July; 比去年, 去年同期 only compare
    assert time_specifiers("去年7月份指数是多少") == {"去年", "7月"} and time_specifiers("明年在哪办") == {"明年"}
    assert time_specifiers("上半年比去年同期多卖了多少") == {"上半年"} and time_specifiers("跟去年比涨了吗") == set()
    # nor in any words the frame 跟…比 holds: what a follow-up carries on leaves it out whole
    assert "上年" not in "".join(t for t, _p in period_pieces("和上年那会儿比多了多少"))
    # a batch or an issue is named like a session (第31届): 第二批 is not the first
    assert time_specifiers("第二批领跑县一共有多少个") == {"第2批"} and time_specifiers("第3期培训") == {"第3期"}
    # a year said with two digits where it is a point in time (到25年, 23年上半年), not a length (用了12年)
    assert time_specifiers("到25年要打造多少个") == {"2025年"} and time_specifiers("98年底") == {"1998年"}
    assert time_specifiers("23年上半年") == {"2023年", "上半年"} and time_specifiers("用了12年") == set()
    assert time_specifiers("23年头七个月进出口") == {"2023年", "前7个月"} and time_specifiers("24年网博会在哪开") == {"2024年"}
    assert time_specifiers("12年前的事") == set() and time_specifiers("20年来首次") == set()
    # before a range of months (22年3到5月), and after a colon that heads the question (要个数：21年…)
    assert "2022年" in time_specifiers("22年3到5月卖了多少") and "2021年" in time_specifiers("要个数：21年全年多少")


def test_a_sentence_that_names_its_own_period_is_about_that_period() -> None:
    from qa.answering.periods import about_period as about
    from qa.answering.sentences import Scored, Sentence
    from qa.types import Hit

    text = "7月份指数为110.9点。数据显示上半年网上零售额为6.1万亿元,同比增长10.8%。人员指数提高1.4个点。"
    chunk = Chunk(id="c", doc_id="d", title="7月份电商物流指数", date=None, ordinal=0, start=0, end=len(text),
                  text=text)

    def scored(piece: str) -> Scored:
        at = text.index(piece)
        return Scored(Sentence(piece, "d", at, at + len(piece), Hit(chunk=chunk, score=1.0)), 1.0, 1.0, True)

    assert about(scored("7月份指数为110.9点。"), {"7月"})
    assert not about(scored("同比增长10.8%。"), {"7月"})  # its lead-in names the first half year
    assert about(scored("人员指数提高1.4个点。"), {"7月"})  # no period of its own: the title's
    assert not about(scored("人员指数提高1.4个点。"), {"8月"})
    # a person asked for is no value of a period: under a title about July, a sentence about the first
    # half year may name who the July report quotes; not under a title about another month
    assert about(scored("同比增长10.8%。"), {"7月"}, who=True)
    assert not about(scored("同比增长10.8%。"), {"8月"}, who=True)
    # under a title that names no period, a sentence that names none is about the one in force in
    # its paragraph
    text = "工作目标。到2025年,打造500个领跑县。90%的县达到基本型。\n县级中心要按季度报送。"
    chunk = Chunk(id="c", doc_id="d", title="大力发展农村电商", date=None, ordinal=0, start=0, end=len(text), text=text)
    assert about(scored("90%的县达到基本型。"), {"2025年"}) and not about(scored("90%的县达到基本型。"), {"2030年"})
    assert not about(scored("县级中心要按季度报送。"), {"2025年"})  # another paragraph
    # where neither the sentence nor its title names a year, the year the document is dated is in force
    text = "前7个月我国进出口总值为23.55万亿元。"
    chunk = Chunk(id="c", doc_id="d", title="海关发布", date="2023-08-14", ordinal=0, start=0, end=len(text), text=text)
    assert about(scored(text), {"2023年"}) and about(scored(text), {"2023年", "前7个月"})
    assert not about(scored(text), {"2022年"}) and not about(scored(text), {"2023年", "上半年"})


def test_list_siblings() -> None:
    assert zh_number("二十一") == 21 and zh_number("十") == 10 and zh_number("甲") is None
    assert [m[1:] for m in markers("一、服务方面(一)优化检验")] == [("dun", 1), ("paren", 1)]
    texts = ["引言", "一、甲阶段", "说明", "二、乙阶段", "(一)细节", "三、丙阶段", "结语"]
    assert siblings(texts, texts, 3) == ["一、甲阶段", "二、乙阶段", "三、丙阶段"]
    assert siblings(texts, texts, 0) == ["引言"]


def test_what_an_item_says_is_its_own_points_or_its_first_sentences() -> None:
    texts = ["(一)甲措施。", "内容:甲的说明。", "一是快。", "二是准。", "三是省。", "(二)乙措施。", "内容:乙的说明。",
             "解读:乙的解释。", "补充。", "(三)丙措施。"]
    assert under(texts, texts, 0) == ["(一)甲措施。", "一是快。", "二是准。", "三是省。"]
    assert under(texts, texts, 5) == ["(二)乙措施。", "内容:乙的说明。", "解读:乙的解释。"]
    assert under(texts, texts, 9) == ["(三)丙措施。"]


def test_an_items_points_may_start_in_its_own_sentence_and_number_on_from_the_previous_item() -> None:
    texts = ["主要内容如下:一、甲方面(一)优化甲。", "(二)简化甲。", "内容:甲的说明。", "二、乙方面(三)优化乙。",
             "(四)简化乙。", "(五)改进乙。", "三、丙方面", "结语。"]
    assert under(texts, texts, 0, leading=True) == ["主要内容如下:一、甲方面(一)优化甲。", "(二)简化甲。"]
    assert under(texts, texts, 3, leading=True) == ["二、乙方面(三)优化乙。", "(四)简化乙。", "(五)改进乙。"]
    assert under(texts, texts, 6, leading=True) == ["三、丙方面", "结语。"]
    # by default the sentence is about its innermost item, (一) here, which ends where (二) begins
    assert under(texts, texts, 0) == ["主要内容如下:一、甲方面(一)优化甲。"]
    assert starts_item("主要内容如下:一、甲方面") and starts_item("(二)简化甲。")
    assert not starts_item("这一、二两项都很重要") and not starts_item("报告提出三项措施。")


def test_split_chunk_offsets_are_exact() -> None:
    text = "# 标题\n\n第一句。第二句！Third sentence? 第四句;" + "很长的分句," * 40 + "结束。"
    chunk = Chunk(id="d#1", doc_id="d", title="标题", date=None, ordinal=0, start=5, end=5 + len(text), text=text)
    doc_text = "前言文字" + "\n" + text
    for sent, start, end in split_chunk(chunk):
        assert doc_text[start:end] == sent
        assert len(sent) <= 160
    assert split_chunk(chunk)[0][0] == "标题"


def test_a_title_or_a_parenthesis_is_never_split_into_sentences() -> None:
    text = "《卡拉OK.LIVE！‧台北‧我》是第六张专辑。它创下纪录！《桃之阵!》随后发行。"
    chunk = Chunk(id="d#1", doc_id="d", title="t", date=None, ordinal=0, start=0, end=len(text), text=text)
    assert [s for s, _, _ in split_chunk(chunk)] == ["《卡拉OK.LIVE！‧台北‧我》是第六张专辑。", "它创下纪录！",
                                                      "《桃之阵!》随后发行。"]
    # nor is a parenthesis
    text = "杰尼斯旗下组合（包括岚及Hey! Say! JUMP）的唱片由它出版。罗汉松（学名：'；毛利语：kahikatea）是针叶树。"
    chunk = Chunk(id="d#3", doc_id="d", title="t", date=None, ordinal=0, start=0, end=len(text), text=text)
    assert [s for s, _, _ in split_chunk(chunk)] == ["杰尼斯旗下组合（包括岚及Hey! Say! JUMP）的唱片由它出版。",
                                                      "罗汉松（学名：'；毛利语：kahikatea）是针叶树。"]
    # an unclosed mark is not a title: the sentence ends where it would without it
    text = "他写了《未完。下一句。"
    chunk = Chunk(id="d#2", doc_id="d", title="t", date=None, ordinal=0, start=0, end=len(text), text=text)
    assert [s for s, _, _ in split_chunk(chunk)] == ["他写了《未完。", "下一句。"]


def test_follow_up_rewriting(tokenizer) -> None:
    history = [{"role": "user", "content": "电商博览会在哪里举办？"}, {"role": "assistant", "content": "义乌"}]
    assert is_elliptical("那它什么时候举办？", tokenizer)
    assert is_elliptical("还有呢？", tokenizer)
    assert "博览会" in rewrite_query("那它什么时候举办？", history, tokenizer)
    assert rewrite_query("抖音新品牌怎么起量？", history, tokenizer) == "抖音新品牌怎么起量？"
    assert rewrite_query("那它什么时候举办？", [], tokenizer) == "那它什么时候举办？"
    # of a long turn, what its asking clause names is carried first, before what the asker said around it
    told = [{"role": "user", "content": "下周我和几个朋友打算一起去义乌走走看看，顺便想问问给观众答疑的传真号码？"}]
    assert "传真" in rewrite_query("那参观的是多少？", told, tokenizer)
    # what a demonstrative points at (这份通知, 上述措施) is what was discussed, not a topic of its own
    assert is_elliptical("那这份通知的文号是多少", tokenizer) and is_elliptical("上述措施由谁负责", tokenizer)
    assert not is_elliptical("那抖音小店的保证金是多少", tokenizer) and not is_elliptical("那开幕的那个展馆是哪个", tokenizer)
    # what was just described, done once (这么一改, 这样一来), is what the question is about; not 这么一个 (such a one)
    assert is_elliptical("那这么一改，商户能省多少钱？", tokenizer) and not is_elliptical("这么一个平台叫什么名字", tokenizer)
    # in English too, a question naming only an amount and a time frame asks it of what was discussed
    assert is_elliptical("And what was the year-on-year growth rate?", tokenizer)
    assert not is_elliptical("And what was the year-on-year growth rate of exports?", tokenizer)
    # ... or only a change in an amount: grew or fell, by how much?
    assert is_elliptical("Against last year, grow or drop? How many percent?", tokenizer)
    # a period carried over stays one word (头七个月: not 七个), and the period it was compared with stays behind
    trade = [{"role": "user", "content": "头七个月外贸跟去年同期比涨了还是跌了"}, {"role": "assistant", "content": "涨了"}]
    carried = rewrite_query("幅度多大？", trade, tokenizer)
    assert carried.startswith("前7个月 外贸") and "七个" not in carried and "去年" not in carried, carried
    # and in English: the range, not its two months (January-July is not January and July)
    trade_en = [{"role": "user", "content": "Trade volume for January-July?"}, {"role": "assistant", "content": "big"}]
    carried = rewrite_query("And the change on last year?", trade_en, tokenizer)
    assert "前7个月" in carried and "january" not in carried.lower(), carried
    # what the asker says of themselves names no topic: which one to add is asked of the QQ lines
    qq = [{"role": "user", "content": "参展的话有QQ号吗"}, {"role": "assistant", "content": "展会咨询QQ：604026680"}]
    assert "qq" in rewrite_query("我是普通观众 该加哪个", qq, tokenizer).lower()
    # an English follow-up whose words match nothing of the corpus names no topic of its own
    assert is_elliptical("and what share of them are supposed to get there?", tokenizer)
    assert not is_elliptical("When is the expo held?", tokenizer)
    # a question whose nouns are only a time and a quantity names no topic of its own
    assert is_elliptical("跟去年比是涨是跌 幅度多大", tokenizer) and is_elliptical("人数有多少", tokenizer)
    assert is_elliptical("ok 跟去年比是涨是跌 幅度多大", tokenizer), "a greeting in English names no topic either"
    # a pronoun for a person in a question naming its own topic carries the names of the turn before (whom
    # 他 means), not that turn's other words, which would outweigh the topic it names
    met = [{"role": "user", "content": "2023年8月张明市长在北京会见的是哪位外宾？"}, {"role": "assistant", "content": "法国里昂市长。"}]
    carried = rewrite_query("他访华期间双方签了什么协议？", met, tokenizer)
    assert carried.endswith(" 他访华期间双方签了什么协议？") and "北京" in carried and "会见" not in carried, carried
    assert not is_elliptical("综保区改革一共有多少条措施？", tokenizer)
    # one pointing back at an item by its place in a sequence (那第二个环节) asks of a member of what was discussed
    assert is_elliptical("那第二个环节是做什么的", tokenizer) and not is_elliptical("海关改革第二条措施是什么", tokenizer)
    # nor one about a figure it points at whose other noun is the body asked for (哪个单位): the kind of answer
    assert is_elliptical("这组数据是什么机构发布的", tokenizer)
    assert not is_elliptical("那组数据是统计局发布的吗", tokenizer) and not is_elliptical("这组数据是什么机构的公报里的", tokenizer)
    assert "进出口" in rewrite_query("跟去年比 幅度多大", [{"role": "user", "content": "前7个月进出口总值多少"}], tokenizer)
    # the topic carried is not what the asker said of themselves in the earlier turn
    told = [{"role": "user", "content": "老师让我们做一个研究性学习课题，想问下前7个月进出口涨了还是跌了？"}]
    carried = rewrite_query("幅度多大", told, tokenizer)
    assert "进出口" in carried and "老师" not in carried and "课题" not in carried
    # nor what the earlier turn asked (几辆车: a count asked there is no topic, and asks nothing here)
    asked = rewrite_query("还得都到齐吗", [{"role": "user", "content": "一票货分好几辆车拉进园区要排队吗"}], tokenizer)
    assert "园区" in asked and "几辆" not in asked and "几辆车" not in asked
    # a pronoun stands for the earlier topic, however much else the question names
    assert is_elliptical("那它上回超过110点是啥时候", tokenizer) and is_elliptical("他见过哪些国家的总理", tokenizer)
    # so does doing what was just described (这么弄, 这样做): the subject is the earlier topic
    assert is_elliptical("这么弄完以后 形成的是条啥样的营销链路", tokenizer)
    assert is_elliptical("这样做对企业有什么实际好处", tokenizer)
    assert not is_elliptical("这样的企业能申请免除担保吗", tokenizer)  # "such firms" names its own topic
    # a compound of a time the thesaurus lacks (去年同期) is a time
    assert is_elliptical("比去年同期涨了多少", tokenizer)
    # year on year, month on month: a time frame of a change, not its topic
    assert is_elliptical("同比呢 是涨了还是跌了 幅度多少", tokenizer) and is_elliptical("环比涨了多少", tokenizer)
    assert not is_elliptical("进出口总值同比涨了多少", tokenizer)
    # a question none of whose words the documents use is about what was being discussed
    known = {"领跑县", "县域", "商业", "展会", "起量"}.__contains__
    assert is_elliptical("评上以后要是搞砸了 会被摘牌吗", tokenizer, known)
    assert not is_elliptical("评上以后要是搞砸了 会被摘牌吗", tokenizer)
    assert not is_elliptical("展会在哪开", tokenizer, known) and not is_elliptical("咋起量", tokenizer, known)
    # ... also when the precise cut leaves it no word of two characters (建+好+了+归+谁+管)
    assert is_elliptical("建好了归谁管", tokenizer, known) and not is_elliptical("建好了归谁管", tokenizer, {"建好"}.__contains__)
    assert "领跑县" in rewrite_query("会被摘牌吗", [{"role": "user", "content": "领跑县怎么评"}], tokenizer, known)
    from qa.answering.followup import _PRONOUN

    assert not any(_PRONOUN.search(q) for q in ("其他平台有分会场吗", "尤其是直播电商", "其它城市呢"))
    assert is_elliptical("那是多久以来第一次破110", tokenizer), "那是: that (the answer before) is"
    assert is_elliptical("那几号开始几号结束 一共办几天", tokenizer), "no noun and pointing back: of something unnamed"
    assert is_elliptical("前一种主要从哪来", tokenizer)
    assert not is_elliptical("展会几号开始", tokenizer)


def test_two_english_questions_in_one_are_answered_each(tokenizer) -> None:
    from qa.answering.composer import Composer

    split = Composer(tokenizer).split_questions
    assert split("How fast did exports grow this year, and what did the minister say about it?") == [
        "How fast did exports grow this year?", "what did the minister say about it?"]
    assert split("What and where is the expo?") == ["What and where is the expo?"]
    assert split("Which stages and steps are there?") == ["Which stages and steps are there?"]


def test_a_part_that_names_nothing_asks_about_the_part_before(tokenizer) -> None:
    from qa.answering.composer import Composer

    split = Composer(tokenizer).split_questions
    assert split("Does the expo office have a fax line? what's the number") == [
        "Does the expo office have a fax line? what's the number"]
    assert split("博览会有传真吗？具体是哪天") == ["博览会有传真吗？ 具体是哪天"]
    # what the asker says they will do with the answer names nothing asked
    assert split("博览会有传真吗？叫啥名，我想关注了看最新通知") == ["博览会有传真吗？ 叫啥名，我想关注了看最新通知"]
    assert len(split("What's the customer service phone number? Is there a Beijing number as well?")) == 2
    # ... after what the asker says first, or with a word that only insists (the actual number)
    assert len(split("What was the index for August? The July article said it would go up, so what's the actual number?")) == 1
    assert len(split("What was the index for August? The July article said it rose, so what drove the rise in July?")) == 2
    # figures to choose between narrow what the part before asked
    assert len(split("What time does the expo open? Morning 9 or 10?")) == 1
    assert len(split("What time does the expo open? Does the last day close early?")) == 2
    assert len(split("博览会在哪里举办？7月物流指数是多少？")) == 2

    class Corpus:  # the documents' words: a part in none of them asks in the asker's words about the last
        @staticmethod
        def knows(word: str) -> bool:
            return word in {"综保区", "货物", "检验", "博览会", "物流", "指数"}

    assert len(split("综保区的货物要检验吗？前前后后最多查几回", Corpus())) == 1
    assert len(split("博览会在哪里举办？7月物流指数是多少？", Corpus())) == 2
    # in English, a part whose only terms the documents use name a kind of answer (from when until when:
    # 时间) asks it of the part before
    assert len(split("What are the opening hours of the expo? From when until when can we go in?", Corpus())) == 1
    assert len(split("When is the expo? Where is the logistics index published?", Corpus())) == 2


def test_a_clause_that_asks_one_thing_more_is_a_clause_of_its_own(tokenizer) -> None:
    from qa.answering.composer import Composer

    clauses = Composer(tokenizer).clauses
    assert clauses("综保区23条是哪个部门印发的 县域商业三年行动又是谁牵头的") == [
        "综保区23条是哪个部门印发的", "县域商业三年行动又是谁牵头的"]
    assert len(clauses("义乌国际博览中心在哪条路上 门牌号多少")) == 1, "one thing asked twice over"
    assert len(clauses("我是参展商 展会在哪里举办")) == 1, "what the asker says is no question"
    assert len(clauses("What is the venue, and who organises it?")) == 1, "English parts are split elsewhere"
    assert clauses("前7个月进出口涨了多少 还有7月物流指数高了多少") == [
        "前7个月进出口涨了多少", "还有7月物流指数高了多少"]
    assert clauses("综保区出了多少条措施 顺便问下前7个月进出口总值是多少") == [
        "综保区出了多少条措施", "顺便问下前7个月进出口总值是多少"]
    assert len(clauses("除了直播基地还有啥 要建几个")) == 1, "还有 inside a clause asks nothing more"
    # 多 with an adjective asks how much of it (涨得多快), as 多少 does; 很多大企业 asks nothing
    assert clauses("我做农产品的 单量涨得多快 另外村里通快递定了啥目标") == [
        "我做农产品的 单量涨得多快", "另外村里通快递定了啥目标"]
    assert len(clauses("很多大企业来参展 另外门票怎么买")) == 1
    # a clause saying it asks one thing more whose asking words follow in the next clause
    assert clauses("号店一体是跟哪种号绑定 另外县里建村播学院 用的是哪儿的场地") == [
        "号店一体是跟哪种号绑定", "另外县里建村播学院 用的是哪儿的场地"]
    assert len(clauses("展会在哪里举办 另外我想带孩子去")) == 1, "what follows 另外 asks nothing after all"


def test_a_part_refused_as_written_is_read_as_one_question_per_topic_clause(tokenizer) -> None:
    from qa.answering.composer import Composer

    topic_clauses = Composer(tokenizer).topic_clauses
    assert topic_clauses("前7个月进出口总值同比涨了多少 综保区改革措施一共有多少条") == [
        "前7个月进出口总值同比涨了多少", "综保区改革措施一共有多少条"]
    assert len(topic_clauses("义乌国际博览中心在哪条路上 门牌号多少")) == 1, "the second names only what it asks"
    assert len(topic_clauses("网博会客服电话多少 有没有联系电话")) == 1, "联系电话 is the kind of answer asked"
    assert len(topic_clauses("展会是哪几天 那时候三年行动处在哪个阶段")) == 1, "那时候 points back"
    assert len(topic_clauses("每年的什么时候，人站立在塔底下没有身影？")) == 1, "the first names nothing"
    assert len(topic_clauses("What was the export total, and how many measures are there?")) == 1


def test_an_english_question_asking_on_after_a_preposition_has_two_parts(tokenizer) -> None:
    from qa.answering.composer import Composer

    split = Composer(tokenizer).split_questions
    assert split("Who was the Georgian prime minister that met Li Qiang, and at which venue is the expo held?") == [
        "Who was the Georgian prime minister that met Li Qiang?", "at which venue is the expo held?"]
    assert len(split("What did the index stand at in July, and by how many points did it move?")) == 1, \
        "by how much asks more of the same thing"


def test_a_piece_that_asks_nothing_stays_with_the_question(tokenizer) -> None:
    from qa.answering.composer import Composer

    split = Composer(tokenizer).split_questions
    # what the asker says of the question (why, for whom) is not a question of its own
    assert split("前置仓是干嘛的？我想做个对比") == ["前置仓是干嘛的？ 我想做个对比"]
    assert split("我在做海报；展会在哪里办？电话多少？") == ["我在做海报；展会在哪里办？", "电话多少？"]
    assert split("When is the fair, and what months does the plan cover? trying to see if they overlap") == [
        "When is the fair?", "what months does the plan cover?"]
    # an alternative or a yes-no question without a question mark still asks
    assert split("指数报了多少点？跟6月比是涨了还是跌了") == ["指数报了多少点？", "跟6月比是涨了还是跌了"]
    assert split("展会在哪？有没有班车") == ["展会在哪？", "有没有班车"]
    # what both do (都提到了X) belongs to each part of "A和B…分别…"
    assert split("中格那篇和县域商业那篇都提到了跨境电商 两篇分别是怎么说的") == [
        "中格那篇 提到了跨境电商 是怎么说的", "县域商业那篇 提到了跨境电商 是怎么说的"]
    assert split("中格那篇和县域商业那篇都提到了跨境电商，两边分别是怎么说的") == [
        "中格那篇 提到了跨境电商 是怎么说的", "县域商业那篇 提到了跨境电商 是怎么说的"]
    # 分别 over what a later clause names (这些协议) is no pair's: 中国和越南 only names who met
    assert split("中国和越南两国领导人会谈以后，签的这些协议分别是关于什么的？") == [
        "中国和越南两国领导人会谈以后，签的这些协议分别是关于什么的？"]


def test_what_a_question_says_the_text_mentions() -> None:
    from qa.answering.candidates import mentioned_term

    assert mentioned_term("县域商业计划 提到了跨境电商 是怎么说的？", str) == "跨境电商"
    assert mentioned_term("文章提到的“前置仓”是什么", str) == "前置仓"
    assert mentioned_term("海关那篇提到了哪些措施", str) is None  # what is asked, not what is mentioned
    assert mentioned_term("跨境电商是什么", str) is None


def test_rrf_fusion_keeps_each_score(hash_pipeline: Pipeline) -> None:
    hash_pipeline.add_documents([
        Document(id="a", title="甲", text="综合保税区改革措施二十三条。" * 5),
        Document(id="b", title="乙", text="抖音新品牌流量打法。" * 5),
    ])
    retriever = hash_pipeline.retriever
    hits = retriever.retrieve("综合保税区改革", top_k=2).hits
    assert hits[0].chunk.doc_id == "a"
    assert hits[0].dense is not None and hits[0].lexical is not None
    expected = 1 / (retriever.rrf_k + 1) * 2  # first in both lists
    assert hits[0].score == pytest.approx(expected)
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))


def test_an_english_questions_chinese_terms_are_embedded_with_it(hash_pipeline: Pipeline) -> None:
    hash_pipeline.add_documents([
        Document(id="a", title="甲", text="抖音新品牌流量打法。" * 5),
        Document(id="z", title="乙", text="综合保税区改革措施二十三条。" * 5),
    ])
    hits = hash_pipeline.retriever.retrieve("reform of the bonded zones", top_k=2, mode=RetrievalMode.DENSE,
                                            lexical_query="综合保税区 改革").hits
    # the hashed n-grams of the English words alone rank the other document first
    assert [h.chunk.doc_id for h in hits] == ["z", "a"] and hits[0].dense > hits[1].dense


def test_filters_are_validated() -> None:
    with pytest.raises(BadRequestError, match="date_from"):
        Filters(date_from="2023-13-01")
    with pytest.raises(BadRequestError, match="after"):
        Filters(date_from="2023-09-01", date_to="2023-08-01")
    f = Filters(doc_ids=("a",), date_from="2023-08-01")
    assert f.allows("a", "2023-08-02") and not f.allows("b", "2023-08-02") and not f.allows("a", None)


def test_missing_key_words_make_the_composer_abstain(hash_pipeline: Pipeline) -> None:
    hash_pipeline.index_paths()
    lexical = hash_pipeline.snapshot().lexical
    composer = hash_pipeline.composer
    assert composer.missing_concepts("2025年展会的门票多少钱？", lexical) == ["门票"]
    assert "参展商" in composer.missing_concepts("这届博览会一共有多少家参展商？", lexical)
    assert composer.missing_concepts("想发邮件联系展会，邮箱地址是啥？", lexical) == []
    assert composer.missing_concepts("前7个月我国出口额单独是多少？", lexical) == ["出口额"]
    a = hash_pipeline.answer("2025年展会的门票多少钱？")
    assert a.abstained and a.abstain_reason.code == "unknown_word" and "门票" in a.abstain_reason.message


def test_english_both_and_questions_are_split(tokenizer) -> None:
    from qa.answering.composer import Composer

    composer = Composer(tokenizer)
    assert composer.split_questions("Give me both the July index and the trade total.") == [
        "Give me July index", "Give me trade total"]
    assert composer.split_questions("What is the index?") == ["What is the index?"]


def _pipeline_over(settings, tokenizer, *docs: Document) -> Pipeline:
    from index.embedders.fake import HashEmbedder

    pipe = Pipeline(settings, embedder=HashEmbedder(), tokenizer=tokenizer)
    pipe.add_documents(list(docs))
    # these tests are about what is quoted; the answerability threshold is calibrated on the real
    # embedder, and the hash embedder's similarities mean nothing to it
    if hasattr(pipe.composer, "fixed_threshold"):
        pipe.composer.fixed_threshold = 0.0
    return pipe


def _gathered(settings, tokenizer, doc: Document, question: str):
    """The candidates a pipeline over ``doc`` scores for ``question``, and the sentences of a document as
    the evidence step reads them (what the functions choosing among candidates are given)."""
    pipe = _pipeline_over(settings, tokenizer, doc)
    retrieval = pipe.retriever.retrieve(question, 5)
    scored = pipe.composer.gather(question, retrieval).scored
    return scored, lambda doc_id: pipe.composer.evidence.doc_sentences(doc_id, retrieval)


def _only_candidate(settings, tokenizer, doc: Document, question: str, opening: str):
    """The one candidate opening with ``opening``, as the list a choosing function is given, and the
    document's sentences: what it must find elsewhere than among the candidates."""
    scored, sentences = _gathered(settings, tokenizer, doc, question)
    return [next(x for x in scored if x.sentence.text.startswith(opening))], sentences


@pytest.mark.parametrize("doc,question,quotes", [
    # a heading picked as the answer brings the sentence that explains it
    (Document(id="port", title="港口通关改革要点", text=(
        "港口通关改革提出三项安排。一是原则上“随到随查”。货物抵港后两小时内完成查验,不再集中排队。"
        "二是时间上“错峰作业”。夜间也可申报。")),
     "通关改革说的“随到随查”是什么意思？",
     ["一是原则上“随到随查”。", "货物抵港后两小时内完成查验,不再集中排队。"]),
    # an explanation in one sentence is quoted with the sentence after it
    (Document(id="bamboo", title="高山箭竹", text=(
        "高山箭竹是一种矮小的竹子,生长在海拔三千米以上的山坡。每年春季,高山箭竹的地下茎萌发新芽,老竹随之枯萎。"
        "新竹很快长满整片山坡,远远望去一片翠绿。当地人常用竹笋做菜。")),
     "高山箭竹的地下茎在春季会怎样？",
     ["每年春季,高山箭竹的地下茎萌发新芽,老竹随之枯萎。", "新竹很快长满整片山坡,远远望去一片翠绿。"]),
    # one that opens by pointing back (因此…) is quoted after the sentence it points at
    (Document(id="ferry", title="海峡轮渡公司", text=(
        "海峡轮渡公司成立于1998年,总部设在海港城。去年燃油价格翻了一番,远航成本大增。"
        "因此公司把三条远洋航线改为近海航线。新航线每周发船两班。")),
     "轮渡公司为什么把远洋航线改为近海航线？",
     ["去年燃油价格翻了一番,远航成本大增。", "因此公司把三条远洋航线改为近海航线。"]),
    # a clause that ends in a semicolon is quoted with the clause that carries it on
    (Document(id="split", title="远洋食品公司", text=(
        "远洋食品公司成立于1939年,总部设在海港城。2012年,远洋食品公司拆分成两家公司:一家名为海港肉品,经营北美业务;"
        "另一家名为远洋咖啡,经营国际市场。拆分后两家公司分别上市。")),
     "远洋食品公司2012年拆分成哪两家公司？",
     ["2012年,远洋食品公司拆分成两家公司:一家名为海港肉品,经营北美业务;", "另一家名为远洋咖啡,经营国际市场。"]),
    # ... up to the end of its sentence, however many clauses it has
    (Document(id="mills", title="三家面粉厂", text=(
        "本地三家面粉厂的原料各不相同。东厂只收本地小麦,磨粉最细;西厂进口硬质小麦,专做面包粉;"
        "北厂收购陈粮,价格最低。三家厂的产量相差不大。")),
     "三家面粉厂的原料有什么不同",
     ["本地三家面粉厂的原料各不相同。", "东厂只收本地小麦,磨粉最细;", "西厂进口硬质小麦,专做面包粉;", "北厂收购陈粮,价格最低。"]),
    # a question read as asking for a place ("差在哪") that no place answers is answered as a description:
    # the sentence that announces the difference is quoted with the one that states it
    (Document(id="ports", title="两个港口", text=(
        "南港和北港都做集装箱业务,但两港的货源各有不同。南港主要装运本地家电,北港主要转运外省煤炭。"
        "两港都在扩建码头。")),
     "南港跟北港到底差在哪",
     ["南港和北港都做集装箱业务,但两港的货源各有不同。", "南港主要装运本地家电,北港主要转运外省煤炭。"]),
])
def test_an_explanation_is_quoted_with_the_sentence_that_carries_it_on(settings, tokenizer, doc: Document,
                                                                       question: str, quotes: list[str]) -> None:
    a = _pipeline_over(settings, tokenizer, doc).answer(question)
    assert not a.abstained
    assert [c.quote for c in a.citations][:len(quotes)] == quotes
    for c in a.citations:
        assert doc.text[c.start:c.end] == c.quote


def _scored(text: str, score: float):
    """A candidate sentence of a one-sentence chunk, with the learned score given."""
    from qa.answering.sentences import Scored, Sentence
    from qa.types import Hit

    chunk = Chunk(id="c", doc_id="d", title="t", date=None, ordinal=0, start=0, end=len(text), text=text)
    return Scored(Sentence(text, "d", 0, len(text), Hit(chunk=chunk, score=1.0)), score, 0.5, False)


def test_the_best_explanation_is_quoted_with_its_next_sentence_beside_runner_ups(settings, tokenizer) -> None:
    import dataclasses

    doc = Document(id="bamboo", title="高山箭竹", text=(
        "每年春季,高山箭竹的地下茎都会萌发大量新芽。新芽一个月内就能长成新竹,老竹则随之枯萎。"
        "到了冬季,高山箭竹的地下茎便停止生长。当地人常用竹笋做菜,味道十分鲜美。"))
    scored, sentences = _gathered(settings, tokenizer, doc, "高山箭竹的地下茎在春季会怎样？")
    by_text = {x.sentence.text: x for x in scored}
    best = dataclasses.replace(by_text["每年春季,高山箭竹的地下茎都会萌发大量新芽。"], score=0.9)
    runner_up = dataclasses.replace(by_text["到了冬季,高山箭竹的地下茎便停止生长。"], score=0.6)
    near = Neighbours(sentences)
    quoted = [x.sentence.text for x in elaborate([best, runner_up], near)]
    assert quoted == ["每年春季,高山箭竹的地下茎都会萌发大量新芽。", "新芽一个月内就能长成新竹,老竹则随之枯萎。",
                      "到了冬季,高山箭竹的地下茎便停止生长。"]


def test_a_numbered_points_heading_is_quoted_with_its_body_to_the_next_point(settings, tokenizer) -> None:
    import dataclasses

    doc = Document(id="orchard", title="果园计划", text=(
        "1.改良品种。引进抗寒苹果苗木。建设育苗基地,组织技术培训。力争三年内亩产翻一番,让果农增收。"
        "2.拓展销路。对接城市超市。"))
    scored, sentences = _gathered(settings, tokenizer, doc, "改良品种要达到什么目标？")
    heading = next(x for x in scored if x.sentence.text == "1.改良品种。")
    quoted = [x.sentence.text for x in elaborate([heading], Neighbours(sentences))]
    assert quoted == ["1.改良品种。", "引进抗寒苹果苗木。", "建设育苗基地,组织技术培训。", "力争三年内亩产翻一番,让果农增收。"]
    # and no further than the next point
    doc = dataclasses.replace(doc, text="1.改良品种。引进抗寒苹果苗木。2.拓展销路。对接城市超市。")
    scored, sentences = _gathered(settings, tokenizer, doc, "改良品种要达到什么目标？")
    heading = next(x for x in scored if x.sentence.text == "1.改良品种。")
    assert [x.sentence.text for x in elaborate([heading], Neighbours(sentences))] == ["1.改良品种。", "引进抗寒苹果苗木。"]


def test_a_sentence_that_points_on_is_quoted_with_the_one_it_announces(settings, tokenizer) -> None:
    doc = Document(id="tide", title="潮汐锁定", text=(
        "潮汐锁定是一种天文现象。潮汐锁定是指一个天体公转时出现的以下情形。它总以同一面朝向对方。"
        "潮汐锁定在卫星中很常见。"))
    a = _pipeline_over(settings, tokenizer, doc).answer("什么是潮汐锁定？")
    quotes = [c.quote for c in a.citations]
    assert len(quotes) > 2 and "潮汐锁定是指一个天体公转时出现的以下情形。" in quotes
    at = quotes.index("潮汐锁定是指一个天体公转时出现的以下情形。")
    assert quotes[at + 1] == "它总以同一面朝向对方。"


def test_quotes_from_several_documents_are_introduced_by_their_titles(settings, tokenizer) -> None:
    docs = [Document(id="a", title="甲市口岸通关报告", text="甲市口岸今年试行夜间通关,企业反映良好。"),
            Document(id="b", title="乙市口岸通关报告", text="乙市口岸今年试行夜间通关,排队时间缩短一半。")]
    pipe = _pipeline_over(settings, tokenizer, *docs)
    a = pipe.answer("哪些口岸试行了夜间通关？")
    assert {c.doc_id for c in a.citations} == {"a", "b"}
    for c in a.citations:
        assert f"《{c.title}》：{c.quote}[{c.n}]" in a.answer
    single = pipe.answer("乙市口岸排队时间缩短了多少？")
    assert "《" not in single.answer  # one document: its title is in the citation, not the text


def test_a_list_question_naming_one_item_gets_what_that_item_says(settings, tokenizer) -> None:
    doc = Document(id="plan", title="物流园区改革方案", text=(
        "方案涉及三个环节。(一)优化仓储管理环节。内容:仓库按新规执行。(二)优化车辆调度环节。内容:车辆按新规执行。"
        "(三)优化冷链配送环节。内容:冷链按新规执行。一是全程测温。二是分区存放。"))
    pipe = _pipeline_over(settings, tokenizer, doc)
    one = [c.quote for c in pipe.answer("物流园区冷链配送优化包括哪几点？").citations]
    assert one == ["(三)优化冷链配送环节。", "一是全程测温。", "二是分区存放。"], one
    parts = [c.quote for c in pipe.answer("物流园区改革优化了哪几个环节？").citations]
    assert parts == ["(一)优化仓储管理环节。", "(二)优化车辆调度环节。", "(三)优化冷链配送环节。"], parts


def test_every_question_type_is_one_kind_in_the_registry() -> None:
    from qa.answering.kinds import BY_TYPE, KINDS

    assert [k.qtype for k in KINDS].count(QType.DATE) == 1 and set(BY_TYPE) == set(QType)
    assert len(KINDS) == len(QType)
    for kind in KINDS:
        assert kind.answer
        # a kind whose value has a form in text can cut it out as a short answer, and only such a kind
        assert (kind.form is None) == (kind.extract is None), kind.qtype
    ranks = [rank for k in KINDS for rank, _ in k.cues]
    assert len(ranks) == len(set(ranks)), "two cues share a rank: their order would be arbitrary"


def test_short_month_names_and_joined_terms_are_translated() -> None:
    from qa.pipeline import default_tokenizer

    tok = default_tokenizer()
    assert sorted(tok.translate("total imports+exports jan to jul").split()) == ["前7个月", "进出口"]
    assert "前7个月" in tok.translate("Jan-Jul trade") and "9月" in tok.translate("sales in Sept.")
    # the first months of a year however the range is said, as 前N个月 says them
    for said in ("January through July 2023", "from January until July", "the first seven months", "first 7 months",
                 "the January-to-July figures"):
        assert "前7个月" in tok.translate(said).split(), said
    assert tok.translate("first eight months").split() == ["前8个月"]
    assert tok.translate("first 6 month").split() == ["前6个月"]  # the plural left off, as spoken
    assert tok.translate("January and July").split() == ["1月", "7月"]  # two months, no range


def test_a_glossary_term_is_found_in_the_plural_english_keeps_from_latin() -> None:
    from qa.pipeline import default_tokenizer

    tok = default_tokenizer()
    # index: indexes or indices, sub-indices too; matrix: matrices
    for said in ("the indexes", "which indices rose", "its sub-indices"):
        assert "指数" in tok.translate(said).split(), said
    assert "矩阵" in tok.translate("two matrices").split()
    assert "指数" not in tok.translate("the indicators").split()


def test_may_the_verb_is_no_month(tokenizer) -> None:
    assert "5月" not in tokenizer.translate("What facilities may the zone set up?")
    assert "5月" not in tokenizer.translate("May I ask where the expo is?")
    assert "5月" not in tokenizer.translate("Thanks a lot. May we also have the fax number?")  # a later sentence
    assert "5月" in tokenizer.translate("What happened in May? I heard of a fair")
    assert "5月" in tokenizer.translate("How did sales do in May?")
    assert "5月" in tokenizer.translate("sales in may 2024")


def test_translating_an_english_question_keeps_its_chinese() -> None:
    from qa.pipeline import default_tokenizer

    tok = default_tokenizer()
    assert "综保区" in tok.translate("What does 综保区 mean?").split()
    assert tok.translate("二、促进贸易便利化方面 the second one?").split()[-2:] == ["二", "促进贸易便利化方面"]
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in tok.translate("unknown words only")), "nothing invented"


def test_glossary_phrases_match_written_apart_hyphenated_or_together() -> None:
    from qa.pipeline import default_tokenizer

    tok = default_tokenizer()
    # the glossary has "fulfilment rate", "live-streaming" and "e-mail"
    assert tok.translate("the fulfilment-rate index") == tok.translate("the fulfilment rate index")
    assert "履约率指数" in tok.translate("the fulfilment-rate index").split()
    assert tok.translate("livestreaming") == tok.translate("live streaming") == tok.translate("live-streaming")
    assert tok.translate("your email") == tok.translate("your e-mail") != ""


def test_glossary_words_match_in_the_plural() -> None:
    from qa.pipeline import default_tokenizer

    tok = default_tokenizer()
    # the glossary has "county" and "measure": counties and measures are the same terms
    assert tok.translate("which counties") == tok.translate("which county") == "县域"
    assert tok.translate("the measures") == tok.translate("the measure") != ""
    assert tok.translate("countys") == ""  # not an English plural


def test_an_english_question_asks_its_unit_in_its_own_words() -> None:
    from qa.answering.kinds import asking, clause_units
    from qa.answering.sentences import SentenceScorer

    question = "what share of counties are supposed to reach the basic level?"
    basis = "县域"  # the glossary translates terms, not "what share of"
    assert asked_unit(basis) is None
    assert asked_unit(asking(question, basis)) == "%"
    assert asking("比重是多少", "比重是多少") == "比重是多少"
    # a clause that asks for no value says nothing of the unit: 涨了还是跌了 asks whether, not how much
    assert asking("进出口多少钱 比上年涨了还是跌了", "") == "进出口多少钱"
    assert clause_units("零售额有多少钱 占社零比重多少") == ["元", "%"]
    # a clause that only points back and asks (…的登记号，它是多少) asks it of the clause before
    assert clause_units("想查一下那家公司的登记号，它是多少来着") == ["号"]
    assert asking("展馆的面积，这个有多大", "") == "展馆的面积这个有多大"
    # and so does one asking it with an adverb only (…的满意率指数，到底是多少点)
    assert asking("上个月的满意率指数，到底是多少点", "") == "上个月的满意率指数到底是多少点"
    scorer = SentenceScorer(basis, [], _NoLexicon(), QType.NUMBER, asking(question, basis))
    assert scorer.has_form("90%的县达到基本型") and not scorer.has_form("县域商业三年行动")
    # "how much" asks for a change as often as for a price: no unit from it
    assert asked_unit("how much did trade grow") is None


class _NoLexicon:
    def knows(self, _term: str) -> bool:
        return False

    def idf(self, _term: str) -> float:
        return 0.0


def test_an_english_comparison_period_is_not_what_the_question_is_about() -> None:
    from qa.answering.sentences import time_specifiers
    from qa.pipeline import default_tokenizer

    tok = default_tokenizer()
    assert time_specifiers(tok.translate("How much did the index rise in July vs June?")) == {"7月"}
    assert time_specifiers(tok.translate("Was it higher in July compared with June?")) == {"7月"}
    assert time_specifiers(tok.translate("What was the index in June?")) == {"6月"}
    assert tok.translate("better than ever") == ""  # only a period is turned into a comparison
    # the point a change is counted from is not what the question is about either
    assert tok.translate("first time since January 2019") == "自2019年1月以来"
    assert time_specifiers(tok.translate("Which index rose above 110 since January 2019?")) == set()
    assert tok.translate("since then") == ""
    assert "前7个月" in tok.translate("imports and exports for January\u2013July 2023")  # an en dash is a dash


def test_a_piece_of_a_long_sentence_is_read_with_the_pieces_before_it() -> None:
    from qa.answering.sentences import Sentence, lead_in
    from qa.types import Hit

    text = "前言。上半年网上零售额为6.1万亿元,同比增长10.8%,占比为26.6%。下一句"
    chunk = Chunk(id="c", doc_id="d", title="t", date=None, ordinal=0, start=100, end=100 + len(text), text=text)
    at = text.index("同比")
    piece = Sentence("同比增长10.8%,", "d", 100 + at, 100 + at + 10, Hit(chunk=chunk, score=1.0))
    assert lead_in(piece) == "上半年网上零售额为6.1万亿元,"
    first = Sentence("前言。", "d", 100, 103, Hit(chunk=chunk, score=1.0))
    assert lead_in(first) == ""


@pytest.mark.parametrize("question,asked", [
    ("开个网店要交多少押金", ["押金"]),  # the noun after the question word, not the one on the way
    ("格鲁吉亚总统叫啥名字", ["总统"]),  # the noun it is said of; 名字 only names the kind of answer
    ("义乌市市长是谁？", ["市长"]),
    ("展会一共有多少个展位", ["展位"]),  # a measure word in between
    ("门票大概是多少钱", ["门票"]),  # an adverb in between; 钱 only names the kind of value
    ("想提前订酒店 展会几号开幕", []),  # mentioned on the way, not asked for
    ("抖音上新牌子咋起量", []),
    ("这位皇后祖籍何处？", ["祖籍"]),  # 何: the literary question word
    ("公司的法定代表人叫什么", ["法定代表人"]),  # 人 split off by the segmenter belongs to its noun
    ("每年的什么时候，人站在塔下", []),  # ... only when the two are written together
    ("光出口是多少 进口又是多少", ["出口", "进口"]),  # each clause asks for its own
    ("出口多少进口多少", ["出口", "进口"]),  # a noun another asking word follows is that one's
    ("第二批领跑的县啥时候评出来", []),  # 啥时候 holds what it asks for: 评出来 is not asked
    ("办公室在哪条路几号几楼", ["办公室"]),  # nor is a word that asks itself (几楼)
    ("想带几个客户去展会 咨询找哪个QQ", []),  # 几个 is "a few" where the question comes after
    ("我们厂有几个供应商要接待 展会门票多少钱", ["门票"]),  # ... as in what the asker has
    ("展会一共有几个展位 门票多少钱", ["展位", "门票"]),  # ... not where it asks, as the next clause does
    ("出口这一块是多少", ["出口"]),  # words that only point back at the noun (这一块) are passed over
    ("单说进口一项是多少", ["进口"]),  # ... as is a measure of one singling it out (一项)
    ("家人们谁懂啊 前七个月进出口一共多少钱", ["进出口"]),  # 谁 before a verb asks who does it, not of the noun before
    ("我在村里带着几个学生拍视频。请问展会有多少展位？", ["展位"]),  # a sentence ended by a full stop states
    ("展会有多少展位。", ["展位"]),  # ... unless it is the last: a question written with a full stop
    ("店里核桃干果啥都有 展会门票多少钱", ["门票"]),  # a question word before 都 means "any": it asks nothing
    ("要说进口的话是多少", ["进口"]), ("那进口呢是多少", ["进口"]),  # 的话 and 呢 mark the topic asked of
    ("你们的视频号叫什么", ["视频号"]),  # cut 视频/号叫 (to howl): the noun is 视频号, 叫 the link
    ("外贸突破了多少", []),  # a verbal noun with an aspect particle (了, 过) is a verb: nothing is asked of it
])
def test_the_nouns_a_question_asks_for(tokenizer, question: str, asked: list[str]) -> None:
    from qa.answering.composer import Composer

    assert Composer(tokenizer).asked_nouns(question) == asked


def test_an_asked_noun_made_of_a_verb_is_said_where_the_verb_is(tokenizer) -> None:
    from qa.answering.composer import Composer

    class Vocabulary:  # the words some document uses
        def __init__(self, words: str) -> None:
            self.words = set(words.split())

        def knows(self, token: str) -> bool:
            return token in self.words

    composer = Composer(tokenizer)
    # no document says 创造者, but one that uses 创造 can say who did
    assert composer.missing_asked("占士·邦的创造者是谁？", Vocabulary("占士 创造 小说")) is None
    # 作者 keeps its two characters: 作 alone says nothing
    assert composer.missing_asked("那篇文章的作者叫什么名字？", Vocabulary("文章 作")) == "作者"
    # a verb with its directional complement (评出来) is what is done, not a noun asked for
    assert composer.missing_asked("示范县今年一共评出来多少个？", Vocabulary("示范县 今年")) is None
    # a word for a kind of answer typed by its sound (名子 for 名字) asks for a name, as the word does
    assert composer.missing_asked("那篇文章的作者叫什么名子？", Vocabulary("文章 作者")) is None
    # a word for a time asks for a date, as 时间 does: no document needs to say 时间段
    assert composer.missing_asked("第三批名单大概什么时间段出来", Vocabulary("名单 第三批")) is None
    # a word for a kind of answer asks for one, whichever word of the kind the documents use: 门牌 for an
    # address; 在哪个场馆 asks a place, of nothing the word before it (展馆) must name
    assert composer.missing_asked("他们办公室具体门牌是哪儿？", Vocabulary("办公室 地址")) is None
    assert composer.missing_asked("展馆具体在哪个场馆", Vocabulary("展会 地点")) is None
    # an event (会面) is told with a verb of the same sense (会见); a thing is not told by a verb
    assert composer.missing_asked("两国总理会面是几月几号", Vocabulary("总理 会见")) is None
    assert composer.missing_asked("两国总理会面是几月几号", Vocabulary("总理 出席")) == "会面"
    # an asked noun found only inside a word of two joined opposites (出口 in 进出口) is not said
    text = "前7个月我国进出口总值为23.55万亿元,同比增长0.4%"
    assert composer.words.asked_inside_word("前7个月出口额单独是多少？", text) == ("出口", "进出口")
    # and one held only split by its opposite: 进 + 出口
    assert composer.words.asked_inside_word("前7个月进口额单独是多少？", text) == ("进口", "进出口")
    assert composer.words.asked_inside_word("前7个月进出口总值多少？", text) is None
    # the noun before the one asked says which is asked (出口 of 出口总值是多少)
    assert composer.words.asked_inside_word("前7个月光是出口总值是多少？", text) == ("出口", "进出口")
    assert composer.words.asked_inside_word("前7个月进出口总值是多少", text) is None
    # the change of a noun is asked for as the noun itself is
    assert composer.words.asked_inside_word("前7个月出口增长了多少", text) == ("出口", "进出口")
    assert composer.words.asked_inside_word("前7个月进出口增长了多少", text) is None
    # and the amount of what was done, said with its verb (光出口了多少钱: how much was exported)
    assert composer.words.asked_inside_word("前7个月光出口了多少钱", text) == ("出口", "进出口")
    assert composer.words.asked_inside_word("前7个月光出口是多少 进口又是多少", text) == ("出口", "进出口")
    assert composer.words.asked_inside_word("前7个月出口是多少", "出口增长5%,进出口总值为1万亿元") is None
    # a word that only ends in the noun is a kind of it (总人口 is a population), not two opposites
    assert composer.words.asked_inside_word("全市人口有多少", "全市总人口为300万") is None
    # in English: a word whose term the text holds only inside the joined word, unless the question
    # joins it with its opposite too (imports plus exports, import-export)
    inside = composer.words.english_inside_word
    assert inside("How much did China export in the first seven months?", text) == ("出口", "进出口")
    assert inside("how much was imports and how much was exports?", text) == ("进口", "进出口")
    for joined in ("total imports plus exports", "the import-export value", "imports and exports", "exports/imports",
                   "the import export value", "the total import-and-export value"):  # or side by side, or hyphenated
        assert inside(f"What was {joined} in the first seven months?", text) is None, joined


def test_a_value_question_reads_the_best_covering_sentence_that_holds_a_value_first() -> None:
    from qa.answering.candidates import values_first
    from qa.answering.sentences import Scored, Sentence
    from qa.types import Hit

    chunk = Chunk(id="c", doc_id="d", title="t", date=None, ordinal=0, start=0, end=1, text="x")

    def scored(text: str, score: float, coverage: float, form: bool) -> Scored:
        return Scored(Sentence(text, "d", 0, 1, Hit(chunk=chunk, score=1.0)), score, coverage, form)

    talk = scored("措施涉及多个方面", 0.9, 1.0, False)
    count = scored("提出23条措施", 0.2, 1.0, True)
    other = scored("另有5家企业", 0.5, 0.4, True)  # a value, but about less of the question
    assert values_first([talk, other, count]) == [count, talk, other]
    assert values_first([]) == []


def test_a_field_line_is_read_with_the_field_line_before_it(tokenizer) -> None:
    from qa.answering.evidence import EvidenceBuilder

    text = "公司：义乌市网博会展有限公司\n地址：义乌市工人北路689号\n这家公司的地址在义乌。\n"
    chunk = Chunk(id="f", doc_id="d", title="展会信息", date=None, ordinal=0, start=0, end=len(text), text=text)
    rows = {t: (toks, hay) for t, _s, _e, toks, hay in EvidenceBuilder(tokenizer).sentences(chunk)}
    toks, hay = rows["地址：义乌市工人北路689号"]
    assert "公司" in toks and "网博会展有限公司" in hay  # the address is the company's
    toks, hay = rows["公司：义乌市网博会展有限公司"]
    assert "工人北路" not in hay  # only the line before, never the one after
    text2 = "展会咨询QQ：604026680\n参观咨询QQ：2422768246\n"
    chunk2 = Chunk(id="g", doc_id="d", title="展会信息", date=None, ordinal=0, start=0, end=len(text2), text=text2)
    rows2 = {t: hay for t, _s, _e, _toks, hay in EvidenceBuilder(tokenizer).sentences(chunk2)}
    assert "604026680" not in rows2["参观咨询QQ：2422768246"]  # a label with a subject of its own
    toks, hay = rows["这家公司的地址在义乌。"]
    assert "工人北路" not in hay  # prose is not a field: read on its own
    assert "689号" not in hay


def test_a_figure_may_stand_apart_from_its_latin_unit() -> None:
    from qa.answering.spans import NUMBER_RE

    assert [m.group(0) for m in NUMBER_RE.finditer("该区土地面积1.601 km²，重75kg，厚3 mm")] == ["1.601 km²", "75kg", "3 mm"]
    assert NUMBER_RE.search("身高182CM").group(0) == "182CM"
    assert not NUMBER_RE.search("5 kilometres")  # a word, not a unit


def test_a_share_said_in_words_is_a_figure() -> None:
    from qa.answering.spans import NUMBER_RE

    found = [m.group(0) for m in NUMBER_RE.finditer("约三分之一的人，百分之三十五点五，一半以上病人")]
    assert found == ["三分之一", "百分之三十五点五", "一半以上"]
    # 一 with a measure word is not the count asked for; 一半 is
    assert extract_span("有多少病人死亡？", "一半以上病人在一个小时内死亡。", QType.NUMBER, ["病人"]) == "一半以上"


def test_a_derived_noun_is_covered_by_the_verb_it_is_made_from(tokenizer) -> None:
    from qa.answering.evidence import EvidenceBuilder

    concepts = dict(EvidenceBuilder(tokenizer).question_concepts("玉山箭竹的原产地在哪里？"))
    assert ("原产地", "原产") in concepts  # 原产于台湾 says where it comes from
    assert ("箭竹",) in concepts  # two characters: no suffix to take off
    concepts = dict(EvidenceBuilder(tokenizer).question_concepts("履约率指数涨了多少？"))
    assert ("履约率指数",) in concepts  # 指数 is one word: 履约率指 is no verb


def test_a_point_of_comparison_is_no_concept_an_answer_must_share(tokenizer) -> None:
    from qa.answering.evidence import EvidenceBuilder

    # the passage says "比上月" or "环比": the 6 of 比6月 is neither in it nor what is asked about
    concepts = [forms[0] for forms, _ in EvidenceBuilder(tokenizer).question_concepts("7月履约率指数比6月涨了多少？")]
    assert "履约率指数" in concepts and "7" in concepts and "6" not in concepts


def test_content_characters_leave_out_question_words_and_function_characters() -> None:
    from qa.answering.evidence import content_chars

    assert content_chars("观众QQ号是多少？") == frozenset("观众号")  # 多少 asks, 是 links


def test_a_length_of_time_is_not_a_date() -> None:
    from qa.answering.spans import DURATION_RE

    def found(text: str) -> list[str]:
        return DURATION_RE.findall(text)

    assert found("2023年7月31日上午会见") == [] and found("七月份") == [] and found("二〇二三年") == []
    assert found("连续7个月保持上升") == ["7个月"] and found("一般为半年左右") == ["半年左右"]
    assert found("10年") == ["10年"] and found("48小时") == ["48小时"]
    # a span between two dates or months is a length of time
    assert found("花期1-3月。") == ["1-3月"] and found("展会时间：2024年9月1日-3日") == ["2024年9月1日-3日"]


def test_a_question_asking_for_a_year_is_not_answered_with_a_month() -> None:
    from qa.answering.spans import asked_date_part

    assert asked_date_part("哪一年当上主任的") == "年" and asked_date_part("几月几号开幕") == "日"
    assert asked_date_part("哪个月以来的头一回") == "月" and asked_date_part("什么时候开幕") is None
    assert asked_date_part("自何日起施行") == "日" and asked_date_part("何年签署") == "年"  # the written forms
    sentence = "从后期来看,8月刘宇航指数将继续保持增长态势,他于2019年上任"
    assert extract_span("刘宇航是哪一年上任的", sentence, QType.DATE, ["上任"]) == "2019年"
    assert extract_span("刘宇航是哪一年当上主任的", "8月刘宇航指数将继续保持增长", QType.DATE, ["刘宇航"]) is None
    assert extract_span("展会是哪几天", "展会时间：2024年9月1日-3日", QType.DATE, ["展会"]) == "2024年9月1日-3日"
    # a part of a month (月底, 上旬) answers by which day a thing is due, as near as the text says it, but
    # not which day it was (几月几号: the text gives none); 初步 is no 月初
    deadline = "各茶园每年10月底前报送采摘计划,3月初步核定名单。"
    assert extract_span("采摘计划每年几号前报送", deadline, QType.DATE, ["采摘计划"]) == "10月底"
    assert extract_span("采摘计划是几月几号报送的", deadline, QType.DATE, ["采摘计划"]) is None
    assert extract_span("名单几月核定", "3月初步核定名单", QType.DATE, ["名单"]) == "3月"


def test_a_number_that_names_something_is_not_a_quantity() -> None:
    address = "地址：义乌市工人北路689号外贸商务大厦6楼"
    assert extract_span("去年有多少观众来", address, QType.NUMBER, ["地址"]) is None
    # unless the question asks for a number of that kind
    assert asked_unit("网站的ICP备案号是多少") == "号"
    assert extract_span("网站的ICP备案号是多少", "网站备案号：浙ICP备15030753号", QType.NUMBER, ["备案号"]) == "15030753号"


def test_a_change_answers_a_question_about_a_change_and_never_one_about_a_level() -> None:
    sentence = "7月份中国电商物流指数为110.9点,比上月小幅提高0.3个点。"
    assert extract_span("7月份电商物流指数比上月涨了多少", sentence, QType.NUMBER, ["指数"]) == "0.3个点"
    assert extract_span("7月份电商物流指数是多少", sentence, QType.NUMBER, ["指数"]) == "110.9点"
    only_change = "人员指数较上月提高1.4个点。"
    assert extract_span("人员指数7月份是多少", only_change, QType.NUMBER, ["人员指数"]) is None
    assert extract_span("人员指数升了几个点", only_change, QType.NUMBER, ["人员指数"]) == "1.4个点"
    # the one change a sentence states answers a change asked in the asker's words (外销 for 出口)
    assert extract_span("上半年外销涨了多少", "上半年出口额为3.2万亿元,同比增长5.1%", QType.NUMBER, ["外销"]) == "5.1%"
    assert extract_span("上半年外销是多少", "上半年出口额为3.2万亿元,同比增长5.1%", QType.NUMBER, ["外销"]) is None
    # and a share asked, by the one share it states (份额 is a share, not a count in 份)
    share = "同比增长3.1%,占全部销售额的比重为40.2%,仍在上升。"
    assert asked_unit("外销占了多少份额") == "%" and asked_unit("签了几份协议") == "份"
    assert extract_span("外销占了多少份额", share, QType.NUMBER, ["外销"]) == "40.2%"
    from qa.answering.spans import asks_change

    assert asks_change("比去年同期多卖了百分之几") and asks_change("比上月少了几个点")
    assert asks_change("那比6月份高了多少") and not asks_change("比6月份高吗")  # a comparative asks the difference
    assert not asks_change("到现在一共有多少了") and not asks_change("展会有多少家展商了")
    assert asks_change("exports, up how many % vs last year?") and asks_change("compared with the same period")
    assert not asks_change("How many visitors came last year?")
    assert extract_span("酒店离展馆多远", "从酒店步行约10分钟即到展馆", QType.NUMBER, ["展馆"]) == "10分钟"
    # a figure reached (增长至, 提高到) is a level
    reached = "前7个月进出口总值增长至23.55万亿元"
    assert extract_span("前7个月进出口总值是多少", reached, QType.NUMBER, ["总值"]) == "23.55万亿元"
    only_level = "上半年全国实物商品网上零售额为6.1万亿元"
    assert extract_span("网上零售额比去年同期多了多少", only_level, QType.NUMBER, ["零售额"]) is None
    # growth stated after the figure
    growth = "农村电商业务量指数保持25%以上的高速增长"
    assert extract_span("农村电商业务量增速是百分之几", growth, QType.NUMBER, ["业务量"]) == "25%"
    # the first of figures joined by 和 is read with the words after the last: both are growth
    both = "总业务量指数和农村电商业务量指数分别保持20%和25%以上的高速增长"
    assert extract_span("总业务量指数是多少", both, QType.NUMBER, ["总业务量指数"]) is None


def test_a_share_of_something_else_does_not_answer() -> None:
    sentence = "90%的县达到“基本型”及以上商业功能,具备条件的地区基本实现村村通快递。"
    assert extract_span("百分之多少的村要通快递", sentence, QType.NUMBER, ["快递"]) is None
    assert extract_span("要有百分之多少的县达到基本型", sentence, QType.NUMBER, ["基本型"]) == "90%"
    assert extract_span("多少%的中小企业上云", "30%的中小企业实现上云", QType.NUMBER, ["上云"]) == "30%"


def test_where_is_a_question_word_not_a_topic(tokenizer) -> None:
    from qa.answering.evidence import EvidenceBuilder

    concepts = [forms[0] for forms, _parts in EvidenceBuilder(tokenizer).question_concepts("网博会展公司地址在哪")]
    assert "在哪" not in concepts and "网博会" in concepts
    # nor are the words asking for a day, a month or an hour (几号, 几月, 几点): the date asked is no topic
    concepts = [forms[0] for forms, _parts in EvidenceBuilder(tokenizer).question_concepts("会期是几号到几号 几点开门")]
    assert not any("几" in c for c in concepts) and "会期" in concepts


def test_a_measure_is_answered_in_its_units() -> None:
    assert asked_unit("学校总占地面积有多大") == asked_unit("面积是多少")
    park = "它是一个占地约两平方公里的热带植物公园,园内有3个湖"
    assert extract_span("公园占地面积多大", park, QType.NUMBER, ["占地"]) == "两平方公里"
    assert extract_span("他的身高是多少", "身高182CM,体重75kg", QType.NUMBER, ["身高"]) == "182CM"
    # a word written with a numeral is no figure
    assert extract_span("收益有多少", "经营的收益也十分可观。", QType.NUMBER, ["收益"]) is None
    assert question_types("直播间的平均停留时长一般是多少")[0] is QType.DURATION
    assert question_types("新鲜感一般能维持多少时间")[0] is QType.DURATION
    # 好多 closing a question asks how many (south-western Mandarin); saying "many" it asks nothing
    assert question_types("每个摊位要交好多钱？")[0] is QType.NUMBER
    assert question_types("听说展会有好多人参加，门口在哪？")[0] is not QType.NUMBER


def test_a_figure_said_of_another_compound_with_the_asked_head_is_not_its_value() -> None:
    from qa.answering.spans import asked_subject, of_another_subject, states_bound, subject_of_value

    assert asked_subject("7月货运时效指数具体是多少点") == "货运时效指数" and asked_subject("人员指数7月份具体是多少点") == "人员指数"
    assert asked_subject("总统叫啥名字") is None
    # how much it changed is asked of what changed
    assert asked_subject("8月货运时效指数环比涨了几个点") == "货运时效指数"
    assert asked_subject("满意度指数较上月提高了多少") == "满意度指数" and asked_subject("货运指数同比增幅多大") == "货运指数"
    s = "8月份全国货运指数为105.2点,比上月提高0.6个点。"
    at = s.index("105.2")
    assert subject_of_value(s, at, "指数") == "全国货运指数"
    assert of_another_subject("货运时效指数", "指数", s, at) and not of_another_subject("货运指数", "指数", s, at)
    # a clause without its subject is said of the sentence's
    s = "满意度指数较上月提高1.5点,结束了一直在100点以下运行的态势。"
    assert subject_of_value(s, s.index("100"), "指数") == "满意度指数"
    # a bound is not the figure: 突破110点, 在100点以下
    assert states_bound(s, s.index("100"), s.index("100") + 4) and not states_bound(s, s.index("1.5"), s.index("1.5") + 4)


def _assert_refused(pipe: Pipeline, question: str, *codes: str) -> None:
    a = pipe.answer(question)
    assert a.abstained and a.abstain_reason.code in codes, (question, a.answer)


def test_an_index_the_documents_name_is_not_answered_with_another_index(settings, tokenizer) -> None:
    doc = Document(id="freight", title="8月份全国货运指数为105.2点", text=(
        "8月份全国货运指数为105.2点,比上月提高0.6个点。分项指数中,货运时效指数较上月提高0.4个点,"
        "满意度指数较上月提高1.5点,结束了一直在100点以下运行的态势。"))
    pipe = _pipeline_over(settings, tokenizer, doc)
    assert "105.2点" in pipe.answer("8月全国货运指数是多少点").answer
    for question in ("8月货运时效指数具体是多少点", "8月份满意度指数具体是多少点"):
        _assert_refused(pipe, question, "no_value_of_kind")
    # the change is what a question about the change gets
    assert "0.4个点" in pipe.answer("8月货运时效指数比上月提高了多少").answer


def test_a_count_of_another_noun_does_not_count_the_asked_one(settings, tokenizer) -> None:
    from qa.answering.spans import NUMBER_RE, counted_after, counted_noun

    assert counted_noun("到2025年全国要建多少个技能学院") == ("技能学院", False)
    assert counted_noun("县级仓储中心一共要建多少个") == ("县级仓储中心", True)
    # up to the next count (几个超市几个快递网点), and past the word for their number (的具体数量是多少个)
    assert counted_noun("到底要配几个超市几个快递网点") == ("超市", False)
    assert counted_noun("县级仓储中心的具体数量是多少个") == ("县级仓储中心", True)
    assert counted_noun("那个省里的仓储中心分几种") == ("那个省里的仓储中心", True)
    s = "到2027年,在全省打造300个左右的示范“强镇”,建设一批县级仓储中心。"
    assert counted_after(s, s.index("300个") + 4) == "示范强镇"
    # a round figure and more is a figure (十多个, 200余家); 一批 counts nothing
    assert [m.group(0) for m in NUMBER_RE.finditer("遍布十多个国家,200余家企业")] == ["十多个", "200余家"]
    doc = Document(id="plan", title="示范强镇建设方案", text=s + "同时培育一批乡村“技能学院”,全省技能学院总数达到80所。")
    pipe = _pipeline_over(settings, tokenizer, doc)
    assert "300个" in pipe.answer("到2027年全省要打造多少个示范强镇").answer
    _assert_refused(pipe, "到2027年县级仓储中心一共要建多少个", "no_value_of_kind", "value_not_near")
    assert "80所" in pipe.answer("全省技能学院一共有多少所").answer
    # counted before the count: the noun phrase the words end in (那个…技能学院), not the one they begin with
    assert "80所" in pipe.answer("省里那个技能学院一共几所").answer


def test_a_count_whose_unit_names_another_noun_does_not_count_the_asked_one(settings, tokenizer) -> None:
    # 12部门 counts departments: not the counties a question counts by whatever name (带头的县)
    doc = Document(id="counties", title="强县培育方案", text=(
        "为推动县域发展,财政部等12部门研究制定了《强县培育方案》。到2027年,在全省培育80个左右的“领头县”。"))
    pipe = _pipeline_over(settings, tokenizer, doc)
    answer = pipe.answer("强县培育方案要培育多少个带头的县").answer
    assert "80个" in answer and "12部门" not in answer
    # a count of what the unit names is answered by it
    assert "12部门" in pipe.answer("强县培育方案是几个部门一起制定的").answer


def test_the_noun_phrase_a_value_is_asked_of_ends_before_a_pronoun(tokenizer) -> None:
    from qa.answering.evidence import EvidenceBuilder
    from qa.answering.values import AskedValues

    values = AskedValues(tokenizer, EvidenceBuilder(tokenizer))
    assert values.noun_phrase("物流时效指数本身", trailing=True) == ("物流时效指数", "指数")
    assert values.noun_phrase("物流时效指数", trailing=True) == ("物流时效指数", "指数")
    assert values.noun_phrase("这个", trailing=True) is None


def test_a_figure_of_something_broader_than_the_asked_one_does_not_answer_it(tokenizer) -> None:
    from qa.answering.evidence import EvidenceBuilder
    from qa.answering.values import AskedValues

    values = AskedValues(tokenizer, EvidenceBuilder(tokenizer))
    text = "全国快递业务量为120亿件,同比增长15%。"
    document = "县域快递网点覆盖率提高。" + text
    at = text.index("120")
    # 县域 narrows the asked one, and the document tells 县域 figures apart: this one is not of it
    assert values.lacks_qualifier(("县域快递业务量", "业务量"), text, at, document)
    # a word the document never uses is the asker's own; one sharing a character is a paraphrase
    assert not values.lacks_qualifier(("乡镇快递业务量", "业务量"), text, at, document)
    assert not values.lacks_qualifier(("全国快件业务量", "业务量"), text, at, document)
    assert not values.lacks_qualifier(("快递业务量", "业务量"), text, at, document)


def test_an_english_question_s_value_is_of_what_it_names_not_of_a_broader_one(settings, tokenizer) -> None:
    doc = Document(id="express", title="快递指数", text=(
        "7月份全国快递指数为105.2点,比上月提高0.4个点。农村快递指数小幅回落,但增长动能较强。"))
    pipe = _pipeline_over(settings, tokenizer, doc)
    assert pipe.answer("What was the value of the express index in July?").short_answer == "105.2点"
    # the national figure is not the rural one's, which the document tells apart and gives no level of
    _assert_refused(pipe, "What was the value of the rural express index in July?", "no_value_of_kind")


def test_a_count_of_kinds_is_answered_by_the_sentence_that_divides_them(settings, tokenizer) -> None:
    doc = Document(id="flow", title="平台流量", text=(
        "平台流量可以分为自然推荐流量与付费广告流量两种类型,分别对应两种增长方式。付费广告流量按点击计费。"))
    pipe = _pipeline_over(settings, tokenizer, doc)
    assert "两种类型" in pipe.answer("平台的流量分几种啊").answer


def test_a_value_said_of_someone_else_does_not_answer_for_the_person_asked_about(settings, tokenizer) -> None:
    doc = Document(id="visit", title="王明会见代表团团长陈刚", text=(
        "2022年5月3日上午,市长王明在会展中心会见来访的代表团团长陈刚。书记赵林日前同团长先生成功会晤,"
        "为双方合作指明了方向。会见后,双方签署了合作文件。"))
    pipe = _pipeline_over(settings, tokenizer, doc)
    assert "会展中心" in pipe.answer("王明是在哪里会见陈刚的").answer
    assert "2022年5月3日" in pipe.answer("王明哪天会见的陈刚").answer
    for question in ("赵林跟陈刚是在哪里会晤的", "赵林和陈刚会晤是几月几号"):
        _assert_refused(pipe, question, "said_of_someone_else")


def test_a_figure_from_a_sentence_that_does_not_name_the_asked_measure_is_not_its_value(settings, tokenizer) -> None:
    from qa.answering.spans import asked_subject

    assert asked_subject("在短视频投广告一般ROI能做到多少？") == "ROI"
    doc = Document(id="ads", title="短视频广告投放", text=(
        "短视频流量可以分为自然流量与付费流量两种类型。通过优化素材质量,ROI也成为可提升的目标。"
        "广告预算一般占营收的15%。"))
    pipe = _pipeline_over(settings, tokenizer, doc)
    a = pipe.answer("在短视频投广告一般ROI能做到多少？")
    assert a.abstained and a.abstain_reason.code == "no_value_of_kind", a.answer
    assert "15%" in pipe.answer("广告预算一般占营收的多少？").answer


def test_a_count_no_figure_gives_is_answered_by_the_sentence_naming_what_it_counts(settings, tokenizer) -> None:
    doc = Document(id="gate", title="港区卡口管理", text=(
        "港区卡口设置快速货物通道和普通货物通道,实行分类通行。企业不再需要一次性将所有车辆集中运进运出。"))
    pipe = _pipeline_over(settings, tokenizer, doc)
    a = pipe.answer("港区卡口要分几种通道")
    assert not a.abstained and "快速货物通道和普通货物通道" in a.answer, a.answer
    # 一次性 is a word, not a count of one
    b = pipe.answer("港区卡口要分几种车辆")
    assert b.abstained, b.answer
    # what it counts said in one character (几条道): the head the list's items end in
    c = pipe.answer("港区卡口那边现在分了几条道")
    assert not c.abstained and "快速货物通道和普通货物通道" in c.answer, (c.abstain_reason, c.answer)


def test_where_the_asker_is_constrains_nothing(settings, tokenizer) -> None:
    doc = Document(id="info", title="博览会信息", text="展会名称：博览会\n地址：义乌市工人北路689号外贸商务大厦6楼\n")
    pipe = _pipeline_over(settings, tokenizer, doc)
    assert "工人北路689号" in pipe.answer("我在东阳开小店的 想去展会公司当面问问 他们办公的地址在哪").answer
    _assert_refused(pipe, "东阳的展会公司办公地址在哪", "entity_missing", "rare_term_missing")


def test_a_word_typed_with_a_character_of_its_sound_is_read_as_the_documents_write_it(settings, tokenizer) -> None:
    doc = Document(id="info", title="电商博览会", text="电商博览会将于2024年9月1日在义乌开幕。琴娜·杜普洛出生于巴黎,常去普罗旺斯。")
    pipe = _pipeline_over(settings, tokenizer, doc)
    a = pipe.answer("电商博揽会几号开幕")
    assert "博览会" in a.query and "2024年9月1日" in a.answer

    # what the retrieved text writes as typed is a name, not a typo (普洛, though 普罗 is a word)
    assert pipe.answer("琴娜·杜普洛出生在哪").query == "琴娜·杜普洛出生在哪"
    # a synonym of a word the documents use (综保区 for 综合保税区) is meant as well
    zone = Document(id="zone", title="综合保税区改革", text="综合保税区改革共提出23条具体措施。")
    assert "综保区" in _pipeline_over(settings, tokenizer, zone).answer("综宝区改革一共几条措施").query


def test_a_time_of_day_is_answered_by_a_time_not_by_the_dates(settings, tokenizer) -> None:
    from qa.answering.spans import asked_date_part

    assert asked_date_part("展会每天几点开门") == "时" and asked_date_part("What time does it open?") == "时"
    assert asked_date_part("指数涨了几个点") is None and asked_date_part("优化包括哪几点") is None
    # 几时 alone asks when, as 什么时候 does (a month's end answers 几时之前); hours asked span them
    assert asked_date_part("几时之前要报上去") is None and asked_date_part("每天几时到几时开放") == "时"
    fair = Document(id="fair", title="博览会信息", text="展会名称：博览会\n展会时间：2024年9月1日-3日\n展会地点：国际博览中心\n")
    pipe = _pipeline_over(settings, tokenizer, fair)
    _assert_refused(pipe, "展会每天几点开门", "no_value_of_kind")
    assert "2024年9月1日" in pipe.answer("展会几号开").answer
    hall = Document(id="hall", title="场馆开放", text="场馆开放时间为每天上午9:00-17:00,周一闭馆。")
    pipe = _pipeline_over(settings, tokenizer, hall)
    assert "9:00-17:00" in pipe.answer("场馆每天几点开门").answer


def test_a_numbered_item_is_found_by_its_place_in_the_list(settings, tokenizer) -> None:
    from qa.answering.lists import numbered_asked, opens_item

    assert numbered_asked("那第二阶段呢 啥时候") == (2, "阶段") and numbered_asked("第3条措施是啥") == (3, "措施")
    assert numbered_asked("第二批名单啥时候出") is None
    assert opens_item("二、全面推广阶段(2024年1月-12月)经地方推荐产生第二批名单。", 2, "阶段")
    assert not opens_item("二、全面推广阶段(2024年1月-12月)经地方推荐产生第二批名单。", 3, "阶段")
    assert not opens_item("经地方推荐产生名单。二、全面推广阶段", 2, "阶段")  # the item begins elsewhere
    doc = Document(id="plan", title="三年行动计划", text=(
        "三年行动计划实施步骤如下。一、部署启动阶段(2023年7月-12月)印发通知,启动三年行动,加强动员部署。"
        "二、全面推广阶段(2024年1月-12月)产生第二批名单,加强宣传推广。三、总结评估阶段(2025年1月-10月)全面总结评估。"))
    pipe = _pipeline_over(settings, tokenizer, doc)
    assert "2024年1月-12月" in pipe.answer("三年行动计划第二阶段是啥时候").answer
    assert "2025年1月-10月" in pipe.answer("三年行动计划的第三阶段啥时候").answer
    # the last one is the item of the highest number, and a follow-up pointing back at it asks of the topic before
    assert numbered_asked("最后那个阶段几月结束") == (-1, "阶段") and numbered_asked("最后说了啥") is None
    assert "2025年1月-10月" in pipe.answer("三年行动计划最后一个阶段干什么").answer
    history = [{"role": "user", "content": "三年行动计划的部署启动阶段干啥"}, {"role": "assistant", "content": "印发通知,启动三年行动。"}]
    assert "2025年1月-10月" in pipe.answer("那最后那个阶段呢，到几月", history=history).answer


def test_a_list_asked_as_a_count_comes_after_the_sentence_that_counts_it(settings, tokenizer) -> None:
    from qa.answering.spans import asked_unit

    assert asked_unit("分几大方面") == asked_unit("分几个方面") == "个|方面"
    doc = Document(id="plan", title="改革实施方案", text=(
        "海关印发改革实施方案,提出三方面12条具体改革措施。主要内容如下:\n一、优化监管方面(一)优化作业模式。\n"
        "二、促进便利方面(二)优化验放逻辑。\n三、拓展业态方面(三)支持保税维修。"))
    pipe = _pipeline_over(settings, tokenizer, doc)
    answer = pipe.answer("改革实施方案分成几个方面").answer
    assert "三方面12条" in answer and "二、促进便利方面" in answer
    assert answer.index("三方面12条") < answer.index("一、优化监管方面")


def test_a_document_number_is_a_kind_of_answer(settings, tokenizer) -> None:
    doc = Document(id="fund", title="资金管理", text=(
        "各地要严格对照《服务业发展资金管理办法》(财建〔2023〕9号)要求,规范资金支出方向。"))
    pipe = _pipeline_over(settings, tokenizer, doc)
    a = pipe.answer("资金管理按哪个办法来 文号是多少")
    assert not a.abstained and a.short_answer == "财建〔2023〕9号"
    # the documents never say 文号: it names the kind of answer, which this document holds and that lacks
    notice = Document(id="notice", title="资金管理通知", text="各地要规范资金管理,按季度报送资金使用清单。")
    _assert_refused(_pipeline_over(replace(settings, data_dir=settings.data_dir / "other"), tokenizer, notice),
                    "资金管理通知的文号是多少", "no_value_of_kind")


def test_what_was_meant_by_a_typo_is_what_is_answered(real_pipeline) -> None:
    # the count of 领跑县, not of the 领跑线 no document names (which let 9部门 answer)
    a = real_pipeline.answer("县域商业三年行动 到2025年要搞多少个领跑线")
    assert "500个" in a.answer and a.short_answer == "500个"


def test_a_place_an_english_question_names_in_pinyin_must_be_one_the_evidence_names(settings, tokenizer) -> None:
    from qa.answering.english_names import english_names

    assert english_names("How many will Zhejiang province get?", lambda w: False)[0].text == "浙江"
    assert english_names("Is there a bus from Yiwu station?", {"义乌"}.__contains__)[0].text == "义乌"
    from qa.answering.entities import shared_recognizer

    # a name the recogniser reads as a person's is a person's, not a place's
    assert english_names("Where did Xi Jinping meet him?", lambda w: False, shared_recognizer())[0].tag == "PER"
    assert english_names("Is there a bus from Yiwu station?", lambda w: False, shared_recognizer())[0].tag == "LOC"
    assert english_names("Where is the expo?", lambda w: True) == ()
    # the Chinese the question gives beside a name is the name (Yuhang alone would read as 余杭)
    assert english_names("quotes Liu Yuhang (刘宇航). What is his title?", lambda w: True)[0].text == "刘宇航"
    doc = Document(id="fair", title="博览会", text="博览会在义乌国际博览中心举办,展会时间为2024年9月1日-3日。")
    pipe = _pipeline_over(settings, tokenizer, doc)
    assert not pipe.answer("When is the expo in Yiwu held?").abstained
    _assert_refused(pipe, "When is the expo in Hangzhou held?", "entity_missing")


def test_a_country_an_english_question_names_in_english_must_be_one_the_evidence_names(settings, tokenizer) -> None:
    from qa.answering.english_names import english_names
    from qa.answering.entities import shared_recognizer

    recognizer, unknown = shared_recognizer(), lambda w: False
    assert [e.text for e in english_names("How did exports to Poland develop?", unknown, recognizer)] == ["波兰"]
    # the form general text uses most, when the documents use none (东盟, not 东南亚国协)
    assert english_names("What is trade with ASEAN worth?", unknown, recognizer, tokenizer.general_frequency)[0].text == "东盟"
    # a surname (Hall → 霍尔) names no place; a name in a clause that asks nothing is the asker's story
    assert english_names("Where is Hall 3?", unknown, recognizer) == ()
    assert english_names("Calling from Poland is costly, do they have an e-mail?", unknown, recognizer) == ()
    doc = Document(id="trade", title="外贸", text="前7个月,我国货物贸易进出口总值23.55万亿元,同比增长0.4%。")
    pipe = _pipeline_over(settings, tokenizer, doc)
    assert not pipe.answer("What was China's total trade in the first 7 months?").abstained
    _assert_refused(pipe, "What was China's trade with Poland in the first 7 months?", "entity_missing")


def test_a_contrastive_follow_up_asks_the_previous_question_of_what_it_names(tokenizer) -> None:
    from qa.answering.followup import restate

    history = [{"role": "user", "content": "综保区里常说的一线是指啥"}, {"role": "assistant", "content": "一线通常指进出境。"}]
    assert restate("那二线呢", history, tokenizer) == "综保区里常说的二线是指啥 那二线呢"
    assert rewrite_query("那二线呢", history, tokenizer).startswith("综保区里常说的二线是指啥")
    # nothing in the place of a word of the previous question, or not a contrast: not restated
    assert restate("那中欧班列沿线呢", history, tokenizer) is None  # 沿 and 一 are no pair: 沿线 is no 一线
    assert restate("二线是指啥", history, tokenizer) is None
    # a month in the place of a month, which the segmenter cuts into a figure and 月
    months = [{"role": "user", "content": "7月电商物流指数多少"}, {"role": "assistant", "content": "110.9点"}]
    assert restate("那8月呢", months, tokenizer) == "8月电商物流指数多少 那8月呢"
    # a month named only to compare with asks of the same month (比6月份: how much more than June)
    assert not (restate("那比6月份高了多少?", months, tokenizer) or "").startswith("6月")
    # one of a kind in the place of another of it, the same last character after words of their own,
    # even where the segmenter leaves the new one in two (履约 率)
    rates = [{"role": "user", "content": "满意率指数7月涨了多少"}, {"role": "assistant", "content": "1.5点"}]
    assert restate("那履约率呢", rates, tokenizer) == "履约率指数7月涨了多少 那履约率呢"
    assert restate("那效率呢", rates, tokenizer) is None, "效率 is a rate, but no compound like 满意率"
    # a word named short in the place of a longer term: with that term's head, a term the corpus knows
    speed = [{"role": "user", "content": "7月物流时效指数是个啥情况"}, {"role": "assistant", "content": "提高0.3个点"}]
    terms = {"物流时效指数", "履约率指数", "时效指数"}.__contains__
    assert restate("履约率那个呢 涨了多少", speed, tokenizer, terms) == "7月履约率指数是个啥情况 履约率那个呢 涨了多少"
    assert restate("履约率那个呢 涨了多少", speed, tokenizer) is None, "no terms to know the longer one by"
    assert restate("那满意率呢", speed, tokenizer, terms) is None, "满意率指数: not a term of this corpus"
    assert restate("那时效呢", speed, tokenizer, terms) is None, "时效 is said of the term already"
    # in English: the phrase with the same head noun, its words before the head replaced
    index = [{"role": "user", "content": "What was the e-commerce logistics index in July?"},
             {"role": "assistant", "content": "110.9 points"}]
    assert restate("And the staff index?", index, tokenizer) == \
        "What was the staff index in July? And the staff index?"
    assert restate("How much did the staff index rise?", index, tokenizer) is None, "not a contrast"


def test_a_numbered_part_of_a_place_is_asked_and_must_be_stated() -> None:
    from qa.answering.place_parts import asked_place_part, states_place_part

    assert asked_place_part("停车场从几号门进") == "门" and asked_place_part("办公室在几楼") == "楼"
    assert asked_place_part("展会在哪个馆办") is None, "哪个馆 asks for the venue as often as for a hall"
    assert states_place_part("工人北路689号外贸商务大厦6楼", "楼") and states_place_part("请从东门进", "门")
    assert not states_place_part("展会地点：义乌国际博览中心", "门")
    # the floor or the house number, asked by its noun (具体到楼层, 门牌号多少), is such a part, and a place asked
    assert asked_place_part("仓库具体在哪个楼层") == "楼" and asked_place_part("门牌号多少") == "号"
    # in English, a hall, booth or gate by its number, or which floor, as the documents would write it
    assert asked_place_part("What booth number is the Georgian stand?") == "展位" and asked_place_part("Which floor is it on?") == "楼"
    assert asked_place_part("Which hall is the fair in?") is None  # the venue as often as a hall


def test_an_english_question_asking_a_hall_number_is_refused_by_a_venue_alone(settings, tokenizer) -> None:
    doc = Document(id="fair", title="博览会", text="展会名称：国际博览会\n展会地点：滨江会展中心\n展会时间：2024年5月1日-3日")
    pipe = _pipeline_over(settings, tokenizer, doc)
    assert "滨江会展中心" in pipe.answer("Where is the fair held?").answer
    _assert_refused(pipe, "Which hall number is the fair held in?", "no_value_of_kind")
    assert question_types("写字楼的门牌号是多少")[0] is QType.PLACE and question_types("具体到楼层")[0] is QType.PLACE


def test_a_follow_up_asking_nothing_of_its_own_asks_what_it_restates() -> None:
    from qa.answering.kinds import asked_type

    assert asked_type("那8月呢", "8月电商物流指数多少 那8月呢") is QType.NUMBER
    assert asked_type("那8月呢", "那8月呢") is QType.DESCRIPTIVE
    # one that names a kind of its own asks for it: after the e-mail, the address
    assert asked_type("那公司的地址呢 想寄点东西", "网博会邮箱多少 那公司的地址呢 想寄点东西") is QType.PLACE
    assert asked_type("那8月在哪开", "8月电商物流指数多少 那8月在哪开") is QType.PLACE, "its own question word decides"
    assert asked_type("那他去参加什么活动呢", "会见的是哪个国家的总理 那他去参加什么活动呢") is QType.DESCRIPTIVE, "什么 asks, 么 is no particle there"
    # a number asked of what it leaves unnamed (参展的那个是多少) is one of the kind its topic names
    assert asked_type("参展的那个是多少？", "咨询 传真 号码 参展的那个是多少？") is QType.FAX
    assert asked_type("参展的那个是多少？", "展位 面积 参展的那个是多少？") is QType.NUMBER
    assert asked_type("参展人数是多少？", "咨询 传真 号码 参展人数是多少？") is QType.NUMBER, "it names what it counts"


def test_what_something_is_called_asks_a_name_not_a_number_to_call() -> None:
    from qa.answering.kinds import asked_type

    question = "What does Douyin call the setup where your shop is tied to your business account?"
    assert asked_type(question, question) is QType.WHAT
    assert asked_type("Which number should I call?", "Which number should I call?") is QType.PHONE


def test_a_question_about_a_meaning_is_answered_by_the_sentence_that_gives_it(settings, tokenizer) -> None:
    from qa.answering.meanings import defined_term, defines

    assert defined_term("综保区里常说的二线是指啥") == "二线" and defined_term("什么是号店一体") == "号店一体"
    assert defined_term("号店一体是啥意思") == "号店一体" and defined_term("二线在哪") is None
    # a term quoted before the asking words, with others between them (到底)
    assert defined_term("综保区里常说的“二线”，到底指的是哪个环节") == "二线"
    assert defines("向进出境(通常所说的“一线”)和进出区(通常所说的“二线”)转变", "二线")
    assert defines("抖音的“号店一体”,让抖音小店与企业号绑定", "号店一体")
    assert not defines("根据“一线”“二线”设置合理设置检验环节", "二线")
    quotes = _quotes_over(settings, tokenizer, "综合保税区改革", (
        "根据综合保税区“一线”“二线”设置以及货物流向,合理设置综合保税区检验环节。"
        "综合保税区同批货物“一线”“二线”环节最多检验一次。明确检疫工作原则上在“一线”实施。"
        "海关推进综合保税区改革。通关便利,企业满意。"
        "由“单开门”向进出境(通常所说的“一线”)和进出区(通常所说的“二线”)自由便利的“双开门”转变。"), "综合保税区的二线是指啥")
    assert any(q.startswith("由“单开门”") for q in quotes), quotes


def test_a_why_question_is_answered_first_by_a_sentence_that_gives_the_reason(settings, tokenizer) -> None:
    quotes = _quotes_over(settings, tokenizer, "综合保税区查验", (
        "（九）优化综合保税区布控查验比例。内容:降低综合保税区布控查验比例,对区内管理规范的企业减少查验,减少货物的卡口拦截。"
        "解读:考虑综合保税区已实施物理围网管理,区内企业相对稳定,风险相较口岸货物总体较小。"
        "口岸查验按原有规定执行。"), "为啥综合保税区的布控查验比例可以比口岸低")
    assert any(q.startswith("解读:考虑") for q in quotes), quotes


def _quotes_over(settings, tokenizer, title: str, text: str, question: str) -> list[str]:
    """What the answer to ``question`` quotes, over one document."""
    pipe = _pipeline_over(settings, tokenizer, Document(id="doc", title=title, text=text))
    return [c.quote for c in pipe.answer(question).citations]


def test_the_date_a_document_was_signed_follows_its_issuers(settings, tokenizer) -> None:
    doc = Document(id="notice", title="三部门关于开展试点的通知", text=(
        "各省商务主管部门:为推进试点工作,现将有关事项通知如下。一、试点于2024年1月启动,2024年12月结束。"
        "二、各地要加强组织领导,确保试点取得实效。现印发给你们,请认真贯彻落实。"
        "商务部办公厅 财政部办公厅 中华全国供销合作总社办公厅2023年7月27日"))
    pipe = _pipeline_over(settings, tokenizer, doc)
    assert pipe.answer("三部门的通知是哪天落款的").short_answer == "2023年7月27日"
    assert pipe.answer("这个通知啥时候印发的").short_answer == "2023年7月27日"
    # in English: the date on the notice, or when it was signed or issued
    from qa.answering.spans import SIGNING_ASKED

    assert SIGNING_ASKED.search("When was the notice issued?") and not SIGNING_ASKED.search("What date does the pilot start?")


def test_an_english_count_counts_the_glossarys_term(settings, tokenizer) -> None:
    assert asked_unit("How many departments issued it?") == asked_unit("几家发的") and asked_unit("How many points?") is None
    doc = Document(id="zone", title="综合保税区改革", text="海关总署印发方案,对综合保税区提出五方面23条措施,9部门参与。")
    pipe = _pipeline_over(settings, tokenizer, doc)
    _assert_refused(pipe, "How many comprehensive bonded zones are there?", "no_value_of_kind")
    assert "9部门" in pipe.answer("How many departments took part?").answer


def test_a_part_answered_weakly_beside_a_part_the_material_lacks_is_left_out() -> None:
    from qa.answering.abstention import judged_together
    from qa.types import AbstainReason, Answer

    missing = Answer("资料中没有出现“门票”。", None, True, abstain_reason=AbstainReason("asked_unknown", "…", "…"))
    weak = Answer("学生优惠…", None, False, confidence=0.07)
    sure = Answer("展会地点：义乌国际博览中心", None, False, confidence=0.6)
    assert judged_together([missing, weak]) == [missing]
    assert judged_together([missing, sure, weak]) == [missing, sure]
    # values of the kind asked, none of them of the asked thing: the material lacks it as well
    elsewhere = Answer("抱歉", None, True, abstain_reason=AbstainReason("value_not_near", "…", "…"))
    assert judged_together([elsewhere, weak]) == [elsewhere]
    # weak evidence alone is no sign that the material lacks the topic: each part stands on its own
    unsure = Answer("抱歉", None, True, abstain_reason=AbstainReason("low_confidence", "…", "…"))
    assert judged_together([unsure, weak]) == [unsure, weak]
    # a yes-no part beside a part the material lacks asks about what that part asked
    assert judged_together([missing, sure], ["门票多少钱？", "老年人有没有优惠"]) == [missing]
    assert judged_together([missing, sure], ["补贴多少钱？", "领跑县是不是补得更多"]) == [missing]
    assert judged_together([missing, sure], ["门票多少钱？", "在门口能买不？"]) == [missing]  # V不?: yes or no
    assert judged_together([missing, sure], ["门票多少钱？", "学生有优惠没有？"]) == [missing]
    # one pointing back at what the refused part named (该协定: that agreement), not one saying "should" (应该)
    assert judged_together([missing, sure], ["协定哪天生效？", "该协定对关税怎么安排"]) == [missing]
    assert judged_together([missing, sure], ["门票多少钱？", "展馆应该怎么走"]) == [missing, sure]
    assert judged_together([sure, missing], ["有官方微信客服吗？", "微信号是多少"]) == [missing]
    # one asking a value stands on its own
    assert judged_together([sure, missing], ["展会在哪里？", "门票多少钱"]) == [sure, missing]
    assert judged_together([missing, sure], ["门票多少钱？", "展会在哪里"]) == [missing, sure]
    # a later part going on about what the refused part named (a comparison, 各自) asks about it too
    assert judged_together([missing, sure], ["快手抽几个点的佣金？", "跟抖音比哪个高"]) == [missing]
    assert judged_together([missing, sure], ["出口和进口分别多少？", "各自同比增长多少"]) == [missing]
    assert judged_together([sure, missing], ["跟抖音比哪个高", "门票多少钱"]) == [sure, missing]  # the first part
    # a part that says it asks one thing more (还有, 另外) is a question of its own: what it lacks leaves the
    # others standing; the others lacking still leave out a yes-no part of its own
    assert judged_together([sure, missing], ["要不要实际进出境？", "还有人问目录多久调一次"]) == [sure, missing]
    assert judged_together([missing, sure], ["门票多少钱？", "另外老年人有没有优惠"]) == [missing]
    assert judged_together([weak, missing], ["学生有优惠吗？", "另外门票多少钱"]) == [missing]  # still too weak


def test_a_later_part_answered_from_the_document_the_refused_first_part_lacks_its_topic_in_is_left_out() -> None:
    """Which year's fair in 2026? Also in May? The first part is refused: the fair's page names no 2026. The
    second, answered from that page (its May dates), asks them of the 2026 fair as well."""
    from qa.answering.abstention import judged_together
    from qa.types import AbstainReason, Answer, Citation, Hit

    def hit(doc_id: str) -> Hit:
        return Hit(chunk=Chunk(id=f"{doc_id}-0", doc_id=doc_id, title="t", date=None, ordinal=0, start=0, end=4, text="展会时间"), score=1.0)

    def cited(doc_id: str) -> Answer:
        return Answer("展会时间：5月10日[1]", "5月10日", False, citations=[Citation(1, doc_id, "t", None, f"{doc_id}-0", "展会时间", 0, 4)],
                      sources=[hit(doc_id)], confidence=0.9)

    refused = Answer("Sorry", None, True, sources=[hit("fair")], abstain_reason=AbstainReason("period_displaced", "…", "…"))
    parts = ["When is the 2026 fair?", "Also in May, same dates?"]
    assert judged_together([refused, cited("fair")], parts) == [refused]
    assert judged_together([refused, cited("other")], parts) == [refused, cited("other")]  # another document: its own
    # a refused later part leaves the first standing, whatever it cites
    assert judged_together([cited("fair"), refused], ["展会几号开？", "2026年那届呢"])[0] == cited("fair")


def test_a_fact_sheet_line_is_about_the_record_its_title_names(settings, tokenizer) -> None:
    doc = Document(id="fair", title="国际茶叶博览会 展会信息", text=(
        "展会名称：国际茶叶博览会\n展会时间：2024年5月10日-12日\n展会地点：茶城会展中心\n"))
    a = _pipeline_over(settings, tokenizer, doc).answer("茶叶博览会一共开几天")
    assert not a.abstained and a.short_answer == "2024年5月10日-12日"


def test_a_why_question_is_answered_by_the_reason_beside_the_measure(settings, tokenizer) -> None:
    from qa.answering.candidates import reasons_first

    doc = Document(id="port", title="港区改革措施", text=(
        "(一)降低港区抽检比例。解读:考虑港区已实行封闭管理,区内企业相对稳定。"
        "通过把监管力量放在企业整体上,减少逐票拦截。降低港区的抽检比例,对信用良好的企业进一步降低抽检比率。"
        "(二)简化设备手续。解读:由于设备进口后不再出区,免于提交许可证件。"))
    question = "为什么港区的抽检比例可以降低"
    scored, sentences = _gathered(settings, tokenizer, doc, question)
    measure = next(x for x in scored if x.sentence.text.startswith("降低港区的抽检比例"))
    kept = [measure]  # the measure alone: its reason is no candidate of its own
    first = reasons_first(kept, question, sentences)[0]
    # the reason in the measure's own item, not the next item's, though both open with one
    assert first.sentence.text.startswith("解读:考虑港区已实行封闭管理")
    assert reasons_first(kept, "港区的抽检比例降到多少", sentences) == kept, "only a why-question"
    # the other words that ask why: on what grounds (凭什么, 凭啥), by what (何以)
    for asking in ("凭什么港区能少抽检几票", "港区凭啥抽检得比别处少", "海关何以下调港区的抽检比例"):
        assert reasons_first(kept, asking, sentences)[0].sentence.text.startswith("解读:考虑港区已实行封闭管理"), asking


def test_a_question_naming_a_section_is_answered_from_the_section_it_heads(settings, tokenizer) -> None:
    from qa.answering.candidates import section_first

    doc = Document(id="plan", title="茶园建设行动计划", text=(
        "一、总体思路坚持绿色发展,按照“先试点、后推广”步骤,推动茶园提质增效。"
        "二、工作目标到2026年建成标准茶园200个。各地要把茶园建设行动作为重要任务,抓好部署推进。"))
    # a sentence sharing the question's words, not the heading's
    kept, sentences = _only_candidate(settings, tokenizer, doc, "茶园建设行动按什么思路推进", "各地要把")
    assert section_first(kept, ["思路"], sentences)[0].sentence.text.startswith("一、总体思路")
    assert section_first(kept, ["目标"], sentences)[0].sentence.text.startswith("二、工作目标")
    assert section_first(kept, ["步骤"], sentences) == kept, "a word inside a section is no heading"
    # a candidate that names what is asked answers it already
    assert section_first(kept, ["任务"], sentences) == kept


def test_a_question_naming_items_of_a_series_is_answered_by_the_sentence_naming_them_all(settings, tokenizer) -> None:
    from qa.answering.candidates import numbered_first

    doc = Document(id="orchard", title="果园改造五年方案", text=(
        "各县要把果园改造作为重要任务,抓好部署推进。"
        "方案按照“一年摸清底数、两年集中改造、三年巩固成效”的安排推进。果园改造五年方案自发布之日起实施。"))
    # the series is no candidate: it is found in the best document
    kept, sentences = _only_candidate(settings, tokenizer, doc, "果园改造方案 第一年干啥 第二年干啥", "各县要把")
    series = "方案按照“一年摸清底数、两年集中改造、三年巩固成效”的安排推进。"
    for question in ("果园改造方案 第一年干啥 第二年干啥", "一年干嘛两年干嘛三年干嘛"):
        assert numbered_first(kept, question, sentences)[0].sentence.text == series, question
    assert numbered_first(kept, "五年方案第一年干啥", sentences) == kept, "one item is no series"
    assert numbered_first(kept, "第一年和第四年干啥", sentences) == kept, "the text names no fourth year"


def test_a_question_asking_which_ones_is_answered_by_the_candidate_listing_several(settings, tokenizer) -> None:
    from qa.answering.candidates import asked_parts_first

    doc = Document(id="rain", title="6月降水监测", text=(
        "南方各站点表现不一,其中,桂林站点、柳州站点和梧州站点雨量连续偏多。桂林站点雨量较上月增加30毫米。"
        "柳州站点连续三周出现暴雨。"))
    question = "哪几个站点雨量一直偏多"
    scored, _sentences = _gathered(settings, tokenizer, doc, question)
    one = next(x for x in scored if x.sentence.text.startswith("桂林站点雨量"))
    listing = next(x for x in scored if x.sentence.text.startswith("南方各站点"))
    kept = [one, listing]
    assert asked_parts_first(kept, QType.LIST, ["站点"])[0] is not one
    assert asked_parts_first(kept, QType.LIST, ["站点"])[0].sentence.text.startswith("南方各站点")
    assert asked_parts_first(kept, QType.LIST, ["城市"]) == kept, "a list of something else"
    assert asked_parts_first(kept, QType.NUMBER, ["站点"]) == kept, "only a list question"


def test_a_question_asking_which_one_of_a_noun_is_answered_by_the_candidate_naming_one_in_quotes(settings, tokenizer) -> None:
    from qa.answering.candidates import asked_parts_first

    doc = Document(id="plan", title="果园改造方案", text=(
        "方案提出,要加强果园基础设施建设。各地要学习推广“百园工程”的做法,提高果园管理水平。"))
    question = "方案说要推广哪个工程的做法"
    scored, _sentences = _gathered(settings, tokenizer, doc, question)
    other = next(x for x in scored if x.sentence.text.startswith("方案提出"))
    named = next(x for x in scored if "百园工程" in x.sentence.text)
    kept = [other, named]
    assert asked_parts_first(kept, QType.DESCRIPTIVE, ["工程"], None, question)[0].sentence == named.sentence
    # only a noun asked which one of: the noun said of (百园工程在哪里) is no such question
    assert asked_parts_first(kept, QType.DESCRIPTIVE, ["工程"], None, "百园工程在哪里") == kept


def test_who_else_took_part_is_someone_the_question_and_the_report_do_not_name() -> None:
    from qa.answering.candidates import another_first

    people = {"王明", "赵刚", "孙丽", "周强"}
    persons = lambda text: {p for p in people if p in text}
    report = _scored("王明在北京会见来访的赵刚。", 0.6)
    earlier = _scored("孙丽日前同赵刚会晤。", 0.2)
    present = _scored("周强参加上述活动。", 0.05)
    kept = [report, earlier, present]
    first = another_first(kept, "除了王明，还有哪位领导参加了会见", persons)[0]
    # the one who took part in the reported event, not another person the text names
    assert first.sentence == present.sentence and first.score == report.score
    assert another_first(kept, "王明会见了谁", persons) == kept, "only a question asking who else"
    assert another_first([report, _scored("双方签署合作文件。", 0.3)], "还有谁参加", persons)[0] is report
    # a question asking for an official asks for a person
    assert question_types("Besides the premier, which other Chinese official joined?")[0].value == "who"
    assert question_types("那天还有哪个领导陪同")[0].value == "who"


def test_a_contact_of_a_body_the_record_does_not_name_is_not_the_records(settings, tokenizer) -> None:
    fair = Document(id="fair", title="国际茶叶博览会 展会信息", text=(
        "展会名称：国际茶叶博览会\n客服电话：0571-88886666\n邮箱：info@teafair.cn\n公司：茶城会展有限公司\n"))
    news = Document(id="news", title="海关发布茶叶出口数据", text="海关总署发布数据,前7个月茶叶出口增长5%。")
    pipe = _pipeline_over(settings, tokenizer, fair, news)
    for question in ("海关的咨询电话是多少", "展馆的电话是多少"):
        a = pipe.answer(question)
        assert a.abstained and a.abstain_reason.code == "rare_term_missing", (question, a.answer)
    # the record's own body, by the name the record gives it, or by none
    # …or by a word of quantity that ends as a body's name does (全部: all; 局部: part)
    for question in ("茶叶博览会的客服电话是多少", "客服电话多少", "会展有限公司的邮箱是啥", "茶叶博览会的全部客服电话是多少"):
        a = pipe.answer(question)
        assert not a.abstained, (question, a.abstain_reason)


def test_a_field_line_labelled_with_one_contact_gives_no_other() -> None:
    from qa.answering.kinds import has_answer_form, labelled_otherwise
    from qa.answering.spans import QType

    assert not has_answer_form("传真：0579-85297855", QType.PHONE)
    assert has_answer_form("传真：0579-85297855", QType.FAX)
    assert has_answer_form("客服热线：0579-85891888", QType.PHONE)
    assert not has_answer_form("展会咨询QQ：604026680", QType.PHONE) and has_answer_form("展会咨询QQ：604026680", QType.QQ)
    # a line whose label names no contact, and a sentence, are read by their values alone
    assert not labelled_otherwise("联系人：张先生 0579-85891888", QType.PHONE)
    assert has_answer_form("如有疑问请拨打0579-85891888咨询。", QType.PHONE)


def test_a_section_whose_heading_names_a_word_of_the_question_is_read(settings, tokenizer) -> None:
    from qa.answering.evidence import with_sections

    filler = "各地要加强组织领导,落实工作责任,推动茶园建设工作取得实效。" * 12
    doc = Document(id="plan", title="茶园建设行动计划", text=(
        f"一、总体思路坚持绿色发展。{filler}二、工作目标到2026年建成标准茶园200个。{filler}"
        f"三、保障措施加强资金支持。{filler}"))
    pipe = _pipeline_over(settings, tokenizer, doc)
    retrieval = pipe.retriever.retrieve("茶园建设", 1)
    chunks = retrieval.snapshot.chunks_of("plan")
    heading = next(c for c in chunks if "二、工作目标" in c.text)
    hits = [h for h in retrieval.hits if h.chunk.id != heading.id][:1]
    added = {h.chunk.id for h in with_sections(hits, retrieval, {"目标", "茶园"})}
    assert heading.id in added
    # a word inside a section, not in its heading, adds nothing
    assert {h.chunk.id for h in with_sections(hits, retrieval, {"茶园", "资金"})} == {h.chunk.id for h in hits}


def test_a_value_the_question_gives_itself_is_no_answer(settings, tokenizer) -> None:
    doc = Document(id="fair", title="国际茶叶博览会 展会信息", text=(
        "展会名称：国际茶叶博览会\n展会时间：2024年5月10日-12日\n展会地点：茶城会展中心\n"))
    pipe = _pipeline_over(settings, tokenizer, doc)
    a = pipe.answer("茶城会展中心在哪条路")
    assert a.abstained and a.abstain_reason.code == "value_restated", a.answer
    assert pipe.answer("茶叶博览会在哪里开").short_answer == "茶城会展中心"
    # asked to confirm, the value the question gives is the answer
    for question in ("茶叶博览会是在茶城会展中心开吗", "茶叶博览会在茶城会展中心开对吧"):
        assert not pipe.answer(question).abstained, question



def test_a_figure_the_question_gives_itself_is_no_answer(settings, tokenizer) -> None:
    doc = Document(id="tea", title="茶叶销售", text="上半年线上茶叶销售额为3.2亿元,占全部茶叶销售额的比重为40%。\n")
    pipe = _pipeline_over(settings, tokenizer, doc)
    # 3.2亿 is what the asker already has: the whole is not in the text
    a = pipe.answer("线上卖了3.2亿占了40%，那全部茶叶销售额本身是多少亿？")
    assert a.abstained and a.abstain_reason.code == "value_restated", a.answer
    assert pipe.answer("上半年线上茶叶销售额是多少").short_answer == "3.2亿元"


def test_each_of_counted_stages_is_answered_with_all_of_them(settings, tokenizer) -> None:
    doc = Document(id="plan", title="茶园建设行动计划", text=(
        "附件:茶园建设行动实施步骤一、启动阶段(2023年7月-12月)印发通知,启动茶园建设行动。"
        "二、推广阶段(2024年1月-12月)复制推广茶园建设经验。三、总结阶段(2025年1月-10月)全面总结评估茶园建设行动。"))
    pipe = _pipeline_over(settings, tokenizer, doc)
    for question in ("茶园建设行动三个阶段分别是什么时间", "茶园建设行动分三步走 每一步分别是哪段时间"):
        a = pipe.answer(question)
        assert all(p in a.answer for p in ("2023年7月-12月", "2024年1月-12月", "2025年1月-10月")), (question, a.answer)


def test_a_name_cut_across_the_words_of_the_question_is_the_recognisers_slip() -> None:
    from qa.answering.entities import across_words

    known = {"综保区", "劳保用品", "义乌市", "义乌", "格鲁吉亚"}.__contains__
    text = "综保区里拉劳保用品的车"
    words = ["综保区", "里", "拉", "劳保用品", "的", "车"]
    assert across_words("里拉劳保", text, words, known)  # ends inside 劳保用品
    assert across_words("用品的车", text, words, known)  # begins inside it
    # a name inside a word, or holding words whole, is a name
    assert not across_words("义乌", "义乌市的展会", ["义乌市", "的", "展会"], known)
    assert not across_words("格鲁吉亚总理", "格鲁吉亚总理来了", ["格鲁吉亚", "总理", "来", "了"], known)
    # a word no document uses proves nothing about where a name ends
    assert not across_words("里拉劳保", text, words, {"综保区"}.__contains__)


def test_a_part_asked_inside_a_whole_of_the_same_head() -> None:
    from qa.answering.values import AskedValues

    assert AskedValues.inside_another("7月电商物流指数里头那个库存周转指数是多少点") == ("库存周转指数", "指数")
    assert AskedValues.inside_another("电商物流指数中的需求指数是多少点") == ("需求指数", "指数")
    # another head is no part of the whole (企业 in 综保区), and a question naming one thing asks of it
    assert AskedValues.inside_another("综保区里的企业有多少家") is None
    assert AskedValues.inside_another("7月中国电商物流指数是多少") is None


def test_english_words_asked_of_evidence_that_writes_none() -> None:
    from qa.answering.latin import english_not_given

    chinese = ["抖音电商提出的FACT经营矩阵,就是希望通过商家自播、达人矩阵、营销活动、头部大V带货构建…"]
    assert english_not_given("FACT四个字母各是哪个英文单词", chinese)
    assert english_not_given("Which English word does the F in FACT stand for?", chinese)
    # evidence writing another word in Latin letters may give it; a question not asking English asks nothing of it
    assert not english_not_given("AEO的英文全称是什么", ["高级认证企业(AEO, Authorized Economic Operator)"])
    assert not english_not_given("FACT矩阵是什么意思", chinese)
    assert not english_not_given("英语“暴发户”一词源于哪里", ["暴发户一词源于…"])


def test_english_words_asked_are_answered_by_the_candidate_writing_some_first() -> None:
    from qa.answering.latin import latin_first

    chinese = _scored("推动将仓库管理系统与海关联网。", 0.5)
    latin = _scored("在海关对接企业仓库管理系统(WMS)的基础上。", 0.2)
    assert latin_first([chinese, latin], "仓库管理软件的英文缩写是哪三个字母") == [latin, chinese]
    assert latin_first([chinese, latin], "仓库管理系统要跟谁联网") == [chinese, latin]  # English not asked
    # a Latin word the question gives itself (WMS) is no answer
    assert latin_first([chinese, latin], "WMS的英文全称是什么") == [chinese, latin]


def test_an_english_question_asks_a_numbered_item_by_its_place_and_the_words_after_it(tokenizer) -> None:
    from qa.answering.candidates import numbered_first
    from qa.answering.learned import LearnedComposer

    asked = LearnedComposer(tokenizer)._numbered_english("What's the time window of the second, 'roll it out' stage?")
    assert (2, "阶段") in asked and all(n == 2 for n, _zh in asked)
    plan = _scored("省级主管部门对照三年行动实施步骤制定方案。", 0.5)
    first, second = _scored("一、部署启动阶段(2023年7月-12月)印发通知。", 0.3), _scored("二、全面推广阶段(2024年1月-12月)。", 0.1)
    kept = [plan, first, second]
    assert numbered_first(kept, "the second stage?", None, asked)[0] is second
    assert numbered_first(kept, "the second stage?", None, [])[0] is plan  # no place asked: as ranked


def test_the_words_naming_an_english_numbered_item_end_at_a_preposition(tokenizer) -> None:
    """"The second measure for the counties": the item is a measure; the counties it is for are no name
    of it, and a section whose heading holds 县域 is not the item asked."""
    from qa.answering.candidates import numbered_first
    from qa.answering.learned import LearnedComposer

    question = "What does the second measure for the counties say?"
    asked = LearnedComposer(tokenizer)._numbered_english(question)
    assert (2, "措施") in asked and all(zh != "县域" for _n, zh in asked)
    section = _scored("二、县域商业目标到2025年建成一批示范县。", 0.9)
    measure = _scored("(二)推广措施:发展农村直播电商。", 0.2)
    assert numbered_first([section, measure], question, None, asked)[0] is measure


def test_a_contact_word_in_what_the_asker_says_of_themselves_asks_for_no_number() -> None:
    from qa.answering.asker import kind_asked

    said = "我们县城也想搞那种手机一点半小时送到家的 文件里说的即时零售 到底要咋弄"
    assert kind_asked(said, said) is QType.DESCRIPTIVE
    for asked in ("我是做小商家 想打个电话问问参展的事 你们座机号多少啊", "展会电话是多少", "想打电话问问 有没有客服电话"):
        assert kind_asked(asked, asked) is QType.PHONE, asked
    # in English too, of two contacts the one the asking sentence names is asked for
    asked = "Our members would rather write than call. Is there an email address for the expo?"
    assert kind_asked(asked, asked) is QType.EMAIL
    assert kind_asked("Which number should I call?", "Which number should I call?") is QType.PHONE
    # and of that sentence, the clause that asks on its own
    asked = "My Chinese is poor, so I'd rather write than call - what is the fair's email address?"
    assert kind_asked(asked, asked) is QType.EMAIL
    # a contact word only in what the asker says of their trade, where the asking sentence asks another kind
    asked = "We import phone chargers from China. When does the fair open? We plan our trip."
    assert kind_asked(asked, asked) is QType.DATE
    asked = "I need the hotline for Beijing, not the Yiwu one. What is it?"  # it points back: the phone
    assert kind_asked(asked, asked) is QType.PHONE
    # written without punctuation, the asking words alone ask of the words just before them
    asked = "打字可以 电话不方便 博览会 邮箱 是多少"
    assert kind_asked(asked, asked) is QType.EMAIL


def test_a_number_asked_of_an_item_the_question_points_at_is_of_that_items_kind() -> None:
    from qa.answering.asker import kind_asked

    # the follow-up's query carries the item of the last answer it points at (the other phone number)
    asked = "第一个打不通 另一个号多少"
    assert kind_asked(asked, f"010-67801814 {asked}") is QType.PHONE
    assert kind_asked(asked, f"web@ecfair.cn {asked}") is QType.EMAIL
    assert kind_asked("展位一共有几个号", "展位一共有几个号") is QType.NUMBER


def test_of_two_contacts_the_one_named_where_the_question_asks_is_asked_for() -> None:
    from qa.answering.asker import kind_asked

    for asked, kind in (("电话一直占线没人接，发传真的话发到哪个号？", QType.FAX),
                        ("传真机坏了发不了，打电话的话打哪个号码？", QType.PHONE),
                        ("电话和邮箱都是多少", QType.PHONE)):  # one clause names both: as the kinds rank them
        assert kind_asked(asked, asked) is kind, asked


def test_a_sentence_about_another_of_a_counted_series_is_left_out() -> None:
    from qa.answering.periods import of_the_counted

    first, second, plain = (_scored("试点结束后评出第一批示范城市。", 0.5), _scored("次年评出第二批示范城市。", 0.6),
                            _scored("示范城市每年复核一次。", 0.4))
    assert of_the_counted([second, first, plain], "第一批示范城市哪年评的") == [first, plain]
    assert of_the_counted([second, first], "第1批示范城市哪年评的") == [first]  # a count in digits is the same
    assert of_the_counted([second, plain], "第一批示范城市哪年评的") == [plain]
    assert of_the_counted([second], "第一批示范城市哪年评的") == [second]  # none other: as ranked
    assert of_the_counted([second, first], "示范城市哪年评的") == [second, first]  # none asked
    assert of_the_counted([second, first], "第一次复核在哪年") == [second, first]  # a count of another series


def test_an_event_told_without_its_date_is_dated_by_the_sentence_before_it_in_its_paragraph() -> None:
    from qa.answering.periods import dated_in_paragraph
    from qa.answering.sentences import Scored, Sentence
    from qa.types import Hit

    text = "二、试点阶段(2021年3月-9月)选定试点城市,制定配套细则。试点结束后评出第一批示范城市。\n另起一段,与此无关。"
    chunk = Chunk(id="c", doc_id="d", title="t", date=None, ordinal=0, start=0, end=len(text), text=text)

    def candidate(sentence: str, has_form: bool = False) -> Scored:
        at = text.index(sentence)
        return Scored(Sentence(sentence, "d", at, at + len(sentence), Hit(chunk=chunk, score=1.0)), 0.5, 0.5, has_form)

    event, other = candidate("试点结束后评出第一批示范城市。"), candidate("另起一段,与此无关。")
    quoted = dated_in_paragraph([event, other])[0]
    assert quoted.has_form and quoted.sentence.text == "二、试点阶段(2021年3月-9月)选定试点城市,制定配套细则。试点结束后评出第一批示范城市。"
    assert extract_span("第一批啥时候评出来", quoted.sentence.text, QType.DATE, []) == "2021年3月-9月"  # a range of months
    assert dated_in_paragraph([other, event])[0] is other  # its paragraph dates nothing before it
    dated = candidate("二、试点阶段(2021年3月-9月)选定试点城市,制定配套细则。", has_form=True)
    assert dated_in_paragraph([event, dated])[0] is event  # a candidate giving a date: left as ranked


def test_a_follow_up_asking_when_is_not_held_to_the_period_of_the_topic_it_carries(settings, tokenizer) -> None:
    doc = Document(id="plan", title="示范城市三年行动", text=(
        "到2025年,全国建成100个左右的示范城市。\n"
        "一、试点阶段(2023年3月-9月)选定试点城市,制定配套细则。试点结束后评出第一批示范城市。"))
    pipe = _pipeline_over(settings, tokenizer, doc)
    history = [{"role": "user", "content": "示范城市三年行动到2025年要建成多少个示范城市？"},
               {"role": "assistant", "content": "100个左右。"}]
    answer = pipe.answer("那第一批是啥时间段评出来？", history=history)
    assert not answer.abstained and "2023年3月-9月" in (answer.short_answer or answer.answer)


def test_a_part_naming_only_items_of_a_series_by_their_place_goes_with_the_part_before(tokenizer) -> None:
    from qa.answering.composer import Composer

    composer = Composer(tokenizer)
    question = "三年行动是按什么节奏推进的？第一年干啥、第二年干啥、第三年干啥？"
    assert composer.split_questions(question) == [question.replace("？第", "？ 第")]
    assert len(composer.split_questions("三年行动是按什么节奏推进的？展会在哪里举办？")) == 2


def test_a_part_offering_another_answer_goes_with_the_part_before(tokenizer) -> None:
    from qa.answering.composer import Composer

    split = Composer(tokenizer).split_questions
    assert split("进口报关要交保证金吗？还是可以免担保？") == ["进口报关要交保证金吗？ 还是可以免担保？"]
    assert split("Do I pay a deposit at the gate? Or is it waived for members?") == [
        "Do I pay a deposit at the gate? Or is it waived for members?"]
    assert len(split("进口报关要交保证金吗？展会在哪里举办？")) == 2


def test_a_part_naming_only_a_number_narrows_the_part_before(tokenizer) -> None:
    from qa.answering.composer import Composer

    split = Composer(tokenizer).split_questions

    class Corpus:
        @staticmethod
        def knows(word: str) -> bool:
            return word in {"展会", "直播", "部门", "9"}

    # 9月几号到几号: the month narrows the date the part before asked; it names nothing of its own
    assert len(split("展会今年到底哪天开？9月几号到几号，我好提前排直播档期", Corpus())) == 1
    assert len(split("展会今年到底哪天开？9个部门是哪几个", Corpus())) == 2


def test_where_a_matter_lies_is_no_place() -> None:
    # 好处在哪, 区别在哪儿: the noun before 在哪 is a property or circumstance, asked about, not located
    for asked in ("做内容的好处在哪", "抖音和快手区别在哪儿？", "抖音电商的优势在哪里", "他们主要难在哪"):
        assert question_types(asked) == [QType.DESCRIPTIVE], asked
    # a thing, a place, an organisation or an event held somewhere is located
    for asked in ("展会在哪", "首届比赛在哪里举行？", "公司在哪", "停车场在哪儿", "他家在哪"):
        assert question_types(asked)[0] is QType.PLACE, asked


def test_wei_he_closing_a_clause_asks_what_it_is() -> None:
    # written style: 全称为何, 开幕日期为何 ask the name and the date; 为何 before a verb, or 是为何, asks why
    assert question_types("那份通知的全称为何？")[0] is QType.WHAT
    assert question_types("博览会的举办日期为何")[0] is QType.DATE
    for asked in ("为何要先做内容？", "这是为何？", "抖音为何降低了门槛"):
        assert question_types(asked) == [QType.DESCRIPTIVE], asked


def test_a_contact_is_named_by_any_of_the_dictionarys_words_for_it() -> None:
    # 电邮 and 电子邮件 are the dictionary's words for e-mail, as 邮箱 is: 电邮地址 asks an e-mail address
    assert question_types("有没有电邮地址？")[0] is QType.EMAIL
    assert question_types("办公地址在哪")[0] is QType.PLACE
    # ... and so are its words for where one is kept (电子信箱: an e-mail inbox), a word for the kind asked,
    # not a noun the documents must use
    assert question_types("主办单位的电子信箱是哪一个")[0] is QType.EMAIL
    assert names_a_kind("电子信箱") and names_a_kind("传真号码")


def test_a_question_in_traditional_characters_is_answered_from_simplified_documents(settings, tokenizer) -> None:
    doc = Document(id="fair", title="博览会", text="博览会在义乌国际博览中心举办,展会时间为2024年9月1日-3日。")
    pipe = _pipeline_over(settings, tokenizer, doc)
    answer = pipe.answer("義烏博覽會在哪裡舉辦？")
    assert not answer.abstained and "义乌国际博览中心" in answer.answer
    _generator, parts, _ms = pipe._retrieve("義烏博覽會在哪裡舉辦？", [], None, None, None)
    assert parts[0][0] == "义乌博览会在哪里举办？"  # read, checked and matched in simplified characters
    history = [{"role": "user", "content": "義烏博覽會在哪裡舉辦？"}, {"role": "assistant", "content": "義烏國際博覽中心。"}]
    assert "2024年9月1日" in pipe.answer("那幾號開？", history=history).answer


def test_a_value_is_near_what_it_is_of_when_the_text_says_it_in_another_word_of_the_same_sense(settings, tokenizer) -> None:
    doc = Document(id="retail", title="网上零售", text="图注:专家表示经营效益比较好。同比增长10.8%,占社会消费品零售总额的比重为26.6%,需求稳步上升。")
    pipe = _pipeline_over(settings, tokenizer, doc)
    # 比例 is asked, 比重 is written: the same sense in the thesaurus, so the share is what is asked
    answer = pipe.answer("网购实物在社零里面占了多大比例")
    assert not answer.abstained and answer.short_answer == "26.6%"


def test_a_date_is_read_beside_the_figure_the_question_states(settings, tokenizer) -> None:
    doc = Document(id="index", title="物流指数", text="具体来看,7月份,时效指数较上月提高0.3个点。人员指数较上月提高1.4个点,自2019年1月之后首次突破110点的高位。")
    pipe = _pipeline_over(settings, tokenizer, doc)
    answer = pipe.answer("人手那个指标上一次站上110点是啥时候？")
    assert not answer.abstained and answer.short_answer == "2019年1月"


def test_a_city_asked_is_not_given_by_a_hall_in_one() -> None:
    from qa.answering.kinds import asked_region, site_only

    assert asked_region("大运会在哪个城市举办") == "城市" and asked_region("Which country is he from?") == "country"
    assert asked_region("展会在哪里举办") is None
    hall = "国务院总理李强在人民大会堂会见格鲁吉亚总理。"  # the Great Hall of the People (in Beijing)
    assert site_only([hall, "双方签署合作文件。"])
    assert not site_only(["展会在义乌国际博览中心举办。", hall])  # a place the dictionary does not put in another
    assert not site_only(["双方签署合作文件。"])  # no place at all: the other checks judge it


def test_a_count_of_kinds_answers_only_a_question_asking_in_a_unit() -> None:
    from qa.answering.spans import asked_unit, fits_unit

    # ROI一般多少, how much commission: no unit asked, and 两种 (two kinds) is no measure of either
    assert not fits_unit("两种", asked_unit("ROI一般多少算正常")) and not fits_unit("三类", None)
    assert fits_unit("两种", asked_unit("抖音流量分为几种")) and fits_unit("两种", asked_unit("How many types of traffic are there?"))
    assert fits_unit("23条", None) and fits_unit("10.8%", None)


def test_a_short_piece_asking_after_a_question_is_asked_with_it() -> None:
    """物流指数出来没？多少点: the three characters after the question ask its value; they are not dropped
    (the part naming nothing then goes with the one before it, Parts.split)."""
    from qa.answering.parts import split_questions

    assert split_questions("网博会在哪办？几号开") == ["网博会在哪办？", "几号开"]
    assert split_questions("9月的物流指数出了吗？多少点") == ["9月的物流指数出了吗？", "多少点"]
    assert split_questions("网博会在哪办？谢谢") == ["网博会在哪办？"], "a short piece asking nothing says nothing"


def test_parts_answered_from_quotes_already_given_add_their_value_not_the_quotes_again() -> None:
    from qa.answering.composer import merge_answers
    from qa.types import Answer, Citation

    def cite(n: int, start: int) -> Citation:
        return Citation(n=n, doc_id="d", title="t", date=None, chunk_id="c", quote="q", start=start, end=start + 5)

    first = Answer("出口增长了。[1]", None, False, [cite(1, 0)], confidence=0.5)
    again = Answer("出口增长了。[1]", "3%", False, [cite(1, 0)], confidence=0.7)
    other = Answer("进口下降了。[1]", "2%", False, [cite(1, 10)], confidence=0.6)
    merged = merge_answers([first, again, other])
    assert merged.answer == "出口增长了。[1]进口下降了。[2]"
    assert merged.short_answer == "3%；2%" and [c.n for c in merged.citations] == [1, 2]
    assert merged.confidence == 0.7


def test_a_specific_term_the_evidence_says_with_a_word_of_the_same_meaning_is_not_missing(settings, tokenizer) -> None:
    zone = Document(id="zone", title="园区货物通道", text=(
        "园区设置两类通道。劳保用品、办公用品等非监管货物经由绿色通道进出。监管货物经由报关通道进出。"))
    town = Document(id="town", title="乡镇商店", text="乡镇商店丰富日用品供应,方便居民购物。")
    pipe = _pipeline_over(settings, tokenizer, zone, town)
    a = pipe.answer("园区里的日用品走哪个通道进出？")
    assert not a.abstained and "绿色通道" in a.answer, (a.abstain_reason, a.answer)


def test_a_count_in_a_title_is_of_that_document_only(settings, tokenizer) -> None:
    doc = Document(id="plan", title="乡村集市振兴方案", text=(
        "依据《商务部等12部门关于推进乡村集市建设的通知》,结合各地实际,制定本方案。"
        "商务部等6部门联合印发了《乡村集市振兴方案》,自发布之日起施行。"))
    pipe = _pipeline_over(settings, tokenizer, doc)
    # 12部门 names the notice the plan follows, not those who issued the plan
    assert "6部门" in (pipe.answer("乡村集市振兴方案是几个部门制定的").short_answer or "")
    # asked of that notice, named by its words, it is its count
    assert "12部门" in (pipe.answer("推进乡村集市建设的那个通知是几个部门发的").short_answer or "")


def test_a_fact_sheet_line_the_asker_says_they_do_not_want_goes_after_the_others(settings, tokenizer) -> None:
    from qa.answering.denied import denied_words

    assert denied_words("加哪个QQ？（不是采购的那个）", tokenizer) == {"采购"}
    assert denied_words("不是来采购的 就是想看看招商", tokenizer) == {"采购"}, "what follows 就是 is asked"
    assert denied_words("采购咨询加哪个QQ", tokenizer) == set()
    sheet = Document(id="sheet", title="联系方式", text="招商咨询QQ：11223344\n采购咨询QQ：55667788\n")
    pipe = _pipeline_over(settings, tokenizer, sheet)
    assert pipe.answer("想订个摊位，加哪个QQ问？不是采购的那个").short_answer == "11223344"
    assert pipe.answer("想订个摊位，采购的事加哪个QQ问？").short_answer == "55667788"


def test_a_title_in_its_marks_names_the_one_of_the_noun_asked(settings, tokenizer) -> None:
    doc = Document(id="visit", title="会见", text=(
        "王海上午在市政府会见了来访的陈立,双方就扩大合作交换了意见。陈立表示愿意加强两地往来。"
        "访问期间,双方发表《关于深化两地经贸合作的联合声明》。"))
    pipe = _pipeline_over(settings, tokenizer, doc)
    assert "《关于深化两地经贸合作的联合声明》" in pipe.answer("陈立来访时王海和他发了个什么声明？").answer


def test_figures_said_respectively_are_of_each_compound_named_before() -> None:
    from qa.answering.spans import of_another_subject

    s = "总业务量指数和农村业务量指数小幅回落,分别保持20%和25%以上的高速增长。"
    assert not of_another_subject("农村业务量", "业务量", s, s.index("25%"))
    s = "总业务量指数小幅回落,保持20%以上的高速增长。"
    assert of_another_subject("农村业务量", "业务量", s, s.index("20%"))


def test_a_place_asked_within_is_told_by_a_place_in_it(settings, tokenizer) -> None:
    doc = Document(id="visit", title="部长会见代表团", text=(
        "2023年5月8日,部长在人民大会堂会见了来访的茶叶代表团。双方同意扩大茶叶贸易。"))
    pipe = _pipeline_over(settings, tokenizer, doc)
    # where in Beijing: the Great Hall of the People lies in it, though the text never says 北京
    a = pipe.answer("部长在北京哪里见的茶叶代表团")
    assert not a.abstained and "人民大会堂" in a.answer, (a.abstain_reason, a.answer)
    # a place with no place in it that the text names is still one the text never mentions
    a = pipe.answer("部长在上海哪里见的茶叶代表团")
    assert a.abstained, a.answer


def test_a_count_asked_of_a_document_is_read_from_its_title_when_no_candidate_gives_it() -> None:
    from qa.answering.sentences import Scored, Sentence
    from qa.answering.values import titled_count
    from qa.types import Hit

    title, body = "六部门:推进县域快递", "各省邮政管理部门要做好县域快递网点建设。"
    text = f"{title}\n{body}"
    chunk = Chunk(id="c", doc_id="d", title=title, date=None, ordinal=0, start=0, end=len(text), text=text)

    def sentence(s: str) -> Sentence:
        return Sentence(s, "d", text.index(s), text.index(s) + len(s), Hit(chunk=chunk, score=1.0))

    doc = lambda _d: iter([(sentence(title), frozenset(), title), (sentence(body), frozenset(), body)])
    kept = [Scored(sentence(body), 0.8, 0.5, False)]
    # 几个部门发的: the headline counts the bodies the text only lists, and comes first
    assert [x.sentence.text for x in titled_count(kept, asked_unit("通知是几个部门发的"), doc)] == [title, body]
    # a count in another unit, one no title gives, or a candidate giving one already: as they were
    assert titled_count(kept, asked_unit("通知有几个附件"), doc) == kept
    assert titled_count(kept, asked_unit("通知分了几条"), doc) == kept
    assert titled_count(kept, asked_unit("涨了多少个百分点"), doc) == kept
    given = [Scored(sentence(body), 0.8, 0.5, True)]
    assert titled_count(given, asked_unit("通知是几个部门发的"), doc) == given
    # a first sentence that is no title says nothing of the whole document
    other = lambda _d: iter([(sentence(body), frozenset(), body), (sentence(title), frozenset(), title)])
    assert titled_count(kept, asked_unit("通知是几个部门发的"), other) == kept


def test_a_list_question_is_answered_first_by_the_candidate_listing_several_of_the_asked_noun() -> None:
    from qa.answering.candidates import listing_first

    met = _scored("2024年3月2日,两国部长在杭州会面并交换了意见。", 0.9)
    listed = _scored("双方同意深化农业、旅游、教育等领域交流。", 0.6)
    one = _scored("农业领域的交流将首先展开。", 0.5)
    # items joined by 、 and then 等 with the noun they are: the list answers 哪些领域
    assert listing_first([met, one, listed], ["领域"])[0].sentence.text == listed.sentence.text
    # as does the noun said after each item (A渠道和B渠道)
    channels = _scored("货物分为线上渠道和线下渠道。", 0.4)
    assert listing_first([met, channels], ["渠道"])[0].sentence.text == channels.sentence.text
    # a noun said once, with no list before its 等, lists nothing
    assert listing_first([met, one], ["领域"])[0] is met
    assert listing_first([met, _scored("推动交通等领域发展。", 0.5)], ["领域"])[0] is met


def test_an_english_question_asks_its_nouns_in_the_glossarys_and_the_dictionarys_chinese(tokenizer) -> None:
    from qa.answering.composer import Composer

    nouns = Composer(tokenizer).words.english_asked_nouns
    assert "领域" in nouns("Which fields will the two ministries work together in?")
    assert nouns("Which rainfall sub-indices went down last week?")[0] == "指数", "the glossary's term first, in the plural"
    assert nouns("When does the fair open?") == [], "no noun asked for"


def test_an_english_request_for_a_list_stays_with_the_question_it_answers(tokenizer) -> None:
    from qa.answering.composer import Composer

    split = Composer(tokenizer).split_questions
    assert split("Which stations had more rain in June? List them all.") == ["Which stations had more rain in June? List them all."]
    assert question_types(split("Which stations had more rain in June? List them all.")[0])[0] is QType.LIST
    # what the asker says of themselves is still left out
    assert split("Which stations had more rain in June? We farm near Guilin.") == ["Which stations had more rain in June?"]


def test_an_english_question_asking_which_ones_of_a_plural_noun_asks_for_a_list() -> None:
    for question in ("Which fields did the two sides agree to deepen?", "Which rainfall sub-indices went down?",
                     "Which kinds of goods may pass the gate?", "Which categories does the plan support?"):
        assert question_types(question)[0] is QType.LIST, question
    # one thing asked, or a measure counted, or a word in -ss: no list
    for question in ("Which company runs the station?", "Which address should I write to?", "Which business unit pays?"):
        assert question_types(question)[0] is not QType.LIST, question
    assert question_types("Which days is the fair open?")[0] is QType.DATE


def test_a_part_named_with_the_whole_it_belongs_to_is_given_by_its_own_figure(tokenizer) -> None:
    from qa.answering.evidence import EvidenceBuilder
    from qa.answering.values import AskedValues

    values = AskedValues(tokenizer, EvidenceBuilder(tokenizer))
    text = "降水指数较上周提高2.1个点。"
    document = "6月份全国气象综合指数为98.2点。" + text
    at = text.index("2.1")
    # 降水指数 is a part of the 气象综合指数 the document names: 气象综合降水指数 asks it by its whole
    assert not values.lacks_qualifier(("气象综合降水指数", "指数"), text, at, document)
    # a word narrowing it that names no whole of the document does (山区: a part the text does not give)
    assert values.lacks_qualifier(("山区降水指数", "指数"), text, at, "山区降水偏少。" + document)
    # nor does a whole the document never names
    assert values.lacks_qualifier(("气象综合降水指数", "指数"), text, at, "气象综合评估。" + text)


def test_which_years_or_months_ask_for_a_date_of_that_part() -> None:
    from qa.answering.spans import asked_date_part

    assert question_types("这个五年规划管的是哪几年")[0] is QType.DATE
    assert question_types("汛期一般是哪几个月")[0] is QType.DATE
    assert asked_date_part("这个五年规划管的是哪几年") == "年" and asked_date_part("汛期是哪几个月") == "月"
    # which several of something else is a list still
    assert question_types("规划分哪几个阶段")[0] is QType.LIST


def test_a_span_of_years_is_one_date() -> None:
    from qa.answering.spans import DATE_RE

    assert [m.group(0) for m in DATE_RE.finditer("《城区绿化五年规划(2021-2025年)》印发")] == ["2021-2025年"]
    assert [m.group(0) for m in DATE_RE.finditer("2021年3月-6月完成")] == ["2021年3月-6月"]


def test_an_english_change_against_the_year_or_month_before_is_year_on_year_or_month_on_month(tokenizer) -> None:
    for asked in ("How much did rainfall rise over last year?", "Did sales fall compared to the same period of the prior year?",
                  "Is that higher than a year earlier?"):
        assert "同比" in tokenizer.translate(asked).split(), asked
    for asked in ("How much did rainfall rise over the previous month?", "Is that lower than a month before?"):
        assert "环比" in tokenizer.translate(asked).split(), asked
    # a year said for itself is no comparison; a month named compares with that month
    assert "同比" not in tokenizer.translate("Last year how many farms joined?").split()
    assert "比6月" in tokenizer.translate("What was it in July compared with June?").split()


@pytest.mark.slow
def test_an_english_follow_up_asking_the_change_on_the_year_before_gets_the_year_on_year_figure(real_pipeline: Pipeline) -> None:
    history = [{"role": "user", "content": "What was the value of China's imports and exports from January to July?"},
               {"role": "assistant", "content": "前7个月我国进出口总值为23.55万亿元."}]
    a = real_pipeline.answer("So up on last year then? What percent?", history=history)
    assert not a.abstained and a.short_answer == "0.4%"


def test_what_or_how_they_call_something_asks_its_name_and_calling_oneself_a_number() -> None:
    for asked in ("How they call this kind of shop, with the two words?", "What sort of channel does it call these apps?",
                  "how do people call the county plan's pilot towns"):
        assert question_types(asked)[0] is QType.WHAT, asked
    for asked in ("How can I call the organisers?", "What number should I call?", "how do we call them from abroad"):
        assert question_types(asked)[0] is QType.PHONE, asked


def test_goods_re_exported_are_the_glossarys_复出境(tokenizer) -> None:
    for asked in ("Can we re-export them?", "goods re-exported from the zone", "when re-exporting spare parts"):
        assert "复出境" in tokenizer.translate(asked).split(), asked
    assert "复出境" not in tokenizer.translate("What is the export growth?").split()


def test_an_english_question_asking_an_acronym_asks_for_letters_the_evidence_must_write() -> None:
    from qa.answering.latin import english_not_given

    assert english_not_given("What is the acronym of that system?", ["推动将仓库管理系统与海关联网。"])
    assert not english_not_given("What is the acronym of that system?", ["对接企业仓库管理系统(WMS)。"])
    assert not english_not_given("What does the system do?", ["推动将仓库管理系统与海关联网。"])


def test_items_said_to_be_the_asked_noun_with_为_are_a_list_of_it() -> None:
    from qa.answering.candidates import listing_first

    met = _scored("2024年3月2日,两国部长在杭州会面并交换了意见。", 0.9)
    listed = _scored("方案以节水、节能、减排为重点,推进园区改造。", 0.6)
    # items joined by 、 and then 为 with the noun they are: the list answers 以哪几个重点
    assert listing_first([met, listed], ["重点"])[0].sentence.text == listed.sentence.text
    # one item said to be it lists nothing
    assert listing_first([met, _scored("方案以节水为重点。", 0.6)], ["重点"])[0] is met


@pytest.mark.slow
@pytest.mark.parametrize(("question", "said"), [
    # re-exported goods are the measures' 复出境 (入境后复出境的货物…免予实施检验)
    ("Our firm keeps stock in a comprehensive bonded zone and re-exports it later. Will customs inspect those goods?", "免予实施检验"),
    # an acronym asked for: the evidence writing Latin letters (仓库管理系统(WMS))
    ("For bonded-zone warehouse firms, customs will connect to their inventory software. What is that software's acronym?", "WMS"),
])
def test_an_english_question_gets_the_evidence_saying_what_it_asks(real_pipeline: Pipeline, question: str, said: str) -> None:
    a = real_pipeline.answer(question)
    assert not a.abstained and said in a.answer
