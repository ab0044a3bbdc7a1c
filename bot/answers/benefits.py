"""Which benefit a message asks about, when it is not a training subsidy.

Named neighbours (失业金, 稳岗返还 …) come from knowledge/topics.yml. Any other "X补贴" is recognised
by its qualifier X: the words just before 补贴 (补助, 津贴 …) that the policy documents never use (入户,
独生子女) make it a benefit these documents do not speak of. Occupations the documents happen not to
name (健康管理师, 保育员) are not such words: an occupation's name ends in 师, 员, 工 ….
"""

from __future__ import annotations

import re

from bot.answers.clauses import passage_benefits
from bot.answers.decision import Decision, Reply
from bot.answers.topics import Benefit, Topics, get_topics
from bot.answers.vocabulary import OCCUPATION_ENDINGS, document_texts, trade_names
from bot.answers.wording import get_wording
from bot.gazetteer import place_names
from retrieval.search import Retriever, get_retriever
from retrieval.tokenizer import COUNT_WORD, STOPWORDS, TOKEN_WITH_CONTENT

# Glossary kinds that are what the documents speak of (not a person type or a region alone).
DOCUMENT_TERM_KINDS = frozenset({"term", "program", "certificate", "occupation"})
PERSONNEL = "人员"  # 退休人员, 特困人员: people in general, not an occupation ending in 员
BENEFIT_HEADS = frozenset({"补贴", "补助", "补助金", "津贴", "奖补", "扶持资金"})
HEAD = re.compile("(" + "|".join(sorted(BENEFIT_HEADS, key=len, reverse=True)) + ")")
QUALIFIER_TOKENS = 2  # words before the head read as its qualifier
NAME_WORD = 4  # characters of the one word between a neighbour's name and its own subsidy's head
NEGATIONS = frozenset({"没", "没有", "未", "不", "还没"})  # 没激活补贴: 激活 says what was not done
# A word ending so is something done with the money (冒领, 代领, 补领, 骗取, 多拿, 被扣, 扣除, 退还), not what
# it is for.
TAKING = ("领", "取", "拿", "扣", "除", "还")


def only_neighbour(named: list[Benefit]) -> Benefit | None:
    """The neighbouring benefit a message names, when it names no training benefit beside it."""
    if any(not b.neighbour for b in named):
        return None
    return next(iter(named), None)


def compared_to_training(text: str, named: list[Benefit], topics: Topics) -> bool:
    """The message asks whether what it names beside the training benefits it names is one of them."""
    return bool(topics.comparing.search(text)) and all(not b.neighbour for b in named)


def compared_neighbour(text: str, named: list[Benefit], topics: Topics) -> Benefit | None:
    """The neighbouring benefit a message sets beside a training benefit to ask whether they are one
    (稳岗返还是不是就是企业培训补贴, 以旧换新补贴和技能补贴是不是一个部门管): they are not, and what the
    neighbour is and who handles it is the answer."""
    if not topics.comparing.search(text):
        return None
    return next((b for b in named if b.neighbour), None)


def _heads_apart(text: str, retriever: Retriever) -> list[str]:
    """The text's words with each benefit head a word of its own (补贴标准 → 补贴 + 标准, 技能培训补贴 → 技能 +
    培训 + 补贴, 扶持资金 across two words): the text is split at the heads and the rest cut."""
    return [
        w
        for part in HEAD.split(text)
        if part
        for w in ([part] if part in BENEFIT_HEADS else retriever.tokenizer.cut(part))
    ]


def _qualified(
    text: str, topics: Topics, retriever: Retriever, past_payers: bool = False
) -> list[tuple[list[str], str]]:
    """Each benefit the text names as "X补贴": the words X right before the head (at most
    QUALIFIER_TOKENS; no place, question word or aspect cue, nor words a negation makes a predicate)
    and the head; `past_payers`: across who pays (汽车政府补贴 is 汽车补贴)."""
    tokens = _heads_apart(text, retriever)
    # A word, or one character of a compound jieba splits (充电 + 桩); not a stop word or a sign.
    content = {t for t in tokens if t.lower() not in STOPWORDS and TOKEN_WITH_CONTENT.search(t)}
    places = place_names()
    found = []
    for index, token in enumerate(tokens):
        if token not in BENEFIT_HEADS:
            continue
        qualifier: list[str] = []
        for word in reversed(tokens[max(0, index - QUALIFIER_TOKENS) : index]):
            counts = COUNT_WORD.match(word) or word in topics.extent_words
            if counts or (past_payers and word in topics.payer_words and not qualifier):
                continue  # 残疾人两项补贴, 培训全额补贴, 汽车政府补贴: what it is for stands before them
            asked = any(a.asked.search(word) for a in topics.aspects) or word in topics.question_words
            if (
                word in places
                or word not in content
                or len(word) < 2
                or word.endswith(TAKING)
                or retriever.tokenizer.is_function_word(word)  # 另外补贴: besides, no subsidy's name
                or asked
                or retriever.is_known(word) is None
            ):
                break
            qualifier.insert(0, word)
        before = index - len(qualifier) - 1
        if qualifier and before >= 0 and tokens[before] in NEGATIONS:
            qualifier = []  # a predicate (社保卡没激活), the subsidy itself unqualified
        found.append((qualifier, token))
    return found


