"""Vocational skills training assistant: settings, gateway, CLI and plain services."""
