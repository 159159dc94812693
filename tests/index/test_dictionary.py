"""English words read through CC-CEDICT, kept to the words the documents use."""

from __future__ import annotations

from index.dictionary import chinese_for, dictionary_words
from index.tokenizer import Tokenizer


def test_senses_are_whole_glosses() -> None:
    assert "期限" in chinese_for("deadline") and "铁路" in chinese_for("railway")
    assert chinese_for("Deadline") == chinese_for("deadline")
    assert chinese_for("no such english word") == ()
    # a sense the dictionary gives in the plural (资金 /funds/) is found from the singular
    assert "资金" in dictionary_words("fund rules", {"资金"}.__contains__)


def test_only_words_the_documents_use_are_added_phrases_first() -> None:
    used = {"期限", "铁路", "货运列车", "确认", "目标", "县域"}.__contains__
    words = dictionary_words("What is the deadline for confirming targets on the railway?", used)
    assert words == ["期限", "确认", "目标", "铁路"]
    # a phrase the dictionary knows is one term, not its words
    assert dictionary_words("freight train routes", used) == ["货运列车"]
    # a quoted phrase's words are read without the quotes around them
    assert dictionary_words("the 'freight train' routes", used) == ["货运列车"]
    assert dictionary_words("a 'deadline' to check", used) == ["期限"]
    # asking and helping words add nothing
    assert dictionary_words("what is it and where does it go", lambda w: True) == []



def test_an_irregular_or_y_ending_past_form_is_read_as_its_verb() -> None:
    used = {"绑定", "销售", "增长", "证实", "运出"}.__contains__
    assert dictionary_words("shop bound to an account", used) == ["绑定"]
    assert dictionary_words("goods sold abroad grew fast", used) == ["销售", "增长"]
    assert "证实" in dictionary_words("figures verified by customs", used)
    # the past forms of asking and helping verbs add nothing either (did, done, went, told)
    assert dictionary_words("it was done and they went and told me", lambda w: True) == []


def test_the_words_of_one_english_term_are_one_thing_asked() -> None:
    used = {"中心", "中央", "信息"}.__contains__
    assert dictionary_words("information center", used) == ["信息", "中心/中央"]
    from qa.pipeline import default_tokenizer

    concepts = dict(default_tokenizer().concepts("信息 中心/中央"))
    # a sentence saying either word covers it: the two are not two things it must say
    assert ("中心", "中央") in concepts and ("中央",) not in concepts and ("信息",) in concepts


def test_translate_adds_dictionary_words_only_when_told_what_the_documents_use() -> None:
    tokenizer = Tokenizer()
    plain = tokenizer.translate("What is the deadline?")
    assert "期限" not in plain
    assert "期限" in tokenizer.translate("What is the deadline?", {"期限"}.__contains__).split()


def test_homophones_share_a_reading() -> None:
    from index.dictionary import homophones

    assert {"览", "懒"} <= homophones("揽") and "揽" in homophones("揽")
    assert "强" not in homophones("揽")


def test_a_word_typed_with_a_character_of_its_sound_is_the_word_the_corpus_uses() -> None:
    tokenizer = Tokenizer()
    corpus = {"博览会", "博览", "一体", "号店", "满意率", "满意率指数", "指数", "领跑县", "领跑", "培训"}.__contains__
    assert tokenizer.typed_alike("博揽会几号开", corpus) == [("博揽会", "博览会")]
    assert tokenizer.typed_alike("号店衣体是啥意思", corpus) == [("衣体", "一体")]
    assert tokenizer.typed_alike("满意律指数涨了几个点", corpus) == [("满意律", "满意率")]
    # a word the corpus uses as typed, a word the corpus does not use, and function words stay
    assert tokenizer.typed_alike("博览会几号开", corpus) == []
    assert tokenizer.typed_alike("博揽会几号开", {"博物馆"}.__contains__) == []
    assert tokenizer.typed_alike("出了事儿谁管", {"除了"}.__contains__) == []
    # words written apart are not one word
    assert tokenizer.typed_alike("号店 衣", {"号店一"}.__contains__) == []
    # a one-character conjunction or preposition beside a one-character word the segmenter joins to
    # nothing (既 时, 传 针) may be the typo
    assert tokenizer.typed_alike("也想搞既时零售", {"即时", "零售"}.__contains__) == [("既时", "即时")]
    # a noun with a word of place after it (馆里: in the hall) is as said, however rare the pair
    assert tokenizer.typed_alike("我们馆里打算去看看", {"管理"}.__contains__) == []


