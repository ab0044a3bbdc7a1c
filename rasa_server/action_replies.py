"""Action-server replies checked against their schema with one validator built once.

Rasa 3.6 checks every reply of the action server with `jsonschema.validate`, which first checks the
schema itself against the JSON Schema 2020-12 meta-schema and builds a new validator: about 16 ms per
action call on this machine, the largest single cost of a turn (docs/BENCHMARKS.md). The schema is a
constant, so it is checked once and its validator reused: the same schema, the same errors."""

from __future__ import annotations

from functools import cache
from typing import Any

import jsonschema
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@cache
def reply_validator() -> jsonschema.protocols.Validator:
    schema = RemoteAction.action_response_format_spec()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(action: RemoteAction, result: dict[str, Any]) -> bool:
    """`RemoteAction._validate_action_result` with the prebuilt validator: raises the error
    `jsonschema.validate` would, with Rasa's hint appended."""
    error = jsonschema.exceptions.best_match(reply_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from the "
        f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install_prebuilt_reply_validator() -> None:
    RemoteAction._validate_action_result = validate_action_result
