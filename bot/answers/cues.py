"""Cue words the answer layer reads in a message beside its entities, from knowledge/cues.yml: "don't
know", "any trade", and the words that make a named trade a certificate held or a course wanted."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.settings import get_settings

ROLES = ("certificate", "course")


@dataclass(frozen=True)
class RoleCues:
    before: tuple[re.Pattern[str], ...]  # anywhere before the trade in its clause; nearest wins
    after: tuple[re.Pattern[str], ...]  # at the start of what follows it


@dataclass(frozen=True)
class Cues:
    dont_know: tuple[str, ...]
    any_trade: tuple[str, ...]
    roles: dict[str, RoleCues]  # "certificate" / "course" → its cues

    def says_dont_know(self, text: str) -> bool:
        return any(word in text for word in self.dont_know)

    def means_any_trade(self, text: str) -> bool:
        return any(word in text for word in self.any_trade)


def _role(data: dict) -> RoleCues:
    return RoleCues(
        before=tuple(re.compile(p) for p in data.get("before") or []),
        after=tuple(re.compile(p) for p in data.get("after") or []),
    )


def load_cues(path: Path) -> Cues:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Cues(
        dont_know=tuple(data["dont_know"]),
        any_trade=tuple(data["any_trade"]),
        roles={role: _role(data["trade_roles"][role]) for role in ROLES},
    )


@lru_cache(maxsize=1)
def get_cues() -> Cues:
    return load_cues(get_settings().knowledge_dir / "cues.yml")
