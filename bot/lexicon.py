"""The jieba user dictionary shared by Rasa's JiebaTokenizer and retrieval, generated from knowledge/."""

from __future__ import annotations

from pathlib import Path

from bot.settings import ROOT

JIEBA_DICTIONARY = ROOT / "var" / "jieba" / "userdict.txt"


def write_jieba_dictionary(path: Path = JIEBA_DICTIONARY) -> Path:
    from retrieval.tokenizer import write_jieba_dictionary as write

    path.parent.mkdir(parents=True, exist_ok=True)
    write(path)
    return path
