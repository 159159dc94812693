"""Answers from the real model over the shipped corpus: spans, citations, abstention, follow-ups."""

from __future__ import annotations

import pytest

from eval.datasets import GOLD_PATH, load_jsonl
from qa.answering.composer import ABSTAIN_EN, ABSTAIN_ZH
from qa.answering.retriever import Filters
from qa.errors import BadRequestError
from qa.pipeline import Pipeline

pytestmark = pytest.mark.slow


def _cited(answer) -> set[str]:
    return {c.doc_id for c in answer.citations}


def test_ftz_measures_count(real_pipeline: Pipeline) -> None:
    a = real_pipeline.answer("综保区改革一共多少条措施？")
    assert not a.abstained
    assert a.short_answer == "23条"
    assert "customs-ftz-23-measures" in _cited(a)
    assert "[1]" in a.answer


def test_customer_service_phones(real_pipeline: Pipeline) -> None:
    a = real_pipeline.answer("展会的客服电话是多少")
    assert "0579-85891888" in a.short_answer and "010-67801814" in a.short_answer
    assert _cited(a) == {"expo-info"}


def test_tickets_2025_abstains(real_pipeline: Pipeline) -> None:
    a = real_pipeline.answer("2025年展会门票多少钱")
    assert a.abstained and a.answer == ABSTAIN_ZH and not a.citations
    assert 1 <= len(a.suggestions) <= 3


def test_august_index_is_not_answered_with_july(real_pipeline: Pipeline) -> None:
    a = real_pipeline.answer("8月份电商物流指数是多少？")
    assert a.abstained or "110.9" not in (a.short_answer or "")
    july = real_pipeline.answer("7月份电商物流指数是多少？")
    assert july.short_answer and "110.9" in july.short_answer


def test_venue_and_dates(real_pipeline: Pipeline) -> None:
    where = real_pipeline.answer("展会在哪开？")
    assert where.short_answer == "义乌国际博览中心" and "expo-info" in _cited(where)
    when = real_pipeline.answer("电商博览会什么时候举办？")
    assert when.short_answer == "2024年9月1日-3日"


def test_list_question_gathers_items_across_chunks(real_pipeline: Pipeline) -> None:
    a = real_pipeline.answer("县域商业三年行动分几个阶段？")
    for stage in ("部署启动阶段", "全面推广阶段", "总结评估阶段"):
        assert stage in a.answer
    chunks = {c.chunk_id for c in a.citations}
    assert len(chunks) >= 1 and len(a.citations) >= 3


def test_a_sentence_naming_the_things_asked_answers_before_the_outline_of_its_list(real_pipeline: Pipeline) -> None:
    """The measure's explanation names the facilities (食堂、充电桩、停车场等…设施): it is quoted first, not the
    heading "(十五)支持设立生产性配套服务设施" that covers the question as well and opens the outline."""
    from qa.answering.lists import enumerates

    asked = lambda said: "设施" in said
    assert enumerates("按需设立食堂、充电桩、停车场等必要的生产性配套服务设施。", asked)
    assert not enumerates("实现“管得住、放得开、通得快”。", asked), "what it names is not what is asked"
    assert not enumerates("一、服务构建新发展格局。二、促进贸易便利化设施。", asked), "list markers are no enumeration"
    a = real_pipeline.answer("新措施支持综保区建哪些生活类的设施")
    assert "食堂" in a.answer.split("[1]")[0], a.answer
    # the runner-up names them (基建物资、劳保用品…等非海关监管货物由非报关货物通道进出): quoted, not the outline
    a = real_pipeline.answer("卡口分类分级那条里，走不用报关那条通道的都是哪些物资？")
    assert "劳保用品" in a.answer and "二是" not in a.answer, a.answer


def test_a_document_that_is_its_headline_answers_any_question_about_it(real_pipeline: Pipeline) -> None:
    """The trade report says everything in its headline (…进出口总值为23.55万亿元,同比增长0.4%) over a source
    line: a question asking what it reports is answered by the headline, not refused or given 来源:海关发布."""
    for question in ("海关说今年前7个月的外贸形势怎么样", "What did customs report about trade in the first seven months?"):
        a = real_pipeline.answer(question)
        assert not a.abstained and "23.55万亿元" in a.answer, (question, a.answer)


