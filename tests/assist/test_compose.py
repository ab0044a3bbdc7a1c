"""The suggestion composer with tiny inline services: highlighting, profile accumulation, calculator prefill."""

from types import SimpleNamespace

import pytest

from bot.answers.decision import Decision, Reply
from bot.answers.profile import times_claimed_from_text
from bot.assist import Services, compose
from bot.assist.highlight import query_words, segments
from bot.assist.profile import accumulate, updates_from
from bot.gazetteer import place_by_adcode
from bot.subsidy import Estimate, ProfileError
from bot.subsidy.normalize import hukou_from_text, hukou_phrases
from retrieval.search import ScoredPassage, SearchResult

RESPONSES = {
    "utter_subsidy_estimate": "{explanation}",
    "utter_ask_hukou_local": "您是本地户籍吗？",
    "utter_ask_times_claimed": "您以前领过几次？",
    "utter_policy_answer": "{summary}——《{title}》（{doc_number}）{section}",
    "utter_policy_answer_quote_only": "“{quote}”——《{title}》",
    "utter_policy_not_covered": "没有找到条款。",
    "utter_out_of_scope": "这个问题超出了范围。",
    "utter_clarify": "您是想问哪一项？",
    "utter_thank": "不客气。",
    "utter_inform_ack": "好的，记下了。",
    "utter_neighbour_benefit": "{benefit}不是培训补贴。",
    "utter_courses_found": "离{place}最近的{count}个课程：",
    "utter_course_subsidized": "· {institution}「{course}」{distance_km}公里",
    "utter_courses_other": "想看其他工种的课程，直接告诉我。",
    "utter_ask_region": "您在哪个县区？",
}
HUKOU = {"true": ["是", "本地户口", "本地人"], "false": ["没有", "外地户口", "非本地户口"]}


def passage(text: str, summary: str | None = "叉车证补1400元。") -> ScoredPassage:
    return ScoredPassage(
        passage_id="p1", doc_id="pengyang-2026", title="彭阳县方案", short_title="", doc_number="彭政办发〔2026〕1号",
        issuer="", region="彭阳县", region_adcode="640425", date="", section="附件1 第22行", kind="row",
        text=text, summary=summary, terms=[], score=0.5, bm25_score=1.0, dense_score=0.8, region_boost=1.0,
    )  # fmt: skip


def calculator(profile):
    """1400 元 for 叉车证 in 彭阳县, on the plain conditions hukou_local and times_claimed; 火星 is refused."""
    if profile.get("region") == "火星":
        raise ProfileError("region", "未知地区")
    if profile.get("certificate") != "叉车证":
        return Estimate(eligible=None, total_yuan=None, missing=["certificate"])
    missing = [name for name in ("hukou_local", "times_claimed") if name not in profile]
    return Estimate(eligible=None if missing else True, total_yuan=None if missing else 1400,
                    explanation="合计1400元" if not missing else "如符合条件为1400元", missing=missing,
                    condition_fields=missing)  # fmt: skip


def course(name: str, km: float) -> SimpleNamespace:
    hit = {"institution": "（示例）彭阳培训学校", "course": name, "occupation": name, "distance_km": km}
    return SimpleNamespace(subsidized=True, to_dict=lambda: hit)


def finder(asked: list[dict]):
    """Two 电工 courses near 彭阳县 (for 电工 or any trade); records what it was asked."""

    def find(**kw):
        asked.append(kw)
        found = [course("电工", 1.5), course("电工", 9.0)] if kw.get("occupation") in ("电工", None) else []
        return SimpleNamespace(courses=found, nearby_other_occupations=[], nearest_beyond_reach=None,
                               origin=SimpleNamespace(name=kw["place"]), max_distance_km=50.0)  # fmt: skip

    return find


def services(**overrides) -> Services:
    defaults = dict(
        search=lambda text, region: SearchResult(
            query=text, region=None, answerable=True, confidence=0.8, lexical_support=True, coverage=1.0,
            passages=[passage("职业资格名称: 叉车司机 | 补贴标准(元): 1400")],
        ),
        tokens=lambda text: ["彭阳", "叉车", "叉车司机", "补", "能补"],
        calculator=calculator,
        finder=finder([]),
        other_benefit=lambda text: None,
        resolve=lambda text: place_by_adcode("640425") if "彭阳" in text else None,
        responses=lambda: RESPONSES,
        hukou=lambda: hukou_phrases(HUKOU),
        labels=lambda: {"region": "所在地区"},
        decide=lambda question: Decision("not_covered", [Reply("utter_policy_not_covered")]),
    )  # fmt: skip
    return Services(**(defaults | overrides))


def parse(intent: str, **entities: str) -> dict:
    return {"intent": {"name": intent, "confidence": 0.9},
            "entities": [{"entity": k, "value": v} for k, v in entities.items()]}  # fmt: skip


