"""FastAPI gateway: the only public port. Channels, pages and JSON APIs."""
