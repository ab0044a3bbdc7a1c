"""Policy and compliance questions: a clause that covers the asker's place and is about what was asked
— or an honest statement of what the documents do not cover.

The order of the checks is the order of what would make a cited clause wrong:

1. a benefit that is not a training subsidy (灵活就业社保补贴, 失业金, 入户补贴 …) is named as such and
   pointed elsewhere, citing nothing (bot/answers/benefits.py); a question asked of a certificate itself
   (its exam, fees, issuer) is said not to be covered (bot/answers/subject.py);
2. only documents whose place covers the asker are searched (national ones cover everyone);
3. a clause answers only when it names the benefit the question names, and states the aspect asked
   (an amount for "多少钱", a time for "多久到账" …); a clause on the benefit that is silent on the
   aspect is quoted with the words that it does not say that;
4. a document in force answers before one that is not, which is said to be no longer in force;
5. with no place known, a question that speaks of no benefit nor subsidy and asks nothing a clause must
   state gets no national clause: only shared words would tie one to it;
6. with no place known, a national clause answers (labelled national) unless a local document's clause
   names what was asked more specifically (彭阳's row on 叉车 against the national clause on any 证书):
   then an amount still gets the national standard, with the places that say more offered as buttons;
   when no national clause states what was asked, the national clause holding the question's words is
   quoted as silent on it, the places whose documents say it offered;
   a definition answers from any document (labelled with its place); otherwise the asker is asked once
   where they are, with buttons for the places the base covers, and after that the local clause answers
   labelled with its place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property, lru_cache
from typing import Any

from bot.answers.benefits import (
    about_the_documents,
    asks_of_a_training_subsidy,
    not_a_training_subsidy,
    other_benefit,
)
from bot.answers.clauses import (
    document_benefits,
    employer_clauses,
    first_sentence,
    lead_of,
    passage_benefits,
    sections_of,
)
from bot.answers.decision import Decision, Reply
from bot.answers.named_documents import named_documents, unheld_document
from bot.answers.scope import asker_place, covered_places, covering, in_force, place_label, where_named
from bot.answers.subject import PROGRAMME, certificate_itself
from bot.answers.topics import Aspect, Benefit, Topics, get_topics
from bot.answers.vocabulary import document_texts
from bot.answers.wording import get_wording
from bot.gazetteer import Place, resolve_place
from bot.textnorm import normalize_text
from retrieval.corpus import PREAMBLE, TABLE_ROW, Document, Passage
from retrieval.search import Retriever, ScoredPassage, SearchResult, get_retriever

CANDIDATES = 20  # passages weighed for relevance, best retrieval rank first
MAX_TERMS_EXPLAINED = 2
PENDING_SLOT = "pending_policy_question"
NATIONAL_NOTE = "utter_policy_national_note"  # "这是全国性的规定……"
LOCAL_OFFER = "utter_policy_local_offer"  # after a national answer: the places with their own rules
CLARIFY = "utter_clarify"  # "您是想问下面哪一项？"
THANKS = "utter_thank"
SMALL_TALK = "small_talk"  # the kind of a decision that is only a courtesy (the reply to thanks)
INFORM_ACK = "utter_inform_ack"  # "好的，记下了。您想了解哪方面？"
# Share of the question's informative words (IDF-weighted) a clause must hold to answer it; tuned on
# knowledge/eval/retrieval.yml with `python -m bot.answers.evaluate --sweep` (docs/ANSWERS.md).
MIN_SUPPORT = 0.5
LIST_LEADS = ("：", ":")  # a clause ending so introduces the items below it
MAX_HEADING = 20  # characters: a longer first line is a sentence, not a heading


@dataclass(frozen=True)
class Question:
    text: str
    place: Place | None  # where the asker is, if known
    asked_place: bool = False  # the place was asked for this question already
    today: date = field(default_factory=date.today)  # documents are in force or not on this day


def _rank(document: Document) -> int:
    """How local a document is: 0 national, 1 province, 2 city, 3 county."""
    return 0 if document.national else len(document.region_chain)


def _citation_params(passage: ScoredPassage, document: Document, unknown: str) -> dict[str, str]:
    return {
        **passage.source(),
        "summary": passage.summary or "",
        "scope": place_label(document),
        "year": document.year or unknown,
    }


def _answer(
    passage: ScoredPassage, base: Retriever, question: Question, allowed: list[str], topics: Topics
) -> Decision:
    chosen, passage = passage, _whole_list(passage, base)
    document = base.documents[passage.doc_id]
    params = _citation_params(passage, document, topics.unknown)
    replies = [Reply("utter_policy_answer" if passage.summary else "utter_policy_answer_quote_only", params)]
    if question.place is None:
        note = NATIONAL_NOTE if document.national else "utter_policy_local_note"
        replies.append(Reply(note, {"scope": params["scope"]}))
    replies = _framed(replies, document, question, base, topics)
    replies += _terms(passage, base, [d for d in allowed if _as_wide(base.documents[d], document)])
    return Decision("answer", replies, _cited(chosen, passage, base))


def _framed(
    replies: list[Reply], document: Document, question: Question, base: Retriever, topics: Topics
) -> list[Reply]:
    """The replies quoting a clause of the document, with what the asker must know of its place and time:
    a national rule for a place without documents of its own says so first, a document not in force
    says so next, an operator's caveat follows."""
    replies = list(replies)
    if question.place is not None and document.national and not covering(_local(base), question.place):
        local = {"place": question.place.name, "covered": "、".join(covered_places(_local(base)))}
        replies.insert(0, Reply("utter_policy_national_only", local))
    if not in_force(document, question.today):
        replies.insert(1, _lapsed(document, base, topics.unknown))
    if document.caveat:
        replies.append(Reply("utter_policy_caveat", {"caveat": document.caveat}))
    return replies


