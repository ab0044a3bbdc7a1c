"""`make eval-wordings`: the groups it asks, and what makes a group disagree."""

import yaml

from bot.answers.eval_wordings import disagreeing, groups, place_groups
from bot.settings import ROOT


def test_every_group_is_expanded_from_the_wordings_file():
    data = yaml.safe_load((ROOT / "knowledge" / "eval" / "wordings.yml").read_text(encoding="utf-8"))
    expanded = dict(groups(data))
    assert expanded["以工代训 how_much"][0] == "以工代训补贴多少钱"
    assert expanded["技能提升补贴 how_much"][0] == "技能提升补贴多少钱"  # no 补贴补贴
    assert expanded["叉车证 whether"][0] == "叉车证有补贴吗"
    assert expanded["以工代训补贴多少钱 客套话"][:2] == ["以工代训补贴多少钱", "请问以工代训补贴多少钱"]


def test_a_group_agrees_only_when_every_wording_gets_the_same_answer(retriever):
    data = {
        "places": [""],
        "benefits": [],
        "benefit_groups": {},
        "occupations": [],
        "occupation_groups": {},
        "questions": ["技能提升补贴怎么申请"],
        "courtesies": ["请问{q}", "{q}？谢谢"],
    }
    assert disagreeing(data, retriever) == (1, [])
    data["courtesies"].append("{q}要带什么材料")  # another aspect: another clause
    asked, found = disagreeing(data, retriever)
    assert asked == 1 and [name for _, name, _ in found] == ["技能提升补贴怎么申请 客套话"]


def test_a_place_question_is_asked_from_the_places_the_same_documents_cover(retriever):
    data = {
        "place_names": ["重庆市", "浙江省", "长沙", "岳阳", "彭阳县"],
        "place_questions": ["{p}的以工代训怎么申请"],
    }
    asked = dict(place_groups(data, retriever.documents.values()))
    assert asked == {
        "{p}的以工代训怎么申请 (重庆市、浙江省)": [
            ("重庆市的以工代训怎么申请", "重庆市"),
            ("浙江省的以工代训怎么申请", "浙江省"),
        ],
        "{p}的以工代训怎么申请 (长沙、岳阳)": [
            ("长沙的以工代训怎么申请", "长沙"),
            ("岳阳的以工代训怎么申请", "岳阳"),
        ],
    }  # 彭阳县, alone under its documents, is no group
