from bot.settings import ROOT, Settings


def test_env_example_lists_every_setting():
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    listed = {line.split("=", 1)[0] for line in lines if "=" in line and not line.startswith("#")}
    assert listed == {name.upper() for name in Settings.model_fields}


def test_environment_overrides_defaults(monkeypatch):
    monkeypatch.setenv("GATEWAY_PORT", "8123")
    monkeypatch.setenv("TRACKER_STORE_URL", "postgresql://rasa@db/rasa")
    settings = Settings()
    assert settings.gateway_port == 8123 and settings.tracker_store_url == "postgresql://rasa@db/rasa"