def test_english_money_names_the_kind_of_answer_not_a_thing_asked(real_pipeline: Pipeline) -> None:
    """'How much money' asks an amount in 元, as 多少钱 does: no document needs to say "money"."""
    _gives(real_pipeline, "How much money did online retail sales of physical goods bring in during the first half of the year?", "6.1万亿元")


def test_a_count_that_names_another_noun_does_not_answer_how_many_of_the_asked(real_pipeline: Pipeline) -> None:
    """五方面 counts aspects of the reform, not bonded zones; it answers only where aspects are asked, and a
    body asked by another name (部委) is still counted in 部门."""
    for question in ("23条改革方案里提没提全国总共多少个综合保税区", "海关的改革实施方案讲没讲全国有多少个综合保税区"):
        assert real_pipeline.answer(question).abstained, question
    assert "五方面" in real_pipeline.answer("海关那个改革实施方案分几方面、一共多少条").answer
    _gives(real_pipeline, "县域商业三年行动计划由几个部委制定", "9部门")


def test_a_floor_or_house_number_is_answered_only_by_a_line_that_gives_one(real_pipeline: Pipeline) -> None:
    _gives(real_pipeline, "主办方办公的地方门牌号和楼层是多少", "6楼")
    a = real_pipeline.answer("网博会的展馆在哪个楼层")
    assert a.abstained and a.abstain_reason.code == "no_value_of_kind", a.answer


def test_two_part_question_cites_both_documents(real_pipeline: Pipeline) -> None:
    a = real_pipeline.answer("7月物流指数是多少？博览会又在哪里举办？")
    assert {"ecommerce-logistics-index-july", "expo-info"} <= _cited(a)
    assert [c.n for c in a.citations] == list(range(1, len(a.citations) + 1))


def test_clauses_asking_of_two_documents_are_answered_each(real_pipeline: Pipeline) -> None:
    a = real_pipeline.answer("中格两国总理见面是哪天 7月的电商物流指数又是哪天公布的")
    assert "7月31日" in a.answer and "8月7日" in a.answer
    assert {"china-georgia-fta", "ecommerce-logistics-index-july"} <= _cited(a)
    streamed = list(real_pipeline.answer_stream("中格两国总理见面是哪天 7月的电商物流指数又是哪天公布的"))
    assert streamed[-1].answer == a.answer


def test_clauses_are_split_by_the_documents_that_answer_them(real_pipeline: Pipeline) -> None:
    # both clauses retrieve the county-commerce notice first; the first is answered from the logistics
    # report, so each is answered on its own
    a = real_pipeline.answer("农村电商业务量7月增速是多少 另外到2025年快递进村的目标是什么")
    assert "25%" in a.answer and "村村通快递" in a.answer
    assert {"ecommerce-logistics-index-july", "rural-livestream-ecommerce"} <= _cited(a)


def test_a_part_refused_as_written_is_answered_clause_by_clause_of_two_documents(real_pipeline: Pipeline) -> None:
    question = "前7个月进出口总值同比涨了多少 综保区改革措施一共有多少条"
    part = real_pipeline._retrieve_part(real_pipeline.generator(None), question, [], None, None)
    assert real_pipeline._generate(real_pipeline.generator(None), part, []).abstained, "no one document says both"
    a = real_pipeline.answer(question)
    assert "0.4%" in a.answer and "23条" in a.answer
    assert {"customs-trade-jan-jul", "customs-ftz-23-measures"} <= _cited(a)
    assert list(real_pipeline.answer_stream(question))[-1].answer == a.answer
    # a clause the material cannot answer still refuses the whole (the road is given, its number is not)
    assert real_pipeline.answer("义乌国际博览中心在哪条路上 门牌号多少").abstained


