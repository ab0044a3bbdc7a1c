"""What a policy question is asked of. The documents speak of training, its subsidies and the skills
system around them; a question that names an occupation or a certificate and nothing of training or a
subsidy asks of the certificate itself — its exam, fees, issuer and standards (营养师报考条件, 厨师证的
发证机关, 焊工鉴定标准) — which they do not cover, however near a clause may be.

A question asking what a term means (职业技能等级认定是什么意思) is answered as before: the documents
define their terms.
"""

from __future__ import annotations

from bot.answers.topics import Topics
from bot.answers.wording import get_wording
from retrieval.search import Retriever

PROGRAMME = "program"  # the glossary kind of a named programme


def asks_of_the_certificate_itself(text: str, topics: Topics, retriever: Retriever) -> bool:
    """The question names an occupation or certificate and neither a word of training or of a subsidy
    (topics.yml `subject_words`), nor a training benefit or programme — unless it asks what a term means."""
    aspect = topics.aspect(text)
    if aspect is not None and aspect.name in topics.place_free_aspects:
        return False
    programmes = (
        form for term in retriever.glossary.terms if term.kind == PROGRAMME for form in term.surface_forms
    )
    of_training = (
        topics.subject_words.search(text)
        or any(not b.neighbour for b in topics.named(text))
        or any(form in text for form in programmes)
    )
    return not of_training and bool(get_wording(retriever).occupations(text))
