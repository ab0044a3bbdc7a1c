"""Scope and relevance of policy answers, on the real knowledge base: the behaviours the decision
promises, each with a question of the kind people post (not a list of phrases the code knows)."""

import pytest

from bot.answers.policy import PENDING_SLOT, Question, asked_benefits, decide_policy
from bot.answers.scope import asker_place
from bot.answers.topics import get_topics
from bot.subsidy.engine import known_certificates


def decide(retriever, text: str, place: str | None = None, asked_place: bool = False):
    return decide_policy(Question(text, asker_place(place), asked_place), retriever)


def cited_docs(decision) -> set[str]:
    return {c["doc_id"] for c in decision.citations}


@pytest.mark.parametrize(
    ("text", "place"), [("合肥的以工代训补贴怎么申请", "合肥"), ("济南的以工代训多少钱", "济南")]
)
def test_a_place_no_document_covers_is_named_and_nothing_is_cited(retriever, text, place):
    decision = decide(retriever, text, place)
    assert decision.kind == "place_not_covered" and not decision.citations
    reply = decision.replies[0]
    assert reply.params["place"] == asker_place(place).name
    assert "湖南省" in reply.params["covered"] and "宁夏彭阳县" in reply.params["covered"]


def test_a_national_rule_for_a_place_without_local_documents_says_both(retriever):
    decision = decide(retriever, "合肥的电工中级证能补吗", "合肥")
    assert decision.kind == "answer" and all(c["doc_id"].startswith("nat-") for c in decision.citations)
    first = decision.replies[0]
    assert first.response == "utter_policy_national_only" and first.params["place"] == "合肥市"
    assert decision.replies[1].params["scope"] == "全国" and decision.replies[1].params["year"]


@pytest.mark.parametrize(
    ("text", "place"), [("澳门考电工证有补贴吗", "澳门"), ("香港技能提升补贴怎么申请", "香港")]
)
def test_the_national_rules_do_not_answer_outside_the_mainland(retriever, text, place):
    decision = decide(retriever, text, place)
    assert decision.kind == "place_not_covered" and not decision.citations


def test_a_province_document_answers_its_cities(retriever):
    decision = decide(retriever, "湖南今年要培训多少人", "长沙")
    assert decision.kind == "answer" and cited_docs(decision) <= {"hunan-2026-17", "hunan-2023-15"}
    assert decision.replies[0].params["scope"] == "湖南省" and decision.replies[0].params["year"]


def test_a_county_document_does_not_answer_its_city(retriever):
    decision = decide(retriever, "固原市新型学徒制补贴多少钱", "固原市")
    assert "pengyang-2026" not in cited_docs(decision)  # 彭阳县's rule is not 固原市's
    if decision.citations:  # a national rule, said to be one
        assert cited_docs(decision) <= {"nat-2017-40", "nat-2023-181"}
        assert decision.replies[0].response == "utter_policy_national_only"


def test_a_benefit_the_covering_documents_do_not_name_is_not_answered(retriever):
    decision = decide(retriever, "岳阳的以工代训补贴怎么申请", "岳阳")  # only 彭阳县's document names it
    assert decision.kind == "not_covered" and not decision.citations
    assert decision.replies[0].params == {"topic": "以工代训", "place": "岳阳市"}


@pytest.mark.parametrize(
    ("text", "benefit"),
    [("灵活就业社保补贴在哪申请", "灵活就业人员社会保险补贴"), ("毕业生求职创业补贴怎么领", "一次性求职创业补贴"),
     ("失业金一个月能领多少", "失业保险金"), ("考社工证有补贴吗", "职称（专业技术资格）"),
     ("中级职称评审条件", "职称（专业技术资格）"),
     # A professional qualification is no skill certificate, whatever subsidy or training is named with it.
     ("建造师证书能领技能补贴吗", "职称（专业技术资格）"), ("考会计证参加培训有补贴吗", "职称（专业技术资格）"),
     ("电气工程师证书有补贴吗", "职称（专业技术资格）"),
     # An academic certificate is no skill certificate either.
     ("拿到成人高考毕业证能领补贴吗", "自考、成人高考等学历证书")],
)  # fmt: skip
def test_neighbouring_benefits_are_named_and_pointed_elsewhere(retriever, text, benefit):
    decision = decide(retriever, text, "彭阳县")
    assert decision.kind == "neighbour" and not decision.citations
    assert decision.replies[0].params["benefit"] == benefit and decision.replies[0].params["office"]


def test_a_documents_programme_holding_a_neighbours_name_is_answered(retriever):
    decision = decide(retriever, "数字技术工程师培训有补贴吗", "长沙")  # 湖南's programme, no 职称's 工程师
    assert decision.kind == "answer" and cited_docs(decision) == {"hunan-2026-17"}


def test_a_certificate_named_as_the_documents_word_it_is_no_other_benefit(retriever):
    decision = decide(
        retriever, "国家资格证书补贴怎么领取"
    )  # 资格证书: in 职业资格证书, though jieba keeps it whole
    assert decision.kind == "answer" and cited_docs(decision) <= {"nat-2017-40", "nat-2023-181"}


def test_a_clause_silent_on_the_aspect_is_quoted_as_such(retriever):
    decision = decide(retriever, "以工代训的补贴多久能到账", "彭阳")
    assert decision.kind == "partial" and cited_docs(decision) == {"pengyang-2026"}
    assert decision.replies[0].params["aspect"] == "多久发放、什么时候到账"
    assert "以工代训" in decision.citations[0]["text"]
    # The clause saying what 以工代训 pays and for whom, not the one saying which funds pay for it.
    assert decision.citations[0]["passage_id"] == "pengyang-2026:2.4"


def test_a_definition_is_the_clause_that_defines(retriever):
    decision = decide(retriever, "什么是以工代训")
    assert decision.kind == "answer"
    assert decision.citations[0]["passage_id"] == "pengyang-2026:2.4"
    # No place known: the answer says whose rule it is.
    assert [r.response for r in decision.replies][1] == "utter_policy_local_note"


def test_no_place_and_a_local_rule_asks_the_place_once(retriever):
    first = decide(retriever, "培训机构虚假培训会怎么处理")
    assert first.kind == "ask_place" and not first.citations
    assert first.slots == {PENDING_SLOT: "培训机构虚假培训会怎么处理"}
    # Only 广东's and 贵州's documents speak of 虚假培训 (彭阳's supervision clause does not).
    assert [b["title"] for b in first.replies[0].buttons] == ["广东省", "贵州省"]
    again = decide(retriever, "培训机构虚假培训会怎么处理", asked_place=True)
    assert again.kind == "answer" and cited_docs(again) <= {"guangdong-2025-skills", "guizhou-2025-3"}
    assert "utter_policy_local_note" in [r.response for r in again.replies]


def test_traditional_characters_get_the_same_answer(retriever):
    simplified = decide(retriever, "培训机构虚假培训会怎么处理", "贵阳")
    traditional = decide(retriever, "培訓機構虛假培訓會怎麼處理", "貴陽")
    assert simplified.kind == "answer" and simplified.citations == traditional.citations


@pytest.mark.parametrize(
    ("text", "place"),
    [("长沙职业院校社会培训收入怎么分配", "长沙"), ("培训机构虚假培训会怎么处理", "彭阳县")],
)
def test_a_clause_without_the_questions_words_does_not_answer(retriever, text, place):
    assert not decide(retriever, text, place).citations


@pytest.mark.parametrize("place", ["广东", None])
def test_glossary_explanations_come_only_from_documents_covering_the_asker(retriever, place):
    """Under a national answer to an asker whose place is not known, 彭阳's explanation would be 彭阳's
    rule given as everyone's."""
    decision = decide(retriever, "新型学徒制补贴多少钱", place)
    assert decision.citations
    explained = [r.params["term"] for r in decision.replies if r.response == "utter_glossary_term"]
    assert "新型学徒制" not in explained  # its explanation quotes 彭阳's amounts


def test_out_of_scope_names_a_neighbour_and_answers_a_training_question_as_policy():
    from bot.answers.policy import decide_out_of_scope

    named = decide_out_of_scope(Question("稳岗返还什么时候到账", None))
    assert named.kind == "neighbour" and named.replies[0].params["benefit"] == "稳岗返还"
    assert decide_out_of_scope(Question("今天天气怎么样", None)).replies[0].response == "utter_out_of_scope"
    # A training benefit beside it makes it a training question, not a neighbour's: the policy answer.
    from bot.answers.decision import Decision

    asked = []

    def policy(question):
        asked.append(question.text)
        return Decision("answer", [])

    training = decide_out_of_scope(Question("失业人员参加创业培训有补贴吗", None), policy=policy)
    assert training.kind == "answer" and asked == ["失业人员参加创业培训有补贴吗"]
    # So is a certificate the NLU never saw.
    assert decide_out_of_scope(Question("全媒体运营师补贴怎么领取", None), policy=policy).kind == "answer"


