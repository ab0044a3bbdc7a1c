"""A turn's /api/chat answer as WeChat customer-service text messages: one per bot message, with its
quick replies, course cards and cited passages as plain lines (the chat window has no buttons)."""

from __future__ import annotations

from typing import Any

from bot.gateway.schemas import BotMessage, ChatResponse

MAX_TEXT_BYTES = 2000  # WeChat's limit for a customer-service text message


def _course_lines(course: dict[str, Any]) -> list[str]:
    head = " · ".join(str(course[k]) for k in ("institution", "course") if course.get(k))
    where = " · ".join(
        part
        for part in (
            course.get("address"),
            f"{course['distance_km']} km" if course.get("distance_km") is not None else None,
        )
        if part
    )
    when = "～".join(str(course[k]) for k in ("start_date", "end_date") if course.get(k))
    return [line for line in (head, where, when, course.get("phone")) if line]


def _message_text(message: BotMessage) -> str:
    lines = [message.text] if message.text else []
    lines.extend(f"· {button.get('title', '')}" for button in message.buttons or [] if button.get("title"))
    for course in (message.custom or {}).get("courses") or []:
        lines.extend(["", *_course_lines(course)])
    return "\n".join(lines).strip()


def _truncate(text: str) -> str:
    encoded = text.encode()
    return text if len(encoded) <= MAX_TEXT_BYTES else encoded[:MAX_TEXT_BYTES].decode(errors="ignore")


def customer_service_messages(openid: str, response: ChatResponse) -> list[dict[str, Any]]:
    texts = [text for message in response.messages if (text := _message_text(message))]
    sources = [f"《{c.title}》{c.section}" for c in response.citations]
    if texts and sources:
        texts[-1] = "\n".join([texts[-1], "", *sources])
    return [{"touser": openid, "msgtype": "text", "text": {"content": _truncate(text)}} for text in texts]
