"""One file → a draft knowledge-base document: front matter, cleaned body and the passages it chunks into.

Cleaning keeps the document's words: it drops page clutter (page numbers, web-page furniture), the header
and signature blocks whose content goes into the front matter, and verbatim repetition; it splits lines
only where the document's structure was glued together; it never completes or corrects text. Every
removal and every defect found is written into `notes`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bot.knowledge import detect
from bot.knowledge.errors import IntakeError
from bot.knowledge.extract import PAGE_NUMBER, Block, Table, extract
from retrieval.corpus import Document, Passage, chunk_document

DOC_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
WEB_CLUTTER = re.compile(
    r"扫一扫在手机打开当前页面|【?打印本页】?|【?关闭窗口】?|【打印】|【关闭】|[【\[]?字体[：:]\s*[【\[]?大[】\]]?\s*[【\[]?中[】\]]?\s*[【\[]?小[】\]]?"
)
WEB_FIELD_LINE = re.compile(
    r"^(?:索\s*引\s*号|信息分类|发布机构|生成日期|发布日期|浏览次数|来源|分享到)\s*[：:]"
)
ANNOTATION = re.compile(r"^[（(]此件[^）)]*[）)]$")
COLOPHON_LINE = re.compile(r"^(?:抄送|抄报|信息公开选项|主题词|关键词)\s*[：:]|印发$")
CHAPTER_AT_END = re.compile(r"^(.+?)(第[一二三四五六七八九十百零〇]+[章节]\s*[^\s，。；：、]{1,15})$")
ADDRESSEE = re.compile(r"^(各[^。；]{2,120}?[：:])(.+)$")
ATTACHMENT_LABEL = re.compile(r"^附件\s*(\d*)$")
SENTENCE = re.compile("[。；！？]")
REPEAT_MIN_CHARS = 20
DOCUMENT_FIELDS = (
    "doc_id", "title", "short_title", "issuer", "doc_number", "region", "region_adcode", "region_chain",
    "region_chain_names", "date", "in_force_from", "in_force_until", "replaced_by", "source_file", "notes",
)  # fmt: skip
DATE_FIELDS = ("date", "in_force_from", "in_force_until")


@dataclass
class Options:
    """Values the operator gives or corrects; None = take what the document says."""

    doc_id: str | None = None
    title: str | None = None
    short_title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    date: str | None = None
    region: str | None = None
    in_force_from: str | None = None
    in_force_until: str | None = None
    replaced_by: str | None = None
    notes: list[str] = field(default_factory=list)

    def given(self) -> dict[str, str]:
        return {
            f.name: v for f in fields(self) if f.name != "notes" and (v := getattr(self, f.name)) is not None
        }


@dataclass
class Draft:
    meta: dict[str, Any]  # front matter, in DOCUMENT_FIELDS order
    body: list[str]  # body lines; "" separates paragraphs
    passages: list[Passage]
    found: dict[str, Any]  # what the document itself says, per field (None: nothing)
    given: dict[str, str]  # what the operator gave
    hints: list[tuple[str, str, str]] = field(default_factory=list)  # (existing doc, until, replaced by)

    @property
    def doc_id(self) -> str:
        return str(self.meta["doc_id"])

    def document(self) -> Document:
        return _document(self.meta, self.body)

    def source(self, key: str) -> str:
        """Where a field's value came from: "given" (the operator), "found" (the text) or "derived"."""
        if key in self.given:
            return "given"
        return "found" if self.found.get(key) == self.meta[key] else "derived"


