"""Load and validate the subsidy rules kept as YAML in `knowledge/subsidy_rules/`.

Layout: `sources.yml` (documents), `vocabulary.yml` (synonyms), `templates.yml` (Chinese text),
`regions/*.yml` (one file per region: a county that publishes amounts in 彭阳县's structure, a region
that lists its subsidies item by item, or a region that publishes none) and `national.yml` (national
items, which apply in every region beside its own).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.settings import get_settings

Payee = Literal["个人", "企业", "培训机构"]
NonEmpty = Annotated[str, Field(min_length=1)]
Yuan = Annotated[int, Field(gt=0)]
AMOUNT_FORMS = ("amount_yuan", "level_amounts", "level_ranges", "level_caps", "options", "unknown")
ModelT = TypeVar("ModelT", bound=BaseModel)


class RuleDataError(ValueError):
    """The rule files are malformed or inconsistent."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Basis(_Model):
    """Where a rule comes from: document, clause (section path) and the verbatim source line."""

    doc_id: NonEmpty
    clause: NonEmpty
    quote: NonEmpty

    def to_dict(self) -> dict[str, str]:
        return {"doc_id": self.doc_id, "clause": self.clause, "quote": self.quote}


class _Clause(_Model):
    clause: NonEmpty
    quote: NonEmpty

    def basis(self, doc_id: str) -> Basis:
        return Basis(doc_id=doc_id, clause=self.clause, quote=self.quote)


class Source(_Model):
    doc_id: NonEmpty
    title: NonEmpty
    year: NonEmpty
    region: NonEmpty
    source_file: NonEmpty


class CatalogueEntry(_Model):
    row: int = Field(gt=0)
    name: NonEmpty
    category: NonEmpty
    department: NonEmpty
    amount_yuan: Yuan | None  # None: the amount is not in the source (lost in extraction)
    quote: NonEmpty
    note: str | None = None


class QualificationEligibility(_Clause):
    local_hukou_groups: tuple[NonEmpty, ...]
    other_groups: tuple[NonEmpty, ...]


class ClaimLimit(_Clause):
    max_claims: int = Field(gt=0)


class DefaultAmount(_Clause):
    amount_yuan: Yuan


class Procedure(_Clause):
    steps: tuple[NonEmpty, ...]


class QualificationRules(_Model):
    certificate_kind: NonEmpty
    payee: Payee
    eligibility: QualificationEligibility
    claim_limit: ClaimLimit
    catalogue_rule: _Clause
    default_amount: DefaultAmount
    procedure: Procedure
    catalogue_clause: NonEmpty  # "附件1 第{row}行"
    catalogue: tuple[CatalogueEntry, ...]

    @model_validator(mode="after")
    def _rows_are_complete(self) -> QualificationRules:
        rows = [entry.row for entry in self.catalogue]
        if rows != list(range(1, len(rows) + 1)):
            raise ValueError(f"catalogue rows must run 1..n in order, got {rows}")
        names = [entry.name for entry in self.catalogue]
        if len(set(names)) != len(names):
            raise ValueError("catalogue names must be unique")
        return self

    def entry(self, name: str) -> CatalogueEntry | None:
        return next((entry for entry in self.catalogue if entry.name == name), None)


class Eligibility(_Clause):
    groups: tuple[NonEmpty, ...]


class AmountRange(_Clause):
    min_yuan: Yuan
    max_yuan: Yuan
    eligibility: Eligibility


class LevelAmounts(_Clause):
    amounts: dict[str, Yuan]
    eligibility: Eligibility


class OtherKinds(_Clause):
    kinds: tuple[NonEmpty, ...]


class SkillCertificateRules(_Model):
    certificate_kind: NonEmpty
    payee: Payee | None  # None: the source does not say who receives it
    amount_range: AmountRange
    level_amounts: LevelAmounts
    other_kinds: OtherKinds


class ApprenticeshipRules(_Clause):
    program: NonEmpty
    payee: Payee | None  # None: the source does not say who receives it
    amounts: dict[str, Yuan]


