from pathlib import Path

from rasa_validation.response_references import ResponseReference, response_references, undefined_responses

ROOT = Path(__file__).resolve().parents[2]

ACTION_SOURCE = '''"""Sends utter_in_docstring, which is prose, not a name."""
TITLES = {"ask": "utter_intent_ask", "none": "utter_intent_none"}
TEMPLATE = "utter_intent_{}"
PREFIX = "utter_ask_"  # names are matched by it: a prefix, not a name


def run(dispatcher, field, more):
    # utter_in_comment
    dispatcher.utter_message(response=f"utter_invalid_{field}")
    dispatcher.utter_message(response="utter_more" if more else "utter_done")
    dispatcher.utter_message(text="utter_ is not a name, neither is Utter_Upper")
    return event["metadata"]["utter_action"]  # Rasa's key for the response a bot event sent
'''


def test_every_string_literal_that_is_a_response_name_with_its_line(tmp_path):
    (tmp_path / "courses.py").write_text(ACTION_SOURCE, encoding="utf-8")
    (tmp_path / "greet.py").write_text('RESPONSE = "utter_greet"\n', encoding="utf-8")
    (tmp_path / "notes.txt").write_text('"utter_not_python"\n', encoding="utf-8")
    assert [(r.path.name, r.line, r.name) for r in response_references(tmp_path)] == [
        ("courses.py", 2, "utter_intent_ask"),
        ("courses.py", 2, "utter_intent_none"),
        ("courses.py", 10, "utter_more"),
        ("courses.py", 10, "utter_done"),
        ("greet.py", 1, "utter_greet"),
    ]


def test_the_project_actions_name_the_responses_they_build_per_intent_and_field():
    names = {reference.name for reference in response_references(ROOT / "actions")}
    assert {"utter_intent_ask_subsidy", "utter_intent_none", "utter_invalid_employed_months"} <= names


def test_a_misspelt_response_is_undefined():
    references = [
        ResponseReference("utter_greet", Path("actions/greet.py"), 23),
        ResponseReference("utter_greeet", Path("actions/greet.py"), 25),
    ]
    assert undefined_responses(references, {"utter_greet", "utter_default"}) == [references[1]]
