"""The glossary entity layer's rules over DIET's entities: which one wins, and how the intent reads them.
Runs the component in the Rasa environment (.venv-rasa) on the generated patterns."""

import pytest

from bot.entity_patterns import write_entity_patterns
from tests.rasa_python import run_in_rasa

# (text, intent, DIET's entities as (start, end, type[, confidence]))
CASES = {
    "catalogue name containing DIET's span": (
        "考个低压电工证能补多少",
        "ask_subsidy",
        [(2, 6, "certificate")],
    ),
    "programme containing DIET's span": ("个人取证的补贴一般给多少", "ask_subsidy", [(0, 2, "program")]),
    "DIET's confident span of another type wins": (
        "考个低压电工证能补多少",
        "ask_subsidy",
        [(2, 6, "occupation")],
    ),
    "unsure DIET guess over a catalogue name": (
        "焊接与热切割作业补多少",
        "ask_subsidy",
        [(0, 8, "person_type", 0.3)],
    ),
    "certificate in a course search": ("哪里能考叉车证", "find_course", [(4, 7, "certificate")]),
    "DIET's piece of a trade in a course search": (
        "可以学健康管理师的",
        "find_course",
        [(7, 8, "certificate")],
    ),
    "trade the catalogue lacks in a subsidy question": ("考下健康管理师能领多少补贴", "ask_subsidy", []),
    "same trade in a course search": ("哪里可以学健康管理师", "find_course", []),
    "certificate named with 证 that DIET took for a trade": (
        "育婴员证能补多少",
        "inform",
        [(0, 4, "occupation")],
    ),
    "out of scope": ("帮我订一张去银川的火车票", "out_of_scope", [(6, 8, "region")]),
    "place's full name DIET took for a skill level": (
        "在四川省考叉车证能补多少钱",
        "ask_subsidy",
        [(1, 4, "skill_level"), (5, 8, "certificate")],
    ),
    # Tokenized as Rasa's JiebaTokenizer would: 在 / 天涯 / 区考 / 叉车证 …
    "place's full name glued to the next character": (
        "在天涯区考叉车证能补多少钱",
        "ask_subsidy",
        [(5, 8, "certificate")],
        True,
    ),
    # Tokenized: 彭阳县 / 红河 / 镇 …; 红河 is a town's name there, not 红河州.
    "place's name before a town's ending": ("彭阳县红河镇的，考了叉车证", "ask_subsidy", [], True),
}

RUN = """
import json, sys
from rasa.shared.nlu.training_data.message import Message
import jieba
from rasa.nlu.tokenizers.tokenizer import Token
from rasa_addons.glossary_entities import GlossaryEntityExtractor

path, cases = sys.argv[1], json.loads(sys.stdin.read())
layer = GlossaryEntityExtractor({"patterns_path": path, "replace_below": 0.5})
results = {}
for name, (text, intent, diet, *tokenized) in cases.items():
    found = [
        {"start": s, "end": e, "entity": t, "value": text[s:e], "extractor": "DIETClassifier",
         "confidence_entity": (rest or [0.99])[0]}
        for s, e, t, *rest in diet
    ]
    message = Message({"text": text, "intent": {"name": intent}, "entities": found})
    if tokenized:
        message.set("text_tokens", [Token(word, start, end) for word, start, end in jieba.tokenize(text)])
    [message] = layer.process([message])
    merged = message.get("entities")
    results[name] = sorted([text[x["start"]:x["end"]], x["entity"], x["extractor"]] for x in merged)
print(json.dumps(results, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, list[list[str]]]:
    patterns = write_entity_patterns(tmp_path_factory.mktemp("entities") / "patterns.jsonl")
    return run_in_rasa(RUN, str(patterns), stdin=CASES)


GLOSSARY, DIET = "GlossaryEntityExtractor", "DIETClassifier"


@pytest.mark.parametrize(
    "name, expected",
    [
        ("catalogue name containing DIET's span", [["低压电工证", "certificate", GLOSSARY]]),
        ("programme containing DIET's span", [["个人取证", "program", GLOSSARY]]),
        ("DIET's confident span of another type wins", [["低压电工", "occupation", DIET]]),
        ("unsure DIET guess over a catalogue name", [["焊接与热切割作业", "certificate", GLOSSARY]]),
        ("certificate in a course search", [["叉车证", "occupation", DIET]]),
        ("DIET's piece of a trade in a course search", [["健康管理师", "occupation", GLOSSARY]]),
        ("trade the catalogue lacks in a subsidy question", [["健康管理师", "certificate", GLOSSARY]]),
        ("same trade in a course search", [["健康管理师", "occupation", GLOSSARY]]),
        ("certificate named with 证 that DIET took for a trade", [["育婴员证", "certificate", GLOSSARY]]),
        ("out of scope", []),
        (
            "place's full name DIET took for a skill level",
            [["叉车证", "certificate", DIET], ["四川省", "region", GLOSSARY]],
        ),
        (
            "place's full name glued to the next character",
            [["叉车证", "certificate", DIET], ["天涯区", "region", GLOSSARY]],
        ),
        (
            "place's name before a town's ending",
            [["叉车证", "certificate", GLOSSARY], ["彭阳县", "region", GLOSSARY]],
        ),
    ],
)
def test_layer_rules(results, name, expected):
    assert results[name] == expected
