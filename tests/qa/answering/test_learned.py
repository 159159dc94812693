"""The learned answer scorer: its model, its shipped weights, and answers it gives over the shipped corpus."""

from __future__ import annotations

import json

import numpy as np
import pytest

from qa.answering.entities import Entity, char_bigrams, mentioned
from qa.answering.features import FEATURES
from qa.answering.scorer import ANSWERABILITY_FEATURES, WEIGHTS_PATH, ScorerWeights, fit_logistic
from qa.pipeline import Pipeline


def test_logistic_fit_is_deterministic_and_separates() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 3))
    y = (x[:, 0] - 0.5 * x[:, 2] > 0).astype(float)
    a = fit_logistic(x, y, ("a", "b", "c"))
    b = fit_logistic(x, y, ("a", "b", "c"))
    assert np.array_equal(a.weights, b.weights) and a.bias == b.bias
    assert a.weights[0] > 0 > a.weights[2] and abs(a.weights[1]) < a.weights[0]
    assert ((a.proba(x) > 0.5) == (y == 1)).mean() > 0.95


def test_shipped_weights_match_the_features_and_record_their_training() -> None:
    w = ScorerWeights.load()
    assert w.sentence.names == FEATURES and w.answerable.names == ANSWERABILITY_FEATURES
    assert 0.0 <= w.threshold < 1.0
    assert w.meta["command"].startswith("python -m eval.train_scorer")
    assert "cmrc2018" in w.meta["sentence_data"] and "visitor_test" not in str(w.meta)


def test_specific_terms_are_judged_by_general_text_not_by_the_domain_files(tmp_path) -> None:
    from pathlib import Path

    from index.tokenizer import Tokenizer
    from qa.answering.learned import SPECIFIC_FREQUENCY

    corpus = Path(__file__).resolve().parents[3] / "corpus"
    tok = Tokenizer(corpus / "lexicon.txt", corpus / "synonyms.tsv", cache_dir=tmp_path)
    # the domain lexicon gives 综合保税区 a count of its own; general text still hardly uses it
    assert tok.general_frequency("综合保税区") == 0.0 == tok.general_frequency("综保区")
    assert tok.general_frequency("袋鼠") <= SPECIFIC_FREQUENCY < tok.general_frequency("联系") < tok.general_frequency("公司")
    assert tok.general_frequency("公司") == Tokenizer(cache_dir=tmp_path).general_frequency("公司")


def test_words_that_name_nothing_are_not_specific_terms(tokenizer) -> None:
    from qa.answering.learned import LearnedComposer

    composer = LearnedComposer(tokenizer)

    def specific(question: str) -> list[str]:
        return [forms[0] for forms, _ in composer.specific_terms(question, composer.question_concepts(question))]

    # a place particle after a noun (剧中), a verb ending in 于 (就读于), the noun asked for (原产地):
    # rare in general text, but none names what the evidence must be about
    for question in ("在剧中，反攻基地是哪个地方？", "他就读于哪些学校？", "这种树的原产地在哪里？"):
        assert specific(question) == [], question
    assert specific("综合保税区的免税品能退运吗？") == ["综合保税区", "免税品"]
    # a word said with the spoken 儿 is the asker's way of saying what they name
    assert "玩意儿" not in specific("村播学院这玩意儿是依托啥建的")
    # nor one the thesaurus files with a word for any thing (玩意 with 东西): it asks what the thing is
    assert "玩意" not in specific("号店一体是个啥玩意")

    # a piece of a longer word beside it (a topic carried in the search cut: 办公 公室 办公室) names nothing
    assert "公室" not in specific("主办 公司 办公 公室 办公室 那客服电话多少")
    # what the asker owns (我们厂网店) is the asker, whom no document names; the same word of another's is a term
    assert "网店" not in specific("综保区政策能给我们厂网店带来啥好处")
    assert "网店" in specific("综保区政策能给县里网店带来啥好处")


def test_entity_mentions_tolerate_boundaries_and_long_name_abbreviations() -> None:
    text = "国务院总理李强在人民大会堂会见了客人。义乌市网博会展有限公司"
    grams = char_bigrams(text)
    assert mentioned(Entity("李强见", "PER"), text, grams)  # the recogniser glued the verb to the name
    assert not mentioned(Entity("成都", "LOC"), text, grams)
    assert not mentioned(Entity("习近平", "PER"), text, grams)
    assert mentioned(Entity("网博会展公司", "ORG"), text, grams)
    # a given name alone names someone else: 严长寿 is not 长寿王
    other = "475年9月，长寿王趁机率领三万大军讨伐百济。"
    assert not mentioned(Entity("严长寿", "PER"), other, char_bigrams(other))
    # a region of a place is named by the place's name
    taiwan = "台湾方面，目前由爱贝克思代理。"
    assert mentioned(Entity("台湾地区", "LOC"), taiwan, char_bigrams(taiwan))
    assert not mentioned(Entity("华北地区", "LOC"), taiwan, char_bigrams(taiwan))
    # a surname and a title: 李总理 is the premier the text names 总理李强, not another 总理
    assert mentioned(Entity("李总理", "PER"), "国务院总理李强在人民大会堂会见", set())
    assert not mentioned(Entity("王总理", "PER"), "国务院总理李强在人民大会堂会见", set())
    # a name typed with a character of the same sound is found; a word of the language is no such typo
    duty = "综合保税区管委会需落实好主体责任,履行安全生产义务。总理李强会见客人。"
    assert mentioned(Entity("李墙", "PER"), duty, char_bigrams(duty))
    assert not mentioned(Entity("义乌", "LOC"), duty, char_bigrams(duty))  # 义务 (duty) is no 义乌 typed otherwise
    # an abbreviation of an organisation the text names: its first character, the rest in order
    union = "8月7日,中国物流与采购联合会今天公布了7月份中国电商物流指数。"
    assert mentioned(Entity("中物联", "ORG"), union, char_bigrams(union))
    assert not mentioned(Entity("物联会", "ORG"), union, char_bigrams(union))  # not its first character
    assert not mentioned(Entity("中铁联", "ORG"), union, char_bigrams(union))  # a character it lacks


def test_proper_names_constrain_only_when_the_corpus_uses_them(tmp_path) -> None:
    from pathlib import Path

    from index.tokenizer import Tokenizer
    from qa.answering.learned import LearnedComposer

    class Vocabulary:
        def __init__(self, words: set[str]) -> None:
            self.words = words

        def knows(self, token: str) -> bool:
            return token in self.words

    corpus = Path(__file__).resolve().parents[3] / "corpus"
    tok = Tokenizer(corpus / "lexicon.txt", corpus / "synonyms.tsv", cache_dir=tmp_path)
    composer = LearnedComposer(tok)
    documents = Vocabulary(set(tok.tokens("IBM于2007年推出POWER6处理器。小红书和B站是兴趣社区。参观咨询QQ：2422768246")))
    names = (Entity("POWER6处理器", "nz"), Entity("扣扣号", "nz"), Entity("小红书", "nz"))
    known = composer._known_names(names, documents, set())
    # the visitor's own word for QQ is no constraint; a name counts in any letter case, and by its words
    assert [forms for forms, _parts in known] == [("power6处理器",), ("小红书",)]
    assert "power6" in known[0][1] and "处理器" in known[0][1]
    # a title in book-title marks is a name, whatever the recogniser makes of it
    assert Entity("捉鬼男", "nw") in composer.entities.names("《捉鬼男》是哪个国家的电视剧？")
    # a span of function words and numerals is the recogniser's slip, not a name
    assert composer.entities.entities("综保区说从一扇门改成两扇门 到底啥意思啊") == ()
    # nor is one with a letter where the asker cannot recall a character: the name is what they ask for
    assert composer.entities.entities("文件里提到的“镇X学院”是什么") == ()
    # an interjection the recogniser joins to the name after it is no part of the name
    tagged = composer.entities.entities("诶抖音说的那个FACT到底是指哪几块啊？") + composer.entities.names("诶抖音说的那个FACT到底是指哪几块啊？")
    assert tagged and not any(e.text.startswith("诶") for e in tagged)
    # nor a sentence-final particle it joins to the name before it
    tagged = composer.entities.names("展会有没有官方的咨询QQ呀")
    assert tagged and not any(e.text.endswith("呀") for e in tagged), tagged


