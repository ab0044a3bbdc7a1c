"""A turn's answer as customer-service messages, and the passive transfer reply."""

import json

import xmltodict
from wechatpy.crypto import WeChatCrypto

from bot.gateway.channels.wechat_replies import customer_service_messages
from bot.gateway.schemas import BotMessage, ChatResponse, Citation, Intent
from bot.wechat.push import transfer_reply
from tests.channels.fake_wechat_api import SAMPLE_AES_KEY, SAMPLE_APPID, SAMPLE_TOKEN


def response(*messages: BotMessage, citations=(), handoff=False) -> ChatResponse:
    return ChatResponse(
        messages=list(messages),
        intent=Intent(name="x", confidence=1.0),
        entities=[],
        slots={},
        citations=list(citations),
        handoff=handoff,
    )


def test_text_buttons_courses_and_citations_become_text_messages():
    course = {
        "institution": "彭阳县职业技能培训中心",
        "course": "中式烹调师",
        "address": "彭阳县白阳镇",
        "distance_km": 2.5,
        "start_date": "2027-03-01",
        "end_date": "2027-03-20",
        "phone": "0954-1234567",
    }
    answer = response(
        BotMessage(
            text="请选择",
            buttons=[{"title": "是", "payload": "/affirm"}, {"title": "否", "payload": "/deny"}],
        ),
        BotMessage(text="附近的课程", custom={"courses": [course]}),
        citations=[Citation(doc_id="d1", title="职业技能提升行动", section="第三条", text="…", score=0.9)],
    )
    sent = customer_service_messages("openid-1", answer)
    assert [m["touser"] for m in sent] == ["openid-1", "openid-1"]
    assert all(m["msgtype"] == "text" for m in sent)
    assert sent[0]["text"]["content"].splitlines() == ["请选择", "· 是", "· 否"]
    second = sent[1]["text"]["content"]
    assert "彭阳县职业技能培训中心 · 中式烹调师" in second and "2.5 km" in second and "0954-1234567" in second
    assert second.endswith("《职业技能提升行动》第三条")


def test_long_text_is_cut_to_wechat_limit():
    sent = customer_service_messages("o", response(BotMessage(text="长" * 2000)))
    assert len(sent[0]["text"]["content"].encode()) <= 2000


def test_transfer_reply_plain_json_and_encrypted_xml():
    message = {"ToUserName": "gh_abc", "FromUserName": "openid-2"}
    plain = json.loads(transfer_reply(message, "json", None, "1"))
    assert plain["MsgType"] == "transfer_customer_service"
    assert plain["ToUserName"] == "openid-2" and plain["FromUserName"] == "gh_abc"

    crypto = WeChatCrypto(SAMPLE_TOKEN, SAMPLE_AES_KEY, SAMPLE_APPID)
    envelope = xmltodict.parse(transfer_reply(message, "xml", crypto, "nonce-1"))["xml"]
    inner = crypto.decrypt_message(envelope, envelope["MsgSignature"], envelope["TimeStamp"], "nonce-1")
    assert xmltodict.parse(inner)["xml"]["MsgType"] == "transfer_customer_service"

    envelope = json.loads(transfer_reply(message, "json", crypto, "nonce-2"))
    inner = crypto.decrypt_message(envelope, envelope["MsgSignature"], str(envelope["TimeStamp"]), "nonce-2")
    assert json.loads(inner)["MsgType"] == "transfer_customer_service"