def _as_wide(source: Document, cited: Document) -> bool:
    """The source covers every asker the cited document covers: a glossary note quoting 彭阳's amounts
    under a national answer would be 彭阳's rule given as everyone's."""
    return source.national or (not cited.national and source.region_chain[-1] in cited.region_chain)


def _lapsed(document: Document, base: Retriever, unknown: str) -> Reply:
    """The warning that the answer's document is no longer (or not yet) in force."""
    if document.replaced_by and document.replaced_by in base.documents:
        return Reply("utter_policy_replaced", {"title": base.documents[document.replaced_by].title})
    return Reply(
        "utter_policy_not_in_force",
        {"from": document.in_force_from or unknown, "until": document.in_force_until or unknown},
    )


def _terms(passage: ScoredPassage, base: Retriever, allowed: list[str]) -> list[Reply]:
    """Glossary explanations of the clause's terms, only those drawn from the `allowed` documents (an
    explanation quoting 彭阳's amounts is 彭阳's rule)."""
    sources = {t.term: set(t.sources) for t in base.glossary.terms}
    fitting = [t for t in passage.terms if sources.get(t["term"], set()) <= set(allowed)]
    return [
        Reply("utter_glossary_term", {"term": t["term"], "explain": t["explain"]})
        for t in fitting[:MAX_TERMS_EXPLAINED]
    ]


def _partial(
    passage: ScoredPassage,
    base: Retriever,
    question: Question,
    benefit: Benefit,
    aspect: Aspect | None,
    topics: Topics,
    unsaid: str = "",
) -> Decision:
    """The clause on the benefit, quoted as not saying the aspect asked — or, when it states that, the
    `unsaid` words of the question it holds nothing for."""
    chosen, passage = passage, _whole_list(passage, base)
    document = base.documents[passage.doc_id]
    params = _citation_params(passage, document, topics.unknown)
    unsaid = f"{unsaid}{topics.unsaid_suffix}" if unsaid else ""
    params |= {"topic": benefit.name, "aspect": unsaid or (aspect.label if aspect else topics.unnamed_aspect)}
    replies = _framed([Reply("utter_policy_partial", params)], document, question, base, topics)
    return Decision("partial", replies, _cited(chosen, passage, base))


def decide_out_of_scope(
    question: Question,
    other: Callable[[str], Decision | None] = not_a_training_subsidy,
    policy: Callable[[Question], Decision] | None = None,
) -> Decision:
    """A message the NLU put outside training subsidies: a benefit that is not a training subsidy is
    named and pointed elsewhere; a message asking of a training subsidy after all (a certificate the NLU
    never saw: 全媒体运营师补贴怎么领取) or naming a training benefit (以工代训，多久到账: a follow-up) gets the
    policy answer; anything else the out-of-scope reply."""
    if named := other(question.text):
        return named
    topics = get_topics()
    text = topics.bare(question.text)
    if topics.training_benefits(text) or asks_of_a_training_subsidy(text, topics, get_retriever()):
        return (policy or decide_policy)(_at_named_place(question))
    return Decision("out_of_scope", [Reply("utter_out_of_scope")])


def _at_named_place(question: Question) -> Question:
    """The question asked where its words say: the NLU keeps no entity of a message it read as no
    question on training (北京市的技能提升补贴怎么申请 as out of scope), so when the answer layer takes it
    for one after all, the place it names is read here, for this question only."""
    text = normalize_text(question.text)
    place = asker_place("".join(where_named(text, get_wording(get_retriever()).places(text))))
    return replace(question, place=place) if place else question


def decide_unclear(
    question: Question,
    other: Callable[[str], Decision | None] = not_a_training_subsidy,
    policy: Callable[[Question], Decision] | None = None,
) -> Decision:
    """A message the NLU is unsure of (`nlu_fallback`): a benefit that is not a training subsidy is named;
    one asking of a training benefit (技能补贴, 培训补贴, a certificate's subsidy: 补贴宁德摄影师证) gets the
    policy answer; otherwise the asker is asked what they mean. Those others cite nothing: on the real
    questions the policy answer to them cited as many clauses that did not answer as ones that did,
    while the ones asking of a training benefit got seven clauses that answered for one that did not
    (docs/ANSWERS.md)."""
    return _asked_of_a_benefit(question, other, policy) or Decision("clarify", [Reply(CLARIFY)])


def decide_thanks(
    question: Question,
    other: Callable[[str], Decision | None] = not_a_training_subsidy,
    policy: Callable[[Question], Decision] | None = None,
) -> Decision:
    """Thanks (谢谢): thanks closing a question the NLU read as thanks alone (保育员证补贴领取，谢谢) get the
    answer to it, as an unclear message asking of a benefit does; thanks alone the reply to thanks."""
    return _asked_of_a_benefit(question, other, policy) or Decision(SMALL_TALK, [Reply(THANKS)])


