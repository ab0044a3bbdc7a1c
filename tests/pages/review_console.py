"""Steps on the review console (/admin/review) shared by browser tests: sign in, filter, open a
conversation. The H5 feedback test uses them to find a "没帮助" it gave in the console:

    sign_in(page, site)
    show_only(page, negative_feedback=True)
    open_conversation(page, sender)   # the sender as the console shows it (masked)
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

DEV_TOKEN = "dev-admin-token"  # its digest is the default of the setting admin_token_hashes
TIMEOUT_MS = 60_000


def sign_in(page: Page, site: str, token: str = DEV_TOKEN) -> None:
    page.goto(f"{site}/admin/review")
    page.fill("#token", token)
    page.click("#sign-in button[type=submit]")
    expect(page.locator("#pane")).to_be_visible(timeout=TIMEOUT_MS)


def show_only(page: Page, outcome_label: str | None = None, negative_feedback: bool = False) -> Locator:
    """Applies the filters; returns the list's items once loaded."""
    if outcome_label:
        page.select_option("#f-outcome", label=outcome_label)
    page.set_checked("#f-negative", negative_feedback)
    with page.expect_response(lambda r: "/api/admin/review/turns" in r.url):
        page.click("#filters button[type=submit]")
    return page.locator("#turns > li")


def open_conversation(page: Page, sender: str | None = None) -> Locator:
    """Opens the first listed message's conversation (of `sender` if given); returns its selected turn."""
    items = page.locator("#turns > li" + (f'[data-sender="{sender}"]' if sender else ""))
    items.first.get_by_role("button", name="查看对话").click()
    expect(page.locator("#conversation-view")).to_be_visible(timeout=TIMEOUT_MS)
    return page.locator("#conversation > li.selected")
