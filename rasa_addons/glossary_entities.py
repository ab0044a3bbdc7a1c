"""A spaCy entity layer after DIET: catalogue names never seen in training examples are still entities.

`spacy.blank("zh")` with the character segmenter and an EntityRuler whose patterns come from
`var/entities/patterns.jsonl`, written from the project's vocabulary (subsidy catalogue, course
occupations, programmes, person types, gazetteer places) by `python -m bot lexicon`. Character
patterns match whatever jieba makes of the message. Entities DIET already found win: a match that
overlaps one of them is dropped — except that a DIET entity over exactly the same characters, of another
type and with a confidence below `replace_below`, is replaced (DIET guessing person_type for a catalogue
certificate it never saw). Values are the pattern ids (the spoken form, or the canonical one
where the services would reject the spoken form); EntitySynonymMapper runs afterwards.
"""

from __future__ import annotations

import json
import logging
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
# Words that name a certificate and a trade (叉车司机, 低压电工): a course search means the trade.
OCCUPATION_INTENTS = frozenset({"find_course"})


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
            tokens = message.get(TOKENS_NAMES[TEXT]) or []
            bounds = ({t.start for t in tokens}, {t.end for t in tokens}) if tokens else None
            matches = self.extract(text, (message.get(INTENT) or {}).get("name"), bounds)
            merged = self.merge(found, matches)
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
            if bounds and (span.start_char not in bounds[0] or span.end_char not in bounds[1]):
                continue
            label, value = span.label_, span.ent_id_ or span.text
            alternatives = self.alternatives.get(span.text)
            if alternatives and "occupation" in alternatives and intent in OCCUPATION_INTENTS:
                label, value = "occupation", alternatives["occupation"]
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

    def merge(self, found: List[Dict[Text, Any]], matches: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
        """DIET's entities plus the matches that overlap none of them; an unsure DIET entity of another
        type over exactly a match's characters gives way to the match."""
        merged = list(found)
        for match in matches:
            span = (match[ENTITY_ATTRIBUTE_START], match[ENTITY_ATTRIBUTE_END])
            overlapping = [
                i
                for i, e in enumerate(merged)
                if span[0] < e[ENTITY_ATTRIBUTE_END] and e[ENTITY_ATTRIBUTE_START] < span[1]
            ]
            if not overlapping:
                merged.append(match)
                continue
            [*_, last] = overlapping
            other = merged[last]
            if (
                len(overlapping) == 1
                and (other[ENTITY_ATTRIBUTE_START], other[ENTITY_ATTRIBUTE_END]) == span
                and other[ENTITY_ATTRIBUTE_TYPE] != match[ENTITY_ATTRIBUTE_TYPE]
                and other.get("confidence_entity", 1.0) < self.replace_below
            ):
                merged[last] = match
        return merged
