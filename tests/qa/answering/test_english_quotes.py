from qa.answering.english_names import quoted_terms

TEXT = "园区实行“一线”放开、“二线”管住，货物从“单开门”走向“双开门”。"


def test_a_quoted_english_term_is_the_chinese_term_quoted_with_its_words_characters() -> None:
    # word for word: first → 第一, 一次, 其一 … share 一; line → 线路, 线条 share 线
    assert quoted_terms("How do the 'first line' and 'second line' differ?", [TEXT]) == ["一线", "二线"]
    assert quoted_terms("Why go from a \"single door\" to a \"double door\"?", [TEXT]) == ["单开门", "双开门"]


def test_only_a_quoted_term_the_text_quotes_in_order() -> None:
    assert quoted_terms("What's the 'green channel' for?", [TEXT]) == []  # no quoted term holds 绿 and 道
    assert quoted_terms("What is the door line they talk about?", [TEXT]) == []  # nothing quoted
    assert quoted_terms("Is the 'line first' rule new?", [TEXT]) == []  # 线 before 一: not in order
    assert quoted_terms("What's the second line's rule, and what's first?", [TEXT]) == []  # apostrophes quote nothing
