"""Course and subsidy decisions of the answer layer, on the sample catalogue and the real subsidy rules:
what the chat's actions send and the assist pane reads out."""

import pytest

from bot.answers.courses import ANY_TRADE, CourseSearch, courses_also_asked, decide_courses, trade_answer
from bot.answers.decision import Decision, Reply
from bot.answers.subsidy import SubsidyQuestion, decide_subsidy

ONE_BREATH = "我是彭阳的农民工，本地户口，考了叉车证，之前没领过，能补多少，附近哪有电工培训"
PENGYANG_WORKER = {"region": "彭阳县", "person_type": "农民工", "certificate": "叉车证"}


def spans(text: str, *named: tuple[str, str]) -> list[dict]:
    return [{"entity": kind, "value": value, "start": text.index(value), "end": text.index(value) + len(value)}
            for kind, value in named]  # fmt: skip


def responses(decision: Decision) -> list[str]:
    return [reply.response for reply in decision.replies]


def no_other_benefit(text: str) -> None:
    return None


def test_a_full_page_offers_more_and_keeps_the_search(finder):
    decision = decide_courses(CourseSearch(place="彭阳县"), finder)
    assert decision.kind == "courses" and len(decision.payload["courses"]) == 3
    assert responses(decision)[0] == "utter_courses_found" and responses(decision)[-1] == "utter_courses_more"
    assert decision.payload["place"] == "彭阳县" == decision.replies[0].params["place"]
    assert decision.slots == {"topic": "course", "courses_shown": 3}


def test_beside_another_answer_no_more_offer_and_no_slots(finder):
    decision = decide_courses(CourseSearch(place="彭阳县", beside=True), finder)
    assert responses(decision)[-1] == "utter_courses_other" and decision.slots == {}
    unknown = decide_courses(CourseSearch(place="彭阳县", trade="宇航员", beside=True), finder)
    assert unknown == Decision("unknown_trade", [Reply("utter_invalid_occupation")])  # the region is kept


def test_errors_forget_what_was_wrong(finder):
    unknown_trade = decide_courses(CourseSearch(place="彭阳县", trade="宇航员"), finder)
    assert unknown_trade.slots == {"topic": "course", "occupation": None}
    unknown_place = decide_courses(CourseSearch(place="火星"), finder)
    assert responses(unknown_place) == ["utter_invalid_region"]
    assert unknown_place.slots == {"topic": "course", "region": None, "location": None}


def test_no_course_of_the_trade_nearby_lists_other_trades_or_the_nearest_farther(finder):
    farther = decide_courses(CourseSearch(place="拉萨市", trade="焊工"), finder)
    assert farther.kind == "courses_farther" and len(farther.payload["courses"]) == 1


@pytest.mark.parametrize(
    ("text", "named", "expected"),
    [("都行", [], ANY_TRADE), ("电焊", [], "电焊"), ("我有叉车证，想学电焊", ["叉车证", "电焊"], "电焊"),
     ("我有叉车证", ["叉车证"], None), ("宇航员", [], None)],
)  # fmt: skip
def test_the_answer_to_what_trade(text, named, expected):
    assert trade_answer(text, spans(text, *(("occupation", v) for v in named))) == expected


@pytest.mark.parametrize(
    ("text", "named", "known", "expected"),
    [
        (ONE_BREATH, [("region", "彭阳"), ("certificate", "叉车证"), ("certificate", "电工")], None,
         CourseSearch(place="彭阳县", trade="电工", beside=True)),
        ("能补多少，哪里能学焊工", [("certificate", "焊工")], "彭阳县",
         CourseSearch(place="彭阳县", trade="焊工", beside=True)),  # the asker's known place
        ("能补多少，哪里能学焊工", [("certificate", "焊工")], None, None),  # no place: the form asks it first
        ("彭阳考了叉车证能补多少", [("region", "彭阳"), ("certificate", "叉车证")], None, None),
    ],
)  # fmt: skip
def test_courses_a_subsidy_question_also_looks_for(text, named, known, expected):
    assert courses_also_asked(text, spans(text, *named), known) == expected


