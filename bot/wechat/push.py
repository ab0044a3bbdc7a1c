"""Messages WeChat pushes to the mini-program's server URL: JSON or XML, plain or AES-encrypted
("safe mode"), and the passive replies sent back in the same format."""

from __future__ import annotations

import json
import time
from typing import Any, Literal

import xmltodict
from wechatpy.crypto import WeChatCrypto

Format = Literal["json", "xml"]


def body_format(raw: bytes) -> Format:
    return "json" if raw.lstrip()[:1] == b"{" else "xml"


def parse_body(raw: bytes | str, fmt: Format) -> dict[str, Any]:
    parsed = json.loads(raw) if fmt == "json" else xmltodict.parse(raw).get("xml")
    if not isinstance(parsed, dict):
        raise ValueError("not a WeChat message")
    return parsed


def decrypt_body(
    envelope: dict[str, Any],
    fmt: Format,
    crypto: WeChatCrypto,
    msg_signature: str,
    timestamp: str,
    nonce: str,
) -> dict[str, Any]:
    """Checks msg_signature over the ciphertext and the appid inside it (wechatpy raises
    InvalidSignatureException or InvalidAppIdException), then parses the plaintext message."""
    return parse_body(crypto.decrypt_message(envelope, msg_signature, timestamp, nonce), fmt)


def transfer_reply(message: dict[str, Any], fmt: Format, crypto: WeChatCrypto | None, nonce: str) -> str:
    """The passive reply that hands the conversation to the human customer-service queue."""
    reply = {
        "ToUserName": message.get("FromUserName", ""),
        "FromUserName": message.get("ToUserName", ""),
        "CreateTime": int(time.time()),
        "MsgType": "transfer_customer_service",
    }
    plain = json.dumps(reply) if fmt == "json" else xmltodict.unparse({"xml": reply}, full_document=False)
    if crypto is None:
        return plain
    encrypted_xml = crypto.encrypt_message(plain, nonce)
    if fmt == "xml":
        return encrypted_xml
    envelope = xmltodict.parse(encrypted_xml)["xml"]
    return json.dumps({**envelope, "TimeStamp": int(envelope["TimeStamp"])})
