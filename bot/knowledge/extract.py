"""Read a policy file (.txt, .md, .html, .docx, .pdf) into blocks: text lines and tables, in reading order.

Parsers: beautifulsoup4 (HTML, with lxml), python-docx (Word), pdfplumber (PDF: text lines with their
positions, so wrapped lines can be joined, and ruled tables as cell grids). Nothing here interprets the
document; page numbers and running headers of PDFs are dropped because only the PDF knows where pages are.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bot.knowledge.errors import IntakeError

FORMATS = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")
PAGE_NUMBER = re.compile(
    r"^[-—–－\s]*\d{1,3}[-—–－\s]*$|^第\s*\d+\s*页(\s*[，,]?\s*共\s*\d+\s*页)?$|^\d+\s*/\s*\d+$"
)
# Lines that open a paragraph: numbering of every level, 附件, and the tail of a document.
STRUCTURAL_START = re.compile(
    r"^(第[一二三四五六七八九十百零〇]+[章节条]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[．.、]|附件)"
)
TEXT_BLOCK_TAGS = (
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article",
    "blockquote", "pre", "dd", "dt", "table", "center",
)  # fmt: skip
HTML_CLUTTER_TAGS = (
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "button",
    "select", "input", "object", "svg",
)  # fmt: skip
HTML_CONTENT = "article, main, #zoom, .TRS_Editor, [class*=article], [class*=content], [id*=content]"
SENTENCE_END = tuple("。；！？：”）)")


@dataclass
class Table:
    rows: list[list[str]]  # the first row is the header


Block = str | Table


@dataclass
class Extracted:
    blocks: list[Block]
    dropped: Counter[str] = field(default_factory=Counter)  # clutter kind → lines dropped
    empty_pages: list[int] = field(default_factory=list)  # PDF pages without a text layer


def extract(path: Path) -> Extracted:
    if not path.is_file():
        raise IntakeError("missing_file", file=str(path))
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise IntakeError("unknown_format", file=path.name, formats=" ".join(FORMATS))
    reader = {".txt": _text, ".md": _markdown, ".html": _html, ".htm": _html, ".docx": _docx, ".pdf": _pdf}
    try:
        extracted = reader[suffix](path)
    except IntakeError:
        raise
    except Exception as error:  # a parser's own complaint about a damaged file
        raise IntakeError("unreadable", file=path.name, reason=type(error).__name__) from error
    if not any(isinstance(b, Table) or b.strip() for b in extracted.blocks):
        raise IntakeError("empty", file=path.name)
    return extracted


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise IntakeError("encoding", file=path.name)


def _text(path: Path) -> Extracted:
    return Extracted(_pipe_tables(_decode(path).splitlines()))


def _pipe_tables(lines: list[str]) -> list[Block]:
    """Runs of two or more `a | b | c` lines with the same number of cells are a table, unless they are
    already `key: value | key: value` rows (the knowledge base's own form)."""
    blocks: list[Block] = []
    run: list[list[str]] = []

    def flush() -> None:
        if len(run) >= 2:
            blocks.append(Table([row for row in run if not all(set(c) <= set("-: ") for c in row)]))
        else:
            blocks.extend(" | ".join(row) for row in run)
        run.clear()

    for line in lines:
        stripped = line.strip().strip("|").strip()
        cells = [c.strip() for c in stripped.split("|")] if "|" in stripped else []
        keyed = cells and all(re.match(r"^[^:：]+: ", c) for c in cells)
        if len(cells) >= 2 and not keyed and (not run or len(cells) == len(run[0])):
            run.append(cells)
            continue
        flush()
        if len(cells) >= 2 and not keyed:
            run.append(cells)
        else:
            blocks.append(line)
    flush()
    return blocks


def _markdown(path: Path) -> Extracted:
    lines = []
    for line in _decode(path).splitlines():
        line = re.sub(r"^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+)", "", line)
        line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)  # links keep their text
        lines.append(re.sub(r"(\*\*|__|`)", "", line))
    return Extracted(_pipe_tables(lines))