def spans(text: str, *named: tuple[str, str]) -> list[dict]:
    """Entities as the NLU gives them, with their place in the text."""
    return [{"entity": kind, "value": value, "start": text.index(value), "end": text.index(value) + len(value)}
            for kind, value in named]  # fmt: skip


def test_segments_mark_longest_words_and_cover_the_text():
    words = query_words(["叉车", "叉车司机", "补", " "])
    assert words == ["叉车司机", "叉车"]  # one-character words would light up everything
    pieces = segments("名称: 叉车司机 | 叉车", words)
    assert pieces == [
        {"text": "名称: ", "hit": False}, {"text": "叉车司机", "hit": True},
        {"text": " | ", "hit": False}, {"text": "叉车", "hit": True},
    ]  # fmt: skip
    assert "".join(p["text"] for p in pieces) == "名称: 叉车司机 | 叉车"


def test_no_words_leave_one_plain_segment():
    assert segments("条款原文", []) == [{"text": "条款原文", "hit": False}]


def test_entities_prefill_the_calculator_and_its_missing_questions():
    s = compose(
        "彭阳的农民工考了叉车证能补多少",
        parse("ask_subsidy", region="彭阳", certificate="叉车证"),
        {},
        services(),
    )
    assert s["intent"]["name"] == "ask_subsidy"
    assert s["profile"] == {"region": "彭阳县", "certificate": "叉车证"}  # region resolved by the gazetteer
    assert s["calculator"]["missing"] == ["hukou_local", "times_claimed"]
    assert [q["question"] for q in s["calculator"]["questions"]] == ["您是本地户籍吗？", "您以前领过几次？"]
    assert s["reply"] == {
        "kind": "subsidy",
        "text": "如符合条件为1400元",
        "citations": [],
    }  # the amount with its conditions
    hits = [seg["text"] for seg in s["passages"][0]["segments"] if seg["hit"]]
    assert hits == ["叉车司机"]
    assert s["courses"] is None  # a subsidy question that looks for no course lists none, as the chat


def test_profile_accumulates_across_the_call():
    first = compose(
        "彭阳考了叉车证", parse("ask_subsidy", region="彭阳", certificate="叉车证"), {}, services()
    )
    second = compose(
        "本地户口，没领过", parse("inform"), first["profile"], services(), first["reply"]["kind"]
    )
    assert second["profile"] == {
        "region": "彭阳县",
        "certificate": "叉车证",
        "hukou_local": True,
        "times_claimed": 0,
    }
    assert second["profile_updates"] == ["hukou_local", "times_claimed"]
    assert second["calculator"]["total_yuan"] == 1400 and second["calculator"]["missing"] == []
    assert second["reply"] == {"kind": "subsidy", "text": "合计1400元", "citations": []}
    assert second["courses"] is None  # no place named in this utterance


def test_information_answers_a_subsidy_question_only_after_one():
    """As in the chat, where the subsidy form takes what is told only while it asks: told after a subsidy
    suggestion, a certificate answers its question; told first (or after another suggestion), it is
    acknowledged, as the chat's inform action does."""
    told = parse("inform", certificate="叉车证")
    assert compose("叉车证", told, {}, services(), "subsidy")["reply"]["kind"] == "subsidy"
    for after in (None, "policy", "courses"):
        s = compose("叉车证", told, {}, services(), after)
        assert s["reply"] == {"kind": "policy", "text": "好的，记下了。", "citations": []}, after
        assert s["profile"] == {"certificate": "叉车证"}  # kept for the call all the same


def test_values_the_calculator_refuses_are_not_kept():
    assert accumulate({"certificate": "叉车证"}, {"region": "火星"}, calculator) == {"certificate": "叉车证"}


def test_a_later_value_corrects_an_earlier_one():
    assert accumulate({"certificate": "电工证"}, {"certificate": "叉车证"}, calculator) == {
        "certificate": "叉车证"
    }


@pytest.mark.parametrize(
    ("text", "local"),
    [
        ("我是本地户口", True),
        ("外地户口的", False),
        ("非本地户口", False),
        ("不是本地户口", False),
        ("是的", None),
    ],
)
def test_hukou_from_text(text, local):
    assert hukou_from_text(text, hukou_phrases(HUKOU)) == local


@pytest.mark.parametrize(
    ("text", "times"), [("没领过", 0), ("领过两次", 2), ("之前享受过1次", 1), ("叉车证", None)]
)
def test_times_claimed_from_text(text, times):
    assert times_claimed_from_text(text) == times


