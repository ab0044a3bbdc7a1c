"""A running process answers from the new base within seconds of a change, without a failed search while
the retriever swaps; a rebuild embeds only the new passages. A tiny deterministic embedder stands in for
the model (the real stack is measured in docs/KNOWLEDGE.md)."""

from __future__ import annotations

import threading
import time

import pytest

import retrieval.search as search_module
from bot.knowledge import base
from bot.knowledge.intake import Options, prepare
from bot.settings import Settings
from retrieval.index import ensure_built
from retrieval.search import get_retriever
from tests.knowledge.conftest import SOURCES, HashEmbedder

RELOAD_WITHIN_SECONDS = 5
QUESTION = "名师带徒 师傅 每满12个月 资助"


def add_tianjin(settings: Settings) -> None:
    """What `knowledge add tj-2022-20.txt --issuer … --yes` does: prepare, write and check, re-index."""
    draft = prepare(
        SOURCES / "tj-2022-20.txt",
        Options(issuer="天津市人力资源和社会保障局"),
        base.load_base(settings.knowledge_dir),
    )
    base.add_documents(settings.knowledge_dir, [draft])
    ensure_built(settings, progress=lambda _: None)


def wait_for(condition, seconds: float = RELOAD_WITHIN_SECONDS) -> None:  # noqa: ANN001
    """Polls like requests would; the process's watcher thread does the reloading."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, "the running retriever did not pick up the change"
        time.sleep(0.05)


def top_documents() -> set[str]:
    return {p.doc_id for p in get_retriever().search(QUESTION, top_k=3, mode="bm25").passages}


def test_a_running_retriever_answers_from_an_added_document(live: Settings) -> None:
    before = get_retriever()
    assert "tj-2022-20" not in before.documents and get_retriever() is before  # same object until a change

    add_tianjin(live)
    wait_for(lambda: "tj-2022-20" in get_retriever().documents)
    after = get_retriever()
    assert after is not before and get_retriever() is after
    assert "tj-2022-20" in top_documents()
    assert after.search(QUESTION, top_k=1, mode="bm25").passages[0].passage_id == "tj-2022-20:art22"

    (live.knowledge_dir / "policies" / "tj-2022-20.md").unlink()  # `remove` refuses: the rules quote it
    ensure_built(live, progress=lambda _: None)
    wait_for(lambda: "tj-2022-20" not in get_retriever().documents)


def test_searches_never_fail_while_the_retriever_swaps(live: Settings) -> None:
    get_retriever()
    errors: list[BaseException] = []
    searches = [0]
    stop = threading.Event()

    def search_until_stopped() -> None:
        for _ in range(100_000):  # bounded, whatever happens
            if stop.is_set():
                return
            try:
                result = get_retriever().search(QUESTION, top_k=5)
                assert result.passages
                searches[0] += 1
            except BaseException as error:  # noqa: BLE001 - any failure is the finding
                errors.append(error)
                return

    threads = [threading.Thread(target=search_until_stopped) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        add_tianjin(live)
        wait_for(lambda: "tj-2022-20" in get_retriever().documents)
        base.set_lifecycle(live.knowledge_dir, "tj-2022-20", {"in_force_until": "2025-12-31"})
        ensure_built(live, progress=lambda _: None)
        wait_for(lambda: get_retriever().documents["tj-2022-20"].in_force_until == "2025-12-31")
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert errors == [] and searches[0] > 0


def test_a_failed_load_keeps_the_old_retriever(live: Settings) -> None:
    before = get_retriever()

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk error")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_module, "create_retriever", broken)
        add_tianjin(live)
        deadline = time.monotonic() + search_module.RELOAD_CHECK_SECONDS + 1
        while time.monotonic() < deadline:
            assert get_retriever() is before
            time.sleep(0.05)

    # The next change of the index is loaded.
    base.set_lifecycle(live.knowledge_dir, "tj-2022-20", {"in_force_until": "2025-12-31"})
    ensure_built(live, progress=lambda _: None)
    wait_for(lambda: "tj-2022-20" in get_retriever().documents)


def test_summaries_reload_without_a_rebuild(live: Settings) -> None:
    before = get_retriever()
    plain = live.knowledge_dir / "plain" / "pengyang-2026.yml"
    plain.write_text(
        plain.read_text(encoding="utf-8").replace("彭阳县依据", "彭阳县根据", 1), encoding="utf-8"
    )
    wait_for(lambda: get_retriever() is not before)
    assert get_retriever().index.corpus.summaries["pengyang-2026:0"].startswith("彭阳县根据")


def test_a_rebuild_embeds_only_new_passages(live: Settings, embedder: HashEmbedder) -> None:
    embedder.encoded.clear()
    add_tianjin(live)
    assert len(embedder.encoded) == 34
    assert all(text.startswith("天津市职业技能培训补贴实施办法") for text in embedder.encoded)
