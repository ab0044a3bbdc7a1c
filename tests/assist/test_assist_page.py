"""The assist pane in headless Chromium against the running assistant: sign in, type what a caller said,
see intent, a cited passage, the calculator and a suggested reply; a wrong token is refused."""

import pytest
from playwright.sync_api import expect, sync_playwright

from bot.settings import ROOT
from tests.pages.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.e2e

DEV_TOKEN = "dev-assist-token"  # its digest is the default of the setting assist_token_hashes
SCREENSHOT = ROOT / "docs" / "screenshots" / "assist-pane.png"
TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def panel():
    """A CRM side panel: 400 px wide, desktop Chromium."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 400, "height": 1500}, locale="zh-CN")
        yield context
        browser.close()


def test_wrong_token_is_refused(panel, assistant):
    page = panel.new_page()
    page.goto(f"{assistant.public_base_url}/assist")
    page.fill("#token", "not-a-token")
    page.click("#sign-in button[type=submit]")
    expect(page.locator("#sign-in-error")).to_contain_text("令牌", timeout=TIMEOUT_MS)
    expect(page.locator("#pane")).to_be_hidden()
    page.close()


def test_agent_sees_intent_passage_calculator_and_reply(panel, assistant):
    page = panel.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{assistant.public_base_url}/assist")
    page.fill("#token", DEV_TOKEN)
    page.click("#sign-in button[type=submit]")
    expect(page.locator("#pane")).to_be_visible(timeout=TIMEOUT_MS)

    page.fill("#text", "彭阳的农民工考了叉车证能补多少")
    expect(page.locator("#intent")).to_have_text("ask_subsidy", timeout=TIMEOUT_MS)
    expect(page.locator("#passages li").first.locator(".cite")).to_contain_text("《")
    expect(page.locator("#passages mark").first).to_be_visible()
    expect(page.locator("#calc-items")).to_contain_text("1400 元")
    expect(page.locator("#calc-questions li")).to_have_count(2)  # hukou_local, times_claimed
    expect(page.locator("#calc-questions")).to_contain_text("本地户籍")
    expect(page.locator("#reply")).to_contain_text("1400元")
    expect(page.locator("#profile")).to_contain_text("彭阳县")
    assert page.evaluate("document.documentElement.scrollWidth") <= 400  # fits the side panel

    # The caller answers the two questions; the profile accumulates and the total is definite.
    page.fill("#text", "本地户口，以前没领过")
    expect(page.locator("#calc-total")).to_have_text("合计 1400 元", timeout=TIMEOUT_MS)
    expect(page.locator("#calc-missing")).to_be_hidden()
    expect(page.locator("#profile")).to_contain_text("叉车证")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    # The call log exports; Alt+N starts a new call with an empty profile.
    with page.expect_download() as download:
        page.click("#export-json")
    assert download.value.suggested_filename.endswith(".json")
    page.keyboard.press("Alt+N")
    expect(page.locator("#profile dt")).to_have_count(0)

    assert all(url.startswith(assistant.public_base_url) for url in requested)  # no CDN
    page.close()


def test_join_a_conversation_by_sender_id(panel, assistant, gateway):
    sender = "assist-join-test"
    gateway.post("/api/chat", json={"sender_id": sender, "message": "叉车证能补多少钱"}).raise_for_status()
    headers = {"Authorization": f"Bearer {DEV_TOKEN}"}
    joined = gateway.get(f"/api/assist/conversation/{sender}", headers=headers).json()
    assert joined["transcript"][0] == {**joined["transcript"][0], "role": "user", "text": "叉车证能补多少钱"}
    assert joined["suggestion"]["text"] == "叉车证能补多少钱"
    assert joined["suggestion"]["passages"]