def test_a_word_typed_with_both_characters_by_their_sound_is_the_word_the_corpus_uses() -> None:
    tokenizer = Tokenizer()
    assert tokenizer.typed_alike("展会的穿针是多少", {"传真", "展会"}.__contains__) == [("穿针", "传真")]
    # a word the dictionary reads otherwise is no such word (身兼 is shen jian, 参见 can jian), nor is a
    # word said with its 儿 (地儿: one syllable, not 第二)
    assert tokenizer.typed_alike("他身兼两职吗", {"参见"}.__contains__) == []
    assert tokenizer.typed_alike("在县里找个地儿", {"第二"}.__contains__) == []
    assert tokenizer.typed_alike("传针号码多少", {"传真"}.__contains__) == [("传针", "传真")]
    assert tokenizer.typed_alike("在哪个场管办的", {"场馆"}.__contains__) == [("场管", "场馆")]
    assert tokenizer.typed_alike("他既高又帅", {"即高"}.__contains__) == []
    # ... or an adverb of one character (船 真: a ship, truly)
    assert tokenizer.typed_alike("船真号是多少", {"传真"}.__contains__) == [("船真", "传真")]
    # a character among the commonest words of the language (问: to ask) stands as typed
    assert tokenizer.typed_alike("还有人问维修目录多久调一次", {"人文", "维修", "目录"}.__contains__) == []
    # of two words the corpus uses, the commoner is meant, whatever order a set gives the characters in
    assert tokenizer.typed_alike("也想搞既时零售", {"即时", "及时", "零售"}.__contains__) == [("既时", "及时")]
    # a rare word of two characters typed for a far commoner one of general text, used by the corpus or not
    assert tokenizer.commoner_alike("名子") == "名字"
    assert tokenizer.commoner_alike("名字") is None and tokenizer.commoner_alike("门票") is None


def test_an_everyday_word_where_a_place_is_named_is_the_place_of_its_sound() -> None:
    """去义务, 在义务哪条路上: after a word that a place follows, 义务 (duty) sounds like the corpus's 义乌."""
    tokenizer = Tokenizer()
    corpus = {"义乌", "义务", "大厦"}.__contains__
    assert tokenizer.typed_alike("明天坐动车去义务看展", corpus) == [("义务", "义乌")]
    assert tokenizer.typed_alike("办公室在义务什么位置", corpus) == [("义务", "义乌")]
    # elsewhere the word is as meant, and a place the corpus does not name is no place meant
    assert tokenizer.typed_alike("企业要履行哪些义务", corpus) == []
    assert tokenizer.typed_alike("明天坐动车去义务看展", {"义务"}.__contains__) == []


def test_a_rare_word_typed_for_a_common_one_of_its_sound_is_the_word_the_corpus_uses() -> None:
    tokenizer = Tokenizer()
    corpus = {"电话", "客服", "客服电话", "直播", "带货", "直播带货", "全程", "在内"}.__contains__
    assert tokenizer.typed_alike("客服电化多少", corpus) == [("电化", "电话")]
    assert tokenizer.typed_alike("想搞直拨带货", corpus) == [("直拨", "直播")]
    # an ordinary word is as meant, whatever the corpus has of its sound; so is what the tagger cannot place
    assert tokenizer.typed_alike("文件全称叫啥", corpus) == []
    assert tokenizer.typed_alike("收录在哪张专辑", corpus) == []
    # a character that joins its other neighbour into a word the corpus uses was split off to the wrong side
    # (有+线上, segmented 有线+上), not mistyped
    assert tokenizer.typed_alike("网博会有线上云展会吗", {"有限", "线上", "展会"}.__contains__) == []
    assert tokenizer.typed_alike("网博会有线上云展会吗", {"有限", "展会"}.__contains__) == [("有线", "有限")]


def test_proper_names_written_in_pinyin() -> None:
    from index.dictionary import chinese_names

    assert chinese_names("Zhejiang") == ("浙江",) and "义乌" in chinese_names("yiwu")
    assert chinese_names("Can") == () and chinese_names("customs") == ()


