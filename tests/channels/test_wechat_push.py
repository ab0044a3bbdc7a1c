"""WeChat mini-program message push against the running assistant, replies landing in the fake WeChat
API: URL verification, plain and safe mode in JSON and XML, WeChat's published encryption sample,
duplicates, token refresh, handoff, entry events and forged requests."""

import hashlib
import json
import time
import uuid
from urllib.parse import urlencode

import pytest
import xmltodict
from wechatpy.crypto import WeChatCrypto

from bot.qr.signing import signed_query
from tests.channels.fake_wechat_api import SAMPLE_AES_KEY, SAMPLE_APPID, SAMPLE_TOKEN
from tests.conftest import ENTRY_SIGNING_SECRET

pytestmark = pytest.mark.e2e

PUSH = "/wechat/miniprogram"
MINIPROGRAM_ID = "gh_3a1b2c3d4e5f"

# WeChat's published sample (WXBizMsgCrypt demo): a text message "abcdteT" in compatible mode.
SAMPLE_TIMESTAMP = "1409735669"
SAMPLE_NONCE = "1320562132"
SAMPLE_MSG_SIGNATURE = "5d197aaffba7e9b25a30732f161a50dee96bd5fa"
SAMPLE_OPENID = "oyORnuP8q7ou2gfYjqLzSIWZf0rs"
SAMPLE_XML = (
    "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]>"
    "</FromUserName><CreateTime>1409735668</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[abcdteT]]>"
    "</Content><MsgId>6054768590064713728</MsgId><Encrypt><![CDATA[hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655Hu"
    "D0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZk"
    "yyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZb"
    "Gpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM"
    "9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=]]></Encrypt></xml>"
)
QUIET_SECONDS = 3  # how long "nothing happens" is watched for


def signature(timestamp: str, nonce: str, token: str = SAMPLE_TOKEN) -> str:
    """WeChat's request signature: SHA-1 of token, timestamp and nonce sorted and joined."""
    return hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()


def new_openid() -> str:
    return "o" + uuid.uuid4().hex[:27]


def new_msg_id() -> int:
    return uuid.uuid4().int % 10**19


def text_message(openid: str, content: str, msg_id: int | None = None) -> dict:
    return {
        "ToUserName": MINIPROGRAM_ID,
        "FromUserName": openid,
        "CreateTime": int(time.time()),
        "MsgType": "text",
        "Content": content,
        "MsgId": msg_id or new_msg_id(),
    }


def push_plain(gateway, message: dict, fmt: str = "json", sig: str | None = None):
    timestamp, nonce = str(int(time.time())), uuid.uuid4().hex[:10]
    query = {
        "signature": sig or signature(timestamp, nonce),
        "timestamp": timestamp,
        "nonce": nonce,
        "openid": message["FromUserName"],
    }
    body = json.dumps(message, ensure_ascii=False) if fmt == "json" else xmltodict.unparse({"xml": message})
    return gateway.post(f"{PUSH}?{urlencode(query)}", content=body.encode())


def push_safe(gateway, message: dict, fmt: str = "json", appid: str = SAMPLE_APPID):
    """Safe mode as WeChat sends it: the message encrypted in an envelope, signed with msg_signature."""
    timestamp, nonce = str(int(time.time())), uuid.uuid4().hex[:10]
    plain = json.dumps(message, ensure_ascii=False) if fmt == "json" else xmltodict.unparse({"xml": message})
    encrypted = xmltodict.parse(
        WeChatCrypto(SAMPLE_TOKEN, SAMPLE_AES_KEY, appid).encrypt_message(plain, nonce, timestamp)
    )
    envelope = {"ToUserName": MINIPROGRAM_ID, "Encrypt": encrypted["xml"]["Encrypt"]}
    query = {
        "signature": signature(timestamp, nonce),
        "timestamp": timestamp,
        "nonce": nonce,
        "openid": message["FromUserName"],
        "encrypt_type": "aes",
        "msg_signature": encrypted["xml"]["MsgSignature"],
    }
    body = json.dumps(envelope) if fmt == "json" else xmltodict.unparse({"xml": envelope})
    return gateway.post(f"{PUSH}?{urlencode(query)}", content=body.encode())


def assert_success(response):
    assert response.status_code == 200, response.text
    assert response.text == "success"


def test_url_verification_echoes_echostr(gateway):
    query = {
        "signature": signature("1700000000", "123456"),
        "timestamp": "1700000000",
        "nonce": "123456",
        "echostr": "8096165234371589",
    }
    response = gateway.get(PUSH, params=query)
    assert response.status_code == 200
    assert response.text == "8096165234371589"


def test_url_verification_with_forged_signature_is_refused(gateway):
    query = {
        "signature": signature("1700000000", "123456", token="guess"),
        "timestamp": "1700000000",
        "nonce": "123456",
        "echostr": "8096165234371589",
    }
    response = gateway.get(PUSH, params=query)
    assert response.status_code == 403
    assert "8096165234371589" not in response.text


def sample_safe_query() -> dict[str, str]:
    """The query string of WeChat's published safe-mode sample."""
    return {
        "signature": signature(SAMPLE_TIMESTAMP, SAMPLE_NONCE),
        "timestamp": SAMPLE_TIMESTAMP,
        "nonce": SAMPLE_NONCE,
        "encrypt_type": "aes",
        "msg_signature": SAMPLE_MSG_SIGNATURE,
    }


def test_wechat_published_sample_is_decrypted_and_answered(gateway, wechat_api):
    query = sample_safe_query()
    assert_success(gateway.post(f"{PUSH}?{urlencode(query)}", content=SAMPLE_XML.encode()))
    reply = wechat_api.wait_for_messages(SAMPLE_OPENID)[0]
    assert reply["msgtype"] == "text" and reply["text"]["content"]


