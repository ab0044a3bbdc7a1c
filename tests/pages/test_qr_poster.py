"""QR round trip: the poster's PNG decodes back to the signed /chat link, which the gateway accepts;
an edited link is refused."""

from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from PIL import Image
from pyzbar.pyzbar import decode

from bot.qr.signing import verified_context
from tests.pages.conftest import POSTER_CONTEXT

pytestmark = pytest.mark.e2e


def poster_url(poster) -> str:
    codes = decode(Image.open(poster))
    assert len(codes) == 1 and codes[0].type == "QRCODE"
    return codes[0].data.decode()


def test_png_decodes_to_the_signed_chat_link(poster, assistant):
    url = poster_url(poster)
    assert url.startswith(f"{assistant.public_base_url}/chat?")
    params = dict(parse_qsl(urlsplit(url).query))
    assert verified_context(params, assistant.entry_signing_secret) == {"channel": "h5", **POSTER_CONTEXT}


def test_svg_poster_is_written_alongside(poster):
    svg = poster.with_suffix(".svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "彭阳县" in svg and "2027春季招生" in svg and "<path d=" in svg


def test_gateway_accepts_the_link_and_refuses_an_edited_one(poster, gateway):
    params = dict(parse_qsl(urlsplit(poster_url(poster)).query))
    accepted = gateway.post("/api/entry", json={"sender_id": "qr-roundtrip", "params": params}).json()
    assert accepted == {"valid": True, "context": {"channel": "h5", **POSTER_CONTEXT}}
    edited = {**params, "role": "institution"}
    refused = gateway.post("/api/entry", json={"sender_id": "qr-roundtrip", "params": edited}).json()
    assert refused == {"valid": False, "context": None}


def test_entry_link_is_a_working_page(poster, gateway):
    query = urlencode(dict(parse_qsl(urlsplit(poster_url(poster)).query)))
    page = gateway.get(f"/chat?{query}")
    assert page.status_code == 200 and "职业技能培训助手" in page.text
