"""Agent assist: one suggestion per caller utterance, composed from the chat's own services.

A plain service package (no Rasa or FastAPI imports); the gateway's /api/assist routes call it.
"""

from bot.assist.compose import compose
from bot.assist.services import Services

__all__ = ["Services", "compose"]
