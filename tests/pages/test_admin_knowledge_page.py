"""The knowledge operator page in headless Chromium on a phone: sign in, upload a policy document into a
temporary knowledge base, correct what the text lacks, save, see it listed, hit-test a question, retire
it; removing it is refused while the subsidy rules quote it. The gateway runs in this process (no Rasa
needed) with the real embedding model."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import expect

from bot.gateway.app import create_app
from bot.settings import ROOT, get_settings
from bot.stack import free_port
from retrieval.search import get_retriever, refresh_retriever

pytestmark = pytest.mark.e2e

DEV_TOKEN = "dev-admin-token"  # its digest is the default of the setting admin_token_hashes
SOURCE = ROOT / "tests" / "knowledge" / "sources" / "tj-2022-20.txt"
SCREENSHOT = ROOT / "docs" / "screenshots" / "admin-knowledge-mobile.png"
TIMEOUT_MS = 60_000  # for what waits on the server: a save embeds and re-indexes on a busy machine
PHONE_WIDTH = 360


def small_base(target: Path) -> Path:
    """One seed document (彭阳县) with its summaries, and what the gateway and answer layer read beside
    the policies (glossary, topics, course vocabulary, subsidy rules)."""
    knowledge = ROOT / "knowledge"
    (target / "policies").mkdir(parents=True)
    (target / "plain").mkdir()
    shutil.copy(knowledge / "policies" / "pengyang-2026.md", target / "policies")
    shutil.copy(knowledge / "plain" / "pengyang-2026.yml", target / "plain")
    for name in ("glossary.yml", "topics.yml"):
        shutil.copy(knowledge / name, target)
    for name in ("courses", "subsidy_rules"):
        shutil.copytree(knowledge / name, target / name)
    return target


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("operator")
    environment = {
        "KNOWLEDGE_DIR": str(small_base(root / "knowledge")),
        "INDEX_DIR": str(root / "index"),
        "DATA_DIR": str(root),
        "DATABASE_URL": f"sqlite:///{root / 'assistant.db'}",
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in environment.items():
            patch.setenv(name, value)
        get_settings.cache_clear()
        get_retriever.cache_clear()
        port = free_port()
        server = uvicorn.Server(
            uvicorn.Config(create_app(get_settings()), host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 60
        while not server.started:
            assert time.monotonic() < deadline and thread.is_alive(), "the gateway did not start"
            time.sleep(0.1)
        refresh_retriever()  # the index of the small base is built before the browser starts
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True
            thread.join(timeout=30)
            get_settings.cache_clear()
            get_retriever.cache_clear()


@pytest.fixture
def page(phone):  # noqa: ANN001 - the phone fixture of tests/pages/conftest.py
    page = phone.new_page()
    yield page
    page.close()


def test_wrong_token_is_refused(page, site: str) -> None:  # noqa: ANN001
    page.goto(f"{site}/admin/knowledge")
    page.fill("#token", "dev-assist-token")
    page.click("#sign-in button[type=submit]")
    expect(page.locator("#sign-in-error")).to_contain_text("令牌", timeout=TIMEOUT_MS)
    expect(page.locator("#pane")).to_be_hidden()


def test_operator_adds_checks_and_retires_a_document(page, site: str) -> None:  # noqa: ANN001
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{site}/admin/knowledge")
    page.fill("#token", DEV_TOKEN)
    page.click("#sign-in button[type=submit]")
    expect(page.locator("#documents li")).to_have_count(1, timeout=TIMEOUT_MS)
    expect(page.locator("#documents")).to_contain_text("彭阳")

    # The text names no issuer: the page asks for it, then shows what it found.
    page.set_input_files("#file", str(SOURCE))
    page.click("#detect")
    expect(page.locator("#error")).to_contain_text("发文机关", timeout=TIMEOUT_MS)
    page.fill("#field-issuer", "天津市人力资源和社会保障局")
    page.click("#redetect")
    expect(page.locator("#passage-count")).to_have_text("34 个", timeout=TIMEOUT_MS)
    expect(page.locator("#field-doc_number")).to_have_value("津人社局发〔2022〕20号")
    expect(page.locator("#field-in_force_until")).to_have_value("2027-07-31")
    expect(page.locator("#draft-id")).to_contain_text("tj-2022-20")
    expect(page.locator("#passages")).to_contain_text("第二十二条")
    expect(page.locator("#error")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH

    page.click("#save")
    expect(page.locator("#notice")).to_contain_text("已保存 tj-2022-20", timeout=TIMEOUT_MS)
    expect(page.locator("#documents li")).to_have_count(2)
    tianjin = page.locator("#documents li[data-doc=tj-2022-20]")
    expect(tianjin.locator(".status")).to_have_text("有效")
    expect(tianjin).to_contain_text("天津市职业技能培训补贴实施办法")
    expect(tianjin).to_contain_text("施行 2022-08-01 至 2027-07-31")

    # The assistant answers from it at once.
    page.fill("#question", "名师带徒每满12个月给师傅多少钱")
    page.fill("#place", "天津")
    page.click("#hit button[type=submit]")
    expect(page.locator("#answer")).to_contain_text("4000元", timeout=TIMEOUT_MS)
    expect(page.locator("#answer")).to_contain_text("第二十二条")
    expect(page.locator("#hit-passages li").first).to_contain_text("天津市")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    # A caveat: shown on the list and with every answer from the document.
    tianjin.locator("button.retire").click()
    tianjin.locator("textarea[name=caveat]").fill("名师带徒资助标准以天津市人社局最新公布的为准。")
    tianjin.locator(".retire-form button[type=submit]").click()
    expect(tianjin.locator(".caveat")).to_contain_text("以天津市人社局最新公布的为准", timeout=TIMEOUT_MS)
    page.click("#hit button[type=submit]")
    expect(page.locator("#answer")).to_contain_text("请注意", timeout=TIMEOUT_MS)
    expect(page.locator("#answer")).to_contain_text("以天津市人社局最新公布的为准")

    # Retired: no longer in force, and the answer says so.
    tianjin.locator("button.retire").click()
    tianjin.locator("input[name=in_force_until]").fill("2025-12-31")
    tianjin.locator(".retire-form button[type=submit]").click()
    expect(tianjin.locator(".status")).to_have_text("已失效", timeout=TIMEOUT_MS)
    page.click("#hit button[type=submit]")
    expect(page.locator("#answer")).to_contain_text("现在不在施行期内", timeout=TIMEOUT_MS)

    # Not removable while the calculator's rules quote it: the page says why, and nothing changes.
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#documents li[data-doc=tj-2022-20] button.remove").click()
    expect(page.locator("#error")).to_contain_text("tj-2022-20 仍被引用", timeout=TIMEOUT_MS)
    expect(page.locator("#error")).to_contain_text("补贴规则")
    expect(page.locator("#documents li")).to_have_count(2)
    assert all(url.startswith(site) for url in requested)  # no CDN
