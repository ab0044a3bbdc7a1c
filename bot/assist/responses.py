"""The Chinese texts the assist pane reads out, taken read-only from domain.yml's responses."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from bot.settings import ROOT, get_settings


@lru_cache(maxsize=2)
def load_responses(domain_path: Path = ROOT / "domain.yml") -> dict[str, str]:
    """Response name → its first unconditioned text (the variant shown to a caller with no role),
    with the configured hotline in place of the `{hotline}` slot."""
    domain = yaml.safe_load(domain_path.read_text(encoding="utf-8")) or {}
    texts: dict[str, str] = {}
    for name, variants in (domain.get("responses") or {}).items():
        plain = [v["text"] for v in variants if "text" in v and not v.get("condition")]
        if plain:
            texts[name] = plain[0].replace("{hotline}", get_settings().hotline)
    return texts