@pytest.fixture(scope="module")
def learned(real_pipeline: Pipeline) -> Pipeline:
    settings = real_pipeline.settings.replace(answer_scorer="learned")
    return Pipeline(settings, embedder=real_pipeline.embedder, tokenizer=real_pipeline.tokenizer)


@pytest.mark.slow
def test_a_place_the_documents_never_name_is_refused_with_its_reason(learned: Pipeline) -> None:
    a = learned.answer("成都场的展会几号开始?")
    assert a.abstained and a.abstain_reason.code == "entity_missing" and "成都" in a.abstain_reason.message
    assert a.to_dict()["abstain_reason"]["code"] == "entity_missing"


@pytest.mark.slow
def test_a_period_the_documents_do_not_cover_is_refused(learned: Pipeline) -> None:
    a = learned.answer("2019年8月份电商物流指数是多少")
    assert a.abstained and a.abstain_reason.code == "period_mismatch"


@pytest.mark.slow
def test_a_period_the_asker_tells_of_themselves_is_not_asked(learned: Pipeline) -> None:
    # 去年 dates the asker's own story, in a clause that asks nothing; the question is about now
    a = learned.answer("我们小品牌去年在抖音上做出过一个爆款 现在为啥都说不能光指望爆品 还得另找路子")
    assert not a.abstained and "兴趣周期" in a.answer
    # asked in the clause that asks, it still constrains
    b = learned.answer("2019年8月份电商物流指数是多少 我们想对比下")
    assert b.abstained and b.abstain_reason.code == "period_mismatch"


@pytest.mark.slow
def test_a_topic_covered_only_for_another_period_is_refused(learned: Pipeline) -> None:
    # the trade figures are for the first seven months; July alone has only the logistics index
    a = learned.answer("7月份进出口总值是多少")
    assert a.abstained and a.abstain_reason.code == "period_displaced" and "进出口" in a.abstain_reason.message
    b = learned.answer("7月份电商物流指数是多少")
    assert not b.abstained and "110.9" in b.answer
    c = learned.answer("前7个月进出口总值是多少")
    assert not c.abstained and "23.55万亿元" in c.answer


@pytest.mark.slow
def test_a_fact_sheet_is_about_the_period_its_lines_give(learned: Pipeline) -> None:
    # 展会时间 dates the whole sheet, 展会地点 included; another year is not the sheet's, and a document
    # that only mentions a 云展会 is not about the expo
    a = learned.answer("2024年的网博会在哪里举办")
    assert not a.abstained and "义乌国际博览中心" in a.answer
    b = learned.answer("2026年的网博会在哪里举办")
    assert b.abstained and b.abstain_reason.code in ("period_displaced", "period_mismatch"), b.answer


@pytest.mark.slow
def test_colloquial_questions_get_the_sentence_that_answers(learned: Pipeline) -> None:
    a = learned.answer("格鲁吉亚总理这趟来中国,是来参加哪场体育赛事开幕式的?")
    assert not a.abstained and "世界大学生夏季运动会" in a.answer
    assert {c.doc_id for c in a.citations} == {"china-georgia-fta"}
    b = learned.answer("电商物流人员指数冲上110点,是自哪个月以来的头一回?")
    assert not b.abstained and "2019年1月" in b.answer
    assert b.confidence is not None and 0.0 <= b.confidence <= 1.0


@pytest.mark.slow
def test_a_figure_only_the_headline_gives_is_found_and_a_period_is_not_a_figure(learned: Pipeline) -> None:
    # the customs article states its figures in its title alone
    a = learned.answer("海关说前七个月进出口规模有多大")
    assert not a.abstained and a.short_answer == "23.55万亿元"
    # an explanation is never the bare headline
    b = learned.answer("抖音上新品牌怎么起量？")
    assert b.citations and all(c.quote.strip() != c.title.strip() for c in b.citations)


@pytest.mark.slow
def test_a_factoid_about_something_no_document_names_is_refused(learned: Pipeline) -> None:
    a = learned.answer("义乌市市长是谁？")
    assert a.abstained and a.abstain_reason.code == "asked_unknown" and "市长" in a.abstain_reason.message
    # a descriptive question in the asker's own words is still answered
    b = learned.answer("抖音上新牌子咋起量")
    assert not b.abstained
    # in English, what the glossary reads the asked words as
    c = learned.answer("How many exhibitors came to the expo last year?")
    assert c.abstained and c.abstain_reason.code == "asked_unknown" and "exhibitors" in c.abstain_reason.message_en
    assert not learned.answer("How many reform measures for bonded zones did customs announce?").abstained
    # a head noun the glossary does not know, whose dictionary words no document uses
    d = learned.answer("Is there a free shuttle bus to the expo venue?")
    assert d.abstained and d.abstain_reason.code == "asked_unknown" and "shuttle bus" in d.abstain_reason.message_en
    assert not learned.answer("Is there a phone number for the expo?").abstained
    # the head of the asked phrase decides: the glossary knowing "visitor" says nothing of the ticket
    e = learned.answer("How much does a visitor ticket to the expo cost?")
    assert e.abstained and e.abstain_reason.code == "asked_unknown" and "ticket" in e.abstain_reason.message_en
    # ...and a head the glossary reads within a phrase it knows whole (online retail sales → 网上零售额)
    g = learned.answer("How much did online retail sales grow compared with last year in the first half?")
    assert not g.abstained and "10.8%" in g.short_answer, "compared with last year asks a change"
    # a word for the kind of value asked (how much percent) is no noun the documents must use
    h = learned.answer("China import and export in first seven months, how much percent it grow?")
    assert not h.abstained and h.short_answer == "0.4%"
    # a whether-there-is question asks for the thing, whatever kind of answer it takes
    f = learned.answer("Is there free shuttle bus from the railway station to the expo center?")
    assert f.abstained and f.abstain_reason.code == "asked_unknown"
    # and so does a what-is-the question, however it is read: the Douyin article has no slogan
    s = learned.answer("What's the slogan of Douyin e-commerce?")
    assert s.abstained and s.abstain_reason.code == "asked_unknown" and "slogan" in s.abstain_reason.message_en
    assert not learned.answer("What are the measures for bonded zones?").abstained
    # ... after whatever the asker opens with (an address, a time): the question still asks for the thing
    t = learned.answer("Madam, what is the slogan of Douyin e-commerce, can you say?")
    assert t.abstained and t.abstain_reason.code == "asked_unknown" and "slogan" in t.abstain_reason.message_en
    assert not learned.answer("Sir, what are the measures for bonded zones?").abstained


