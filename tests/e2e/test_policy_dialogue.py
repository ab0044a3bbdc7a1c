"""Policy and compliance questions answered with the clause quoted and cited, or honestly declined."""

import uuid

import pytest

from tests.conftest import HOTLINE
from tests.e2e.test_conversation import say
from tests.e2e.test_subsidy_dialogue import texts

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("question", "region", "doc_id"),
    [
        ("贵州人在外省考的证回来能补吗", "贵州省", "guizhou-2025-3"),
        ("什么是以工代训", "彭阳县", "pengyang-2026"),
        ("广东粤菜师傅工程有什么", "广东省", "guangdong-2025-skills"),
        ("湖南楚怡职业教育品牌是什么", "湖南省", "hunan-2023-15"),
        ("学校暑假场地能不能给社会培训用", "湖南省", "hunan-2026-17"),
        ("培训机构弄虚作假骗补贴会怎样", "贵州省", "guizhou-2025-3"),
    ],
)
def test_policy_answer_quotes_and_cites(gateway, question, region, doc_id):
    metadata = {"region": region} if region else {}
    turn = say(gateway, f"e2e-{uuid.uuid4().hex[:8]}", question, **metadata)
    assert turn["intent"]["name"] in {"ask_policy", "ask_compliance"}
    answer = texts(turn)
    assert turn["citations"], answer
    cited = turn["citations"][0]
    assert "原文：“" in answer or "相关规定原文" in answer
    assert cited["title"] in answer and cited["section"] in answer
    if doc_id:
        assert cited["doc_id"] == doc_id


def test_uncovered_question_is_declined_with_the_hotline(gateway):
    turn = say(gateway, f"e2e-{uuid.uuid4().hex[:8]}", "住院了医保能报多少")
    assert turn["citations"] == []
    assert HOTLINE in texts(turn)


def test_policy_question_inside_the_subsidy_form_then_resume(gateway):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    say(gateway, sender, "我能拿多少补贴", region="彭阳县")
    turn = say(gateway, sender, "什么是以工代训")
    answer = texts(turn)
    assert turn["citations"]
    assert "证书" in answer  # the form asks its question again
    turn = say(gateway, sender, "叉车证")
    assert turn["slots"]["certificate"] == "叉车证" and "1400元" in texts(turn)


