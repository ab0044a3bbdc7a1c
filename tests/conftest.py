"""Shared fixtures. `assistant` starts the real action server, Rasa server (trained model) and gateway
on free ports, once per test session, for every test that asks for it."""

import httpx
import pytest

from bot import rasa_model
from bot.settings import Settings
from bot.stack import Stack
from tests.ports import free_port


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("assistant")
    settings = Settings(
        gateway_port=free_port(),
        rasa_url=f"http://127.0.0.1:{free_port()}",
        action_server_url=f"http://127.0.0.1:{free_port()}",
        data_dir=data_dir,
        database_url=f"sqlite:///{data_dir / 'assistant.db'}",
        tracker_store_url=f"sqlite:///{data_dir / 'trackers.db'}",
    )
    with Stack(settings, rasa_model.train(force=False)):
        yield settings


@pytest.fixture
def gateway(assistant):
    with httpx.Client(base_url=f"http://127.0.0.1:{assistant.gateway_port}", timeout=60) as client:
        yield client
