"""Apply one region's rules to a normalised profile.

Returns structured results only: items with their basis, findings that name a template in
`templates.yml`, and the fields still missing. Sentences are made in explain.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.subsidy.normalize import NormalizedProfile
from bot.subsidy.rules import (
    Basis,
    CountyRules,
    ListedItem,
    ListedRules,
    NationalRules,
    Templates,
    UnpricedRules,
)


@dataclass(frozen=True)
class Item:
    """One subsidy: amount_yuan None when the source publishes no definite amount (cap_yuan: the ceiling
    a "一般不超过" rule sets, never an amount); payee "个人" / "企业" / "培训机构", or None when the source
    does not say who receives it. `wording`: the template (and its parameters) that states an amount
    which is not one number — a range, options, a cap, or why it is unknown."""

    name: str
    amount_yuan: int | None
    payee: str | None
    basis: Basis
    cap_yuan: int | None = None
    wording: tuple[str, Mapping[str, Any]] | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "amount_yuan": self.amount_yuan,
            "cap_yuan": self.cap_yuan,
            "payee": self.payee,
            "basis": self.basis.to_dict(),
        }


@dataclass(frozen=True)
class Finding:
    """Something the explanation must say: `key` names a template under `explanations`."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)
    basis: Basis | None = None


@dataclass(frozen=True)
class Assessment:
    eligible: bool | None
    items: tuple[Item, ...] = ()
    findings: tuple[Finding, ...] = ()
    missing: tuple[str, ...] = ()
    references: tuple[Basis, ...] = ()  # cited without their own sentence
    # Missing fields the rules turn into a plain condition on a known amount ("之前享受不到2次"):
    # field → the finding that words the condition.
    conditions: Mapping[str, Finding] = field(default_factory=dict)


@dataclass
class _Checks:
    """Collects what the profile settles: blockers make it ineligible, missing fields leave it open."""

    blockers: list[Finding] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    conditions: dict[str, Finding] = field(default_factory=dict)  # see Assessment.conditions
    undecided: bool = False  # the source itself leaves the question open

    def condition(self, name: str, finding: Finding) -> None:
        """A missing field whose answer only confirms or rules out the amount, as the finding says."""
        self.missing.append(name)
        self.conditions[name] = finding

    def conclude(
        self, items: Iterable[Item], references: Iterable[Basis] = (), if_eligible: Iterable[Finding] = ()
    ) -> Assessment:
        """`if_eligible` findings (such as how to apply) are said only once eligibility is settled."""
        if self.blockers:
            return Assessment(eligible=False, findings=tuple(self.blockers))
        if self.missing or self.undecided:
            return Assessment(
                None, tuple(items), tuple(self.notes), tuple(self.missing), tuple(references), self.conditions
            )
        findings = (*self.notes, *if_eligible)
        return Assessment(True, tuple(items), findings, references=tuple(references))

    def require_group(self, profile: NormalizedProfile, groups: tuple[str, ...], basis: Basis) -> bool:
        """True when the person type is known and among the groups; records a blocker or a gap otherwise."""
        if profile.person_type is None:
            self.missing.append("person_type")
            return False
        if profile.person_type not in groups:
            self.blockers.append(
                Finding("group_not_listed", {"person_type": profile.person_type, "groups": groups}, basis)
            )
            return False
        return True


def assess_county(profile: NormalizedProfile, rules: CountyRules, templates: Templates) -> Assessment:
    """Rules of a region that publishes amounts: the programme decides the path, else the certificate."""
    if profile.program == rules.work_based_training.program:
        return _work_based_training(profile, rules, templates)
    if profile.program == rules.apprenticeship.program:
        return _apprenticeship(profile, rules, templates)
    if profile.program is not None:
        # A programme another region runs (名师带徒): the individual path's subsidies are not its answer.
        finding = Finding("no_program_item", {"region": rules.region, "program": profile.program})
        return Assessment(eligible=None, findings=(finding,))
    kind = _certificate_kind(profile, rules)
    if kind in rules.skill_certificate.other_kinds.kinds:
        return _other_kind(kind, rules, templates)
    if kind == rules.skill_certificate.certificate_kind:
        return _skill_certificate(profile, rules, templates)
    return _qualification(profile, kind, rules, templates)


def assess_unpriced(profile: NormalizedProfile, rules: UnpricedRules) -> Assessment:
    """A region whose documents mention subsidies without amounts: cite those of the profile's programme
    (none: the individual path), never decide. A programme the documents do not mention (以工代训 in a
    region that names only 职业培训补贴) has none: the individual path's subsidies are not its answer."""
    clauses = [c for c in rules.clauses if c.program == profile.program]
    if clauses:
        finding = Finding("no_published_amount", {"region": rules.region})
    else:
        finding = Finding("no_program_item", {"region": rules.region, "program": profile.program})
    return Assessment(
        eligible=None,
        items=tuple(Item(c.name, None, c.payee, c.basis) for c in clauses),
        findings=(finding,),
        # The procedure is for the subsidies the documents name: no basis for saying they name none.
        references=(rules.procedure,) if rules.procedure and clauses else (),
    )


