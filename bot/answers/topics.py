"""What a question is about (knowledge/topics.yml): the benefit it names, the neighbouring non-training
benefit it names, and the aspect it asks (how much, when paid, where …); and whether a passage speaks to
that benefit and that aspect."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import yaml

from bot.settings import get_settings
from bot.textnorm import normalize_text

T = TypeVar("T")

SUBTITLE_MARKS = re.compile("[:：?？!！]")  # what ends a headline before its subtitle
END_MARKS = "?？!！。. "
SENTENCE_MARKS = re.compile(r"[，,。？?！!；;\s]+")  # what parts the sentences of a message
NEAR_FORM_LENGTH = 5  # shorter names (技能补贴, 生活补贴) are too close to others to read one character off
COURTESY_GAPS = "，,。.！!？?~～：: "  # what parts a courtesy from the question
CHINESE = re.compile(r"[\u4e00-\u9fff]")
MIN_QUESTION = 2  # Chinese characters: less is no question left beside the courtesies (好的，谢谢)


@dataclass(frozen=True)
class Benefit:
    name: str
    forms: tuple[str, ...]
    neighbour: bool = False
    kind: str = ""  # neighbours: what the benefit is
    office: str = ""  # neighbours: who handles it
    general: bool = False  # the training subsidies as a whole: a clause on any of them is about it
    employer: bool = False  # paid to the employer that trains (以工代训, 新型学徒制)
    certificate: bool = False  # paid for a certificate obtained (技能提升补贴, 职业技能评价补贴)
    described: re.Pattern[str] | None = None  # a clause's first sentence matching it is about the benefit
    askers: tuple[str, ...] = ()  # neighbours: people whose subsidy, asked of without training, is this one
    qualifications: bool = False  # neighbours: its forms name qualifications no training subsidy pays for
    people: tuple[str, ...] = ()  # the only kinds of person it is paid to (企业职工), if not everyone


@dataclass(frozen=True)
class Aspect:
    name: str
    label: str
    asked: re.Pattern[str]
    stated: re.Pattern[str] | None  # None: any passage on the topic speaks to it
    prefer: re.Pattern[str] | None = None  # put first among the passages that may answer
    like: str = ""  # the aspect whose section headings and cues answer this one best
    document: bool = False  # a clause stating it speaks for its whole document (本办法自……起施行)
    near: bool = False  # only a clause near it is quoted as silent on it (policy.py, _Finder.near_aspect)

    def stated_in(self, text: str) -> bool:
        return self.stated is None or bool(self.stated.search(text))

    def preferred(self, text: str) -> bool:
        return self.prefer is not None and bool(self.prefer.search(text))

    def heads(self, heading_aspect: Aspect | None) -> bool:
        """A section under this heading aspect answers this aspect."""
        return heading_aspect is not None and heading_aspect.name in (self.name, self.like)

    def cues_in(self, text: str) -> int:
        """How many different cue words of the aspect (what it must state, else what it prefers) the
        text holds."""
        cues = self.stated or self.prefer
        return len({m.group() for m in cues.finditer(text)}) if cues else 0

    def matches(self, text: str) -> list[re.Match[str]]:
        """Every cue of the aspect in the text, asked or stated."""
        patterns = [p for p in (self.asked, self.stated) if p is not None]
        return [m for pattern in patterns for m in pattern.finditer(text)]


@dataclass(frozen=True)
class Topics:
    benefits: tuple[Benefit, ...]  # training benefits and neighbours
    aspects: tuple[Aspect, ...]
    place_free_aspects: frozenset[str]
    levels_aspect: str  # its clause naming the levels a rule pays for answers a level the rule does not
    national_frame_aspects: frozenset[str]  # a national rule frames them for every place
    claiming_aspects: frozenset[str]  # asked of the subsidy for a training: any training subsidy
    permit_column: str  # the catalogue column filing a certificate (类别)
    permit_categories: tuple[str, ...]  # its values for a safety permit (特种作业)
    permit_names: tuple[str, ...]  # what people call the permits as a class (特殊工种)
    question_words: frozenset[str]
    headline_words: tuple[str, ...]  # genre words of an article's headline (详解, 一览)
    training_words: tuple[str, ...]  # a message holding one speaks of training
    employer_words: tuple[str, ...]  # a message holding one speaks as an employer
    payer_words: frozenset[str]  # who pays a subsidy (政府补贴), no part of what it is for
    institution_heads: tuple[str, ...]  # how the names of institutions end (机构, 基地)
    attending: re.Pattern[str]  # names attending a training
    certifying: re.Pattern[str]  # names a certificate or its exam
    subsidised: re.Pattern[str]  # names a subsidy
    subject_words: re.Pattern[str]  # a question matching it asks of training or its subsidies
    occupation_words: tuple[str, ...]  # words that speak of every occupation or certificate
    level_words: tuple[str, ...]  # words that speak of every skill level
    unnamed_aspect: str  # the aspect's label when the question names none
    unsaid_suffix: str  # after the question's words a clause does not speak of (报名费用的情况)
    unknown: str  # a year or date the document does not give
    extent_words: frozenset[str]  # how much of the cost a subsidy pays (全额), not what it is for
    courtesy_before: re.Pattern[str]  # a greeting or address opening a message
    courtesy_after: re.Pattern[str]  # thanks or a plea closing it
    comparing: re.Pattern[str]  # asks whether two things are one (是不是一回事, 有什么区别)
    other_names: tuple[str, ...] = ()  # names holding a benefit's form that are not that benefit
    shared_names: tuple[tuple[str, tuple[str, ...]], ...] = ()  # names meaning several benefits at once

    def read(self, text: str) -> str:
        """The question as the answer layer reads it: bare, a benefit's name one character off put right."""
        return self.spelled_right(self.bare(text))

    def bare(self, text: str) -> str:
        """The text normalised, without the greetings, addresses, thanks and pleas before and after its
        question (老师您好，请问电工证补贴多少钱？谢谢 → 电工证补贴多少钱); a text that is nothing but courtesy
        as it is."""
        text = normalize_text(text)
        question = text
        while True:
            if opening := self.courtesy_before.match(question):
                question = question[opening.end() :].lstrip(COURTESY_GAPS)
            elif closing := self.courtesy_after.search(question.rstrip(COURTESY_GAPS)):
                question = question[: closing.start()]
            else:
                break
        if question == text or len(CHINESE.findall(question)) < MIN_QUESTION:
            return text
        return question.rstrip(COURTESY_GAPS)

    def _forms(self) -> list[tuple[str, tuple[Benefit, ...]]]:
        forms = [(f, (b,)) for b in self.benefits for f in b.forms]
        forms += [(n, ()) for n in self.other_names]
        by_name = {b.name: b for b in self.benefits}
        forms += [(n, tuple(by_name[b] for b in benefits)) for n, benefits in self.shared_names]
        return sorted(forms, key=lambda item: -len(item[0]))

    def _named_groups(self, text: str) -> list[tuple[Benefit, ...]]:
        """The benefits of each name in the text, left to right; at each position the longest name wins,
        so 创业培训补贴 is the training benefit and not the 创业补贴 it does not contain, 数字技术工程师
        (`other_names`) no 工程师, and 职业技能补贴 (`shared_names`) no mere 技能补贴."""
        return longest_matches(text, self._forms())

    def names_in(self, text: str) -> list[str]:
        """The benefits' names the text holds (技能补贴, 职业技能补贴 …)."""
        return [form for form, benefits in self._forms() if benefits and form in text]

    def named(self, text: str) -> list[Benefit]:
        """Benefits the text names, left to right, each once."""
        return list(dict.fromkeys(b for group in self._named_groups(text) for b in group))

    def training_benefits(self, text: str) -> list[Benefit]:
        """The training benefits the text names; the general one (培训补贴) only when it names no other
        (以工代训职业培训补贴 is 以工代训) or a name that means both (职业技能补贴)."""
        groups = [tuple(b for b in group if not b.neighbour) for group in self._named_groups(text)]
        named = list(dict.fromkeys(b for group in groups for b in group))
        specific = [b for b in named if not b.general]
        shared = [b for group in groups if len(group) > 1 for b in group]
        return list(dict.fromkeys(specific + shared)) if specific else named

    def asked_benefits(self, text: str, aspect: Aspect | None, certified: bool = False) -> list[Benefit]:
        """The training benefits the text names. Naming none, a subsidy asked of a certificate, or of a
        certified occupation (`certified`: 育婴师), and not of attending a training (电工证补贴怎么申请) is
        one paid for a certificate; asked (`aspect`, the text's) how to claim the subsidy for attending a
        training and naming no certificate (学按摩师补贴多少), the training subsidies as a whole."""
        named = self.training_benefits(text)
        if named or not self.subsidised.search(text):
            return named
        attending = bool(self.attending.search(text))
        certificate = bool(self.certifying.search(text))
        if not attending and (certificate or certified):
            return [b for b in self.benefits if b.certificate]
        if certificate:
            return []
        claiming = (aspect is None or aspect.name in self.claiming_aspects) and not any(
            a.stated_in(text) for a in self.aspects if a.stated and a.name not in self.claiming_aspects
        )
        return [b for b in self.benefits if b.general] if attending and claiming else []

    def kinds_of(self, general: Benefit) -> list[Benefit]:
        """The training benefits whose names say they are kinds of the general one (职业资格培训补贴 is a
        培训补贴; 技能提升补贴, paid from unemployment insurance, is not)."""
        return [
            b
            for b in self.benefits
            if not b.neighbour and any(g in f for f in b.forms for g in general.forms)
        ]

    def spelled_right(self, text: str) -> str:
        """The text with a training benefit's name put right when it is one character off (技能提高补贴 →
        技能提升补贴) and the text names no benefit exactly: a long form (NEAR_FORM_LENGTH or more) that
        ends the same, compared at each place of the text."""
        if self.named(text):
            return text
        for form, benefits in self._forms():
            if len(benefits) != 1 or benefits[0].neighbour or len(form) < NEAR_FORM_LENGTH:
                continue
            for i in range(len(text) - len(form) + 1):
                if _one_off(text[i : i + len(form)], form):
                    return text[:i] + form + text[i + len(form) :]
        return text

    def headline(self, question: str) -> str:
        """The question without its subtitle when it is an article's headline whose last part, after a
        colon, question or exclamation mark, holds a headline word (……补贴?费用标准解读): that part lists
        what the article covers, not what it is about."""
        *head, subtitle = SUBTITLE_MARKS.split(question.rstrip(END_MARKS))
        return "".join(head) if head and any(w in subtitle for w in self.headline_words) else question

    def outside_names(self, question: str) -> str:
        """The question with the names of the benefits it names blanked out: what is asked is read
        outside them (技能补贴 is a name, not 能补 "can it be subsidised")."""
        for form in sorted({f for b in self.named(question) for f in b.forms}, key=len, reverse=True):
            question = question.replace(form, "\n")
        return question

    def subject(self, question: str) -> str:
        """What the question is about: the question without its aspects' cues, read outside the names
        of the benefits it names (叉车证补贴怎么申请 → 叉车证补贴; 技能补贴 keeps its 能补)."""
        names = sorted(
            {f for b in self.named(question) for f in b.forms if f in question}, key=len, reverse=True
        )
        parts = re.split("(" + "|".join(map(re.escape, names)) + ")", question) if names else [question]
        return "".join(p if p in names else self._without_cues(p) for p in parts)

    def _without_cues(self, text: str) -> str:
        """The text without every span some aspect's cue matches, overlapping ones too (多久能到账: 多久能到
        and 到账)."""
        matches = (a.asked.match(text, start) for a in self.aspects for start in range(len(text)))
        asked = {i for m in matches if m for i in range(*m.span())}
        return "".join(c for i, c in enumerate(text) if i not in asked)

    def aspect(self, question: str) -> Aspect | None:
        """The first aspect whose cue the question holds outside the names of the benefits it names; in a
        message of several sentences, first in those naming a training benefit: 长沙失业金怎么申请，领失业金期间
        还能领技能补贴吗 asks whether 技能补贴 may be had, not how to apply."""
        parts = [p for p in SENTENCE_MARKS.split(question) if p.strip()]
        naming = [p for p in parts if self.training_benefits(p)] if len(parts) > 1 else []
        for text in (*naming, question):
            asked = self.outside_names(text)
            if found := next((a for a in self.aspects if a.asked.search(asked)), None):
                return found
        return None

    def heading_aspect(self, heading: str) -> Aspect | None:
        """The aspect a section heading names. A heading is a noun phrase whose head comes last, so the
        cue that ends last decides: 申领条件 is about who may, 审核程序 about applying."""
        found = [(m.end(), len(m.group()), a) for a in self.aspects for m in a.matches(heading)]
        return max(found, key=lambda f: f[:2])[2] if found else None

    def place_free(self, aspect: Aspect | None) -> bool:
        """What is asked does not depend on where the asker is (what a term means)."""
        return aspect is not None and aspect.name in self.place_free_aspects

    def national_frame(self, aspect: Aspect | None) -> bool:
        """A national rule frames what is asked for every place (an amount's ceilings, who may have it)."""
        return aspect is not None and aspect.name in self.national_frame_aspects

    def names_permits(self, text: str) -> bool:
        """The text names the safety permits as a class (特种作业, 特殊工种)."""
        return any(name in text for name in (*self.permit_categories, *self.permit_names))

    def for_employers(self, text: str) -> bool:
        """The text names a benefit paid to employers and no other specific training benefit."""
        specific = [b for b in self.training_benefits(text) if not b.general]
        return bool(specific) and all(b.employer for b in specific)

    def about(self, text: str, benefits: list[Benefit]) -> bool:
        """True when the text names one of the benefits (or none is asked about)."""
        return not benefits or any(b in benefits for b in self.named(text))


