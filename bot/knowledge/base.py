"""The knowledge base on disk: write, edit the life cycle of, remove and check policy documents.

A document is `knowledge/policies/<doc_id>.md`: YAML front matter, then the body. Files are written
whole (temporary file, then rename); a life-cycle change edits only the lines of the fields it sets,
so reviewing any change is reviewing a small diff.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.gazetteer import enclosing_places, place_by_adcode
from bot.knowledge import detect
from bot.knowledge.errors import IntakeError
from bot.knowledge.intake import DATE_FIELDS, DOC_ID, DOCUMENT_FIELDS, Draft
from bot.knowledge.summaries import summary_entries, text_hash
from retrieval.corpus import Document, chunk_document, load_document, load_summaries, policy_files
from retrieval.glossary import load_glossary

REQUIRED_FIELDS = tuple(
    f for f in DOCUMENT_FIELDS if f not in ("in_force_from", "in_force_until", "replaced_by")
)
LIFECYCLE_FIELDS = ("in_force_from", "in_force_until", "replaced_by")
SETTABLE_FIELDS = (*LIFECYCLE_FIELDS, "caveat")  # `knowledge set`: the life cycle and the answers' caveat
MAX_CAVEAT = 200  # characters: a sentence or two shown with every answer
QUOTED_FIELDS = ("region_adcode", *DATE_FIELDS)  # always strings, as in the seed documents
DOC_NUMBER_FORM = re.compile(r"^[\u4e00-\u9fff]+〔\d{4}〕\d+号$")


def policy_path(knowledge_dir: Path, doc_id: str) -> Path:
    return knowledge_dir / "policies" / f"{doc_id}.md"


def front_matter(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1]) or {}


def load_base(knowledge_dir: Path) -> dict[str, Document]:
    """Every document, by id; a file that does not load is reported by check(), not here."""
    documents = {}
    for path in policy_files(knowledge_dir):
        try:
            document = load_document(path)
        except (ValueError, KeyError, yaml.YAMLError):
            continue
        documents[document.doc_id] = document
    return documents


def render(meta: dict[str, Any], body: list[str]) -> str:
    lines = ["---"]
    for key in DOCUMENT_FIELDS:
        lines.extend(_field_lines(key, meta.get(key)))
    return "\n".join([*lines, "---", "", *body, ""])


def _field_lines(key: str, value: Any) -> list[str]:
    """`key: value` in the style of the existing files: plain where YAML reads it back unchanged, else
    quoted (codes and dates always); lists in flow style; long notes as a folded block, one note a line."""
    if key == "notes" and isinstance(value, str) and len(value) > 80:
        notes = re.split(r"(?<=[。；]) ", value)
        block = [f"{key}: >-", *(f"  {note}" for note in notes)]
        if yaml.safe_load("\n".join(block)) == {key: value}:
            return block
    line = f"{key}: {_scalar(value)}"
    if yaml.safe_load(line) != {key: value} or (key in QUOTED_FIELDS and isinstance(value, str)):
        line = f"{key}: {json.dumps(value, ensure_ascii=False)}"
    return [line]


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    text = str(value)
    try:
        plain = text != "" and yaml.safe_load(f"k: [{text}]") == {"k": [text]}
    except yaml.YAMLError:
        plain = False
    return text if plain else json.dumps(text, ensure_ascii=False)


def write_document(knowledge_dir: Path, meta: dict[str, Any], body: list[str]) -> Path:
    path = policy_path(knowledge_dir, meta["doc_id"])
    _write(path, render(meta, body))
    return path


def add_documents(knowledge_dir: Path, drafts: list[Draft]) -> list[Path]:
    """Write the drafts, then check the base; if any written file has problems, remove them all again
    and raise CheckFailed. The paths written."""
    written = [write_document(knowledge_dir, d.meta, d.body) for d in drafts]
    problems, _, _ = check(knowledge_dir)
    mine = [p for p in problems if p.file in {path.name for path in written}]
    if mine:
        for path in written:
            path.unlink()
        raise CheckFailed(mine)
    return written


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def set_lifecycle(
    knowledge_dir: Path, doc_id: str, changes: dict[str, str | None]
) -> tuple[Path, dict[str, str | None]]:
    """Set in_force_from / in_force_until / replaced_by / caveat on an existing document, touching only
    those lines. Dates are normalised (2027-7-31 → 2027-07-31); None clears a field (unknown)."""
    base = load_base(knowledge_dir)
    if doc_id not in base:
        raise IntakeError("unknown_doc", doc_id=doc_id)
    values: dict[str, str | None] = {}
    for key, value in changes.items():
        if value is not None and key in DATE_FIELDS:
            parsed = detect.parse_date(value)
            if parsed is None:
                raise IntakeError("bad_date", option=f"--{key.replace('_', '-')}", value=value)
            value = parsed
        if key == "replaced_by" and value is not None and (value not in base or value == doc_id):
            raise IntakeError("unknown_doc", doc_id=value)
        if key == "caveat" and value is not None and not 0 < len(value.strip()) <= MAX_CAVEAT:
            raise IntakeError("bad_caveat", limit=MAX_CAVEAT)
        values[key] = value
    document = base[doc_id]
    start = values.get("in_force_from", document.in_force_from) or ""
    until = values.get("in_force_until", document.in_force_until) or ""
    if len(start) == len(until) == 10 and start > until:
        raise IntakeError("dates_reversed", start=start, until=until)
    path = base[doc_id].path
    _write(path, _edit_front_matter(path.read_text(encoding="utf-8"), values))
    return path, values


def _edit_front_matter(text: str, values: dict[str, str | None]) -> str:
    _, front, body = text.split("---\n", 2)
    lines = front.splitlines()
    for key, value in values.items():
        new = _field_lines(key, value)
        at = next((i for i, line in enumerate(lines) if line.startswith(f"{key}:")), None)
        if at is None:
            lines.extend(new)
            continue
        end = at + 1
        while end < len(lines) and lines[end].startswith((" ", "\t")):
            end += 1  # a block value's continuation lines
        lines[at:end] = new
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def references(knowledge_dir: Path, doc_id: str) -> list[str]:
    """Places in the knowledge base that name the document; removing it would leave them dangling."""
    found = []
    prefix = f"{doc_id}:"
    if any(p.startswith(prefix) for p in load_summaries(knowledge_dir)):
        found.append("knowledge/plain/（通俗解读）")
    glossary = knowledge_dir / "glossary.yml"
    if glossary.exists() and any(doc_id in t.sources for t in load_glossary(glossary).terms):
        found.append("knowledge/glossary.yml（术语表来源）")
    sources = knowledge_dir / "subsidy_rules" / "sources.yml"
    if sources.exists():
        listed = yaml.safe_load(sources.read_text(encoding="utf-8")) or {}
        if any(d.get("doc_id") == doc_id for d in listed.get("documents", [])):
            found.append("knowledge/subsidy_rules/（补贴规则）")
    evaluation = knowledge_dir / "eval" / "retrieval.yml"
    if evaluation.exists() and prefix in evaluation.read_text(encoding="utf-8"):
        found.append("knowledge/eval/retrieval.yml（检索评测集）")
    found += [
        f"{d.doc_id}（replaced_by）" for d in load_base(knowledge_dir).values() if d.replaced_by == doc_id
    ]
    return found


def remove_document(knowledge_dir: Path, doc_id: str) -> Path:
    path = policy_path(knowledge_dir, doc_id)
    if doc_id not in load_base(knowledge_dir):
        raise IntakeError("unknown_doc", doc_id=doc_id)
    used = references(knowledge_dir, doc_id)
    if used:
        raise IntakeError("still_referenced", doc_id=doc_id, places="、".join(used))
    path.unlink()
    return path


@dataclass(frozen=True)
class Problem:
    file: str
    key: str  # a key of messages.PROBLEMS
    detail: str = ""


class CheckFailed(IntakeError):
    """Files just written did not pass the check and were removed again."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("rolled_back")
        self.problems = problems


