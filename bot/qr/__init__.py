"""Entry links for posters: signed entry context, QR poster maker, CLI (`python -m bot qr make`)."""