class WorkBasedTrainingRules(_Clause):
    program: NonEmpty
    payee: Payee
    amount_yuan: Yuan
    min_training_days: int = Field(gt=0)
    min_employed_months: int = Field(gt=0)


class CountyRules(_Model):
    """A region whose document publishes amounts (彭阳县)."""

    doc_id: NonEmpty
    region: NonEmpty
    publishes_amounts: Literal[True]
    authority: NonEmpty
    five_groups: tuple[NonEmpty, ...]
    qualification: QualificationRules
    skill_certificate: SkillCertificateRules
    apprenticeship: ApprenticeshipRules
    work_based_training: WorkBasedTrainingRules

    def bases(self) -> list[Basis]:
        q, s = self.qualification, self.skill_certificate
        clauses: list[_Clause] = [
            q.eligibility,
            q.claim_limit,
            q.catalogue_rule,
            q.default_amount,
            q.procedure,
            s.amount_range,
            s.amount_range.eligibility,
            s.level_amounts,
            s.level_amounts.eligibility,
            s.other_kinds,
            self.apprenticeship,
            self.work_based_training,
        ]
        return [c.basis(self.doc_id) for c in clauses] + [self.catalogue_basis(e) for e in q.catalogue]

    def catalogue_basis(self, entry: CatalogueEntry) -> Basis:
        clause = self.qualification.catalogue_clause.format(row=entry.row)
        return Basis(doc_id=self.doc_id, clause=clause, quote=entry.quote)


class UnpricedClause(_Model):
    name: NonEmpty
    payee: Payee | None
    program: str | None = None  # shown only when the profile asks about this programme
    doc_id: NonEmpty
    clause: NonEmpty
    quote: NonEmpty

    @property
    def basis(self) -> Basis:
        return Basis(doc_id=self.doc_id, clause=self.clause, quote=self.quote)


class UnpricedRules(_Model):
    """A region whose documents mention subsidies but publish no amounts."""

    region: NonEmpty
    publishes_amounts: Literal[False]
    authority: NonEmpty
    clauses: tuple[UnpricedClause, ...]
    procedure: Basis | None = None

    def bases(self) -> list[Basis]:
        return [c.basis for c in self.clauses] + ([self.procedure] if self.procedure else [])


class ListedItem(_Model):
    """One subsidy, with whom it is for, its amount and the clause (verbatim line) it comes from.

    It applies to a profile whose programme is `program` (None: no enterprise programme, the
    individual certificate path) and, where they are given, whose person type, certificate kind and
    certificate are listed. Its amount has exactly one form: a definite `amount_yuan`; `level_amounts` by
    skill level; `level_ranges` (the amount depends on something the sources do not give, so only the
    range is known); `level_caps` ("一般不超过": a ceiling someone else sets the amount under, never an
    amount); `options` (one of several amounts, e.g. 初次取证 / 复审取证); or `unknown`, saying why no
    amount is known (a lost table: unknown, not zero)."""

    name: NonEmpty  # may contain {skill_level}
    program: NonEmpty | None = None
    person_types: tuple[NonEmpty, ...] | None = None
    certificate_kinds: tuple[NonEmpty, ...] | None = None
    certificates: tuple[NonEmpty, ...] | None = None
    # The clause's own condition for applicants without local household registration; None: none stated
    non_local_condition: NonEmpty | None = None
    payee: Payee | None
    payee_by_person_type: dict[NonEmpty, Payee] = Field(default_factory=dict)  # where others are paid
    amount_yuan: Yuan | None = None
    level_amounts: dict[NonEmpty, Yuan] | None = None
    level_ranges: dict[NonEmpty, tuple[Yuan, Yuan]] | None = None
    level_caps: dict[NonEmpty, Yuan] | None = None
    options: dict[NonEmpty, Yuan] | None = None
    unknown: NonEmpty | None = None
    set_by: NonEmpty | None = None  # who fixes the amount under a cap
    note: NonEmpty | None = None  # said with the item: a frequency, a time limit, a condition
    doc_id: NonEmpty
    clause: NonEmpty
    quote: NonEmpty
    references: tuple[Basis, ...] = ()  # further clauses the item rests on (conditions, tables)

    @model_validator(mode="after")
    def _one_amount_form(self) -> ListedItem:
        forms = [name for name in AMOUNT_FORMS if getattr(self, name) is not None]
        if len(forms) != 1:
            raise ValueError(f"{self.name}: exactly one of {AMOUNT_FORMS} must be given, got {forms}")
        if self.level_caps is not None and self.set_by is None:
            raise ValueError(f"{self.name}: a cap needs set_by (who fixes the amount under it)")
        for low, high in (self.level_ranges or {}).values():
            if low > high:
                raise ValueError(f"{self.name}: range {low}-{high} is reversed")
        return self

    @property
    def basis(self) -> Basis:
        return Basis(doc_id=self.doc_id, clause=self.clause, quote=self.quote)

    @property
    def levels(self) -> dict[str, Any] | None:
        """The per-level table of the amount, whichever form it has; None if not by level."""
        return self.level_amounts or self.level_ranges or self.level_caps

    def bases(self) -> list[Basis]:
        return [self.basis, *self.references]


