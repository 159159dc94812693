from index.cantonese import as_mandarin, is_cantonese


def test_cantonese_question_words_read_as_mandarin() -> None:
    assert as_mandarin("展会喺边度举办㗎？") == "展会在哪里举办？"
    assert as_mandarin("佢哋几时开始？") == "他们什么时候开始？"
    assert as_mandarin("客服电话系几多？") == "客服电话是多少？"
    assert as_mandarin("同咩嘢绑埋一齐？") == "同什么绑在一起？"


def test_which_before_a_noun_who_on_its_own() -> None:
    assert as_mandarin("系边个部门发嘅？") == "是哪个部门发的？"
    assert as_mandarin("负责人系边个？") == "负责人是谁？"
    # and before a count, which ones of so many (边三项: 哪三项); 旁边, 那边 stay
    assert as_mandarin("措施系边三项？") == "措施是哪三项？"
    for text in ("旁边几个展馆", "那边两个人", "东边三号门"):
        assert as_mandarin(text) == text


def test_mandarin_is_left_alone() -> None:
    for text in ("中格关系是什么时候建立的", "仲裁几时开始", "我们要寄点样品", "重点解决什么问题", "这边个人能参展吗"):
        assert not is_cantonese(text)
        assert as_mandarin(text) == text


def test_mandarin_words_inside_cantonese_are_kept() -> None:
    assert as_mandarin("中格关系系点样嘅？") == "中格关系是怎样的？"
    assert as_mandarin("佢话要重点解决咩问题？") == "他话要重点解决什么问题？"
    assert as_mandarin("仲裁系咩？") == "仲裁是什么？"
    assert as_mandarin("佢哋呢边个人都可以报名？") == "他们这边个人都可以报名？"
