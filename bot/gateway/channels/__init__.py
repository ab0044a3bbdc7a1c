"""Doors into the conversation: WeChat mini-program message push, signed entry links, entry statistics."""
