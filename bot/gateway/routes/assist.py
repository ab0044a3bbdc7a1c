"""The agent assist API: suggestions for what a caller just said, and joining a handed-off conversation.

Every route needs an agent token (`Authorization: Bearer …`) whose SHA-256 digest is in the setting
assist_token_hashes.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any, Literal

from fastapi import APIRouter, Depends, Path, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field, field_validator
from starlette.exceptions import HTTPException

from bot.answers.followup import POLICY_TOPIC, TOPIC_SLOT
from bot.assist import compose
from bot.assist.profile import accumulate
from bot.assist.reply import SUBSIDY
from bot.gateway.pages import assist as assist_page
from bot.gateway.rasa_client import RasaClient
from bot.gateway.schemas import MAX_MESSAGE_LENGTH, SENDER_ID_PATTERN, clean_text
from bot.subsidy import SubsidyProfile, estimate
from bot.subsidy.normalize import profile_from_slots

UNAUTHORIZED = "坐席令牌无效或缺失，请重新登录。"
SUBSIDY_FORM = "subsidy_form"  # domain.yml's form for the questions the amount depends on


def agent_token_valid(token: str, digests: str) -> bool:
    digest = hashlib.sha256(token.encode()).hexdigest()
    known = (d.strip().lower() for d in digests.split(",") if d.strip())
    # compare_digest against every digest, without stopping early, keeps the timing flat
    return bool(token) and sum(hmac.compare_digest(digest, d) for d in known) > 0


def require_agent(request: Request) -> None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not agent_token_valid(
        token.strip(), request.app.state.settings.assist_token_hashes
    ):
        raise HTTPException(401, detail=UNAUTHORIZED, headers={"WWW-Authenticate": "Bearer"})


api = APIRouter(prefix="/api/assist", tags=["assist"], dependencies=[Depends(require_agent)])


class SuggestRequest(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_MESSAGE_LENGTH, description="来电人刚说的话")
    sender_id: str | None = Field(None, pattern=SENDER_ID_PATTERN, description="通话或会话标识（可选）")
    profile: SubsidyProfile = Field(default_factory=SubsidyProfile, description="本次通话已知的来电人信息")
    after: Literal["small_talk", "courses", "subsidy", "policy"] | None = Field(
        None, description="来电人上一句话得到的建议类型（reply.kind）：来电人在回答那条建议的提问时填写"
    )
    previous: str | None = Field(
        None,
        max_length=MAX_MESSAGE_LENGTH,
        description="来电人上一个问题（可选）：这句话只追问一个方面时（“那要什么材料”“多久到账”），按上一个问题的话题回答",
    )

    _clean_text = field_validator("text")(clean_text)

    @field_validator("previous")
    @classmethod
    def _clean_previous(cls, value: str | None) -> str | None:
        return None if value is None else clean_text(value)


def rasa(request: Request) -> RasaClient:
    return request.app.state.rasa


async def _suggest(
    text: str,
    parsed: dict[str, Any],
    profile: dict[str, Any],
    after: str | None = None,
    earlier: list[str] | None = None,
) -> dict[str, Any]:
    return await run_in_threadpool(compose, text, parsed, profile, None, after, earlier or [])


@api.post("/suggest")
async def suggest(body: SuggestRequest, request: Request) -> dict[str, Any]:
    parsed = await rasa(request).parse(body.text)
    profile = body.profile.model_dump(exclude_none=True)
    earlier = [body.previous] if body.previous else []
    suggestion = await _suggest(body.text, parsed, profile, body.after, earlier)
    return suggestion | {"sender_id": body.sender_id}


def _before(events: list[dict[str, Any]], message: dict[str, Any]) -> list[dict[str, Any]]:
    return events[: next(i for i, e in enumerate(events) if e is message)]


def answering(events: list[dict[str, Any]], message: dict[str, Any]) -> str | None:
    """The suggestion kind the message answers: a subsidy one when the chat's subsidy form was active
    before it (the message answered one of its questions)."""
    before = _before(events, message)
    loop = next((e.get("name") for e in reversed(before) if e.get("event") == "active_loop"), None)
    return SUBSIDY if loop == SUBSIDY_FORM else None


def continued(events: list[dict[str, Any]], message: dict[str, Any]) -> list[str]:
    """The earlier messages a follow-up may continue, as the chat reads them (`earlier_questions` of
    actions/policy_qa.py): those before the message, when the answer before it was a policy answer."""
    before = _before(events, message)
    slots = (e for e in reversed(before) if e.get("event") == "slot" and e.get("name") == TOPIC_SLOT)
    if next((e.get("value") for e in slots), None) != POLICY_TOPIC:
        return []
    return [e["text"] for e in before if e.get("event") == "user" and e.get("text")]


def transcript(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    turns = []
    for event in events:
        if event.get("event") in ("user", "bot") and event.get("text"):
            turns.append({"role": event["event"], "text": event["text"], "timestamp": event.get("timestamp")})
    return turns


@api.get("/conversation/{sender_id}")
async def conversation(
    request: Request, sender_id: str = Path(pattern=SENDER_ID_PATTERN, description="会话标识")
) -> dict[str, Any]:
    """The transcript of a (handed-off) conversation and the suggestions for its last user message."""
    tracker = await rasa(request).tracker_with_events(sender_id)
    events = tracker.get("events") or []
    last_user = next((e for e in reversed(events) if e.get("event") == "user" and e.get("text")), None)
    suggestion = None
    profile = accumulate({}, profile_from_slots(tracker.get("slots") or {}), estimate)
    if last_user:
        # Rasa already parsed that message; its parse data is in the event.
        parsed = last_user.get("parse_data") or {}
        after, earlier = answering(events, last_user), continued(events, last_user)
        suggestion = await _suggest(last_user["text"], parsed, profile, after, earlier)
    return {
        "sender_id": sender_id,
        "transcript": transcript(events),
        "profile": suggestion["profile"] if suggestion else profile,
        "suggestion": suggestion,
    }


# The page (no token: it signs in) and the API, as one router for the app.
router = APIRouter()
router.include_router(api)
router.include_router(assist_page.router)
