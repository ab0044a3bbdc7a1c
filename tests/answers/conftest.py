"""The answer layer is tested on the real knowledge base and index (built once per session)."""

from tests.retrieval.conftest import real_settings, retriever  # noqa: F401  (fixtures)