def _certificate_kind(profile: NormalizedProfile, rules: CountyRules) -> str | None:
    if profile.certificate_kind:
        return profile.certificate_kind
    if profile.certificate_in_catalogue or profile.certificate_candidates:
        return rules.qualification.certificate_kind
    if profile.skill_level:
        # A level without a catalogue occupation means a skill-level certificate (职业技能等级证书).
        return rules.skill_certificate.certificate_kind
    return None


def _qualification(
    profile: NormalizedProfile, kind: str | None, rules: CountyRules, templates: Templates
) -> Assessment:
    """职业资格培训补贴; also the path while the certificate is not yet known."""
    q = rules.qualification
    doc = rules.doc_id
    checks = _Checks()
    items: list[Item] = []
    entry = q.entry(profile.certificate) if profile.certificate_in_catalogue and profile.certificate else None
    if profile.certificate_candidates:
        checks.missing.append("certificate")
        checks.notes.append(
            Finding(
                "ambiguous_certificate",
                {"certificate": profile.certificate, "candidates": profile.certificate_candidates},
            )
        )
    elif entry is not None:
        name = templates.item_names["qualification"].format(certificate=entry.name)
        items.append(Item(name, entry.amount_yuan, q.payee, rules.catalogue_basis(entry)))
        if entry.amount_yuan is None:
            checks.notes.append(
                Finding(
                    "catalogue_amount_lost",
                    {"certificate": entry.name, "row": entry.row},
                    rules.catalogue_basis(entry),
                )
            )
        if entry.note:
            checks.notes.append(Finding("catalogue_note", {"note": entry.note}))
    elif profile.certificate and kind == q.certificate_kind:
        name = templates.item_names["qualification"].format(certificate=profile.certificate)
        default = q.default_amount
        items.append(Item(name, default.amount_yuan, q.payee, default.basis(doc)))
        checks.notes.append(Finding("not_in_catalogue", {"certificate": profile.certificate}))
    else:
        checks.missing.append("certificate_kind" if profile.certificate else "certificate")

    conditions = _qualification_conditions(profile, rules, checks)
    # Until the certificate shows this is a 职业资格 subsidy, its own conditions cannot rule the person out.
    is_qualification = bool(items or profile.certificate_candidates)
    (checks.blockers if is_qualification else checks.notes).extend(conditions)
    procedure = Finding("procedure", {"steps": q.procedure.steps}, q.procedure.basis(doc))
    references = [q.catalogue_rule.basis(doc)] if entry is not None else []
    return checks.conclude(items, references, if_eligible=[procedure])


def _qualification_conditions(
    profile: NormalizedProfile, rules: CountyRules, checks: _Checks
) -> list[Finding]:
    """Who may claim: the five groups with 彭阳 household registration, or 符合条件的企业职工; at most
    two claims. Returns the unmet conditions specific to this subsidy; records gaps in `checks`."""
    q = rules.qualification
    eligibility = q.eligibility
    basis = eligibility.basis(rules.doc_id)
    unmet: list[Finding] = []
    if profile.person_type is None:
        # The amount is the same for every group that may claim: who may is a plain condition.
        groups = {
            "groups": "、".join(eligibility.local_hukou_groups),
            "others": "、".join(eligibility.other_groups),
        }
        checks.condition("person_type", Finding("condition_group", groups, basis))
    elif profile.person_type in eligibility.other_groups:
        checks.notes.append(Finding("enterprise_condition", basis=basis))
    elif profile.person_type not in eligibility.local_hukou_groups:
        groups = (*eligibility.local_hukou_groups, *eligibility.other_groups)
        checks.blockers.append(
            Finding("group_not_listed", {"person_type": profile.person_type, "groups": groups}, basis)
        )
    elif profile.hukou_local is None:
        checks.condition(
            "hukou_local", Finding("condition_hukou", {"groups": eligibility.local_hukou_groups}, basis)
        )
    elif not profile.hukou_local:
        unmet.append(Finding("hukou_required", {"groups": eligibility.local_hukou_groups}, basis))
    limit = q.claim_limit
    if profile.times_claimed is None:
        checks.condition(
            "times_claimed",
            Finding("condition_claims", {"max_claims": limit.max_claims}, limit.basis(rules.doc_id)),
        )
    elif profile.times_claimed >= limit.max_claims:
        unmet.append(
            Finding(
                "claim_limit_reached",
                {"max_claims": limit.max_claims, "times": profile.times_claimed},
                limit.basis(rules.doc_id),
            )
        )
    return unmet


