import pytest

from bot.textnorm import normalize_text


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("培訓機構虛假培訓會怎麼處理", "培训机构虚假培训会怎么处理"),
        ("彭陽縣的電工證能補多少？", "彭阳县的电工证能补多少？"),  # Chinese punctuation stays
        ("ＡＢＣ１２３　叉车证", "ABC123 叉车证"),  # full-width letters, digits and space
        ("叉车 证 能 补吗", "叉车证能补吗"),  # spaces inside Chinese text are typing noise
        ("  A2 驾驶证  ", "A2 驾驶证"),
        ("职业培訓(xùn)补贴（bǔ tiē）", "职业培训补贴"),  # a character's pinyin, as copied pages annotate it
        ("电工(PLC)培训", "电工(PLC)培训"),  # letters without tone marks may be a word
        ("", ""),
    ],
)
def test_input_is_normalised(typed, normalised):
    assert normalize_text(typed) == normalised