@pytest.mark.slow
def test_a_fact_sheet_line_labelled_with_what_an_english_question_asks_answers_it(learned: Pipeline) -> None:
    # the sheet's lines share its subject (the expo); the label says which line gives the company
    a = learned.answer("What is the name of company which organize this expo?")
    assert not a.abstained and "义乌市网博会展有限公司" in a.answer
    b = learned.answer("Who provides technical support for the expo website?")
    assert not b.abstained and "创源网络" in b.answer
    # a line of the kind asked is no label asked with: the meeting's date, not the expo's
    c = learned.answer("On what date did Premier Li Qiang receive the Georgian prime minister?")
    assert "2024年9月1日" not in c.answer
    # in Chinese too, for a question asking what or who: the name of the company that runs it (运营公司) is
    # on the line labelled 公司, not the one labelled 名称 that the model ranks first for 全称
    d = learned.answer("中国国际电子商务博览会网站列的运营公司全称是啥")
    assert not d.abstained and "义乌市网博会展有限公司" in d.answer, d.answer


@pytest.mark.slow
def test_contact_lines_the_evidence_cannot_tell_apart_are_given_both(learned: Pipeline) -> None:
    # 扣扣 is the dictionary's slang for QQ; which of the two QQ lines a visitor means, the evidence
    # cannot say, so both come with their labels
    a = learned.answer("逛展的 扣扣号多少")
    assert not a.abstained and "2422768246" in a.answer and "604026680" in a.answer
    # a kind-of-answer word after a known one (传真+号码) is no unknown word
    assert learned.answer("传真号码多少").short_answer == "0579-85297855"
    # one line of its kind is given alone
    b = learned.answer("客服电话是多少")
    assert len(b.citations) == 1 and "传真" not in b.answer
    # a question asking for every one of the kind gets each, however much better one line scores
    c = learned.answer("展会有几个QQ号，都是多少？")
    assert "2422768246" in c.answer and "604026680" in c.answer, c.answer
    assert "604026680" not in learned.answer("参观咨询QQ是多少").answer
    # as does an English question asking for them in the plural
    d = learned.answer("For the expo, what are your QQ numbers?")
    assert "2422768246" in d.answer and "604026680" in d.answer, d.answer


@pytest.mark.slow
def test_two_values_asked_together_are_quoted_together(learned: Pipeline) -> None:
    # the amount and the share are two pieces of one long sentence: both are quoted; what the asker
    # wants the answer for (写文案要用) names nothing the evidence must have
    a = learned.answer("上半年网上卖实物的零售额有多少 占社零比重多少 写文案要用")
    assert not a.abstained and "6.1万亿元" in a.answer and "26.6%" in a.answer


def test_the_phrase_an_english_question_asks_for() -> None:
    from qa.answering.english_asked import english_asked

    assert english_asked("Which courier company had the best score?") == "courier company"
    assert english_asked("What\u2019s the deadline to register as an exhibitor?") == "deadline"
    assert english_asked("Who is the contact person at MOFCOM?") == "contact person"
    # an adverb made with -ly ends the phrase; a noun ending in -ly does not
    assert english_asked("Is there a QQ contact specifically for exhibitors?") == "QQ contact"
    assert english_asked("Is there a stable supply of samples?") == "stable supply"
    assert english_asked("Which organisation released the index?") == "organisation"
    # a word an article follows is a verb: the phrase ends before it
    assert english_asked("Which company provides the technical support?") == "company"
    assert english_asked("How many departments took part?") == "departments"
    # a comparative after how much / how many asks by how much something changed, and names no thing; a
    # comparison's vs or compare ends the phrase
    assert english_asked("How much lower was the index than in June?") is None
    assert english_asked("How many more counties by 2025?") is None
    assert english_asked("how much percent vs last month?") == "percent"
    # a measure counted ends it too (how many days maximum: the days are counted)
    assert english_asked("the visa, how many days maximum?") == "days"
    assert english_asked("Who provides technical support?") is None  # "who" with a verb names no noun
    assert english_asked("When does it open?") is None
    # "does … have" opening a question asks whether there is the thing; inside a clause it asks nothing
    assert english_asked("Does the fair have a prayer room near the halls?") == "prayer room"
    assert english_asked("Why do shops that have followers sell more?") is None


def test_words_the_recogniser_takes_for_names_that_are_none() -> None:
    from index.tokenizer import Tokenizer
    from qa.answering.entities import Entity
    from qa.answering.slips import latin_word, no_given_name, no_letters

    # an English word in lower case in a Chinese question is a word, unless the dictionary's words are names
    assert latin_word(Entity("total", "ORG", False)) and latin_word(Entity("trend", "ORG", False))
    assert not latin_word(Entity("beijing", "LOC", False)) and not latin_word(Entity("china", "LOC", False))
    assert not latin_word(Entity("WhatsApp", "ORG", False))
    # a word of another language written so (terima kasih), not the pinyin of a name (hangzhou: 杭州)
    assert latin_word(Entity("kasih", "PER", False)) and not latin_word(Entity("hangzhou", "LOC", False))
    # a dialect's pronoun and the copula after it (阮是: I am), not a surname and a given name (王毅)
    tok = Tokenizer()
    assert no_given_name(Entity("阮是", "PER", False), tok.tagged_words("阮是做鞋的"), tok.general_frequency)
    assert not no_given_name(Entity("王毅", "PER", False), tok.tagged_words("王毅也在场吗"), tok.general_frequency)
    # of any length, one read across a conjunction or a place word: no given name begins with one
    for name, text in (("阮村里", "阮村里的后生想学直播"), ("阮若", "阮若去参展要带啥")):
        assert no_given_name(Entity(name, "PER", False), tok.tagged_words(text), tok.general_frequency), name
    for name, text in (("张三", "张三说了什么"), ("王一博", "王一博去了吗"), ("锦地罗", "锦地罗又叫什么")):
        assert not no_given_name(Entity(name, "PER", False), tok.tagged_words(text), tok.general_frequency), name
    # one the segmenter begins with a modal particle (么斯: a dialect's 什么, 么 + 斯): no surname is one
    for name, text in (("么斯", "这个指数讲的是么斯"), ("么斯东西", "村播学院是么斯东西")):
        assert no_given_name(Entity(name, "PER", False), tok.tagged_words(text), tok.general_frequency), name
    # pictures typed into a message (🚚🚚🚚) are no name, whatever the recogniser tags them; letters and digits may be
    assert no_letters(Entity("🚚🚚🚚", "PER", False)) and no_letters(Entity("★★", "ORG", False))
    assert not no_letters(Entity("3M", "ORG", False)) and not no_letters(Entity("王毅", "PER", False))
    # a person called by a kinship word (阮阿妹: my younger sister; 刘阿姨: Auntie Liu) is someone the asker knows
    from qa.answering.slips import kin_called

    assert kin_called(Entity("阮阿妹", "PER", False)) and kin_called(Entity("刘阿姨", "PER", False))
    assert not kin_called(Entity("王毅", "PER", False)) and not kin_called(Entity("李强", "PER", False))
    # one right after 我 (我小舅子: my brother-in-law; 我弗晓得: I don't know) is a word of the asker's speech; a
    # name said otherwise, even beside the pronoun elsewhere, or a place after 我们 (the asker's county) is not
    from qa.answering.slips import after_i

    assert after_i(Entity("小舅子", "PER", False), "我小舅子跟我讲了半天还是不懂")
    assert after_i(Entity("弗晓得", "PER", False), "展位怎么订我弗晓得")
    assert not after_i(Entity("王毅", "PER", False), "我想知道王毅去了没有")
    assert not after_i(Entity("王毅", "PER", False), "我王毅不清楚，王毅去了没有")
    assert not after_i(Entity("庆元", "PER", False), "我们庆元算不算领跑县")
    assert not after_i(Entity("义乌", "LOC", False), "我义乌的朋友问展会在哪")


@pytest.mark.slow
def test_pictures_in_a_question_are_no_name_it_asks_about(learned: Pipeline) -> None:
    a = learned.answer("一票货要好几辆车拉🚚🚚🚚 以前得一起进出，现在呢")
    assert not a.abstained, a.abstain_reason
    assert "一票多车" in a.answer


