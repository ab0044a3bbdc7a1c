import pytest

from bot.settings import ROOT, Settings


def test_env_example_lists_every_setting():
    # A setting is listed with its value, or commented out ("# NAME=example") when its default is a path.
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    names = (line.removeprefix("# ").split("=", 1)[0] for line in lines if "=" in line)
    listed = {name for name in names if name.isupper() and " " not in name}
    assert listed == {name.upper() for name in Settings.model_fields}


def test_environment_overrides_defaults(monkeypatch):
    monkeypatch.setenv("GATEWAY_PORT", "8123")
    monkeypatch.setenv("TRACKER_STORE_URL", "postgresql://rasa@db/rasa")
    settings = Settings()
    assert settings.gateway_port == 8123 and settings.tracker_store_url == "postgresql://rasa@db/rasa"


def test_development_secrets_refused_when_reachable_from_outside():
    with pytest.raises(ValueError, match="ENTRY_SIGNING_SECRET"):
        Settings(gateway_host="0.0.0.0", assist_token_hashes="ab" * 32, wechat_token="real-token")
    with pytest.raises(ValueError, match="ASSIST_TOKEN_HASHES"):
        Settings(public_base_url="https://px.example.cn", entry_signing_secret="s" * 32, wechat_token="t")


def test_real_secrets_allow_a_public_gateway():
    settings = Settings(
        gateway_host="0.0.0.0",
        public_base_url="https://px.example.cn",
        entry_signing_secret="s" * 32,
        wechat_token="real-token",
        assist_token_hashes="ab" * 32,
        admin_token_hashes="cd" * 32,
    )
    assert settings.gateway_host == "0.0.0.0"
