"""Which trade a message names as a certificate and which as a course: "考了叉车证……附近哪有电工培训"
asks the amount for 叉车 and the courses for 电工.

The NLU tags a trade `certificate` or `occupation` by its form (叉车证, 电工), not by what the asker
does with it, so the role is read from the cue words in its clause (knowledge/cues.yml). The chat's
forms and the assist pane read it here, the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.answers.cues import Cues, get_cues

TRADE_ENTITIES = ("certificate", "occupation")
CLAUSE_BREAKS = re.compile(r"[，,。；;！!？?\s]")


@dataclass(frozen=True)
class Trades:
    certificates: tuple[str, ...]  # held or being taken: what an amount is for, in the order named
    courses: tuple[str, ...]  # looked for: what course cards are for, in the order named
    course_search: bool  # read in a course search (trades without a cue are courses)

    def certificate_candidates(self) -> tuple[str, ...]:
        """What an amount may be for, best first: the certificates; in a subsidy question naming only a
        course wanted ("想学电工能补多少"), that course."""
        return self.certificates + (() if self.course_search else self.courses)

    @property
    def certificate(self) -> str | None:
        return next(iter(self.certificate_candidates()), None)

    @property
    def course(self) -> str | None:
        return next(iter(self.courses), None)


def _clause(text: str, start: int, end: int) -> tuple[str, str]:
    """The words before and after text[start:end] inside its clause."""
    left = max((m.end() for m in CLAUSE_BREAKS.finditer(text, 0, start)), default=0)
    right = CLAUSE_BREAKS.search(text, end)
    return text[left:start], text[end : right.start() if right else len(text)]


def role_of(before: str, after: str, cues: Cues) -> str | None:
    """ "certificate" or "course" by the cue nearest before the trade (the longer on a tie), else by the
    cue right after it; None without a cue."""
    best: tuple[tuple[int, int], str] | None = None
    for role, role_cues in cues.roles.items():
        for pattern in role_cues.before:
            for match in pattern.finditer(before):
                key = (match.end(), match.end() - match.start())
                if key[1] and (best is None or key > best[0]):
                    best = (key, role)
    if best:
        return best[1]
    return next(
        (role for role, role_cues in cues.roles.items() if any(p.match(after) for p in role_cues.after)),
        None,
    )


def _span(text: str, entity: Mapping[str, Any]) -> tuple[int, int] | None:
    start, end = entity.get("start"), entity.get("end")
    if isinstance(start, int) and isinstance(end, int):
        return start, end
    found = text.find(str(entity["value"]))
    return (found, found + len(str(entity["value"]))) if found >= 0 else None


def read_trades(
    text: str, entities: Sequence[Mapping[str, Any]], course_search: bool, cues: Cues | None = None
) -> Trades:
    """The trades the message names (entities certificate and occupation), each as a certificate or a
    course; one without a cue is a course in a course search, else a certificate."""
    cues = cues or get_cues()
    named = [e for e in entities if e.get("entity") in TRADE_ENTITIES and str(e.get("value") or "").strip()]
    spans = {id(e): _span(text, e) for e in named}
    roles: dict[str, list[str]] = {"certificate": [], "course": []}
    for entity in sorted(named, key=lambda e: (spans[id(e)] or (len(text), 0))[0]):
        span = spans[id(entity)]
        role = role_of(*_clause(text, *span), cues) if span else None
        roles[role or ("course" if course_search else "certificate")].append(str(entity["value"]))
    return Trades(
        certificates=tuple(dict.fromkeys(roles["certificate"])),
        courses=tuple(dict.fromkeys(roles["course"])),
        course_search=course_search,
    )