def unnamed_benefit(text: str, topics: Topics, retriever: Retriever) -> str | None:
    """ "入户补贴" for "深圳大专生入户补贴多少钱": a benefit whose qualifier the documents never use. The word
    next to the head names the benefit: in 国企证书补贴 it is 证书, which the documents use, and 国企 says
    who asks."""
    texts = document_texts(retriever).values()
    occupations = get_wording(retriever).occupations(text)
    for qualifier, head in _qualified(text, topics, retriever):
        unknown = [
            i
            for i, w in enumerate(qualifier)
            if retriever.is_known(w) is False
            and retriever.tokenizer.in_dictionary(w)  # 还发补贴: jieba's guess at a word names nothing
            and not w.endswith(OCCUPATION_ENDINGS)
            and not any(w in name for name in occupations)  # 塔吊, a trade the calculator knows
            and not any(w in document for document in texts)  # 资格证书, inside 职业资格证书
        ]
        if unknown and unknown[-1] == len(qualifier) - 1:
            return "".join(qualifier[unknown[0] :]) + head
    return None


def others_benefit(text: str, topics: Topics, retriever: Retriever) -> str | None:
    """ "退休补贴" for "职业资格证书退休补贴申领指南": a benefit named by a word the documents use only in
    clauses about benefits that are not training subsidies (退休, in 第十条 on 社会保险补贴), whatever
    certificate the message names beside it."""
    clauses = passage_benefits(retriever, topics)
    passages = retriever.index.corpus.passages
    for qualifier, head in _qualified(text, topics, retriever):
        holding = [p for p in passages if qualifier[-1] in p.text] if qualifier else []
        if holding and all(clauses[p.passage_id][1] for p in holding):
            return qualifier[-1] + head
    return None


def about_training(text: str, topics: Topics, retriever: Retriever) -> bool:
    """The text says something of training: a training benefit or programme, a training word (培训, 技能,
    证 …), an occupation or certificate (叉车, 电工, or a word ending as their names do)."""
    if any(not b.neighbour for b in topics.named(text)) or any(w in text for w in topics.training_words):
        return True
    words = retriever.tokenizer.content_words(text)
    return (
        any(w.endswith(OCCUPATION_ENDINGS) and not w.endswith(PERSONNEL) for w in words)
        or any(t in text for t in trade_names(retriever))
        or bool(get_wording(retriever).occupations(text))
    )


def about_the_documents(text: str, topics: Topics, retriever: Retriever) -> bool:
    """The text speaks of what the documents are about: training (`about_training`), a subsidy, or a
    term, programme or certificate of the glossary (粤菜师傅, 一培双考). "天津企业落户申请条件" and
    "湖南失业保险费率最新调整" do not, whatever clause holds their words."""
    if about_training(text, topics, retriever) or HEAD.search(text):
        return True
    return any(term.kind in DOCUMENT_TERM_KINDS for term in retriever.glossary.find(text))


def asks_of_a_training_subsidy(text: str, topics: Topics, retriever: Retriever) -> bool:
    """The text asks of a subsidy (补贴, 补助 …) for training: beside a training benefit, an occupation
    or certificate, or 培训."""
    if not HEAD.search(text):
        return False
    return (
        bool(topics.training_benefits(text))
        or "培训" in text
        or bool(get_wording(retriever).occupations(text))
    )


def untrained_benefit(text: str, topics: Topics, retriever: Retriever) -> str | None:
    """ "残疾人补贴" for "顺德残疾人补贴标准是多少": a benefit named by what it is for (残疾人, 车辆报废),
    in a message that says nothing of training, and that the documents never name (they speak of
    就业补助资金, the fund that pays training subsidies)."""
    if about_training(text, topics, retriever):
        return None
    texts = document_texts(retriever).values()
    for qualifier, head in _qualified(text, topics, retriever, past_payers=True):
        names = ["".join(qualifier[i:]) + head for i in range(len(qualifier))]  # longest first
        if names and not any(name in text for name in names for text in texts):
            return names[0]
    return None