def _html(path: Path) -> Extracted:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_bytes(), "lxml")  # bytes: the page's own charset declaration is used
    for tag in soup(HTML_CLUTTER_TAGS):
        tag.decompose()
    candidates = soup.select(HTML_CONTENT)
    root = max(candidates, key=lambda t: len(t.get_text(strip=True))) if candidates else soup.body or soup
    heading = soup.find("h1") or soup.find("title")
    lead = [heading.get_text(" ", strip=True)] if heading and root.find("h1") is None else []
    tables: list[Table] = []
    for table in root.find_all("table"):
        grid = _html_grid(table)
        if table.find("table") is None and len(grid) >= 2 and max(map(len, grid)) >= 2:
            table.replace_with(f"\n\x00{len(tables)}\x00\n")
            tables.append(Table(grid))
    for br in root.find_all("br"):
        br.replace_with("\n")
    for tag in root.find_all(TEXT_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.append("\n")
    blocks: list[Block] = list(lead)
    for line in root.get_text().splitlines():
        placeholder = re.fullmatch(r"\s*\x00(\d+)\x00\s*", line)
        blocks.append(tables[int(placeholder.group(1))] if placeholder else line)
    return Extracted(blocks)


def _html_grid(table) -> list[list[str]]:  # noqa: ANN001 - a bs4 Tag
    """Cell texts row by row, with rowspan and colspan cells repeated where they span."""
    grid: list[list[str]] = []
    pending: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(table.find_all("tr")):
        row: list[str] = []
        cells = iter(tr.find_all(["td", "th"]))
        while True:
            if (r, len(row)) in pending:
                row.append(pending.pop((r, len(row))))
                continue
            cell = next(cells, None)
            if cell is None:
                break
            text = "".join(cell.get_text().split())
            for offset in range(int(cell.get("colspan", 1) or 1)):
                for below in range(1, int(cell.get("rowspan", 1) or 1)):
                    pending[(r + below, len(row) + offset)] = text
            row.extend([text] * int(cell.get("colspan", 1) or 1))
        if any(row):
            grid.append(row)
    return grid


def _docx(path: Path) -> Extracted:
    import docx
    from docx.table import Table as DocxTable

    blocks: list[Block] = []
    for item in docx.Document(str(path)).iter_inner_content():
        if isinstance(item, DocxTable):
            rows = []
            for row in item.rows:
                cells, seen = [], None
                for cell in row.cells:  # a horizontally merged cell is listed once per grid column
                    if cell._tc is not seen:
                        cells.append("".join(cell.text.split()))
                    seen = cell._tc
                rows.append(cells)
            blocks.append(Table(rows))
        else:
            blocks.extend(item.text.splitlines())
    return Extracted(blocks)


def _pdf(path: Path) -> Extracted:
    import pdfplumber

    extracted = Extracted([])
    pages: list[list[tuple[float, float, Block]]] = []  # (x1, char width, block) per page
    with pdfplumber.open(str(path)) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            if not page.chars:
                extracted.empty_pages.append(number)
                continue
            pages.append(_pdf_page(page))
    if not pages:
        raise IntakeError("scanned_pdf", file=path.name)
    repeated = _running_lines(pages)
    right = max((x1 for page in pages for x1, _, b in page if isinstance(b, str)), default=0.0)
    previous_wraps = False
    for page in pages:
        for x1, width, block in page:
            if isinstance(block, Table):
                extracted.blocks.append(block)
                previous_wraps = False
                continue
            if PAGE_NUMBER.match(block):
                extracted.dropped["page_number"] += 1
                continue
            if block in repeated:
                extracted.dropped["running_header"] += 1
                continue
            if previous_wraps and not STRUCTURAL_START.match(block):
                extracted.blocks[-1] = f"{extracted.blocks[-1]}{block}"
            else:
                extracted.blocks.append(block)
            # a line that runs to the right margin and does not end a sentence continues on the next
            previous_wraps = x1 >= right - 1.5 * width and not block.endswith(SENTENCE_END)
    return extracted


def _pdf_page(page) -> list[tuple[float, float, Block]]:  # noqa: ANN001 - a pdfplumber Page
    tables = page.find_tables()
    items: list[tuple[float, float, float, Block]] = []
    for table in tables:
        rows = table.extract()
        filled: list[list[str]] = []
        for row in rows:  # a cell merged down is None below its first row
            filled.append(
                [
                    "".join((cell if cell is not None else (filled[-1][i] if filled else "")).split())
                    for i, cell in enumerate(row)
                ]
            )
        items.append((table.bbox[1], 0.0, 0.0, Table(filled)))
    for line in page.extract_text_lines(strip=True):
        middle = (line["top"] + line["bottom"]) / 2
        if any(t.bbox[1] <= middle <= t.bbox[3] for t in tables) or not line["text"].strip():
            continue
        width = (line["x1"] - line["x0"]) / max(len(line["text"]), 1)
        items.append((line["top"], line["x1"], width, line["text"].strip()))
    return [(x1, width, block) for _, x1, width, block in sorted(items, key=lambda item: item[0])]


def _running_lines(pages: list[list[tuple[float, float, Block]]]) -> set[str]:
    """First and last lines that recur on at least half of the pages (running headers and footers)."""
    if len(pages) < 2:
        return set()
    edges = Counter()
    for page in pages:
        texts = [b for _, _, b in page if isinstance(b, str)]
        edges.update({*texts[:1], *texts[-1:]})
    return {text for text, count in edges.items() if count >= max(2, len(pages) / 2)}
