"""Request and response models of the JSON APIs (the fixed interfaces in ARCHITECTURE.md)."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, Field, field_validator, model_serializer

MAX_MESSAGE_LENGTH = 500
MAX_METADATA_KEYS = 20
SENDER_ID_PATTERN = r"^[A-Za-z0-9_.:@\-]{1,64}$"
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    """Drop control characters and surrounding blanks; refuse what is then empty."""
    value = _CONTROL_CHARACTERS.sub("", value).strip()
    if not value:
        raise ValueError("内容不能为空")
    return value


class ChatRequest(BaseModel):
    sender_id: str = Field(pattern=SENDER_ID_PATTERN, description="会话标识：1-64 位字母、数字或 _.:@-")
    message: str = Field(min_length=1, max_length=MAX_MESSAGE_LENGTH)
    metadata: dict[str, Any] = Field(
        default_factory=dict, description="入口信息，如 channel、region、role、campaign"
    )

    _clean_message = field_validator("message")(clean_text)

    @field_validator("metadata")
    @classmethod
    def _small_metadata(cls, value: dict[str, Any]) -> dict[str, Any]:
        if len(value) > MAX_METADATA_KEYS:
            raise ValueError(f"metadata 最多 {MAX_METADATA_KEYS} 项")
        return value


class Intent(BaseModel):
    name: str | None = None
    confidence: float | None = None


class Citation(BaseModel):
    doc_id: str
    passage_id: str | None = None  # the clause's id in the knowledge base (absent for calculator rules)
    title: str
    section: str
    text: str
    score: float


class BotMessage(BaseModel):
    text: str | None = None
    buttons: list[dict[str, Any]] | None = None
    custom: dict[str, Any] | None = None

    @model_serializer(mode="wrap")
    def _omit_absent(self, handler: Any) -> dict[str, Any]:
        return {k: v for k, v in handler(self).items() if v is not None}


class ChatResponse(BaseModel):
    messages: list[BotMessage]
    intent: Intent
    entities: list[dict[str, Any]]
    slots: dict[str, Any]
    citations: list[Citation]
    handoff: bool


class ParseRequest(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_MESSAGE_LENGTH)

    _clean_text = field_validator("text")(clean_text)


class ParseResponse(BaseModel):
    intent: Intent
    entities: list[dict[str, Any]]