def test_the_amount_then_the_cards(finder):
    question = SubsidyQuestion(
        ONE_BREATH,
        {**PENGYANG_WORKER, "hukou_local": "是", "times_claimed": "0"},
        courses=CourseSearch(place="彭阳县", trade="电工", beside=True),
    )
    amount, cards = decide_subsidy(question, other=no_other_benefit, finder=finder)
    assert (
        responses(amount) == ["utter_subsidy_estimate"]
        and "1400元" in amount.replies[0].params["explanation"]
    )
    assert amount.payload["subsidy"]["total_yuan"] == 1400 and amount.citations
    assert amount.slots == {"topic": "subsidy"}
    assert {c["occupation"] for c in cards.payload["courses"]} == {"电工"} and cards.slots == {}


def test_the_pane_asks_what_the_amount_depends_on_first():
    question = SubsidyQuestion("彭阳县能补多少", {"region": "彭阳县"}, asks_first=True)
    [decision] = decide_subsidy(question, other=no_other_benefit)
    # The amount depends on the certificate; who may claim is a plain condition stated with it.
    assert decision.kind == "subsidy_question" and responses(decision) == ["utter_ask_certificate"]
    conditional = SubsidyQuestion("彭阳农民工考了叉车证能补多少", PENGYANG_WORKER, asks_first=True)
    [decision] = decide_subsidy(conditional, other=no_other_benefit)  # only plain conditions remain
    assert decision.kind == "subsidy" and "如果您是彭阳户籍" in decision.replies[0].params["explanation"]


def test_a_certificate_of_several_catalogue_rows_is_asked_as_a_choice():
    question = SubsidyQuestion(
        "彭阳农民工考了焊工证能补多少", {**PENGYANG_WORKER, "certificate": "焊工证"}, asks_first=True
    )
    [decision] = decide_subsidy(question)
    [reply] = decision.replies
    assert reply.response == "utter_ask_certificate_choice"
    assert reply.params == {"certificate": "焊工证", "choices": "焊接与热切割作业、特种设备焊接作业"}
    assert [b["title"] for b in reply.buttons or []] == ["焊接与热切割作业", "特种设备焊接作业"]


def test_another_benefit_is_named_and_leaves_the_topic():
    named = Decision("neighbour", [Reply("utter_neighbour_benefit", {"benefit": "失业保险金"})])
    [decision] = decide_subsidy(SubsidyQuestion("失业金能领多少", {}), other=lambda text: named)
    assert responses(decision) == ["utter_neighbour_benefit"] and decision.slots == {"topic": None}


def test_a_place_without_local_rules_gets_the_national_rule_that_answers(retriever):
    """上海 has no documents here: the calculator could only say so; the national rule on certificates
    answers, after saying the documents have no 上海 rules."""
    question = SubsidyQuestion("上海厨师证补贴多少钱", {"region": "上海市", "certificate": "厨师"})
    [decision] = decide_subsidy(question, other=no_other_benefit)
    assert decision.kind == "answer" and decision.replies[0].response == "utter_policy_national_only"
    assert decision.citations and all(c["doc_id"].startswith("nat-") for c in decision.citations)
    assert decision.slots == {"topic": "subsidy"}
    # A place the calculator has rules for is the calculator's.
    local = SubsidyQuestion("彭阳叉车证补多少", {**PENGYANG_WORKER, "times_claimed": "没有"})
    assert decide_subsidy(local, other=no_other_benefit)[0].kind == "subsidy"


def test_a_place_without_local_rules_gets_the_national_clause_on_the_benefit_and_what_it_does_not_say(
    retriever,
):
    """烟台 has no documents here and the national clause on 生活费补贴 names no amount: it is quoted, saying
    first that the documents have no 烟台 rules and after it that the amount is not said."""
    question = SubsidyQuestion("烟台线上职业技能培训生活费补贴有多少", {"region": "烟台市"}, opening=True)
    [decision] = decide_subsidy(question, other=no_other_benefit)
    assert decision.kind == "partial"
    assert [r.response for r in decision.replies[:2]] == [
        "utter_policy_national_only",
        "utter_policy_partial",
    ]
    assert all(c["doc_id"].startswith("nat-") for c in decision.citations)


def test_with_no_place_yet_the_pane_gives_the_national_rule_then_asks_the_place(retriever):
    """As the chat's form does: the national rule that answers first, without the policy answer's own
    offer of places, then the calculator's question for the place."""
    national, ask = decide_subsidy(
        SubsidyQuestion("育婴师证能补多少钱", {}, asks_first=True), other=no_other_benefit
    )
    assert national.kind == "answer" and all(c["doc_id"] == "nat-2017-40" for c in national.citations)
    assert "utter_policy_local_offer" not in responses(national) and not national.slots
    assert ask.kind == "subsidy_question" and responses(ask) == ["utter_ask_region"]
    assert "彭阳县" in [b["title"] for b in ask.replies[0].buttons or []]  # as the chat's form asks it


