"""The rule files themselves: provenance on every rule, and the loader's validation."""

import shutil
from pathlib import Path

import pytest
import yaml

from bot.subsidy import RuleBook, RuleDataError, load_rulebook


def test_sources_are_the_knowledge_base_documents(book: RuleBook) -> None:
    from bot.settings import get_settings
    from retrieval.corpus import load_documents

    documents = load_documents(get_settings().knowledge_dir)
    assert set(book.sources) <= set(documents)
    for doc_id, source in book.sources.items():
        assert (source.title, source.year) == (documents[doc_id].title, documents[doc_id].year)


def test_every_rule_has_doc_id_clause_and_quote(book: RuleBook) -> None:
    bases = book.bases()

    assert len(bases) > 33
    for basis in bases:
        assert basis.doc_id in book.sources
        assert basis.clause.strip()
        assert basis.quote.strip()


def test_every_amount_appears_in_its_quote(book: RuleBook) -> None:
    county = book.regions["彭阳县"]
    q, s = county.qualification, county.skill_certificate
    for entry in q.catalogue:
        assert entry.quote.startswith(f"{entry.row}\t")
        assert entry.name in "".join(entry.quote.split())
        if entry.amount_yuan is not None:
            assert str(entry.amount_yuan) in entry.quote
    assert f"{q.default_amount.amount_yuan}元" in q.default_amount.quote
    assert f"不超过{q.claim_limit.max_claims}次" in q.claim_limit.quote
    assert f"{s.amount_range.min_yuan}元-{s.amount_range.max_yuan}元" in s.amount_range.quote
    for amounts, quote in [
        (s.level_amounts.amounts, s.level_amounts.quote),
        (county.apprenticeship.amounts, county.apprenticeship.quote),
    ]:
        assert "、".join(amounts) in quote
        assert "、".join(f"{amount}元" for amount in amounts.values()) in quote
    w = county.work_based_training
    for number in (w.amount_yuan, w.min_training_days, w.min_employed_months):
        assert str(number) in w.quote


def _policy_text(policies_dir: Path, source_file: str) -> str:
    """The knowledge-base policy document built from a seed file, found by its front matter."""
    for path in policies_dir.glob("*.md"):
        text = path.read_text(encoding="utf-8")
        front_matter = yaml.safe_load(text.split("---")[1])
        if front_matter.get("source_file") == source_file:
            return text
    raise AssertionError(f"no policy document in {policies_dir} for {source_file}")


def test_prose_quotes_occur_in_the_policy_documents(book: RuleBook, knowledge_dir: Path) -> None:
    """Catalogue rows are checked above; the knowledge base re-joins lines, so whitespace is ignored."""
    catalogue_quotes = {e.quote for e in book.regions["彭阳县"].qualification.catalogue}
    for basis in book.bases():
        if basis.quote in catalogue_quotes:
            continue
        source_file = book.sources[basis.doc_id].source_file
        text = "".join(_policy_text(knowledge_dir / "policies", source_file).split())
        assert "".join(basis.quote.split()) in text, (basis.doc_id, basis.clause)


@pytest.fixture
def rules_copy(tmp_path: Path, knowledge_dir: Path) -> Path:
    return Path(shutil.copytree(knowledge_dir / "subsidy_rules", tmp_path / "subsidy_rules"))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("regions/pengyang.yml", "amount_yuan: 1400", "amount_yuan: 0"),
        ("regions/pengyang.yml", "    - row: 5\n", "    - row: 6\n"),
        ("regions/pengyang.yml", "doc_id: pengyang-2026", "doc_id: pengyang-2099"),
        ("regions/guizhou.yml", "doc_id: guizhou-2025-3", "doc_id: nowhere"),
        ("regions/pengyang.yml", "  other_groups: [企业职工]", "  other_groups: [企业老板]"),
        ("regions/pengyang.yml", "  program: 以工代训", "  program: 以工带训"),
        ("vocabulary.yml", "  保安员: [保安证,", "  保安员: [叉车证, 保安证,"),
        ("vocabulary.yml", "  叉车司机: [叉车证,", "  保安员: [叉车证,"),
        ("vocabulary.yml", "  叉车司机: [", "  叉车师傅: ["),
        ("vocabulary.yml", "[是, 是的,", "[外地, 是的,"),
        ("templates.yml", "  region: 所在地区\n", ""),
    ],
)
def test_loader_rejects_inconsistent_rules(rules_copy: Path, file: str, old: str, new: str) -> None:
    _edit(rules_copy / file, old, new)

    with pytest.raises(RuleDataError):
        load_rulebook(rules_copy)


def test_loader_rejects_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(RuleDataError):
        load_rulebook(tmp_path)


def test_every_rule_cites_a_clause_the_knowledge_base_holds(book: RuleBook) -> None:
    """A rule's clause is a section of its document as the corpus cuts it (四、2., 第九条), or a run of a
    table's rows (附件 第1—3行): an answer citing it links to a passage that exists."""
    import re

    from bot.settings import get_settings
    from retrieval.corpus import load_corpus

    corpus = load_corpus(get_settings().knowledge_dir)
    sections = {(p.doc_id, p.section) for p in corpus.passages}
    for basis in book.bases():
        rows = re.fullmatch(r"(.*第)(\d+)—(\d+)(行)", basis.clause)
        cited = (
            [f"{rows[1]}{n}{rows[4]}" for n in range(int(rows[2]), int(rows[3]) + 1)]
            if rows
            else [basis.clause]
        )
        assert all((basis.doc_id, c) in sections for c in cited), (basis.doc_id, basis.clause)