def check(knowledge_dir: Path) -> tuple[list[Problem], int, int]:
    """Every problem in the base, and the number of documents and passages that loaded."""
    problems: list[Problem] = []
    documents: dict[str, Document] = {}
    passages: dict[str, str] = {}  # passage id → text
    for path in policy_files(knowledge_dir):
        name = path.name
        try:
            meta = front_matter(path)
            document = load_document(path)
        except (ValueError, IndexError, KeyError, yaml.YAMLError) as error:
            problems.append(Problem(name, "unreadable", f"{type(error).__name__}: {error}"))
            continue
        problems += [Problem(name, "missing_field", key) for key in REQUIRED_FIELDS if key not in meta]
        if document.doc_id != path.stem or not DOC_ID.match(document.doc_id):
            problems.append(Problem(name, "bad_doc_id", document.doc_id))
        if document.doc_id in documents:
            problems.append(Problem(name, "duplicate_id", document.doc_id))
        documents[document.doc_id] = document
        problems += [Problem(name, key, detail) for key, detail in _field_problems(document)]
        try:
            chunked = chunk_document(document)
        except ValueError as error:
            problems.append(Problem(name, "duplicate_passages", str(error)))
            continue
        if not chunked:
            problems.append(Problem(name, "no_passages"))
        passages |= {p.passage_id: p.text for p in chunked}
    for document in documents.values():
        if document.replaced_by and document.replaced_by not in documents:
            problems.append(Problem(document.path.name, "bad_replaced_by", document.replaced_by))
    problems += _summary_problems(knowledge_dir, passages)
    return problems, len(documents), len(passages)


