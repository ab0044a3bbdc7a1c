"""Policy documents and the passages they are chunked into.

A policy file in knowledge/policies/ is YAML front matter (metadata) followed by the cleaned body,
one paragraph or table row per line. Passages follow the documents' own structure:

- ``一、`` / ``（一）`` / ``1.`` numbered clauses, with unnumbered lines attached to the clause above;
- ``附件N 标题`` starts an attachment whose ``key: value | key: value`` lines are table rows;
- lines starting with ``附件：`` only list the attachments and are skipped;
- regulations in ``第X章`` / ``第X条`` form: one passage per article (its ``（一）`` items included),
  the chapter heading as context; ids ``art5`` (``a1.art5`` inside an attachment).

Extraction damage is kept: a numbering restart whose parent heading was lost gets ``？`` in the
section path (``二、（？）2.``), and a clause cut off mid-sentence is flagged ``truncated``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

PREAMBLE = "preamble"  # a passage's kind: the text before a document's first numbered section
TABLE_ROW = "table_row"  # a passage's kind: one row of a document's table (彭阳's catalogue)

CHINESE_NUMERALS = "一二三四五六七八九十"
ARTICLE_NUMERALS = "一二三四五六七八九十百零〇"
LEVEL_PATTERNS = (
    re.compile(rf"^([{CHINESE_NUMERALS}]+)、\s*"),
    re.compile(rf"^[（(]([{CHINESE_NUMERALS}]+)[）)]\s*"),
    re.compile(r"^(\d+)[．.]\s*"),
)
ARTICLE = re.compile(rf"^第([{ARTICLE_NUMERALS}]+)条\s*")
CHAPTER = re.compile(rf"^第([{ARTICLE_NUMERALS}]+)([章节])\s*(.*)$")
ATTACHMENT_HEADING = re.compile(r"^附件\s*(\d*)\s+(\S.*)$")
ATTACHMENT_LIST = re.compile(r"^附件[：:]")
# A document's closing paragraph on its own term (本《通知》自印发之日起开始施行): about the whole document,
# not the numbered item it follows.
CLOSING = re.compile(r"^本(《[^》]{1,20}》|[\u4e00-\u9fff]{1,3})(自|从)[^。]{0,30}(施行|执行|实施)")
CLOSING_SECTION, CLOSING_KEY = "文末", "end"
TABLE_CELL = re.compile(r"^([^:|]+): ?(.*)$")
SENTENCE_END = tuple("。；！？”）)")
MAX_HEADING_CHARS = 30
UNKNOWN = "？"
NATIONAL_ADCODE = "000000"


@dataclass(frozen=True)
class Document:
    doc_id: str
    title: str
    short_title: str
    issuer: str
    doc_number: str
    region: str
    region_adcode: str
    region_chain: tuple[str, ...]
    region_chain_names: tuple[str, ...]
    date: str
    source_file: str
    body: str
    path: Path
    # Life cycle; "" / None = unknown. Dates are YYYY, YYYY-MM or YYYY-MM-DD.
    in_force_from: str = ""
    in_force_until: str = ""
    replaced_by: str | None = None  # doc_id of the document that replaces this one
    # What every answer from the document must add, set by an operator (`knowledge set --caveat`): a rule
    # of it that later documents outside the base changed (2017-40's 36 months of contributions).
    caveat: str = ""

    @property
    def national(self) -> bool:
        """A national document (adcode 000000) covers every asker."""
        return self.region_adcode == NATIONAL_ADCODE

    @property
    def year(self) -> str:
        return self.date[:4]


@dataclass(frozen=True)
class Passage:
    passage_id: str
    doc_id: str
    section: str
    kind: str  # preamble | clause | table_row | note
    text: str
    context: tuple[str, ...] = ()  # headings above the passage (attachment title for table rows)
    row: dict[str, str] | None = None
    truncated: bool = False

    def index_text(self, document: Document) -> str:
        """Text for embedding and BM25: document short title and headings, so the passage stands alone."""
        return " ".join((document.short_title, *self.context)) + "\n" + self.text

    def lexical_text(self, document: Document) -> str:
        """Text for BM25: like index_text, but a table row keeps only its cell values, since the header
        names repeated in every row would make short rows look like matches for any query using them."""
        if self.row is None:
            return self.index_text(document)
        return " ".join((document.short_title, *self.context)) + "\n" + " ".join(self.row.values())


@dataclass
class Corpus:
    documents: dict[str, Document]
    passages: list[Passage]
    summaries: dict[str, str] = field(default_factory=dict)

    @cached_property
    def by_id(self) -> dict[str, Passage]:
        return {p.passage_id: p for p in self.passages}

    def index_texts(self) -> list[str]:
        return [p.index_text(self.documents[p.doc_id]) for p in self.passages]

    def lexical_texts(self) -> list[str]:
        return [p.lexical_text(self.documents[p.doc_id]) for p in self.passages]


def load_document(path: Path) -> Document:
    raw = path.read_text(encoding="utf-8")
    _, front, body = raw.split("---\n", 2)
    meta = yaml.safe_load(front)
    return Document(
        doc_id=meta["doc_id"],
        title=meta["title"],
        short_title=meta.get("short_title") or meta["title"],
        issuer=meta["issuer"],
        doc_number=meta.get("doc_number") or "",
        region=meta["region"],
        region_adcode=str(meta["region_adcode"]),
        region_chain=tuple(str(c) for c in meta.get("region_chain") or [meta["region_adcode"]]),
        region_chain_names=tuple(meta.get("region_chain_names") or [meta["region"]]),
        date=str(meta.get("date") or ""),
        source_file=meta.get("source_file") or "",
        body=body.strip(),
        path=path,
        in_force_from=str(meta.get("in_force_from") or ""),
        in_force_until=str(meta.get("in_force_until") or ""),
        replaced_by=meta.get("replaced_by") or None,
        caveat=str(meta.get("caveat") or ""),
    )


def policy_files(knowledge_dir: Path) -> list[Path]:
    return sorted((knowledge_dir / "policies").glob("*.md"))


def load_documents(knowledge_dir: Path) -> dict[str, Document]:
    documents = [load_document(path) for path in policy_files(knowledge_dir)]
    by_id = {d.doc_id: d for d in documents}
    if len(by_id) != len(documents):
        raise ValueError(f"duplicate doc_id in {knowledge_dir / 'policies'}")
    return by_id


def load_summaries(knowledge_dir: Path) -> dict[str, str]:
    summaries: dict[str, str] = {}
    for path in sorted((knowledge_dir / "plain").glob("*.yml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            summaries[entry["passage_id"]] = entry["summary"]
    return summaries


def load_corpus(knowledge_dir: Path) -> Corpus:
    documents = load_documents(knowledge_dir)
    passages = [p for doc in documents.values() for p in chunk_document(doc)]
    return Corpus(documents=documents, passages=passages, summaries=load_summaries(knowledge_dir))


def corpus_hash(knowledge_dir: Path) -> str:
    """Hash of everything the index is built from: the policy files, the glossary (it feeds the tokenizer)
    and this module, which cuts the files into passages (a change to it changes the passages)."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in [*policy_files(knowledge_dir), knowledge_dir / "glossary.yml"]:
        if path.exists():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _numbering(line: str) -> tuple[int, str, str] | None:
    """(level 0-2, number, rest of line) when the line starts with the document's own numbering."""
    for level, pattern in enumerate(LEVEL_PATTERNS):
        match = pattern.match(line)
        if match:
            return level, match.group(1), line[match.end() :]
    return None


