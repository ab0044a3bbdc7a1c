"""What a message states about the asker beyond its entities, read the same way by the chat's subsidy
form and the assist pane: household registration (本地户口, 外地户口) and how often a subsidy was
claimed before (没领过, 领过一次)."""

from __future__ import annotations

import re
from typing import Any

from bot.subsidy import field_values
from bot.subsidy.normalize import hukou_from_text, hukou_phrases
from bot.subsidy.numbers import parse_count

# "领过两次", "没领过": the two ways people state times_claimed unasked.
_CLAIMED = re.compile(r"(?:领|享受|拿|申领|申请)过\s*(?:[零〇一二两三四五六七八九十]+|\d+)\s*次")
_NEVER_CLAIMED = re.compile(r"(?:没|未|从没|从未)有?(?:领|享受|拿|申领|申请)过")


def times_claimed_from_text(text: str) -> int | None:
    if _NEVER_CLAIMED.search(text):
        return 0
    if match := _CLAIMED.search(text):
        return parse_count(match.group(), [])
    return None


def hukou_words() -> list[tuple[str, bool]]:
    """The calculator's words for local and non-local registration, as (phrase, is local)."""
    return hukou_phrases(field_values()["hukou_local"])


def stated_in_text(text: str, hukou: list[tuple[str, bool]]) -> dict[str, Any]:
    """hukou_local (bool) and times_claimed (int) where the message states them."""
    stated: dict[str, Any] = {}
    if (local := hukou_from_text(text, hukou)) is not None:
        stated["hukou_local"] = local
    if (times := times_claimed_from_text(text)) is not None:
        stated["times_claimed"] = times
    return stated
