from qa.answering.kinds import QType, extract_span
from qa.answering.respective import respective
from qa.answering.spans import NUMBER_RE


def _figures(sentence: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group(0)) for m in NUMBER_RE.finditer(sentence)]


def test_the_figure_in_the_place_of_the_subject_asked_of() -> None:
    sentence = "今年一季度，全省出口额和进口额均有增长，分别增长8%和3%。"
    assert respective(_figures(sentence), sentence, ["进口额"]) == "3%"
    assert respective(_figures(sentence), sentence, ["出口额"]) == "8%"
    three = "茶叶、水果及蔬菜的线上销量分别为12万吨、30万吨和45万吨。"
    assert respective(_figures(three), three, ["水果", "销量"]) == "30万"


def test_no_pairing_without_its_grounds() -> None:
    sentence = "今年一季度，全省出口额和进口额均有增长，分别增长8%和3%。"
    assert respective(_figures(sentence), sentence, ["增长"]) is None  # a word of both subjects names neither
    assert respective(_figures(sentence), sentence, ["外贸"]) is None
    uneven = "出口额和进口额分别增长8%、3%和5%。"  # two subjects, three figures
    assert respective(_figures(uneven), uneven, ["进口额"]) is None
    plain = "出口额和进口额增长8%和3%。"  # no 分别: nothing pairs them in turn
    assert respective(_figures(plain), plain, ["进口额"]) is None


def test_a_value_question_takes_the_respective_figure() -> None:
    sentence = "上半年，反映需求的城市快递业务量和乡村快递业务量稳中有升，分别保持15%和30%以上的增长。"
    assert extract_span("乡村快递业务量增速多少", sentence, QType.NUMBER, ["乡村", "快递", "业务量", "增速"]) == "30%"
