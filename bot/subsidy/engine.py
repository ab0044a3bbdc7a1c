"""The calculator's entry points: estimate a profile, and tell the dialogue layer what to ask next."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from bot.settings import get_settings
from bot.subsidy.assess import (
    Assessment,
    Finding,
    Item,
    assess_county,
    assess_listed,
    assess_national,
    assess_unpriced,
)
from bot.subsidy.explain import Context, citations, condition_text, explain, explain_national
from bot.subsidy.normalize import NormalizedProfile, SubsidyProfile, normalize
from bot.subsidy.rules import CountyRules, ListedRules, RuleBook, get_rulebook

ProfileInput = SubsidyProfile | Mapping[str, Any]


@dataclass
class Estimate:
    """The answer to "我能拿多少补贴"; `to_dict()` is the body of POST /api/subsidy/estimate."""

    eligible: bool | None  # None: not decidable yet (see missing) or not decidable from the sources
    total_yuan: int | None  # None unless eligible and every amount is published
    items: list[Item] = field(default_factory=list)
    explanation: str = ""
    missing: list[str] = field(default_factory=list)  # profile fields still needed, most important first
    citations: list[dict[str, Any]] = field(default_factory=list)
    # The amount when only plain conditions remain ("如果之前享受不到2次"): {"amount_yuan", "conditions":
    # [{"field", "text"}]}; None otherwise. total_yuan stays None until the conditions are known.
    conditional: dict[str, Any] | None = None
    condition_fields: list[str] = field(default_factory=list)  # missing fields that are plain conditions

    @property
    def open_questions(self) -> list[str]:
        """The missing fields the amount itself depends on: the ones worth asking before answering."""
        return [name for name in self.missing if name not in self.condition_fields]

    def to_dict(self) -> dict[str, Any]:
        return {
            "eligible": self.eligible,
            "total_yuan": self.total_yuan,
            "items": [item.to_dict() for item in self.items],
            "explanation": self.explanation,
            "missing": list(self.missing),
            "citations": [dict(citation) for citation in self.citations],
            "conditional": self.conditional,
        }


def _ordered(fields: set[str], book: RuleBook) -> tuple[str, ...]:
    return tuple(name for name in book.vocabulary.data.question_order if name in fields)


def _without_region(profile: NormalizedProfile, book: RuleBook) -> Assessment:
    """Ask for the region first, then whatever any region with published amounts would need."""
    needed = {
        name
        for county in book.county_regions()
        for name in assess_county(profile, county, book.templates).missing
    }
    return Assessment(eligible=None, missing=("region", *_ordered(needed - {"region"}, book)))


def _assess(profile: NormalizedProfile, book: RuleBook) -> tuple[Assessment, str | None]:
    """The assessment and the authority to contact when the sources leave the answer open."""
    if profile.region is None:
        return _without_region(profile, book), None
    rules = book.regions.get(profile.region) if profile.region_known else None
    if rules is None:
        return Assessment(
            eligible=None, findings=(Finding("region_unknown", {"region": profile.region}),)
        ), None
    if isinstance(rules, CountyRules):
        assessment = assess_county(profile, rules, book.templates)
    elif isinstance(rules, ListedRules):
        assessment = assess_listed(profile, rules)
    else:
        assessment = assess_unpriced(profile, rules)
    return replace(assessment, missing=_ordered(set(assessment.missing), book)), rules.authority


def _conditional(assessment: Assessment, book: RuleBook) -> dict[str, Any] | None:
    """The amount and its conditions when every item is priced and only conditions are missing."""
    amounts = [item.amount_yuan for item in assessment.items]
    if assessment.eligible is not None or not amounts or None in amounts:
        return None
    if not assessment.missing or not set(assessment.missing) <= set(assessment.conditions):
        return None
    conditions = [
        {"field": name, "text": condition_text(assessment.conditions[name], book)}
        for name in assessment.missing
    ]
    return {"amount_yuan": sum(a for a in amounts if a is not None), "conditions": conditions}


def _total(assessment: Assessment) -> int | None:
    amounts = [item.amount_yuan for item in assessment.items]
    if assessment.eligible is not True or not amounts or None in amounts:
        return None
    return sum(amount for amount in amounts if amount is not None)


def estimate(profile: ProfileInput, rulebook: RuleBook | None = None) -> Estimate:
    """Subsidy estimate for a (possibly partial) profile; raises ProfileError for invalid values."""
    book = rulebook or get_rulebook()
    normalized = normalize(profile, book)
    assessment, authority = _assess(normalized, book)
    total = _total(assessment)
    conditional = _conditional(assessment, book)
    hotline = get_settings().hotline
    context = Context(normalized.region, authority, hotline, total, conditional)
    # National items the profile settles: beside the region's answer, never in its total or eligibility.
    national = Assessment(eligible=None)
    if book.national is not None and normalized.region is not None:
        national = assess_national(normalized, book.national)
    cited = citations(assessment, book)
    return Estimate(
        eligible=assessment.eligible,
        total_yuan=total,
        items=[*assessment.items, *national.items],
        explanation=explain(assessment, context, book) + explain_national(national, book, hotline),
        missing=list(assessment.missing),
        citations=cited + [c for c in citations(national, book) if c not in cited],
        conditional=conditional,
        condition_fields=list(assessment.conditions),
    )


def question_order(rulebook: RuleBook | None = None) -> list[str]:
    """All profile fields in the order the dialogue should ask for them."""
    return list((rulebook or get_rulebook()).vocabulary.data.question_order)


def known_certificates(rulebook: RuleBook | None = None) -> dict[str, list[str]]:
    """Catalogue occupation → spoken names (for entity synonyms); catalogue order, every row included."""
    book = rulebook or get_rulebook()
    aliases = book.vocabulary.data.certificates
    return {
        entry.name: list(aliases.get(entry.name, ()))
        for county in book.county_regions()
        for entry in county.qualification.catalogue
    }


def ambiguous_certificates(rulebook: RuleBook | None = None) -> dict[str, list[str]]:
    """Spoken names that fit several catalogue rows → those rows' names (the user is asked which)."""
    book = rulebook or get_rulebook()
    return {spoken: list(names) for spoken, names in book.vocabulary.data.ambiguous_certificates.items()}


def field_values(rulebook: RuleBook | None = None) -> dict[str, dict[str, list[str]]]:
    """Valid canonical values → accepted synonyms, per enumerated profile field (for forms and NLU)."""
    data = (rulebook or get_rulebook()).vocabulary.data
    tables = {
        "region": data.regions,
        "person_type": data.person_types,
        "certificate_kind": data.certificate_kinds,
        "skill_level": data.skill_levels,
        "program": data.programs,
    }
    values = {
        name: {value: list(aliases) for value, aliases in table.items()} for name, table in tables.items()
    }
    values["hukou_local"] = {"true": list(data.hukou_local.local), "false": list(data.hukou_local.non_local)}
    return values