def test_thanks_closing_a_question_get_its_answer_and_thanks_alone_the_thanks_reply():
    """保育员证补贴领取，谢谢 was read as thanks: the question it closes is answered, as an unclear message
    asking of a benefit is; 谢谢 and 好的谢谢 get the reply to thanks; a neighbour is named."""
    from bot.answers.decision import Decision
    from bot.answers.policy import SMALL_TALK, decide_thanks

    answered = Decision("answer", [])
    policy = lambda question: answered  # noqa: E731
    assert decide_thanks(Question("保育员证补贴领取，谢谢", None), policy=policy) is answered
    assert decide_thanks(Question("中级人力资源补贴？谢谢", None), policy=policy) is answered
    for thanks in ("谢谢", "好的谢谢", "太感谢了"):
        decision = decide_thanks(Question(thanks, None), policy=policy)
        assert decision.kind == SMALL_TALK and decision.replies[0].response == "utter_thank", thanks
    assert decide_thanks(Question("失业金怎么领，谢谢", None), policy=policy).kind == "neighbour"


def test_a_message_read_as_out_of_scope_or_unclear_is_answered_where_its_words_say():
    """The NLU keeps no entity of a message it puts out of scope: when the answer layer takes it for a
    training question after all, the place the message names is the asker's, over the conversation's."""
    from bot.answers.decision import Decision
    from bot.answers.policy import decide_out_of_scope, decide_unclear

    asked = []

    def policy(question):
        asked.append(question.place and question.place.name)
        return Decision("answer", [])

    tianjin = asker_place("天津市")
    decide_out_of_scope(Question("北京市的技能提升补贴怎么申请", tianjin), policy=policy)
    decide_unclear(Question("常德失业保险金技能提升补贴申请", None), policy=policy)
    decide_out_of_scope(Question("失业人员参加创业培训有补贴吗", tianjin), policy=policy)
    assert asked == ["北京市", "常德市", "天津市"]


def test_off_topic_questions_get_no_clause(retriever):
    from bot.settings import ROOT
    from retrieval.evaluate import load_eval_set

    for text in load_eval_set(ROOT / "knowledge" / "eval" / "retrieval.yml").out_of_scope:
        assert not decide(retriever, text).citations, text


@pytest.mark.parametrize(
    ("start", "until", "replaced_by", "today", "expected"),
    [
        ("2022-08-01", "2027-07-31", None, "2026-12-05", True),
        ("2022-08-01", "2027-07-31", None, "2027-08-01", False),  # past its end
        ("2026-05-01", "", None, "2026-04-30", False),  # not yet
        ("2017-05", "", None, "2026-12-05", True),  # month precision
        ("2017", "2025", None, "2025-06-30", True),  # a year's end date covers that year
        ("", "", "tj-2026-10", "2026-12-05", False),  # replaced
    ],
)
def test_a_document_is_in_force_between_its_dates_unless_replaced(start, until, replaced_by, today, expected):
    from dataclasses import replace
    from datetime import date

    from bot.answers.scope import in_force
    from bot.settings import ROOT
    from retrieval.corpus import load_document

    document = load_document(ROOT / "knowledge" / "policies" / "tj-2022-20.md")
    document = replace(document, in_force_from=start, in_force_until=until, replaced_by=replaced_by)
    assert in_force(document, date.fromisoformat(today)) is expected


def test_an_answer_from_a_document_past_its_end_says_so(retriever):
    from datetime import date

    decision = decide_policy(
        Question("天津名师带徒师傅能拿多少资助", asker_place("天津"), today=date(2028, 1, 1)),
        retriever,
    )
    assert decision.citations[0]["doc_id"] == "tj-2022-20"  # the only document that says it
    assert decision.replies[1].response == "utter_policy_not_in_force"
    assert decision.replies[1].params["until"] == "2027-07-31"


def test_a_clause_about_a_non_training_benefit_never_answers(retriever):
    # 就业补助资金管理办法 第十条 is about 社会保险补贴: it answers no training question.
    decision = decide(retriever, "未就业毕业生有补贴吗多少钱")
    assert "nat-2023-181:art10" not in {c["passage_id"] for c in decision.citations}


def test_fraud_is_answered_by_a_clause_on_fraud_not_by_one_on_officials_misconduct(retriever):
    """就业补助资金管理办法 第二十九条 holds the departments' staff to account; it does not say what happens to
    whoever 骗取 the money, so it does not answer; the local documents that do are offered."""
    fraud = decide(retriever, "骗取就业补助资金会怎么处理")
    assert fraud.kind == "ask_place" and not fraud.citations
    in_tianjin = decide(retriever, "骗取培训补贴会怎么样", "天津")
    assert [c["passage_id"] for c in in_tianjin.citations] == ["tj-2022-20:art30"]


@pytest.mark.parametrize(
    "text", ["技能提升补贴申领有期限吗", "技能提升补贴过期了还能申请吗", "技能提升补贴申请有没有时间限制"]
)
def test_a_time_limit_is_answered_by_the_clause_that_sets_one(retriever, text):
    """A time limit ("有期限吗") is an aspect of its own: the clause with "之日起12个月内", not the
    conditions list that names neither."""
    decision = decide(retriever, text)
    assert decision.kind == "answer" and "12个月内" in decision.replies[0].params["quote"]


def test_a_programme_only_one_place_runs_is_answered_from_that_place_labelled(retriever):
    """湘培直通车 is 湖南's programme: asking where the asker is would be pointless; the answer says
    whose rule it is. A benefit run everywhere (以工代训) still asks the place."""
    decision = decide(retriever, "湘培直通车怎么报名")
    assert decision.kind == "answer" and cited_docs(decision) <= {"hunan-2026-17", "hunan-2023-15"}
    note = next(r for r in decision.replies if r.response == "utter_policy_local_note")
    assert note.params["scope"] == "湖南省"
    assert decide(retriever, "以工代训要培训多少天").kind == "ask_place"


def test_a_benefit_name_one_character_off_is_read_as_that_benefit(retriever):
    """技能提高补贴 is 技能提升补贴 mistyped or misremembered: answered from its 审核程序, not from a clause
    that happens to say 提高."""
    decision = decide(retriever, "技能提高补贴怎么申请")
    assert decision.kind == "answer" and decision.citations[0]["section"].startswith("二、")


def test_a_paper_called_zheng_is_not_a_certificate_unless_an_occupation_holds_it(retriever):
    """保育员证 is asked about as any 证书 (the rules on certificates are the rules on it); 结婚证 is not a
    vocational certificate, so no clause on certificates answers it."""
    assert not decide(retriever, "结婚证怎么办理").citations
    assert decide(retriever, "保育员证考过了有补贴吗").kind == "answer"


def test_no_place_the_national_rule_now_then_the_places_whose_rules_say_more(retriever):
    """彭阳's catalogue names 消防设施操作员, the national rule speaks of any certificate: the national rule
    is the answer now, labelled, and the places with their own rules are offered to tap; tapping one
    answers the same question from its documents."""
    decision = decide(retriever, "消防设施操作员证能补多少钱")
    assert decision.kind == "answer" and cited_docs(decision) == {"nat-2017-40"}
    responses = [r.response for r in decision.replies]
    assert "utter_policy_national_note" in responses and responses[-1] == "utter_policy_local_offer"
    assert "宁夏彭阳县" in [b["title"] for b in decision.replies[-1].buttons]
    assert decision.slots == {PENDING_SLOT: "消防设施操作员证能补多少钱"}
    local = decide(retriever, "消防设施操作员证能补多少钱", "彭阳县", asked_place=True)
    assert cited_docs(local) == {"pengyang-2026"}


def test_a_safety_permit_with_no_place_asks_the_place(retriever):
    """叉车证 and 低压电工证 are safety permits (彭阳's catalogue files them under 特种设备 and 特种作业): the
    national rules on 职业资格证书 and 职业技能等级证书 do not settle them, so no national clause answers
    for them; the place is asked, and 彭阳's row answers there. Named with a skill level, 高级电工证 is a
    职业技能等级证书, which the national rule answers."""
    for question in ("叉车证能补多少钱", "低压电工证在哪里申请补贴", "低压电工证怎么申请国家补贴"):
        decision = decide(retriever, question)
        assert decision.kind == "ask_place" and not decision.citations, question
        assert decision.replies[0].buttons, question
    local = decide(retriever, "叉车证能补多少钱", "彭阳县", asked_place=True)
    assert [c["passage_id"] for c in local.citations] == ["pengyang-2026:a1.22"]
    assert cited_docs(decide(retriever, "高级电工证国家有补贴吗")) == {"nat-2017-40"}


def test_an_occupation_jieba_cuts_in_two_is_asked_about_as_any_certificate(retriever):
    """茶艺师证 comes out of jieba as 茶艺 + 师证 and the documents never name it: the rule on any
    certificate answers; 应急救援员 (应急 + 救援 + 员证) is a row of 彭阳's catalogue and keeps its row."""
    tea = decide(retriever, "考了中级茶艺师证能补多少钱")
    assert tea.kind == "answer" and cited_docs(tea) == {"nat-2017-40"}
    rescue = decide(retriever, "应急救援员证补几个钱", "彭阳县")
    assert [c["passage_id"] for c in rescue.citations] == ["pengyang-2026:a1.33"]


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("天津市民办职业培训机构审批办法津劳局331号", "331号"),
        ("湘政办发〔2025〕9号怎么申请补贴", "〔2025〕9号"),
    ],
)
def test_a_document_named_by_a_number_the_base_does_not_hold_is_said_to_be_missing(retriever, text, missing):
    decision = decide(retriever, text)
    assert decision.kind == "not_covered" and not decision.citations
    assert decision.replies[0].response == "utter_policy_document_not_held"
    assert decision.replies[0].params == {"document": missing}