def test_asked_whether_there_is_something_named_that_no_evidence_names_is_refused(real_pipeline: Pipeline) -> None:
    for question in ("展会有没有微信公众号", "Does the expo have a Telegram channel for buyers?"):
        a = real_pipeline.answer(question)
        assert a.abstained and a.abstain_reason.code == "asked_unknown", question
    # a name the evidence writes, as the question does or as its capitals (扣扣 → QQ)
    assert not real_pipeline.answer("网博会有没有QQ号").abstained
    assert not real_pipeline.answer("展会是否有电子邮箱").abstained, "电子邮箱 is a 邮箱, which the evidence gives"
    assert not real_pipeline.answer("Is there a QQ number for exhibitors?").abstained
    # a name after a preposition says where or whose the thing asked is, not what is asked whether there is
    assert not real_pipeline.answer("Is there a hotline number in Beijing for the expo?").abstained
    assert real_pipeline.answer("Is there a WeChat hotline in Beijing for the expo?").abstained
    # what 有没有… asks about ends in its head noun: one no document uses cannot be had (大巴); a phrase
    # ending otherwise (管商标专利那块的: the part that deals with them) names no head to check
    bus = real_pipeline.answer("展会期间有没有免费大巴")
    assert bus.abstained and bus.abstain_reason.code == "asked_unknown" and "大巴" in bus.abstain_reason.message
    assert "知识产权" in real_pipeline.answer("两国总理见完面签了啥文件 有没有管商标专利那块的").answer
    # a fact sheet's line answers what its label names, not whatever is asked of the sheet's subject
    live = real_pipeline.answer("展会有没有线上直播")
    assert live.abstained and live.abstain_reason.code == "beyond_record" and "直播" in live.abstain_reason.message
    assert "义乌市网博会展有限公司" in real_pipeline.answer("网博会的公司叫什么").answer, "a line names it"
    # a place the asker names of themselves (去不了义乌) is no word the line shares with the question
    online = real_pipeline.answer("网博会今年有没有云展会 俺腿脚不好去不了义乌 网上能逛不")
    assert online.abstained and online.abstain_reason.code == "beyond_record", online.answer
    assert not real_pipeline.answer("展会的基本信息").abstained, "基本 is said of 信息: nothing in particular"
    # nor whatever is asked of what it gives, named by the question: a word no document uses is beyond it
    meal = real_pipeline.answer("义乌国际博览中心吃饭贵不贵，有没有盒饭卖")
    assert meal.abstained and meal.abstain_reason.code == "beyond_record", meal.answer
    assert "义乌国际博览中心" in real_pipeline.answer("展会是在义乌国际博览中心举办的吗").answer, "a confirmation"
    # a question asking a kind of answer is answered by the line giving one, whatever its other words
    for question, line in (("展会在哪里举办？", "义乌国际博览中心"), ("网博会在哪个城市办", "义乌国际博览中心")):
        assert line in real_pipeline.answer(question).answer, question
    # a word for the kind of answer (热线) needs no document to use it: 客服热线 is known where 客服 is
    assert "0579-85891888" in real_pipeline.answer("客服热线是多少").answer


def test_english_question_answers_in_english_with_chinese_quote(real_pipeline: Pipeline) -> None:
    a = real_pipeline.answer("What is the expo's customer service phone number?")
    assert not a.abstained and "0579-85891888" in a.short_answer
    assert "quoted in Chinese" in a.answer
    miss = real_pipeline.answer("How much does a ticket to the expo cost?")
    assert miss.abstained and miss.answer == ABSTAIN_EN


def test_follow_up_uses_history(real_pipeline: Pipeline) -> None:
    history = [{"role": "user", "content": "电商博览会什么时候举办？"},
               {"role": "assistant", "content": "2024年9月1日-3日[1]"}]
    a = real_pipeline.answer("那它在哪里举办？", history=history)
    assert a.short_answer == "义乌国际博览中心"
    assert "博览会" in a.query
    standalone = real_pipeline.answer("抖音上新品牌怎么起量？", history=history)
    assert standalone.query == "抖音上新品牌怎么起量？"
    assert "douyin-new-brands" in _cited(standalone)


def test_filters_restrict_sources(real_pipeline: Pipeline) -> None:
    a = real_pipeline.answer("电商物流指数", filters=Filters(doc_ids=("expo-info",)))
    assert all(h.chunk.doc_id == "expo-info" for h in a.sources)
    dated = real_pipeline.search("海关", top_k=10, filters=Filters(date_from="2023-08-15", date_to="2023-08-31"))
    assert dated and all(h.chunk.date and h.chunk.date >= "2023-08-15" for h in dated)


def test_every_quote_is_verbatim_for_every_gold_question(real_pipeline: Pipeline) -> None:
    store = real_pipeline.store
    quoted = 0
    for item in load_jsonl(GOLD_PATH):
        a = real_pipeline.answer(item.question, history=item.history)
        for c in a.citations:
            assert store.document_text(c.doc_id)[c.start:c.end] == c.quote
            quoted += 1
    assert quoted > 50


def test_bad_questions_are_refused_clearly(real_pipeline: Pipeline) -> None:
    for bad in ("", "   ", "x" * 2001):
        with pytest.raises(BadRequestError):
            real_pipeline.answer(bad)