def test_figures_a_question_states_are_constraints_but_periods_are_not() -> None:
    from qa.answering.entities import stated_figures

    assert [e.text for e in stated_figures("有没有800开头的热线？指数冲上110点了吗")] == ["800", "110点"]
    assert stated_figures("2023年7月的指数是多少") == () == stated_figures("前7个月外贸")
    assert stated_figures("帮我查个数：21年2至6月卖了多少") == ()  # a year, for the period check to judge
    # a figure half remembered (进出口23点几万亿, 指数110点多) asks its exact value, constraining nothing
    assert stated_figures("前7个月进出口是23点几万亿还是多少") == () and stated_figures("指数110点多 具体多少") == ()
    # years from one to another, the second in two digits (2023—25) or four: a period, no figure
    assert stated_figures("三年行动计划(2023—25)几时印发的") == () == stated_figures("2023-2025这三年要建多少个")
    assert [e.text for e in stated_figures("2023-25里头有25个县吗")] == ["25个"]
    # a year said with two digits is a date too (到25年), and what the asker says of themselves names
    # nothing the evidence must (我是县商务局的)
    assert stated_figures("到25年要打造多少个领跑县") == () and stated_figures("用了12年")[0].text == "12年"
    from qa.answering.asker import about_question

    assert "商务局" not in about_question("我是县商务局的，摸底最晚啥时候完成？")
    assert about_question("我是县商务局的，摸底最晚啥时候完成？").endswith("摸底最晚啥时候完成？")
    # who one is (是…的) after a one-character subject, whatever the dialect's pronoun; not after one that
    # points at what is asked about (这是…的)
    assert "温州" not in about_question("偶是温州卖眼镜的，想去逛逛，网博会在哪开？")
    assert "杭州" in about_question("这是杭州发布的，几号发的？")
    # the nominaliser of Chaozhou and Hakka speech (个 for 的) ends it as well; a count's 个 asks
    assert "汕头" not in about_question("阮是汕头做陶瓷个，想去看展，展会几号开？")
    assert "汕头" not in about_question("汕头做陶瓷个，展会几号开？")
    assert "汕头" in about_question("汕头有几个，展会几号开？")
    # or what one does, said with the one who does it (…做袜子的老板); not a statement about something else
    assert "诸暨" not in about_question("侬是诸暨做袜子的老板，展会几号开？")
    assert "渠道" in about_question("网是最大的渠道，展会几号开？")
    # where the asker is, said before the question; but not a place the question itself asks about
    assert "东阳" not in about_question("我在东阳开小店的 想问问展会办公地址在哪")
    assert "云南" not in about_question("我们来自云南，展会在哪")
    assert "宁波" not in about_question("宁波货代一枚，问下综保区最多验几回？")  # "a Ningbo forwarder, me"
    # a statement opened with who the asker is goes on about them to its full stop (…，最近在琢磨网上卖货。)
    assert "开网店" not in about_question("我们是山区茶农合作社，最近想试试开网店。今年7月农村电商业务量涨了多少？")
    assert about_question("我在杭州能看展吗") == "我在杭州能看展吗"
    # where one of the asker's own people is, once the asker has named them (他 or 她 after 我舅舅); 他 of a
    # person the question is about stays
    assert "西宁" not in about_question("帮我舅舅问的。他在西宁养牦牛，展会几号开？")
    assert "上海" in about_question("李强会见了外宾，他在上海说了什么？")
    # a few of those who do something (几个卖茶的) ask no count: what they say of themselves is theirs
    assert "福州" not in about_question("我们福州这边几个卖茶的商量着组团去，展会在哪开？")
    # a greeting or a call alone before an exclamation mark is no part of the question
    assert about_question("哈喽！展会几号开？") == "展会几号开？"
    # where the asker is, said as 这边 (here) in a clause that asks nothing; a clause asking of a place's 这边 asks of it
    assert about_question("黔东南这边不少村在搞直播，文件说要培训哪些人？") == "文件说要培训哪些人？"
    assert "广东" in about_question("广东这边的电商物流指数是多少")
    # what the asker has of every kind (啥都有: a question word before 都 asks nothing) is no part of the question
    assert about_question("我家干果红枣啥都有，展会几号开？") == "展会几号开？"
    # a clause opening with a year counted back from now tells the asker's story; 去年同期 is asked of
    assert "去年" not in about_question("去年在快手上卖火了一款茶叶，那种热销品一般能热多久")
    assert "去年" in about_question("进出口比去年同期涨了多少") and "去年" in about_question("去年7月的物流指数是多少")
    # what the asking is for, in a clause of its own (为做好…工作，), is theirs; what a policy is for is not
    assert "培训班" not in about_question("为做好乡镇电商培训班的筹备工作，需确认网博会在哪个场馆举办")
    assert "农村电商" in about_question("为了促进农村电商，九部门定了哪些措施？")
    # what the asker says they do, in a clause that asks nothing, and what the answer is to leave out
    assert "供应商" not in about_question("我们公司做供应商审核 要查下官网的备案号是多少")
    assert "淘宝" not in about_question("现在除了淘宝还有哪几个带货平台")
    assert "赛道" not in about_question("除了直播电商、县域物流这些老赛道，还要发展哪些新领域？")  # a longer list left out
    # or what they want to do, the subject left out
    assert "格鲁吉亚" not in about_question("想去网博会顺便打听下格鲁吉亚市场 网博会今年哪几天开")
    assert about_question("想知道网博会在哪买票") == "想知道网博会在哪买票"  # a clause that asks is the question
    # a statement the asker opens is theirs to its full stop, subject left out after the first clause
    told = about_question("我家孩子上初二，对网购直播挺感兴趣，想带他去长长见识。普通观众找哪个QQ问？")
    assert "感兴趣" not in told and told.endswith("普通观众找哪个QQ问？")
    assert about_question("我家孩子上初二。对直播感兴趣的观众找哪个QQ？").endswith("对直播感兴趣的观众找哪个QQ？")
    # what the asker does, said with the subject left out (做小家电的，…), opens a statement of theirs too
    told = about_question("做小家电的，去年在抖音上打出过一个爆款。爆款能火多久？")
    assert "去年" not in told and told.endswith("爆款能火多久？")
    assert about_question("做直播的有哪些平台") == "做直播的有哪些平台"  # a clause that asks is the question
    # and where they do it (温州做鞋的，…): their place, said before what they do
    assert "温州" not in about_question("温州做鞋的，想去网博会看看，展会在哪个馆")
    assert about_question("义乌做什么的最多") == "义乌做什么的最多"  # a clause that asks
    # and a statement of theirs may open with when it happened (去年我们家的…卖爆了一阵。)
    told = about_question("去年我们家的巴旦木在抖音上卖爆了一阵,现在不行了。爆款能火多久?")
    assert "去年" not in told and told.endswith("爆款能火多久?")
    assert about_question("2024年我们国家进出口多少？") == "2024年我们国家进出口多少？"  # a clause that asks
    # what they are writing (写…报告要个数据:) or were told to do (老师让我们做一个…课题) sets no constraint
    assert about_question("写研究性学习报告要个数据:头七个月进出口多少钱?") == "头七个月进出口多少钱?"
    assert "研究性" not in about_question("老师让我们做一个研究性学习课题，想问下进出口涨了还是跌了？")
    assert about_question("做报告用的数据有哪些？") == "做报告用的数据有哪些？"  # a clause that asks
    # whom a chat message passes a question on from (@阿芳 问…) is no name the evidence must have; an
    # e-mail address stays
    relayed = about_question("@阿芳 问参观找哪个QQ？@Tom\u2005问展位多少钱")
    assert "阿芳" not in relayed and "Tom" not in relayed and "参观找哪个QQ" in relayed
    assert "小林" not in about_question("群友@小林 问FACT矩阵包括哪几块？")  # written straight after a word
    assert "wbh@163.com" in about_question("邮箱是wbh@163.com 对吗")
    # nor whose question they pass on, in a clause of its own that asks nothing (…的亲戚问，)
    assert about_question("在温州开超市的表哥问，展会在哪个场馆") == "展会在哪个场馆"
    assert about_question("温州展会问什么") == "温州展会问什么"
    # nor what they half remember of it (好像是温州那个): their guess
    assert "温州" not in about_question("文件说要学哪里的经验 好像是温州那个 叫啥来着")
    # or guess after asking (是不是就在…): checked by the answer; a question asking yes or no keeps its words
    assert "体育中心" not in about_question("发布会在哪儿开，是不是就在体育中心里？")
    assert "体育中心" in about_question("发布会是不是在体育中心开？")
    # nor what they want the answer for, said after asking
    assert about_question("零售额有多少 占社零比重多少 写文案要用").strip() == "零售额有多少 占社零比重多少"
    assert "Shanghai" not in about_question("I represent a chamber of commerce in Shanghai. What was the index in July?")
    assert "furniture" not in about_question("Hello, we export furniture from Vietnam. Where is the expo held?")  # after a greeting
    # what the asker means to do with the answer, said before a dash (For my slides I'd like… — what…?)
    assert about_question("For the closing slide of my talk I need a source — who runs the expo's website?") == "who runs the expo's website?"
    assert "23 measures" in about_question("The article my colleague sent says 23 measures. Who issued them?")
    assert "Guangdong" not in about_question("Hi, small exporter from Guangdong here. Which QQ number should I add?")
    assert "Yiwu" in about_question("Where is the parking here in Yiwu? Is it free?")  # a question is asked
    assert about_question("I want to know where the expo is?") == "I want to know where the expo is?"
    # a statement running to a dash before the question is the asker's too; a dash inside what is asked is not
    assert "Dubai" not in about_question("I'm a buyer living in Dubai and want to fly to the expo — which days does it run?")
    assert "Yiwu" in about_question("I want to know the venue - Yiwu or Hangzhou?")
    # or to a comma before the question, when it says who they are; what they heard is what they ask about
    assert about_question("I'm a wholesaler based in Penang, where do visitors register?") == "where do visitors register?"
    assert "110" in about_question("I heard the index reached 110, when did that last happen?")
    assert "Hanoi" in about_question("If our goods ship from Hanoi, which zone handles them?")
    # what the asker means to ask someone else is theirs; what they ask here is kept
    told = about_question("想给办展的单位发个传真问问老年人能不能进场，传真号码是多少？")
    assert "进场" not in told and told.endswith("传真号码是多少？")
    assert about_question("我想问问展会在哪，几号开？") == "我想问问展会在哪，几号开？"
    # what the asker read or heard is what they ask about
    assert "July" in about_question("I read that the index rose in July. By how much did it rise?")
    # a place is named by a phone number of its area code (010 is Beijing's), not by any other number
    phones = "客服电话：0579-85891888、010-67801814"
    assert mentioned(Entity("北京", "LOC"), phones, char_bigrams(phones))
    assert not mentioned(Entity("上海", "LOC"), phones, char_bigrams(phones))
    # a stated figure is found however the text writes it: 23岁 in "二十三岁经人介绍…"
    text = "二十三岁经人介绍进入运通,一百零五天后升任主管。"
    assert all(mentioned(Entity(f, "NUM"), text, char_bigrams(text)) for f in ("23", "105"))
    assert not mentioned(Entity("24", "NUM"), text, char_bigrams(text))
    # with the unit it is stated in, and as a whole number: 17部门 is not 12部门, 2012 holds no 12,
    # 110.9点 is not 110点
    text = "商务部等17部门印发,2012年起实施,指数为110.9点。"
    assert mentioned(Entity("17部门", "NUM"), text, set()) and mentioned(Entity("17", "NUM"), text, set())
    assert not mentioned(Entity("12部门", "NUM"), text, set()) and not mentioned(Entity("12", "NUM"), text, set())
    assert not mentioned(Entity("110点", "NUM"), text, set())


