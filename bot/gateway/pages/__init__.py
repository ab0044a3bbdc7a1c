"""Pages the gateway serves; their scripts and styles are in bot/gateway/static (no CDN)."""
