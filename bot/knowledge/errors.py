"""The one error the intake raises: a message key from bot.knowledge.messages and its parameters."""

from __future__ import annotations


class IntakeError(Exception):
    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key, params)
        self.key = key
        self.params = params

    def message(self) -> str:
        from bot.knowledge.messages import ERRORS

        return ERRORS[self.key].format(**self.params)
