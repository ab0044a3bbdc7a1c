"""The turn counter of `make eval-turns`, against a scripted gateway; and its messages are not training data."""

import json

import httpx
import yaml

from bot.answers.eval_turns import CASES, converse, question_texts, table
from bot.settings import ROOT

QUESTIONS = question_texts()
WORKER = {
    "region": "彭阳县",
    "person_type": "农民工",
    "certificate": "叉车证",
}  # the amount needs nothing more
RESPONSES = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
ASK_REGION = RESPONSES["utter_ask_region"][0]["text"]


def gateway(*replies: dict) -> tuple[httpx.Client, list[str]]:
    """A gateway that answers each message with the next scripted body; records what the asker said."""
    said, script = [], iter(replies)

    def handle(request: httpx.Request) -> httpx.Response:
        said.append(json.loads(request.content)["message"])
        return httpx.Response(200, json=next(script))

    return httpx.Client(transport=httpx.MockTransport(handle), base_url="http://gateway"), said


def test_turns_are_counted_to_the_amount_and_the_cards():
    client, said = gateway(
        {"messages": [{"text": ASK_REGION}], "slots": {}},
        {"messages": [{"text": "……可以拿1400元", "custom": {"subsidy": {}}},
                      {"text": "离彭阳县最近的1个培训课程：", "custom": {"courses": [{"occupation": "电工"}]}}],
         "slots": WORKER},
    )  # fmt: skip
    case = {"id": "x", "text": "考了叉车证，能补多少，附近哪有电工培训", "wants": ["amount", "courses"],
            "complete": True, "certificate": "叉车证", "course": "电工"}  # fmt: skip
    outcome = converse(client, case, {"region": "彭阳县"}, QUESTIONS)
    assert said == [case["text"], "彭阳县"] and outcome.asked == ["region"]
    assert outcome.turns == {"amount": 2, "courses": 2}
    assert outcome.problems() == [
        "amount in 2 turns",
        "courses in 2 turns",
    ]  # complete: one turn is the target
    assert "| x | 考了叉车证，能补多少，附近哪有电工培训 | 2 | 2 | region | 叉车证 | 电工 | no:" in table(
        [outcome]
    )


def test_a_conversation_that_asks_nothing_more_stops_short():
    client, said = gateway({"messages": [{"text": "好的。"}], "slots": {}})
    case = {"id": "y", "text": "我在彭阳，想学电焊", "wants": ["courses"], "complete": True, "course": "焊工"}
    outcome = converse(client, case, {}, QUESTIONS)
    assert len(said) == 1 and outcome.turns == {} and outcome.problems() == ["no courses"]


def test_wrong_certificate_or_trade_is_a_problem():
    client, _ = gateway(
        {"messages": [{"custom": {"subsidy": {}}}, {"custom": {"courses": [{"occupation": "叉车司机"}]}}],
         "slots": {**WORKER, "certificate": "低压电工证"}},
    )  # fmt: skip
    case = {"id": "z", "text": "…", "wants": ["amount", "courses"], "complete": True, "certificate": "叉车证",
            "course": "电工"}  # fmt: skip
    assert converse(client, case, {}, QUESTIONS).problems() == ["amount for 低压电工证", "cards for 叉车司机"]


def test_a_subsidy_answer_that_still_asks_is_answered_not_counted():
    """ "“焊工证”可能是以下几种之一……请说明是哪一种": the amount has not come; the asker says which."""
    client, said = gateway(
        {"messages": [{"text": "“焊工证”可能是以下几种之一……", "custom": {"subsidy": {}}}],
         "slots": {**WORKER, "certificate": "焊工证"}},
        {"messages": [{"custom": {"subsidy": {}}}], "slots": {**WORKER, "certificate": "焊接与热切割作业"}},
    )  # fmt: skip
    case = {"id": "w", "text": "彭阳农民工拿到了焊工证能补多少", "wants": ["amount"], "complete": False,
            "certificate": "焊接与热切割作业"}  # fmt: skip
    outcome = converse(client, case, {"certificate": "焊接与热切割作业"}, QUESTIONS)
    assert said[1:] == ["焊接与热切割作业"] and outcome.asked == ["certificate"]
    assert outcome.turns == {"amount": 2} and outcome.problems() == []


def test_every_question_of_the_forms_has_a_default_answer():
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    assert set(QUESTIONS.values()) <= set(cases["defaults"])


def test_the_messages_are_not_training_data():
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))["cases"]
    training = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "nlu_data").rglob("*.yml")))
    assert [c["id"] for c in cases if c["text"] in training] == []


def test_a_question_with_parameters_is_recognised_by_its_field():
    """ "“焊工证”在补贴目录里有几种：……" asks for the certificate: the case's answer is given."""
    choice = RESPONSES["utter_ask_certificate_choice"][0]["text"].format(
        certificate="焊工证", choices="焊接与热切割作业、特种设备焊接作业"
    )
    client, said = gateway(
        {"messages": [{"text": choice}], "slots": {}},
        {"messages": [{"text": "……可以拿1400元", "custom": {"subsidy": {}}}], "slots": WORKER},
    )
    case = {"id": "z", "text": "彭阳农民工拿到了焊工证能补多少", "wants": ["amount"], "complete": False}
    outcome = converse(client, case, {"certificate": "焊接与热切割作业"}, QUESTIONS)
    assert said == [case["text"], "焊接与热切割作业"] and outcome.asked == ["certificate"]
    assert outcome.turns == {"amount": 2} and outcome.problems() == []