def _number_value(number: str) -> int:
    """Arabic or Chinese numeral: 3, 十二, 二十三, 一百零五."""
    if number.isdigit():
        return int(number)
    digits = {c: i + 1 for i, c in enumerate(CHINESE_NUMERALS[:9])}
    total = current = 0
    for char in number:
        if char in "百十":
            total += (current or 1) * (100 if char == "百" else 10)
            current = 0
        elif char in digits:
            current = digits[char]
    return total + current


def _label(level: int, number: str) -> str:
    return (f"{number}、", f"（{number}）", f"{number}.")[level]


def _key(number: str) -> str:
    return "x" if number == UNKNOWN else str(_number_value(number))


def _heading(rest: str) -> str:
    first_sentence = rest.split("。", 1)[0].strip()
    return first_sentence if len(first_sentence) <= MAX_HEADING_CHARS else ""


def _parse_row(line: str) -> dict[str, str] | None:
    cells = [TABLE_CELL.match(cell.strip()) for cell in line.split(" | ")]
    if not all(cells):
        return None
    return {m.group(1).strip(): m.group(2).strip() for m in cells if m}


class _Chunker:
    """Walks the body line by line, tracking the numbering path; one instance per document."""

    def __init__(self, document: Document) -> None:
        self.doc = document
        self.path: list[tuple[str, str]] = []  # (number, heading) per level 0..2
        self.last_number: dict[tuple[str, ...], int] = {}
        self.attachment: tuple[str, str] | None = None
        self.chapters: list[str] = []  # 第X章 / 第X节 headings above the current article
        self.in_article = False
        self.rows = 0
        self.passages: list[Passage] = []
        self.open: dict | None = None  # clause being collected: section, key, context, lines
        self.closing = False  # the closing paragraph on the document's term has been met

    def run(self) -> list[Passage]:
        lines = [line.strip() for line in self.doc.body.splitlines() if line.strip()]
        for index, line in enumerate(lines):
            next_line = lines[index + 1] if index + 1 < len(lines) else ""
            self.feed(line, next_line)
        self.close()
        return self.passages

    def feed(self, line: str, next_line: str) -> None:
        if ATTACHMENT_LIST.match(line):
            return
        attachment = ATTACHMENT_HEADING.match(line)
        if attachment:
            self.close()
            self.attachment = (attachment.group(1), attachment.group(2))
            self.path, self.rows, self.chapters, self.in_article = [], 0, [], False
            return
        if self.structure(line):
            return
        row = _parse_row(line) if self.attachment else None
        if row:
            self.close()
            self.add_row(row, line)
            return
        numbering = None if self.attachment or self.in_article else _numbering(line)
        if numbering is None and self.path and not (self.in_article or self.closing) and CLOSING.match(line):
            self.close()
            self.closing = True
            self.open = {"section": CLOSING_SECTION, "key": CLOSING_KEY, "context": (), "lines": [line]}
            return
        if numbering is None:
            self.continue_open(line)
            return
        level, number, rest = numbering
        self.close()
        self.descend(level, number, _heading(rest))
        next_numbering = _numbering(next_line)
        has_children = next_numbering is not None and next_numbering[0] > level
        if not has_children:
            self.open = {
                "section": self.section(),
                "key": self.key(),
                "context": self.context(),
                "lines": [line],
            }

    def structure(self, line: str) -> bool:
        """第X章 / 第X节 headings and 第X条 articles; True when the line was one of them."""
        chapter = CHAPTER.match(line)
        if chapter:
            self.close()
            heading = f"第{chapter.group(1)}{chapter.group(2)} {chapter.group(3)}".strip()
            self.chapters = [*self.chapters[:1], heading] if chapter.group(2) == "节" else [heading]
            self.in_article = False
            return True
        article = ARTICLE.match(line)
        if not article:
            return False
        self.close()
        self.in_article = True
        number = article.group(1)
        prefix = f"a{self.attachment[0]}." if self.attachment else ""
        section = f"附件{self.attachment[0]} " if self.attachment else ""
        context = (f"附件{self.attachment[0]} {self.attachment[1]}",) if self.attachment else ()
        self.open = {
            "section": f"{section}第{number}条",
            "key": f"{prefix}art{_number_value(number)}",
            "context": (*context, *self.chapters),
            "lines": [line],
        }
        return True

    def descend(self, level: int, number: str, heading: str) -> None:
        parent = self.path[:level]
        while len(parent) < level:  # a level skipped by the document itself, e.g. 一、 then 1.
            parent.append(("", ""))
        counter = tuple(n for n, _ in parent)
        value = _number_value(number)
        if value <= self.last_number.get(counter, 0) and level > 0:
            # numbering restarted without the parent heading: the parent was lost in extraction
            parent[level - 1] = (UNKNOWN, "")
            counter = tuple(n for n, _ in parent)
        self.last_number[counter] = value
        self.path = [*parent, (number, heading)]

    def section(self) -> str:
        if self.attachment is not None:
            return f"附件{self.attachment[0]}"
        return (
            "".join(_label(level, number) for level, (number, _) in enumerate(self.path) if number) or "前言"
        )

    def key(self) -> str:
        numbers = [_key(number) for number, _ in self.path if number]
        return ".".join(numbers) or "0"

    def context(self) -> tuple[str, ...]:
        return tuple(
            f"{_label(level, number)}{heading}"
            for level, (number, heading) in enumerate(self.path[:-1])
            if heading
        )

    def continue_open(self, line: str) -> None:
        if self.open is None:
            if self.attachment is not None:
                key, section = f"a{self.attachment[0]}.note", f"{self.section()} 注"
                context = (f"附件{self.attachment[0]} {self.attachment[1]}",)
                self.open = {"section": section, "key": key, "context": context, "lines": []}
            else:
                self.open = {
                    "section": self.section(),
                    "key": self.key(),
                    "context": self.context(),
                    "lines": [],
                }
        self.open["lines"].append(line)

    def add_row(self, row: dict[str, str], line: str) -> None:
        assert self.attachment is not None
        self.rows += 1
        number = row.get("序号", str(self.rows))
        label, key = (f"第{number}行", number) if number.isdigit() else (f"{number}行", "total")
        self.passages.append(
            Passage(
                passage_id=f"{self.doc.doc_id}:a{self.attachment[0]}.{key}",
                doc_id=self.doc.doc_id,
                section=f"{self.section()} {label}",
                kind=TABLE_ROW,
                text=line,
                context=(f"附件{self.attachment[0]} {self.attachment[1]}",),
                row=row,
            )
        )

    def close(self) -> None:
        if self.open is None:
            return
        text = "\n".join(self.open["lines"])
        section = self.open["section"]
        kind = "note" if section.endswith("注") else PREAMBLE if section == "前言" else "clause"
        self.passages.append(
            Passage(
                passage_id=f"{self.doc.doc_id}:{self.open['key']}",
                doc_id=self.doc.doc_id,
                section=section,
                kind=kind,
                text=text,
                context=self.open["context"],
                truncated=kind == "clause" and not text.endswith(SENTENCE_END),
            )
        )
        self.open = None


def chunk_document(document: Document) -> list[Passage]:
    passages = _Chunker(document).run()
    ids = [p.passage_id for p in passages]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise ValueError(f"{document.path.name}: duplicate passage ids {sorted(duplicates)}")
    return passages