def test_a_long_name_that_begins_otherwise_names_another_place() -> None:
    text = "展会地点：义乌国际博览中心。"
    assert mentioned(Entity("义乌国际博览中心", "ORG"), text, char_bigrams(text))
    assert mentioned(Entity("义乌国际博览馆", "ORG"), text, char_bigrams(text))  # the same place, loosely named
    assert not mentioned(Entity("杭州国际博览中心", "ORG"), text, char_bigrams(text))


@pytest.mark.slow
def test_a_figure_the_evidence_never_states_is_refused(learned: Pipeline) -> None:
    a = learned.answer("展会有800开头的免费咨询电话吗？号码多少")
    assert a.abstained and a.abstain_reason.code == "entity_missing" and "800" in a.abstain_reason.message


def test_the_threshold_best_tells_near_misses_from_answerable_questions_within_the_cap() -> None:
    from eval.train_scorer import _threshold

    conf = np.array([0.9, 0.8, 0.05, 0.5, 0.3, 0.02])
    ans = np.array([True, True, True, True, False, False])
    ref = np.zeros(6, dtype=bool)
    t, stats = _threshold(conf, ans, ref, 0.25)  # one answerable of four may be refused
    assert 0.3 < t <= 0.5 and stats["abstention_recall"] == 1.0 and stats["false_abstention"] == 0.25
    # no threshold refuses more unanswerables than the rules already do: none is added
    t, stats = _threshold(conf, ans, np.array([False] * 4 + [True, True]), 0.25)
    assert t == 0.0 and stats["false_abstention"] == 0.0
    # the answerable question it would refuse is one of two in its set: half of that set, over the cap
    sets = np.array(["a", "a", "b", "b", "a", "b"])
    t, stats = _threshold(conf, ans, ref, 0.25, sets)
    assert t == 0.03 and stats["false_abstention"] == 0.0 and stats["abstention_recall"] == 0.5
    # one more near miss refused for four answerable questions is a worse line, though the cap allows it
    conf = np.array([0.9, 0.1, 0.12, 0.14, 0.13, 0.8, 0.05, 0.15])
    ans = np.array([True] * 6 + [False, False])
    t, stats = _threshold(conf, ans, np.zeros(8, dtype=bool), 0.7)
    assert t == 0.06 and stats["false_abstention"] == 0.0 and stats["abstention_recall"] == 0.5


def test_thresholds_are_chosen_on_every_development_set_and_never_on_the_test_split() -> None:
    from eval.train_scorer import TEST_SPLIT, development_sets

    sets = development_sets()
    assert TEST_SPLIT.exists() and TEST_SPLIT not in sets and all(p.exists() for p in sets)
    names = {p.stem for p in sets}
    assert {"visitor_dev", "visitor_nearmiss_dev", "visitor_dev2"} <= names and len(names) == len(sets)
    # the shipped thresholds name the data they were chosen on; the test split is not in it
    data = ScorerWeights.load(WEIGHTS_PATH).meta["threshold_data"]
    assert "visitor_dev2," in data and "visitor_test" not in data and "negative-rejection" in data


