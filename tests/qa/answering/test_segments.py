from qa.answering.segments import straddles


def test_a_word_cut_across_two_words_is_the_segmenters() -> None:
    words = {"带货", "主播", "货主", "综合", "保税区", "税区"}.__contains__
    # 带货主播 read 带/货主/播: 带货 runs into it from before, 主播 out of it past its end
    assert straddles("货主", "村里带货主播的培训", words)
    # a word the text holds as written is the question's, whatever words it shares characters with
    assert not straddles("货主", "货主要交哪些税", words)
    assert not straddles("保税区", "综合保税区内的企业", words)  # 综合 ends before it, not inside it
    assert not straddles("货主", "带货主", words)  # nothing runs past its end
