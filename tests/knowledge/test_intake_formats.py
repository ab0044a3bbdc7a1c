"""Each file format through the intake: tiny documents built here with the same libraries."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.intake import Draft, Options, prepare
from retrieval.corpus import load_document

CJK_FONT = "STSong-Light"  # a CID font built into reportlab: no font file needed
CHARS_PER_LINE = 36  # at 12 pt from x = 72: a full line ends at the right margin


def _prepare(path: Path) -> Draft:
    return prepare(path, Options(), base={})


def _sections(draft: Draft) -> dict[str, str]:
    return {p.passage_id.split(":", 1)[1]: p.section for p in draft.passages}


def make_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    for line in (
        "彭阳县人力资源和社会保障局文件",
        "彭人社发〔2026〕3号",
        "关于印发《彭阳县测试培训补贴目录》的通知",
        "各乡镇人民政府：",
        "一、适用范围",
        "（一）本县户籍劳动者。",
        "（二）在本县务工的外地劳动者。",
        "二、本通知自2026年5月1日起施行，有效期至2028年4月30日。",
        "彭阳县人力资源和社会保障局",
        "2026年4月9日",
        "附件1",
        "彭阳县测试培训补贴目录",
    ):
        document.add_paragraph(line)
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate(
        (("序号", "职业", "补贴标准（元）"), ("1", "电工", "1500"), ("2", "焊工", "1800"))
    ):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(str(path))
    return path


def test_docx(tmp_path: Path) -> None:
    draft = _prepare(make_docx(tmp_path / "py-2026-3.docx"))
    meta = draft.meta
    assert meta["doc_id"] == "py-2026-3"
    assert meta["title"] == "关于印发《彭阳县测试培训补贴目录》的通知"
    assert meta["issuer"] == "彭阳县人力资源和社会保障局"
    assert meta["doc_number"] == "彭人社发〔2026〕3号"
    assert (meta["date"], meta["in_force_from"], meta["in_force_until"]) == (
        "2026-04-09",
        "2026-05-01",
        "2028-04-30",
    )
    assert meta["region_chain"] == ["640000", "640400", "640425"]
    assert meta["short_title"] == "彭阳县测试培训补贴目录"
    assert _sections(draft) == {
        "0": "前言",
        "1.1": "一、（一）",
        "1.2": "一、（二）",
        "2": "二、",
        "a1.1": "附件1 第1行",
        "a1.2": "附件1 第2行",
    }
    row = next(p.row for p in draft.passages if p.passage_id.endswith("a1.2"))
    assert row == {"序号": "2", "职业": "焊工", "补贴标准（元）": "1800"}
    assert "2026年4月9日" not in "\n".join(draft.body)  # the date line went into the front matter


HTML = """<html><head><meta charset="gbk"><title>通知_长沙市人民政府</title></head><body>
<div class="nav">首页 | 政务公开 | 网站地图</div>
<div class="article">
<h1>长沙市人力资源和社会保障局关于做好2026年职业技能培训工作的通知</h1>
<p>长人社发〔2026〕5号</p>
<p>各区县（市）人力资源社会保障局：</p>
<p>一、培训对象</p>
<p>（一）<b>农民工</b>和<span>返乡人员</span>。</p>
<p>（二）高校毕业生。</p>
<p>二、补贴标准</p>
<table><tr><th>职业</th><th>等级</th><th>补贴（元）</th></tr>
<tr><td rowspan="2">电工</td><td>初级</td><td>1000</td></tr>
<tr><td>中级</td><td>1500</td></tr></table>
<p>本通知自印发之日起施行。</p>
<p>长沙市人力资源和社会保障局</p>
<p>2026年3月1日</p>
</div>
<div class="share">扫一扫在手机打开当前页面</div>
<script>var x = "第一条 不是正文";</script>
</body></html>"""


def test_html_in_its_declared_charset(tmp_path: Path) -> None:
    path = tmp_path / "cs-2026-5.html"
    path.write_bytes(HTML.encode("gbk"))
    draft = _prepare(path)
    meta = draft.meta
    assert meta["title"] == "长沙市人力资源和社会保障局关于做好2026年职业技能培训工作的通知"
    assert meta["issuer"] == "长沙市人力资源和社会保障局"
    assert (meta["doc_number"], meta["date"], meta["in_force_from"]) == (
        "长人社发〔2026〕5号",
        "2026-03-01",
        "2026-03-01",
    )
    assert (meta["region"], meta["region_chain"]) == ("长沙市", ["430000", "430100"])
    sections = {"0": "前言", "1.1": "一、（一）", "1.2": "一、（二）", "2": "二、", "end": "文末"}
    assert _sections(draft) == sections
    texts = {p.passage_id.split(":")[1]: p.text for p in draft.passages}
    assert texts["end"].startswith("本通知自印发之日起施行。")  # its own term, not part of 二、
    assert texts["1.1"] == "（一）农民工和返乡人员。"  # inline tags do not split a paragraph
    assert "职业: 电工 | 等级: 中级 | 补贴（元）: 1500" in texts["2"]  # rowspan filled down
    body = "\n".join(draft.body)
    for clutter in ("首页", "扫一扫", "不是正文"):
        assert clutter not in body


MARKDOWN = """# 贵州省人力资源和社会保障厅关于开展测试培训的通知

