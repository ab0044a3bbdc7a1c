"""Feedback end to end in headless Chromium on a phone, against the running assistant: a visitor of the
H5 page marks an answer 没帮助 with a reason; the operator finds it in the review console (its API, with
the negative-feedback filter, and the conversation view) and in the numbers of /admin/stats."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bot.privacy import mask
from bot.settings import ROOT
from tests.pages.review_console import open_conversation, show_only, sign_in

pytestmark = pytest.mark.e2e

OPERATOR = {"Authorization": "Bearer dev-admin-token"}  # its digest is the default of admin_token_hashes
QUESTION = "失业金一个月能领多少钱"
REASON = "我想知道失业金去哪里领"
REPLY_TIMEOUT_MS = 60_000
PHONE_WIDTH = 360
SCREENSHOT = ROOT / "docs" / "screenshots" / "stats-mobile.png"


def test_negative_feedback_from_the_chat_page_reaches_the_console_and_the_numbers(phone, assistant, gateway):
    site = assistant.public_base_url
    page = phone.new_page()
    page.goto(f"{site}/chat")
    expect(page.locator(".turn.bot .bubble").first).to_contain_text("您好", timeout=REPLY_TIMEOUT_MS)
    expect(page.locator(".feedback")).to_have_count(0)  # the greeting the page asked for is not rated

    page.fill("#message", QUESTION)
    page.press("#message", "Enter")
    answer = page.locator(".feedback")
    expect(answer).to_have_count(1, timeout=REPLY_TIMEOUT_MS)
    answer.get_by_role("button", name="没帮助").tap()
    page.get_by_label("没帮助的原因").fill(REASON)
    answer.get_by_role("button", name="提交").tap()
    expect(answer).to_have_text("谢谢您告诉我们，我们会据此改进。", timeout=REPLY_TIMEOUT_MS)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    sender = page.evaluate("localStorage.getItem('zyjn.sender_id')")

    # After a reload the verdict is remembered, not offered again.
    page.reload()
    expect(page.locator(".feedback")).to_have_text("谢谢您告诉我们，我们会据此改进。")

    # The review console: the negative-feedback filter lists the message; its conversation shows why.
    console = phone.new_page()
    sign_in(console, site)
    show_only(console, negative_feedback=True)
    listed = console.locator(f'#turns > li[data-sender="{mask(sender)}"]')  # the console masks senders
    expect(listed).to_have_count(1, timeout=REPLY_TIMEOUT_MS)
    expect(listed).to_contain_text(QUESTION)
    selected = open_conversation(console, mask(sender))
    expect(selected).to_contain_text(QUESTION)
    expect(selected).to_contain_text(f"用户评价：没帮助——{REASON}")
    found = gateway.get(
        "/api/admin/review/turns", params={"negative_feedback": "true", "sender_id": sender}, headers=OPERATOR
    ).json()["turns"]
    assert [(t["text"], t["turn"]) for t in found] == [(QUESTION, 2)]  # the turn /api/chat numbered

    # The office's numbers count it.
    stats = phone.new_page()
    stats.goto(f"{site}/admin/stats")
    stats.fill("#token", "dev-admin-token")
    stats.click("#sign-in button[type=submit]")
    expect(stats.locator("#figures")).to_contain_text("评价“有帮助”", timeout=REPLY_TIMEOUT_MS)
    expect(stats.locator(".figure", has_text="评价率")).to_contain_text("条评价")
    assert gateway.get("/api/admin/stats", headers=OPERATOR).json()["feedback"]["not_helpful"] >= 1
    assert stats.evaluate("Boolean(window.Chart && Chart.getChart('chart'))")
    expect(stats.locator("#by-channel")).to_contain_text("H5 网页")
    assert stats.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    stats.screenshot(path=str(SCREENSHOT), full_page=True)

    with stats.expect_download() as download:
        stats.click("#export")
    assert download.value.suggested_filename.endswith(".csv")
    assert "用户评价" in download.value.path().read_text(encoding="utf-8-sig")