class _ItemRules(_Model):
    # The certificate kind a catalogue occupation's name (叉车证) and a skill level (高级工) stand for
    named_certificate_kind: NonEmpty
    level_certificate_kind: NonEmpty
    items: tuple[ListedItem, ...]

    def bases(self) -> list[Basis]:
        return [basis for item in self.items for basis in item.bases()]


class ListedRules(_ItemRules):
    """A region whose documents list their subsidies item by item (天津市)."""

    region: NonEmpty
    publishes_amounts: Literal[True]
    authority: NonEmpty


class NationalRules(_ItemRules):
    """National items: said to every asker whose profile settles them, beside the region's own answer."""


RegionRules = CountyRules | ListedRules | UnpricedRules

Synonyms = dict[NonEmpty, tuple[NonEmpty, ...]]


class HukouWords(_Model):
    local: tuple[NonEmpty, ...]
    non_local: tuple[NonEmpty, ...]


class VocabularyData(_Model):
    question_order: tuple[NonEmpty, ...]
    regions: Synonyms
    hukou_local: HukouWords
    person_types: Synonyms
    certificate_kinds: Synonyms
    skill_levels: Synonyms
    programs: Synonyms
    # Programmes only some regions' documents name: accepted by the calculator, but not entity values of
    # the dialogue's NLU (which `programs` feed, through the entity patterns the Rasa model is trained on).
    regional_programs: Synonyms = Field(default_factory=dict)
    no_program: tuple[NonEmpty, ...]
    certificates: Synonyms
    ambiguous_certificates: Synonyms
    certificate_suffixes: tuple[NonEmpty, ...]
    zero_words: tuple[NonEmpty, ...]


class Templates(_Model):
    field_labels: dict[NonEmpty, NonEmpty]
    payee_labels: dict[NonEmpty, NonEmpty]
    item_names: dict[NonEmpty, NonEmpty]
    list_separator: NonEmpty
    explanations: dict[NonEmpty, NonEmpty]
    errors: dict[NonEmpty, NonEmpty]


def match_key(text: str) -> str:
    """Key for synonym lookup: NFKC (full-width digits and letters), no spaces, lower case."""
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


@dataclass(frozen=True)
class Lookup:
    """Spoken variant → canonical value, built from a synonyms table."""

    canonical: dict[str, str]

    @classmethod
    def build(cls, table: Mapping[str, Iterable[str]], name: str) -> Lookup:
        canonical: dict[str, str] = {}
        for value, aliases in table.items():
            for spoken in (value, *aliases):
                key = match_key(spoken)
                if canonical.setdefault(key, value) != value:
                    raise RuleDataError(f"{name}: '{spoken}' maps to both '{canonical[key]}' and '{value}'")
        return cls(canonical)

    def get(self, text: str) -> str | None:
        return self.canonical.get(match_key(text))


