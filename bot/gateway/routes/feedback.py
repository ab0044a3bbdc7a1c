"""POST /api/feedback: a user's verdict on an answer (有帮助 / 没帮助, with an optional reason), from the
H5 page and the mini-program. The WeChat channel records a typed "没帮助" the same way
(bot/gateway/channels/wechat_feedback.py). Stored by bot/review/feedback.py."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, StrictBool, StrictInt, field_validator

from bot.gateway.errors import error_response
from bot.gateway.schemas import SENDER_ID_PATTERN, clean_text
from bot.review.feedback import MAX_REASON, FeedbackRefused, give_feedback

router = APIRouter(prefix="/api", tags=["feedback"])


class FeedbackRequest(BaseModel):
    sender_id: str = Field(pattern=SENDER_ID_PATTERN, description="会话标识（与 /api/chat 相同）")
    helpful: StrictBool = Field(description="true：有帮助；false：没帮助")
    reason: str | None = Field(None, max_length=MAX_REASON, description="没帮助的原因（可不填）")
    turn: StrictInt | None = Field(
        None, ge=1, description="评价哪一轮的回答（/api/chat 返回的 turn）；不填：最近一次回答"
    )

    @field_validator("reason")
    @classmethod
    def _clean_reason(cls, value: str | None) -> str | None:
        """Blank means no reason; control characters are dropped."""
        try:
            return clean_text(value) if value is not None else None
        except ValueError:
            return None


class FeedbackResponse(BaseModel):
    sender_id: str
    turn: int = Field(description="记录到的轮次")
    helpful: bool
    reason: str | None = Field(description="保存的原因（个人号码已遮盖）")


@router.post("/feedback", response_model=FeedbackResponse, responses={404: {}, 409: {}})
async def feedback(body: FeedbackRequest, request: Request) -> FeedbackResponse | JSONResponse:
    settings = request.app.state.settings
    try:
        verdict = await run_in_threadpool(
            give_feedback,
            settings.database_url,
            settings.tracker_store_url,
            body.sender_id,
            body.helpful,
            body.reason,
            body.turn,
        )
    except FeedbackRefused as refused:
        return error_response(refused.status, refused.key, message=refused.message)
    return FeedbackResponse(
        sender_id=verdict.sender_id, turn=verdict.turn, helpful=verdict.helpful, reason=verdict.reason
    )