def _gives(pipe: Pipeline, question: str, value: str) -> None:
    a = pipe.answer(question)
    assert not a.abstained and value in a.short_answer, (question, a.answer)


def test_cantonese_questions_read_as_mandarin(real_pipeline: Pipeline) -> None:
    """喺边度 is 在哪里, 几时 什么时候, 几多 多少: a Cantonese question gets the answer its Mandarin form gets."""
    _gives(real_pipeline, "展会喺边度举办㗎？", "义乌国际博览中心")
    _gives(real_pipeline, "网博会几时开始㗎？", "2024年9月1日")
    _gives(real_pipeline, "综保区改革一共有几多条措施㗎？", "23条")


def test_what_already_is_is_not_answered_by_a_plan(real_pipeline: Pipeline) -> None:
    """The rural plan's 到2025年…打造500个左右的领跑县 is a target: how many there already are, it does not say."""
    done = real_pipeline.answer("全国已经建成多少个领跑县了？")
    assert done.abstained and done.abstain_reason.code == "planned_not_done"
    _gives(real_pipeline, "到2025年要打造多少个领跑县？", "500个")
    _gives(real_pipeline, "物流时效指数已经连着涨了几个月了？", "7个月")


def test_a_bare_asking_word_asks_of_the_fragment_before(real_pipeline: Pipeline) -> None:
    """Typed in fragments (7月 农村电商业务量指数 几点), 几点 asks the value of the index named just before it:
    the headline index's 110.9点 is another index's, and the rural one's level the article does not give."""
    from qa.answering.kinds import asking

    assert asking("7月 农村电商业务量指数 几点 要具体数", "") == "7月农村电商业务量指数几点"
    assert real_pipeline.answer("7月 农村电商业务量指数 几点 要具体数").abstained
    _gives(real_pipeline, "7月 电商物流指数 几点", "110.9点")


def test_a_later_part_naming_no_topic_carries_the_earlier_parts(real_pipeline: Pipeline) -> None:
    """…跟去年同期比是涨了还是跌了？幅度多大: the second question is asked of the first one's topic, as a
    follow-up is of the conversation's; and two parts answered from the same quote say it once."""
    a = real_pipeline.answer("老师让我们做一个外贸的研究性学习课题，想问下今年头七个月咱国家的进出口跟去年同期比是涨了还是跌了？幅度多大")
    assert not a.abstained and a.short_answer == "0.4%", a.answer
    assert len(a.citations) == 1, a.answer
    # in English as well: "Which measures apply there?" is asked of the zone the first part names, which no
    # document names, so neither part is answered
    a = real_pipeline.answer("Is the Qianhai bonded zone in Shenzhen one of the pilot zones for the customs measures? "
                             "Which measures apply there?")
    assert a.abstained, a.answer


def test_a_figure_of_the_whole_does_not_answer_for_a_part_its_document_tells_apart(real_pipeline: Pipeline) -> None:
    """The logistics article gives the country's online retail sales and speaks of rural e-commerce
    elsewhere: asked the rural figure, the national one is no answer; asked the national one, it is."""
    a = real_pipeline.answer("上半年农村实物商品网上零售额有多少")
    assert a.abstained, a.answer
    _gives(real_pipeline, "上半年实物商品网上零售额有多少", "6.1万亿元")


def test_who_holds_an_office_is_answered_only_by_evidence_naming_a_person(real_pipeline: Pipeline) -> None:
    """The Douyin article names no one at the platform: who its chairman is, it cannot say; the logistics
    article names the head of its centre, so who that is, it can."""
    a = real_pipeline.answer("Who is the chairman of Douyin's e-commerce arm?")
    assert a.abstained and a.abstain_reason.code == "holder_unnamed", a.answer
    assert "刘宇航" in real_pipeline.answer("中国物流信息中心的主任是谁").answer


def test_a_count_of_what_the_question_names_answers_it(real_pipeline: Pipeline) -> None:
    """…“领跑县”到2025年全国要打造多少个: the words before the asking (全国) are where, not what is counted;
    500个左右的县域商业“领跑县” counts what the question names, so it answers."""
    _gives(real_pipeline, "带头示范的“领跑县”到2025年全国要打造多少个？", "500个")
    # named in a clause before the one that asks, it is still what is counted
    _gives(real_pipeline, "县里都在传“领跑县”的事，到2025年全国总共打造多少个？", "500个")
    # but a count naming what it counts (多少个综合保税区) is not answered by a count of a thing named before (23条措施)
    assert real_pipeline.answer("看了综保区改革措施那篇，想知道全国总共有多少个综合保税区？").abstained