def test_a_document_named_by_a_number_the_base_holds_answers(retriever):
    decision = decide(retriever, "人社部发〔2017〕40号的补贴标准是多少")
    assert decision.kind == "answer" and cited_docs(decision) == {"nat-2017-40"}


@pytest.mark.parametrize("text", ["叉车证的考试费是多少", "电工证去哪个考点考试", "育婴师报名要什么学历"])
def test_a_question_of_the_certificate_itself_is_said_not_to_be_covered(retriever, text):
    """The exam, fees and issuer of a certificate are not what the documents speak of: no clause on its
    subsidy answers them, however near."""
    decision = decide(retriever, text)
    assert decision.kind == "not_covered" and not decision.citations
    assert [r.response for r in decision.replies] == ["utter_policy_certificate_itself"]


@pytest.mark.parametrize(
    ("text", "place"),
    [("考叉车证能补多少钱", None), ("电工证补贴去哪里申请", "彭阳县"), ("高级工能享受什么待遇", "广东"),
     ("育婴师证能领几个钱", None), ("在外地打工考了叉车证能申请不", "彭阳县")],
)  # fmt: skip
def test_a_certificates_subsidy_or_a_skill_level_is_still_answered(retriever, text, place):
    """A word of a subsidy or of claiming one (能领几个钱, 能申请不) makes it a subsidy question; a skill
    level (高级工) is the skills system the documents speak of, not a certificate's exam; 打工 is no trade."""
    decision = decide(retriever, text, place)
    assert "utter_policy_certificate_itself" not in [r.response for r in decision.replies]
    assert decision.kind in ("answer", "partial", "ask_place")


def test_a_word_is_held_only_as_a_word_not_across_the_edge_of_one(retriever):
    from bot.answers.wording import get_wording

    wording = get_wording(retriever)
    assert not wording.holds("在职", "职工应在职业资格证书核发之日起")  # 应在 / 职业资格
    assert wording.holds("电工", "低压电工作业")  # inside one word
    assert wording.holds("职业资格", "职业资格证书")


def test_the_section_on_the_aspect_of_the_named_benefit_answers_without_the_other_words(retriever):
    """一、申领条件 is 技能提升补贴's section on who may: it answers "必须在职吗" though it never says 在职,
    rather than being quoted as a clause that does not say who may."""
    decision = decide(retriever, "领技能补贴的人必须在职吗")
    # The section's lead introduces its list of conditions: the conditions are cited with it.
    assert decision.kind == "answer"
    assert [c["section"] for c in decision.citations] == ["一、", "一、（一）", "一、（二）"]


def test_a_word_the_base_never_uses_counts_by_the_words_it_is_made_of(retriever):
    """户籍地 is no word of the documents, 户籍 is: a clause must hold 户籍 to answer a question on it —
    not the clause on who may be trained that never says where one's 户籍 must be, unless quoted as not
    saying it."""
    from bot.answers.topics import get_topics
    from bot.answers.wording import get_wording

    assert "户籍" in get_wording(retriever).words("不在户籍地培训能领补贴吗", get_topics())
    texts = {p.passage_id: p.text for p in retriever.index.corpus.passages}
    for place in (None, "彭阳", "天津", "长沙"):
        decision = decide(retriever, "不在户籍地培训能领补贴吗", place)
        if decision.kind == "partial":  # the national clause on the benefit, said to be silent on it
            assert "户籍" in decision.replies[0].params["aspect"], decision
            continue
        assert all("户籍" in texts[c["passage_id"]] for c in decision.citations), (place, decision)


def test_a_question_about_a_word_the_base_never_uses_is_held_by_no_clause(retriever):
    """取暖费 is no word of the documents and has no part they use: the question is about it, so no clause
    holds it — not the national standard's clause because it says 标准."""
    from bot.answers.topics import get_topics
    from bot.answers.wording import get_wording

    assert get_wording(retriever).words("取暖费发放标准", get_topics()) == ["取暖费"]
    for place in (None, "长沙", "天津"):
        assert decide(retriever, "取暖费发放标准", place).citations == [], place


def test_an_occupation_the_base_never_names_is_asked_about_as_any_certificate_with_its_whole_name(retriever):
    """公共营养师 is cut 公共 + 营养师: both go for 证书, or 公共 would be a word a clause must hold; 民航 of
    民航安检员 stays, since the base names 民航安全检查员 in a catalogue row."""
    from bot.answers.topics import get_topics
    from bot.answers.wording import get_wording

    wording, topics = get_wording(retriever), get_topics()
    assert wording.generalised("公共营养师去哪里领补贴", topics) == "证书去哪里领补贴"
    assert wording.generalised("南京西式面点师补贴", topics) == "南京证书补贴"  # a place is no part of it
    assert wording.generalised("民航安检员证书补贴", topics).startswith("民航")


def test_the_askers_own_procedure_answers_however_the_question_is_worded(retriever):
    """For a 彭阳 asker, 彭阳's own procedure (三、（三）: 由个人提出申请……资金直补个人) answers how to claim a
    certificate's subsidy, in any words — though the county's catalogue rows, all holding 证, crowd it out of
    the nearest hits, and the 2017 national rule holds the very word 申领."""
    for question in (
        "叉车证补贴怎么申请",
        "叉车证补贴如何申领",
        "考了叉车证怎么领补贴",
        "你好，想问一下叉车证补贴怎么领",
    ):
        cited = {c["passage_id"] for c in decide(retriever, question, "彭阳县").citations}
        assert cited == {"pengyang-2026:3.3"}, (question, cited)


def test_a_certificate_cut_from_its_occupation_is_asked_about_as_a_certificate(retriever):
    """jieba cuts 考保育员证有多少补贴 into 考 + 保育员 + 证有: the 证 goes back to its occupation, and the verb
    before it with the name, or 考 + 证书 would be read 考证 + 书 and the question would keep no word a clause
    must hold — then 天津's 第二十条 on 特种作业操作证 had answered for a 保育员, by its 300元."""
    from bot.answers.topics import get_topics
    from bot.answers.wording import get_wording

    wording, topics = get_wording(retriever), get_topics()
    assert wording.generalised("考保育员证有多少补贴", topics) == "证书有多少补贴"
    assert wording.generalised("保育员证补贴多少钱", topics) == "证书补贴多少钱"
    for question in ("考保育员证有多少补贴", "保育员证补贴多少钱", "考保育员证能领补贴吗"):
        cited = {c["passage_id"] for c in decide(retriever, question, "天津").citations}
        assert cited == {"tj-2022-20:art9"}, (question, cited)


def test_a_clause_answering_a_question_on_a_certificate_speaks_of_it_or_of_certificates(retriever):
    """叉车证每年国家都给补吗: the national clause on the fund's yearly budget holds 每年 and nothing of
    叉车证 or of 证书; it does not answer."""
    decision = decide(retriever, "叉车证每年国家都给补吗")
    texts = {p.passage_id: p.text for p in retriever.index.corpus.passages}
    assert all(
        any(w in texts[c["passage_id"]] for w in ("叉车", "证书", "职业资格")) for c in decision.citations
    ), decision


def test_a_clause_on_a_benefit_paid_to_employers_answers_only_its_name_or_an_employer(retriever):
    """天津's 第二十一条 pays the employer of an apprentice: it does not answer a trainee's question on what a
    育婴师 certificate gets, and does answer one naming 新型学徒制 or asked as an employer."""
    for question in (
        "天津考了中级育婴师证能补多少钱",
        "天津企业职工考了中级育婴师证能补多少钱",
    ):  # 企业职工: employees
        trainee = decide(retriever, question, "天津")
        assert "tj-2022-20:art21" not in {c["passage_id"] for c in trainee.citations}, trainee
    for question in ("天津新型学徒制补贴标准", "天津企业带学徒每年补多少", "天津用人单位带学徒每年补多少"):
        assert "tj-2022-20:art21" in {c["passage_id"] for c in decide(retriever, question, "天津").citations}


def test_an_employer_asking_of_a_certificates_subsidy_may_have_the_training_subsidy(retriever):
    """An employer may be paid the training subsidy for its workers' training (第五条: 技师培训……给予职工个人
    或企业), not only the benefits paid to a certificate's holder: 第六条 on 六类人员's 评价补贴 answers no
    employer's question on 技师. A worker naming 企业职工 still asks of a holder's benefits."""
    employer = decide(retriever, "企业技师补贴标准")
    assert {c["passage_id"] for c in employer.citations} == {"nat-2023-181:art5"}, employer
    worker = decide(retriever, "企业职工考电工证有补贴吗")
    assert "nat-2023-181:art5" not in {c["passage_id"] for c in worker.citations}, worker


