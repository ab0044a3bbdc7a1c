from rasa_validation.unused_responses import settle_unused_responses

SENT_ELSEWHERE = {
    "utter_ask_region": "表单提问",
    "utter_courses_found": "自定义动作",
    "utter_default": "默认兜底",
}


def unused(name: str) -> str:
    return f"The utterance '{name}' is not used in any story or rule."


def test_unused_responses_sent_elsewhere_are_settled_with_their_sender():
    settled, standing = settle_unused_responses(
        [unused("utter_ask_region"), unused("utter_default")], SENT_ELSEWHERE
    )
    assert settled == {"utter_ask_region": "表单提问", "utter_default": "默认兜底"}
    assert standing == []


def test_a_response_sent_from_nowhere_still_stands():
    settled, standing = settle_unused_responses(
        [unused("utter_courses_found"), unused("utter_never_sent")], SENT_ELSEWHERE
    )
    assert settled == {"utter_courses_found": "自定义动作"}
    assert standing == [unused("utter_never_sent")]


def test_every_other_warning_stands_even_when_it_names_a_response_sent_elsewhere():
    others = [
        "The intent 'greet' is not used in any story or rule.",
        "The action 'utter_default' is used in the stories, but is not a valid utterance action.",
        f"{unused('utter_default')} (reworded by a Rasa upgrade)",
    ]
    assert settle_unused_responses(others, SENT_ELSEWHERE) == ({}, others)
