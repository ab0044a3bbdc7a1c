"""A follow-up asking only an aspect asks it of the previous question's subject."""

import pytest

from bot.answers.followup import followed_up
from bot.answers.topics import get_topics


@pytest.mark.parametrize(
    ("question", "subject"),
    [("叉车证补贴怎么申请", "叉车证补贴"), ("以工代训的补贴多久能到账", "以工代训的补贴"), ("技能补贴多少钱", "技能补贴")],
)  # fmt: skip
def test_the_subject_is_the_question_without_what_it_asks(question, subject):
    assert get_topics().subject(question) == subject  # 技能补贴 keeps the 能补 of its name


@pytest.mark.parametrize("follow_up", ["那要什么材料", "多久到账", "能领几次", "去哪里办"])
def test_a_message_asking_only_an_aspect_asks_it_of_the_previous_subject(follow_up):
    assert followed_up(follow_up, ["叉车证补贴怎么申请"]) == f"叉车证补贴，{follow_up}"


@pytest.mark.parametrize(
    ("text", "previous"),
    [("培训补贴多久到账", "叉车证补贴怎么申请"),  # a subject of its own
     ("你好", "叉车证补贴怎么申请"), ("我在彭阳", "叉车证补贴怎么申请"),  # no aspect asked
     ("多久到账", None), ("多久到账", "你好")],  # nothing before it to continue
)  # fmt: skip
def test_any_other_message_asks_itself(text, previous):
    assert followed_up(text, [previous] if previous else []) == text


def test_the_question_continued_is_the_last_one_about_the_documents():
    said = ["叉车证补贴怎么申请", "我在彭阳"]  # a place told is no question to continue
    assert followed_up("那要什么材料", said) == "叉车证补贴，那要什么材料"
    assert followed_up("那要什么材料", ["你好", "我在彭阳"]) == "那要什么材料"