@dataclass(frozen=True)
class Vocabulary:
    data: VocabularyData
    regions: Lookup
    person_types: Lookup
    certificate_kinds: Lookup
    skill_levels: Lookup
    programs: Lookup
    regional_programs: Lookup
    certificates: Lookup
    hukou: dict[str, bool]
    no_program: frozenset[str]
    ambiguous_certificates: dict[str, tuple[str, ...]]

    @classmethod
    def build(cls, data: VocabularyData) -> Vocabulary:
        programs = Lookup.build(data.programs, "programs")
        regional_programs = Lookup.build(data.regional_programs, "regional_programs")
        if shared := set(programs.canonical) & set(regional_programs.canonical):
            raise RuleDataError(f"regional_programs: {sorted(shared)} are in programs too")
        hukou = {match_key(w): True for w in data.hukou_local.local}
        for word in data.hukou_local.non_local:
            if hukou.setdefault(match_key(word), False):
                raise RuleDataError(f"hukou_local: '{word}' is both local and non-local")
        return cls(
            data=data,
            regions=Lookup.build(data.regions, "regions"),
            person_types=Lookup.build(data.person_types, "person_types"),
            certificate_kinds=Lookup.build(data.certificate_kinds, "certificate_kinds"),
            skill_levels=Lookup.build(data.skill_levels, "skill_levels"),
            programs=programs,
            regional_programs=regional_programs,
            certificates=Lookup.build(data.certificates, "certificates"),
            hukou=hukou,
            no_program=frozenset(match_key(w) for w in data.no_program),
            ambiguous_certificates={match_key(k): v for k, v in data.ambiguous_certificates.items()},
        )


@dataclass(frozen=True)
class RuleBook:
    sources: dict[str, Source]
    regions: dict[str, RegionRules]
    vocabulary: Vocabulary
    templates: Templates
    national: NationalRules | None = None

    def title(self, doc_id: str) -> str:
        return self.sources[doc_id].title

    def year(self, doc_id: str) -> str:
        return self.sources[doc_id].year

    def county_regions(self) -> list[CountyRules]:
        return [rules for rules in self.regions.values() if isinstance(rules, CountyRules)]

    def bases(self) -> list[Basis]:
        regional = [basis for rules in self.regions.values() for basis in rules.bases()]
        return regional + (self.national.bases() if self.national else [])


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate mapping keys instead of silently keeping the last one."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
        if duplicates := {key for key in keys if keys.count(key) > 1}:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate keys {duplicates}", node.start_mark
            )
        return super().construct_mapping(node, deep=deep)


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_UniqueKeyLoader)
    except (OSError, yaml.YAMLError) as error:
        raise RuleDataError(f"{path}: {error}") from error


def _parse(model: type[ModelT], data: Any, path: Path) -> ModelT:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise RuleDataError(f"{path}: {error}") from error


def _parse_region(data: Any, path: Path) -> RegionRules:
    if isinstance(data, dict) and "items" in data:
        return _parse(ListedRules, data, path)
    if isinstance(data, dict) and data.get("publishes_amounts") is True:
        return _parse(CountyRules, data, path)
    return _parse(UnpricedRules, data, path)


