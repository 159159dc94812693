from qa.answering.plans import asks_done, planned_not_done

TARGET = "到2025年,在全国打造500个左右的县域商业“领跑县”。"


def test_what_already_is_is_not_answered_by_a_plan() -> None:
    assert planned_not_done("全国已经建成多少个领跑县了", TARGET)
    assert planned_not_done("那个公告已经发布了吗", "将制定出台《综合保税区检验检疫管理公告》。")
    # what is planned, asked as such, is answered by the plan
    assert not planned_not_done("到2025年要打造多少个领跑县", TARGET)
    # what already is, answered by a report of it
    assert not planned_not_done("物流时效指数已经连着涨了几个月", "物流时效指数较上月提高0.3个点,连续7个月保持上升。")
    # 将其作为 (taking it as) is no plan
    assert not planned_not_done("已经成熟的模式往哪推", "总结共同配送成熟模式,将其作为重点支持方向。")


def test_done_is_read_in_a_clause_that_asks() -> None:
    assert asks_done("现在已经有几个县达标了？")
    assert not asks_done("我们已经报名了，展会在哪里？")  # the asker's story asks nothing
