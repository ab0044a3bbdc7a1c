"""What the answer layer hands to every channel: replies by response name, citations, a payload (the
subsidy result, course cards), slot updates.

The rasa-sdk actions send each reply through the dispatcher; the assist pane fills the same domain.yml
responses with the same parameters. So the same words get the same answer everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Reply:
    response: str  # a domain.yml response name
    params: dict[str, Any] = field(default_factory=dict)
    buttons: list[dict[str, str]] | None = None


@dataclass(frozen=True)
class Decision:
    kind: str  # what the answer does, for logs, tests and evaluation
    replies: list[Reply]
    citations: list[dict[str, Any]] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=dict)
    payload: dict[str, Any] = field(
        default_factory=dict
    )  # structured result: {"subsidy": …}, {"courses": […]}

    def text(self, responses: Mapping[str, str]) -> str:
        """The replies as one text, from response name → text (the assist pane's reading)."""
        return "\n\n".join(responses[r.response].format(**r.params) for r in self.replies)

    def custom(self) -> dict[str, Any]:
        """What travels with the first reply: the citations, the answer's kind and the payload."""
        return {"citations": self.citations, "answer": self.kind, **self.payload}