def test_the_amount_for_attending_a_training_is_the_training_subsidys_not_the_certificates(retriever):
    """学美容师政府补助多少钱 asks what attending a training gets: the national clause on the training
    subsidy (第五条, its standard set locally), not the 技能提升补贴 caps paid for a certificate — which do
    answer the certificate's question."""
    from bot.answers.topics import get_topics

    topics = get_topics()
    for question in ("学美容师政府补助多少钱", "电工培训国家补助标准"):
        assert [b.name for b in topics.asked_benefits(question, topics.aspect(question))] == [
            "职业培训补贴"
        ], question
        cited = {c["passage_id"] for c in decide(retriever, question).citations}
        assert cited and "nat-2017-40:3" not in cited, (question, cited)
    for question in ("培训机构骗补贴会怎样", "长沙补贴性培训任务多少", "有培训机构套取学员的补贴"):
        assert topics.asked_benefits(question, topics.aspect(question)) == [], question


def test_a_subsidy_asked_of_a_certificate_is_one_paid_for_a_certificate(retriever):
    """考美容师证政府补助多少钱 and 育婴师证申领补贴 ask of the subsidies paid for a certificate obtained
    (技能提升补贴, 职业技能评价补贴, 彭阳's 职业资格培训补贴, a clause paying for a certificate): the national
    rule on them answers, not 第五条 on attending a training. A place's own clause paying for a
    certificate (天津 第二十条, 特种作业操作证 300元) is one of them."""
    from bot.answers.topics import get_topics

    topics = get_topics()
    paid_for_certificates = {
        "技能提升补贴",
        "职业资格培训补贴",
        "职业技能鉴定补贴",
        "证书直补",
        "安全技能培训补贴",
    }
    for question in ("考美容师证政府补助多少钱", "育婴师证申领补贴政策及条件"):
        asked = topics.asked_benefits(question, topics.aspect(question))
        assert {b.name for b in asked} == paid_for_certificates, question
        cited = {c["passage_id"] for c in decide(retriever, question).citations}
        assert cited and "nat-2023-181:art5" not in cited, (question, cited)
    tianjin = decide(retriever, "特种作业操作证初次取证补贴多少", "天津")
    assert "tj-2022-20:art20" in {c["passage_id"] for c in tianjin.citations}


def test_a_cue_and_an_interrogative_are_no_words_a_clause_must_hold(retriever):
    """有效期 is the cue of the deadline asked, though the base knows only its part 有效; 多长 asks how
    long. Neither is what the clause must hold: the national clause on the benefit is quoted as silent
    on the deadline, not the place asked."""
    from bot.answers.topics import get_topics
    from bot.answers.wording import get_wording

    assert get_wording(retriever).words("鉴定补贴的申领有效期多长", get_topics()) == []
    decision = decide(retriever, "鉴定补贴的申领有效期多长")
    assert decision.kind == "partial" and cited_docs(decision) == {"nat-2023-181"}, decision


def test_an_amount_is_asked_whatever_the_subsidy_is_called(retriever):
    """补助多少 asks an amount as 补贴多少 does: 高级验光师国家补助多少 gets the national caps by level."""
    from bot.answers.topics import get_topics

    for question in ("焊工证补贴多少", "焊工证补助多少", "考焊工证有多少资助"):
        assert get_topics().aspect(question).name == "how_much", question
    assert "nat-2017-40:3" in {c["passage_id"] for c in decide(retriever, "高级育婴员国家补助多少").citations}


def test_can_claim_asks_whether_not_how():
    """可申领 after an occupation asks whether it may be claimed; 申领 alone, how."""
    from bot.answers.topics import get_topics

    topics = get_topics()
    assert topics.aspect("美发师可申领补贴政策详解").name == "whether"
    assert topics.aspect("技能提升补贴申领指南").name == "how_to_apply"
    assert topics.aspect("哪些人可申领技能提升补贴").name == "who"
    assert topics.aspect("职业技能评价补贴什么时候可以申报").name == "deadline"  # when, not whether


def test_when_to_apply_is_answered_by_the_time_limit(retriever):
    """技能提升补贴什么时候可以申报: the clause giving the time limit (证书核发之日起12个月内), not the step
    that pays the money."""
    assert "nat-2017-40:2.1" in {
        c["passage_id"] for c in decide(retriever, "技能提升补贴什么时候能申请").citations
    }


def test_a_subsidy_named_by_its_certificate_is_asked_of_any_certificate(retriever):
    """考证补贴, 持证补贴 are what people call the subsidies for a certificate: the national clauses on
    certificates answer them, as they answer 电工证补贴 (before, only 证书直补's clauses held the word)."""
    for question, clauses in (
        ("考证补贴一般给多少钱", {"nat-2017-40:3"}),
        ("持证补贴是真的吗", {"nat-2017-40:3", "nat-2023-181:art6"}),
    ):
        assert clauses & {c["passage_id"] for c in decide(retriever, question).citations}, question


def test_a_question_on_neither_training_nor_a_subsidy_is_not_covered(retriever):
    """天津企业落户条件 speaks of no training, no subsidy, no programme or term of the documents: no clause
    answers it, though 天津's first article holds 企业 and 条件. A programme the glossary knows still is."""
    for question, place in (("天津企业落户需要什么条件", "天津"), ("湖南公司注册资本要多少", "长沙")):
        decision = decide(retriever, question, place)
        assert decision.kind == "not_covered" and decision.citations == [], question
    injury = decide(retriever, "湖南工伤保险费率多少", "长沙")  # work-injury insurance: named, nothing cited
    assert injury.kind == "neighbour" and injury.citations == []
    assert decide(retriever, "湘培直通车怎么报名").citations


def test_more_ways_of_asking_an_aspect():
    """有多少 and 额度 ask an amount, 门槛 who may, 什么时候会发放 when paid, 如何参加 how to take part."""
    from bot.answers.topics import get_topics

    topics = get_topics()
    for question, aspect in (
        ("长沙生活费补贴有多少", "how_much"),
        ("技能提升补贴额度是多少", "how_much"),
        ("参加职业培训有什么门槛", "who"),
        ("培训补贴什么时候会发放", "when_paid"),
        ("如何参加以工代训", "how_to_apply"),
    ):
        assert topics.aspect(question).name == aspect, question


def test_a_word_after_a_negation_is_no_benefits_name(retriever):
    """社保卡没激活补贴能到账不: 激活 is what was not done, not a benefit called 激活补贴."""
    decision = decide(retriever, "社保卡没激活补贴能到账不")
    assert decision.kind != "neighbour"


def test_the_training_subsidy_named_in_general_is_answered_by_a_clause_on_it_or_a_kind_of_it(retriever):
    """培训补贴 named alone is the training subsidies as a whole: the national clause on who may have
    them answers an asker from a place without documents of its own, 彭阳's clause on its
    职业资格培训补贴 (a kind of it) answers in 彭阳 — never the clause on 技能提升补贴, an unemployment
    insurance benefit whose name says nothing of training."""
    national = decide(retriever, "烟台企业组织岗前培训，哪些人可以享受培训补贴", "烟台")
    assert [c["passage_id"] for c in national.citations] == ["nat-2023-181:art5"]
    local = decide(retriever, "培训补贴每人能领几次", "彭阳")
    assert [c["passage_id"] for c in local.citations] == ["pengyang-2026:2.3"]
    for place in ("长沙", "贵阳", "天津"):
        decision = decide(retriever, "培训补贴怎么申请", place)
        assert "nat-2017-40" not in cited_docs(decision), place


def test_an_item_of_a_list_is_cited_as_itself_and_quoted_with_its_list(retriever):
    """一、（二） names the levels: it is the clause cited, quoted with the sentence that introduces its
    list and the other condition — one condition alone would read as the whole rule. The sentence
    introducing the list is cited after it, as the quote holds it."""
    decision = decide(retriever, "电工四级是什么等级")
    assert [c["section"] for c in decision.citations] == ["一、（二）", "一、"]
    quote = decision.replies[0].params["quote"]
    assert "同时符合以下条件" in quote and "（一）" in quote and "中级（四级）" in quote


def test_silent_on_the_time_the_clause_on_how_the_money_is_paid_is_quoted(retriever):
    """No document says how long 技能提升补贴 takes: the clause quoted as not saying it is the one on how
    it is paid (发放至个人银行账户), not the conditions of who may claim it."""
    decision = decide(retriever, "技能提升补贴批下来多久能到账", "南京")
    assert decision.kind == "partial"
    assert [c["section"] for c in decision.citations] == ["二、（三）"]


@pytest.mark.parametrize(
    ("text", "occupation"), [("考茶艺师有补贴吗", "茶艺师"), ("全媒体运营师补贴怎么领取", "全媒体运营师")]
)
def test_an_occupation_jieba_cuts_apart_is_read_whole(retriever, text, occupation):
    """茶艺 + 师有 is 茶艺师 + 有; 全 + 媒体 + 运营 + 师, a name the base does not know, is all one name —
    asked about as any certificate, so the national rule on certificates answers."""
    from bot.answers.wording import get_wording

    assert get_wording(retriever).occupations(text) == [occupation]
    decision = decide(retriever, text)
    assert decision.citations and cited_docs(decision) <= {"nat-2023-181", "nat-2017-40"}


def test_a_benefit_is_found_by_the_name_each_document_gives_it_and_quoted_from_the_clause_about_it(
    retriever,
):
    """天津 calls 职业技能评价补贴 鉴定费补贴: its clause on the materials answers a 天津 asker. Where no
    clause says what was asked (南京: the national documents only), the clause quoted as silent on it is
    the one about the benefit (第六条), not 第四条's list of every subsidy the fund pays."""
    assert [c["passage_id"] for c in decide(retriever, "职业技能评价补贴需要什么材料", "天津").citations] == [
        "tj-2022-20:art24"
    ]
    silent = decide(retriever, "职业技能评价补贴什么时候申报", "南京")
    assert silent.kind == "partial" and [c["passage_id"] for c in silent.citations] == ["nat-2023-181:art6"]


