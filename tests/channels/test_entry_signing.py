"""Entry links: a signed context verifies; any edit to it, or a missing signature, does not."""

from urllib.parse import parse_qsl, urlsplit

import pytest

from bot.qr.signing import entry_url, verified_context

SECRET = "unit-secret"
CONTEXT = {"channel": "h5", "region": "彭阳县", "role": "trainee", "campaign": "2027春季招生"}


def params_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


def test_signed_link_opens_chat_and_verifies():
    url = entry_url("https://zhiyin.example.cn/", CONTEXT, SECRET)
    assert url.startswith("https://zhiyin.example.cn/chat?")
    assert verified_context(params_of(url), SECRET) == CONTEXT


@pytest.mark.parametrize(
    "edit",
    [
        {"region": "原州区"},
        {"role": "institution"},
        {"campaign": "2027秋季招生"},
        {"channel": "wechat"},
        {"sig": "AAAAAAAAAAAAAAAAAAAAAA"},
        {"sig": ""},
    ],
)
def test_tampered_link_is_recognised(edit):
    params = {**params_of(entry_url("https://x", CONTEXT, SECRET)), **edit}
    assert verified_context(params, SECRET) is None


def test_dropping_a_key_breaks_the_signature():
    params = params_of(entry_url("https://x", CONTEXT, SECRET))
    del params["role"]
    assert verified_context(params, SECRET) is None


def test_other_secret_does_not_verify():
    assert verified_context(params_of(entry_url("https://x", CONTEXT, SECRET)), "other") is None


def test_unknown_keys_are_not_part_of_the_context():
    params = {**params_of(entry_url("https://x", {"region": "彭阳县"}, SECRET)), "utm_source": "poster"}
    assert verified_context(params, SECRET) == {"region": "彭阳县"}
