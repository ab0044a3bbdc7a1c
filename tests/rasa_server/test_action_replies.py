"""The prebuilt validator of action-server replies accepts and rejects exactly what Rasa's own
`jsonschema.validate` check does. Runs in the Rasa environment (.venv-rasa), where Rasa lives."""

import pytest

from tests.rasa_python import run_in_rasa

REPLIES = {
    "slots and a response": {
        "events": [{"event": "slot", "name": "region", "value": "彭阳县", "timestamp": None}],
        "responses": [{"response": "utter_greet", "text": None}],
    },
    "form loop and requested slot": {
        "events": [
            {"event": "active_loop", "name": "subsidy_form"},
            {"event": "slot", "name": "requested_slot", "value": "hukou_local"},
        ],
        "responses": [],
    },
    "no events": {"events": [], "responses": []},
    "unknown event": {"events": [{"event": "teleport", "name": "x"}], "responses": []},
    "events not a list": {"events": {"event": "slot"}, "responses": []},
    "response not an object": {"events": [], "responses": ["您好"]},
}

# For each reply: Rasa's original check (None = accepted, else the error message) and the
# prebuilt one, which must agree.
COMPARE = """
import json, sys
import jsonschema
from rasa.core.actions.action import RemoteAction
from rasa_server.action_replies import validate_action_result

replies = json.loads(sys.stdin.read())
original = RemoteAction._validate_action_result
results = {}
for name, reply in replies.items():
    outcome = {}
    for label, check in (("rasa", original), ("prebuilt", validate_action_result)):
        try:
            check(RemoteAction("action_x", None), reply)
            outcome[label] = None
        except jsonschema.ValidationError as error:
            outcome[label] = error.message
    results[name] = outcome
print(json.dumps(results, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def outcomes() -> dict[str, dict[str, str | None]]:
    return run_in_rasa(COMPARE, stdin=REPLIES)


@pytest.mark.parametrize("name", ["slots and a response", "form loop and requested slot", "no events"])
def test_valid_replies_are_accepted_by_both(outcomes, name):
    assert outcomes[name] == {"rasa": None, "prebuilt": None}


@pytest.mark.parametrize("name", ["unknown event", "events not a list", "response not an object"])
def test_invalid_replies_are_rejected_with_the_same_error(outcomes, name):
    assert outcomes[name]["rasa"] is not None
    assert outcomes[name]["prebuilt"] == outcomes[name]["rasa"]