黔人社发〔2026〕8号

各市（州）人力资源社会保障局：

## 一、补贴标准

| 证书 | 补贴（元） |
|---|---|
| 初级工 | 800 |
| 中级工 | 1200 |

**本通知自2026年6月1日起施行。**

贵州省人力资源和社会保障厅

2026年5月20日
"""


def test_markdown(tmp_path: Path) -> None:
    path = tmp_path / "gz-2026-8.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    draft = _prepare(path)
    assert draft.meta["doc_number"] == "黔人社发〔2026〕8号"
    assert (draft.meta["region"], draft.meta["in_force_from"]) == ("贵州省", "2026-06-01")
    clause = next(p for p in draft.passages if p.passage_id == "gz-2026-8:1")
    assert clause.text.splitlines() == [
        "一、补贴标准",
        "证书: 初级工 | 补贴（元）: 800",
        "证书: 中级工 | 补贴（元）: 1200",
    ]
    closing = next(p for p in draft.passages if p.passage_id == "gz-2026-8:end")
    assert closing.text == "本通知自2026年6月1日起施行。"


def test_text_in_gb18030_with_a_pipe_table(tmp_path: Path) -> None:
    path = tmp_path / "hn-2026-2.txt"
    text = "湖南省人力资源和社会保障厅\n湘人社发[2026]2号\n关于测试补贴的通知\n附件1 补贴目录\n职业 | 补贴\n电工 | 900元\n焊工 | 1100元\n"
    path.write_bytes(text.encode("gb18030"))
    draft = _prepare(path)
    assert (draft.meta["doc_number"], draft.meta["issuer"], draft.meta["date"]) == (
        "湘人社发〔2026〕2号",
        "湖南省人力资源和社会保障厅",
        "2026",
    )
    rows = [p.row for p in draft.passages if p.kind == "table_row"]
    assert rows == [{"职业": "电工", "补贴": "900元"}, {"职业": "焊工", "补贴": "1100元"}]


def _pdf_page(canvas, lines: list[str], page: int) -> None:  # noqa: ANN001 - a reportlab Canvas
    canvas.setFont(CJK_FONT, 10)
    canvas.drawString(72, 810, "彭阳县政策文件汇编")  # running header
    canvas.drawString(290, 30, f"- {page} -")  # page number
    canvas.setFont(CJK_FONT, 12)
    for i, line in enumerate(lines):
        canvas.drawString(72, 770 - 20 * i, line)


def make_pdf(path: Path) -> Path:
    from reportlab.lib import colors
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    first = "第一条 为规范职业技能培训补贴管理，提高资金使用效益，根据有关规定，结合本县实际，制定本办法。本办法适用于本县"
    second = "第二条 参加培训并取得职业技能等级证书的本县户籍劳动者，按照规定享受培训补贴，补贴资金经县人力资源和社会保障局审核公示后直接发放到本人社会保障卡"
    canvas = Canvas(str(path))
    _pdf_page(
        canvas,
        [
            "彭阳县人力资源和社会保障局文件",
            "彭人社发〔2026〕7号",
            "关于职业技能培训补贴有关事项的通知",
            "各乡镇人民政府，县直各部门：",
            first[:CHARS_PER_LINE],
            first[CHARS_PER_LINE:] + "内开展的补贴性培训。",
            second[:CHARS_PER_LINE],
            second[CHARS_PER_LINE:],  # full width too: the sentence goes on over the page
        ],
        1,
    )
    canvas.showPage()
    _pdf_page(
        canvas,
        [
            "账户。",
            "第三条 本办法自2026年7月1日起施行，有效期至2029年6月30日。",
            "彭阳县人力资源和社会保障局",
            "2026年6月15日",
            "附件1",
            "补贴标准",
        ],
        2,
    )
    table = Table([["序号", "职业", "补贴（元）"], ["1", "电工", "1500"], ["2", "焊工", "1800"]])
    table.setStyle(
        TableStyle([("FONTNAME", (0, 0), (-1, -1), CJK_FONT), ("GRID", (0, 0), (-1, -1), 0.5, colors.black)])
    )
    table.wrapOn(canvas, 400, 200)
    table.drawOn(canvas, 72, 500)
    canvas.showPage()
    canvas.save()
    return path


def test_pdf(tmp_path: Path) -> None:
    draft = _prepare(make_pdf(tmp_path / "py-2026-7.pdf"))
    meta = draft.meta
    assert meta["title"] == "关于职业技能培训补贴有关事项的通知"
    assert (meta["issuer"], meta["doc_number"]) == ("彭阳县人力资源和社会保障局", "彭人社发〔2026〕7号")
    assert (meta["date"], meta["in_force_from"], meta["in_force_until"]) == (
        "2026-06-15",
        "2026-07-01",
        "2029-06-30",
    )
    assert meta["region"] == "彭阳县"
    texts = {p.passage_id.split(":")[1]: p.text for p in draft.passages}
    assert list(texts) == ["0", "art1", "art2", "art3", "a1.1", "a1.2"]
    # lines wrapped at the right margin are joined, also across the page break
    assert texts["art1"].endswith("本办法适用于本县内开展的补贴性培训。")
    assert "\n" not in texts["art1"]
    assert texts["art2"].endswith("直接发放到本人社会保障卡账户。")
    body = "\n".join(draft.body)
    assert "彭阳县政策文件汇编" not in body and "- 1 -" not in body
    assert "页码2处" in meta["notes"] and "页眉页脚2处" in meta["notes"]
    assert next(p.row for p in draft.passages if p.passage_id.endswith("a1.1")) == {
        "序号": "1",
        "职业": "电工",
        "补贴（元）": "1500",
    }


@pytest.mark.parametrize("maker", [make_docx, make_pdf])
def test_written_file_loads_like_the_seed_documents(tmp_path: Path, maker) -> None:  # noqa: ANN001
    from bot.knowledge.base import write_document

    suffix = ".docx" if maker is make_docx else ".pdf"
    draft = _prepare(maker(tmp_path / f"py-2026-1{suffix}"))
    path = write_document(tmp_path / "knowledge", draft.meta, draft.body)
    document = load_document(path)
    assert document.doc_id == "py-2026-1" and document.region_adcode == "640425"
    assert document.in_force_from == draft.meta["in_force_from"] and document.replaced_by is None


def test_a_second_closing_paragraph_stays_with_the_first(tmp_path: Path) -> None:
    """A document may state its term twice (本通知自……施行 and, after another item, 本办法从……起执行): the
    first starts the closing passage, the second is read as ordinary text, so no passage id repeats."""
    path = tmp_path / "gz-2026-9.md"
    text = MARKDOWN.replace(
        "贵州省人力资源和社会保障厅\n\n2026年5月20日", "## 二、其他\n\n本办法从发布之日起执行。"
    )
    path.write_text(text.replace("8号", "9号"), encoding="utf-8")
    ids = [p.passage_id for p in _prepare(path).passages]
    assert len(ids) == len(set(ids)) and "gz-2026-9:end" in ids, ids
