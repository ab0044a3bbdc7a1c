"""A deleted policy index is rebuilt on first use by the gateway instead of failing the request."""

import pytest
from fastapi.testclient import TestClient

from bot.gateway.app import create_app
from bot.settings import get_settings
from retrieval.index import status
from retrieval.search import get_retriever


@pytest.fixture
def no_index(tmp_path, monkeypatch):
    """The process's settings point at an empty index directory (as after `rm -r var/index`)."""
    monkeypatch.setenv("INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'assistant.db'}")
    get_settings.cache_clear()
    get_retriever.cache_clear()
    yield get_settings()
    get_settings.cache_clear()
    get_retriever.cache_clear()


def test_deleted_index_is_rebuilt_on_first_use(no_index):
    assert status(no_index) == "missing"
    with TestClient(create_app(no_index)) as client:
        response = client.post("/api/retrieve", json={"query": "职业技能培训补贴标准是多少", "top_k": 3})
    assert response.status_code == 200
    assert len(response.json()["passages"]) == 3
    assert status(no_index) == "ok"