def test_a_kind_with_a_threshold_of_its_own_uses_it_in_either_language(tmp_path) -> None:
    from qa.answering.evidence import threshold_group
    from qa.answering.spans import QType

    base = ScorerWeights.load()
    weights = ScorerWeights(base.sentence, base.answerable, 0.06, {}, 0.07, {"contact": 0.01})
    assert weights.threshold_for(False) == 0.06 and weights.threshold_for(True) == 0.07
    assert weights.threshold_for(True, threshold_group(QType.QQ)) == 0.01
    assert weights.threshold_for(False, threshold_group(QType.NUMBER)) == 0.06
    path = tmp_path / "w.json"
    path.write_text(json.dumps(weights.to_dict()), encoding="utf-8")
    assert ScorerWeights.load(path).threshold_kinds == {"contact": 0.01}
    # a weights file written before thresholds by kind reads as none
    old = {k: v for k, v in weights.to_dict().items() if k != "threshold_kinds"}
    path.write_text(json.dumps(old), encoding="utf-8")
    assert ScorerWeights.load(path).threshold_for(False, "contact") == 0.06


@pytest.mark.slow
def test_a_question_sharing_no_word_with_the_documents_is_refused(learned: Pipeline) -> None:
    for question in ("火星上的天气怎么样？", "How is the weather on Mars?"):
        a = learned.answer(question)
        assert a.abstained and a.abstain_reason.code == "nothing_known", question
    # one word the documents use is enough to go on
    assert not learned.answer("逛展会的时候展馆在哪个城市").abstained
    # and an adverb is how the question is asked (认认真真, 究竟), no word the documents must use
    a = learned.answer("认认真真搞内容究竟香在哪")
    assert not (a.abstained and a.abstain_reason.code == "nothing_known"), a.abstain_reason


@pytest.mark.slow
def test_a_specific_term_no_evidence_document_uses_is_refused(learned: Pipeline) -> None:
    from qa.answering.retriever import Filters

    question = "抖音小店和企业号怎么绑定？"
    assert "绑定" in learned.answer(question).answer
    # the same question over related documents that never mention Douyin: related text, no answer
    a = learned.answer(question, filters=Filters(doc_ids=("customs-ftz-23-measures", "customs-trade-jan-jul")))
    assert a.abstained and a.abstain_reason.code == "rare_term_missing", a.answer


@pytest.mark.slow
def test_a_term_of_a_lead_in_before_a_colon_constrains_nothing(learned: Pipeline) -> None:
    """写一篇时政评论：… says what the asker is doing; 时政, which the Georgia article never uses, is theirs."""
    from qa.answering.asker import after_lead_in

    a = learned.answer("写一篇时政评论：格鲁吉亚总理来华出席的是哪个运动会的开幕式？")
    assert not a.abstained and "世界大学生夏季运动会" in a.answer, a.answer
    # a lead-in that asks is part of the question; so is a colon after the asking
    assert after_lead_in("备课用：展会在哪") == "展会在哪" and after_lead_in("哪个部门：发布的") == "哪个部门：发布的"


@pytest.mark.slow
def test_what_the_asker_states_before_the_asking_clause_constrains_nothing(learned: Pipeline) -> None:
    """周报结尾要附上出处 is what the asker will do with the answer; 结尾, which no evidence uses, is theirs."""
    from qa.answering.asker import asked_clauses, without_work

    a = learned.answer("周报结尾要附上出处，格鲁吉亚总理来华出席的是哪个运动会的开幕式？")
    assert not a.abstained and "世界大学生夏季运动会" in a.answer, a.answer
    assert asked_clauses("周报结尾要附上出处，展会在哪？我想去看看") == "展会在哪？"
    # a bare asking clause asks of the clause before it; one that points back, of those back to the last question
    assert asked_clauses("我在做课件，展会的备案号，具体是多少") == "展会的备案号，具体是多少"
    assert asked_clauses("展会在哪？抖音那篇，快手那篇，这俩哪篇早？我想看看") == "展会在哪？抖音那篇，快手那篇，这俩哪篇早？"
    assert asked_clauses("没有问号的一句话") == "没有问号的一句话"
    # a pronoun anywhere in the asking clause points back (请问他们…, 原文给他的…)
    assert asked_clauses("稿子里提到了吴某，原文给他的职务是什么") == "稿子里提到了吴某，原文给他的职务是什么"
    assert asked_clauses("周报要用，其他平台有哪些") == "其他平台有哪些"  # 其他 (other) points nowhere
    # what the asker is writing shares no word with the evidence; what they were told to do may name the topic
    assert without_work("我在写调研报告，展会在哪？") == "展会在哪？"
    assert without_work("在赶课程论文~展会在哪？") == "展会在哪？"  # a chat's tilde ends a clause as a comma does
    assert without_work("写1~7月进出口的报告，用哪个数") == "用哪个数"  # ... not a range's
    assert without_work("老板让我给博览会发邮件，邮箱是啥") == "老板让我给博览会发邮件，邮箱是啥"
    # nor does a clause that only says which document the question is about: retrieval reads it
    assert without_work("讲跨境电商的那篇文章里，提到的港口叫啥") == "提到的港口叫啥"
    assert without_work("那个实施方案中 到底有几条") == "到底有几条"
    assert without_work("文章里有几个港口") == "文章里有几个港口"  # a clause that asks
    # a sentence a full stop ends before one that asks states, whatever 几 or 什么 it holds
    assert asked_clauses("我们几个同学拍了点什么视频。抖音那篇文章是哪天发的？") == "抖音那篇文章是哪天发的？"


def test_what_the_asker_says_after_asking_is_no_word_to_match() -> None:
    from qa.answering.asker import without_work

    # what they will do with the answer (导航要输地址): the address is theirs to type, the hall is asked
    assert without_work("发布会在哪个馆开 导航要输地址") == "发布会在哪个馆开 "
    assert without_work("发布会在哪个馆开？我要帮客人叫车，地址说不清") == "发布会在哪个馆开？"
    # a clause that checks (…也是那时候出吧) asks too
    assert without_work("第一批是几月出的？第二批也是那时候出吧，我想早点准备") == "第一批是几月出的？第二批也是那时候出吧，"


def test_runner_ups_are_close_in_odds_not_in_probability(tokenizer) -> None:
    import math

    from qa.answering.learned import LearnedComposer

    floor = LearnedComposer(tokenizer)._runner_up_floor
    assert floor(0.5) == pytest.approx(1 / (1 + math.e))  # even odds: a runner-up at 1 : e still counts
    assert floor(0.9) == pytest.approx(9 / math.e / (1 + 9 / math.e))
    assert 0.0 < floor(1e-9) < floor(0.2) < 0.2 < floor(0.99) < 0.99


def test_a_compound_of_two_common_words_is_not_a_specific_term(tokenizer) -> None:
    from qa.answering.learned import LearnedComposer

    composer = LearnedComposer(tokenizer)
    terms = [forms[0] for forms, _ in composer.specific_terms("阵内智则是哪个国家的著名演员？",
                                                              composer.question_concepts("阵内智则是哪个国家的著名演员？"))]
    assert "著名演员" not in terms  # 著名 + 演员: the text may say 喜剧演员
    assert composer._compositional("北京奥运会") and not composer._compositional("综合保税区")  # 保税区 is rare


def test_an_abbreviation_is_found_in_the_full_name() -> None:
    from qa.answering.entities import abbreviated

    assert abbreviated("北京奥运会", "参加2008年北京夏季奥林匹克运动会的中国皮划艇队")
    assert not abbreviated("北京奥运会", "北京举办了亚运会，奥林匹克运动会在伦敦")  # not in one clause
    assert not abbreviated("综保区", "综合保税区")  # three characters: too short to tell


