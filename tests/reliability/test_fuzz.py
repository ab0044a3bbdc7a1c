"""Schema fuzzing of every public operation, in-process, with Rasa down: each answer is a JSON
answer below 500 — except 503 from an unavailable Rasa (and /health reporting it), the contract."""

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode

from bot.gateway.app import create_app
from bot.settings import Settings
from bot.stack import free_port

EXAMPLES_PER_OPERATION = 30
AGENT_TOKEN = "dev-assist-token"  # the default digest's token: the assist API is fuzzed past sign-in


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("fuzz")
    app = create_app(
        Settings(
            rasa_url=f"http://127.0.0.1:{free_port()}",
            action_server_url=f"http://127.0.0.1:{free_port()}",
            data_dir=data_dir,
            database_url=f"sqlite:///{data_dir / 'assistant.db'}",
            rate_limit_ip_per_minute=0,
            rate_limit_sender_per_minute=0,
        )
    )
    with TestClient(app):  # runs the lifespan: the Rasa client and the WeChat channel exist
        yield schemathesis.openapi.from_asgi("/openapi.json", app)


def check(case) -> None:
    response = case.call(headers={"Authorization": f"Bearer {AGENT_TOKEN}"})
    where = f"{case.method} {case.path} {case.path_parameters or ''} {case.query or ''} {case.body!r:.200}"
    if response.status_code == 503:
        body = response.json()
        assert case.path == "/health" or body["error"]["code"] == "rasa_unavailable", where
        return
    assert response.status_code < 500, f"{where} → {response.status_code} {response.text[:300]}"


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_unexpected_server_error(api_schema, mode):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:
        if mode is GenerationMode.NEGATIVE and not (list(operation.iter_parameters()) or operation.body):
            continue  # nothing to make invalid

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case) -> None:
            check(case)

        fuzz()
