"""jieba tokenisation with the project's domain dictionary, generated from the glossary.

`cut` is jieba's precise mode: glossary terms (以工代训, 叉车司机 …) come out as single tokens.
`bm25_tokens` uses search mode, which adds the dictionary sub-words of long words, so a query saying
叉车 still meets a passage saying 叉车司机; stop-words and punctuation are removed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import jieba
import jieba.posseg

from retrieval.glossary import Glossary, load_glossary

# Function words, question fillers and courtesies that carry no policy content (colloquial forms included).
_STOPWORDS_TEXT = """
    的 了 和 与 及 及其 以及 或 等 是 在 对 对于 关于 为 以 被 把 给 从 到 向 由 其 之 中 上 下 个 们 这 那 就 都 也 还 又 而 并 但
    我 你 他 她 它 我们 你们 他们 咱 咱们 俺 自己 人家 大家 本人
    吗 呢 啊 吧 呀 嘛 么 哦 哈 呗 啦 喔 嗯 哇 哎
    什么 啥 怎么 咋 怎样 怎么样 如何 哪 哪些 哪里 哪个 多少 几 谁 为什么 为啥 是否 是不是
    能 能不能 可以 可不可以 应该 会 会不会 想 要 需要 请问 一下 问下 问一下 有 有没有 没有 没 不 请 帮 告诉
    现在 今年 已经 曾经 刚刚 正在 一直 马上 照样 仍然 依然 听说 据说 下来 起来 出来 下去 影响 导致 造成 每个 这个 那个 这些 那些 一个 一些 如果 的话 就是 还是 或者 然后 知道 了解 好 行 算
    您好 你好 各位 谢谢 多谢 感谢 麻烦 请教 打听 问问 求助 咨询
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
# A count (两个, 三项, 几份, 每种): how many of something, not what it is.
COUNT_WORD = re.compile(r"^[\d一二两三四五六七八九十百千几多每各]+[个份项种笔类样次张本名]$")
TOKEN_WITH_CONTENT = re.compile(r"[\w]", re.UNICODE)
DICTIONARY_MIN_FREQ = 1000
NOUN_TAG = "n"
# jieba's tags of conjunctions, adverbs, pronouns, prepositions, particles: words that name nothing (另外, 照样).
FUNCTION_TAGS = frozenset({"c", "d", "r", "p", "u"})


def _glossary_path() -> Path:
    from bot.settings import get_settings

    return get_settings().knowledge_dir / "glossary.yml"


class DomainTokenizer:
    def __init__(self, glossary: Glossary) -> None:
        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        self.dictionary: list[tuple[str, int, str]] = []
        for word, tag in glossary.words():
            freq = max(self._jieba.suggest_freq(word, tune=False), DICTIONARY_MIN_FREQ)
            self._jieba.add_word(word, freq=freq, tag=tag)
            self.dictionary.append((word, freq, tag))
        # Read once here, not on a question's path: of jieba's tag table, only the one-character nouns and
        # the function words.
        tags = jieba.posseg.POSTokenizer(self._jieba).word_tag_tab
        self._one_character_nouns = frozenset(w for w, tag in tags.items() if len(w) == 1 and tag == NOUN_TAG)
        self._function_words = frozenset(w for w, tag in tags.items() if tag in FUNCTION_TAGS)
        words = [word for word, _, _ in self.dictionary]
        # search mode only splits out 2- and 3-character sub-words; longer glossary terms inside a
        # longer one (以工代训 in 以工代训补贴) are added from this map
        self._inner_terms = {w: [inner for inner in words if inner != w and inner in w] for w in words}

    def cut(self, text: str) -> list[str]:
        return [token for token in self._jieba.lcut(text) if token.strip()]

    def boundaries(self, text: str) -> frozenset[int]:
        """The offsets of the text where precise mode starts or ends a word."""
        return frozenset({0, *(end for _, _, end in self._jieba.tokenize(text))})

    def content_words(self, text: str, joins: Callable[[str, str], bool] | None = None) -> list[str]:
        """Precise-mode words of two or more characters that carry meaning (no stop-words, no numbers or
        counts); a one-character word that `joins(content word before, it)` is kept with that word."""
        words: list[str] = []
        for token in (t.lower() for t in self.cut(text)):
            if (
                words
                and len(token) == 1
                and joins is not None
                and _content(words[-1])
                and joins(words[-1], token)
            ):
                words[-1] += token
            else:
                words.append(token)
        return [w for w in words if _content(w)]

    def is_noun(self, character: str) -> bool:
        """jieba's dictionary tags the character, as a word, a common noun (券, 狗; not 吗 nor 补)."""
        return character in self._one_character_nouns

    def is_function_word(self, word: str) -> bool:
        """jieba's dictionary tags the word a conjunction, adverb, pronoun, preposition or particle."""
        return word in self._function_words

    def in_dictionary(self, word: str) -> bool:
        """jieba's dictionary (or the glossary) holds the word: not a run of characters its HMM glued
        together for want of one (还发 of 还发补贴)."""
        return self._jieba.FREQ.get(word, 0) > 0

    def parts(self, word: str) -> list[str]:
        """The words of two or more characters inside a word, as search mode splits it (户籍地 → 户籍)."""
        return [p for p in dict.fromkeys(self._jieba.lcut_for_search(word)) if p != word and len(p) > 1]

    def bm25_tokens(self, text: str) -> list[str]:
        tokens = [token.lower() for token in self._jieba.lcut_for_search(text)]
        tokens += [inner for token in tokens for inner in self._inner_terms.get(token, ())]
        return [t for t in tokens if t not in STOPWORDS and TOKEN_WITH_CONTENT.search(t)]


def _content(word: str) -> bool:
    return (
        len(word) > 1
        and word not in STOPWORDS
        and not word.isdigit()
        and not COUNT_WORD.match(word)
        and bool(TOKEN_WITH_CONTENT.search(word))
    )


@lru_cache(maxsize=4)
def get_tokenizer(glossary_path: Path | None = None) -> DomainTokenizer:
    return DomainTokenizer(load_glossary(glossary_path or _glossary_path()))
