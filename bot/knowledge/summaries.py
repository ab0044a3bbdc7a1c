"""The curated plain-language summaries in knowledge/plain/*.yml, and the hash of the passage text each
was written for.

An entry is `passage_id`, `summary` and `text_hash` (the first 8 hex digits of the SHA-256 of the
passage text). When a passage's text changes, `knowledge check` reports its summary until an editor has
reread it and stamped it again (`knowledge summaries --stamp PASSAGE`). Stamping edits only the
`text_hash:` line of each entry, so the change is a one-line diff per summary.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.knowledge.errors import IntakeError
from retrieval.corpus import Passage, load_corpus

HASH_KEY = "text_hash"
ENTRY_START = re.compile(r"^- ")


@dataclass(frozen=True)
class SummaryEntry:
    file: str  # name in knowledge/plain/
    passage_id: str
    summary: str
    text_hash: str | None  # None: never stamped


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def plain_files(knowledge_dir: Path) -> list[Path]:
    return sorted((knowledge_dir / "plain").glob("*.yml"))


def summary_entries(knowledge_dir: Path) -> list[SummaryEntry]:
    return [
        SummaryEntry(path.name, str(entry["passage_id"]), entry["summary"], entry.get(HASH_KEY))
        for path in plain_files(knowledge_dir)
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []
    ]


def missing_summaries(knowledge_dir: Path, doc_ids: list[str] | None = None) -> list[Passage]:
    """The passages (of the given documents, else of all) that have no summary yet, in base order."""
    corpus = load_corpus(knowledge_dir)
    unknown = sorted(set(doc_ids or ()) - set(corpus.documents))
    if unknown:
        raise IntakeError("unknown_doc", doc_id="、".join(unknown))
    return [
        p
        for p in corpus.passages
        if p.passage_id not in corpus.summaries and (not doc_ids or p.doc_id in doc_ids)
    ]


def stamp(knowledge_dir: Path, passage_ids: list[str] | None = None) -> list[str]:
    """Write the hash of the current passage text beside the summaries of `passage_ids` (after an editor
    checked them), or beside every summary that has none yet. The ids stamped."""
    texts = {p.passage_id: p.text for p in load_corpus(knowledge_dir).passages}
    entries = summary_entries(knowledge_dir)
    if passage_ids is not None:
        known = {e.passage_id for e in entries}
        unknown = [pid for pid in passage_ids if pid not in known or pid not in texts]
        if unknown:
            raise IntakeError("unknown_summary", passage_ids="、".join(unknown))
    stamped = []
    for path in plain_files(knowledge_dir):
        chosen = {
            e.passage_id
            for e in entries
            if e.file == path.name
            and e.passage_id in texts
            and (e.passage_id in passage_ids if passage_ids is not None else e.text_hash is None)
        }
        if chosen:
            _write_hashes(path, {pid: text_hash(texts[pid]) for pid in chosen})
            stamped += sorted(chosen)
    return stamped


def _write_hashes(path: Path, hashes: dict[str, str]) -> None:
    """Set `text_hash:` in the entries of `hashes`, as the last line of each entry, touching no other."""
    text = path.read_text(encoding="utf-8")
    entries = yaml.safe_load(text) or []
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if ENTRY_START.match(line)]
    if len(starts) != len(entries):
        raise ValueError(f"{path}: expected one '- ' line per entry")
    for start, end, entry in reversed(list(zip(starts, [*starts[1:], len(lines)], entries, strict=True))):
        digest = hashes.get(str(entry["passage_id"]))
        if digest is None:
            continue
        block = [line for line in lines[start:end] if not line.startswith(f"  {HASH_KEY}:")]
        last = max(i for i, line in enumerate(block) if i == 0 or line.startswith("  "))
        block.insert(last + 1, f'  {HASH_KEY}: "{digest}"')
        lines[start:end] = block
        entry[HASH_KEY] = digest
    updated = "\n".join(lines) + "\n"
    if yaml.safe_load(updated) != entries:
        raise ValueError(f"{path}: stamping would change more than the hashes")
    path.write_text(updated, encoding="utf-8")
