"""add / list / show / set / remove / check on a copy of the base, and the index rebuild after a change."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.base import lifecycle_status
from retrieval.corpus import load_document
from tests.knowledge.conftest import SOURCES, tree_digest


def test_add_prints_what_it_found_then_writes(run, knowledge_copy: Path) -> None:  # noqa: ANN001
    code, out, _ = run("add", SOURCES / "tj-2022-20.txt", "--issuer", "天津市人力资源和社会保障局", "--yes")
    assert code == 0
    assert "文号：津人社局发〔2022〕20号（原文）" in out
    assert "发文机关：天津市人力资源和社会保障局（选项）" in out
    assert "tj-2022-20:art34  第三十四条  第三十四条 本办法自2022年8月1日起施行" in out
    assert "检索索引" in out  # --no-index says the index still has to be updated
    document = load_document(knowledge_copy / "policies" / "tj-2022-20.md")
    assert (document.in_force_from, document.in_force_until, document.replaced_by) == (
        "2022-08-01",
        "2027-07-31",
        None,
    )


def test_add_rebuilds_the_index(run, settings, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    calls = []

    def ensure_built(given, progress) -> dict:  # noqa: ANN001
        calls.append(given.knowledge_dir)
        progress("corpus: 6 documents")
        return {"documents": ["a"] * 6, "passages": 166}

    monkeypatch.setattr("retrieval.index.ensure_built", ensure_built)
    code, out, _ = run("add", SOURCES / "tj-2026-10.txt", "--yes", index=True)
    assert code == 0 and calls == [settings.knowledge_dir]
    assert "  corpus: 6 documents" in out and "检索索引已更新：6 份文件，166 个段落。" in out


def test_set_changes_only_the_life_cycle_lines(run, knowledge_copy: Path) -> None:  # noqa: ANN001
    path = knowledge_copy / "policies" / "hunan-2023-15.md"
    before = path.read_text(encoding="utf-8").splitlines()
    code, out, _ = run(
        "set", "hunan-2023-15", "--in-force-until", "2025-12-31", "--replaced-by", "hunan-2026-17"
    )
    assert code == 0 and "有效期至 2025-12-31" in out
    after = path.read_text(encoding="utf-8").splitlines()
    added = [line for line in after if line not in before]
    assert added == ['in_force_until: "2025-12-31"', "replaced_by: hunan-2026-17"]
    assert [line for line in before if line not in after] == []
    document = load_document(path)
    assert (document.in_force_until, document.replaced_by) == ("2025-12-31", "hunan-2026-17")
    assert lifecycle_status(document) == "replaced"
    assert "已被 hunan-2026-17 取代" in run("list")[1]

    assert run("set", "hunan-2023-15", "--replaced-by", "none", "--in-force-until", "2025-12")[0] == 0
    text = path.read_text(encoding="utf-8")
    assert "replaced_by: null" in text and 'in_force_until: "2025-12"' in text
    assert text.count("in_force_until:") == 1
    assert run("check")[0] == 0


def test_set_caveat_is_shown_with_every_answer_from_the_document(run, knowledge_copy: Path) -> None:  # noqa: ANN001
    path = knowledge_copy / "policies" / "hunan-2023-15.md"
    code, out, _ = run("set", "hunan-2023-15", "--caveat", "其中的补贴标准已被2026年方案调整。")
    assert code == 0 and "回答时的提醒 其中的补贴标准已被2026年方案调整。" in out
    assert load_document(path).caveat == "其中的补贴标准已被2026年方案调整。"
    assert run("set", "hunan-2023-15", "--caveat", "none")[0] == 0
    assert load_document(path).caveat == "" and run("check")[0] == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["set", "hunan-2023-15", "--caveat", "长" * 201], "不超过 200 个字"),
        (["set", "nowhere-1", "--in-force-from", "2026"], "没有文件 nowhere-1"),
        (["set", "hunan-2023-15", "--replaced-by", "nowhere-1"], "没有文件 nowhere-1"),
        (["set", "hunan-2023-15", "--replaced-by", "hunan-2023-15"], "没有文件 hunan-2023-15"),
        (["set", "hunan-2023-15", "--in-force-from", "2026-02-30"], "日期“2026-02-30”不对"),
        (["set", "hunan-2023-15", "--in-force-from", "2026-05-01", "--in-force-until", "2026-01-01"], "晚于"),
        (["set", "hunan-2023-15"], "请至少给出"),
    ],
)
def test_set_refuses_bad_values(run, knowledge_copy: Path, argv: list[str], message: str) -> None:  # noqa: ANN001
    before = tree_digest(knowledge_copy)
    code, _, err = run(*argv)
    assert code == 1 and message in err
    assert tree_digest(knowledge_copy) == before


def test_lifecycle_status_follows_the_dates(run, knowledge_copy: Path) -> None:  # noqa: ANN001
    from datetime import date

    run("add", SOURCES / "tj-2022-20.txt", "--issuer", "天津市人力资源和社会保障局", "--yes")
    document = load_document(knowledge_copy / "policies" / "tj-2022-20.md")
    assert lifecycle_status(document, date(2022, 7, 31)) == "pending"
    assert lifecycle_status(document, date(2027, 7, 31)) == "in_force"
    assert lifecycle_status(document, date(2027, 8, 1)) == "expired"
    assert lifecycle_status(load_document(knowledge_copy / "policies" / "pengyang-2026.md")) == "unknown"


def test_remove(run, knowledge_copy: Path) -> None:  # noqa: ANN001
    run("add", SOURCES / "nat-2023-181.txt", "--yes")  # a document the subsidy rules do not quote
    code, out, _ = run("remove", "nat-2023-181", "--yes")
    assert code == 0 and "已删除" in out
    assert not (knowledge_copy / "policies" / "nat-2023-181.md").exists()
    assert run("remove", "nat-2023-181", "--yes")[2].strip() == "知识库里没有文件 nat-2023-181。"


def test_remove_refuses_a_document_others_rely_on(run, knowledge_copy: Path) -> None:  # noqa: ANN001
    run("add", SOURCES / "tj-2026-10.txt", "--yes")
    code, _, err = run("remove", "tj-2026-10", "--yes")
    assert code == 1 and "补贴规则" in err and "通俗解读" not in err
    before = tree_digest(knowledge_copy)
    code, _, err = run("remove", "pengyang-2026", "--yes")
    assert code == 1 and "通俗解读" in err and "补贴规则" in err and "术语表" in err
    run("set", "guizhou-2025-3", "--replaced-by", "hunan-2026-17")
    code, _, err = run("remove", "hunan-2026-17", "--yes")
    assert code == 1 and "guizhou-2025-3（replaced_by）" in err
    run("set", "guizhou-2025-3", "--replaced-by", "none")
    assert (knowledge_copy / "policies" / "hunan-2026-17.md").exists()
    assert tree_digest(knowledge_copy) != before  # only guizhou's replaced_by line was added


def test_check_passes_on_the_real_base(run) -> None:  # noqa: ANN001
    code, out, _ = run("check")
    assert code == 0 and out.startswith("知识库检查通过：5 份文件，161 个段落")


def _policy(knowledge: Path, name: str, front: str, body: str = "一、总则\n\n（一）内容。") -> None:
    (knowledge / "policies" / f"{name}.md").write_text(f"---\n{front}---\n\n{body}\n", encoding="utf-8")


GOOD_FRONT = (
    "doc_id: {id}\ntitle: 测试\nshort_title: 测试\nissuer: 天津市财政局\ndoc_number: ''\nregion: 天津市\n"
    "region_adcode: '120000'\nregion_chain: ['120000']\nregion_chain_names: [天津市]\ndate: '2026'\n"
    "source_file: t.txt\nnotes: ''\n"
)


@pytest.mark.parametrize(
    ("front", "body", "problem"),
    [
        (GOOD_FRONT + "replaced_by: gone-1\n", None, "replaced_by 指向不存在的文件"),
        (GOOD_FRONT + "in_force_until: '2026-13-01'\n", None, "日期格式不对"),
        (
            GOOD_FRONT.replace("region_adcode: '120000'", "region_adcode: '640425'"),
            None,
            "地区与行政区划代码对不上",
        ),
        (GOOD_FRONT.replace("doc_number: ''", "doc_number: 第十号"), None, "文号格式不对"),
        (GOOD_FRONT.replace("notes: ''\n", ""), None, "缺少字段：notes"),
        (GOOD_FRONT.replace("doc_id: {id}", "doc_id: other-1"), None, "文件编号与文件名不符"),
        (GOOD_FRONT, "一、甲\n\n一、乙", "段落编号重复"),
        ("doc_id: [broken\n", None, "无法读取前置信息"),
    ],
)
def test_check_finds_problems(run, knowledge_copy: Path, front: str, body: str | None, problem: str) -> None:  # noqa: ANN001
    _policy(knowledge_copy, "test-1", front.replace("{id}", "test-1"), *(b for b in [body] if b))
    code, out, _ = run("check")
    assert code == 1 and problem in out and "test-1.md" in out


def test_check_finds_summaries_of_missing_passages(run, knowledge_copy: Path) -> None:  # noqa: ANN001
    (knowledge_copy / "plain" / "extra.yml").write_text(
        "- passage_id: pengyang-2026:9.9\n  summary: 无\n", encoding="utf-8"
    )
    code, out, _ = run("check")
    assert code == 1 and "通俗解读指向不存在的段落：pengyang-2026:9.9" in out


def test_list_and_show(run) -> None:  # noqa: ANN001
    run("add", SOURCES / "nat-2023-181.txt", "--yes")
    code, out, _ = run("list")
    assert code == 0 and "共 6 份文件。" in out
    assert out.splitlines()[1].startswith("nat-2023-181")  # national documents first
    code, out, _ = run("show", "nat-2023-181")
    assert code == 0 and "地区：全国（000000，全国）" in out and "段落 33 个" in out
    assert "nat-2023-181:art16  第十六条" in out and "原文有数字残缺" in out


def test_a_document_repealing_one_in_the_base_suggests_the_set_command(run, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "hn-2027-1.txt"
    path.write_text(
        "湖南省教育厅\n湘教发〔2027〕1号\n关于深化职业技能培训的通知\n各市州：\n"
        "一、本通知自2027年3月1日起施行，《关于实施职业技能培训“提质”行动的通知》（湘教发〔2023〕15号）同时废止。\n"
        "湖南省教育厅\n2027年2月1日\n",
        encoding="utf-8",
    )
    code, out, _ = run("add", path, "--yes")
    assert code == 0 and "即知识库中的 hunan-2023-15" in out
    assert "knowledge set hunan-2023-15 --in-force-until 2027-02-28 --replaced-by hn-2027-1" in out


@pytest.mark.parametrize(("answer", "written"), [("是", True), ("y", True), ("n", False), ("", False)])
def test_interactive_confirmation(
    run,  # noqa: ANN001
    knowledge_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    written: bool,
) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda _: answer)
    code, _, _ = run("add", SOURCES / "tj-2026-10.txt")
    assert (code == 0) is written
    assert (knowledge_copy / "policies" / "tj-2026-10.md").exists() is written