def _skill_certificate(profile: NormalizedProfile, rules: CountyRules, templates: Templates) -> Assessment:
    """职业技能等级证书: 高级工 and above have amounts; below that only the 1000-6000 range."""
    s = rules.skill_certificate
    doc = rules.doc_id
    checks = _Checks()
    items: list[Item] = []
    level = profile.skill_level
    eligibility = s.level_amounts.eligibility
    groups = eligibility.groups
    if level is None:
        checks.missing.append("skill_level")
        # Until the level is known, a group named by either clause may still qualify.
        groups = (*dict.fromkeys((*s.amount_range.eligibility.groups, *groups)),)
    else:
        name = templates.item_names["skill_certificate"].format(skill_level=level)
        if level in s.level_amounts.amounts:
            items.append(Item(name, s.level_amounts.amounts[level], s.payee, s.level_amounts.basis(doc)))
        else:
            eligibility = s.amount_range.eligibility
            groups = eligibility.groups
            items.append(Item(name, None, s.payee, s.amount_range.basis(doc)))
            checks.notes.append(
                Finding(
                    "skill_range",
                    {"skill_level": level, "min": s.amount_range.min_yuan, "max": s.amount_range.max_yuan},
                    s.amount_range.basis(doc),
                )
            )
    if checks.require_group(profile, groups, eligibility.basis(doc)):
        _skill_person_notes(profile, rules, checks)
    return checks.conclude(items)


def _skill_person_notes(profile: NormalizedProfile, rules: CountyRules, checks: _Checks) -> None:
    """These clauses state no household-registration condition: a non-local applicant stays undecided."""
    if profile.person_type in rules.qualification.eligibility.other_groups:
        basis = rules.skill_certificate.level_amounts.eligibility.basis(rules.doc_id)
        checks.notes.append(Finding("enterprise_condition", basis=basis))
    elif profile.hukou_local is False:
        checks.notes.append(Finding("hukou_unstated"))
        checks.undecided = True


def _other_kind(kind: str, rules: CountyRules, templates: Templates) -> Assessment:
    """专项职业能力证书 / 培训合格证书: required by the text, no amount published."""
    other = rules.skill_certificate.other_kinds
    basis = other.basis(rules.doc_id)
    name = templates.item_names["skill_certificate_other_kind"].format(certificate_kind=kind)
    checks = _Checks(undecided=True)
    checks.notes.append(Finding("kind_without_amount", {"certificate_kind": kind}, basis))
    return checks.conclude([Item(name, None, None, basis)])


def _apprenticeship(profile: NormalizedProfile, rules: CountyRules, templates: Templates) -> Assessment:
    a = rules.apprenticeship
    basis = a.basis(rules.doc_id)
    checks = _Checks()
    level = profile.skill_level
    if level is None:
        checks.missing.append("skill_level")
        return checks.conclude([])
    if level not in a.amounts:
        checks.undecided = True
        checks.notes.append(
            Finding("apprentice_level_unlisted", {"skill_level": level, "levels": tuple(a.amounts)}, basis)
        )
        return checks.conclude([])
    name = templates.item_names["apprenticeship"].format(skill_level=level)
    checks.notes.append(Finding("per_year"))
    return checks.conclude([Item(name, a.amounts[level], a.payee, basis)])


def _work_based_training(profile: NormalizedProfile, rules: CountyRules, templates: Templates) -> Assessment:
    """以工代训: at least 30 days' training and 3 months' stable employment; paid to the enterprise."""
    w = rules.work_based_training
    basis = w.basis(rules.doc_id)
    checks = _Checks()
    if profile.training_days is None:
        checks.missing.append("training_days")
    elif profile.training_days < w.min_training_days:
        checks.blockers.append(
            Finding("training_days_short", {"min": w.min_training_days, "days": profile.training_days}, basis)
        )
    if profile.employed_months is None:
        checks.missing.append("employed_months")
    elif profile.employed_months < w.min_employed_months:
        checks.blockers.append(
            Finding(
                "employment_short", {"min": w.min_employed_months, "months": profile.employed_months}, basis
            )
        )
    checks.notes.append(Finding("work_based_conditions", basis=basis))
    name = templates.item_names["work_based_training"]
    return checks.conclude([Item(name, w.amount_yuan, w.payee, basis)])


