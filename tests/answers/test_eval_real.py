"""The scoring of `make eval-real` / `make eval-holdout`, against a scripted gateway on the real corpus."""

import json

import httpx
import pytest
import yaml

from bot.answers import eval_real
from bot.answers.eval_real import judge, run, summary
from bot.settings import ROOT
from retrieval.corpus import load_corpus

CLIENT = httpx.Client  # eval_real's client is replaced by the scripted gateway below


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(ROOT / "knowledge")


def question(**fields):
    return {"id": "t1", "text": "问题", "place": None, "expect": "answer", "clauses": []} | fields


def test_each_problem_is_judged_by_what_is_cited(corpus):
    answer = question(clauses=["nat-2023-181:art5"])
    assert judge(answer, "answer", ["nat-2023-181:art5"], corpus) == []
    assert judge(answer, "answer", ["nat-2023-181:art6"], corpus) == ["off_question", "covered_missed"]
    assert judge(answer, "not_covered", [], corpus) == ["covered_missed"]
    # 彭阳县's clause for a 长沙 asker is outside the asker's place.
    changsha = question(place="长沙市", expect="not_covered")
    assert judge(changsha, "answer", ["pengyang-2026:2.3"], corpus) == ["out_of_scope", "off_question"]
    assert judge(question(expect="neighbour"), "answer", ["nat-2023-181:art5"], corpus) == [
        "neighbour_cited",
        "off_question",
    ]
    assert judge(question(expect="neighbour"), "neighbour", [], corpus) == []


def gateway(cited: dict[str, list[str]]) -> httpx.Client:
    """Answers each message citing the passages scripted for its text (doc_id and section, as the chat)."""
    by_id = {p.passage_id: p for p in load_corpus(ROOT / "knowledge").passages}

    def handle(request: httpx.Request) -> httpx.Response:
        text = json.loads(request.content)["message"]
        citations = [{"doc_id": by_id[p].doc_id, "section": by_id[p].section} for p in cited[text]]
        kind = "answer" if citations else "not_covered"
        return httpx.Response(
            200, json={"messages": [{"text": "…", "custom": {"answer": kind}}], "citations": citations}
        )

    return CLIENT(transport=httpx.MockTransport(handle), base_url="http://gateway")


def test_the_figures_of_several_sets_add_up(corpus, monkeypatch, tmp_path, capsys):
    one = [question(id="a1", text="甲", clauses=["nat-2023-181:art5"])]
    two = [
        question(id="b1", text="乙", expect="not_covered"),
        question(id="b2", text="丙", expect="not_covered"),
    ]
    cited = {"甲": ["nat-2023-181:art5"], "乙": ["nat-2023-181:art6"], "丙": []}
    monkeypatch.setattr(eval_real.httpx, "Client", lambda **_: gateway(cited))
    paths = []
    for name, rows in (("one.yml", one), ("two.yml", two)):
        paths.append(tmp_path / name)
        paths[-1].write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8")
    assert eval_real.main(["--url", "http://gateway", "--questions", *map(str, paths)]) == 0
    out = capsys.readouterr().out
    assert "== one.yml" in out and "== two.yml" in out and "== 合计 2 个问题集" in out
    total = out.split("== 合计")[1]
    assert out.count("[off_question] b1 乙") == 1  # listed with its set, not again with the total
    assert "引用了没回答问题的条款：1/2 = 50.0%" in total
    assert "文件能回答的问题引用了正确条款：1/1 = 100.0%" in total
    assert summary(run("http://gateway", two, corpus))["declined_without_citation"] == 1


def test_a_missing_set_is_a_clear_error(tmp_path, capsys):
    assert eval_real.main(["--url", "http://gateway", "--questions", str(tmp_path / "none.yml")]) == 2
    assert "找不到问题集" in capsys.readouterr().err
