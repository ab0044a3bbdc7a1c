"""What a policy question is asked of. The documents speak of training, its subsidies and the skills
system around them; a question that names an occupation or a certificate and nothing of training or a
subsidy asks of the certificate itself — its exam, fees, issuer and standards (营养师报考条件, 厨师证的
发证机关, 焊工鉴定标准) — which they do not cover, however near a clause may be.

A question asking what a term means (职业技能等级认定是什么意思) is answered as before: the documents
define their terms.
"""

from __future__ import annotations

from bot.answers.decision import Decision, Reply
from bot.answers.topics import Topics, get_topics
from bot.answers.wording import get_wording
from bot.gazetteer import place_names
from retrieval.search import Retriever, get_retriever

PROGRAMME = "program"  # the glossary kind of a named programme


def asks_of_the_certificate_itself(text: str, topics: Topics, retriever: Retriever) -> bool:
    """The question names an occupation or certificate, asks something of it, and names neither a word
    of training or of a subsidy (topics.yml `subject_words`), nor a training benefit or programme —
    unless it asks what a term means."""
    if topics.place_free(topics.aspect(text)):
        return False
    programmes = (
        form for term in retriever.glossary.terms if term.kind == PROGRAMME for form in term.surface_forms
    )
    of_training = (
        topics.subject_words.search(text)
        or any(not b.neighbour for b in topics.named(text))
        or any(form in text for form in programmes)
    )
    if of_training or not (named := get_wording(retriever).occupations(text)):
        return False
    # It asks something of the certificate (考试费, 发证机关), not only names it (彭阳考了叉车证, 叉车证多少
    # 钱): a word beside its name that is neither a place nor a fragment such as 考了.
    places = place_names()
    return any(
        not any(word in occupation for occupation in named)
        and word not in places
        and retriever.is_known(word) is not None
        for word in retriever.tokenizer.content_words(text)
    )


def certificate_itself(
    text: str, topics: Topics | None = None, retriever: Retriever | None = None
) -> Decision | None:
    """The answer to a question of the certificate itself: the documents do not cover it; None for any
    other question."""
    topics = topics or get_topics()
    text = topics.read(text)
    if asks_of_the_certificate_itself(text, topics, retriever or get_retriever()):
        return Decision("not_covered", [Reply("utter_policy_certificate_itself")])
    return None
