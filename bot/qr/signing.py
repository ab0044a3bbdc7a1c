"""The entry context a poster carries (channel, region, role, campaign), signed with HMAC-SHA256 so
that a hand-edited link is recognised and sets nothing."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from urllib.parse import urlencode

ENTRY_KEYS = ("channel", "region", "role", "campaign")
SIGNATURE_KEY = "sig"
# 128 bits of the MAC keep the QR code small and are far beyond guessing.
SIGNATURE_BYTES = 16


def _canonical(context: Mapping[str, str]) -> bytes:
    """Key order fixed, empty values left out, so the signer and verifier see the same bytes."""
    return urlencode([(key, context[key]) for key in ENTRY_KEYS if context.get(key)]).encode()


def sign(context: Mapping[str, str], secret: str) -> str:
    digest = hmac.new(secret.encode(), _canonical(context), hashlib.sha256).digest()[:SIGNATURE_BYTES]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def signed_query(context: Mapping[str, str], secret: str) -> str:
    """The query string of an entry link: the context's keys plus `sig`."""
    pairs = [(key, context[key]) for key in ENTRY_KEYS if context.get(key)]
    return urlencode([*pairs, (SIGNATURE_KEY, sign(context, secret))])


def entry_url(base_url: str, context: Mapping[str, str], secret: str) -> str:
    return f"{base_url.rstrip('/')}/chat?{signed_query(context, secret)}"


def verified_context(params: Mapping[str, str], secret: str) -> dict[str, str] | None:
    """The entry context if `params` carry a valid signature over it, else None."""
    context = {key: str(params[key]) for key in ENTRY_KEYS if params.get(key)}
    given = str(params.get(SIGNATURE_KEY) or "")
    if not given or not hmac.compare_digest(given, sign(context, secret)):
        return None
    return context
