"""WeChat mini-program message push at /wechat/miniprogram.

GET answers WeChat's URL verification. POST accepts a pushed message (JSON or XML, plain or safe
mode), answers `success` at once — WeChat retries after 5 s and every retry would be a duplicate
turn — and runs the turn through Rasa in the background, replying through the customer-service
message API. A handoff cannot be done from the background: the conversation is marked, and the
user's next message is answered with `transfer_customer_service`, which puts it in the human queue.

A turn Rasa answers with nothing (an action failed, e.g. the action server is down) is answered with
the same apology and hotline as /api/chat. WeChat's push is exempt from the per-IP limit (it comes from
WeChat's servers), so each user (OpenID) is limited here, after the signature is verified: messages
beyond the limit are acknowledged, logged and not answered."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl
from xml.parsers.expat import ExpatError

import httpx
from fastapi import APIRouter, BackgroundTasks, FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse, Response
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.utils import check_signature

from bot.gateway.channels.entry_store import record_entry
from bot.gateway.channels.recent import RecentKeys
from bot.gateway.channels.wechat_feedback import TypedVerdict, thanks, typed_verdict
from bot.gateway.channels.wechat_replies import customer_service_messages
from bot.gateway.middleware.buckets import TokenBuckets
from bot.gateway.rasa_client import RasaClient, RasaUnavailable
from bot.gateway.routes.chat import run_turn
from bot.qr.signing import verified_context
from bot.review.feedback import FeedbackRefused, give_feedback
from bot.settings import Settings
from bot.wechat.client import WeChatApi, WeChatApiError
from bot.wechat.push import Format, body_format, decrypt_body, parse_body, transfer_reply

log = logging.getLogger(__name__)

CHANNEL = "miniprogram"
OPENID_PATTERN = re.compile(r"^[A-Za-z0-9_\-]{1,56}$")
DUPLICATE_WINDOW_SECONDS = 300  # WeChat retries three times within about 15 s
HANDOFF_WINDOW_SECONDS = 1800
MAX_REMEMBERED = 10_000
# Rasa's intent triggers for turns that carry no user text.
GREET_TRIGGER = "/greet"
FIND_COURSE_TRIGGER = "/find_course"


@dataclass
class WeChatChannel:
    api: WeChatApi
    crypto: WeChatCrypto | None  # None: no EncodingAESKey configured, plain mode only
    token: str
    entry_secret: str
    database_url: str
    tracker_url: str  # feedback typed as a reply refers to the latest answer in the tracker store
    seen_messages: RecentKeys
    awaiting_transfer: RecentKeys  # openids whose last turn asked for a human
    hotline: str = "12333"
    per_user: TokenBuckets | None = None  # messages per OpenID per minute; None: unlimited

    @classmethod
    def from_settings(cls, settings: Settings) -> WeChatChannel:
        crypto = None
        if settings.wechat_encoding_aes_key:
            crypto = WeChatCrypto(
                settings.wechat_token, settings.wechat_encoding_aes_key, settings.wechat_appid
            )
        return cls(
            api=WeChatApi(settings.wechat_api_base, settings.wechat_appid, settings.wechat_appsecret),
            crypto=crypto,
            token=settings.wechat_token,
            entry_secret=settings.entry_signing_secret,
            database_url=settings.database_url,
            tracker_url=settings.tracker_store_url,
            seen_messages=RecentKeys(DUPLICATE_WINDOW_SECONDS, MAX_REMEMBERED),
            awaiting_transfer=RecentKeys(HANDOFF_WINDOW_SECONDS, MAX_REMEMBERED),
            hotline=settings.hotline,
            per_user=(
                TokenBuckets(settings.rate_limit_sender_per_minute)
                if settings.rate_limit_sender_per_minute > 0
                else None
            ),
        )


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.wechat = WeChatChannel.from_settings(app.state.settings)
    try:
        yield
    finally:
        await app.state.wechat.api.close()


router = APIRouter(prefix="/wechat", tags=["wechat"], lifespan=lifespan)


def _require_signature(channel: WeChatChannel, signature: str, timestamp: str, nonce: str) -> None:
    try:
        check_signature(channel.token, signature, timestamp, nonce)
    except InvalidSignatureException:
        raise HTTPException(403, "签名校验失败") from None


@router.get("/miniprogram", response_class=PlainTextResponse)
async def verify_url(
    request: Request, signature: str = "", timestamp: str = "", nonce: str = "", echostr: str = ""
) -> str:
    _require_signature(request.app.state.wechat, signature, timestamp, nonce)
    return echostr


def _message_key(message: dict[str, Any]) -> str:
    """WeChat's advice: MsgId for messages, FromUserName + CreateTime for events."""
    if message.get("MsgId"):
        return f"msg:{message['MsgId']}"
    return f"event:{message.get('FromUserName')}:{message.get('CreateTime')}:{message.get('Event')}"