def test_the_name_of_an_offices_holder_is_asked_of_the_line_naming_them(real_pipeline: Pipeline) -> None:
    """…主任叫什么名字 asks who holds the office: the sentence naming a person right after it answers,
    though the question's account of the report covers other lines better; and a person is asked, not
    the title of a document in 《》."""
    assert "刘宇航" in real_pipeline.answer("那篇讲7月物流指数的报道，物流信息中心的主任叫什么名字？").answer
    a = real_pipeline.answer("格鲁吉亚总理叫什么名字？")
    assert "加里巴什维利" in a.answer and not (a.short_answer or "").startswith("《"), a.answer


def test_the_word_for_the_kind_asked_is_no_term_the_documents_must_use(real_pipeline: Pipeline) -> None:
    """文号 (a document number) is what is asked; that no document says 文件文号 refuses nothing."""
    _gives(real_pipeline, "融资租赁的飞机在区外保税维修，依据的国务院文件文号是啥？", "国发〔2019〕3号")


def test_a_statement_before_the_question_does_not_take_its_evidence(real_pipeline: Pipeline) -> None:
    """A long statement first (…联合制定的《县域商业三年行动计划》设定了量化目标。) draws the evidence to the
    sentence that restates it, which gives no count: the asking sentence is tried as a follow-up to it."""
    from qa.answering.parts import stated_then_asked

    question = ("在乡村振兴政策研究框架下,商务部等9部门联合制定的《县域商业三年行动计划(2023-2025年)》设定了量化目标。"
                "请问到2025年计划在全国打造多少个县域商业“领跑县”?")
    assert stated_then_asked(question)[1].startswith("请问到2025年")
    assert stated_then_asked("展会在哪？几号开？") is None and stated_then_asked("想讲清楚几个平台的区别。") is None
    # or in clauses of what the asker does, before the clause that asks
    assert stated_then_asked("我平时跑县城送货，农村电商那块的业务量增速多少") == ("我平时跑县城送货", "农村电商那块的业务量增速多少")
    assert stated_then_asked("格鲁吉亚总理来访，那届大运会在哪办的") is None  # a topic, not the asker
    # what the asker means to do draws the evidence to another document, none of it about the month asked
    _gives(real_pipeline, "我想把米粉卖到县城乡镇去 7月份农村那边电商单量增速多少", "25%")
    _gives(real_pipeline, question, "500个")
    # a statement naming a period the material does not cover still refuses: that is no unfocused evidence
    assert real_pipeline.answer("商务部等9部门制定了一个行动计划。请问到2030年要打造多少个领跑县?").abstained


def test_an_english_question_about_another_month_is_not_answered_with_july(real_pipeline: Pipeline) -> None:
    """The month an English question names is a constraint wherever the glossary's terms put it among the
    others (多少 8月 指数): the July figure answers July, not August."""
    a = real_pipeline.answer("How many points did the e-commerce logistics index reach in August 2023?")
    assert a.abstained, a.answer
    assert real_pipeline.answer("How much was China's e-commerce logistics index in August?").abstained
    _gives(real_pipeline, "How many points did the e-commerce logistics index reach in July?", "110.9点")


def test_the_source_a_question_goes_by_is_named_not_asked(real_pipeline: Pipeline) -> None:
    """据…印发之《…》, 《…》里说: a clause naming the source draws retrieval to the source's opening lines;
    the asking clause is tried as a follow-up to it. The years in a document's title name the document,
    not the period asked."""
    from qa.answering.parts import stated_then_asked

    assert stated_then_asked("根据商务部那份通知，领跑县一共几批？") == ("根据商务部那份通知", "领跑县一共几批？")
    assert stated_then_asked("《某某计划》里说，到哪年完成？") == ("《某某计划》里说", "到哪年完成？")
    assert stated_then_asked("据说展会在哪开？") is None  # the source clause must not ask itself
    _gives(real_pipeline, "根据商务部等9部门印发的《县域商业三年行动计划(2023-2025年)》，到2025年全国打造多少个领跑县？", "500个")
    _gives(real_pipeline, "《县域商业三年行动计划(2023-2025年)》当中，到2025年全国要建成多少个领跑县？", "500个")
    _gives(real_pipeline, "《县域商业三年行动计划(2023-2025年)》要求到2025年多大比例的县达到基本型？", "90%")


