import pytest

from bot.subsidy.numbers import parse_count

ZERO_WORDS = ["没有", "没领过", "从没"]


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("30天", 30),
        ("3个月", 3),
        ("三个月", 3),
        ("两次", 2),
        ("领过一次", 1),
        ("十天", 10),
        ("二十五天", 25),
        ("一百零五天", 105),
        ("没有", 0),
        ("还没领过", 0),
        ("0", 0),
        ("-3", -3),
        ("很久", None),
        ("", None),
    ],
)
def test_parse_count(text, count):
    assert parse_count(text, ZERO_WORDS) == count
