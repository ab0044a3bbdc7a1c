"""ASGI middleware of the gateway: request size and rate limits."""