def prepare(path: Path, options: Options, base: dict[str, Document]) -> Draft:
    """Read, clean, detect and check one file against the base; raises IntakeError, writes nothing."""
    extracted = extract(path)
    dropped: Counter[str] = Counter(extracted.dropped)
    blocks = _normalise(extracted.blocks, dropped)
    lines = [b for b in blocks if isinstance(b, str)]
    head = detect.read_head(lines)
    found = _found(head, lines)
    given = _checked_options(options, base)
    meta = _metadata(path, found, given, lines)

    body_blocks = blocks[_block_index(blocks, head.body_start) :]
    body_blocks = _unglue(([head.body_rest] if head.body_rest else []) + body_blocks)
    body_blocks, removed, attachment = _drop_furniture(body_blocks, meta["title"])
    body = _render(_drop_repeats(body_blocks, dropped))
    if not any(body):
        raise IntakeError("empty", file=path.name)

    header = lines[: head.body_start]
    if head.body_rest:
        header[-1] = header[-1].removesuffix(head.body_rest)
    notes = _cleaning_notes(header, removed, attachment, dropped, extracted.empty_pages)
    notes += _defect_notes([line for line in body if line])
    if not found["date"] and "date" not in given:
        notes.append("原文未载成文日期，date 取自文号中的年份。")
    replaced, hints = _replaced(lines, meta, base)
    meta["notes"] = " ".join([*notes, *replaced, *_option_notes(found, given), *options.notes])

    try:
        passages = chunk_document(_document(meta, body))
    except ValueError as error:
        raise IntakeError("chunking", file=path.name, reason=str(error)) from error
    draft = Draft(meta=meta, body=body, passages=passages, found=found, given=given, hints=hints)
    _refuse_duplicates(draft, path, base)
    return draft


def _metadata(path: Path, found: dict[str, Any], given: dict[str, Any], lines: list[str]) -> dict[str, Any]:
    """Front matter: the operator's values over what the text says; `found` gains the life-cycle dates."""
    meta: dict[str, Any] = {key: given.get(key, found.get(key)) for key in DOCUMENT_FIELDS}
    if not meta["date"] and meta["doc_number"]:
        meta["date"] = re.search(r"〔(\d{4})〕", meta["doc_number"]).group(1)  # type: ignore[union-attr]
    start, until = detect.in_force("\n".join(lines), meta["date"] or None)
    found.update(in_force_from=start, in_force_until=until)
    meta["in_force_from"] = given.get("in_force_from", start)
    meta["in_force_until"] = given.get("in_force_until", until)
    missing = [key for key in ("title", "issuer", "date") if not meta[key]]
    region = detect.resolve_region(given["region"]) if "region" in given else None
    if region is None and meta["title"]:
        issuers = detect.organisations(meta["issuer"] or "") or ([meta["issuer"]] if meta["issuer"] else [])
        region = detect.region_of(issuers, meta["title"])
    if region is None:
        missing.append("region")
    if missing:
        options = "、".join(f"--{key.replace('_', '-')}" for key in missing)
        raise IntakeError("not_found", file=path.name, options=options, fields=missing)
    meta.update(region)
    meta["short_title"] = given.get("short_title") or detect.short_title(meta["title"], meta["region"])
    meta["doc_number"] = meta["doc_number"] or ""
    meta["doc_id"] = given.get("doc_id") or _doc_id(path, meta)
    meta["source_file"] = path.name
    _check_dates(meta)
    return meta


