"""POST /api/chat and POST /api/nlu/parse: a turn through Rasa, with the conversation's state."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.exc import SQLAlchemyError

from bot.gateway.errors import no_reply_messages
from bot.gateway.rasa_client import RasaClient
from bot.gateway.schemas import BotMessage, ChatRequest, ChatResponse, Intent, ParseRequest, ParseResponse
from bot.review.turns import latest_turn

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api", tags=["chat"])

# Slots for Rasa's bookkeeping and the configured hotline: not part of the conversation's state.
HIDDEN_SLOTS = {"session_started_metadata", "requested_slot", "hotline"}


def rasa(request: Request) -> RasaClient:
    return request.app.state.rasa


def _intent(parsed: dict[str, Any]) -> Intent:
    intent = parsed.get("intent") or {}
    return Intent(name=intent.get("name"), confidence=intent.get("confidence"))


def _entities(parsed: dict[str, Any]) -> list[dict[str, Any]]:
    keep = ("entity", "value", "start", "end", "confidence_entity", "extractor")
    return [{k: e[k] for k in keep if k in e} for e in parsed.get("entities") or []]


def chat_response(bot_messages: list[dict[str, Any]], state: dict[str, Any]) -> ChatResponse:
    """Fold Rasa's messages and the conversation's state (slots, latest_message) into the /api/chat
    shape; `handoff` and `citations` in a custom payload are lifted to the top level."""
    messages: list[BotMessage] = []
    citations: list[dict[str, Any]] = []
    handoff = False
    for message in bot_messages:
        custom = dict(message.get("custom") or {})
        handoff = bool(custom.pop("handoff", False)) or handoff
        citations.extend(custom.pop("citations", []))
        if message.get("text") or message.get("buttons") or custom:
            messages.append(
                BotMessage(text=message.get("text"), buttons=message.get("buttons"), custom=custom or None)
            )
    latest = state.get("latest_message") or {}
    slots = {k: v for k, v in (state.get("slots") or {}).items() if k not in HIDDEN_SLOTS}
    return ChatResponse(
        messages=messages,
        intent=_intent(latest),
        entities=_entities(latest),
        slots=slots,
        citations=citations,
        handoff=handoff,
    )


async def run_turn(
    client: RasaClient, sender_id: str, text: str, metadata: dict[str, Any], hotline: str
) -> ChatResponse:
    """One user turn through Rasa, in the /api/chat shape. A turn Rasa answered with nothing (an
    action failed, e.g. the action server is down) gets the apology with the hotline."""
    turn = await client.turn(sender_id, text, metadata)
    bot_messages = turn["messages"]
    if not bot_messages:
        log.warning("no reply from Rasa for %s; answering with the apology", sender_id)
        bot_messages = no_reply_messages(hotline)
    return chat_response(bot_messages, turn)


@router.post("/chat", response_model=ChatResponse)
async def chat(body: ChatRequest, request: Request) -> ChatResponse:
    metadata = {"channel": "api", **body.metadata}
    settings = request.app.state.settings
    response = await run_turn(rasa(request), body.sender_id, body.message, metadata, settings.hotline)
    response.turn = await run_in_threadpool(_turn_number, body.sender_id, settings.tracker_store_url)
    return response


def _turn_number(sender_id: str, tracker_url: str) -> int | None:
    """The turn's number, which the pages send back with feedback on the answer; None when the tracker
    store cannot be read (the answer still goes out, without feedback controls)."""
    try:
        return latest_turn(sender_id, tracker_url)
    except SQLAlchemyError:
        log.warning("turn number of %s not read from the tracker store", sender_id, exc_info=True)
        return None


@router.post("/nlu/parse", response_model=ParseResponse)
async def parse(body: ParseRequest, request: Request) -> ParseResponse:
    parsed = await rasa(request).parse(body.text)
    return ParseResponse(intent=_intent(parsed), entities=_entities(parsed))
