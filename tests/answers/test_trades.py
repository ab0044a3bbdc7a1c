"""A trade the message names is a certificate held (the amount is for it) or a course wanted (the cards
are for it), read from the cue words of knowledge/cues.yml. Entities as today's NLU gives them: it tags
both 叉车证 and the wanted 电工 as `certificate` in a subsidy question, both as `occupation` in a course
search."""

import pytest

from bot.answers.cues import get_cues
from bot.answers.trades import read_trades


def spans(text: str, kind: str, *values: str) -> list[dict]:
    return [
        {"entity": kind, "value": v, "start": text.index(v), "end": text.index(v) + len(v)} for v in values
    ]


@pytest.mark.parametrize(
    ("text", "kind", "values", "course_search", "certificates", "courses"),
    [
        ("我是彭阳的农民工，本地户口，考了叉车证，之前没领过，能补多少，附近哪有电工培训", "certificate",
         ("叉车证", "电工"), False, ("叉车证",), ("电工",)),
        ("彭阳的农民工，拿了电工证，想学焊工，能补多少", "certificate", ("电工证", "焊工"), False, ("电工证",), ("焊工",)),
        ("拿到了焊工证，领过一次，能补多少，附近有叉车培训吗", "certificate", ("焊工证", "叉车"), False,
         ("焊工证",), ("叉车",)),
        ("我有叉车证，想学电焊，彭阳哪里有培训", "occupation", ("叉车证", "电焊"), True, ("叉车证",), ("电焊",)),
        ("考了中级电工证，领过一次，能补多少钱", "certificate", ("电工证",), False, ("电工证",), ()),
        ("我是大学生电工证能补多少", "certificate", ("电工证",), False, ("电工证",), ()),  # 学 of 大学生 is no cue
        ("叉车培训补贴多少钱", "certificate", ("叉车",), False, ("叉车",), ()),  # 培训补贴 is the subsidy's name
        ("哪里可以考叉车证", "certificate", ("叉车证",), False, (), ("叉车证",)),  # 哪里可以考 over 考
        ("叉车证能补多少", "certificate", ("叉车证",), False, ("叉车证",), ()),  # no cue: the message's role
        ("彭阳哪里可以学叉车", "occupation", ("叉车",), True, (), ("叉车",)),
        ("叉车", "occupation", ("叉车",), True, (), ("叉车",)),
    ],
)  # fmt: skip
def test_roles_from_the_cue_words(text, kind, values, course_search, certificates, courses):
    trades = read_trades(text, spans(text, kind, *values), course_search)
    assert (trades.certificates, trades.courses) == (certificates, courses)


def test_a_subsidy_question_naming_only_a_course_asks_the_amount_for_it():
    text = "彭阳农民工想学电工能补多少"
    trades = read_trades(text, spans(text, "certificate", "电工"), course_search=False)
    assert trades.courses == ("电工",) and trades.certificate == "电工"
    assert read_trades(text, spans(text, "certificate", "电工"), course_search=True).certificate is None


def test_entities_without_offsets_are_found_in_the_text():
    text = "考了叉车证，哪里有电工培训"
    trades = read_trades(text, [{"entity": "certificate", "value": v} for v in ("电工", "叉车证")], False)
    assert (trades.certificate, trades.course) == ("叉车证", "电工")  # in the order named


def test_other_entities_are_no_trades():
    text = "彭阳的农民工"
    entities = spans(text, "region", "彭阳") + spans(text, "person_type", "农民工")
    assert read_trades(text, entities, course_search=False).certificate is None


@pytest.mark.parametrize(("text", "dont_know", "any_trade"), [("不清楚", True, False), ("都行", False, True),
                                                              ("不知道", True, True), ("电焊", False, False)])  # fmt: skip
def test_dont_know_and_any_trade_words(text, dont_know, any_trade):
    cues = get_cues()
    assert (cues.says_dont_know(text), cues.means_any_trade(text)) == (dont_know, any_trade)
