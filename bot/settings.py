"""One settings object per process, read from the environment and `.env`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
# Development values of the secrets: fine on loopback, refused anywhere reachable from outside.
DEVELOPMENT_SECRETS = {
    "entry_signing_secret": "dev-entry-secret-change-me",
    "wechat_token": "dev-wechat-token",
    "assist_token_hashes": "baff02c0b6c274f1fbea1175ce4218984bf680555a9f17e5dadfb35305ffe831",
    "admin_token_hashes": "1734d503f6aa6a047c36d113cbad769f719c93784b469b771c4c3e7c63adbefd",
}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=ROOT / ".env", extra="ignore")

    # Processes and ports
    gateway_host: str = "127.0.0.1"
    gateway_port: int = 8000
    rasa_url: str = "http://127.0.0.1:5005"
    # Rasa server processes `make run` starts, on consecutive ports from rasa_url's (5005, 5006 …).
    # Rasa answers one turn at a time per process, so one per core; the gateway never runs two turns
    # of one conversation in two processes at once, which is what the in-memory lock store needs.
    rasa_processes: int = Field(default=2, ge=1, le=16)
    # Rasa replicas elsewhere (comma-separated URLs) sharing a tracker and lock store, used by the
    # gateway instead of the local processes (docs/DEPLOYMENT.md)
    rasa_replica_urls: str = ""
    action_server_url: str = "http://127.0.0.1:5055"
    rasa_timeout_seconds: float = 30.0
    startup_timeout_seconds: float = 300.0
    # `make run` restarts a child that exits unexpectedly after a backoff that doubles from
    # restart_backoff_seconds up to restart_backoff_max_seconds; a child that exits restart_limit times
    # within restart_window_seconds is given up on (the assistant then runs degraded).
    restart_backoff_seconds: float = Field(default=1.0, gt=0)
    restart_backoff_max_seconds: float = Field(default=30.0, gt=0)
    restart_limit: int = Field(default=5, ge=1)
    restart_window_seconds: float = Field(default=120.0, gt=0)
    # Each child's log in data_dir/log/ rotates at log_max_bytes, keeping log_backup_count old files.
    log_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    log_backup_count: int = Field(default=5, ge=1)

    # Data
    knowledge_dir: Path = ROOT / "knowledge"
    data_dir: Path = ROOT / "var"
    database_url: str = f"sqlite:///{ROOT / 'var' / 'assistant.db'}"
    # Rasa's conversation trackers: SQLite by default, a PostgreSQL URL for several replicas
    tracker_store_url: str = f"sqlite:///{ROOT / 'var' / 'trackers.db'}"
    # Rasa's conversation lock: in_memory for one Rasa process, redis for several replicas
    lock_store_type: str = "in_memory"
    lock_store_host: str = "127.0.0.1"
    lock_store_port: int = 6379
    lock_store_db: int = 1
    lock_store_password: str = ""
    course_search_radius_km: float = 150.0
    # Conversations older than this many days are deleted (or anonymised) by `python -m bot review purge`
    # from the tracker store and the review tables. 180 days covers a half-year's reports and the review
    # backlog; the Personal Information Protection Law asks for the shortest period the purpose needs.
    review_retention_days: int = Field(default=180, ge=1)

    # Retrieval: the default embedding model is the bundled m3e-small (research use only, see README)
    embedding_model: str = "m3e-small"
    index_dir: Path = ROOT / "var" / "index"

    # Service contact offered when the assistant cannot answer
    hotline: str = "12333"

    # Entry links on posters: where the QR codes point, and the key that signs their context
    public_base_url: str = "http://127.0.0.1:8000"
    entry_signing_secret: str = DEVELOPMENT_SECRETS["entry_signing_secret"]

    # WeChat mini-program message push and customer-service API (development values; set real ones in .env)
    wechat_token: str = DEVELOPMENT_SECRETS["wechat_token"]
    wechat_encoding_aes_key: str = ""  # 43 characters; empty accepts plain mode only
    wechat_appid: str = ""
    wechat_appsecret: str = ""
    wechat_api_base: str = "https://api.weixin.qq.com"

    # Agent assist pane: SHA-256 hex digests of the agent tokens, comma-separated (tokens are never stored).
    # The default is the digest of the development token "dev-assist-token"; set real ones in .env.
    assist_token_hashes: str = DEVELOPMENT_SECRETS["assist_token_hashes"]
    # Knowledge operator page /admin/knowledge: the same, for operator tokens (they add and retire policy
    # documents). The default is the digest of the development token "dev-admin-token".
    admin_token_hashes: str = DEVELOPMENT_SECRETS["admin_token_hashes"]

    # Abuse limits of the public endpoints (0 disables a rate limit) and the browser origins allowed to
    # call the APIs from other sites (comma-separated; empty: same origin only)
    max_request_bytes: int = 65_536
    # Policy documents uploaded on /admin/knowledge (the request carries the file base64-encoded, a third
    # larger): scanned-and-OCRed notices and PDFs with tables run to a few megabytes.
    max_upload_request_bytes: int = 16_777_216
    rate_limit_ip_per_minute: int = 300
    rate_limit_sender_per_minute: int = 30
    cors_allow_origins: str = ""

    @model_validator(mode="after")
    def _no_development_secrets_in_public(self) -> Settings:
        public = (
            self.gateway_host not in LOOPBACK_HOSTS
            or urlsplit(self.public_base_url).hostname not in LOOPBACK_HOSTS
        )
        left = [name.upper() for name, value in DEVELOPMENT_SECRETS.items() if getattr(self, name) == value]
        if public and left:
            raise ValueError(
                f"the gateway is reachable from outside; set real values for {', '.join(left)} in .env"
            )
        return self


def local_rasa_urls(settings: Settings) -> list[str]:
    """The URLs of the Rasa processes `make run` starts: rasa_url's port and the next ones."""
    parts = urlsplit(settings.rasa_url)
    port = parts.port or 5005
    return [
        parts._replace(netloc=f"{parts.hostname}:{port + n}").geturl() for n in range(settings.rasa_processes)
    ]


def rasa_urls(settings: Settings) -> list[str]:
    """Where the gateway sends turns: the configured replicas, else the local Rasa processes."""
    replicas = [url.strip() for url in settings.rasa_replica_urls.split(",") if url.strip()]
    return replicas or local_rasa_urls(settings)


@lru_cache
def get_settings() -> Settings:
    return Settings()
