from __future__ import annotations

import pytest

from bot.settings import ROOT
from retrieval.tokenizer import DomainTokenizer, get_tokenizer

GLOSSARY = ROOT / "knowledge" / "glossary.yml"


@pytest.fixture(scope="module")
def tokenizer() -> DomainTokenizer:
    return get_tokenizer(GLOSSARY)


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("企业推行以工代训有补贴吗", "以工代训"),
        ("新型学徒制每年补多少", "新型学徒制"),
        ("贵州证书直补怎么领", "证书直补"),
        ("湖南搞课证融通的学校", "课证融通"),
        ("考了职业技能等级证书能补吗", "职业技能等级证书"),
        ("叉车司机证补多少钱", "叉车司机"),
        ("我是彭阳县的", "彭阳县"),
        ("专项职业能力考核怎么报名", "专项职业能力考核"),
    ],
)
def test_glossary_terms_stay_single_tokens(tokenizer: DomainTokenizer, text: str, term: str) -> None:
    assert term in tokenizer.cut(text)


def test_bm25_tokens_drop_stopwords_and_punctuation_and_keep_sub_words(tokenizer: DomainTokenizer) -> None:
    tokens = tokenizer.bm25_tokens("请问，叉车司机证补多少钱？")
    assert {"叉车", "叉车司机"} <= set(tokens)
    assert not {"请问", "多少", "，", "？"} & set(tokens)
    assert not {"及其", "以及"} & set(tokenizer.content_words("补贴标准及其细则以及流程"))


def test_longer_glossary_forms_also_yield_the_inner_term(tokenizer: DomainTokenizer) -> None:
    assert "以工代训" in tokenizer.bm25_tokens("以工代训补贴怎么申请")


def test_a_one_character_word_joins_the_word_before_it_only_when_asked(tokenizer: DomainTokenizer) -> None:
    assert "培训券" in tokenizer.content_words("培训券哪里领", joins=lambda before, word: word == "券")
    assert "培训券" not in tokenizer.content_words("培训券哪里领")
    assert tokenizer.is_noun("券") and not tokenizer.is_noun("吗")
