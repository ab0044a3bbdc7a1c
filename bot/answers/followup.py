"""A follow-up question asks of what the question before it was about.

"叉车证补贴怎么申请" answered, "那要什么材料" or "多久到账" asks only an aspect: nothing of training, a
subsidy or a term of the documents. Alone it is no question these documents answer (or the NLU reads it
as outside them); it asks the aspect of the previous question's subject (叉车证补贴). The chat finds the
previous question in the conversation, the assist pane is told it: both ask the answer layer the same
question.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.answers.benefits import about_the_documents
from bot.answers.topics import get_topics
from retrieval.search import get_retriever

JOINER = "，"
TOPIC_SLOT = "topic"  # the conversation's topic: the last answer's kind
POLICY_TOPIC = "policy"  # after a policy answer (not one waiting for the asker's place)
ENDS = " ，,。.？?！!"


def followed_up(text: str, earlier: Iterable[str]) -> str:
    """The question the message asks: a message asking only an aspect asks it of the subject of the last
    earlier message (oldest first) that speaks of what the documents are about (叉车证补贴，那要什么材料) —
    not a place told, a greeting or another follow-up; any other message asks itself. The earlier
    messages are read only for a follow-up."""
    topics, base = get_topics(), get_retriever()
    asked = topics.read(text)
    if topics.aspect(asked) is None or about_the_documents(asked, topics, base):
        return text
    for previous in reversed(list(earlier)):
        previous = topics.read(previous)
        if about_the_documents(previous, topics, base):
            subject = topics.subject(previous).strip(ENDS)
            return f"{subject}{JOINER}{text}" if about_the_documents(subject, topics, base) else text
    return text