def test_an_english_question_for_the_date_on_a_notice_gets_its_signature_date(real_pipeline: Pipeline) -> None:
    """The date on a notice is the one after its issuers' names (…供销合作总社办公厅2023年7月27日), not a
    date of the plan's stages the notice sets out."""
    _gives(real_pipeline, "Which date was the county commerce three-year plan notice signed on?", "2023年7月27日")


def test_the_number_a_registration_is_known_by_answers_what_it_is(real_pipeline: Pipeline) -> None:
    """备案号 … 是多少 asks the number the 号 names, whatever words stand between (icp那个): 浙ICP备15030753号 is
    no house number to pass over."""
    from qa.answering.spans import asked_unit

    assert asked_unit("那个备案号icp那个是多少啊") == "号" == asked_unit("备案号是多少")
    _gives(real_pipeline, "帮我看下官网下面那个备案号 icp那个 是多少", "15030753")


def test_english_words_in_a_chinese_question_are_read_as_the_corpus_words(real_pipeline: Pipeline) -> None:
    """A Chinese question that mixes in English words (fax, booth, Georgia) asks in the corpus's words
    (传真, 展位, 格鲁吉亚): they name nothing the documents lack, and the answer is given."""
    from qa.answering.typed import english_words

    question = "想把booth的资料fax给主办方 号码是多少"
    retrieval = real_pipeline.retriever.retrieve(question, 8)
    assert dict(english_words(real_pipeline.tokenizer, question, retrieval)) == {"booth": "展位", "fax": "传真"}
    _gives(real_pipeline, "想把booth的资料fax给主办方 号码是多少", "0579-85297855")
    a = real_pipeline.answer("做cross-border生意的，想开Georgia那边的market，李强会见时说要加强哪些领域合作")
    assert not a.abstained and "基础设施建设" in a.answer.split("[1]")[0], a.answer  # the fields, quoted first
    assert english_words(real_pipeline.tokenizer, "展会咨询QQ是多少", retrieval) == []


def test_words_typed_in_pinyin_in_a_chinese_question_are_read_as_the_corpus_writes_them(real_pipeline: Pipeline) -> None:
    """A Chinese question typing words it cannot write in pinyin (chuanzhen, zhan hui) asks in the
    corpus's words: the names the recogniser would make of them are no names the documents lack."""
    from qa.answering.typed import pinyin_words

    text = "展会咨询QQ：604026680 参观咨询QQ：2422768246 传真：0579-85297855"
    lexical = real_pipeline.snapshot().lexical
    assert pinyin_words("wo men qu zhan hui, chuanzhen 号码", text, lexical) == [("zhan hui", "展会"), ("chuanzhen", "传真")]
    assert pinyin_words("yyds 传真", text, lexical) == []  # nothing spells it
    assert pinyin_words("QQ 多少", text, lexical) == []  # a word the documents use as it is
    # a word the retrieved text lacks: the dictionary's word of that reading that the documents use
    assert pinyin_words("想问 baozhengjin", "", lexical) == ([("baozhengjin", "保证金")] if lexical.knows("保证金") else [])
    assert pinyin_words("zhibo 带货", "", lexical) == [("zhibo", "直播")]  # not 纸箔, which they never use
    _gives(real_pipeline, "我们公司想把资料发过去 zhanhui 的 chuanzhen 号码是多少", "0579-85297855")


def test_a_coined_word_is_placed_by_the_documents_word_sharing_its_character(real_pipeline: Pipeline) -> None:
    """爆款 is used neither by the documents nor by general text; the article's 爆品 shares its 爆 in the same
    place, so the length of time beside 爆品 is what the question asks."""
    _gives(real_pipeline, "爆款的热度大概维持多久", "半年左右")


def test_only_a_coined_word_is_placed_by_a_shared_character(tokenizer) -> None:
    """A word general text uses (截至) or a piece of a wrong cut (货该) is no coinage: 截图 and 带货 mark nothing."""
    from qa.answering.meanings import coined_kin

    def morphemes(words, sentence, knows):
        return coined_kin(words, sentence, knows, tokenizer.general_frequency)

    knows = {"截图", "带货", "爆品", "一款"}.__contains__
    assert morphemes(["截至", "货该"], "截图显示带货构建以内容为中心", knows) == []
    assert morphemes(["爆款"], "打造一款“爆品”", knows) == ["爆品", "一款"]
