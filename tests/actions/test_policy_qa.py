from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.policy_qa import ActionAnswerPolicy
from retrieval.search import ScoredPassage, SearchResult


def passage(summary: str | None, terms: list[dict[str, str]]) -> ScoredPassage:
    return ScoredPassage(
        passage_id="pengyang-2026:2.4", doc_id="pengyang-2026", title="彭阳县职业技能提升培训三年行动方案",
        short_title="彭阳三年行动", doc_number="", issuer="彭阳县", region="彭阳县", region_adcode="640425",
        date="2026", section="二、（四）", kind="clause", text="推行以工代训……每人1500元", summary=summary,
        terms=terms, score=0.9, bm25_score=3.0, dense_score=0.8, region_boost=1.25,
    )  # fmt: skip


def result(answerable: bool, passages: list[ScoredPassage]) -> SearchResult:
    return SearchResult(
        query="q", region=None, answerable=answerable, confidence=0.8, lexical_support=True, coverage=1.0,
        passages=passages,
    )  # fmt: skip


async def test_answer_quotes_cites_and_explains_terms(tracker):
    terms = [
        {"term": "以工代训", "explain": "师傅带徒弟"},
        {"term": "a", "explain": "b"},
        {"term": "c", "explain": "d"},
    ]
    asked = []
    action = ActionAnswerPolicy(
        lambda q, region: asked.append((q, region)) or result(True, [passage("摘要", terms)])
    )
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker({"region": "彭阳县"}, text="什么是以工代训"), {})
    assert asked == [("什么是以工代训", "彭阳县")]
    assert events == [SlotSet("topic", "policy")]
    answer, *explained = dispatcher.messages
    assert answer["response"] == "utter_policy_answer"
    assert answer["quote"] == "推行以工代训……每人1500元" and answer["section"] == "二、（四）"
    assert answer["doc_number"] == "彭阳县"  # no document number: the issuer names the source
    assert answer["custom"]["citations"][0]["doc_id"] == "pengyang-2026"
    assert [m["response"] for m in explained] == ["utter_glossary_term", "utter_glossary_term"]


async def test_passage_without_summary_is_quoted_alone(tracker):
    dispatcher = CollectingDispatcher()
    await ActionAnswerPolicy(lambda q, r: result(True, [passage(None, [])])).run(
        dispatcher, tracker(text="q"), {}
    )
    assert [m["response"] for m in dispatcher.messages] == ["utter_policy_answer_quote_only"]


async def test_not_covered_says_so(tracker):
    dispatcher = CollectingDispatcher()
    await ActionAnswerPolicy(lambda q, r: result(False, [passage("摘要", [])])).run(
        dispatcher, tracker(text="q"), {}
    )
    assert [m["response"] for m in dispatcher.messages] == ["utter_policy_not_covered"]
    assert "custom" not in dispatcher.messages[0] or not dispatcher.messages[0]["custom"]
