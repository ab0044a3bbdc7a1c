"""A spaCy entity layer after DIET: catalogue names never seen in training examples are still entities.

`spacy.blank("zh")` with the character segmenter and an EntityRuler whose patterns come from
`var/entities/patterns.jsonl`, written from the project's vocabulary (subsidy catalogue, course
occupations, programmes, person types, gazetteer places) by `python -m bot lexicon`. Character
patterns match whatever jieba makes of the message. Entities DIET already found win: a match that
overlaps one of them is dropped — except that a match strictly containing a DIET entity of its own type
replaces it (个人 → 个人取证), and a DIET entity over exactly the same characters, of another type and
with a confidence below `replace_below`, is replaced (DIET guessing person_type for a catalogue
certificate it never saw). The intent decides how names are read: in a course search a certificate is
the trade to learn, in a subsidy question a trade is the certificate it is paid for, and an out-of-scope
message has no entities. Values are the pattern ids (the spoken form, or the canonical one
where the services would reject the spoken form); EntitySynonymMapper runs afterwards.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Set, Text, Tuple

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)
REPO_ROOT = Path(__file__).resolve().parents[1]
# A course search names what to learn: a certificate there (哪里能考叉车证) is the trade, whoever found it.
OCCUPATION_INTENTS = frozenset({"find_course"})
# A subsidy question is paid for a certificate: a trade the catalogue lacks (健康管理师) is one there.
CERTIFICATE_INTENTS = frozenset({"ask_subsidy"})
# Out-of-scope messages fill no slot (帮我订去银川的火车票 says nothing about where the user lives).
NO_ENTITY_INTENTS = frozenset({"out_of_scope"})
# A place's full name (四川省, 三台县, 新疆维吾尔自治区) names nothing else: DIET, which has seen few of the
# gazetteer's names, takes some for a skill level or a programme, and jieba glues some to the next
# character (在天涯区考 → 天涯 / 区考).
PLACE_NAME_ENDINGS = ("省", "市", "区", "县", "旗", "州", "盟")


def _resolve(path: Text) -> Path:
    candidate = Path(path)
    if candidate.is_absolute() or candidate.exists():
        return candidate
    return REPO_ROOT / candidate


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class GlossaryEntityExtractor(GraphComponent, EntityExtractorMixin):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"patterns_path": "var/entities/patterns.jsonl", "replace_below": 0.5}

    @staticmethod
    def required_packages() -> List[Text]:
        return ["spacy"]

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GlossaryEntityExtractor:
        return cls(config)

    def __init__(self, config: Dict[Text, Any]) -> None:
        import spacy

        self.replace_below = float(config.get("replace_below", 0.5))
        path = _resolve(config["patterns_path"])
        if not path.exists():
            raise FileNotFoundError(f"{path}: entity patterns missing — run `make lexicon`")
        patterns = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
        self.alternatives = {p["pattern"]: p["alternatives"] for p in patterns if "alternatives" in p}
        # One expression for every place (bot.gazetteer.TOWN_ENDING), compiled once.
        endings = {p["town_ending"] for p in patterns if "town_ending" in p}
        self.town_ending = re.compile("|".join(endings)) if endings else None
        self.nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
        ruler = self.nlp.add_pipe("entity_ruler")
        ruler.add_patterns([{k: p[k] for k in ("label", "pattern", "id")} for p in patterns])
        logger.debug("GlossaryEntityExtractor: %d patterns from %s", len(patterns), path)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            found = list(message.get(ENTITIES) or [])
            intent = (message.get(INTENT) or {}).get("name")
            tokens = message.get(TOKENS_NAMES[TEXT]) or []
            bounds = ({t.start for t in tokens}, {t.end for t in tokens}) if tokens else None
            if intent in NO_ENTITY_INTENTS:
                merged = []
            else:
                merged = self.merge(self.for_intent(found, intent), self.extract(text, intent, bounds), text)
            if merged != found:
                message.set(ENTITIES, merged, add_to_output=True)
        return messages

    def extract(
        self, text: Text, intent: Optional[Text] = None, bounds: Optional[Tuple[Set[int], Set[int]]] = None
    ) -> List[Dict[Text, Any]]:
        """Every pattern match (longest first, no overlaps among themselves) as a Rasa entity."""
        entities = []
        for span in self.nlp(text).ents:
            # The ruler matches characters, so a pattern can hit inside a longer word (职业资格证 inside
            # 职业资格证书, a different term). `bounds` = (token starts, token ends) of jieba's tokens:
            # a match must start and end on them, like DIET's spans; without tokens every match counts.
            label, value = span.label_, span.ent_id_ or span.text
            ends_inside = bounds and span.end_char not in bounds[1] and not _full_place_name(label, span.text)
            if bounds and (span.start_char not in bounds[0] or ends_inside):
                continue
            if label == "region" and self.town_ending and self.town_ending.match(text, span.end_char):
                continue  # a town's name (彭阳县红河镇), not the place 红河
            if label == "certificate" and intent in OCCUPATION_INTENTS:
                label, value = "occupation", self.alternatives.get(span.text, {}).get("occupation", value)
            elif label == "occupation" and intent in CERTIFICATE_INTENTS:
                label = "certificate"
            entities.append(
                {
                    ENTITY_ATTRIBUTE_START: span.start_char,
                    ENTITY_ATTRIBUTE_END: span.end_char,
                    ENTITY_ATTRIBUTE_VALUE: value,
                    ENTITY_ATTRIBUTE_TYPE: label,
                    EXTRACTOR: self.__class__.__name__,
                }
            )
        return entities

    def merge(
        self, found: List[Dict[Text, Any]], matches: List[Dict[Text, Any]], text: Text
    ) -> List[Dict[Text, Any]]:
        """DIET's entities plus the matches that overlap none of them. A match gives way to DIET's
        entities it overlaps, except:
        - a match that strictly contains a DIET entity of its own type (DIET's 个人 inside the
          programme 个人取证, 低压电工 inside the certificate 低压电工证) replaces it: the catalogue
          name is the whole of it;
        - a DIET entity of another type over exactly a match's characters gives way to it when DIET is
          unsure, or when the match is a certificate named with 证 (育婴员证 is no trade) or a place's full
          name (四川省 is no skill level)."""
        merged = list(found)
        for match in matches:
            start, end = match[ENTITY_ATTRIBUTE_START], match[ENTITY_ATTRIBUTE_END]
            overlapping = [
                e for e in merged if start < e[ENTITY_ATTRIBUTE_END] and e[ENTITY_ATTRIBUTE_START] < end
            ]
            if not overlapping:
                merged.append(match)
                continue
            if len(overlapping) > 1:
                continue
            [other] = overlapping
            other_span = (other[ENTITY_ATTRIBUTE_START], other[ENTITY_ATTRIBUTE_END])
            same_type = other[ENTITY_ATTRIBUTE_TYPE] == match[ENTITY_ATTRIBUTE_TYPE]
            inside = start <= other_span[0] and other_span[1] <= end and other_span != (start, end)
            overruled = other_span == (start, end) and (
                other.get("confidence_entity", 1.0) < self.replace_below
                or (match[ENTITY_ATTRIBUTE_TYPE] == "certificate" and text[start:end].endswith("证"))
                or _full_place_name(match[ENTITY_ATTRIBUTE_TYPE], text[start:end])
            )
            if (same_type and inside) or (not same_type and overruled):
                merged[merged.index(other)] = match
        return merged

    @staticmethod
    def for_intent(entities: List[Dict[Text, Any]], intent: Optional[Text]) -> List[Dict[Text, Any]]:
        """DIET's entities as the intent reads them: in a course search, a certificate is the trade."""
        if intent in OCCUPATION_INTENTS:
            return [
                {**e, ENTITY_ATTRIBUTE_TYPE: "occupation"} if e[ENTITY_ATTRIBUTE_TYPE] == "certificate" else e
                for e in entities
            ]
        return entities


def _full_place_name(label: Text, name: Text) -> bool:
    return label == "region" and len(name) >= 3 and name.endswith(PLACE_NAME_ENDINGS)
