"""A local stand-in for api.weixin.qq.com speaking the same protocol: /cgi-bin/token issues access
tokens for one appid/secret, /cgi-bin/message/custom/send accepts customer-service messages with a
valid token and answers 40001/42001 otherwise. Runs as a real HTTP server in a thread; tests read
what it received and can expire every token it issued, make the next sends fail (errcode -1 "system
busy", another errcode, or an HTTP 5xx) and answer the next sends late (accepted, but after the
client has stopped waiting)."""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

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
    send_attempts: int = 0  # every POST to the send endpoint, accepted or not
    failures: list[int | str] = field(default_factory=list)  # the next sends' failures, in order
    late_sends: list[float] = field(default_factory=list)  # the next accepted sends' answer delays
    url: str = ""
    _serial: Iterator[int] = field(default_factory=itertools.count)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def expire_tokens(self) -> None:
        with self._lock:
            self.tokens = dict.fromkeys(self.tokens, False)

    def fail_next_sends(self, count: int, errcode: int = -1, status: int | None = None) -> None:
        """The next `count` sends fail without delivering: HTTP `status` if given, else `errcode`."""
        with self._lock:
            self.failures.extend([f"http:{status}" if status else errcode] * count)

    def answer_next_sends_late(self, count: int, seconds: float) -> None:
        """The next `count` sends are delivered, but answered only after `seconds`."""
        with self._lock:
            self.late_sends.extend([seconds] * count)

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
        async def send(request: Request, access_token: str = "") -> Response:
            status, answer = self._send(await request.json(), access_token)
            with self._lock:
                delay = self.late_sends.pop(0) if answer.get("errcode") == 0 and self.late_sends else 0
            if delay:
                await asyncio.sleep(delay)  # delivered already: the client just does not hear so
            if status != 200:
                return PlainTextResponse("Service Unavailable", status_code=status)
            return JSONResponse(answer)

        return api

    def _send(self, message: dict[str, Any], access_token: str) -> tuple[int, dict[str, Any]]:
        """WeChat's HTTP status and answer to one customer-service send; kept when accepted."""
        with self._lock:
            self.send_attempts += 1
            if access_token not in self.tokens:
                self.rejected.append(40001)
                return 200, {
                    "errcode": 40001,
                    "errmsg": "invalid credential, access_token is invalid or not latest",
                }
            if not self.tokens[access_token]:
                self.rejected.append(42001)
                return 200, {"errcode": 42001, "errmsg": "access_token expired"}
            if not message.get("touser") or message.get("msgtype") not in {
                "text",
                "image",
                "link",
                "miniprogrampage",
            }:
                return 200, {"errcode": 40008, "errmsg": "invalid message type"}
            if message["msgtype"] == "text" and not message.get("text", {}).get("content"):
                return 200, {"errcode": 44003, "errmsg": "empty news data"}
            if self.failures:
                failure = self.failures.pop(0)
                if isinstance(failure, str):  # "http:503"
                    return int(failure.removeprefix("http:")), {}
                self.rejected.append(failure)
                return 200, {"errcode": failure, "errmsg": "system busy" if failure == -1 else "refused"}
            self.sent.append(message)
        return 200, {"errcode": 0, "errmsg": "ok"}

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
