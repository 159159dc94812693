from index.written import as_written
from index.wu import as_mandarin, is_wu


def test_wu_pronouns_question_words_and_particles_read_as_mandarin() -> None:
    assert as_mandarin("侬晓得伐？") == "你晓得吗？"
    assert as_mandarin("阿拉啥辰光好去？") == "我们什么时候好去？"
    assert as_mandarin("搿只摊位几钿？") == "这个摊位多少钱？"
    assert as_mandarin("伊拉办公室辣啥地方额？") == "他们办公室在啥地方的？"
    assert as_mandarin("阿拉勿是来白相额") == "我们不是来玩的"


def test_mandarin_is_left_alone() -> None:
    for text in ("请勿吸烟，展馆里有辣椒酱卖吗", "阿拉伯国家的贸易额是多少", "伊拉克的进口额", "步伐？", "格鲁吉亚总理是谁"):
        assert not is_wu(text)
        assert as_mandarin(text) == text


def test_mandarin_words_inside_wu_are_kept() -> None:
    assert as_mandarin("侬晓得零售额伐？") == "你晓得零售额吗？"
    assert as_mandarin("阿拉要额外交钞票伐？") == "我们要额外交钞票吗？"
    assert as_mandarin("侬欢喜吃辣椒伐？") == "你欢喜吃辣椒吗？"


def test_a_question_as_the_corpus_writes_it() -> None:
    assert as_written("格魯吉亞總理喺边度見面？") == "格鲁吉亚总理在哪里见面？"
    assert as_written("搿只展會辣啥地方開？幾號開？") == "这个展会在啥地方开？几号开？"