def test_how_the_money_is_paid_is_answered_by_the_clause_on_payment(retriever):
    """发放方式 asks how the subsidy is paid: the clause saying it goes to one's bank account or social
    security card answers, not the clause on who may have it."""
    decision = decide(retriever, "技能提升补贴的发放方式是什么", "南京")
    assert [c["section"] for c in decision.citations] == ["二、（三）"]


def test_no_place_and_no_national_clause_stating_it_quotes_the_national_clause_as_silent_now(retriever):
    """Only 天津's documents say when the assessment subsidy is applied for: with no place known, the
    national clause on it is quoted now as not saying it, and 天津 is offered — not a question first."""
    decision = decide(retriever, "职业技能评价补贴什么时候可以申报")
    assert decision.kind == "partial" and cited_docs(decision) == {"nat-2023-181"}
    offer = decision.replies[-1]
    assert offer.response == "utter_policy_local_offer" and offer.params["places"] == "天津市"
    assert decision.slots[PENDING_SLOT] == "职业技能评价补贴什么时候可以申报"


def test_after_a_national_answer_the_place_told_next_answers_the_question_for_it(retriever):
    """No place known: the national rule answers now, and the question waits for a place, so "我在南京"
    told next gets it again for 南京 (saying the documents have none of 南京's own)."""
    national = decide(retriever, "技能提升补贴有时间限制吗")
    assert national.kind == "answer" and cited_docs(national) == {"nat-2017-40"}
    assert national.slots[PENDING_SLOT] == "技能提升补贴有时间限制吗"
    again = decide(retriever, national.slots[PENDING_SLOT], "南京", asked_place=True)
    assert again.replies[0].response == "utter_policy_national_only" and PENDING_SLOT not in again.slots


def test_the_clause_quoted_as_silent_comes_from_a_document_in_force(retriever):
    """In 2028 天津's 2022 rules are past their end: the clause quoted as not saying when 生活费补贴 is
    paid is the national one in force, not 天津's lapsed one."""
    from datetime import date

    decision = decide_policy(
        Question("生活费补贴多久能到账", asker_place("天津"), today=date(2028, 1, 1)), retriever
    )
    assert decision.kind == "partial" and cited_docs(decision) == {"nat-2023-181"}


def test_a_rule_by_levels_pays_nothing_for_a_level_it_does_not_name(retriever):
    """The 2017 技能提升补贴 rule sets caps for 初级 to 高级: a 技师's or 高级技师's certificate gets the rule
    that does not go by level (第六条), not those caps. A question naming 技能提升补贴 gets its clause on the
    levels, which says whom it covers."""
    for question in ("高级技师证补贴标准", "技师证补贴多少钱"):
        cited = {c["passage_id"] for c in decide(retriever, question).citations}
        assert cited and not any(c.startswith("nat-2017-40") for c in cited), (question, cited)
    assert "nat-2017-40:3" in {c["passage_id"] for c in decide(retriever, "三级电工证补贴标准").citations}
    named = decide(retriever, "技师能申请技能提升补贴吗")
    assert "nat-2017-40:1.2" in {c["passage_id"] for c in named.citations}


def test_genre_words_of_a_headline_do_not_count_against_the_gate(retriever):
    """攻略, 解读 and 政策 say what kind of text is wanted, not what it is about (topics.yml question_words):
    a headline holding them is answered as the question it holds."""
    decision = decide(retriever, "茶艺师国家补贴政策攻略:你真的了解吗")
    assert decision.kind == "answer" and decision.citations


def test_a_headline_subtitle_tells_the_aspect_not_what_a_clause_must_hold(retriever):
    """An article headline's subtitle (报名费用全面解读) lists what the article covers: 费用 need not be in
    the national caps that answer "中级育婴员能拿多少补贴". Without a headline word the same words are
    the question's own: no national clause holds them, so the caps are quoted as not speaking of 费用, and
    the places whose documents say more are offered."""
    headline = decide(retriever, "中级育婴员能拿多少补贴?报名费用全面解读")
    assert headline.kind == "answer" and {c["passage_id"] for c in headline.citations} == {"nat-2017-40:3"}
    own = decide(retriever, "中级育婴员能拿多少补贴?报名费用")
    assert own.kind == "partial" and {c["passage_id"] for c in own.citations} == {"nat-2017-40:3"}
    assert own.replies[0].params["aspect"] == "费用的情况"
    assert own.replies[-1].response == "utter_policy_local_offer"


def test_a_preamble_is_no_clause(retriever):
    """The 2017 rule's preamble quotes 国发〔2017〕28号 (……可申请参保职工技能提升补贴) and holds 参加, 就业, 创业:
    it says what the document is for, not how to join a training, which depends on where one is."""
    decision = decide(retriever, "如何参加免费的就业(创业)培训")
    assert decision.kind == "ask_place" and not decision.citations


def test_the_exam_for_a_certificate_describes_the_subsidy_asked_of(retriever):
    """考试 of 考试拿证补贴 is how the certificate is had, as 考证 of 考证补贴: no clause need hold it, and
    the national caps on certificates answer the amount."""
    cited = {c["passage_id"] for c in decide(retriever, "考试拿证补贴的金额是多少").citations}
    assert cited == {"nat-2017-40:3"}


def test_a_guide_to_applying_asks_how_to_apply(retriever):
    """A headline offering a guide to applying (申请全面指南) or ending on the claim (补贴领取) asks how to
    apply: the 2017 rule's 二、审核程序 answers, not its caps."""
    from bot.answers.topics import get_topics

    for question in ("美容师证补贴申请指南", "育婴员证补贴领取"):
        assert get_topics().aspect(question).name == "how_to_apply", question
        cited = {c["passage_id"] for c in decide(retriever, question).citations}
        assert any(c.startswith("nat-2017-40:2.") for c in cited), (question, cited)


def test_whether_a_policy_still_runs_is_answered_by_its_documents_own_term(retriever):
    """是否延续, 还有吗: a document's clause on its own term speaks for every benefit it names. 天津's 第三十四条
    (施行 2022-08-01, 废止 2027-07-31) answers for its training subsidies; the national fund's 第三十一条
    (实施期限至2025年, then evaluated for 延续) for the subsidies it pays; the 2017 rule's closing paragraph
    (自印发之日起开始施行) for 技能提升补贴 — not the conditions of the benefit named."""
    tianjin = decide(retriever, "天津培训补贴政策是否延续?", "天津")
    assert {c["passage_id"] for c in tianjin.citations} == {"tj-2022-20:art34"}
    fund = decide(retriever, "茶艺师补贴政策最新动态:是否取消及各地区差异详解")
    assert {c["passage_id"] for c in fund.citations} == {"nat-2023-181:art31"}
    lift = decide(retriever, "技能提升补贴现在还有吗")
    assert {c["passage_id"] for c in lift.citations} == {"nat-2017-40:end"}


def test_a_level_the_rule_does_not_pay_for_is_answered_by_its_condition_naming_the_levels(retriever):
    """The 2017 技能提升补贴 rule pays for 初级 to 高级 certificates: how a 高级技师 applies for it, or when it
    is paid to a 技师, is answered by its condition naming the levels it pays for (一、（二）), not by its
    steps for applying, which would tell them how to claim what their certificate does not get."""
    for question in ("高级技师技能提升补贴怎么申请", "技师证技能提升补贴多久到账"):
        cited = {c["passage_id"] for c in decide(retriever, question).citations}
        assert "nat-2017-40:1.2" in cited and "nat-2017-40:2.1" not in cited, (question, cited)


def test_when_a_benefit_is_refused_is_asked_of_its_conditions(retriever):
    """什么情形不予发放 asks under what conditions it is not paid: the conditions (一、申领条件) answer, not the
    clause on how the money is paid."""
    cited = {c["passage_id"] for c in decide(retriever, "技能提升补贴什么情形不予发放").citations}
    assert cited & {"nat-2017-40:1", "nat-2017-40:1.1", "nat-2017-40:1.2"}, cited


def test_attending_a_training_is_not_answered_by_a_benefit_paid_for_a_certificate(retriever):
    """失业培训要多少钱 asks of a training for the unemployed: the 2017 caps on 技能提升补贴, paid to insured
    workers for a certificate, hold 失业 (失业保险) and are about something else."""
    cited = {c["passage_id"] for c in decide(retriever, "失业培训要多少钱").citations}
    assert "nat-2017-40:3" not in cited and cited, cited