def test_with_no_place_yet_the_national_clause_saying_what_it_does_not_say_comes_first(retriever):
    """An answer now: the national clause on the benefit asked of, quoted as not saying what was asked
    (社区护理员, a certificate it does not name), before the question for the place."""
    national, ask = decide_subsidy(
        SubsidyQuestion("考社区护理员证国家有没有补贴", {}, asks_first=True, opening=True),
        other=no_other_benefit,
    )
    assert national.kind == "partial" and all(c["doc_id"].startswith("nat-") for c in national.citations)
    assert "utter_policy_local_offer" not in responses(national)
    assert ask.kind == "subsidy_question" and responses(ask) == ["utter_ask_region"]


@pytest.mark.parametrize("text", ["叉车证能补多少钱", "高压电工证能补多少钱"])
def test_a_safety_permits_amount_with_no_place_yet_asks_the_place_only(retriever, text):
    """叉车证 is a safety permit (彭阳's catalogue files it under 特种设备), and so is 高压电工证 though jieba
    cuts off its 高压: the national rules on 职业资格证书 and 职业技能等级证书 do not settle them, so no
    national standard is quoted for them before the place."""
    [ask] = decide_subsidy(SubsidyQuestion(text, {}, asks_first=True), other=no_other_benefit)
    assert ask.kind == "subsidy_question" and responses(ask) == ["utter_ask_region"]
    assert not ask.citations


def test_the_place_rule_that_answers_comes_before_asking_who_the_asker_is(retriever):
    """An answer now, its conditions stated: 天津's clause on the training-fee subsidy by the catalogue,
    then who the asker is, which the amount depends on."""
    local, ask = decide_subsidy(
        SubsidyQuestion("天津育婴师补贴能拿多少钱", {"region": "天津市"}, asks_first=True, opening=True),
        other=no_other_benefit,
    )
    assert local.kind == "answer" and {c["doc_id"] for c in local.citations} <= {"tj-2022-20", "tj-2026-10"}
    assert not local.slots
    assert ask.kind == "subsidy_question" and responses(ask) == ["utter_ask_person_type"]


def test_a_place_whose_documents_publish_no_amount_gets_the_national_standard_after(retriever):
    """湖南's documents set up subsidies without amounts: the calculator says so, then the national
    standard that frames every province's follows an amount question — not any other question."""
    local, national = decide_subsidy(
        SubsidyQuestion("在湖南考了中级育婴师证补贴能拿多少", {"region": "湖南省"}), other=no_other_benefit
    )
    assert local.kind == "subsidy" and "没有公布具体金额" in local.replies[0].params["explanation"]
    assert national.kind == "answer" and all(c["doc_id"].startswith("nat-") for c in national.citations)
    assert "utter_policy_national_note" in responses(national)
    [only] = decide_subsidy(SubsidyQuestion("湖南省", {"region": "湖南省"}), other=no_other_benefit)
    assert only.kind == "subsidy"


def test_outside_the_mainland_no_national_standard_follows(retriever):
    """澳门 has no documents and the national rules do not run there: the calculator says it has no rules
    for the place, and no national rule follows."""
    [only] = decide_subsidy(
        SubsidyQuestion("澳门考电工证有补贴吗", {"region": "澳门"}), other=no_other_benefit
    )
    assert only.kind == "subsidy" and not only.citations


def test_the_message_asking_of_a_certificates_fee_is_not_answered_with_a_subsidy(retriever):
    """叉车证的考试费 is the certificate's fee, not a subsidy: said not to be covered when it is the message
    that asked; a message that only names the certificate (彭阳考了叉车证) asks for its subsidy."""
    [decision] = decide_subsidy(SubsidyQuestion("叉车证的考试费是多少", {}, asks_first=True, opening=True))
    assert responses(decision) == ["utter_policy_certificate_itself"] and not decision.citations
    asked = decide_subsidy(SubsidyQuestion("彭阳考了叉车证", {}, asks_first=True, opening=True))
    assert "utter_policy_certificate_itself" not in [r for d in asked for r in responses(d)]
