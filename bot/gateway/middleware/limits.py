"""Request limits before any route runs: body size (413), requests per client IP and per sender id
(429 with a polite Chinese message and Retry-After).

The sender id is read from the JSON body of the API routes that carry one; the body is then replayed
to the route. WeChat's push comes from WeChat's servers, so it is not limited per IP (its signature
is checked by the route, and WeChat limits its users itself)."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.gateway.errors import error_response
from bot.gateway.middleware.buckets import TokenBuckets, retry_after

UNLIMITED_PREFIXES = ("/health", "/static/")
NOT_PER_IP_PREFIXES = ("/wechat/",)
UPLOAD_PREFIXES = ("/api/admin/knowledge/",)
SENDER_ROUTES = {"/api/chat", "/api/entry", "/api/feedback", "/api/assist/suggest"}


class BodyTooLarge(Exception):
    pass


class LimitsMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        max_upload_bytes: int,
        ip_per_minute: int,
        sender_per_minute: int,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes
        self.by_ip = TokenBuckets(ip_per_minute) if ip_per_minute > 0 else None
        self.by_sender = TokenBuckets(sender_per_minute) if sender_per_minute > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(UNLIMITED_PREFIXES):
            await self.app(scope, receive, send)
            return
        # Operators upload whole policy documents (base64 in JSON); every other route takes messages.
        limit = self.max_upload_bytes if path.startswith(UPLOAD_PREFIXES) else self.max_body_bytes
        if _content_length(scope) > limit:
            await _reject(scope, receive, send, 413, "payload_too_large")
            return
        if self.by_ip and not path.startswith(NOT_PER_IP_PREFIXES):
            client = scope.get("client")
            if wait := self.by_ip.take(client[0] if client else "unknown"):
                await _reject(scope, receive, send, 429, "rate_limited", wait)
                return
        if scope["method"] in ("POST", "PUT", "PATCH"):
            # Counted while read, so a chunked body without Content-Length is held to the limit too.
            try:
                body = await _read_body(receive, limit)
            except BodyTooLarge:
                await _reject(scope, receive, send, 413, "payload_too_large")
                return
            if self.by_sender and path in SENDER_ROUTES:
                sender = _sender_id(body)
                if sender and (wait := self.by_sender.take(sender)):
                    await _reject(scope, receive, send, 429, "rate_limited", wait)
                    return
            receive = _replay(body, receive)
        await self.app(scope, receive, send)


def _content_length(scope: Scope) -> int:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0
    return 0


async def _read_body(receive: Receive, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def _sender_id(body: bytes) -> str | None:
    """The body's sender_id when it is a short string; validation of the rest is the route's job."""
    try:
        data: Any = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    sender = data.get("sender_id") if isinstance(data, dict) else None
    return sender if isinstance(sender, str) and 0 < len(sender) <= 64 else None


async def _reject(
    scope: Scope, receive: Receive, send: Send, status: int, code: str, wait: float = 0
) -> None:
    response = error_response(status, code)
    if status == 429:
        response.headers["Retry-After"] = retry_after(wait)
    await response(scope, receive, send)