def test_a_name_typed_with_a_character_of_the_same_sound_is_still_mentioned() -> None:
    text = "国务院总理李强在人民大会堂会见格鲁吉亚总理加里巴什维利,综保区企业代表参加。"
    grams = char_bigrams(text)
    for name, tag in (("李墙", "PER"), ("加里八什维利", "PER"), ("格鲁吉压", "LOC"), ("宗保区", "LOC")):
        assert mentioned(Entity(name, tag), text, grams), name
    # another name, not a typo: 王 does not sound like 李, 杭州 is not 义乌
    assert not mentioned(Entity("王强", "PER"), text, grams)
    # a long transliterated name heard without the tongue's curl (斯 for 什), but not a short name so typed
    assert mentioned(Entity("加里巴斯维利", "PER"), text, grams)
    assert not mentioned(Entity("李墙斯", "PER"), "李强什", char_bigrams("李强什"))
    assert not mentioned(Entity("杭州国际博览中心", "LOC"), "义乌国际博览中心", char_bigrams("义乌国际博览中心"))


def test_a_place_written_with_another_regions_name_for_it_is_mentioned() -> None:
    # 乔治亚 is Taiwan's name for Georgia, 纽西兰 for New Zealand: the dictionary gives both one English name
    text = "国务院总理李强会见格鲁吉亚总理,新西兰代表参加。"
    grams = char_bigrams(text)
    assert mentioned(Entity("乔治亚", "LOC"), text, grams) and mentioned(Entity("纽西兰", "LOC"), text, grams)
    # what a name is first: 唐山 is a city in Hebei before it is an old name for China
    assert not mentioned(Entity("唐山", "LOC"), "中国的进出口总值", char_bigrams("中国的进出口总值"))


def test_a_place_something_happens_at_is_there_in_a_place_inside_it() -> None:
    from qa.answering.english_names import english_names
    from qa.answering.entities import at_places

    text = "国务院总理李强在人民大会堂会见格鲁吉亚总理。"
    grams = char_bigrams(text)
    # 来北京碰面, received in Beijing: the Great Hall of the People lies in Beijing, as the dictionary says
    (beijing,) = at_places((Entity("北京", "LOC"),), "前阵子来北京跟李强碰面的是谁")
    assert beijing.at and mentioned(beijing, text, grams)
    (english,) = english_names("Who did Li Qiang receive in Beijing?", lambda w: True)
    assert english.at and mentioned(english, text, grams)
    # a place a figure is of is not satisfied by a place inside it (北京的进出口: not the Great Hall's)
    (scope,) = at_places((Entity("北京", "LOC"),), "北京的进出口是多少")
    assert not scope.at and not mentioned(scope, text, grams)
    # nor by a place elsewhere
    (shanghai,) = at_places((Entity("上海", "LOC"),), "在上海会见的是谁")
    assert shanghai.at and not mentioned(shanghai, text, grams)


def test_an_english_question_naming_a_people_names_their_country() -> None:
    from qa.answering.english_names import english_names
    from qa.answering.entities import EntityRecognizer

    recognizer = EntityRecognizer()
    # a Ukrainian pavilion is about Ukraine, which a Chinese text writes 乌克兰 (the dictionary: 乌克兰人)
    (ukraine,) = english_names("Will there be a Ukrainian pavilion at the expo?", lambda w: False, recognizer)
    assert ukraine.text == "乌克兰"
    # a country named as itself stays as it was; a people in a clause that asks nothing is the asker's story
    (russia,) = english_names("What was trade with Russia?", lambda w: False, recognizer)
    assert russia.text in ("俄国", "俄罗斯")
    assert english_names("I am a Ukrainian buyer. Where is the expo held?", lambda w: False, recognizer) == ()


def test_china_is_our_country_in_a_chinese_text() -> None:
    text = "海关总署:前7个月我国进出口总值为23.55万亿元"
    assert mentioned(Entity("中国", "LOC"), text, char_bigrams(text))
    assert not mentioned(Entity("日本", "LOC"), text, char_bigrams(text))


def test_composers_share_one_recogniser() -> None:
    # the model and its cache are loaded once per process, however many pipelines it opens
    from index.tokenizer import Tokenizer
    from qa.answering.learned import LearnedComposer

    tok = Tokenizer()
    assert LearnedComposer(tok).entities is LearnedComposer(tok).entities


def test_a_question_asking_exactly_which_members_wants_their_names() -> None:
    from qa.answering.entities import shared_recognizer
    from qa.answering.members import members_asked, members_unnamed

    assert members_asked("第一批领跑县具体都有哪些县？") == ("县", ("LOC",))
    assert members_asked("那具体是哪几家公司表现好")[0] == "公司"
    assert members_asked("哪些企业可以申请") is None  # which kind of firm, not which firms by name
    recognizer = shared_recognizer()
    never = lambda name: False
    # the evidence speaks of the counties without naming one: refused
    assert members_unnamed("第一批领跑县具体都有哪些县？", ["经地方推荐产生第一批领跑县,发布典型案例集。"],
                           recognizer, never) == "县"
    # places the question does not name answer it
    assert members_unnamed("牡蒿具体分布在哪几个省？", ["牡蒿分布于辽宁、河北、山东等省。"], recognizer, never) is None
    # the noun's own full form (综合保税区 for 综保区) is not one of its members
    assert members_unnamed("先在哪几个综保区试点", ["在综合保税区开展试点。"], recognizer,
                           lambda name: name == "综合保税区") == "综保区"
    # in English: the plural beside a word wanting them exactly, or which specific…; a singular asks one
    assert members_asked("Which specific bonded zones are piloting the reform?") == ("zones", ("LOC",))
    assert members_asked("Which companies are they? I need the list")[0] == "companies"
    assert members_asked("Which companies can apply?") is None and members_asked("Which department issued it?") is None
    assert members_unnamed("Which specific bonded zones pilot it first?", ["在综合保税区开展试点。"], recognizer,
                           lambda name: name == "综合保税区") == "zones"


def test_the_words_of_a_person_the_document_names_but_does_not_quote() -> None:
    from qa.answering.entities import not_said_by, shared_recognizer

    recognizer = shared_recognizer()
    doc = ["国务院总理李强在人民大会堂会见格鲁吉亚总理。", "李强指出,双方要加强合作。", "吴政隆参加会见。"]
    assert not_said_by("那吴政隆在会上讲了些啥", recognizer, lambda: doc) == "吴政隆"
    assert not_said_by("李强在会上讲了些啥", recognizer, lambda: doc) is None
    # 讲哪些语言 asks which languages, not what was said
    assert not_said_by("吴政隆会讲哪些语言", recognizer, lambda: doc) is None
    # a pronoun may stand for the person (她谈到…)
    assert not_said_by("娜塔莎是怎么回应的", recognizer, lambda: ["娜塔莎出生于加州。", "她谈到媒体的报导。"]) is None


def test_a_title_of_office_no_document_uses_names_someone_they_do_not_speak_of() -> None:
    from qa.answering.entities import unknown_title

    knows = {"总理", "主任"}.__contains__
    assert unknown_title("格鲁吉亚总统这回访华都见了谁", knows, ["格鲁吉亚", "总统", "这回", "访华", "都", "见", "了", "谁"]) == "总统"
    assert unknown_title("联合会的会长是怎么点评的", knows, ["联合会", "的", "会长", "是", "怎么", "点评", "的"]) == "会长"
    assert unknown_title("李总理见了谁", knows, ["李", "总理", "见", "了", "谁"]) is None
    assert unknown_title("中心主任是谁", knows, ["中心", "主任", "是", "谁"]) is None
    # the characters of a title across two words are none: the end of one and the start of the next
    assert unknown_title("带孩子去博览会长长见识", knows, ["带", "孩子", "去", "博览会", "长长", "见识"]) is None
    assert unknown_title("在城市长大的年轻人", knows, ["在", "城市", "长大", "的", "年轻人"]) is None
    assert unknown_title("外交部长说了啥", knows, ["外交部长", "说", "了", "啥"]) == "部长"


