"""The four documents of /work/shared/policies-extra (copies in sources/): what the intake finds in
each, that their defects survive, and that knowledge/policies holds exactly what the intake writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.base import _edit_front_matter, load_base, render
from bot.knowledge.intake import Options, prepare
from tests.knowledge.conftest import KNOWLEDGE_DIR, SOURCES

NOTE_2017 = (
    "36个月参保缴费的申领条件已被后来的国家文件放宽（那些文件不在知识库中）："
    "据此回答须注明是2017年的规定，不能当作现行全国规定。"
)
# Set afterwards with `knowledge set nat-2017-40 --caveat …` (docs/KNOWLEDGE.md).
SET_AFTER = {
    "nat-2017-40": {
        "caveat": "这是2017年的规定。其中“累计缴纳失业保险费36个月以上”的申领条件已被后来的国家文件放宽"
        "（那些文件不在我的资料里），不能当作现行全国规定，请以当地现行规定为准。"
    }
}
# The options the documents were added with (docs/KNOWLEDGE.md): only what the text lacks.
INTAKE_OPTIONS = {
    "nat-2017-40": Options(doc_number="人社部发〔2017〕40号", date="2017-05", notes=[NOTE_2017]),
    "nat-2023-181": Options(),
    "tj-2022-20": Options(issuer="天津市人力资源和社会保障局"),
    "tj-2026-10": Options(),
}


@pytest.fixture(scope="module")
def seeds() -> dict:
    return {d: doc for d, doc in load_base(KNOWLEDGE_DIR).items() if d not in INTAKE_OPTIONS}


@pytest.fixture(scope="module")
def drafts(seeds: dict) -> dict:
    return {
        doc_id: prepare(SOURCES / f"{doc_id}.txt", options, seeds)
        for doc_id, options in INTAKE_OPTIONS.items()
    }


@pytest.mark.parametrize(
    ("doc_id", "expected"),
    [
        (
            "nat-2023-181",
            {
                "title": "财政部人力资源社会保障部关于印发〈就业补助资金管理办法〉的通知",
                "short_title": "就业补助资金管理办法",
                "issuer": "财政部 人力资源社会保障部",
                "doc_number": "财社〔2023〕181号",  # found in the glued header, not the cited 财社〔7〕164号
                "region": "全国",
                "region_chain": ["000000"],
                "date": "2023",  # "财政部办公厅2023年月日印发": month and day were lost
                "in_force_from": "2023",  # 自发布之日起施行
                "in_force_until": None,
            },
        ),
        (
            "tj-2022-20",
            {
                "title": "天津市职业技能培训补贴实施办法",
                "doc_number": "津人社局发〔2022〕20号",  # [2022] normalised to 〔2022〕
                "region": "天津市",
                "region_chain": ["120000"],
                "date": "2022",  # no date of writing: the number's year
                "in_force_from": "2022-08-01",  # 第三十四条
                "in_force_until": "2027-07-31",
            },
        ),
        (
            "tj-2026-10",
            {
                "title": "市人社局市财政局关于印发《天津市市场紧缺职业需求程度及培训补贴标准目录（2026年版）》的通知",
                "issuer": "天津市人力资源和社会保障局 天津市财政局",
                "doc_number": "津人社办发〔2026〕10号",
                "region": "天津市",
                "date": "2026-04-09",
                "in_force_from": "2026-05-01",
                "in_force_until": None,
                "replaced_by": None,
            },
        ),
        (
            "nat-2017-40",
            {
                "title": "人力资源社会保障部财政部关于失业保险支持参保职工提升职业技能有关问题的通知",
                "issuer": "人力资源社会保障部 财政部",  # the title's prefix
                "region": "全国",
                "in_force_from": "2017-05",  # 自印发之日起施行, with the date given
            },
        ),
    ],
)
def test_metadata_found_in_the_text(drafts: dict, doc_id: str, expected: dict) -> None:
    meta = drafts[doc_id].meta
    assert {key: meta[key] for key in expected} == expected


def test_what_the_text_lacks_is_asked_for(tmp_path: Path, run) -> None:  # noqa: ANN001
    code, _, err = run("add", SOURCES / "nat-2017-40.txt", "--yes")
    assert code == 1 and "--date" in err  # the number is not required; the date is
    code, _, err = run("add", SOURCES / "tj-2022-20.txt", "--yes")
    assert code == 1 and "--issuer" in err and "--region" not in err  # the region comes from the title


def test_articles_chunk_and_defects_are_kept(drafts: dict) -> None:
    passages = {p.passage_id: p for d in drafts.values() for p in d.passages}
    assert [p.split(":")[1] for p in passages if p.startswith("tj-2022-20:")] == [
        f"art{n}" for n in range(1, 35)
    ]
    assert passages["tj-2022-20:art4"].text.count("\n") == 7  # 第四条 with its seven items
    assert passages["tj-2022-20:art21"].context == ("第三章 定向培训、项目制培训等补贴",)
    assert len([p for p in passages if p.startswith("nat-2023-181:art")]) == 32
    assert passages["nat-2023-181:art5"].context == ("第二章 资金支出范围",)
    assert "每年月31日前" in passages["nat-2023-181:art21"].text  # dropped digit stays dropped
    assert "\n出。\n" in passages["nat-2023-181:art16"].text  # displaced fragment stays where it was
    assert "衔私舞弊" in passages["nat-2023-181:art29"].text  # misread kept
    assert "年月日印发" not in passages["nat-2023-181:art32"].text  # the colophon is not part of 第三十二条
    assert [p.split(":")[1] for p in passages if p.startswith("nat-2017-40:")][:4] == ["0", "1", "1.1", "1.2"]


def test_lost_tables_are_recorded_as_unknown_not_zero(drafts: dict) -> None:
    draft = drafts["tj-2026-10"]
    assert "“[表格]”处的表格在提取中丢失" in draft.meta["notes"]
    assert "（非常紧缺职业）" in draft.meta["notes"] and "不是0元" in draft.meta["notes"]
    assert "[表格]" in draft.body
    rows = [p for p in draft.passages if p.kind == "table_row"]
    assert [r.row["等级 评价类别"] for r in rows] == ["A类职业", "B类职业", "C类职业"]  # type: ignore[index]
    assert rows[0].row["高级技师"] == "640元"  # type: ignore[index]


def test_replaced_editions_outside_the_base_are_noted(drafts: dict) -> None:
    assert (
        "《天津市市场紧缺职业需求程度及培训补贴标准目录（2024年版）》" in drafts["tj-2026-10"].meta["notes"]
    )
    assert "不在知识库中" in drafts["tj-2026-10"].meta["notes"]
    assert drafts["tj-2026-10"].hints == []
    assert "（财社〔2019〕号）" in drafts["nat-2023-181"].meta["notes"]
    assert "原文有数字残缺：财社〔7〕164号" in drafts["nat-2023-181"].meta["notes"]


@pytest.mark.parametrize("doc_id", sorted(INTAKE_OPTIONS))
def test_the_base_holds_exactly_what_the_intake_writes(drafts: dict, doc_id: str) -> None:
    draft = drafts[doc_id]
    committed = (KNOWLEDGE_DIR / "policies" / f"{doc_id}.md").read_text(encoding="utf-8")
    assert committed == _edit_front_matter(render(draft.meta, draft.body), SET_AFTER.get(doc_id, {}))
