"""Turn a user profile (Chinese values, common synonyms) into canonical values, or raise ProfileError."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, StrictInt, ValidationError

from bot.subsidy.numbers import parse_count
from bot.subsidy.rules import Lookup, RuleBook, Templates, Vocabulary, match_key

PROFILE_FIELDS = (
    "region",
    "hukou_local",
    "person_type",
    "certificate",
    "certificate_kind",
    "skill_level",
    "program",
    "times_claimed",
    "training_days",
    "employed_months",
)
COUNT_FIELDS = ("times_claimed", "training_days", "employed_months")
# The value the dialogue keeps in a field's slot when the user said they do not know it.
DONT_KNOW = "不知道"


def profile_from_slots(slots: Mapping[str, Any]) -> dict[str, Any]:
    """The profile a conversation collected: calculator fields are slots of the same name; fields left
    empty or answered 不知道 are not part of it."""
    return {name: slots[name] for name in PROFILE_FIELDS if slots.get(name) not in (None, DONT_KNOW)}


class ProfileError(ValueError):
    """An invalid profile value; `field` names the offending field, `message` is Chinese for the user."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class SubsidyProfile(BaseModel):
    """What the user has told us so far; every field is optional and may use everyday wording."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    region: str | None = None
    hukou_local: bool | str | None = None
    person_type: str | None = None
    certificate: str | None = None
    certificate_kind: str | None = None
    skill_level: str | None = None
    program: str | None = None
    times_claimed: StrictInt | str | None = None
    training_days: StrictInt | str | None = None
    employed_months: StrictInt | str | None = None


@dataclass(frozen=True)
class NormalizedProfile:
    region: str | None = None  # canonical name when known, otherwise the user's wording
    region_known: bool = False
    hukou_local: bool | None = None
    person_type: str | None = None
    certificate: str | None = None  # catalogue name when recognised, otherwise the user's wording
    certificate_in_catalogue: bool = False
    certificate_candidates: tuple[str, ...] = ()  # several catalogue rows fit the wording
    certificate_kind: str | None = None
    skill_level: str | None = None
    program: str | None = None
    times_claimed: int | None = None
    training_days: int | None = None
    employed_months: int | None = None


class _Errors:
    def __init__(self, templates: Templates) -> None:
        self.templates = templates

    def __call__(self, field: str, key: str, **params: Any) -> ProfileError:
        label = self.templates.field_labels.get(field, field)
        return ProfileError(field, self.templates.errors[key].format(field=field, label=label, **params))


def coerce_profile(profile: SubsidyProfile | Mapping[str, Any], templates: Templates) -> SubsidyProfile:
    if isinstance(profile, SubsidyProfile):
        return profile
    error = _Errors(templates)
    for field in profile:
        if field not in PROFILE_FIELDS:
            raise error(str(field), "unknown_field")
    try:
        return SubsidyProfile.model_validate(dict(profile))
    except ValidationError as invalid:
        field = str(invalid.errors()[0]["loc"][0])
        key = "not_integer" if field in COUNT_FIELDS else "not_text"
        raise error(field, key, value=profile[field]) from invalid


def _text(value: str | None) -> str | None:
    """The stripped text, or None for a missing or blank answer."""
    return (value.strip() or None) if value is not None else None


def _lookup(
    field: str, value: str | None, table: Lookup, options: Mapping[str, Any], error: _Errors
) -> str | None:
    if (value := _text(value)) is None:
        return None
    if found := table.get(value):
        return found
    separator = error.templates.list_separator
    raise error(field, "unknown_value", value=value, options=separator.join(options))


def _region(value: str | None, vocabulary: Vocabulary) -> tuple[str | None, bool]:
    """Canonical region; an address that starts with a known name counts ("彭阳县白阳镇")."""
    if (value := _text(value)) is None:
        return None, False
    key = match_key(value)
    for spoken in sorted(vocabulary.regions.canonical, key=len, reverse=True):
        if key.startswith(spoken):
            return vocabulary.regions.canonical[spoken], True
    return value, False


# Before a hukou phrase, these turn it around: 不是本地户口, 没有本地户籍.
NEGATIONS = ("不是", "没有", "非")


def hukou_phrases(synonyms: Mapping[str, list[str]]) -> list[tuple[str, bool]]:
    """The hukou synonyms that name a hukou (本地户口, 外地人, 本地), not bare answers (是, 没有)."""
    phrases = [
        (word, value == "true")
        for value, words in synonyms.items()
        for word in words
        if "户" in word or word.endswith("人") or word.endswith(("本地", "外地", "外省", "外县"))
    ]
    return sorted(phrases, key=lambda phrase: -len(phrase[0]))


def hukou_from_text(text: str, phrases: list[tuple[str, bool]]) -> bool | None:
    for phrase, local in phrases:
        at = text.find(phrase)
        if at != -1:
            negated = text[:at].endswith(NEGATIONS)
            return local != negated
    return None


def _hukou(value: bool | str | None, vocabulary: Vocabulary, error: _Errors) -> bool | None:
    if not isinstance(value, str):
        return value
    if (value := _text(value)) is None:
        return None
    if (found := vocabulary.hukou.get(match_key(value))) is not None:
        return found
    # A sentence rather than a word: "是本地的", "我不是本地户口"
    words = vocabulary.data.hukou_local
    phrases = hukou_phrases({"true": list(words.local), "false": list(words.non_local)})
    if (found := hukou_from_text(value, phrases)) is not None:
        return found
    options = error.templates.list_separator.join((*words.local[:3], *words.non_local[:3]))
    raise error("hukou_local", "unknown_value", value=value, options=options)


def _program(value: str | None, vocabulary: Vocabulary, error: _Errors) -> str | None:
    if (text := _text(value)) is not None and match_key(text) in vocabulary.no_program:
        return None
    if text is not None and (regional := vocabulary.regional_programs.get(text)):
        return regional
    options = {**vocabulary.data.programs, **vocabulary.data.regional_programs}
    return _lookup("program", value, vocabulary.programs, options, error)


def _certificate(value: str | None, vocabulary: Vocabulary) -> tuple[str | None, bool, tuple[str, ...]]:
    """(name, in catalogue, candidates); tries again without endings such as 证/证书/操作证."""
    if (value := _text(value)) is None:
        return None, False, ()
    key = match_key(value)
    stems = [key] + [
        key.removesuffix(suffix)
        for suffix in sorted(vocabulary.data.certificate_suffixes, key=len, reverse=True)
        if key.endswith(suffix) and key != suffix
    ]
    for stem in stems:
        if found := vocabulary.certificates.canonical.get(stem):
            return found, True, ()
        if candidates := vocabulary.ambiguous_certificates.get(stem):
            return value, False, candidates
    return value, False, ()


def _count(field: str, value: int | str | None, vocabulary: Vocabulary, error: _Errors) -> int | None:
    """A non-negative count; text may carry a unit ("30天", "3个月")."""
    if isinstance(value, str):
        if (text := _text(value)) is None:
            return None
        count = parse_count(unicodedata.normalize("NFKC", text), vocabulary.data.zero_words)
        if count is None:
            raise error(field, "not_integer", value=value)
        value = count
    if value is not None and value < 0:
        raise error(field, "negative", value=value)
    return value


def normalize(profile: SubsidyProfile | Mapping[str, Any], book: RuleBook) -> NormalizedProfile:
    """Canonical profile; raises ProfileError for a value that cannot be understood."""
    raw = coerce_profile(profile, book.templates)
    vocabulary = book.vocabulary
    error = _Errors(book.templates)
    region, region_known = _region(raw.region, vocabulary)
    certificate, in_catalogue, candidates = _certificate(raw.certificate, vocabulary)
    data = vocabulary.data
    return NormalizedProfile(
        region=region,
        region_known=region_known,
        hukou_local=_hukou(raw.hukou_local, vocabulary, error),
        person_type=_lookup(
            "person_type", raw.person_type, vocabulary.person_types, data.person_types, error
        ),
        certificate=certificate,
        certificate_in_catalogue=in_catalogue,
        certificate_candidates=candidates,
        certificate_kind=_lookup(
            "certificate_kind",
            raw.certificate_kind,
            vocabulary.certificate_kinds,
            data.certificate_kinds,
            error,
        ),
        skill_level=_lookup(
            "skill_level", raw.skill_level, vocabulary.skill_levels, data.skill_levels, error
        ),
        program=_program(raw.program, vocabulary, error),
        times_claimed=_count("times_claimed", raw.times_claimed, vocabulary, error),
        training_days=_count("training_days", raw.training_days, vocabulary, error),
        employed_months=_count("employed_months", raw.employed_months, vocabulary, error),
    )
