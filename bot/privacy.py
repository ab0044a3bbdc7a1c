"""Masks personal numbers — ID cards, phones, bank cards — in text that leaves the request: log records
and stored analytics. Conversation content itself stays in Rasa's tracker store, unmasked."""

from __future__ import annotations

import logging
import re
from typing import Any

# Order matters: an 18-digit ID card would also match the bank-card pattern; the placeholders contain
# no digits, so a later pattern never re-matches an earlier placeholder.
_PATTERNS = (
    (re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])"), "[身份证号]"),
    (re.compile(r"(?<!\d)(?:\d[ -]?){15,18}\d(?!\d)"), "[银行卡号]"),
    (re.compile(r"(?<!\d)(?:(?:\+|00)?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)"), "[手机号]"),
    (re.compile(r"(?<!\d)(?:\(0\d{2,3}\)|0\d{2,3}[ -]?)\d{7,8}(?:-\d{1,6})?(?!\d)"), "[电话]"),
)


def mask(text: str) -> str:
    for pattern, placeholder in _PATTERNS:
        text = pattern.sub(placeholder, text)
    return text


def _masked_arg(arg: Any) -> Any:
    # Numbers keep their type (format strings such as %d need it); anything else is masked as text.
    if isinstance(arg, int | float):
        return arg
    text = str(arg)
    masked = mask(text)
    return arg if masked == text else masked


class MaskingFilter(logging.Filter):
    """Masks the message, its arguments and its traceback text before any handler formats them."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_masked_arg(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _masked_arg(v) for k, v in record.args.items()}
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        return True


LOGGERS = ("", "uvicorn", "uvicorn.access", "uvicorn.error")


def install_log_masking(logger_names: tuple[str, ...] = LOGGERS) -> None:
    """Adds the filter to every handler of these loggers (a logger's own filters would miss records
    propagated from its children); idempotent."""
    for name in logger_names:
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, MaskingFilter) for f in handler.filters):
                handler.addFilter(MaskingFilter())
