"""The review console in headless Chromium on a 360 px phone: sign in, show the declined questions,
open one's conversation, relabel the message with an entity; the label is stored for export. The
gateway runs in this process on a tracker store of generated conversations (no Rasa needed)."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
import uvicorn
from playwright.sync_api import expect

from bot.gateway.app import create_app
from bot.review.labels import labels_for
from bot.review.seed import Generator, Writer, seed, store_rows
from bot.settings import ROOT, get_settings
from bot.stack import free_port
from retrieval.search import get_retriever
from tests.pages.review_console import TIMEOUT_MS, open_conversation, show_only, sign_in

pytestmark = pytest.mark.e2e

SCREENSHOTS = ROOT / "docs" / "screenshots"
PHONE_WIDTH = 360
QUESTION = "乌鲁木齐考电工证有补贴吗"


def newest_declined(tracker_url: str) -> None:
    """A question the documents do not cover, asked just now (so it heads the list)."""
    g = Generator(random.Random(1), phone_share=0.0)
    w = Writer("h5-urumqi", datetime.now(UTC).timestamp(), {"channel": "h5", "campaign": "2027春季招生"})
    g.session_start(w)
    g.user(w, QUESTION, "ask_policy")
    w.action("action_answer_policy")
    g.reply(w, "utter_policy_place_not_covered", {"citations": [], "answer": "place_not_covered"}, act=False)
    g.listen(w)
    store_rows(sa.create_engine(tracker_url), w.rows)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    root = tmp_path_factory.mktemp("review")
    tracker_url, database_url = f"sqlite:///{root / 'trackers.db'}", f"sqlite:///{root / 'assistant.db'}"
    seed(tracker_url, 40, days=5)
    newest_declined(tracker_url)
    environment = {"DATA_DIR": str(root), "DATABASE_URL": database_url, "TRACKER_STORE_URL": tracker_url}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in environment.items():
            patch.setenv(name, value)
        get_settings.cache_clear()
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
        try:
            yield f"http://127.0.0.1:{port}", database_url
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


def test_wrong_token_is_refused(page, site) -> None:  # noqa: ANN001
    page.goto(f"{site[0]}/admin/review")
    page.fill("#token", "dev-assist-token")
    page.click("#sign-in button[type=submit]")
    expect(page.locator("#sign-in-error")).to_contain_text("令牌", timeout=TIMEOUT_MS)
    expect(page.locator("#pane")).to_be_hidden()


def test_operator_finds_a_declined_question_and_relabels_it(page, site) -> None:  # noqa: ANN001
    url, database_url = site
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    sign_in(page, url)
    expect(page.locator("#turns > li").first).to_be_visible(timeout=TIMEOUT_MS)

    items = show_only(page, outcome_label="拒答（没有依据）")
    expect(items.first).to_contain_text(QUESTION, timeout=TIMEOUT_MS)
    outcomes = items.evaluate_all("items => items.map(i => i.dataset.outcome)")
    assert outcomes and set(outcomes) == {"declined"}
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "admin-review-list-mobile.png"))

    turn = open_conversation(page)
    expect(turn.locator(".user")).to_have_text(QUESTION)
    expect(turn).to_contain_text("action_answer_policy")
    expect(turn).to_contain_text("拒答（没有依据）")

    turn.get_by_role("button", name="重新标注").click()
    turn.get_by_label("意图").select_option("ask_policy")
    turn.get_by_label("实体文字").fill("乌鲁木齐")
    turn.get_by_label("实体类型").select_option("region")
    turn.get_by_role("button", name="添加实体").click()
    expect(turn.locator(".editor .chip")).to_contain_text("乌鲁木齐：region")
    turn.get_by_role("button", name="保存标注").click()
    expect(page.locator("#notice")).to_contain_text("标注已保存", timeout=TIMEOUT_MS)
    expect(turn.locator(".label-state")).to_have_text("已标注：ask_policy（乌鲁木齐：region）")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    page.screenshot(path=str(SCREENSHOTS / "admin-review-mobile.png"), full_page=True)

    (label,) = labels_for("h5-urumqi", database_url).values()
    assert (label["intent"], label["entities"]) == (
        "ask_policy",
        [{"entity": "region", "start": 0, "end": 4, "value": "乌鲁木齐"}],
    )
    page.click("#back")
    expect(page.locator("#list-view")).to_be_visible()
    assert all(request.startswith(url) for request in requested)  # no CDN
