"""第X章 / 第X条 regulations chunk one passage per article; the seed documents chunk exactly as before."""

from __future__ import annotations

import hashlib
from pathlib import Path

from retrieval.corpus import Document, chunk_document, load_corpus
from tests.knowledge.conftest import KNOWLEDGE_DIR, SEED_DOCUMENTS

# sha256 of "passage_id section" lines of the five seed documents, taken before 第X条 chunking existed
SEED_PASSAGES_DIGEST = "384987df73f8e124c1358629d68a4a674cf21988b1b709c1fdc35e82cc4813cc"

REGULATION = """第一章 总则
第一条 为规范补贴管理，制定本办法。
第二条 下列人员可以申请：
（一）农村劳动力；
（二）登记失业人员。
第二章  补贴标准
第一节 培训补贴
第三条 每人500元。
第一百零三条 本办法自2026年1月1日起施行。
附件1 实施细则
第一条 细则的第一条。
"""


def _document(body: str) -> Document:
    return Document(
        doc_id="reg",
        title="测试办法",
        short_title="测试办法",
        issuer="测试局",
        doc_number="",
        region="天津市",
        region_adcode="120000",
        region_chain=("120000",),
        region_chain_names=("天津市",),
        date="2026",
        source_file="reg.txt",
        body=body,
        path=Path("reg.md"),
    )


def test_one_passage_per_article_with_its_items_and_chapter_context() -> None:
    passages = {p.passage_id: p for p in chunk_document(_document(REGULATION))}
    assert list(passages) == ["reg:art1", "reg:art2", "reg:art3", "reg:art103", "reg:a1.art1"]
    assert passages["reg:art2"].text.splitlines() == [
        "第二条 下列人员可以申请：",
        "（一）农村劳动力；",
        "（二）登记失业人员。",
    ]
    assert passages["reg:art2"].section == "第二条"
    assert passages["reg:art2"].context == ("第一章 总则",)
    assert passages["reg:art3"].context == ("第二章 补贴标准", "第一节 培训补贴")
    assert passages["reg:a1.art1"].section == "附件1 第一条"
    assert passages["reg:a1.art1"].context == ("附件1 实施细则",)
    assert all(p.kind == "clause" for p in passages.values())


def test_seed_documents_keep_every_passage_id_and_section() -> None:
    corpus = load_corpus(KNOWLEDGE_DIR)
    lines = [f"{p.passage_id} {p.section}" for p in corpus.passages if p.doc_id in SEED_DOCUMENTS]
    assert len(lines) == 161
    assert hashlib.sha256("\n".join(lines).encode()).hexdigest() == SEED_PASSAGES_DIGEST