def decide_inform(
    question: Question,
    other: Callable[[str], Decision | None] = not_a_training_subsidy,
    policy: Callable[[Question], Decision] | None = None,
) -> Decision:
    """Information told outside any question (not the place a waiting question asked for, which answers
    that question): decided as an unclear message is; a message asking something of an occupation or of
    training (电工四级是什么等级) gets the policy answer; anything else is acknowledged with the topics to go
    on with."""
    if asked := _asked_of_a_benefit(question, other, policy):
        return asked
    topics, base = get_topics(), get_retriever()
    text = topics.bare(question.text)
    of_training = get_wording(base).occupations(text) or any(w in text for w in topics.training_words)
    if topics.aspect(text) is not None and of_training:
        return (policy or decide_policy)(question)
    return Decision("inform", [Reply(INFORM_ACK)])


def _asked_of_a_benefit(
    question: Question,
    other: Callable[[str], Decision | None],
    policy: Callable[[Question], Decision] | None,
) -> Decision | None:
    """The answer to a message the NLU did not read as a question, when it names a benefit that is not
    a training subsidy or asks of a training benefit; None otherwise."""
    if named := other(question.text):
        return named
    topics, base = get_topics(), get_retriever()
    if asked_benefits(topics.read(question.text), topics, base)[1]:
        return (policy or decide_policy)(_at_named_place(question))
    return None


def asked_benefits(text: str, topics: Topics, base: Retriever) -> tuple[Aspect | None, list[Benefit]]:
    """The aspect the question asks and the training benefits it asks of: the ones it names, or the ones
    read from what it asks (a certificate, a certified occupation or a skill level, and a subsidy: the
    benefits paid for a certificate — 中级人力资源补贴 asks of a 中级 certificate)."""
    aspect = topics.aspect(text)
    wording = get_wording(base)
    certified = bool(wording.certified_occupations(text) or wording.levels(text))
    benefits = topics.asked_benefits(text, aspect, certified)
    named = topics.training_benefits(text)
    if not named and benefits and speaks_as_employer(text, topics, base):
        # An employer asking of a certificate's subsidy (技师职业企业补贴) may be paid the training subsidies
        # for its workers' training (第五条's 给予职工个人或企业), not only the benefits paid to a holder.
        benefits += [b for b in topics.benefits if b.general and b not in benefits]
    if (people := wording.people(text)) and not named:
        # Read from what is asked, a benefit paid only to others is not asked of: a graduate's 考证补贴 is
        # no 技能提升补贴, which is the 企业职工's.
        benefits = [b for b in benefits if not b.people or people & set(b.people)]
    return aspect, benefits


def speaks_as_employer(text: str, topics: Topics, base: Retriever) -> bool:
    """企业 or 单位 as a word of its own, not inside 企业职工 or 事业单位, who are employees."""
    return not set(base.tokenizer.cut(text)).isdisjoint(topics.employer_words)


def _local(base: Retriever) -> list[Document]:
    return [d for d in base.documents.values() if not d.national]


def _not_covered(question: Question, base: Retriever, benefits: list[Benefit]) -> Decision:
    place = question.place
    local = _local(base)
    if place is not None and not covering(local, place):
        params = {"place": place.name, "covered": "、".join(covered_places(local))}
        return Decision("place_not_covered", [Reply("utter_policy_place_not_covered", params)])
    if benefits:
        topic = benefits[0].name
        if place is None:
            return Decision("not_covered", [Reply("utter_policy_topic_not_covered", {"topic": topic})])
        params = {"topic": topic, "place": place.name}
        return Decision("not_covered", [Reply("utter_policy_topic_not_covered_place", params)])
    return Decision("not_covered", [Reply("utter_policy_not_covered")])


def _place_choice(response: str, base: Retriever, passages: list[ScoredPassage]) -> Reply:
    """A reply naming the places whose documents hold the passages, each a button answering for it."""
    places = covered_places(base.documents[p.doc_id] for p in passages)
    buttons = [{"title": p, "payload": f'/ask_policy{{"region":"{p}"}}'} for p in places]
    return Reply(response, {"places": "、".join(places)}, buttons)


def _ask_place(pending: str, base: Retriever, passages: list[ScoredPassage]) -> Decision:
    reply = _place_choice("utter_policy_ask_place", base, passages)
    return Decision("ask_place", [reply], slots={PENDING_SLOT: pending})


def _awaiting_place(answer: Decision, pending: str) -> Decision:
    """A national answer to an asker whose place is not known: a place they tell next (我在南京) answers
    the question again for it, as after the place question."""
    return replace(answer, slots={**answer.slots, PENDING_SLOT: pending})


def _offering_local(
    answer: Decision, pending: str, base: Retriever, passages: list[ScoredPassage]
) -> Decision:
    """The national answer, then the places whose documents say more, to tap for their own answer."""
    offer = _place_choice(LOCAL_OFFER, base, passages)
    return _awaiting_place(replace(answer, replies=[*answer.replies, offer]), pending)


