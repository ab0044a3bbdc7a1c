"""`python -m rasa_validation --config config.yml --domain domain.yml --data nlu_data`, in .venv-rasa
(`python -m bot validate` runs it). Rasa's own `validate_files` runs every check of
`rasa data validate --fail-on-warnings` while its warnings are recorded; then a warning that a response
is not used in any story or rule is settled when the response is a form's question, is named in
actions/*.py or bot/answers/*.py or is Rasa's default fallback response. Exit 1 when Rasa fails, when any other warning
stands, or when those files name a response the domain does not define."""

from __future__ import annotations

import argparse
import logging
import sys
import warnings
from collections import Counter
from pathlib import Path

from rasa.cli.utils import validate_files
from rasa.core.actions.action import ActionDefaultFallback
from rasa.core.actions.forms import FormAction
from rasa.shared.core.domain import Domain
from rasa.shared.exceptions import RasaException
from rasa.shared.importers.importer import TrainingDataImporter
from rasa.utils.common import configure_logging_and_warnings

from rasa_validation.response_references import response_references, undefined_responses
from rasa_validation.unused_responses import settle_unused_responses

# The custom actions and the answer layer they send decisions from.
RESPONSE_SOURCES = (Path("actions"), Path("bot/answers"))
FORM_QUESTION, CUSTOM_ACTION, DEFAULT_FALLBACK = "表单提问", "自定义动作", "默认兜底"


def form_questions(domain: Domain) -> set[str]:
    """The responses the forms ask their required slots with, by Rasa's own lookup (a private method of
    FormAction in the pinned Rasa 3.6.21): utter_ask_<form>_<slot>, else utter_ask_<slot>; none when an
    action_ask_… comes first."""
    return {
        question
        for form in domain.form_names
        for slot in domain.required_slots_for_form(form)
        if (question := FormAction(form, None)._name_of_utterance(domain, slot)) in domain.responses
    }


def rasa_checks(args: argparse.Namespace) -> tuple[bool, list[str], Domain]:
    """Whether Rasa's checks pass, the warnings raised while loading and checking, and the domain."""
    with warnings.catch_warnings(record=True) as raised:
        # Deprecated library calls inside Rasa (pkg_resources …) are for Rasa's developers, as Python's
        # default filters have it (channel libraries Rasa imports turn them on); Rasa's own notices
        # about deprecated project data are FutureWarnings, and those are recorded.
        warnings.simplefilter("ignore", DeprecationWarning)
        importer = TrainingDataImporter.load_from_config(args.config, args.domain, args.data)
        try:
            validate_files(fail_on_warnings=True, max_history=None, importer=importer)
            passed = True
        except SystemExit:  # validate_files prints Rasa's errors, then exits
            passed = False
        domain = importer.get_domain()
    return passed, [str(warning.message) for warning in raised], domain


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rasa_validation", description=__doc__)
    parser.add_argument("--config", required=True)
    parser.add_argument("--domain", required=True)
    parser.add_argument("--data", nargs="+", required=True)
    args = parser.parse_args(argv)
    configure_logging_and_warnings(logging.WARNING, warn_only_once=True, filter_repeated_logs=True)
    try:
        passed, raised, domain = rasa_checks(args)
    except RasaException as error:  # unreadable data: Rasa's CLI reports these the same way
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    references = [r for source in RESPONSE_SOURCES for r in response_references(source)]
    sent_elsewhere = {
        **{reference.name: CUSTOM_ACTION for reference in references},
        **dict.fromkeys(form_questions(domain), FORM_QUESTION),
        ActionDefaultFallback().utter_action: DEFAULT_FALLBACK,
    }
    settled, standing = settle_unused_responses(raised, sent_elsewhere)
    undefined = undefined_responses(references, domain.responses)
    for message in standing:
        print(f"警告：{message}", file=sys.stderr)
    for reference in undefined:
        print(
            f"错误：{reference.path}:{reference.line} 的回复 {reference.name} 在 domain 中没有定义",
            file=sys.stderr,
        )
    senders = "、".join(f"{sender} {count}" for sender, count in Counter(settled.values()).most_common())
    ok = passed and not standing and not undefined
    print(
        f"数据校验{'通过' if ok else '未通过'}：警告 {len(standing)} 条，动作里未定义的回复 {len(undefined)} 个"
        f"{'' if passed else '，Rasa 检查有错误'}；另有 {len(settled)} 个回复不在故事和规则里，由别处发送"
        f"（{senders or '无'}）"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
