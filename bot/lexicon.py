"""The jieba user dictionary Rasa's JiebaTokenizer loads: the glossary's words, which retrieval's tokenizer
uses too, plus the names of the entity vocabulary (trades, certificates, programmes, person types) and
the skill levels, so that jieba does not glue a name to the next character (健康管理师能 cut as
健康/管理/师能) and the entity layer, whose matches end on token boundaries, still finds it, and an
annotated level stays one token (3级, not 3/级). Place names are left to jieba."""

from __future__ import annotations

from pathlib import Path

from bot.settings import ROOT

JIEBA_DICTIONARY = ROOT / "var" / "jieba" / "userdict.txt"


def write_jieba_dictionary(patterns: list[dict], path: Path = JIEBA_DICTIONARY) -> Path:
    """The glossary's entries (retrieval's tokenizer has the same), then the entity patterns' other names."""
    from bot.subsidy import field_values
    from retrieval.tokenizer import DICTIONARY_MIN_FREQ, get_tokenizer

    entries = get_tokenizer().dictionary
    known = {word for word, _, _ in entries}
    levels = {name for value, aliases in field_values()["skill_level"].items() for name in (value, *aliases)}
    names = sorted(
        ({p["pattern"] for p in patterns if p["label"] != "region" and " " not in p["pattern"]} | levels)
        - known
    )
    lines = [f"{word} {freq} {tag}\n" for word, freq, tag in entries]
    lines += [f"{name} {DICTIONARY_MIN_FREQ} n\n" for name in names]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(lines), encoding="utf-8")
    return path