def longest_matches(text: str, forms: list[tuple[str, T]]) -> list[T]:
    """The value of each form found in the text, left to right; `forms` longest first, so at each place the
    longest form wins (创业培训补贴, not the 创业补贴 it does not contain; 高级技师, not 高级)."""
    found: list[T] = []
    start = 0
    while start < len(text):
        match = next(((form, value) for form, value in forms if text.startswith(form, start)), None)
        if match is None:
            start += 1
            continue
        found.append(match[1])
        start += len(match[0])
    return found


def _one_off(span: str, form: str) -> bool:
    """Same length and ending, one character different."""
    return span[-1] == form[-1] and sum(a != b for a, b in zip(span, form, strict=True)) == 1


def _pattern(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def load_topics(path: Path) -> Topics:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    benefits = [
        Benefit(
            b["name"],
            tuple(str(f) for f in b["forms"]),
            general=b.get("general", False),
            employer=b.get("employer", False),
            certificate=b.get("certificate", False),
            described=_pattern(b["described"]) if b.get("described") else None,
            people=tuple(b.get("people", ())),
        )
        for b in data["benefits"]
    ]
    neighbours = [
        Benefit(
            n["name"],
            tuple(str(f) for f in n["forms"]),
            True,
            n["kind"],
            n["office"],
            askers=tuple(n.get("askers", ())),
            qualifications=n.get("qualifications", False),
        )
        for n in data["neighbours"]
    ]
    stated = {a["name"]: a.get("stated") for a in data["aspects"]}
    aspects = [
        Aspect(
            a["name"],
            a["label"],
            _pattern(a["asked"]),
            _pattern(a["stated"]) if a.get("stated") else None,
            # An aspect answered like another prefers the clauses stating that one.
            _pattern(a.get("prefer") or stated[a["like"]]) if a.get("prefer") or a.get("like") else None,
            a.get("like", ""),
            a.get("document", False),
            a.get("near", False),
        )
        for a in data["aspects"]
    ]
    return Topics(
        tuple(benefits + neighbours),
        tuple(aspects),
        frozenset(data["place_free_aspects"]),
        data["levels_aspect"],
        frozenset(data["national_frame_aspects"]),
        frozenset(data["claiming_aspects"]),
        data["permits"]["column"],
        tuple(data["permits"]["categories"]),
        tuple(data["permits"]["names"]),
        frozenset(data["question_words"]) | frozenset(data["headline_words"]),
        tuple(data["headline_words"]),
        tuple(data["training_words"]),
        tuple(data["employer_words"]),
        frozenset(data["payer_words"]),
        tuple(data["institution_heads"]),
        _pattern(data["attending"]),
        _pattern(data["certifying"]),
        _pattern(data["subsidised"]),
        _pattern(data["subject_words"]),
        tuple(data["general_words"]["occupation"]),
        tuple(data["general_words"]["level"]),
        data["unnamed_aspect"],
        data["unsaid_suffix"],
        data["unknown"],
        frozenset(data["extent_words"]),
        re.compile(f"^{_pattern(data['courtesies']['leading']).pattern}"),
        re.compile(f"(?:{_pattern(data['courtesies']['trailing']).pattern})$"),
        _pattern(data["comparing"]),
        tuple(data.get("other_names", ())),
        _shared_names(data.get("shared_names", {}), {b.name for b in benefits}),
    )


def _shared_names(shared: dict[str, list[str]], known: set[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if unknown := {b for names in shared.values() for b in names} - known:
        raise ValueError(f"topics.yml shared_names: no such benefit: {'、'.join(sorted(unknown))}")
    return tuple((name, tuple(benefits)) for name, benefits in shared.items())


@lru_cache(maxsize=1)
def get_topics() -> Topics:
    return load_topics(get_settings().knowledge_dir / "topics.yml")