def decide_policy(
    question: Question,
    base: Retriever | None = None,
    topics: Topics | None = None,
    min_support: float = MIN_SUPPORT,
) -> Decision:
    base = base or get_retriever()
    topics = topics or get_topics()
    question = replace(question, text=topics.read(question.text))
    if other := other_benefit(question.text, topics, base):
        return other
    if missing := unheld_document(question.text, base.documents.values()):
        return Decision("not_covered", [Reply("utter_policy_document_not_held", {"document": missing})])
    if not about_the_documents(question.text, topics, base):
        return Decision("not_covered", [Reply("utter_policy_not_covered")])
    # The question waiting for a place is kept as asked, with the document it names.
    pending = question.text
    text, named_ids = named_documents(question.text, base.documents.values())
    question = replace(question, text=text)
    aspect, benefits = asked_benefits(question.text, topics, base)
    if itself := certificate_itself(question.text, topics, base):
        return itself

    # A programme only one place runs (湘培直通车, 粤菜师傅) is that place's: its documents answer,
    # labelled with their place, without asking where the asker is.
    own = None if question.place else _programme_place(question, base, topics)
    allowed = [d.doc_id for d in covering(base.documents.values(), question.place or own)]
    allowed = [d for d in allowed if d in named_ids] if named_ids else allowed
    of_no_subsidy = not (benefits or topics.subsidised.search(question.text))
    if aspect is None and of_no_subsidy and (question.place or own) is None:
        # Nothing ties a national clause to the question but shared words: it speaks of no benefit nor
        # subsidy and asks nothing a clause must state. On the real questions such answers cited a clause
        # holding the words by chance (区别 in 补贴标准……有所区别 for 两种证书有什么区别) three times in four
        # (docs/ANSWERS.md). Local documents may still say what their plans do, once the place is known.
        allowed = [d for d in allowed if not base.documents[d].national]
    if not allowed:
        return _not_covered(question, base, benefits)
    find = _Finder(question, base, topics, benefits, aspect, min_support, allowed)
    if question.place is None and find.permit:
        # A safety permit's subsidy is the places' own (天津's 安全技能培训补贴, 彭阳's catalogue rows): the
        # national rules on 职业资格证书 and 职业技能等级证书 do not answer for it.
        allowed = find.scope = [d for d in allowed if not base.documents[d].national]
    near: list[ScoredPassage] = []  # national clauses on the question's benefit, with no place known
    if question.place is None and not find.place_free:
        # No place known: a national clause answers everyone — unless a local document's clause names
        # what was asked more specifically (彭阳's catalogue row on 叉车 against the national clause on any
        # 证书). Then the answer depends on the place: for an aspect the national rule frames everywhere
        # (its standard's ceilings), the national answer is given now and those places are offered;
        # otherwise the place is asked. With no national clause stating what was asked, the one holding
        # the question's words is quoted as silent on it now.
        near, national = find([d for d in allowed if base.documents[d].national])
        local = find([d for d in allowed if not base.documents[d].national])[1]
        if national:
            answer = _answer(national[0], base, question, allowed, topics)
            if not (local and find.specificity(local[0]) > find.specificity(national[0])):
                return _awaiting_place(answer, pending)
            if topics.national_frame(aspect):
                return _offering_local(answer, pending, base, local)
        elif aspect is not None and (silent := find.silent(near)):
            # No national clause states it: the one on the question's words, quoted as not saying it,
            # answers now — and the places whose documents do say it are offered.
            return (
                _offering_local(silent, pending, base, local) if local else _awaiting_place(silent, pending)
            )
    on_topic, relevant = find(allowed)
    local = [p for p in relevant or on_topic if not base.documents[p.doc_id].national]
    if question.place is None and local and not (find.place_free or question.asked_place or own):
        # The answer depends on the place. An answer now beats another question: the national clause on
        # the benefit asked that comes nearest, quoted as not saying what was asked, and the places
        # whose documents say more offered.
        clauses = find.quotable(near)
        if clauses and benefits and (partial := find.partial(clauses)):
            return _offering_local(partial, pending, base, local)
        return _ask_place(pending, base, local)
    if relevant:
        return _answer(relevant[0], base, question, allowed, topics)
    if (quotable := find.quotable(on_topic)) and benefits and (partial := find.partial(quotable)):
        return partial
    return _not_covered(question, base, _unspoken(question, benefits, base, topics))


def _unspoken(question: Question, benefits: list[Benefit], base: Retriever, topics: Topics) -> list[Benefit]:
    """The benefits the question names that no clause of the documents covering the asker speaks of.
    One only read from what was asked (a certificate's subsidies, for 登高架设证补贴怎么领) or one a clause
    speaks of (技能提升补贴, whose national rules were set aside for a permit) gets no word that the
    documents have no rules on it: only that none answers."""
    by_document = document_benefits(base, topics)
    spoken = {b for d in covering(base.documents.values(), question.place) for b in by_document[d.doc_id]}
    asked = topics.training_benefits(question.text)
    return [b for b in benefits if b in asked and b.name not in spoken]


def _programme_place(question: Question, base: Retriever, topics: Topics) -> Place | None:
    """The place whose programme the question names: a glossary programme that is no benefit the topics
    know (those are run everywhere) and that the documents in force of one place alone speak of."""
    programmes = _local_programmes(base, topics, question.today)
    return next((place for name, place in programmes.items() if name in question.text), None)