@pytest.mark.parametrize("mode", ["plain", "safe"])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_text_message_is_answered_through_customer_service_api(gateway, wechat_api, mode, fmt):
    openid = new_openid()
    push = push_plain if mode == "plain" else push_safe
    assert_success(push(gateway, text_message(openid, "你是机器人吗"), fmt))
    reply = wechat_api.wait_for_messages(openid)[0]
    assert reply == {"touser": openid, "msgtype": "text", "text": {"content": reply["text"]["content"]}}
    assert "助手" in reply["text"]["content"]


def test_retried_delivery_is_processed_once(gateway, wechat_api):
    openid = new_openid()
    message = text_message(openid, "你是机器人吗")
    for _ in range(3):  # WeChat's retries carry the same MsgId
        assert_success(push_safe(gateway, message))
    wechat_api.wait_for_messages(openid)
    time.sleep(QUIET_SECONDS)
    assert len(wechat_api.messages_to(openid)) == 1


def test_expired_access_token_is_renewed(gateway, wechat_api):
    openid = new_openid()
    assert_success(push_plain(gateway, text_message(openid, "你是机器人吗")))
    wechat_api.wait_for_messages(openid)
    requests_before = wechat_api.token_requests
    wechat_api.expire_tokens()
    assert_success(push_plain(gateway, text_message(openid, "谢谢")))
    wechat_api.wait_for_messages(openid, count=2)
    assert 42001 in wechat_api.rejected
    assert wechat_api.token_requests == requests_before + 1


def test_forged_signature_is_refused_and_nothing_is_processed(gateway, wechat_api):
    openid = new_openid()
    message = text_message(openid, "你是机器人吗")
    response = push_plain(gateway, message, sig=signature("1", "2", token="guess"))
    assert response.status_code == 403
    time.sleep(QUIET_SECONDS)
    assert wechat_api.messages_to(openid) == []
    # The refused request did not even enter the duplicate filter: the genuine one is answered.
    assert_success(push_plain(gateway, message))
    wechat_api.wait_for_messages(openid)


def test_message_encrypted_for_another_appid_is_refused(gateway, wechat_api):
    openid = new_openid()
    response = push_safe(gateway, text_message(openid, "你是机器人吗"), appid="wx0000000000000000")
    assert response.status_code == 403
    time.sleep(QUIET_SECONDS)
    assert wechat_api.messages_to(openid) == []


def test_tampered_ciphertext_is_refused(gateway, wechat_api):
    query = sample_safe_query()
    tampered = SAMPLE_XML.replace("hyzAe4", "hyzAe5")
    assert gateway.post(f"{PUSH}?{urlencode(query)}", content=tampered.encode()).status_code == 403


def test_handoff_then_next_message_is_transferred_to_customer_service(gateway, wechat_api):
    openid = new_openid()
    assert_success(push_safe(gateway, text_message(openid, "我要转人工")))
    assert "12333" in wechat_api.wait_for_messages(openid)[0]["text"]["content"]
    response = push_plain(gateway, text_message(openid, "你好，在吗"))
    assert response.status_code == 200
    reply = response.json()
    assert reply["MsgType"] == "transfer_customer_service"
    assert reply["ToUserName"] == openid and reply["FromUserName"] == MINIPROGRAM_ID


def enter_event(openid: str, session_from: str) -> dict:
    return {
        "ToUserName": MINIPROGRAM_ID,
        "FromUserName": openid,
        "CreateTime": int(time.time()),
        "MsgType": "event",
        "Event": "user_enter_tempsession",
        "SessionFrom": session_from,
    }


def test_entering_from_a_poster_greets_and_counts_the_campaign(gateway, wechat_api):
    campaign = f"测试活动{uuid.uuid4().hex[:6]}"
    context = {"region": "彭阳县", "role": "institution", "campaign": campaign}
    openid = new_openid()
    assert_success(push_safe(gateway, enter_event(openid, signed_query(context, ENTRY_SIGNING_SECRET))))
    greeting = wechat_api.wait_for_messages(openid)[0]["text"]["content"]
    assert "合规" in greeting  # the institution's poster opens in compliance mode
    counts = gateway.get("/api/stats/entries").json()["entries"]
    assert {"campaign": campaign, "region": "彭阳县", "conversations": 1} in counts


def test_entering_with_a_tampered_context_sets_nothing(gateway, wechat_api):
    campaign = f"测试活动{uuid.uuid4().hex[:6]}"
    query = signed_query({"region": "彭阳县", "role": "trainee", "campaign": campaign}, ENTRY_SIGNING_SECRET)
    openid = new_openid()
    assert_success(push_plain(gateway, enter_event(openid, query.replace("trainee", "institution"))))
    greeting = wechat_api.wait_for_messages(openid)[0]["text"]["content"]
    assert "合规" not in greeting
    assert campaign not in json.dumps(gateway.get("/api/stats/entries").json(), ensure_ascii=False)


def test_location_is_answered(gateway, wechat_api):
    openid = new_openid()
    message = {
        "ToUserName": MINIPROGRAM_ID,
        "FromUserName": openid,
        "CreateTime": int(time.time()),
        "MsgType": "location",
        "Location_X": "35.85",
        "Location_Y": "106.64",
        "Scale": "15",
        "Label": "彭阳县白阳镇",
        "MsgId": new_msg_id(),
    }
    assert_success(push_plain(gateway, message, fmt="xml"))
    assert wechat_api.wait_for_messages(openid)[0]["text"]["content"]