def _summary_problems(knowledge_dir: Path, passages: dict[str, str]) -> list[Problem]:
    """A summary must name a passage, and carry the hash of the text it was written for (a changed
    passage needs its summary reread, then `knowledge summaries --stamp PASSAGE`)."""
    problems = []
    for entry in summary_entries(knowledge_dir):
        where = f"knowledge/plain/{entry.file}"
        if entry.passage_id not in passages:
            problems.append(Problem("knowledge/plain", "dangling_summary", entry.passage_id))
        elif entry.text_hash is None:
            problems.append(Problem(where, "summary_unstamped", entry.passage_id))
        elif entry.text_hash != text_hash(passages[entry.passage_id]):
            problems.append(Problem(where, "summary_stale", entry.passage_id))
    return problems


def _field_problems(document: Document) -> list[tuple[str, str]]:
    problems = []
    for key in ("doc_id", "title", "short_title", "issuer", "region", "date"):
        if not getattr(document, key):
            problems.append(("empty_field", key))
    if document.doc_number and not DOC_NUMBER_FORM.match(document.doc_number):
        problems.append(("bad_doc_number", document.doc_number))
    for key in DATE_FIELDS:
        value = getattr(document, key)
        if value and detect.parse_date(value) != value:
            problems.append(("bad_date", f"{key}: {value}"))
    start, until = document.in_force_from, document.in_force_until
    if len(start) == len(until) == 10 and start > until:
        problems.append(("bad_date", f"{start} > {until}"))
    if document.replaced_by == document.doc_id:
        problems.append(("bad_replaced_by", document.replaced_by))
    if _expected_region(document) != (document.region, document.region_chain, document.region_chain_names):
        problems.append(("bad_region", f"{document.region} {document.region_adcode}"))
    return problems


def _expected_region(document: Document) -> tuple[str, tuple[str, ...], tuple[str, ...]] | None:
    if document.national:
        fields = detect.NATIONAL
        return fields["region"], tuple(fields["region_chain"]), tuple(fields["region_chain_names"])  # type: ignore[arg-type]
    place = place_by_adcode(document.region_adcode)
    if place is None:
        return None
    chain = list(reversed(enclosing_places(place)))
    return place.name, tuple(p.adcode for p in chain), tuple(p.name for p in chain)


def lifecycle_status(document: Document, today: date | None = None) -> str:
    """A key of messages.STATUS: replaced, expired, pending (not yet in force), in_force or unknown."""
    today_text = (today or date.today()).isoformat()
    if document.replaced_by:
        return "replaced"
    if document.in_force_until and _last_day(document.in_force_until) < today_text:
        return "expired"
    if document.in_force_from and document.in_force_from > today_text[: len(document.in_force_from)]:
        return "pending"
    return "in_force" if document.in_force_from or document.in_force_until else "unknown"


def _last_day(value: str) -> str:
    """The last day a partial date covers: 2025 → 2025-12-31, 2025-06 → 2025-06-31 (as text, compares fine)."""
    return value + "-12-31"[len(value) - 4 :] if len(value) < 10 else value