def _normalise(blocks: list[Block], dropped: Counter[str]) -> list[Block]:
    """One stripped line per block, whitespace runs collapsed, page numbers and web-page furniture dropped."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Table):
            out.append(block)
            continue
        for raw in block.splitlines():
            line, cut = WEB_CLUTTER.subn("", raw)
            dropped["web_clutter"] += cut
            line = re.sub(r"\s+", " ", line.replace("\u3000", " ")).strip()
            if not line:
                continue
            if PAGE_NUMBER.match(line):
                dropped["page_number"] += 1
            elif WEB_FIELD_LINE.match(line):
                dropped["web_clutter"] += 1
            else:
                out.append(line)
    return out


def _found(head: detect.Head, lines: list[str]) -> dict[str, Any]:
    title = head.title
    prefix = detect.organisations(title.split("关于")[0]) if title and "关于" in title else []
    issuers = head.issuers or prefix or detect.signature(lines)
    return {
        "title": title,
        "issuer": " ".join(issuers) or None,
        "doc_number": head.doc_number,
        "date": detect.issue_date(lines),
    }


def _checked_options(options: Options, base: dict[str, Document]) -> dict[str, Any]:
    given: dict[str, Any] = dict(options.given())
    for key in DATE_FIELDS:
        if key in given:
            parsed = detect.parse_date(given[key])
            if parsed is None:
                raise IntakeError("bad_date", option=f"--{key.replace('_', '-')}", value=given[key])
            given[key] = parsed
    if "doc_number" in given and given["doc_number"]:
        number = detect.normalize_doc_number(given["doc_number"])
        if number is None:
            raise IntakeError("bad_doc_number", value=given["doc_number"])
        given["doc_number"] = number
    if "region" in given and detect.resolve_region(given["region"]) is None:
        raise IntakeError("bad_region", value=given["region"])
    if "doc_id" in given and not DOC_ID.match(given["doc_id"]):
        raise IntakeError("bad_doc_id", value=given["doc_id"])
    if "replaced_by" in given and given["replaced_by"] not in base:
        raise IntakeError("unknown_doc", doc_id=given["replaced_by"])
    return given


def _doc_id(path: Path, meta: dict[str, Any]) -> str:
    """The file's own name when it is already an id (tj-2022-20.txt), else adcode-year-number."""
    if DOC_ID.match(path.stem):
        return path.stem
    number = re.search(r"〔(\d{4})〕(\d+)号", meta["doc_number"])
    tail = f"{number.group(1)}-{number.group(2)}" if number else str(meta["date"])[:4]
    return f"{meta['region_adcode']}-{tail}"


def _check_dates(meta: dict[str, Any]) -> None:
    start, until = meta["in_force_from"], meta["in_force_until"]
    if start and until and len(start) == len(until) == 10 and start > until:
        raise IntakeError("dates_reversed", start=start, until=until)


def _block_index(blocks: list[Block], text_lines: int) -> int:
    """Index in blocks of the text line number `text_lines` (tables are not text lines)."""
    seen = 0
    for index, block in enumerate(blocks):
        if isinstance(block, str):
            if seen == text_lines:
                return index
            seen += 1
    return len(blocks)


def _unglue(blocks: list[Block]) -> list[Block]:
    """Split what extraction glued: the addressee from the first paragraph, a 第X章 heading from the line
    before it; join an "附件1" label with the title line under it."""
    out: list[Block] = []
    for index, block in enumerate(blocks):
        if not isinstance(block, str):
            out.append(block)
            continue
        parts = [block]
        addressee = ADDRESSEE.match(block) if index == 0 else None
        if addressee:
            parts = [addressee.group(1), addressee.group(2)]
        chapter = CHAPTER_AT_END.match(parts[-1])
        if chapter and not SENTENCE.search(chapter.group(2)):
            parts[-1:] = [chapter.group(1), chapter.group(2)]
        for part in parts:
            previous = out[-1] if out else None
            label = ATTACHMENT_LABEL.match(previous) if isinstance(previous, str) else None
            if label and not SENTENCE.search(part) and len(part) <= 60:
                out[-1] = f"附件{label.group(1)} {part}"
            else:
                out.append(part)
    return out


def _drop_furniture(blocks: list[Block], title: str) -> tuple[list[Block], list[str], str | None]:
    """Drop the signature (issuer names alone), the date of writing, "（此件…公开）" and the colophon.
    In a "关于印发《X》的通知" whose tables follow the date of writing, those are the attachment X (a
    catalogue): it gets the heading "附件 X", so its rows chunk as table rows."""
    out: list[Block] = []
    removed: list[str] = []
    after_date = None
    for block in blocks:
        if isinstance(block, str) and not detect.STRUCTURAL.match(block) and _furniture(block):
            removed.append(block)
            if detect.DATE_LINE.match(block):
                after_date = len(out)
            continue
        out.append(block)
    published = detect.PUBLISHED_TITLE.search(title)
    if published is None or after_date is None or after_date == len(out):
        return out, removed, None
    rest = out[after_date:]
    if isinstance(rest[0], str) and rest[0].startswith("附件"):
        return out, removed, None
    if not any(isinstance(b, Table) or detect.LOST_TABLE.match(b) for b in rest):
        return out, removed, None
    attachment = published.group(1)
    return [*out[:after_date], f"附件 {attachment}", *rest], removed, attachment