def _turn(channel: WeChatChannel, message: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The Rasa message and metadata for a pushed message, or None for kinds the assistant ignores."""
    metadata: dict[str, Any] = {"channel": CHANNEL}
    kind = message.get("MsgType")
    if kind == "text" and str(message.get("Content") or "").strip():
        return str(message["Content"]).strip(), metadata
    if kind == "location":
        try:
            location: dict[str, Any] = {
                "lat": float(message["Location_X"]),
                "lng": float(message["Location_Y"]),
            }
        except (KeyError, TypeError, ValueError):
            return None
        if message.get("Label"):
            location["label"] = str(message["Label"])
        return FIND_COURSE_TRIGGER, {**metadata, "location": location}
    if kind == "event" and message.get("Event") == "user_enter_tempsession":
        context = verified_context(
            dict(parse_qsl(str(message.get("SessionFrom") or ""))), channel.entry_secret
        )
        if context:
            metadata = {**context, "channel": CHANNEL}
        return GREET_TRIGGER, metadata
    return None


async def converse(
    channel: WeChatChannel, rasa: RasaClient, openid: str, text: str, metadata: dict[str, Any]
) -> None:
    """One turn through Rasa, its answer sent as customer-service messages."""
    sender_id = f"wechat:{openid}"
    try:
        if metadata.get("campaign") or metadata.get("region"):
            await run_in_threadpool(record_entry, channel.database_url, sender_id, metadata)
        response = await run_turn(rasa, sender_id, text, metadata, channel.hotline)
        for reply in customer_service_messages(openid, response):
            await channel.api.send_custom_message(reply)
        if response.handoff:
            channel.awaiting_transfer.add(openid)
    except (RasaUnavailable, WeChatApiError, httpx.HTTPError):
        log.exception("WeChat turn for %s failed", sender_id)


async def give_verdict(
    channel: WeChatChannel, rasa: RasaClient, openid: str, text: str, verdict: TypedVerdict
) -> None:
    """A reply such as "没帮助": feedback on the latest answer, thanked; with no answer to refer to,
    an ordinary turn."""
    sender_id = f"wechat:{openid}"
    try:
        await run_in_threadpool(
            give_feedback,
            channel.database_url,
            channel.tracker_url,
            sender_id,
            verdict.helpful,
            verdict.reason,
        )
    except FeedbackRefused:
        await converse(channel, rasa, openid, text, {"channel": CHANNEL})
        return
    try:
        await channel.api.send_custom_message(
            {"touser": openid, "msgtype": "text", "text": thanks(verdict, channel.hotline)}
        )
    except (WeChatApiError, httpx.HTTPError):
        log.exception("thanks for the feedback of %s could not be sent", sender_id)


@router.post("/miniprogram")
async def receive(
    request: Request,
    background: BackgroundTasks,
    signature: str = "",
    timestamp: str = "",
    nonce: str = "",
    encrypt_type: str = "",
    msg_signature: str = "",
) -> Response:
    channel: WeChatChannel = request.app.state.wechat
    _require_signature(channel, signature, timestamp, nonce)
    raw = await request.body()
    fmt: Format = body_format(raw)
    try:
        message = parse_body(raw, fmt)
        if encrypt_type == "aes":
            if channel.crypto is None:
                raise HTTPException(403, "未配置消息加密密钥")
            message = decrypt_body(message, fmt, channel.crypto, msg_signature, timestamp, nonce)
    except (InvalidSignatureException, InvalidAppIdException):
        raise HTTPException(403, "签名或 AppID 校验失败") from None
    except (ValueError, KeyError, ExpatError):
        raise HTTPException(400, "无法解析的消息") from None

    openid = str(message.get("FromUserName") or "")
    if not OPENID_PATTERN.match(openid) or not channel.seen_messages.add(_message_key(message)):
        return PlainTextResponse("success")
    if channel.per_user and channel.per_user.take(openid):
        log.warning("WeChat user %s is over the per-user rate limit; message not answered", openid)
        return PlainTextResponse("success")
    text = str(message.get("Content") or "") if message.get("MsgType") == "text" else ""
    if verdict := typed_verdict(text):  # before a pending transfer: the next message still transfers
        background.add_task(give_verdict, channel, request.app.state.rasa, openid, text.strip(), verdict)
        return PlainTextResponse("success")
    if openid in channel.awaiting_transfer:
        channel.awaiting_transfer.discard(openid)
        crypto = channel.crypto if encrypt_type == "aes" else None
        media_type = "application/json" if fmt == "json" else "application/xml"
        return Response(transfer_reply(message, fmt, crypto, nonce), media_type=media_type)
    turn = _turn(channel, message)
    if turn is not None:
        background.add_task(converse, channel, request.app.state.rasa, openid, *turn)
    return PlainTextResponse("success")