@pytest.mark.parametrize(
    ("text", "aspect", "clause"),
    [
        # 截止时间: the time is what is asked, not a word the clause must hold (之日起12个月内)
        ("技能提升补贴申请截止时间", "deadline", "nat-2017-40:2.1"),
        # applying in another place than one's own asks where (到本人失业保险参保地……申领)
        ("我在外地打工能在当地申请技能补贴吗", "where", "nat-2017-40:2.1"),
        # 两次 asks how many times (同一职业（工种）不得重复享受)
        ("同一个证书能领两次补贴吗", "how_many_times", "nat-2023-181:art6"),
        # 需要什么条件 asks who may, not which materials
        ("技能提升补贴需要什么条件", "who", "nat-2017-40:1"),
        # 不满一年 is how long one is insured, not 一年能领几次
        ("参保不满一年能领技能提升补贴吗", "whether", "nat-2017-40:1.1"),
        # 需要什么 before a condition (社保) asks who may, not which materials
        ("育婴师证补贴需要什么社保", "who", "nat-2017-40:1.1"),
    ],
)
def test_how_people_word_an_aspect_is_read_as_it(retriever, text, aspect, clause):
    from bot.answers.topics import get_topics

    assert get_topics().aspect(text).name == aspect
    assert clause in {c["passage_id"] for c in decide(retriever, text).citations}


@pytest.mark.parametrize("text", ["冒领补贴怎么处罚", "补贴被冒领了怎么办"])
def test_something_done_with_the_money_names_no_other_benefit(retriever, text):
    """冒领补贴 is the training subsidy taken by fraud, not a 冒领 benefit the documents never name; and
    处罚, asked, is no word for what the subsidy is for: the 2017 rule's clause on fraud answers."""
    decision = decide(retriever, text)
    assert "nat-2017-40:5.3" in {c["passage_id"] for c in decision.citations}, decision


def test_a_count_is_no_word_a_clause_must_hold_nor_a_benefit_name(retriever):
    """两个, 两份 count certificates and subsidies: 能领两份吗 asks how many times (第六条: 每人累计最多享受3
    次), and 残疾人两项补贴 is a benefit for 残疾人, not one named 两项."""
    cited = {c["passage_id"] for c in decide(retriever, "考了两个证能领两份补贴吗").citations}
    assert "nat-2023-181:art6" in cited
    assert decide(retriever, "北京残疾人两项补贴多少钱").kind == "neighbour"


def test_what_a_term_means_is_answered_by_the_clause_saying_it_from_any_document(retriever):
    """A definition does not depend on the asker's place: with none known, the clause saying what the
    term is answers, from whichever document (labelled with its place) — 彭阳's 新型学徒制 clause (企校合作、
    师带徒的方式), not the national clause naming it among the fund's uses; and a clause on how a service is
    run (创新服务模式) says nothing of what 技能提升补贴 is."""
    apprentice = decide(retriever, "什么是新型学徒制")
    assert {c["passage_id"] for c in apprentice.citations} == {"pengyang-2026:2.5"}
    assert apprentice.replies[1].response == "utter_policy_local_note"
    lift = {c["passage_id"] for c in decide(retriever, "什么是技能提升补贴").citations}
    assert "nat-2017-40:5.2" not in lift and lift, lift


def test_where_the_money_comes_from_is_not_where_to_apply(retriever):
    """钱从哪里出 asks of the funds (四、资金使用: 从失业保险基金……中列支), not of the office to go to."""
    cited = {c["passage_id"] for c in decide(retriever, "技能提升补贴的钱从哪里出").citations}
    assert cited == {"nat-2017-40:4"}, cited


def test_a_question_of_no_subsidy_asking_nothing_a_clause_states_gets_no_national_clause(retriever):
    """Speaking of no benefit nor subsidy and asking no aspect, with no place known, a question is tied to
    a national clause only by shared words (有所区别 in the 2017 rule's 补贴标准 for 有啥不同): none answers.
    A place's plans still say what they do, and a subsidy spoken of still finds its clause."""
    unplaced = decide(retriever, "职业资格证书和技能等级证书有啥区别")
    assert not unplaced.citations and unplaced.kind in ("ask_place", "not_covered"), unplaced
    assert "hunan" in " ".join(cited_docs(decide(retriever, "返乡农民工培训", "湖南")))
    assert decide(retriever, "补贴被冒领了怎么办").citations


def test_a_skill_level_and_a_subsidy_ask_of_the_benefits_paid_for_a_certificate(retriever):
    """高级 names a certificate's level: 高级人力资源补贴 asks of the benefits paid for a certificate, though
    the base knows no 人力资源 trade."""
    _, benefits = asked_benefits("高级人力资源补贴怎么领", get_topics(), retriever)
    assert benefits and all(b.certificate for b in benefits), benefits


def test_what_defines_a_term_holds_all_of_it(retriever):
    """A definition may come from any document, so it must hold every word of the term: 湖南's clause on
    整合机构资源 holds 面向社会 and 开展, and says nothing of what 面向社会开展职业技能等级认定 is."""
    decision = decide(retriever, "面向社会开展职业技能等级认定指的是什么")
    assert "hunan-2026-17:3.1" not in {c["passage_id"] for c in decision.citations}, decision
    assert {c["passage_id"] for c in decide(retriever, "以工代训什么意思").citations} == {"pengyang-2026:2.4"}


def test_who_may_have_a_subsidy_is_answered_by_the_national_rule_now_with_the_places_offered(retriever):
    """Who may have a subsidy, and so whether one may, is framed by the national rule everywhere (第五条's
    六类人员 and 企业职工); with no place known, a place's more specific clause (天津's 户籍 conditions) does
    not hold the answer back: the national clause answers now and the places saying more are offered."""
    decision = decide(retriever, "户籍不在本地能享受培训补贴吗")
    assert decision.kind == "answer" and cited_docs(decision) == {"nat-2023-181"}, decision
    assert [r.response for r in decision.replies][-1] == "utter_policy_local_offer"
    assert decision.slots.get(PENDING_SLOT) == "户籍不在本地能享受培训补贴吗"


@pytest.mark.parametrize(
    "text", ["培训机构申请补贴要满足哪些条件", "鉴定机构申请鉴定补贴有什么条件", "培训基地补助怎么申请"]
)
def test_an_institution_asking_what_it_may_claim_is_not_answered_by_a_clause_on_other_subjects(
    retriever, text
):
    """Opening with an institution (培训机构, 鉴定机构, 培训基地) and asking what may be claimed, a question asks
    what that institution may have or must meet: 第五条 and 第六条, on the people who may have a subsidy,
    do not answer it; a clause whose first sentence names that kind of institution may."""
    cited = {c["passage_id"] for c in decide(retriever, text).citations}
    assert not cited & {"nat-2023-181:art5", "nat-2023-181:art6"}, cited


def test_an_institution_asking_of_fraud_still_gets_the_rules_on_fraud(retriever):
    """The penalties for fraud are no claim: 培训机构 opening the question does not narrow them."""
    assert decide(retriever, "培训机构弄虚作假骗补贴会怎样", "贵州").citations


def test_a_trade_name_fitting_several_permits_is_answered_by_the_national_rule(retriever):
    """电工证 fits 彭阳's 低压电工作业, 高压电工作业 and 建筑电工 rows: it is the trade's name, whose skill-level
    certificates the national rules pay for, and the national clause answers now. 叉车证 names one permit,
    the places' own: no national clause answers it."""
    trade = decide(retriever, "电工证补贴在哪里申请")
    assert "nat-2017-40:2.1" in {c["passage_id"] for c in trade.citations}, trade
    permit = decide(retriever, "叉车证补贴在哪里申请")
    assert not any(d.startswith("nat-") for d in cited_docs(permit)), permit


def test_a_benefit_paid_only_to_others_is_not_read_from_the_question(retriever):
    """技能提升补贴 is the 企业职工's: a graduate's certificate subsidy is asked of the benefits paid to
    graduates too (第六条's 职业技能评价补贴), and an employee's still of 技能提升补贴."""
    graduate = decide(retriever, "应届生考了电工证能领补贴吗")
    assert "nat-2017-40" not in cited_docs(graduate) and "nat-2023-181" in cited_docs(graduate), graduate
    assert "nat-2017-40" in cited_docs(decide(retriever, "职工考了电工证能领补贴吗"))


def test_the_permits_named_as_a_class_are_the_places_own(retriever):
    """特殊工种 names the safety permits as a class: the national rules do not settle them. Where no place's
    clause answers, the reply says so, and not that the documents hold no rule on 技能提升补贴."""
    decision = decide(retriever, "特殊工种证书可申领技能补贴吗")
    assert not any(d.startswith("nat-") for d in cited_docs(decision)), decision
    permit = decide(retriever, "叉车证技能提升补贴怎么申请")
    assert [r.response for r in permit.replies] != ["utter_policy_topic_not_covered"], permit


def test_no_rules_on_a_benefit_are_claimed_only_of_one_asked_and_unspoken(retriever):
    """A certificate's subsidies are read from 登高架设证补贴怎么领, not named by it: with no clause
    answering, the reply must not say the documents hold no rule on one of them (职业资格培训补贴 is
    彭阳's); 以工代训, named and spoken of by no document covering 天津, is named as not covered."""
    permit = decide(retriever, "登高架设证补贴怎么领", "长沙")
    assert permit.kind == "not_covered" and "topic" not in permit.replies[0].params, permit
    named = decide(retriever, "以工代训补贴多少钱", "天津")
    assert named.replies[0].response == "utter_policy_topic_not_covered_place", named
    assert named.replies[0].params["topic"] == "以工代训"


