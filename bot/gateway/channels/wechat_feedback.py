"""A verdict typed in WeChat: the chat window has no buttons, so a user who replies "没帮助" (or "有帮助",
"没用，我问的是叉车证" …) to an answer gives feedback on the conversation's latest answer. It is
recognised before the message would go to Rasa (bot/gateway/channels/wechat.py) and answered with a
short thanks; a verdict with no answer to refer to (nothing answered yet) goes to Rasa as an ordinary
message.

Only a message that starts with a verdict and has nothing after it but punctuation and a reason is
one: "有用吗" and "没有用过补贴" are questions and statements, not verdicts."""

from __future__ import annotations

import re
from dataclasses import dataclass

_VERDICT = re.compile(
    r"^\s*(?:(?P<yes>有帮助|有用)|(?P<no>没帮助|没有帮助|没什么帮助|没用|没有用))"
    r"(?:\s*$|\s*[，,。.！!：:；;、\s]\s*(?P<reason>.*))",
    re.S,
)
THANKS = {
    True: "谢谢您的评价，很高兴能帮到您！",
    False: "谢谢您告诉我们，我们会据此改进回答。您也可以换个说法再问，或拨打 {hotline} 人社服务热线。",
}


@dataclass(frozen=True)
class TypedVerdict:
    helpful: bool
    reason: str | None


def typed_verdict(text: str) -> TypedVerdict | None:
    match = _VERDICT.match(text)
    if match is None:
        return None
    reason = (match.group("reason") or "").strip(" ，,。.！!：:；;、\n\t") or None
    return TypedVerdict(helpful=match.group("yes") is not None, reason=reason)


def thanks(verdict: TypedVerdict, hotline: str) -> dict[str, str]:
    """The customer-service text that thanks the user for the verdict."""
    return {"content": THANKS[verdict.helpful].format(hotline=hotline)}