def _names_used(book: RuleBook) -> Iterator[tuple[str, set[str], set[str]]]:
    """(what, names the rules use, names defined for them) for every cross-file reference."""
    vocabulary = book.vocabulary.data
    yield "regions with rules, in vocabulary regions", set(book.regions), set(vocabulary.regions)
    catalogue = {e.name for county in book.county_regions() for e in county.qualification.catalogue}
    ambiguous = {name for names in vocabulary.ambiguous_certificates.values() for name in names}
    yield "vocabulary certificates, in a catalogue", set(vocabulary.certificates) | ambiguous, catalogue
    for county in book.county_regions():
        q, s = county.qualification, county.skill_certificate
        groups = {
            *county.five_groups,
            *q.eligibility.local_hukou_groups,
            *q.eligibility.other_groups,
            *s.amount_range.eligibility.groups,
            *s.level_amounts.eligibility.groups,
        }
        yield f"{county.region} groups, in person_types", groups, set(vocabulary.person_types)
        levels = {*s.level_amounts.amounts, *county.apprenticeship.amounts}
        yield f"{county.region} levels, in skill_levels", levels, set(vocabulary.skill_levels)
        kinds = {q.certificate_kind, s.certificate_kind, *s.other_kinds.kinds}
        yield f"{county.region} kinds, in certificate_kinds", kinds, set(vocabulary.certificate_kinds)
        programs = {county.apprenticeship.program, county.work_based_training.program}
        yield f"{county.region} programmes, in programs", programs, set(vocabulary.programs)
    programmes = set(vocabulary.programs) | set(vocabulary.regional_programs)
    for rules in book.regions.values():
        if isinstance(rules, UnpricedRules):
            programs = {c.program for c in rules.clauses if c.program is not None}
            yield f"{rules.region} programmes, in programs", programs, programmes
    listed: list[tuple[str, _ItemRules]] = [
        (r.region, r) for r in book.regions.values() if isinstance(r, ListedRules)
    ]
    for region, rules in [*listed, *([("national.yml", book.national)] if book.national else [])]:
        items = rules.items
        yield f"{region} programmes, in programs", {i.program for i in items if i.program}, programmes
        groups = {g for i in items for g in (*(i.person_types or ()), *i.payee_by_person_type)}
        yield f"{region} groups, in person_types", groups, set(vocabulary.person_types)
        kinds = {k for i in items for k in i.certificate_kinds or ()}
        kinds |= {rules.named_certificate_kind, rules.level_certificate_kind}
        yield f"{region} kinds, in certificate_kinds", kinds, set(vocabulary.certificate_kinds)
        certificates = {c for i in items for c in i.certificates or ()}
        yield f"{region} certificates, in certificates", certificates, set(vocabulary.certificates)
        levels = {level for i in items for level in i.levels or ()}
        yield f"{region} levels, in skill_levels", levels, set(vocabulary.skill_levels)


def _check_consistency(book: RuleBook) -> None:
    for basis in book.bases():
        if basis.doc_id not in book.sources:
            raise RuleDataError(f"unknown doc_id '{basis.doc_id}' in clause {basis.clause}")
    for what, used, defined in _names_used(book):
        if unknown := used - defined:
            raise RuleDataError(f"{what}: not defined {sorted(unknown)}")
    if set(book.vocabulary.data.question_order) != set(book.templates.field_labels):
        raise RuleDataError("question_order and field_labels must name the same profile fields")


def load_rulebook(directory: Path) -> RuleBook:
    """Read and validate every rule file under `directory`; raises RuleDataError on any problem."""
    sources_path = directory / "sources.yml"
    documents = _read_yaml(sources_path) or {}
    sources = {
        source.doc_id: source
        for source in (_parse(Source, item, sources_path) for item in documents.get("documents", []))
    }
    regions: dict[str, RegionRules] = {}
    for path in sorted((directory / "regions").glob("*.yml")):
        rules = _parse_region(_read_yaml(path), path)
        if rules.region in regions:
            raise RuleDataError(f"{path}: region '{rules.region}' is defined twice")
        regions[rules.region] = rules
    if not regions:
        raise RuleDataError(f"{directory / 'regions'}: no region rule files")
    vocabulary_path = directory / "vocabulary.yml"
    templates_path = directory / "templates.yml"
    national_path = directory / "national.yml"
    book = RuleBook(
        sources=sources,
        regions=regions,
        vocabulary=Vocabulary.build(_parse(VocabularyData, _read_yaml(vocabulary_path), vocabulary_path)),
        templates=_parse(Templates, _read_yaml(templates_path), templates_path),
        national=_parse(NationalRules, _read_yaml(national_path), national_path)
        if national_path.exists()
        else None,
    )
    _check_consistency(book)
    return book


@lru_cache
def get_rulebook() -> RuleBook:
    """The rule book from the configured knowledge directory, loaded once per process."""
    return load_rulebook(get_settings().knowledge_dir / "subsidy_rules")