@pytest.mark.parametrize("place", ["长沙", "广州", "北京"])
def test_how_many_times_is_a_count_of_claims_not_of_places_on_a_plan(retriever, place):
    """湖南's and 广东's plans count 人次 to be trained, and 第四条 names 一次性求职补贴: neither says how many
    times one person may claim; 第五条's 每人累计最多享受3次 does."""
    decision = decide(retriever, "职业培训补贴一年能领几次", place)
    assert [c["passage_id"] for c in decision.citations] == ["nat-2023-181:art5"], decision
    assert "nat-2023-181:art5" in {
        c["passage_id"] for c in decide(retriever, "创业培训补贴一年能领几次", place).citations
    }


def test_a_thing_the_documents_never_name_is_not_answered_by_the_words_around_it(retriever):
    """技能培训券: jieba cuts off 券, and 技能培训 alone held by 第五条 would answer for a voucher the
    documents never speak of."""
    assert not decide(retriever, "哪些人能领技能培训券").citations
    assert decide(retriever, "哪些人能领技能培训补贴").citations


def test_a_name_meaning_several_benefits_asks_of_each(retriever):
    """职业技能补贴 is 技能提升补贴 and the training subsidies as a whole: a 天津 asker gets 天津's own rule
    on training subsidies, not only the national 技能提升补贴 rule its 技能补贴 names; 技能补贴 alone and
    职业培训补贴 stay what they name."""
    topics = get_topics()
    assert [b.name for b in topics.training_benefits("职业技能补贴有哪些")] == [
        "技能提升补贴",
        "职业培训补贴",
    ]
    assert [b.name for b in topics.training_benefits("技能补贴有哪些")] == ["技能提升补贴"]
    assert [b.name for b in topics.training_benefits("以工代训职业培训补贴")] == ["以工代训"]
    cited = cited_docs(decide(retriever, "职业技能补贴有哪些", "天津"))
    assert cited and cited <= {"tj-2022-20", "tj-2026-10"}


def test_a_table_row_answers_only_a_question_with_words_of_its_own(retriever):
    """A catalogue row speaks of its certificate alone: asked which subsidies 彭阳 has, the clause on its
    subsidies answers, not the row on 高处作业; asked of 塔吊司机, the row on 塔式起重机械司机 (the
    calculator's name for it) answers, not the one on 叉车司机 its column heading 职业资格名称 would let
    answer for any 职业资格; asked of 应急救援员证, the row on 应急救援员."""
    rows = retriever.index.corpus.by_id

    def cited_rows(text: str) -> list[str]:
        decision = decide(retriever, text, "彭阳县")
        return [rows[c["passage_id"]].row.get("职业资格名称", "") for c in decision.citations]

    listing = decide(retriever, "有哪些培训补贴", "彭阳县")
    assert listing.citations and not any(rows[c["passage_id"]].row for c in listing.citations)
    assert cited_rows("塔吊司机证补贴多少钱") == ["塔式起重机械司机"]
    assert cited_rows("应急救援员证补几个钱") == ["应急救援员"]


def test_every_name_the_calculator_knows_for_a_catalogue_row_gets_that_row(retriever):
    """The calculator's names of a certificate (塔吊, 危化证, 天车司机 …) and the catalogue row's own name:
    asked how much by a 彭阳 asker, each is answered by its row of 彭阳's catalogue — not another trade's
    row (天车司机 got 叉车司机's), not as a benefit the documents never name (塔吊补贴), not declined."""
    rows = retriever.index.corpus.by_id
    named = {p.row.get("职业资格名称") for p in retriever.index.corpus.passages if p.row}
    wrong = {}
    for row, aliases in known_certificates().items():
        if row not in named:
            continue
        for name in (row, *aliases):
            decision = decide(retriever, f"{name}补贴多少钱", "彭阳县")
            cited = [rows[c["passage_id"]].row.get("职业资格名称") for c in decision.citations]
            if cited != [row]:
                wrong[name] = (row, decision.kind, cited)
    assert not wrong


@pytest.mark.parametrize("term", ["以工代训", "课证融通", "技能提升补贴"])
def test_what_a_term_means_is_answered_however_it_is_asked(retriever, term):
    """……是什么意思 (啥子意思, as 四川 says it) asks what 什么是…… asks: its 意思 is part of the question, no
    word a clause must hold."""
    asked = decide(retriever, f"什么是{term}")
    assert asked.citations
    assert decide(retriever, f"{term}是什么意思").citations == asked.citations
    assert decide(retriever, f"{term}是啥子意思").citations == asked.citations


@pytest.mark.parametrize(
    ("place", "asked"),
    [
        (
            "彭阳县",
            ["以工代训补贴多少钱", "以工代训能补多少", "以工代训的补贴标准是多少", "以工代训一般补多少钱"],
        ),
        (None, ["创业培训补贴多少钱", "创业培训能补多少", "创业培训一般补多少钱"]),
        ("天津", ["新型学徒制需要什么材料", "申请新型学徒制要准备哪些资料"]),
        (None, ["技能提升补贴需要什么材料", "申请技能提升补贴要准备哪些资料"]),
        (None, ["技能提升补贴怎么申请", "技能提升补贴申请步骤"]),
        (None, ["哪些人可以享受技能提升补贴", "技能提升补贴有什么要求"]),
        ("天津", ["新型学徒制多久到账", "新型学徒制啥时候到账", "新型学徒制多长时间能到账"]),
    ],
)
def test_the_same_question_in_other_words_gets_the_same_answer(retriever, place, asked):
    """How a question hedges (一般, 大概) or words its cue (准备哪些资料, 申请步骤, 有什么要求, 啥时候, 多长时间)
    changes neither what it asks nor the clause that answers."""
    decisions = [decide(retriever, text, place) for text in asked]
    assert decisions[0].citations
    assert {(d.kind, tuple(c["passage_id"] for c in d.citations)) for d in decisions} == {
        (decisions[0].kind, tuple(c["passage_id"] for c in decisions[0].citations))
    }


@pytest.mark.parametrize(
    "question", ["技能提升补贴能领几次", "失业人员参加培训有补贴吗", "电工证补贴去哪里领"]
)
@pytest.mark.parametrize(
    "wrapped",
    [
        "请问{}",
        "你好，我想咨询下{}",
        "{}？谢谢",
        "各位，{}",
        "{} 求大神解答",
        "老师您好，{}",
        "各位大神好，{}？在线等，急",
    ],
)
def test_courtesies_around_a_question_change_nothing(retriever, question, wrapped):
    """请问, 咨询, 谢谢 are no words of what is asked: they had turned answers into quotes "silent on 谢谢";
    a plea for answers (求大神解答) had the question declined for words the documents never use, and an
    addressee (老师您好) was read as a certified occupation."""
    plain = decide(retriever, question)
    polite = decide(retriever, wrapped.format(question))
    assert plain.citations
    assert polite.kind == plain.kind
    assert [c["passage_id"] for c in polite.citations] == [c["passage_id"] for c in plain.citations]


def test_a_table_row_is_never_quoted_as_silent_on_what_it_does_not_name(retriever):
    """Asked how fraud by an institution is handled, no clause on training subsidies in 彭阳's documents
    says it; a catalogue row (特种设备焊接作业, 市场监管部门) says nothing of it either."""
    decision = decide(retriever, "培训机构套取培训补贴怎么处理", "彭阳县")
    rows = retriever.index.corpus.by_id
    assert not any(rows[c["passage_id"]].row for c in decision.citations)


@pytest.mark.parametrize("fraud", ["套取培训补贴", "冒领培训补贴", "骗取培训补贴", "骗补", "套取补贴"])
def test_fraud_in_any_of_its_words_is_answered_by_the_clause_on_fraud(retriever, fraud):
    """天津's 第三十条 says 骗取; 套取, 冒领 and 骗补 (the glossary's words for the same) are asked of it too —
    骗补 and 套取补贴, taking a subsidy by fraud, are 骗取's words, not 虚假培训's (training not given)."""
    decision = decide(retriever, f"培训机构{fraud}怎么处理", "天津")
    assert decision.kind == "answer"
    assert [c["section"] for c in decision.citations] == ["第三十条"]


@pytest.mark.parametrize(
    "told",
    [
        "培训机构让我们签到后就走，说可以照样领补贴，这种情况合法吗？应该向哪里举报？",
        "培训机构让学员签到后就走，照样领补贴，合法吗",
        "培训机构只签到不上课算不算骗补",
    ],
)
def test_whether_what_an_institution_does_is_lawful_is_asked_of_the_clause_on_fraud(retriever, told):
    """Told what an institution does and asked whether it is lawful or where to report it: 天津's 第三十条 on
    骗取, not 第五条 on who may claim; 应该, 照样 and 这种情况 are no words a clause must hold. With no place,
    the place is asked: only local documents speak of fraud by institutions."""
    assert [c["section"] for c in decide(retriever, told, "天津").citations] == ["第三十条"]
    assert decide(retriever, told).kind == "ask_place"


