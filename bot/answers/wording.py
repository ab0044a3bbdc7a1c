"""Does a clause speak of what the question speaks of? The share of the question's informative words
that the clause contains, each word weighted by how rare it is in the knowledge base.

Dense retrieval finds the nearest clause, not a clause that answers: "长沙职业院校社会培训收入怎么分配"
lands on a 职业院校 clause about certificates. Its rare words (收入, 分配) are what the clause must carry.
A word counts as present when the clause holds it or, for a synonym, its glossary term (外省考的证 →
证书直补). Place names are the scope's business and question words (多少钱, 怎么处理) the
aspect's, so neither counts here. A word the base never uses counts by the words it is made of that the
base knows; one with none counts only when the question has no known word besides: then it is what the
question is about (降温费, 公租房), and no clause holds it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from bot.answers.topics import Topics, longest_matches
from bot.answers.vocabulary import CERTIFIED_ENDINGS, OCCUPATION_ENDINGS, document_texts, trade_names
from bot.gazetteer import TOWN_ENDING, place_names
from bot.subsidy import ambiguous_certificates, field_values, known_certificates
from retrieval.corpus import TABLE_ROW
from retrieval.search import COLLOQUIAL_AFFIXES, Retriever, ScoredPassage
from retrieval.tokenizer import STOPWORDS

CERTIFICATE_SUBSIDY = re.compile(r"\w*证(书)?(补贴|补助)")  # a subsidy named by its certificate
GENERAL_CREDIT = 0.5  # a general word (证书) for the one asked of (电工证), when ranking clauses
MAX_WEIGHTS_KEPT = 50_000  # word weights kept between questions
MENDED_WORDS = 3  # words before a cut-off ending tried as an occupation's name (应急 + 救援 + 员)
OPENING_WORDS = 5  # words the name of an institution a question opens with may take (职业技能 + 鉴定 + 机构)
INSTITUTION_GAP = 4  # characters between an institution's word and its head in a clause (培训实训基地)
YEAR = re.compile(r"\d+年?")
NOUN_CHARACTERS = re.compile(r"[\u4e00-\u9fff]+")  # Chinese words only: a space or mark ends the opening
LEVEL_SCALE = 3  # levels a document names to have rules by level (技工院校's 高级工班, 技师班 are no scale)


@dataclass
class Wording:
    retriever: Retriever

    @cached_property
    def _texts(self) -> list[str]:
        corpus = self.retriever.index.corpus
        return [p.index_text(corpus.documents[p.doc_id]).lower() for p in corpus.passages]

    @cached_property
    def _synonyms(self) -> dict[str, tuple[str, ...]]:
        """A synonym → itself and its glossary term (外省考的证 → 证书直补). Not the other way: a term's
        synonyms may be wider than it (马兰花创业培训 is not any 创业培训)."""
        return {form: (form, term.term) for term in self.retriever.glossary.terms for form in term.synonyms}

    def _names(self, word: str) -> tuple[str, ...]:
        """The word and what else names the same thing: its glossary term, its catalogue row (塔吊司机 →
        塔式起重机械司机), and for a certificate its occupation (应急救援员证 → 应急救援员)."""
        stem = _stem(word)
        stems = (stem,) if stem != word and self._certified(word) else ()
        row = (self._rows[word],) if word in self._rows else ()
        return tuple(dict.fromkeys((*self._synonyms.get(word, (word,)), *row, *stems)))

    @cached_property
    def _levels(self) -> frozenset[str]:
        return frozenset(name for name, _ in self._level_names)

    @cached_property
    def _level_names(self) -> list[tuple[str, str]]:
        return _value_names("skill_level")

    def levels(self, text: str) -> frozenset[str]:
        """The skill levels the text names (高级技师 for 一级; 高级工 for 高级 or 三级)."""
        return frozenset(longest_matches(text, self._level_names))

    def people(self, text: str) -> frozenset[str]:
        """The kinds of person the calculator knows that the text names (毕业年度高校毕业生 for 大专毕业生;
        下岗职工 is 城镇登记失业人员, not 企业职工)."""
        return frozenset(longest_matches(text, _value_names("person_type")))

    @cached_property
    def document_levels(self) -> dict[str, frozenset[str]]:
        """Document → the skill levels its rules name: a rule naming 初级 to 高级 (the 2017 技能提升补贴) is
        no rule on a 技师's certificate; a document naming none speaks of any level."""
        levels: dict[str, set[str]] = {}
        for p in self.retriever.index.corpus.passages:
            levels.setdefault(p.doc_id, set()).update(self.levels(p.text))
        return {doc_id: frozenset(named) for doc_id, named in levels.items() if len(named) >= LEVEL_SCALE}

    def _general(self, word: str, topics: Topics) -> tuple[str, ...]:
        """The general words that stand for one occupation, certificate or level (a rule on 证书 covers
        电工证)."""
        if word in self._levels:
            return topics.level_words
        # 考证补贴, 持证补贴: a subsidy named by its certificate stands for any certificate too.
        certificate = word in trade_names(self.retriever) or word.endswith(OCCUPATION_ENDINGS)
        if certificate or CERTIFICATE_SUBSIDY.fullmatch(word):
            # A safety permit's class (特种作业操作证) stands for it too: 低压电工 is one.
            permit = bool(self.permits([word], topics))
            return topics.occupation_words + (topics.permit_categories if permit else ())
        return ()

    def _forms(self, word: str, topics: Topics) -> tuple[str, ...]:
        """What a clause may hold for the word to count: the word, its glossary term, its general words."""
        return self._names(word) + self._general(word, topics)

    @cached_property
    def _boundaries(self) -> dict[str, frozenset[int]]:
        return {}

    def holds(self, form: str, text: str) -> bool:
        """The text holds the form as a word, as words, or inside one word — not straddling the edge of a
        word: "在职" is not in "应在职业资格" (应在 / 职业资格)."""
        start = text.find(form)
        if start < 0:
            return False
        if text not in self._boundaries:
            self._boundaries[text] = self.retriever.tokenizer.boundaries(text)
        bounds = self._boundaries[text]
        while start >= 0:
            end = start + len(form)
            if (start in bounds and end in bounds) or bounds.isdisjoint(range(start + 1, end)):
                return True
            start = text.find(form, start + 1)
        return False

    def _presence(self, word: str, text: str, topics: Topics) -> float:
        """1 when the text holds the word (or its glossary term), GENERAL_CREDIT when only a general word
        for it, else 0."""
        if any(self.holds(f, text) for f in self._names(word)):
            return 1.0
        return GENERAL_CREDIT if any(self.holds(f, text) for f in self._general(word, topics)) else 0.0

    @cached_property
    def _weights(self) -> dict[tuple[str, tuple[str, ...], tuple[str, ...]], float]:
        return {}

    def _weight(self, word: str, topics: Topics) -> float:
        """Inverse document frequency over the passages; a word no passage holds weighs the most.
        Computed once per word and general words."""
        key = (word, topics.occupation_words, topics.level_words)
        if key not in self._weights:
            if len(self._weights) >= MAX_WEIGHTS_KEPT:  # words come from what people type: bounded
                self._weights.clear()
            forms = self._forms(word, topics)
            df = sum(1 for text in self._texts if any(self.holds(f, text) for f in forms))
            self._weights[key] = math.log((len(self._texts) + 1) / (df + 0.5))
        return self._weights[key]

    def generalised(self, question: str, topics: Topics) -> str:
        """The question with each occupation or certificate the base never names put as the general
        word for it (保育员证 → 证书): the rules on any 证书 are the rules on it, as for the ones it names;
        and each the base does not know that the calculator files under a catalogue row put as the row's
        name (塔吊 → 塔式起重机械司机)."""
        for name in self.occupations(question):
            if self.retriever.is_known(name):
                continue
            row = self._rows.get(name) or self._rows.get(_stem(name))
            if row and row not in name and self._named_in_base(row):
                question = question.replace(name, row)
        words = self._mended(question)
        for index, word in enumerate(words):
            stem = _stem(word)
            if not (self._named_in_base(stem) or self._named_in_base(word)) and self._certified(word):
                # The words before it that are part of its name go with it (公共 + 营养师), unless the
                # base names a trade with them (民航 of 民航安全检查员 says which catalogue row answers).
                start = index + 1 - self._name_words(words[: index + 1])
                while start < index and self._names_a_trade_in_base(words[start]):
                    start += 1
                general = topics.occupation_words[0]
                before = words[start - 1] if start else ""
                if len(before) == 1 and self.retriever.tokenizer.cut(before + general)[0] != before:
                    start -= 1  # 考 + 证书 would be read 考证 + 书: the verb before the name goes with it
                question = question.replace("".join(words[start : index + 1]), general)
        return question

    def without_places(self, question: str) -> str:
        """The question without the places it names."""
        return "".join(w for w in self.retriever.tokenizer.cut(question) if w not in place_names())

    def places(self, question: str) -> list[str]:
        """The places the question names, as its words give them (北京市, 常德), not a town's name (红河镇)."""
        words = self.retriever.tokenizer.cut(question)
        return [
            w
            for i, w in enumerate(words)
            if w in place_names() and not TOWN_ENDING.match("".join(words[i + 1 : i + 2]))
        ]

    def occupations(self, question: str) -> list[str]:
        """The occupations and certificates the question names (美容师证, 铲车, 消防设施操作员, or 茶艺师 that
        the base never names) — not its skill levels (技师, 高级工), nor people the base speaks of (职工),
        nor two characters the base never uses as a trade (打工, 务工)."""
        named = []
        for word in self._joined(self._mended(question)):
            stem = _stem(word)
            # A trade, or a certificate the calculator knows by a name holding 证 (危化证).
            trade = (stem in trade_names(self.retriever) or word in self._rows) and stem not in self._levels
            unknown = len(word) > 2 and self._certified(word) and not self._named_in_base(stem)
            if trade or unknown:
                named.append(word)
        return named

    def _joined(self, words: list[str]) -> list[str]:
        """The words, each joined to the ones before it (up to MENDED_WORDS) when they name a trade together
        that jieba cut apart (高压 + 电工证 → 高压电工证, one permit, not any 电工证; 天 + 车 + 司机)."""
        joined: list[str] = []
        trades = trade_names(self.retriever)
        for word in words:
            # The longest run of words before it that names a trade with it (天 + 车 + 司机 → 天车司机).
            k = next(
                (
                    k
                    for k in range(min(len(joined), MENDED_WORDS), 0, -1)
                    if "".join(joined[-k:]) + word in trades
                ),
                0,
            )
            if k:
                joined[-k:] = ["".join(joined[-k:]) + word]
            else:
                joined.append(word)
        return joined

    def certified_occupations(self, question: str) -> list[str]:
        """The certified occupations and the certificates the question names (叉车证, 育婴师), not the
        trades no certificate is named for (骑手)."""
        return [w for w in self.occupations(question) if self._certified(w)]

    def permits(self, occupations: list[str], topics: Topics) -> list[str]:
        """The occupations or certificates that a catalogue row, one of whose cells is them or their glossary
        term, files as a safety permit: 叉车证 is 彭阳's 叉车司机 row, 特种设备安全管理和作业人员. A trade's name
        that fits several rows (电工证: 低压电工作业, 高压电工作业, 建筑电工) is no one permit's: the trade has
        skill-level certificates too, which the national rules pay for."""
        permits = self._permit_cells(topics)
        return [w for w in occupations if w not in self._trades and permits.intersection(self._names(w))]

    @cached_property
    def _permit_cells_by(self) -> dict[tuple[str, tuple[str, ...]], frozenset[str]]:
        return {}

    def _permit_cells(self, topics: Topics) -> frozenset[str]:
        """The cells of the catalogue rows filed as safety permits, read once."""
        key = (topics.permit_column, topics.permit_categories)
        if key not in self._permit_cells_by:
            self._permit_cells_by[key] = frozenset(
                cell
                for row in self._catalogue_rows
                if any(c in row.get(topics.permit_column, "") for c in topics.permit_categories)
                for cell in row.values()
            )
        return self._permit_cells_by[key]

    @cached_property
    def _trades(self) -> frozenset[str]:
        """The calculator's spoken names that fit several catalogue rows (电工证, 焊工证)."""
        return frozenset(ambiguous_certificates())

    @cached_property
    def _rows(self) -> dict[str, str]:
        """The calculator's spoken name of a catalogue row → the row's name (高压电工证 → 高压电工作业)."""
        return {alias: row for row, aliases in known_certificates().items() for alias in aliases}

    @cached_property
    def _calculator_certificates(self) -> frozenset[str]:
        """Every name the calculator knows a certificate by: the rows' and their spoken ones."""
        return frozenset(self._rows) | frozenset(known_certificates())

    @cached_property
    def _catalogue_rows(self) -> list[dict[str, str]]:
        """The cells of every catalogue row of the base, by column."""
        return [p.row for p in self.retriever.index.corpus.passages if p.row]

    def _mended(self, question: str) -> list[str]:
        """The question's words, with an occupation's ending that jieba cut off put back on its name
        (茶艺 + 师证 → 茶艺师证; 应急 + 救援 + 员证 → 应急救援员证, a name the base knows, before 救援员证;
        全 + 媒体 + 运营 + 师 → 全媒体运营师, a name it does not know, all of it; 茶艺 + 师有 → 茶艺师 + 有)."""
        words: list[str] = []
        for word in self.retriever.tokenizer.cut(question):
            ending, rest = word[:1], word[1:]
            # 保育员 + 证 → 保育员证; 保育员 + 证能领 → 保育员证 + 能领: a certificate's 证 cut from its occupation.
            whole = rest in ("", "书")
            after_occupation = bool(words) and words[-1].endswith(CERTIFIED_ENDINGS)
            if ending == "证" and after_occupation and (whole or rest[:1] in tuple(COLLOQUIAL_AFFIXES)):
                words[-1] += word if whole else ending
                words += [] if whole else [rest]
                continue
            certificate = rest in ("", "证", "证书")
            glued = not certificate and rest in COLLOQUIAL_AFFIXES  # 师有: the ending and the next word
            if not (words and ending in CERTIFIED_ENDINGS and (certificate or glued) and words[-1].isalpha()):
                words.append(word)
                continue
            tail, rest = (ending, rest) if glued else (word, "")
            names = ["".join(words[-k:]) + ending for k in range(1, min(len(words), MENDED_WORDS) + 1)]
            known = [k for k, name in enumerate(names, 1) if self._names_trade(name)]
            k = known[-1] if known else self._name_words(words)
            words[-k:] = ["".join(words[-k:]) + tail]
            words += [rest] if rest else []
        return words

    def _name_words(self, words: list[str]) -> int:
        """How many of the last words make an occupation's name the base does not know: nouns of its
        name, not a verb or particle before it (考, 一名) nor a place, a skill level (高级) or a question word."""
        k = 1
        while k < min(len(words), MENDED_WORDS):
            word = words[-k - 1]
            if not word.isalpha() or word.lower() in STOPWORDS or not word.strip(COLLOQUIAL_AFFIXES):
                break
            if word in place_names() or word in self._levels or self.retriever.is_known(word) is None:
                break
            k += 1
        return k

    def _named_in_base(self, name: str) -> bool:
        """The documents name it (应急救援员 in 彭阳's catalogue), though jieba may cut it into pieces."""
        names = {name, self._rows.get(name, name)}  # 塔吊 is named by its row, 塔式起重机械司机
        return any(self.retriever.is_known(n) for n in names) or any(
            n in t for t in document_texts(self.retriever).values() for n in names
        )

    @cached_property
    def _trades_in_base(self) -> tuple[str, ...]:
        """The trade names the documents name (民航安全检查员 in 彭阳's catalogue), found once."""
        return tuple(t for t in trade_names(self.retriever) if self._named_in_base(t))

    def _names_a_trade_in_base(self, word: str) -> bool:
        return any(word in t for t in self._trades_in_base)

    def _names_trade(self, name: str) -> bool:
        return name in trade_names(self.retriever) or bool(self.retriever.is_known(name))

    def _certified(self, word: str) -> bool:
        """An occupation that is certified (保育员, 美发师), or the certificate of one (保育员证, 厨师证) — not
        any paper called 证 (结婚证, 驾驶证)."""
        if word in self._calculator_certificates:  # 消防证, 低压电工作业
            return True
        stem = _stem(word)
        if stem == word:
            return word.endswith(CERTIFIED_ENDINGS)
        return stem.endswith(CERTIFIED_ENDINGS) or stem in trade_names(self.retriever)

    def of_certifying(self, word: str, topics: Topics) -> bool:
        """The word names getting a certificate — a subsidy named by it (考证补贴, 持证补贴) or its exam (考试,
        考证) — and not a certificate or occupation itself (电工证, 证书)."""
        if CERTIFICATE_SUBSIDY.fullmatch(word):
            return True
        certificate = self._certified(word) or word in topics.occupation_words
        return bool(topics.certifying.search(word)) and not certificate

    def words(self, question: str, topics: Topics) -> list[str]:
        """The informative words of the question: not places, not question words (申请, 多少 …, or matched
        by an aspect's cue such as 处理), not the words of a benefit it names (that is the topic check's).
        Words the base never uses are left to the retrieval's coverage gate unless the question has no
        other: "郑州公租房申请流程" is about 公租房, and an empty list would let any clause hold it."""
        patterns = [a.asked for a in topics.aspects]
        benefit_forms = topics.names_in(question)
        content = [
            word
            for word in self.retriever.content_words(question)
            if not any(p.search(word) for p in patterns)  # 有效期 is a cue, whatever its parts
        ]
        informative = [
            w
            for w in dict.fromkeys(part for word in content for part in self._known_parts(word))
            if w not in place_names()
            and w not in topics.question_words
            and self.retriever.is_known(w) is not None
            and not any(p.search(w) for p in patterns)
            and not any(w in f for f in benefit_forms)
        ]
        known = [w for w in informative if self.retriever.is_known(w)]
        return known or informative

    def _known_parts(self, word: str) -> list[str]:
        """The word, or for a word the base never uses, the words it is made of that the base knows:
        户籍地 is 户籍 here, 中级职称 is 中级 + 职称 — what a clause must hold to speak of it; with none,
        the word itself."""
        if self.retriever.is_known(word) is not False:
            return [word]
        parts = [p for p in self.retriever.tokenizer.parts(word) if self.retriever.is_known(p)]
        return [p for p in parts if not any(p != other and p in other for other in parts)] or [word]

    def institution(self, question: str, topics: Topics) -> re.Pattern[str] | None:
        """The kind of institution the question opens with, after its place and year (培训机构申报条件,
        广州家政服务培训基地补助): its word before the head, then the head (培训, 机构), as a clause names it
        (培训机构, 社会培训机构, 培训实训基地); None when it opens otherwise."""
        tokenizer = self.retriever.tokenizer
        words = tokenizer.cut(question)
        start = next((i for i, w in enumerate(words) if w not in place_names() and not YEAR.fullmatch(w)), 0)
        for i, word in enumerate(words[start : start + OPENING_WORDS], start):
            # A name holds no function word, and a subsidy named first is what the question is about:
            # 培训补贴发给个人还是机构 asks of the subsidy, to whom it is paid.
            if (
                not NOUN_CHARACTERS.fullmatch(word)
                or tokenizer.is_function_word(word)
                or topics.subsidised.search(word)
            ):
                return None
            head = next((h for h in topics.institution_heads if word.endswith(h)), None)
            # jieba may keep the head with its word (培训基地) or cut it off (培训 + 机构).
            before = word.removesuffix(head) if head else ""
            before = before or (words[i - 1] if i > start else "")
            if head and before:
                return re.compile(f"{re.escape(before)}[^。；，]{{0,{INSTITUTION_GAP}}}{re.escape(head)}")
        return None

    def cue_words(self, question: str, topics: Topics) -> frozenset[str]:
        """The words of the question's aspect cues (时间限制 is 时间 + 限制, 一次吗 …): they say what is
        asked, and a clause may state it in its own words (之日起12个月内), so they count for a clause
        only when it holds them. A cue's gap never hides an occupation or level ("怎么给叉车证报")."""
        tokenizer = self.retriever.tokenizer
        asked = topics.outside_names(question)
        matched = (m.group() for a in topics.aspects for m in a.asked.finditer(asked))
        # A cue word the base never uses counts by its known parts, as the question's words do (多长时间: 时间).
        return frozenset(
            part
            for cue in matched
            for w in tokenizer.content_words(cue)
            if not self._general(w, topics)
            for part in {w, *self._known_parts(w)}
        )

    def speaks_of(self, occupations: list[str], passage: ScoredPassage, topics: Topics) -> bool:
        """The passage holds each of the occupations or certificates, or a general word for it (证书): a
        clause on the fund's yearly budget holds 每年 of "叉车证补贴国家每年都有吗" and nothing of 叉车证."""
        text = self._text(passage)
        # A table row speaks of the certificate it names alone: its column heading (职业资格名称) is no rule
        # on any 职业资格 that would cover 塔吊司机 on the row of 叉车司机.
        least = 1.0 if passage.kind == TABLE_ROW else GENERAL_CREDIT
        return all(self._presence(w, text, topics) >= least for w in occupations)

    def support(
        self, words: list[str], passage: ScoredPassage, topics: Topics, optional: frozenset[str] = frozenset()
    ) -> float:
        """Weighted share of `words` the passage (with its document's name and its headings) contains,
        a general word counting for the word, an `optional` word only when present; 1.0 for no words."""
        return self._share(words, optional, passage, topics, lambda presence: float(presence > 0))

    def specificity(
        self, words: list[str], passage: ScoredPassage, topics: Topics, optional: frozenset[str] = frozenset()
    ) -> float:
        """Like support, but a general word counts only GENERAL_CREDIT: the catalogue row naming 焊工
        speaks to "焊工证能补贴不" more squarely than the clause on any 证书."""
        return self._share(words, optional, passage, topics, lambda presence: presence)

    def _share(
        self,
        words: list[str],
        optional: frozenset[str],
        passage: ScoredPassage,
        topics: Topics,
        credit: Callable[[float], float],
    ) -> float:
        text = self._text(passage)
        presence = {w: self._presence(w, text, topics) for w in words}
        counted = {w: self._weight(w, topics) for w in words if w not in optional or presence[w]}
        total = sum(counted.values())
        present = sum(weight * credit(presence[w]) for w, weight in counted.items())
        return present / total if total else 1.0

    def unsaid(self, words: list[str], passage: ScoredPassage, topics: Topics, question: str) -> str:
        """The question's words the clause holds nothing for, as the question puts them: adjacent ones
        joined (社区 + 护工 → 社区护工), others apart with 、."""
        text = self._text(passage)
        spans = sorted(
            (start, start + len(w))
            for w in words
            if not self._said(w, text, topics) and (start := question.find(w)) >= 0
        )
        runs: list[list[int]] = []
        for start, end in spans:
            if runs and runs[-1][1] == start:
                runs[-1][1] = end
            else:
                runs.append([start, end])
        return "、".join(question[start:end] for start, end in runs)

    def _said(self, word: str, text: str, topics: Topics) -> bool:
        """The text holds the word, or each of the words it is made of (人员培训: 人员 and 培训)."""
        parts = self.retriever.tokenizer.parts(word)
        return self._presence(word, text, topics) > 0 or (
            bool(parts) and all(self.holds(p, text) for p in parts)
        )

    @staticmethod
    def _text(passage: ScoredPassage) -> str:
        """What a clause says, with its document's name and its headings."""
        return "\n".join((passage.short_title, *passage.context, passage.text)).lower()


def _stem(word: str) -> str:
    """The occupation a certificate's name is made of (保育员证 → 保育员); any other word itself."""
    return word.removesuffix("证书").removesuffix("证")


@lru_cache(maxsize=8)  # one list per calculator field
def _value_names(field: str) -> list[tuple[str, str]]:
    """(name, value) for every name of a calculator field's values, longest first: 高级技师 before 高级 and
    技师."""
    names = [(name, value) for value, aliases in field_values()[field].items() for name in (value, *aliases)]
    return sorted(names, key=lambda item: -len(item[0]))


@lru_cache(maxsize=1)
def get_wording(retriever: Retriever) -> Wording:
    """One Wording per retriever: its word weights are computed once."""
    return Wording(retriever)
