"""Bad input gets a Chinese message, exit code 1, and leaves the knowledge base as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.knowledge.conftest import SOURCES, tree_digest


def _scanned_pdf(path: Path) -> Path:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path))
    canvas.rect(72, 400, 400, 300, fill=1)  # a page that is only an image, no text layer
    canvas.showPage()
    canvas.save()
    return path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b" \n\n\xe3\x80\x80\n", "没有可录入的文字"),
        ("scan.pdf", None, "可能是扫描件"),
        ("notice.doc", b"\xd0\xcf\x11\xe0 old word", "不支持的文件格式"),
        ("table.xlsx", b"PK\x03\x04", "不支持的文件格式"),
        ("broken.docx", b"not a zip file", "无法读取 broken.docx"),
        ("broken.pdf", b"%PDF-1.4 truncated", "无法读取 broken.pdf"),
    ],
)
def test_unusable_files_are_refused(
    run,  # noqa: ANN001
    knowledge_copy: Path,
    tmp_path: Path,
    name: str,
    content: bytes | None,
    message: str,
) -> None:
    path = tmp_path / name
    if content is None:
        _scanned_pdf(path)
    else:
        path.write_bytes(content)
    before = tree_digest(knowledge_copy)
    code, out, err = run("add", path, "--yes")
    assert code == 1 and message in err and not out
    assert tree_digest(knowledge_copy) == before


def test_a_missing_file_is_named(run, tmp_path: Path) -> None:  # noqa: ANN001
    code, _, err = run("add", tmp_path / "nowhere.txt", "--yes")
    assert code == 1 and "找不到文件" in err


def test_duplicates_are_refused(run, knowledge_copy: Path, tmp_path: Path) -> None:  # noqa: ANN001
    assert run("add", SOURCES / "tj-2026-10.txt", "--yes")[0] == 0
    before = tree_digest(knowledge_copy)

    code, _, err = run("add", SOURCES / "tj-2026-10.txt", "--yes")
    assert code == 1 and "已有编号为 tj-2026-10" in err

    renamed = tmp_path / "catalogue-2026.txt"
    renamed.write_bytes((SOURCES / "tj-2026-10.txt").read_bytes())
    code, _, err = run("add", renamed, "--yes")
    assert code == 1 and "同一文号" in err and "tj-2026-10" in err

    retitled = tmp_path / "retitled.txt"  # same text, header replaced: caught by its body
    body = (SOURCES / "tj-2026-10.txt").read_text(encoding="utf-8").splitlines()[6:]
    retitled.write_text("\n".join(["天津市测试目录", *body]), encoding="utf-8")
    code, _, err = run("add", retitled, "--issuer", "天津市财政局", "--yes")
    assert code == 1 and "正文与知识库里的 tj-2026-10 基本相同" in err
    assert tree_digest(knowledge_copy) == before


def test_a_batch_is_written_whole_or_not_at_all(run, knowledge_copy: Path, tmp_path: Path) -> None:  # noqa: ANN001
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    before = tree_digest(knowledge_copy)
    code, _, err = run("add", SOURCES / "tj-2026-10.txt", empty, "--yes")
    assert code == 1 and "empty.txt" in err
    code, _, err = run(
        "add", SOURCES / "tj-2026-10.txt", SOURCES / "tj-2022-20.txt", "--issuer", "某局", "--yes"
    )
    assert code == 1 and "只适用于一个文件" in err
    assert tree_digest(knowledge_copy) == before


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--date", "2026-13-01"], "日期“2026-13-01”不对"),
        (["--in-force-until", "明年"], "日期“明年”不对"),
        (["--region", "火星"], "地区“火星”无法识别"),
        (["--doc-number", "第十号"], "文号“第十号”不对"),
        (["--doc-id", "TJ 2026"], "只能用小写字母"),
        (["--replaced-by", "no-such-doc"], "没有文件 no-such-doc"),
        (["--in-force-from", "2026-06-01", "--in-force-until", "2026-05-31"], "晚于有效期截止日"),
    ],
)
def test_bad_option_values_are_refused(run, knowledge_copy: Path, options: list[str], message: str) -> None:  # noqa: ANN001
    before = tree_digest(knowledge_copy)
    code, _, err = run("add", SOURCES / "tj-2026-10.txt", *options, "--yes")
    assert code == 1 and message in err
    assert tree_digest(knowledge_copy) == before


def test_without_yes_and_without_a_terminal_nothing_is_written(run, knowledge_copy: Path) -> None:  # noqa: ANN001
    before = tree_digest(knowledge_copy)
    code, out, err = run("add", SOURCES / "tj-2026-10.txt")
    assert code == 1 and "加 --yes" in err
    assert "tj-2026-10:a.1  附件 第1行" in out  # what it would write was shown
    assert tree_digest(knowledge_copy) == before