def test_policy_reply_is_the_answer_layers_decision_read_out():
    asked = []
    params = {"summary": "叉车证补1400元。", "title": "彭阳县方案", "doc_number": "彭政办发〔2026〕1号",
              "section": "附件1 第22行"}  # fmt: skip

    def decide(question):
        asked.append(question)
        return Decision("answer", [Reply("utter_policy_answer", params)], [{"doc_id": "pengyang-2026"}])

    s = compose("叉車證補多少", parse("ask_policy", region="彭阳"), {}, services(decide=decide))
    assert asked[0].text == "叉车证补多少" and asked[0].place.name == "彭阳县"  # normalised, caller's place
    assert s["reply"] == {
        "kind": "policy",
        "text": "叉车证补1400元。——《彭阳县方案》（彭政办发〔2026〕1号）附件1 第22行",
        "citations": [{"doc_id": "pengyang-2026"}],
    }
    assert s["answer_kind"] == "answer" and s["answerable"]
    s = compose("医保怎么报销", parse("out_of_scope"), {}, services())
    assert s["reply"] == {"kind": "policy", "text": "这个问题超出了范围。", "citations": []}
    assert not s["answerable"]


@pytest.mark.parametrize(
    ("intent", "plain"),
    [
        ("out_of_scope", "这个问题超出了范围。"),
        ("nlu_fallback", "您是想问哪一项？"),
        ("inform", "好的，记下了。"),
    ],
)
def test_outside_training_or_unclear_the_pane_says_what_the_chat_says_citing_nothing(intent, plain):
    """As the chat's actions: a neighbouring benefit named, else the out-of-scope reply, the question
    what the caller means, or the acknowledgement of what was told — never the nearest clause (the policy
    answer is not asked for)."""
    nearest = Decision("answer", [Reply("utter_policy_not_covered")], [{"doc_id": "pengyang-2026"}])
    s = compose("哪里招工", parse(intent), {}, services(decide=lambda question: nearest))
    assert s["reply"] == {"kind": "policy", "text": plain, "citations": []}  # cites nothing
    neighbour = Decision("neighbour", [Reply("utter_neighbour_benefit", {"benefit": "失业保险金"})])
    s = compose("失业金咋领", parse(intent), {}, services(other_benefit=lambda text: neighbour))
    assert s["reply"]["text"] == "失业保险金不是培训补贴。"


@pytest.mark.parametrize("intent", ["nlu_fallback", "inform"])
def test_unclear_but_asking_of_a_training_benefit_the_pane_gives_the_policy_answer(intent):
    """As the chat's fallback and inform actions: a certificate's subsidy is asked of, whatever the NLU
    made of the message."""
    answer = Decision("answer", [Reply("utter_policy_not_covered")], [{"doc_id": "nat-2023-181"}])
    s = compose("补贴宁德摄影师证", parse(intent), {}, services(decide=lambda question: answer))
    assert s["reply"] == {
        "kind": "policy",
        "text": "没有找到条款。",
        "citations": [{"doc_id": "nat-2023-181"}],
    }


def test_thanks_closing_a_question_get_its_answer_in_the_pane_as_in_the_chat():
    answer = Decision("answer", [Reply("utter_policy_not_covered")], [{"doc_id": "nat-2023-181"}])
    s = compose("保育员证补贴领取，谢谢", parse("thank"), {}, services(decide=lambda question: answer))
    assert s["reply"] == {
        "kind": "policy",
        "text": "没有找到条款。",
        "citations": [{"doc_id": "nat-2023-181"}],
    }
    s = compose("谢谢", parse("thank"), {}, services(decide=lambda question: answer))
    assert s["reply"] == {"kind": "small_talk", "text": "不客气。", "citations": []}


def test_the_place_an_out_of_scope_message_names_is_the_callers_for_its_answer():
    """As the chat's action: the NLU keeps no entity of a message it puts out of scope, and the answer
    layer, taking it for a training question after all, asks it where its words say."""
    asked = []
    answer = Decision("answer", [Reply("utter_policy_not_covered")], [{"doc_id": "nat-2017-40"}])
    decide = lambda question: asked.append(question.place and question.place.name) or answer  # noqa: E731
    s = compose("北京市的技能提升补贴怎么申请", parse("out_of_scope"), {}, services(decide=decide))
    assert asked[-1] == "北京市" and s["reply"]["citations"] == [{"doc_id": "nat-2017-40"}]


@pytest.mark.parametrize("intent", ["ask_policy", "out_of_scope", "nlu_fallback"])
def test_a_follow_up_is_asked_as_the_chat_asks_it(intent):
    """The caller's previous question given, a message asking only an aspect asks it of that question's
    subject, whatever the NLU made of it — as the chat's actions do."""
    asked = []
    answer = Decision("answer", [Reply("utter_policy_not_covered")], [{"doc_id": "pengyang-2026"}])
    decide = lambda question: asked.append(question.text) or answer  # noqa: E731
    s = compose("多久到账", parse(intent), {}, services(decide=decide), earlier=["叉车证补贴怎么申请"])
    assert asked == ["叉车证补贴，多久到账"] and s["reply"]["citations"] == [{"doc_id": "pengyang-2026"}]