@lru_cache(maxsize=1)
def _local_programmes(base: Retriever, topics: Topics, today: date) -> dict[str, Place]:
    """Programme name → its place, once per loaded base and day."""
    whole = document_texts(base)
    current = [d for d in base.documents.values() if in_force(d, today)]
    benefit_forms = {form for benefit in topics.benefits for form in benefit.forms}
    programmes = {}
    for term in base.glossary.terms:
        names = term.surface_forms
        if term.kind != PROGRAMME or benefit_forms.intersection(names):
            continue
        using = [d for d in current if any(n in whole.get(d.doc_id, "") for n in names)]
        regions = {d.region_chain[-1] for d in using}
        local = using and not any(d.national for d in using) and len(regions) == 1
        if local and (place := resolve_place(using[0].region)):
            programmes.update(dict.fromkeys(names, place))
    return programmes


@dataclass
class _Finder:
    """The clauses of some documents that are about the question's benefit (on topic) and, of those,
    the ones that state the aspect asked and hold its words (relevant), best first."""

    question: Question
    base: Retriever
    topics: Topics
    benefits: list[Benefit]
    aspect: Aspect | None
    min_support: float
    scope: list[str]  # the documents that may answer the asker (narrowed before the first search)

    def __post_init__(self) -> None:
        self.wording = get_wording(self.base)
        self.query = self.wording.generalised(self.question.text, self.topics)
        # Clauses are ranked by the question without its places: the scope has settled where the asker
        # is, and a place's name would order them (天津养老护理员培训有补贴吗 found the catalogue's note
        # first, 河西区… 第九条).
        self.ranked_by = self.wording.without_places(self.query)
        # Benefits the question names, not the ones read from what it asks (育婴师证补贴, 学按摩师补贴多少).
        self.named = bool(self.topics.training_benefits(self.question.text))
        # What a clause must hold is what the headline asks of; a subtitle's words (费用标准解读) only
        # tell the aspect and are searched with the rest.
        headline = self.topics.headline(self.question.text)
        held = (
            self.query if headline == self.question.text else self.wording.generalised(headline, self.topics)
        )
        words = self.wording.words(held, self.topics)
        # Read as the subsidy paid for a certificate, 考证补贴 and the exam sat for it (考试) describe the
        # benefit asked of, and are no words for a clause to hold.
        certificate = bool(self.benefits) and all(b.certificate for b in self.benefits)
        self.words = [w for w in words if not (certificate and self.wording.of_certifying(w, self.topics))]
        self.cues = self.wording.cue_words(self.query, self.topics)
        self.certified = self.wording.certified_occupations(self.query)
        self.levels = self.wording.levels(self.question.text)
        # A safety permit (低压电工证, 叉车证, or the class: 特殊工种证书); one named with a skill level (高级电工证)
        # is a 职业技能等级证书.
        permits = self.wording.permits(self.certified, self.topics) or self.topics.names_permits(self.query)
        self.permit = not self.levels and bool(permits)
        # A clause about a non-training benefit only (第十条 社会保险补贴) never answers; with a named
        # benefit, only the clauses about it are searched.
        clauses = passage_benefits(self.base, self.topics)
        self.about = [pid for pid, (_, neighbour_only) in clauses.items() if not neighbour_only]
        if self.benefits:
            named = {b.name for b in self.benefits}
            for general in (b for b in self.benefits if b.general):
                named |= {b.name for b in self.topics.kinds_of(general)}
            self.about = [pid for pid in self.about if clauses[pid][0] & named]
            if self.aspect is not None and self.aspect.document:
                self.about += self._of_whole_documents(self.about)
        elif self._attending_only():
            # Attending a training, no certificate named: a clause only on benefits paid for a certificate
            # and not for a training (第三条's caps on 技能提升补贴 for 失业培训要多少钱) is about something else.
            attending = self.topics.attending
            certificate = {
                b.name for b in self.topics.benefits if b.certificate and not attending.search(b.name)
            }
            self.about = [
                pid for pid in self.about if not (clauses[pid][0] and clauses[pid][0] <= certificate)
            ]
        if not self._as_employer():
            employers = employer_clauses(self.base, self.topics)
            self.about = [pid for pid in self.about if pid not in employers]
        claiming = self.aspect is not None and self.aspect.name in self.topics.claiming_aspects
        if claiming and (institution := self.wording.institution(self.question.text, self.topics)):
            # An institution asking what it may have or must meet (培训机构申报条件): a clause whose subject
            # is another (the people who may have a subsidy, the office paying it) does not answer.
            corpus = self.base.index.corpus
            self.about = [
                pid for pid in self.about if institution.search(first_sentence(corpus.by_id[pid].text))
            ]

    def _of_whole_documents(self, about: list[str]) -> list[str]:
        """The clauses stating the aspect asked, of the documents with a clause about the benefit asked:
        a document's own term (第三十四条 本办法自2022年8月1日起施行) is every one of its benefits'."""
        corpus = self.base.index.corpus
        documents = {corpus.by_id[pid].doc_id for pid in about}
        return [
            p.passage_id
            for p in corpus.passages
            if p.doc_id in documents and p.passage_id not in about and self.aspect.stated_in(p.text)
        ]

    @property
    def place_free(self) -> bool:
        return self.topics.place_free(self.aspect)

    def _attending_only(self) -> bool:
        """The question speaks of attending a training and of no certificate or certified occupation."""
        text = self.question.text
        return bool(self.topics.attending.search(text)) and not (
            self.topics.certifying.search(text) or self.certified
        )

    def _as_employer(self) -> bool:
        """The question names a benefit paid to employers, or speaks as one."""
        return any(b.employer for b in self.benefits) or speaks_as_employer(
            self.question.text, self.topics, self.base
        )

    @cached_property
    def answerable(self) -> bool:
        """Without a named benefit, the retrieval's own answerability gate decides whether any clause may
        answer, over all the documents: whether the base speaks of what was asked does not depend on where
        the asker is. The national ones alone may lack the question's words (叉车) and still hold the rule
        on any 证书; searched alone, the name of the asker's place decided it (在浙江省考叉车证能补多少钱
        passed on 浙江, which a document names, and 在重庆市… did not)."""
        if self.named:
            return True
        return self._search(list(self.base.documents), query=self.query).answerable

    def _search(
        self, documents: list[str], top_k: int = CANDIDATES, query: str | None = None
    ) -> SearchResult:
        return self.base.search(
            query or self.ranked_by,
            top_k,
            documents=[d for d in documents if self._on_level(d)],
            passages=self.about,
            neutral=self.cues | self.topics.question_words | self.topics.payer_words,
        )

    def _on_level(self, doc_id: str) -> bool:
        """The document's rules are on the skill level the question names, when they go level by level:
        the 2017 技能提升补贴 rule on 初级 to 高级 pays nothing for a 技师's (二级) certificate. A question
        naming the benefit asks of that rule, whose clause on the levels answers it (技师能申请技能提升补贴吗)."""
        levels = self.wording.document_levels.get(doc_id)
        return self.named or not (self.levels and levels) or bool(self.levels & levels)

    @cached_property
    def _below_level(self) -> frozenset[str]:
        """The documents whose rules go level by level and not to the level the question names (the 2017
        技能提升补贴 rule, 初级 to 高级, for a 高级技师): whatever was asked of them, their clauses on the
        levels answer — how to apply for a benefit the asker's certificate does not get is no answer."""
        return frozenset(
            doc_id
            for doc_id, levels in self.wording.document_levels.items()
            if self.levels and not self.levels & levels
        )

    def specificity(self, passage: ScoredPassage) -> float:
        return self.wording.specificity(self.words, passage, self.topics, self.cues)

    def support(self, passage: ScoredPassage) -> float:
        return self.wording.support(self.words, passage, self.topics, self.cues)

    def __call__(self, documents: list[str]) -> tuple[list[ScoredPassage], list[ScoredPassage]]:
        if not (documents and self.answerable):
            return [], []
        result = self._search(documents)
        relevant = [p for p in result.passages if self._answers(p)]
        # The asker's own documents are each searched too: the clause that answers may lie below the
        # nearest hits over all documents (彭阳's catalogue rows, all holding 证, crowd out its procedure).
        local = [d for d in documents if self.question.place and not self.base.documents[d].national]
        if not relevant and not local:
            return result.passages, []
        # The document: in force first, then the one whose clause names what was asked most specifically
        # (彭阳's catalogue row on 叉车 before the national clause on any 证书), then the most local (a
        # county's rule implements its province's and the nation's), then one with a section on the
        # aspect asked (三、补贴标准 for 什么标准), then the nearest. The clause within it is chosen by the
        # aspect among all of the document's clauses: the one under the heading that names it (二、审核程序
        # for 怎么申请) may lie outside the nearest hits, which follow the question's topic words.
        documents_of = self.base.documents

        nearest = {p.passage_id: i for i, p in enumerate(result.passages)}
        searched = {d: self._clauses(d, nearest) for d in dict.fromkeys([p.doc_id for p in relevant] + local)}
        candidates = {d: clauses for d, clauses in searched.items() if clauses}
        if not candidates:
            return result.passages, []

        def standing(doc_id: str) -> tuple[bool, float, int, int]:
            document, best = documents_of[doc_id], candidates[doc_id][0]
            specific = round(self.specificity(best), 1)
            under = self.under(best)
            return not in_force(document, self.question.today), -specific, -_rank(document), -under

        chosen = min(candidates, key=standing)
        others = [p for p in relevant if p.doc_id != chosen]
        return result.passages, candidates[chosen] + others

    def _clauses(self, doc_id: str, nearest: dict[str, int]) -> list[ScoredPassage]:
        """The document's clauses that answer, best first; among equals asked of a benefit, the one naming
        fewest benefits (第六条 on 职业技能评价补贴 before 第四条 listing every subsidy the fund pays), then the
        order of the nearest hits over all documents, then the document's own. All of its clauses are
        weighed: 彭阳's catalogue rows, all holding 证, would crowd its procedure out of the nearest ones."""
        within = self._search([doc_id], len(self.base.index.corpus.passages))
        clauses = [p for p in within.passages if self._answers(p)]
        named = passage_benefits(self.base, self.topics)
        return sorted(
            clauses,
            key=lambda p: (
                *self.squareness(p),
                len(named[p.passage_id][0]) if self.benefits else 0,
                nearest.get(p.passage_id, len(nearest)),
            ),
        )

    def under(self, passage: ScoredPassage) -> int:
        """How many of the headings above the clause name the aspect asked."""
        if self.aspect is None:
            return 0
        return sum(self.aspect.heads(self.topics.heading_aspect(h)) for h in _headings(passage))

    def squareness(self, passage: ScoredPassage) -> tuple[float, ...]:
        """Sort key of the clauses of one document, best first. An aspect a clause must state (怎么申请)
        ranks by a heading naming it and its preferred words, then by how specifically the clause names
        what was asked (彭阳's row on 叉车司机 before its clause listing amounts for every level), then by how
        many of the aspect's words it holds; an aspect any clause on the topic may answer (能不能, 是什么)
        ranks by what it names first."""
        specific = -self.specificity(passage)
        if self.aspect is None:
            return (specific,)
        heading = (-self.under(passage), not self.aspect.preferred(passage.text))
        cues = -self.aspect.cues_in(passage.text)
        return (*heading, round(specific, 1), cues) if self.aspect.stated else (specific, *heading, cues)

    def quotable(self, on_topic: list[ScoredPassage]) -> list[ScoredPassage]:
        """The passages that may be quoted as silent on what was asked: no preamble, and no table row that
        does not speak of the question (彭阳's row on 特种设备焊接作业, with its 市场监管部门, is nothing to quote
        for 培训机构套取培训补贴怎么处理)."""
        return [p for p in on_topic if p.kind != PREAMBLE and self._row_speaks(p)]

    def _row_speaks(self, passage: ScoredPassage) -> bool:
        """A table row speaks only of what it names: of a question with words of its own, beyond how it asks,
        that the row holds (彭阳有哪些培训补贴 is not asked of the row on 高处作业, nor 要准备哪些资料 of the row
        holding 准备). Any other passage may."""
        own = any(w not in self.cues for w in self.words)
        return passage.kind != TABLE_ROW or (own and self._holds(passage))

    def silent(self, on_topic: list[ScoredPassage]) -> Decision | None:
        """The partial answer from the clause nearest the aspect among those holding the question's words,
        about the benefit named or, with none named, the one the clause names; None without such a
        clause."""
        holding = [p for p in self.quotable(on_topic) if self._holds(p)]
        if not holding:
            return None
        clause = self.closest(holding)
        named = self.benefits or [
            b
            for b in self.topics.benefits
            if b.name in passage_benefits(self.base, self.topics)[clause.passage_id][0]
        ]
        if len(named) != 1:
            return None
        return _partial(clause, self.base, self.question, named[0], self.aspect, self.topics)

    def partial(self, on_topic: list[ScoredPassage]) -> Decision | None:
        """The partial answer from the clause on the benefit asked that comes nearest the aspect, about the
        benefit asked that the clause names: where it states the aspect (第三条's caps for 能拿多少), what it
        does not say is the question's words it lacks (报名费用). Lacking none, the clause answers: in
        general words (第五条 on who may have 职业培训补贴, for 学电焊有补助吗). None when the aspect wants a
        clause near it (`near`) and the nearest is not: 第五条 on who may have it says nothing near 追责措施."""
        clause = self.closest(on_topic)
        if not self.near_aspect(clause):
            return None
        named = passage_benefits(self.base, self.topics)[clause.passage_id][0]
        benefit = next((b for b in self.benefits if b.name in named), self.benefits[0])
        stated = self.aspect is None or self.aspect.stated_in("\n".join((*clause.context, clause.text)))
        unsaid = self.wording.unsaid(self.words, clause, self.topics, self.question.text) if stated else ""
        if stated and not unsaid:
            return _answer(clause, self.base, self.question, self.scope, self.topics)
        return _partial(clause, self.base, self.question, benefit, self.aspect, self.topics, unsaid)

    def near_aspect(self, passage: ScoredPassage) -> bool:
        """The clause states the aspect asked, lies under a heading naming it or holds a word it prefers. For
        an aspect without `near`, any clause on the benefit is near enough: 第五条 on who may have 职业培训补贴
        is quoted for 申请流程."""
        aspect = self.aspect
        return (
            aspect is None
            or not aspect.near
            or aspect.stated_in("\n".join((*passage.context, passage.text)))
            or self.under(passage) > 0
            or aspect.preferred(passage.text)
        )

    def closest(self, on_topic: list[ScoredPassage]) -> ScoredPassage:
        """The clause on the benefit that comes nearest the aspect asked, to quote as not saying it: one of
        a document in force first, then the one under a heading naming the aspect, then the one with most
        of its cue words (发放 for 多久到账: the clause on how the money is paid, not the conditions), then
        the one naming fewest other benefits (第六条 on 职业技能评价补贴, not 第四条 listing every subsidy
        the fund pays), then the one holding most of the question's words; ties keep the retrieval order."""
        named = passage_benefits(self.base, self.topics)
        aspect = self.aspect
        return min(
            on_topic,
            key=lambda p: (
                not in_force(self.base.documents[p.doc_id], self.question.today),
                -self.under(p),
                -(aspect.cues_in(p.text) if aspect else 0),
                not (aspect and aspect.preferred(p.text)),
                not self._leads_with_benefit(p),
                len(named[p.passage_id][0]),  # a clause about the benefit before a list of many benefits
                -self.support(p),
                -self._said_of_benefit(p) if aspect else 0,
            ),
        )

    def _said_of_benefit(self, passage: ScoredPassage) -> int:
        """How many aspects the clause's sentences naming a benefit asked state: silent on the aspect asked
        (多久到账), 彭阳's 以工代训 sentence still says who, for how long and how much; the one on the county's
        funds only that they pay for it."""
        naming = [s for s in passage.text.split("。") if any(f in s for f in self._benefit_forms)]
        return sum(1 for a in self.topics.aspects if a.stated and any(a.stated.search(s) for s in naming))

    def _leads_with_benefit(self, passage: ScoredPassage) -> bool:
        """The clause's first sentence names a benefit asked: it is about it (第五条 享受职业培训补贴的人员范围),
        not a list naming it among others (第四条 on what the fund pays for)."""
        first = first_sentence(passage.text)
        return any(form in first for form in self._benefit_forms)

    @cached_property
    def _benefit_forms(self) -> tuple[str, ...]:
        return tuple(f for b in self.benefits for f in b.forms)

    def _answers(self, passage: ScoredPassage) -> bool:
        """The clause states the aspect asked and holds enough of the question's words — or it is in the
        section a document gives that aspect of the benefit named (一、申领条件 of 技能提升补贴 for "必须在职
        吗"), which answers though it lacks the question's other words (在职, 印刷企业). A preamble is no
        clause: 如何参加免费就业(创业)培训 is not answered by the 2017 rule's preamble quoting 国发〔2017〕28号.
        Nor is a table row that does not speak of the question."""
        if passage.kind == PREAMBLE:  # what its document is for, and the rules it quotes from others
            return False
        if not self._row_speaks(passage):
            return False
        if passage.doc_id in self._below_level:
            headed = (self.topics.heading_aspect(h) for h in _headings(passage))
            stating = any(a is not None and a.name == self.topics.levels_aspect for a in headed)
            return stating and bool(self.wording.levels(passage.text))
        if self.named and self.under(passage):
            return True
        stated = self.aspect is None or self.aspect.stated_in("\n".join((*passage.context, passage.text)))
        return stated and self._holds(passage)

    def _holds(self, passage: ScoredPassage) -> bool:
        """The clause holds enough of the question's words, and each certificate it names (or 证书). What
        defines a term holds all of it, from any document: a clause holding 面向社会开展 (整合机构资源) says
        nothing of what 面向社会开展职业技能等级认定 means."""
        certified = self.wording.speaks_of(self.certified, passage, self.topics)
        return certified and self.support(passage) >= (1.0 if self.place_free else self.min_support)


