"""Shared fixtures. `assistant` starts the real action server, Rasa server (trained model) and gateway
on free ports, once per test session, for every test that asks for it."""

from functools import partial

import httpx
import pytest

from bot import rasa_model
from bot.courses.finder import find_nearest
from bot.courses.importer import SAMPLE_WRITTEN_ON, load_sample_if_empty
from bot.courses.store import Catalogue
from bot.stack import Stack, isolated_settings
from tests.channels.fake_wechat_api import SAMPLE_AES_KEY, SAMPLE_APPID, SAMPLE_TOKEN, FakeWeChatApi

ENTRY_SIGNING_SECRET = "test-entry-secret"
# Not the default (12333), so the tests see the HOTLINE setting reach the dialogue's replies.
HOTLINE = "0954-12333"


@pytest.fixture(scope="session")
def wechat_api():
    """The fake WeChat API the running gateway sends customer-service messages to."""
    with FakeWeChatApi().running() as fake:
        yield fake


@pytest.fixture(scope="session")
def assistant(tmp_path_factory, wechat_api):
    settings = isolated_settings(
        tmp_path_factory.mktemp("assistant"),
        entry_signing_secret=ENTRY_SIGNING_SECRET,
        hotline=HOTLINE,
        wechat_token=SAMPLE_TOKEN,
        wechat_encoding_aes_key=SAMPLE_AES_KEY,
        wechat_appid=SAMPLE_APPID,
        wechat_appsecret=wechat_api.secret,
        wechat_api_base=wechat_api.url,
    )
    with Stack(settings, rasa_model.train(force=False)):
        yield settings


@pytest.fixture
def gateway(assistant):
    with httpx.Client(base_url=f"http://127.0.0.1:{assistant.gateway_port}", timeout=60) as client:
        yield client


@pytest.fixture(scope="session")
def finder(tmp_path_factory):
    """The course finder over the sample catalogue, on the day its dates were written for."""
    catalogue = Catalogue.from_url(f"sqlite:///{tmp_path_factory.mktemp('courses') / 'c.db'}")
    load_sample_if_empty(catalogue, today=SAMPLE_WRITTEN_ON)
    return partial(find_nearest, catalogue=catalogue, today=SAMPLE_WRITTEN_ON)
