"""ID-card, phone and bank-card numbers never reach the gateway's logs or its entry statistics."""

import io
import logging

import pytest
from sqlalchemy import create_engine, text
from uvicorn.logging import AccessFormatter

from bot.gateway.app import create_app
from bot.gateway.channels.entry_store import record_entry
from bot.privacy import mask
from bot.settings import Settings

ID_CARD = "11010519491231002X"
MOBILE = "13812345678"
BANK_CARD = "6222021234567890123"


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        (f"身份证{ID_CARD}", "身份证[身份证号]"),
        ("身份证号 110105194912310021。", "身份证号 [身份证号]。"),
        (f"手机{MOBILE}，微信同号", "手机[手机号]，微信同号"),
        ("+86 138-1234-5678", "[手机号]"),
        ("座机 0951-1234567、(010)12345678", "座机 [电话]、[电话]"),
        (f"卡号{BANK_CARD}", "卡号[银行卡号]"),
        ("卡号 6222 0212 3456 7890", "卡号 [银行卡号]"),
        ("拨打 12333，端口 8000，2026 年补贴 1500 元", "拨打 12333，端口 8000，2026 年补贴 1500 元"),
    ],
)
def test_mask(raw, masked):
    assert mask(raw) == masked


@pytest.fixture
def captured_logs():
    """Handlers like the ones uvicorn configures before it builds the app, writing to one buffer."""
    stream = io.StringIO()
    loggers = {
        "uvicorn.access": AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s'),
        "uvicorn.error": logging.Formatter("%(levelname)s %(message)s"),
        "": logging.Formatter("%(levelname)s %(name)s: %(message)s"),
    }
    handlers = {}
    for name, formatter in loggers.items():
        handler = logging.StreamHandler(stream)
        handler.setFormatter(formatter)
        logger = logging.getLogger(name)
        handlers[name] = (handler, logger.level)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    yield stream
    for name, (handler, level) in handlers.items():
        logging.getLogger(name).removeHandler(handler)
        logging.getLogger(name).setLevel(level)


def test_gateway_logs_are_masked(captured_logs, tmp_path):
    create_app(Settings(data_dir=tmp_path))
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d',
        "127.0.0.1:5000",
        "GET",
        f"/api/assist/conversation/{MOBILE}",
        "1.1",
        200,
    )
    logging.getLogger("bot.gateway.channels.wechat").warning("turn for %s failed", f"wechat:{ID_CARD}")
    try:
        raise ValueError(f"bad card {BANK_CARD}")
    except ValueError:
        logging.getLogger("bot.gateway.errors").exception("unexpected error for 0951-1234567")
    output = captured_logs.getvalue()
    for secret in (MOBILE, ID_CARD, BANK_CARD, "1234567"):
        assert secret not in output, output
    assert "/api/assist/conversation/[手机号]" in output and "200" in output
    assert "wechat:[身份证号]" in output and "bad card [银行卡号]" in output and "[电话]" in output


def test_entry_statistics_store_no_personal_numbers(tmp_path):
    url = f"sqlite:///{tmp_path / 'entries.db'}"
    record_entry(url, MOBILE, {"channel": "h5", "region": "彭阳县", "campaign": f"联系{MOBILE}"})
    with create_engine(url).connect() as connection:
        stored = connection.execute(text("SELECT sender_id, campaign FROM entries")).one()
    assert tuple(stored) == ("[手机号]", "联系[手机号]")