def _furniture(line: str) -> bool:
    return bool(
        detect.organisations(line)
        or detect.DATE_LINE.match(line)
        or ANNOTATION.match(line)
        or COLOPHON_LINE.search(line)
    )


def _drop_repeats(blocks: list[Block], dropped: Counter[str]) -> list[Block]:
    """A paragraph repeated verbatim is kept once: the line just before, or any full sentence seen already."""
    out: list[Block] = []
    seen: set[str] = set()
    for block in blocks:
        if isinstance(block, str):
            previous = out[-1] if out else None
            if block == previous or (
                block in seen and len(block) >= REPEAT_MIN_CHARS and SENTENCE.search(block)
            ):
                dropped["repeated"] += 1
                continue
            seen.add(block)
        out.append(block)
    return out


def _render(blocks: list[Block]) -> list[str]:
    """Body lines: a blank line between paragraphs; a table as consecutive `header: value | …` rows."""
    lines: list[str] = []
    for block in blocks:
        part = _table_rows(block) if isinstance(block, Table) else [block]
        if part:
            lines.extend(["", *part] if lines else part)
    return lines


def _table_rows(table: Table) -> list[str]:
    if not table.rows:
        return []
    header = [_cell(c).replace(":", "：") or f"第{i + 1}列" for i, c in enumerate(table.rows[0])]
    header = [h if header.index(h) == i else f"{h}{i + 1}" for i, h in enumerate(header)]
    rows = []
    for row in table.rows[1:]:
        cells = [_cell(c) for c in row]
        if not any(cells) or cells == [_cell(c) for c in table.rows[0]]:
            continue  # empty, or the header repeated on a new page
        rows.append(" | ".join(f"{h}: {c}" for h, c in zip(header, cells, strict=False) if c))
    return rows