def test_an_english_question_may_give_chinese_terms_beside_its_own() -> None:
    from index.tokenizer import is_english

    assert is_english("How much is the deposit to open a Douyin store (抖音小店)?")
    assert not is_english("What is 号店一体") and not is_english("Douyin的FACT经营矩阵是什么")


def test_the_chinese_a_text_gives_for_a_name_in_pinyin() -> None:
    from index.dictionary import spelled_in

    assert spelled_in("Liu Yuhang", "a man named Liu Yuhang (刘宇航)") == "刘宇航"
    assert spelled_in("yiwu", "到义乌站的车") == "义乌"
    assert spelled_in("zhejiang", "义乌站") is None


def test_every_run_of_characters_a_text_spells_a_pinyin_word_with() -> None:
    from index.dictionary import spellings

    assert list(spellings("shichang", "开拓市场，市场主体；试尝")) == ["市场", "市场", "试尝"]
    assert list(spellings("hao dian yi ti", "“号店一体”")) == ["号店一体"]  # spaces between syllables
    assert list(spellings("xyz", "市场")) == [] == list(spellings("", "市场"))


def test_the_words_a_pinyin_spelling_may_be() -> None:
    from index.dictionary import words_read_as

    assert "市场" in words_read_as("shichang") and "市场" in words_read_as("shi chang")
    assert "旅游" in words_read_as("lvyou")  # ü typed as v
    assert words_read_as("shi") == ()  # one character is too many words to guess from


def test_the_chinese_names_of_a_place_named_in_english() -> None:
    from index.dictionary import names_meaning

    assert "波兰" in names_meaning("Poland") and "波兰" in names_meaning("poland")
    assert names_meaning("EU") == ("欧洲联盟",)  # the short form its first sense gives
    assert names_meaning("Atlantis Trading") == ()


def test_the_capitals_a_word_means() -> None:
    from index.dictionary import acronyms

    assert acronyms("扣扣") == ("QQ",) and acronyms("U盘") == ("USB",)
    assert acronyms("腾讯控股有限公司") == ()  # QQ only inside a remark, not what the word means


def test_a_quoted_term_is_one_concept_its_pieces_do_not_stand_for() -> None:
    from qa.pipeline import default_tokenizer

    tok = default_tokenizer()
    concepts = dict(tok.concepts("县域商业计划里的“前置仓”是用来干嘛的"))
    assert ("前置仓",) in concepts
    # its pieces are its parts, down to one character: 前置 alone (前置货站) does not cover it
    assert "仓" in concepts[("前置仓",)] and ("前置",) not in concepts


def test_a_word_said_with_the_spoken_er_is_told_from_one_ending_in_er() -> None:
    from index.dictionary import spoken_form

    assert all(spoken_form(w) for w in ("地儿", "事儿", "玩意儿"))
    assert not any(spoken_form(w) for w in ("女儿", "婴儿", "儿子", "地方"))


def test_a_text_in_traditional_characters_is_read_in_simplified_ones() -> None:
    from index.dictionary import simplified

    assert simplified("格魯吉亞總理來華出席哪場開幕式？") == "格鲁吉亚总理来华出席哪场开幕式？"
    # a simplified text keeps the odd traditional variant it writes, as the documents do
    assert simplified("凉茶舖又叫什么？") == "凉茶舖又叫什么？"
    # characters no entry writes as traditional only stay (著名: 著 is simplified too)
    assert simplified("著名的會議在義烏舉辦") == "著名的会议在义乌举办"


def test_places_within_a_place_by_its_first_sense() -> None:
    from index.dictionary import places_within

    assert "人民大会堂" in places_within("北京") and "天坛" in places_within("北京")
    assert "义乌" in places_within("金华") and "义乌" in places_within("浙江")  # Yiwu, … in Jinhua, Zhejiang
    assert "义乌" not in places_within("北京") and not places_within("人民大会堂")
    assert "国美" not in places_within("北京")  # an electronics chain founded in Beijing is no place in it
    from index.dictionary import a_site

    assert a_site("人民大会堂") and a_site("天坛")  # sites in Beijing
    assert not a_site("义乌") and not a_site("北京") and not a_site("亦庄")  # a city, a capital, a town