def assess_listed(profile: NormalizedProfile, rules: ListedRules) -> Assessment:
    """A region that lists its subsidies: every item of the profile's programme (none: the individual
    path) that the profile's facts do not rule out; the fields that would settle the others are missing."""
    checks = _Checks()
    items: list[Item] = []
    references: list[Basis] = []
    kind = _listed_kind(profile, rules.named_certificate_kind, rules.level_certificate_kind)
    for rule in (r for r in rules.items if r.program == profile.program):
        needed = _unsettled(rule, profile, kind)
        if needed:
            checks.missing += needed
        elif needed is not None and (item := _listed_item(rule, profile, checks)) is not None:
            items.append(item)
            references += rule.references
    if not (items or checks.missing or checks.undecided):
        checks.undecided = True
        checks.notes.append(Finding("no_listed_item", {"region": rules.region}))
    return checks.conclude(items, references)


def assess_national(profile: NormalizedProfile, rules: NationalRules) -> Assessment:
    """The national items the profile settles as it is (they never ask for more): said beside the
    region's answer, never counted in its total."""
    checks = _Checks()
    kind = _listed_kind(profile, rules.named_certificate_kind, rules.level_certificate_kind)
    items = [
        item
        for rule in rules.items
        if rule.program == profile.program
        and _unsettled(rule, profile, kind) == []
        and (rule.levels is None or profile.skill_level in rule.levels)
        and (item := _listed_item(rule, profile, checks)) is not None
    ]
    return Assessment(eligible=None, items=tuple(items), findings=tuple(checks.notes))


def _listed_kind(profile: NormalizedProfile, named_kind: str, level_kind: str) -> str | None:
    """The certificate kind: as stated, else that of a catalogue occupation's name, else a level's."""
    if profile.certificate_kind:
        return profile.certificate_kind
    if profile.certificate_in_catalogue or profile.certificate_candidates:
        return named_kind
    return level_kind if profile.skill_level else None


def _unsettled(rule: ListedItem, profile: NormalizedProfile, kind: str | None) -> list[str] | None:
    """The profile fields still needed to know whether the rule applies, then what it pays and to whom;
    None when the profile rules it out."""
    certificate_field = "certificate_kind" if profile.certificate else "certificate"
    missing = []
    for allowed, value, name in (
        (rule.person_types, profile.person_type, "person_type"),
        (rule.certificate_kinds, kind, certificate_field),
    ):
        if allowed is not None and value is None:
            missing.append(name)
        elif allowed is not None and value not in allowed:
            return None
    if rule.certificates is not None:
        if profile.certificate_candidates:
            if not set(profile.certificate_candidates) & set(rule.certificates):
                return None
            missing.append("certificate")
        elif profile.certificate is None:
            missing.append("certificate")
        elif not profile.certificate_in_catalogue or profile.certificate not in rule.certificates:
            return None
    if missing:
        return missing  # whom it is for first; what it pays is asked once it applies
    if rule.payee_by_person_type and profile.person_type is None:
        missing.append("person_type")
    if rule.levels is not None and profile.skill_level is None:
        missing.append("skill_level")
    if rule.non_local_condition and profile.hukou_local is None:
        missing.append("hukou_local")
    return missing


def _listed_item(rule: ListedItem, profile: NormalizedProfile, checks: _Checks) -> Item | None:
    """The item for a profile that settles the rule; records what the explanation must add."""
    level = profile.skill_level
    if rule.levels is not None and level not in rule.levels:
        checks.undecided = True
        checks.notes.append(
            Finding("level_unlisted", {"skill_level": level, "levels": tuple(rule.levels)}, rule.basis)
        )
        return None
    if rule.non_local_condition and profile.hukou_local is False:
        checks.undecided = True  # the clause's other condition is not in the profile
        checks.notes.append(Finding("rule_note", {"note": rule.non_local_condition}, rule.basis))
    if rule.note:
        checks.notes.append(Finding("rule_note", {"note": rule.note}))
    payee = rule.payee_by_person_type.get(profile.person_type or "", rule.payee)
    name = rule.name.format(skill_level=level)
    amount, cap, wording = rule.amount_yuan, None, None
    if rule.level_amounts is not None:
        amount = rule.level_amounts[level]  # type: ignore[index]
    elif rule.level_ranges is not None:
        low, high = rule.level_ranges[level]  # type: ignore[index]
        if low == high:
            amount = low
        else:
            wording = ("item_range", {"min": low, "max": high})
    elif rule.level_caps is not None:
        cap = rule.level_caps[level]  # type: ignore[index]
        wording = ("item_cap", {"cap": cap, "set_by": rule.set_by})
    elif rule.options is not None:
        wording = ("item_options", {"options": tuple(rule.options.items())})
    elif rule.unknown is not None:
        checks.undecided = True  # what the lost table would settle is unknown too
        wording = ("item_unknown", {"reason": rule.unknown})
    return Item(name, amount, payee, rule.basis, cap, wording)
