"""Split a passage into plain and highlighted segments for the query's words."""

from __future__ import annotations

from collections.abc import Iterable

MIN_WORD_LENGTH = 2  # one character (补, 证) would light up half of any clause


def query_words(tokens: Iterable[str]) -> list[str]:
    """Distinct words worth highlighting, longest first so 农民工 wins over 农民."""
    words = {token.strip() for token in tokens if len(token.strip()) >= MIN_WORD_LENGTH}
    return sorted(words, key=lambda word: (-len(word), word))


def segments(text: str, words: list[str]) -> list[dict[str, object]]:
    """`[{"text", "hit"}]` covering `text` in order; a hit is a run of characters inside a found word."""
    marked = [False] * len(text)
    lowered = text.lower()
    for word in words:
        start = lowered.find(word.lower())
        while start != -1:
            marked[start : start + len(word)] = [True] * len(word)
            start = lowered.find(word.lower(), start + len(word))
    pieces: list[dict[str, object]] = []
    for char, hit in zip(text, marked, strict=True):
        if pieces and pieces[-1]["hit"] == hit:
            pieces[-1]["text"] = str(pieces[-1]["text"]) + char
        else:
            pieces.append({"text": char, "hit": hit})
    return pieces