def test_retrieve_api(gateway):
    response = gateway.post(
        "/api/retrieve", json={"query": "叉车证能补多少钱", "region": "彭阳县", "top_k": 3}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["answerable"] is True
    assert body["passages"][0]["doc_id"] == "pengyang-2026"
    assert {"doc_id", "title", "section", "text", "score", "in_force", "year"} <= body["passages"][0].keys()
    assert body["passages"][0]["in_force"] is True and body["passages"][0]["year"] == "2026"


def test_a_place_without_local_documents_is_told_so(gateway):
    turn = say(gateway, f"e2e-{uuid.uuid4().hex[:8]}", "合肥的电工中级证能补吗")
    assert "我手上没有合肥市本地的政策文件" in texts(turn)
    assert all(c["doc_id"].startswith("nat-") for c in turn["citations"])  # national rules only


def test_no_place_and_only_local_rules_asks_the_place_then_answers(gateway):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    turn = say(gateway, sender, "什么算虚假培训")
    assert not turn["citations"] and "您在哪里" in texts(turn)
    button = next(b for m in turn["messages"] for b in m.get("buttons") or [] if b["title"] == "贵州省")
    turn = say(gateway, sender, button["payload"])
    assert turn["citations"] and turn["citations"][0]["doc_id"] == "guizhou-2025-3"


def test_traditional_characters_are_understood(gateway):
    simplified = say(gateway, f"e2e-{uuid.uuid4().hex[:8]}", "什么是以工代训")
    traditional = say(gateway, f"e2e-{uuid.uuid4().hex[:8]}", "什麼是以工代訓")
    assert traditional["intent"]["name"] == simplified["intent"]["name"] == "ask_policy"
    assert traditional["citations"] == simplified["citations"] and simplified["citations"]


def test_skill_upgrade_conditions_are_quoted_whole_with_their_caveat(gateway):
    turn = say(gateway, f"e2e-{uuid.uuid4().hex[:8]}", "技能提升补贴申领条件是什么")
    answer = texts(turn)
    # The list's lead, cited with its items.
    assert [c["passage_id"] for c in turn["citations"]] == [
        "nat-2017-40:1",
        "nat-2017-40:1.1",
        "nat-2017-40:1.2",
    ]
    assert "36个月" in answer and "2017年1月1日" in answer  # the list's items, not its lead alone
    assert "不能当作现行全国规定" in answer  # the document's caveat


@pytest.mark.parametrize("place", ["彭阳县", "我是彭阳的", "我在彭阳县"])
def test_a_typed_place_answers_the_waiting_question_once(gateway, place):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    turn = say(gateway, sender, "以工代训怎么申请")
    assert not turn["citations"] and "您在哪里" in texts(turn)
    turn = say(gateway, sender, place)
    assert turn["citations"] and turn["citations"][0]["doc_id"] == "pengyang-2026"
    assert "没听懂" not in texts(turn) and "没太明白" not in texts(turn)  # no fallback after the answer


def test_no_place_an_amount_gets_the_national_standard_then_the_place_question(gateway):
    """彭阳's catalogue names the certificate, the national rule speaks of any: the national standard now,
    labelled, then the subsidy form asks where the asker is; the place tapped gives the local amount."""
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    turn = say(gateway, sender, "消防设施操作员证的补贴标准是多少")
    answer = texts(turn)
    assert [c["doc_id"] for c in turn["citations"]] == ["nat-2017-40"] and "1000元" in answer
    assert "全国性的规定" in answer and "另有本地的规定" not in answer  # the place is asked once
    assert answer.rstrip().endswith("比如：彭阳县。")
    # The places the calculator has rules for are buttons; a tap is the place typed.
    button = next(b for m in turn["messages"] for b in m.get("buttons") or [] if b["title"] == "彭阳县")
    turn = say(gateway, sender, button["payload"])
    # 彭阳's catalogue row, with the plain conditions stated.
    assert "2400元" in texts(turn) and {c["doc_id"] for c in turn["citations"]} == {"pengyang-2026"}


@pytest.mark.parametrize(
    "question",
    [
        "护工证国家有没有补贴",  # the national clause now, the places offered
        "叉车证补贴怎么申请",  # a safety permit: the place asked
        "技能证书的退休补贴怎么领",  # another benefit, named
        "岳阳的技能提升补贴去哪申请",  # a place without documents: national rules, labelled
        "培训机构虚假培训会怎么处理",
        "入户深圳最新政策",  # told first, no question the pane is answering
    ],
)
def test_chat_and_pane_cite_the_same_clauses(gateway, question):
    """One answer layer: the first message of a conversation and the same words in a new call on the
    assist pane cite the same clauses, or both cite none."""
    turn = say(gateway, f"e2e-{uuid.uuid4().hex[:8]}", question)
    pane = gateway.post(
        "/api/assist/suggest", json={"text": question}, headers={"Authorization": "Bearer dev-assist-token"}
    ).json()
    assert [(c["doc_id"], c["section"]) for c in pane["reply"]["citations"]] == [
        (c["doc_id"], c["section"]) for c in turn["citations"]
    ], (texts(turn), pane["reply"]["text"])


def test_a_follow_up_asks_of_the_question_before_it_in_chat_and_pane(gateway):
    """ "多久到账" after an answer on 以工代训 in 彭阳 asks when 以工代训's subsidy is paid — not the out-of-scope or
    decline a message naming nothing gets alone; the pane told the previous question cites the same."""
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    say(gateway, sender, "以工代训怎么申请")
    answered = say(gateway, sender, "我在彭阳")
    assert answered["citations"], texts(answered)
    turn = say(gateway, sender, "多久到账")
    assert turn["citations"] and turn["citations"][0]["doc_id"] == "pengyang-2026", texts(turn)
    assert "以工代训" in texts(turn)
    pane = gateway.post(
        "/api/assist/suggest",
        json={"text": "多久到账", "profile": {"region": "彭阳县"}, "previous": "以工代训怎么申请"},
        headers={"Authorization": "Bearer dev-assist-token"},
    ).json()
    assert [c["section"] for c in pane["reply"]["citations"]] == [c["section"] for c in turn["citations"]]
