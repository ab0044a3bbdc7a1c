"""`knowledge summaries --missing | --stamp` and the check that a summary still fits its passage's text."""

from __future__ import annotations

from pathlib import Path

from bot.knowledge.summaries import summary_entries, text_hash
from retrieval.corpus import load_corpus
from tests.knowledge.conftest import SOURCES


def test_every_curated_summary_carries_the_hash_of_its_passage() -> None:
    from bot.settings import ROOT

    texts = {p.passage_id: p.text for p in load_corpus(ROOT / "knowledge").passages}
    entries = summary_entries(ROOT / "knowledge")
    assert len(entries) == 247
    assert all(e.text_hash == text_hash(texts[e.passage_id]) for e in entries)


def test_missing_lists_the_passages_without_a_summary(run) -> None:  # noqa: ANN001
    code, out, _ = run("summaries", "--missing")
    assert code == 0 and out.strip() == "共 0 个段落没有通俗解读（知识库共 161 个段落）。"

    run("add", SOURCES / "tj-2022-20.txt", "--issuer", "天津市人力资源和社会保障局", "--yes")
    code, out, _ = run("summaries", "--missing")
    lines = out.splitlines()
    assert lines[0] == "tj-2022-20（天津市职业技能培训补贴实施办法，有效）：34 个段落没有通俗解读"
    assert lines[22].startswith("    tj-2022-20:art22  第二十二条  第二十二条 支持企业开展名师带徒培训")
    assert lines[-1] == "共 34 个段落没有通俗解读（知识库共 195 个段落）。"
    assert run("summaries", "--missing", "pengyang-2026")[1].startswith("共 0 个")
    code, _, err = run("summaries", "--missing", "nowhere-1")
    assert code == 1 and "没有文件 nowhere-1" in err


def test_a_new_summary_is_stamped_once_checked(run, knowledge_copy: Path) -> None:  # noqa: ANN001
    run("add", SOURCES / "tj-2022-20.txt", "--issuer", "天津市人力资源和社会保障局", "--yes")
    plain = knowledge_copy / "plain" / "tj-2022-20.yml"
    plain.write_text(
        "# 天津\n- passage_id: tj-2022-20:art22\n  summary: 师傅每带一名学徒满12个月得4000元。\n\n"
        "- passage_id: tj-2022-20:art21\n  summary: 新型学徒制按等级每人每年5000至7000元。\n",
        encoding="utf-8",
    )
    code, out, _ = run("check")
    assert code == 1 and out.count("通俗解读没有记下所依据的原文") == 2

    code, out, _ = run("summaries", "--stamp")
    assert code == 0 and "2 条" in out
    assert run("check")[0] == 0
    art22 = next(p for p in load_corpus(knowledge_copy).passages if p.passage_id == "tj-2022-20:art22")
    assert plain.read_text(encoding="utf-8") == (
        "# 天津\n- passage_id: tj-2022-20:art22\n  summary: 师傅每带一名学徒满12个月得4000元。\n"
        f'  text_hash: "{text_hash(art22.text)}"\n\n'
        "- passage_id: tj-2022-20:art21\n  summary: 新型学徒制按等级每人每年5000至7000元。\n"
        f'  text_hash: "{summary_entries(knowledge_copy)[-1].text_hash}"\n'
    )
    assert run("summaries", "--stamp")[1].strip() == "没有需要记下原文的通俗解读。"


def test_a_changed_passage_flags_its_summary_until_restamped(run, knowledge_copy: Path) -> None:  # noqa: ANN001
    policy = knowledge_copy / "policies" / "pengyang-2026.md"
    text = policy.read_text(encoding="utf-8")
    first = next(p for p in load_corpus(knowledge_copy).passages if p.passage_id == "pengyang-2026:0")
    policy.write_text(text.replace(first.text[:12], first.text[:12] + "（修订）", 1), encoding="utf-8")

    code, out, _ = run("check")
    assert code == 1
    assert "knowledge/plain/pengyang-2026.yml：段落原文在写通俗解读之后改过" in out
    assert out.rstrip().endswith("pengyang-2026:0")

    code, _, err = run("summaries", "--stamp", "pengyang-2026:99")
    assert code == 1 and "pengyang-2026:99" in err
    assert run("summaries", "--stamp", "pengyang-2026:0")[0] == 0
    assert run("check")[0] == 0
