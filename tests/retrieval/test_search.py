"""Search behaviour against the real index (real corpus and embedding model)."""

from __future__ import annotations

import pytest

from bot.settings import ROOT
from retrieval.evaluate import ModeScores, evaluate, load_eval_set, scoped
from retrieval.regions import RegionResolver
from retrieval.search import Retriever


@pytest.mark.parametrize(
    ("query", "region", "expected", "max_rank"),
    [
        ("贵州人在外省考的证回来能补吗", "贵州", "guizhou-2025-3:3.10", 1),
        ("叉车证能补多少钱", "彭阳", "pengyang-2026:a1.22", 1),
        ("以工代训企业能拿多少钱", "彭阳", "pengyang-2026:2.4", 2),
        ("新型学徒制每年补多少", "彭阳", "pengyang-2026:2.5", 3),
        ("课证融通是啥", None, "hunan-2026-17:2.5", 1),
        ("楚怡文化传承基地建几个", None, "hunan-2023-15:2.1.2", 1),
        ("招转培 培训贷 怎么管", "广东", "guangdong-2025-skills:3.13", 3),
    ],
)
def test_eval_questions_rank_their_passage(
    retriever: Retriever, query: str, region: str | None, expected: str, max_rank: int
) -> None:
    result = retriever.search(query, top_k=5, region=region)
    ids = [p.passage_id for p in result.passages]
    assert expected in ids[:max_rank], ids


@pytest.mark.parametrize(
    ("query", "region"),
    [("贵州人在外省考的证回来能补吗", "贵州"), ("叉车证能补多少钱", "彭阳"), ("课证融通是啥", None)],
)
def test_in_scope_questions_are_answerable(retriever: Retriever, query: str, region: str | None) -> None:
    assert retriever.search(query, region=region).answerable


def test_result_carries_citation_summary_and_terms(retriever: Retriever) -> None:
    passages = retriever.search("以工代训怎么补", top_k=3, region="彭阳县").passages
    passage = next(p for p in passages if p.passage_id == "pengyang-2026:2.4")
    assert set(passage.citation()) == {"doc_id", "passage_id", "title", "section", "text", "score"}
    assert passage.citation()["section"] == "二、（四）"
    assert passage.summary and "1500" in passage.summary
    assert any(t["term"] == "以工代训" and t["explain"] for t in passage.terms)
    assert passage.doc_number == "" and passage.region == "彭阳县"


@pytest.mark.parametrize("region", ["彭阳县", "彭阳", "640425", 640425])
def test_region_boost_puts_local_passages_first(retriever: Retriever, region: str | int) -> None:
    query = "拿到职业技能等级证书有什么补贴"
    unboosted = retriever.search(query, top_k=5)
    boosted = retriever.search(query, top_k=5, region=region)
    assert boosted.passages[0].doc_id == "pengyang-2026"
    assert boosted.passages[0].region_boost > 0
    assert unboosted.passages[0].region_boost == 0
    elsewhere = retriever.search(query, top_k=5, region="广东")
    assert elsewhere.passages[0].doc_id == "guangdong-2025-skills"


@pytest.mark.parametrize(("query", "region", "kept_out"), [
    ("粤菜师傅工程", "彭阳县", "guangdong-2025-skills"),  # another province's
    ("彭阳县职业技能等级证书补贴标准", "宁夏", "pengyang-2026"),  # a county's rule for its whole province
])  # fmt: skip
def test_search_keeps_to_the_documents_covering_the_asker(
    retriever: Retriever, query: str, region: str, kept_out: str
) -> None:
    assert retriever.search(query, top_k=5).passages[0].doc_id == kept_out  # found when no place is known
    scoped = retriever.search(query, top_k=20, region=region)
    assert kept_out not in {p.doc_id for p in scoped.passages}


def test_region_names_and_codes_resolve_to_chains() -> None:
    resolver = RegionResolver([("640000", "宁夏回族自治区"), ("640400", "固原市"), ("640425", "彭阳县")])
    assert resolver.chain("彭阳") == ("640000", "640400", "640425")
    assert resolver.chain("宁夏") == ("640000",)
    assert resolver.chain("贵州") == ("520000",)
    assert resolver.chain(440000) == ("440000",)
    assert resolver.chain("火星") is None


@pytest.mark.parametrize(
    "query", ["明天天气怎么样", "买房贷款利率多少", "考研复试线什么时候出", "医院怎么挂号", "公积金怎么提取"]
)
def test_out_of_scope_questions_are_declined(retriever: Retriever, query: str) -> None:
    assert not retriever.search(query).answerable


def test_empty_query_is_declined(retriever: Retriever) -> None:
    result = retriever.search("   ")
    assert not result.answerable and result.passages == []


def test_hybrid_meets_the_quality_target_and_beats_each_retriever_alone(retriever: Retriever) -> None:
    eval_set, _ = scoped(retriever, load_eval_set(ROOT / "knowledge" / "eval" / "retrieval.yml"))
    scores = evaluate(retriever, eval_set)
    hybrid, bm25, dense = scores["hybrid"], scores["bm25"], scores["dense"]
    assert isinstance(hybrid, ModeScores) and isinstance(bm25, ModeScores) and isinstance(dense, ModeScores)
    assert hybrid.hit_at_5 >= 0.95
    assert hybrid.hit_at_5 > max(bm25.hit_at_5, dense.hit_at_5)
    assert hybrid.mrr > max(bm25.mrr, dense.mrr)
    # The national documents speak of 医疗保险 and 失业保险, so a few off-topic questions pass this gate;
    # the answer layer declines them (tests/answers).
    assert scores["out_of_scope_declined"] >= 0.85


def test_place_names_and_the_questions_own_cue_words_do_not_count_against_coverage(
    retriever: Retriever,
) -> None:
    """Where the asker is (南京) is the scope's business, and how a question asks (什么时候) says what is
    asked, not what about: neither makes a question look off-topic."""
    assert retriever.coverage("南京的叉车证补贴") == retriever.coverage("叉车证补贴") == 1.0
    # jieba glues the verb after some names (在岳阳考 → 岳阳考): still only a place.
    assert retriever.coverage("在岳阳考叉车证") == retriever.coverage("在长沙考叉车证") == 1.0
    asked = "叉车证补贴什么时候发"
    assert retriever.coverage(asked, neutral={"时候"}) > retriever.coverage(asked)


def test_a_noun_the_documents_never_use_stays_with_the_word_it_was_cut_from(retriever: Retriever) -> None:
    """培训 + 券: the voucher is what is asked of, and the documents never speak of one; a spoken ending
    (培训吗) or a character they use (培训证) is no such noun."""
    assert "培训券" in retriever.content_words("培训券哪里领")
    assert retriever.coverage("培训券哪里领") == 0.0
    assert "培训" in retriever.content_words("能参加培训吗")
    assert retriever.content_words("培训证哪里领") == ["培训"]
