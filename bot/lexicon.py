"""The jieba user dictionary Rasa's JiebaTokenizer loads: the glossary's words, which retrieval's tokenizer
uses too, plus the names of the entity vocabulary (trades, certificates, programmes, person types), so
that jieba does not glue a name to the next character (健康管理师能 cut as 健康/管理/师能) and the entity
layer, whose matches end on token boundaries, still finds it. Place names are left to jieba."""

from __future__ import annotations

from pathlib import Path

from bot.settings import ROOT

JIEBA_DICTIONARY = ROOT / "var" / "jieba" / "userdict.txt"


def write_jieba_dictionary(path: Path = JIEBA_DICTIONARY) -> Path:
    from bot.entity_patterns import build_patterns
    from retrieval.tokenizer import DICTIONARY_MIN_FREQ
    from retrieval.tokenizer import write_jieba_dictionary as write

    path.parent.mkdir(parents=True, exist_ok=True)
    write(path)
    known = {line.split()[0] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
    names = sorted(
        {p["pattern"] for p in build_patterns() if p["label"] != "region" and " " not in p["pattern"]} - known
    )
    with path.open("a", encoding="utf-8") as out:
        out.writelines(f"{name} {DICTIONARY_MIN_FREQ} n\n" for name in names)
    return path
