"""The input channel the gateway talks to: one request per user turn, answered with the bot's
messages and the conversation's state after the turn (slots, the message as understood).

Rasa's REST channel answers with the messages only, so the gateway had to ask for the tracker in a
second request; here the state comes in the same answer, from the tracker the turn saved
(rasa_server/tracker_store.py) or else read back from the store. Registered in credentials.yml; the
route is POST /webhooks/gateway/webhook with {"sender", "message", "metadata"?}."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa_server.tracker_store import saved_trackers

log = logging.getLogger(__name__)


class GatewayInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "gateway"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("gateway_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body = request.json if isinstance(request.json, dict) else {}
            sender, text = body.get("sender"), body.get("message")
            if not isinstance(sender, str) or not isinstance(text, str):
                return response.json({"error": "sender and message must be strings"}, status=400)
            metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else None
            collector = CollectingOutputChannel()
            message = UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata)
            with saved_trackers() as saved:
                try:
                    await on_new_message(message)
                except Exception:  # as Rasa's REST channel: the messages sent so far are the answer
                    log.exception("turn of %s failed", sender)
            tracker = saved[-1] if saved else await stored_tracker(request, sender)
            return response.json({"messages": collector.messages, **state(tracker)})

        return webhook


async def stored_tracker(request: Request, sender: str) -> DialogueStateTracker | None:
    try:
        return await request.app.ctx.agent.tracker_store.retrieve(sender)
    except Exception:
        log.exception("tracker of %s could not be read after its turn", sender)
        return None


def state(tracker: DialogueStateTracker | None) -> dict[str, Any]:
    """The conversation's slots and latest understood message, as GET /conversations/…/tracker
    gives them; empty without a tracker (the turn's messages are still answered)."""
    if tracker is None:
        return {"slots": {}, "latest_message": {}}
    current = tracker.current_state(EventVerbosity.NONE)
    return {"slots": current["slots"], "latest_message": current["latest_message"] or {}}
