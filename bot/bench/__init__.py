"""Load bench and soak of the whole assistant: `python -m bot.bench.chat`."""