def test_a_district_is_kept_as_the_region_the_calculator_knows():
    from bot.gazetteer import resolve_place

    updates = updates_from("我在宝安", [{"entity": "region", "value": "宝安"}], resolve_place, [])
    assert updates == {"region": "深圳市"}  # as the chat's subsidy form keeps it


def test_a_certificate_held_gets_the_amount_and_a_course_wanted_the_cards():
    text = "我是彭阳的农民工，本地户口，考了叉车证，之前没领过，能补多少，附近哪有电工培训"
    asked: list[dict] = []
    entities = spans(text, ("region", "彭阳"), ("person_type", "农民工"), ("certificate", "叉车证"),
                     ("certificate", "电工"))  # fmt: skip
    parsed = {"intent": {"name": "ask_subsidy", "confidence": 0.94}, "entities": entities}
    s = compose(text, parsed, {}, services(finder=finder(asked)))
    assert s["profile"]["certificate"] == "叉车证"  # not 电工, the course the caller looks for
    assert asked == [{"place": "彭阳县", "occupation": "电工", "limit": 3}]
    assert s["reply"]["kind"] == "subsidy"
    assert s["reply"]["text"].split("\n\n") == [
        "合计1400元",
        "离彭阳县最近的2个课程：",
        "· （示例）彭阳培训学校「电工」1.5公里",
        "· （示例）彭阳培训学校「电工」9.0公里",
        "想看其他工种的课程，直接告诉我。",
    ]
    assert s["courses"]["place"] == "彭阳县" and [c["distance_km"] for c in s["courses"]["items"]] == [
        1.5,
        9.0,
    ]


def test_a_course_search_asks_the_place_first():
    text = "附近有什么培训班"
    parsed = {"intent": {"name": "find_course", "confidence": 0.9}, "entities": []}
    s = compose(text, parsed, {}, services())
    assert (
        s["reply"] == {"kind": "courses", "text": "您在哪个县区？", "citations": []} and s["courses"] is None
    )


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("彭阳有什么培训班", [("region", "彭阳")]),
        ("我有叉车证，彭阳哪里有培训", [("certificate", "叉车证"), ("region", "彭阳")]),
    ],
)
def test_a_course_search_without_a_trade_lists_every_trade(text, named):
    """As the chat's course form: the trade is not asked; the nearest courses of every trade are listed."""
    asked: list[dict] = []
    parsed = {"intent": {"name": "find_course", "confidence": 0.9}, "entities": spans(text, *named)}
    s = compose(text, parsed, {}, services(finder=finder(asked)))
    assert asked == [{"place": "彭阳县", "occupation": None, "limit": 3}]
    assert s["reply"]["text"].startswith("离彭阳县最近的2个课程：") and s["courses"]["place"] == "彭阳县"


def test_a_course_search_lists_the_trade_wanted_not_the_certificate_held():
    text = "我有叉车证，想学电工，彭阳哪里有培训"
    asked: list[dict] = []
    named = spans(text, ("occupation", "叉车证"), ("occupation", "电工"), ("region", "彭阳"))
    parsed = {"intent": {"name": "find_course", "confidence": 0.9}, "entities": named}
    s = compose(text, parsed, {}, services(finder=finder(asked)))
    assert asked == [{"place": "彭阳县", "occupation": "电工", "limit": 3}]
    assert s["reply"]["text"].startswith("离彭阳县最近的2个课程：")
    assert s["profile"]["certificate"] == "叉车证"


def test_the_passages_beside_the_reply_are_searched_for_the_bare_question():
    """老师您好，……？谢谢: the reference passages and their highlighted words come from the question as the
    answer layer reads it, so the courtesies move neither."""
    asked = []

    def search(text, region):
        asked.append(text)
        return services().search(text, region)

    s = compose("老师您好，叉车证能补多少？谢谢", parse("ask_policy"), {}, services(search=search,
                tokens=lambda text: asked.append(text) or ["叉车"]))  # fmt: skip
    assert asked == ["叉车证能补多少", "叉车证能补多少"]
    assert s["text"] == "老师您好，叉车证能补多少？谢谢"


def test_the_pane_keeps_where_the_caller_is_not_where_they_come_from():
    from bot.gazetteer import resolve_place

    text = "我在东莞厂里上班，户口是广西的"
    entities = [{"entity": "region", "value": "东莞"}, {"entity": "region", "value": "广西"}]
    assert updates_from(text, entities, resolve_place, [])["region"] == "东莞市"