@pytest.mark.parametrize(
    ("text", "section"),
    [
        # 第四条 names no benefit: its document, 天津市职业技能培训补贴实施办法, is about one throughout.
        ("天津职业培训补贴有哪些条件", "第四条"),
        # 第十五条 says only 补贴, and is about the document's 职业技能培训补贴: not 第十九条 on 企业's 项目制培训.
        ("天津培训补贴一年能领几次", "第十五条"),
        # 第二十五条's first line (生活费补贴按照以下程序经办：) introduces a list; it is no heading on applying.
        ("天津培训费补贴怎么申请", "第二十四条"),
        # 第三章 定向培训、项目制培训等补贴 lists what its articles cover between them: 第二十条 (安全技能培训补贴)
        # and 第十七条 (定向培训) are not about 项目制培训; 第十九条 is.
        ("天津项目制培训补贴一年能领几次", "第十九条"),
        # 第二章 培训费补贴、鉴定费补贴和生活费补贴 likewise: 第十条 is on 鉴定费补贴, 第九条 on 培训费补贴.
        ("天津哪些人可以领职业技能鉴定补贴", "第十条"),
    ],
)
def test_tianjins_training_subsidy_questions_get_its_clause_on_them(retriever, text, section):
    decision = decide(retriever, text, "天津")
    assert decision.kind == "answer"
    assert [(c["doc_id"], c["section"]) for c in decision.citations][0] == ("tj-2022-20", section)


def test_whether_a_policy_still_runs_prefers_the_clause_on_when_it_ends(retriever):
    """现在还有吗 is answered by the fund's 第三十一条 (实施期限至2025年), not by 第三十二条 (自发布之日起施行):
    among the clauses on the document's term, the one on its end comes first whatever the search's order."""
    validity = get_topics().aspect("培训补贴现在还有吗")
    clauses = {p.section: p.text for p in retriever.index.corpus.passages if p.doc_id == "nat-2023-181"}
    assert validity.name == "validity"
    assert validity.preferred(clauses["第三十一条"]) and not validity.preferred(clauses["第三十二条"])


@pytest.mark.parametrize(
    "text", ["学电工培训补贴怎么发", "想学电工，培训补贴是先交钱再报销吗", "培训补贴发给个人还是培训机构"]
)
def test_to_whom_a_subsidy_is_paid_is_asked_of_the_clause_on_paying_it(retriever, text):
    """天津's 第十三条 says to whom each subsidy is paid (拨付企业或实施培训的培训机构……拨付参训个人): how it is paid
    out, or whether the trainee pays first, is asked of it — not of 第二十二条, 名师带徒's 4000元 for the master,
    which a question naming only 电工 had got."""
    decision = decide(retriever, text, "天津")
    assert [c["section"] for c in decision.citations] == ["第十三条"]


def test_what_the_asker_did_before_is_no_word_of_what_is_asked(retriever):
    """已经 (a time adverb) is no topic a clause could be silent on: "文件里没有说已经的情况"."""
    decision = decide(retriever, "已经领过初级工补贴，考了中级还能再领吗？")
    assert decision.citations
    assert all("已经" not in str(reply.params.get("aspect", "")) for reply in decision.replies)


def test_the_masters_subsidy_answers_only_who_names_it_or_speaks_as_an_employer(retriever):
    """名师带徒 (天津's 第二十二条, 第二十七条) pays a master an enterprise has train apprentices: a trainee asking
    where to claim the training subsidies had got 第二十七条, the enterprise's procedure for it."""
    assert decide(retriever, "天津职业培训补贴去哪里申请", "天津").citations[0]["section"] != "第二十七条"
    assert [c["section"] for c in decide(retriever, "名师带徒补贴多少钱", "天津").citations] == ["第二十二条"]
    assert [c["section"] for c in decide(retriever, "企业名师带徒怎么申请", "天津").citations] == [
        "第二十七条"
    ]


@pytest.mark.parametrize(
    "text", ["证书发证日期超过12个月还能申请补贴吗", "去年11月考了高级电工证，技能提升补贴现在申请还来得及吗"]
)
def test_whether_it_is_too_late_is_asked_of_the_time_limit(retriever, text):
    """来得及吗 and 超过12个月还能申请吗 ask of the time limit (二、（一）: 证书核发之日起12个月内), not of the
    standard or the conditions."""
    assert [c["section"] for c in decide(retriever, text).citations] == ["二、（一）"]


def test_whether_a_subsidy_is_only_for_local_people_is_asked_of_who_may_claim(retriever):
    """是不是只针对上海户籍 asks who may claim: the national conditions (一、), not the standard (三、)."""
    text = "上海的技能提升补贴是不是只针对上海户籍？我是外地来沪的，有居住证，社保交了4年，考了美容师三级。"
    assert "一、" in [c["section"] for c in decide(retriever, text, "上海").citations]
    assert [c["section"] for c in decide(retriever, "外地户籍能领天津的培训补贴吗", "天津").citations] == [
        "第四条"
    ]


def test_what_subsidies_one_may_have_is_asked_of_who_may_have_them(retriever):
    """能有啥补贴 (what subsidies can I have) asks whether, answered by who may: the fund's 第五条 names
    防止返贫监测对象 and 未继续升学的应届初高中毕业生; it had found no aspect and asked the place."""
    text = "我是脱贫户家庭的孩子，今年高中毕业没考上大学，参加技工培训能有啥补贴？"
    assert [c["section"] for c in decide(retriever, text).citations] == ["第五条"]


def test_a_subsidy_named_first_is_what_is_asked_not_an_institution_after_it(retriever):
    """培训补贴发给个人还是机构 opens with the subsidy and asks to whom it is paid: 机构 after 还是 is no
    institution asking what it may claim, and 天津 第十三条 on who the money is paid to answers."""
    decision = decide(retriever, "培训补贴发给个人还是机构", "天津")
    assert [c["passage_id"] for c in decision.citations] == ["tj-2022-20:art13"], decision
    assert decide(retriever, "培训补贴是发给机构吗", "天津").citations[0]["passage_id"] == "tj-2022-20:art13"


@pytest.mark.parametrize(
    "text", ["培训补贴补给机构还是补给个人", "补贴发给学员吗", "培训补贴发放是否必须通过社保卡"]
)
def test_to_whom_or_through_what_it_is_paid_asks_how_it_is_paid(text):
    from bot.answers.topics import get_topics

    assert get_topics().aspect(text).name == "paid_how"


def test_a_clause_nowhere_near_what_was_asked_is_not_quoted_as_silent_on_it(retriever):
    """The penalties for fraud (`near`): 第五条, on who may have 职业培训补贴, says nothing near them and is no
    partial answer; the places whose documents speak of fraud are asked for. How to apply still gets it
    quoted as not saying the procedure."""
    fraud = decide(retriever, "关于骗取培训补贴的，就业补助资金管理办法里规定了哪些追责措施")
    assert "nat-2023-181:art5" not in {c["passage_id"] for c in fraud.citations}, fraud
    procedure = decide(retriever, "常州武进区职业技能培训补贴申请流程", "常州武进区")
    assert [c["passage_id"] for c in procedure.citations] == ["nat-2023-181:art5"], procedure


@pytest.mark.parametrize("text", ["低压电工证补贴怎么申请", "叉车证补贴怎么领"])
def test_a_safety_permits_subsidy_is_claimed_by_its_own_procedure(retriever, text):
    """天津 pays for a safety permit by its 安全技能培训补贴 (第二十条), claimed as 第二十六条 says; that clause
    names the permits by their class (特种作业操作证), which stands for each of them."""
    decision = decide(retriever, text, "天津")
    assert decision.citations[0]["passage_id"] == "tj-2022-20:art26", decision


@pytest.mark.parametrize(
    ("text", "names", "where"),
    [
        ("我在东莞厂里上班，户口是广西的", ["东莞", "广西"], ["东莞"]),
        ("我户口在河南，在天津干活，能享受天津的培训补贴吗", ["河南", "天津"], ["天津"]),
        ("老家贵州铜仁的，在浙江宁波做电焊", ["贵州", "铜仁", "浙江", "宁波"], ["浙江", "宁波"]),
        ("我是广西南宁户口在深圳上班", ["广西", "南宁", "深圳"], ["深圳"]),
        ("户口在彭阳，能领补贴吗", ["彭阳"], ["彭阳"]),  # no other place: the one named is all there is
        ("宁夏彭阳县的叉车证", ["宁夏", "彭阳县"], ["宁夏", "彭阳县"]),
    ],
)
def test_where_the_asker_comes_from_is_not_where_they_ask(text, names, where):
    from bot.answers.scope import where_named

    assert where_named(text, names) == where


def test_who_pays_and_a_verbs_complement_do_not_count_against_the_question(retriever):
    """国家补贴 is 国家 + 补贴: whose money it is (topics.yml payer_words) says nothing of what is asked,
    nor does 考下来's 下来; the national caps answer an asker in 青岛 as they do without them."""
    decision = decide(retriever, "保安员证考下来国家补贴多少钱", "青岛")
    assert "nat-2017-40:3" in {c["passage_id"] for c in decision.citations}, decision


def test_in_a_message_of_several_sentences_the_aspect_is_read_where_the_benefit_is_named():
    """长沙失业金怎么申请 asks of 失业金; the sentence naming 技能补贴 asks whether it may be had."""
    from bot.answers.topics import get_topics

    topics = get_topics()
    assert topics.aspect("长沙失业金怎么申请，领失业金期间还能领技能补贴吗").name == "whether"
    assert topics.aspect("技能提升补贴，怎么申请").name == "how_to_apply"  # no cue beside the name