@pytest.mark.slow
def test_what_an_english_asker_says_of_themselves_is_not_what_must_be_covered(learned: Pipeline) -> None:
    composer = learned.composer
    q = "I export Georgian wine to China. Which fields did Li Qiang say the two countries should cooperate in?"
    basis = composer.gather(q, learned.retriever.retrieve(q, 5)).basis
    assert "出口" not in basis and "李强" in basis
    # where the rest names no topic of its own, the statement is what the question is about
    q = "I'm researching the e-commerce logistics index. What was it in July?"
    assert "电商物流指数" in composer.gather(q, learned.retriever.retrieve(q, 5)).basis
    # a letter's formulas (a salutation, the request, what the answer is for) name nothing to be covered
    from qa.answering.asker import without_formulas

    assert without_formulas("Dear Madam, kindly advise us of the fax number, so that we can write.") == "the fax number."
    assert without_formulas("Is it true that we can bring samples?") == "Is it true that we can bring samples?"  # asked
    q = ("Dear Sir or Madam, I am a pepper grower from Kerala considering a trip to the expo. Kindly inform me of the "
         "exact dates on which the expo shall be held, so that I may arrange my travel.")
    assert "2024年9月1日" in learned.answer(q).answer


@pytest.mark.slow
def test_the_value_of_a_part_no_document_names_is_not_the_wholes(learned: Pipeline) -> None:
    # a sub-index of the index, which no document names: the index's own figure is not its value
    a = learned.answer("电商物流指数中的需求指数是多少点")
    assert a.abstained, a.answer
    assert "110.9" in learned.answer("7月电商物流指数是多少点").answer


@pytest.mark.slow
def test_the_items_a_number_word_sums_up_are_the_list_of_that_many(learned: Pipeline) -> None:
    # “三化”: three items each holding 化, listed together in the best document
    assert "数字化、连锁化、标准化" in learned.answer("县域商业的“三化”是哪三化").answer
    assert "统一采购、统一仓储" in learned.answer("大经销商能给合作社提供哪几样“统一”的服务").answer


@pytest.mark.slow
def test_two_values_asked_of_one_sentence_quoted_in_pieces_are_both_given(learned: Pipeline) -> None:
    """The amount and its growth are quoted as two pieces of one long sentence (…为6.1万亿元,|同比增长10.8%):
    a question asking both gets the piece before too, and a short answer with both figures."""
    a = learned.answer("今年上半年网上实物商品零售额有多少，比去年同期增长多少？")
    assert not a.abstained and a.short_answer == "6.1万亿元；10.8%", a.short_answer
    assert "6.1万亿元" in a.answer and "10.8%" in a.answer
    # one value asked: the piece that holds it alone
    b = learned.answer("今年上半年网上实物商品零售额比去年同期增长多少？")
    assert b.short_answer == "10.8%" and "6.1万亿元" not in b.answer


@pytest.mark.slow
def test_a_figure_the_asker_wants_checked_is_answered_with_the_documents_own(learned: Pipeline) -> None:
    # asked whether it is right, a stated figure is checked against the evidence, not required of it
    a = learned.answer("有人说到2025年要让85%的县达到基本型商业功能 对吗")
    assert not a.abstained and "90%" in a.answer
    # stated as a given, it still constrains
    assert learned.answer("到2025年要让85%的县达到基本型商业功能吗").abstained


@pytest.mark.slow
def test_the_name_of_someone_else_who_took_part_is_read_like_who_else(learned: Pipeline) -> None:
    # 叫啥名 asks a name; of another leader who took part, it is the one the report names apart
    assert "吴政隆" in learned.answer("李强见格鲁吉亚总理那次 还有一位领导参加了活动 叫啥名字").answer


def test_a_word_of_the_language_taken_for_a_person_is_no_name(tokenizer) -> None:
    from qa.answering.learned import LearnedComposer

    composer = LearnedComposer(tokenizer)
    never = lambda _word: False
    assert not any(e.text == "小白" for e in composer._entities("新手小白刚开抖店，流量分哪两类？", never))
    assert any(e.text == "李强" for e in composer._entities("李强总理见的是谁？", never))
    # nor a word of the language taken for a body (苹果: apples, not the company), unless more of a name
    # follows it (公理 of a school's name, cut short)
    assert not any(e.text == "苹果" for e in composer._entities("苹果运到外地总是磕坏，文件里有啥保鲜办法？", never))
    from qa.answering.entities import Entity, ordinary_alone

    assert not ordinary_alone(Entity("公理", "ORG"), "公理高中书院在哪个区", tokenizer.tagged_words)
    # an organisation said in words of the language alone is a description, one with a proper name a name
    assert not any(e.text == "小卖部合作社" for e in composer._entities("能给小卖部合作社提供哪几样服务", never))
    assert any(e.text == "国家统计局" for e in composer._entities("国家统计局发布的数据是多少", never))
    # and one said in ordinary words around a name the documents use: the expo's operating company
    used = {"网博会"}.__contains__
    assert not any("公司" in e.text for e in composer._entities("网博会运营公司在哪条街", used))
    assert any("公司" in e.text for e in composer._entities("网博会运营公司在哪条街", never))
    # an administrative unit with a place particle says where, and names no place
    assert [e.text for e in composer._entities("镇里想建电商服务站，能用哪儿的设备", never) if e.tag == "LOC"] == []
    assert any(e.text == "杭州" for e in composer._entities("杭州想建电商服务站，能用哪儿的设备", never))


def test_an_office_asked_of_someone_named_in_passing_without_a_title_is_not_given(tokenizer) -> None:
    from qa.answering.offices import office_not_given

    texts = ["2023年7月31日上午,国务院总理李强在人民大会堂会见格鲁吉亚总理加里巴什维利。", "吴政隆参加上述活动。"]
    tagged = tokenizer.tagged_words
    wu, li = Entity("吴政隆", "PER"), Entity("李强", "PER")
    assert office_not_given("吴政隆是什么职务", [wu], lambda: texts, tagged) == "吴政隆"
    # the one named last before the asking words is the one asked of
    assert office_not_given("李强会见时提到的吴政隆，他是什么职务？", [li, wu], lambda: texts, tagged) == "吴政隆"
    # a title before the name gives the office (国务院总理李强)
    assert office_not_given("李强是什么职务", [li], lambda: texts, tagged) is None
    # a life told by the offices taken gives them without the name before each
    life = ["王某，1950年生。", "1995年8月，任青岛市委常委。"]
    assert office_not_given("王某担任什么职务", [Entity("王某", "PER")], lambda: life, tagged) is None
    # the question asks no office: nothing to say
    assert office_not_given("吴政隆参加了什么活动", [wu], lambda: texts, tagged) is None


@pytest.mark.slow
def test_an_english_question_asking_which_ones_gets_the_sentence_listing_them(learned: Pipeline) -> None:
    a = learned.answer("In the July logistics report, which supply side sub indexes went up? List them all.")
    assert not a.abstained
    assert all(item in a.answer for item in ("物流时效指数", "满意率指数", "履约率指数"))


def test_thanks_in_a_sentence_of_their_own_are_a_formula_naming_nothing_asked() -> None:
    from qa.answering.asker import without_formulas

    assert without_formulas("Thank you always for the quick replies. What was the rainfall index in May?") == (
        "What was the rainfall index in May?")
    assert without_formulas("Many thanks! And in June?") == "And in June?"
    # thanks asked about, or inside the sentence that asks, stay
    assert without_formulas("Can we thank the volunteers at the gate?") == "Can we thank the volunteers at the gate?"
    assert without_formulas("Thanks, and where is it held?") == "Thanks, and where is it held?"
