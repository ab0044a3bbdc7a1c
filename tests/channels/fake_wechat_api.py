"""A local stand-in for api.weixin.qq.com speaking the same protocol: /cgi-bin/token issues access
tokens for one appid/secret, /cgi-bin/message/custom/send accepts customer-service messages with a
valid token and answers 40001/42001 otherwise. Runs as a real HTTP server in a thread; tests read
what it received and can expire every token it issued."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request

from bot.stack import free_port

# WeChat's published sample for message encryption (WXBizMsgCrypt demo): token, EncodingAESKey,
# appid, and a message encrypted with them.
SAMPLE_TOKEN = "spamtest"
SAMPLE_AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
SAMPLE_APPID = "wx2c2769f8efd9abc2"
SAMPLE_SECRET = "fake-app-secret"

TOKEN_LIFETIME_SECONDS = 7200


@dataclass
class FakeWeChatApi:
    appid: str = SAMPLE_APPID
    secret: str = SAMPLE_SECRET
    tokens: dict[str, bool] = field(default_factory=dict)  # issued token → still valid
    token_requests: int = 0
    sent: list[dict[str, Any]] = field(default_factory=list)  # accepted customer-service messages
    rejected: list[int] = field(default_factory=list)  # errcodes answered to send attempts
    url: str = ""
    _serial: Iterator[int] = field(default_factory=itertools.count)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def expire_tokens(self) -> None:
        with self._lock:
            self.tokens = dict.fromkeys(self.tokens, False)

    def messages_to(self, openid: str) -> list[dict[str, Any]]:
        with self._lock:
            return [m for m in self.sent if m.get("touser") == openid]

    def wait_for_messages(self, openid: str, count: int = 1, timeout: float = 60) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(received := self.messages_to(openid)) >= count:
                return received
            time.sleep(0.2)
        raise AssertionError(f"{openid}: expected {count} message(s), got {self.messages_to(openid)}")

    def app(self) -> FastAPI:
        api = FastAPI()

        @api.get("/cgi-bin/token")
        def token(grant_type: str = "", appid: str = "", secret: str = "") -> dict[str, Any]:
            if grant_type != "client_credential":
                return {"errcode": 40002, "errmsg": "invalid grant_type"}
            if appid != self.appid:
                return {"errcode": 40013, "errmsg": "invalid appid"}
            if secret != self.secret:
                return {"errcode": 40125, "errmsg": "invalid appsecret"}
            with self._lock:
                self.token_requests += 1
                issued = f"ACCESS_TOKEN_{next(self._serial)}"
                self.tokens[issued] = True
            return {"access_token": issued, "expires_in": TOKEN_LIFETIME_SECONDS}

        @api.post("/cgi-bin/message/custom/send")
        async def send(request: Request, access_token: str = "") -> dict[str, Any]:
            message = await request.json()
            with self._lock:
                if access_token not in self.tokens:
                    self.rejected.append(40001)
                    return {
                        "errcode": 40001,
                        "errmsg": "invalid credential, access_token is invalid or not latest",
                    }
                if not self.tokens[access_token]:
                    self.rejected.append(42001)
                    return {"errcode": 42001, "errmsg": "access_token expired"}
                if not message.get("touser") or message.get("msgtype") not in {
                    "text",
                    "image",
                    "link",
                    "miniprogrampage",
                }:
                    return {"errcode": 40008, "errmsg": "invalid message type"}
                if message["msgtype"] == "text" and not message.get("text", {}).get("content"):
                    return {"errcode": 44003, "errmsg": "empty news data"}
                self.sent.append(message)
            return {"errcode": 0, "errmsg": "ok"}

        return api

    @contextmanager
    def running(self) -> Iterator[FakeWeChatApi]:
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(self.app(), host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake WeChat API did not start")
            time.sleep(0.05)
        self.url = f"http://127.0.0.1:{port}"
        try:
            yield self
        finally:
            server.should_exit = True
            thread.join(timeout=10)
