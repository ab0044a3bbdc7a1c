from __future__ import annotations

import re
from pathlib import Path

import pytest

from retrieval.corpus import Corpus, load_corpus

# The documents prepared from the seeds; more enter through the intake (bot/knowledge).
DOC_IDS = {"hunan-2026-17", "guangdong-2025-skills", "guizhou-2025-3", "hunan-2023-15", "pengyang-2026"}


def test_every_seed_document_is_loaded_with_metadata(corpus: Corpus) -> None:
    assert set(corpus.documents) >= DOC_IDS
    pengyang = corpus.documents["pengyang-2026"]
    assert pengyang.region_adcode == "640425"
    assert pengyang.region_chain == ("640000", "640400", "640425")
    assert corpus.documents["guizhou-2025-3"].doc_number == "黔就劳发〔2025〕3号"
    assert corpus.documents["hunan-2026-17"].date == "2026-03-03"
    assert all(re.fullmatch(r"\d{6}", d.region_adcode) for d in corpus.documents.values())


def test_passage_ids_are_unique(corpus: Corpus) -> None:
    ids = [p.passage_id for p in corpus.passages]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("passage_id", "section", "starts_with"),
    [
        ("guangdong-2025-skills:2.10", "二、（十）", "(十)创业培训“马兰花”行动"),
        ("guizhou-2025-3:3.10", "三、（十）", "(十)加强输入地联动"),
        ("hunan-2026-17:2.5", "二、5.", "5．职业院校课证融通培训行动"),
        ("hunan-2023-15:2.1.2", "二、（一）2.", "2.建设一批“楚怡”文化传承基地"),
        ("pengyang-2026:2.4", "二、（四）", "（四）支持企业自主开展培训"),
        ("pengyang-2026:a1.22", "附件1 第22行", "序号: 22"),
        ("hunan-2026-17:a.1", "附件 第1行", "市州: 长沙市"),
        ("pengyang-2026:0", "前言", "为深入实施就业优先战略"),
        # the closing paragraph on the document's own term is no part of the item before it
        ("nat-2017-40:end", "文末", "本《通知》自印发之日起开始施行"),
    ],
)
def test_sections_follow_the_documents_own_numbering(
    corpus: Corpus, passage_id: str, section: str, starts_with: str
) -> None:
    passage = corpus.by_id[passage_id]
    assert passage.section == section
    assert passage.text.startswith(starts_with)


def test_passages_carry_title_context(corpus: Corpus) -> None:
    passage = corpus.by_id["guangdong-2025-skills:2.10"]
    indexed = passage.index_text(corpus.documents[passage.doc_id])
    assert indexed.startswith("广东“技能照亮前程 人才赋能产业”培训行动方案 二、实施专项培训行动\n")


def test_repeated_paragraph_is_kept_once(corpus: Corpus) -> None:
    text = "".join(p.text for p in corpus.passages if p.doc_id == "hunan-2023-15")
    assert text.count("营造技术技能人才“十项聚”良好发展环境") == 1


def test_web_page_clutter_is_dropped(corpus: Corpus) -> None:
    text = "".join(p.text for p in corpus.passages)
    for clutter in ("扫一扫在手机打开当前页面", "索 引 号", "生成日期", "**"):
        assert clutter not in text


def test_damaged_passages_are_kept_and_flagged_not_completed(corpus: Corpus) -> None:
    cut = corpus.by_id["hunan-2023-15:2.3.2"]
    assert cut.text.endswith("遴选建设10个")
    assert cut.truncated
    # the numbering restarts where a heading was lost: the lost parent shows as ？
    assert corpus.by_id["hunan-2023-15:2.x.2"].section == "二、（？）2."
    assert corpus.by_id["hunan-2023-15:x.3"].section == "？、（三）"


def test_sentences_split_by_page_breaks_are_joined(corpus: Corpus) -> None:
    assert "结构合理的技能人才队伍" in corpus.by_id["pengyang-2026:2.1"].text
    assert "职业资格培训补贴由个人提出申请" in corpus.by_id["pengyang-2026:3.3"].text


@pytest.mark.parametrize("row", range(1, 20))
def test_catalogue_rows_without_amount_are_marked_unknown_not_zero(corpus: Corpus, row: int) -> None:
    cells = corpus.by_id[f"pengyang-2026:a1.{row}"].row
    assert cells is not None
    assert cells["补贴标准(元)"].startswith("不详")


@pytest.mark.parametrize(
    ("row", "name", "amount"),
    [
        (20, "客运索道司机", "1800"),
        (22, "叉车司机", "1400"),
        (26, "经营性客运驾驶员", "6000"),
        (33, "应急救援员", "2500"),
    ],
)
def test_catalogue_rows_with_amounts_keep_headers(corpus: Corpus, row: int, name: str, amount: str) -> None:
    cells = corpus.by_id[f"pengyang-2026:a1.{row}"].row
    assert cells is not None
    assert (cells["序号"], cells["职业资格名称"], cells["补贴标准(元)"]) == (str(row), name, amount)


def test_city_table_is_flattened_into_rows_with_headers(corpus: Corpus) -> None:
    rows = [p for p in corpus.passages if p.doc_id == "hunan-2026-17" and p.kind == "table_row"]
    assert len(rows) == 15
    assert rows[0].row == {
        "市州": "长沙市",
        "补贴性职业培训（万人次）": "5.290",
        "其他类型职业培训（万人次）": "10.755",
        "共计（万人次）": "16.045",
    }
    assert rows[-1].row is not None and rows[-1].row["市州"] == "合计"


def test_a_new_policy_file_is_picked_up(knowledge_copy: Path) -> None:
    (knowledge_copy / "policies" / "test-2026-1.md").write_text(
        "---\ndoc_id: test-2026-1\ntitle: 测试文件\nissuer: 测试厅\nregion: 湖南省\nregion_adcode: '430000'\n---\n\n"
        "一、总则\n\n（一）第一条。内容。\n\n（二）第二条。内容。\n",
        encoding="utf-8",
    )
    corpus = load_corpus(knowledge_copy)
    assert "test-2026-1" in corpus.documents
    assert [p.section for p in corpus.passages if p.doc_id == "test-2026-1"] == ["一、（一）", "一、（二）"]
