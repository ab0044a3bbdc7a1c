"""The H5 chat page in headless Chromium against the running assistant, opened from a poster's code."""

from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from PIL import Image
from playwright.sync_api import expect
from pyzbar.pyzbar import decode

from bot.settings import ROOT

pytestmark = pytest.mark.e2e

SCREENSHOT = ROOT / "docs" / "screenshots" / "chat-mobile.png"
REPLY_TIMEOUT_MS = 60_000


def scanned_url(poster: Path) -> str:
    return decode(Image.open(poster))[0].data.decode()


def bot_bubbles(page):
    return page.locator(".turn.bot .bubble")


def test_poster_opens_greeting_then_conversation(phone, poster, assistant, gateway):
    page = phone.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(scanned_url(poster))

    expect(page.locator("#region")).to_have_text("彭阳县")
    expect(bot_bubbles(page).first).to_contain_text("您好", timeout=REPLY_TIMEOUT_MS)
    expect(bot_bubbles(page).first).to_contain_text("彭阳县")  # the poster's region shapes the greeting

    page.fill("#message", "你是机器人吗")
    page.press("#message", "Enter")
    expect(page.locator(".turn.user .bubble").last).to_have_text("你是机器人吗")
    expect(bot_bubbles(page)).to_have_count(2, timeout=REPLY_TIMEOUT_MS)
    expect(bot_bubbles(page).last).to_contain_text("助手")

    # Readable on a 360 px screen: nothing wider than the viewport.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))

    # Everything came from the gateway: no CDN.
    gateway_origin = assistant.public_base_url
    assert requested and all(url.startswith(gateway_origin) for url in requested)

    # The same visitor after a reload: same sender, same transcript, no second greeting.
    sender = page.evaluate("localStorage.getItem('zyjn.sender_id')")
    page.reload()
    expect(bot_bubbles(page)).to_have_count(2)
    assert page.evaluate("localStorage.getItem('zyjn.sender_id')") == sender

    # The conversation was counted for the poster's campaign and region.
    counts = gateway.get("/api/stats/entries").json()["entries"]
    assert any(
        c["campaign"] == "2027春季招生" and c["region"] == "彭阳县" and c["conversations"] >= 1
        for c in counts
    )


def test_a_certificate_of_several_kinds_is_chosen_with_a_tap(phone, poster, assistant):
    """From 彭阳's poster, "电工证" is three rows of 彭阳's catalogue: the page offers them to tap, and the
    tap brings the answer for that row (its amount, or that the document's row lacks one)."""
    page = phone.new_page()
    page.goto(scanned_url(poster))
    expect(bot_bubbles(page).first).to_contain_text("您好", timeout=REPLY_TIMEOUT_MS)
    page.fill("#message", "我考了电工证，能补多少钱")
    page.press("#message", "Enter")
    expect(bot_bubbles(page).last).to_contain_text("在补贴目录里有几种", timeout=REPLY_TIMEOUT_MS)
    choice = page.locator(".quick button", has_text="低压电工作业").last
    expect(choice).to_be_visible()
    expect(page.locator(".quick button", has_text="高压电工作业").last).to_be_visible()
    choice.click()
    expect(page.locator(".turn.user .bubble").last).to_have_text("低压电工作业")
    expect(bot_bubbles(page).last).to_contain_text(
        "职业资格培训补贴（低压电工作业）", timeout=REPLY_TIMEOUT_MS
    )
    expect(bot_bubbles(page).last).to_contain_text("附件1 第1行")


def test_tampered_link_opens_a_plain_chat(phone, poster):
    params = dict(parse_qsl(urlsplit(scanned_url(poster)).query))
    params["role"] = "institution"
    page = phone.new_page()
    page.goto(f"{scanned_url(poster).split('?')[0]}?{urlencode(params)}")
    expect(page.locator("#notice")).to_be_visible()
    expect(bot_bubbles(page).first).to_contain_text("您好", timeout=REPLY_TIMEOUT_MS)
    expect(bot_bubbles(page).first).not_to_contain_text("合规")  # no institution mode from an edited link
    expect(page.locator("#region")).to_be_hidden()


def test_renders_quick_replies_course_cards_and_citations(phone, assistant):
    """The dialogue does not yet answer with courses and citations, so /api/chat's documented shape
    (ARCHITECTURE.md) is served to the page for this one check of its rendering."""
    course = {
        "institution": "彭阳县职业技能培训中心", "course": "中式烹调师", "occupation": "中式烹调师",
        "address": "彭阳县白阳镇", "distance_km": 2.5, "start_date": "2027-03-01", "end_date": "2027-03-20",
        "subsidized": True, "phone": "0954-1234567",
    }  # fmt: skip
    answer = {
        "messages": [
            {"text": "为您找到附近的课程：", "custom": {"courses": [course]}},
            {"text": "还想了解补贴吗？", "buttons": [{"title": "了解补贴", "payload": "/ask_subsidy"}]},
        ],
        "intent": {"name": "find_course", "confidence": 0.9}, "entities": [], "slots": {}, "handoff": False,
        "citations": [{"doc_id": "d1", "title": "职业技能提升行动方案", "section": "第三条",
                       "text": "按规定给予职业培训补贴。", "score": 0.9}],
    }  # fmt: skip
    sent: list[dict] = []

    def answer_chat(route):
        sent.append(route.request.post_data_json)
        route.fulfill(json=answer)

    page = phone.new_page()
    page.route("**/api/chat", answer_chat)
    page.goto(f"{assistant.public_base_url}/chat")
    card = page.locator(".card").first
    expect(card.locator("h3")).to_contain_text("中式烹调师")
    expect(card).to_contain_text("2.5 公里")
    expect(card.locator("a[href='tel:0954-1234567']")).to_be_visible()

    citations = page.locator("details.citations").first
    expect(citations.locator("summary")).to_have_text("政策依据（1 条）")
    expect(citations.locator("q")).to_be_hidden()
    citations.locator("summary").click()
    expect(citations.locator("q")).to_have_text("按规定给予职业培训补贴。")

    page.locator(".quick button", has_text="了解补贴").first.click()
    expect(page.locator(".turn.user .bubble").last).to_have_text("了解补贴")
    assert sent[-1]["message"] == "/ask_subsidy"
    assert sent[0]["message"] == "/greet" and sent[0]["metadata"] == {"channel": "h5"}