def _headings(passage: ScoredPassage) -> tuple[str, ...]:
    """The headings above a clause, and its own when it leads its section (一、申领条件 on its first line) —
    not a sentence introducing a list (第二十五条 生活费补贴按照以下程序经办：)."""
    first, newline, _ = passage.text.partition("\n")
    sentence = "。" in first or first.rstrip().endswith(LIST_LEADS)
    own = (first,) if newline and len(first) <= MAX_HEADING and not sentence else ()
    return (*passage.context, *own)


def _cited(chosen: ScoredPassage, quoted: ScoredPassage, base: Retriever) -> list[dict[str, Any]]:
    """The citations of a quoted clause: the clause chosen — and, when it is the sentence introducing a
    list (同时符合以下条件的企业职工……：), the items quoted with it, which are what it says; when it is an
    item quoted with its list, the sentence introducing the list, which says what the items are for."""
    if not chosen.text.rstrip().endswith(LIST_LEADS):
        lead = lead_of(chosen, sections_of(base)) if quoted.text != chosen.text else None
        return [quoted.citation()] + ([_as_cited(chosen, lead)] if lead is not None else [])
    return [chosen.citation()] + [_as_cited(chosen, p) for p in _items(chosen, base)]


def _as_cited(chosen: ScoredPassage, passage: Passage) -> dict[str, Any]:
    """The citation of another passage of the chosen clause's document."""
    return replace(
        chosen, passage_id=passage.passage_id, section=passage.section, text=passage.text
    ).citation()


def _items(lead: Passage | ScoredPassage, base: Retriever) -> list[Passage]:
    """The passages of the lead's section below it (一、（一）, 一、（二） for 一、)."""
    return [
        p
        for (doc_id, section), p in sections_of(base).items()
        if doc_id == lead.doc_id and section != lead.section and section.startswith(lead.section)
    ]


def _whole_list(passage: ScoredPassage, base: Retriever) -> ScoredPassage:
    """A list is quoted whole: an item (一、（二）) with the sentence that introduces it and the other items,
    a lead ending in "：" with its items — one condition alone would read as the whole rule, and the
    lead alone says nothing. The citation stays the clause that answers."""
    sections = sections_of(base)
    own = sections.get((passage.doc_id, passage.section))
    lead = own if own is not None and own.text.rstrip().endswith(LIST_LEADS) else lead_of(passage, sections)
    if lead is None or not lead.text.rstrip().endswith(LIST_LEADS):
        return passage
    return replace(
        passage,
        text="\n".join((lead.text, *(p.text for p in _items(lead, base)))),
        context=lead.context,
        summary=base.index.corpus.summaries.get(lead.passage_id),
    )
