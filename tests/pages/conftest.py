"""A poster made by the real CLI for the running assistant, and a headless Debian Chromium."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from bot.settings import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
POSTER_CONTEXT = {"region": "彭阳县", "role": "trainee", "campaign": "2027春季招生"}


@pytest.fixture(scope="session")
def poster(assistant, tmp_path_factory) -> Path:
    """`python -m bot qr make …` with the running assistant's public address and signing secret."""
    out = tmp_path_factory.mktemp("poster") / "poster.png"
    env = {**os.environ, "PUBLIC_BASE_URL": assistant.public_base_url,
           "ENTRY_SIGNING_SECRET": assistant.entry_signing_secret}  # fmt: skip
    argv = [sys.executable, "-m", "bot", "qr", "make", "--out", str(out)]
    for key, value in POSTER_CONTEXT.items():
        argv += [f"--{key}", value]
    subprocess.run(argv, cwd=ROOT, env=env, check=True, capture_output=True)
    return out


# Package scope: Playwright's sync API keeps an event loop running in this thread while it is open,
# which async tests collected after tests/pages must not find.
@pytest.fixture(scope="package")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def phone(browser):
    """A fresh visitor on a small phone: 360 px wide, touch, no stored state."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
    )
    yield context
    context.close()
