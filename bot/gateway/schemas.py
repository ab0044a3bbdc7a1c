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
    turn: int | None = Field(None, description="本轮在会话中的序号，评价回答（POST /api/feedback）时用")


class ParseRequest(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_MESSAGE_LENGTH)

    _clean_text = field_validator("text")(clean_text)


class ParseResponse(BaseModel):
    intent: Intent
    entities: list[dict[str, Any]]


class SubsidyItem(BaseModel):
    name: str
    amount_yuan: int | None = Field(description="元；文件没有公布确定金额时为 null（不是 0）")
    cap_yuan: int | None = Field(None, description="文件只写了上限（“一般不超过”）时的上限金额（元）")
    payee: str | None = Field(description="发放对象：个人 / 企业 / 培训机构；文件没写明时为 null")
    basis: dict[str, Any] = Field(description="依据：doc_id、条款 clause、原文 quote")


class Condition(BaseModel):
    field: str = Field(description="尚未知道的资料字段，如 times_claimed")
    text: str = Field(description="接在“如果您”后面的条件，如“之前享受职业资格培训补贴不到2次”")


class ConditionalAmount(BaseModel):
    amount_yuan: int = Field(description="条件都满足时可拿的金额（元）")
    conditions: list[Condition]


class EstimateResponse(BaseModel):
    eligible: bool | None = Field(description="能否享受；还不能判断或文件没有说清时为 null")
    total_yuan: int | None = Field(description="确定的合计金额；条件未核实或文件未公布金额时为 null")
    items: list[SubsidyItem]
    explanation: str = Field(description="中文说明，每个金额都带依据条款")
    missing: list[str] = Field(description="还需要的资料字段，最重要的在前")
    citations: list[Citation]
    conditional: ConditionalAmount | None = Field(
        description="只剩文件写明的条件（如户籍、已领次数）时：金额和这些条件；total_yuan 仍为 null"
    )