def _cell(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().replace("|", "｜")


def _cleaning_notes(
    header: list[str],
    removed: list[str],
    attachment: str | None,
    dropped: Counter[str],
    empty_pages: list[int],
) -> list[str]:
    notes = []
    if header:
        notes.append(f"已去掉文头（发文机关、文号、标题见各字段）：{_quoted(header)}。")
    if removed:
        notes.append(f"已去掉落款、成文日期和版记：{_quoted(removed)}。")
    if attachment:
        notes.append(f"成文日期之后的说明和表格是所印发的《{attachment}》，加了标题行“附件 {attachment}”。")
    kinds = {
        "page_number": "页码",
        "running_header": "页眉页脚",
        "web_clutter": "网页栏目文字",
        "repeated": "逐字重复的段落（保留第一处）",
    }
    counted = [f"{name}{dropped[kind]}处" for kind, name in kinds.items() if dropped[kind]]
    if counted:
        notes.append(f"已去掉{'、'.join(counted)}。")
    if empty_pages:
        notes.append(f"PDF 第{'、'.join(map(str, empty_pages))}页没有文字层（可能是扫描页），其内容未录入。")
    return notes


def _quoted(lines: list[str]) -> str:
    return "".join(f"“{line}”" for line in lines)


def _defect_notes(body: list[str]) -> list[str]:
    notes = []
    for titles in detect.lost_tables(body):
        named = f"，只剩表题：{'；'.join(titles)}" if titles else ""
        notes.append(f"原文“[表格]”处的表格在提取中丢失{named}。这些表里的内容和金额不详，不是0元。")
    damaged = detect.damaged_references("\n".join(body))
    if damaged:
        notes.append(f"原文有数字残缺：{'、'.join(damaged)}，按原样保留，未补写。")
    return notes


def _replaced(lines: list[str], meta: dict[str, Any], base: dict[str, Document]) -> tuple[list[str], list]:
    """Notes on the earlier documents this one ends, and a `knowledge set` hint for those in the base."""
    groups: dict[tuple[bool, str | None], list[str]] = {}
    hints = []
    for earlier in detect.replaced_documents("\n".join(lines)):
        match = _find_in_base(earlier, base)
        groups.setdefault((earlier.still_applies, match), []).append(
            f"《{earlier.title}》{f'（{earlier.cited_as}）' if earlier.cited_as else ''}"
        )
        if match:
            hints.append((match, _day_before(meta["in_force_from"] or meta["date"]), meta["doc_id"]))
    notes = []
    since = f"自{meta['in_force_from']}起" if meta["in_force_from"] else ""
    for (still_applies, match), names in groups.items():
        how = "此前开展的培训仍按其执行" if still_applies else "本文件施行时废止"
        where = f"即知识库中的 {match}" if match else "不在知识库中"
        notes.append(f"本文件{since}取代{'、'.join(names)}（{how}）；{where}。")
    return notes, hints


def _day_before(day: str) -> str:
    """The last day of the earlier document: the day before a full date, else the partial date itself."""
    return (date.fromisoformat(day) - timedelta(days=1)).isoformat() if len(day) == 10 else day


def _find_in_base(earlier: detect.Replaced, base: dict[str, Document]) -> str | None:
    def plain(text: str) -> str:
        return re.sub(r"\s+", "", text).replace("〈", "《").replace("〉", "》")

    for doc in base.values():
        if (earlier.doc_number and earlier.doc_number == doc.doc_number) or plain(earlier.title) in (
            plain(doc.title),
            plain(doc.short_title),
        ):
            return doc.doc_id
    return None


def _option_notes(found: dict[str, Any], given: dict[str, Any]) -> list[str]:
    names = {"title": "标题", "issuer": "发文机关", "doc_number": "文号", "date": "成文日期",
             "region": "地区", "in_force_from": "施行日期", "in_force_until": "有效期至"}  # fmt: skip
    absent = [names[k] for k in names if k in given and not found.get(k)]
    corrected = [
        f"{names[k]}（原文识别为“{found[k]}”）"
        for k in names
        if k in given and found.get(k) and found[k] != given[k]
    ]
    notes = []
    if absent:
        notes.append(f"原文未载、录入时给出：{'、'.join(absent)}。")
    if corrected:
        notes.append(f"录入时更正：{'、'.join(corrected)}。")
    return notes


def _document(meta: dict[str, Any], body: list[str]) -> Document:
    return Document(
        doc_id=meta["doc_id"],
        title=meta["title"],
        short_title=meta["short_title"],
        issuer=meta["issuer"],
        doc_number=meta["doc_number"],
        region=meta["region"],
        region_adcode=meta["region_adcode"],
        region_chain=tuple(meta["region_chain"]),
        region_chain_names=tuple(meta["region_chain_names"]),
        date=meta["date"],
        source_file=meta["source_file"],
        body="\n".join(body),
        path=Path(f"{meta['doc_id']}.md"),
        in_force_from=meta["in_force_from"] or "",
        in_force_until=meta["in_force_until"] or "",
        replaced_by=meta["replaced_by"],
    )


def _refuse_duplicates(draft: Draft, path: Path, base: dict[str, Document]) -> None:
    """Same id, same document number, same title, or most of its paragraphs already in one document."""
    lines = {line for line in draft.body if len(line) >= REPEAT_MIN_CHARS}
    for doc in base.values():
        if doc.doc_id == draft.doc_id:
            raise IntakeError("duplicate_id", file=path.name, doc_id=doc.doc_id)
        same = (
            "doc_number" if draft.meta["doc_number"] and draft.meta["doc_number"] == doc.doc_number else
            "title" if draft.meta["title"] == doc.title else
            "body" if lines and len(lines & set(doc.body.splitlines())) >= 0.8 * len(lines) else None
        )  # fmt: skip
        if same:
            raise IntakeError(f"duplicate_{same}", file=path.name, doc_id=doc.doc_id)