def for_something_else(text: str, topics: Topics, retriever: Retriever) -> bool:
    """A subsidy asked about beside words the documents never use, and nothing of training (生第一胎国家有
    补助吗, 买车国家补助政策有哪些): a subsidy for that, whatever its name. A subsidy asked about alone (补贴钱
    是直接打给个人吗) is a training subsidy here."""
    if not HEAD.search(text) or about_training(text, topics, retriever):
        return False
    texts = document_texts(retriever).values()
    return any(
        retriever.is_known(w) is False
        and w not in topics.question_words
        and not any(a.asked.search(w) for a in topics.aspects)  # what is asked (处罚), not what for
        and not any(w in document for document in texts)
        for w in _heads_apart(text, retriever)
        if w not in BENEFIT_HEADS and w.lower() not in STOPWORDS and TOKEN_WITH_CONTENT.search(w)
    )


def asks_of_training(text: str, neighbour: Benefit, topics: Topics, retriever: Retriever) -> bool:
    """Beside the neighbour it names, the message asks about a subsidy (a benefit head outside the
    neighbour's name) and speaks of training (a training word: 培训, 技能, 证 …): "领失业金期间参加培训有
    补贴吗" asks about training, "失业补助要参加培训吗" about 失业补助, "社工证领取补贴" and "造价师考试通过后补贴"
    about 社工证 and 造价师 (its own certificate and exam are part of its name). Whole words only, or
    words made of them (职业培训): 证明 is no 证. A subsidy named by the neighbour and a word that is no
    training word nor made of them is the neighbour's own (雨露计划职业教育补助, not 失业金培训补贴)."""
    rest = text
    words = topics.training_words
    for form in sorted(neighbour.forms, key=len, reverse=True):
        for own in re.finditer(f"{re.escape(form)}(?P<word>\\w{{1,{NAME_WORD}}}?)(?:{HEAD.pattern})", rest):
            if not _made_of(own.group("word"), words):
                rest = rest.replace(own.group(), " ")
        rest = re.sub(f"{re.escape(form)}(证书|证|考试)?", " ", rest)  # its name, its certificate and exam
    return bool(HEAD.search(rest)) and any(_made_of(w, words) for w in retriever.tokenizer.cut(rest))


def _made_of(token: str, words: tuple[str, ...]) -> bool:
    """The token is one of the words or a compound of them (职业培训 is 职业 + 培训; 电工证 is not)."""
    return token in words or any(token.startswith(w) and _made_of(token[len(w) :], words) for w in words)


def askers_benefit(text: str, topics: Topics, retriever: Retriever) -> Benefit | None:
    """The neighbour whose askers the text names, when it asks of a subsidy and says nothing of training:
    "回自己城市工作的大学生有补贴吗" asks of graduates' employment subsidies; "毕业生考证补贴" of training."""
    if not HEAD.search(text) or about_training(text, topics, retriever):
        return None
    return next((b for b in topics.benefits if any(a in text for a in b.askers)), None)


def other_benefit(text: str, topics: Topics, retriever: Retriever) -> Decision | None:
    """The answer for a message about a benefit that is not a training subsidy; None otherwise."""
    named = topics.named(text)
    qualification = next((b for b in named if b.qualifications), None)
    # Set beside a training benefit to ask whether they are one, a neighbour is asked of, training or not.
    compared = compared_neighbour(text, named, topics)
    neighbour = (
        qualification
        or only_neighbour(named)
        or compared
        or (None if named else askers_benefit(text, topics, retriever))
    )
    if neighbour and (
        neighbour.qualifications
        or neighbour is compared
        or not asks_of_training(text, neighbour, topics, retriever)
    ):
        params = {"benefit": neighbour.name, "kind": neighbour.kind, "office": neighbour.office}
        return Decision("neighbour", [Reply("utter_neighbour_benefit", params)])
    # Set beside a training benefit to ask whether they are one (人才补贴和培训补贴是一回事吗), the other
    # subsidy is read alone.
    alone = topics.outside_names(text) if named and compared_to_training(text, named, topics) else text
    if (not named or alone != text) and (
        benefit := unnamed_benefit(alone, topics, retriever)
        or untrained_benefit(alone, topics, retriever)
        or others_benefit(alone, topics, retriever)
    ):
        return Decision("neighbour", [Reply("utter_other_benefit", {"benefit": benefit})])
    if not named and for_something_else(text, topics, retriever):
        return Decision("not_covered", [Reply("utter_policy_not_covered")])
    return None


def not_a_training_subsidy(text: str) -> Decision | None:
    """The answer for "失业金能领多少" or "入户补贴多少钱" (a benefit these documents do not cover,
    named as such); None when the question may be about a training subsidy."""
    topics = get_topics()
    return other_benefit(topics.read(text), topics, get_retriever())
