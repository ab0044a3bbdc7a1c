"""Operators' labels and `python -m bot review export`: only labelled messages leave, split by text so
no message is in both files, in Rasa NLU YAML the project's validation accepts, and marked answers as
real-question cases."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from bot import rasa_model
from bot.nlu_eval import example_texts
from bot.review import export, labels
from bot.review.export import annotated, build, comparison_form, goes_to_heldout
from bot.review.turns import conversation, sync
from bot.settings import ROOT
from tests.test_real_questions import FIELDS  # the real-question set's fields


@pytest.fixture
def reviewed(stores):
    """Conversations with a policy answer, a declined question, a subsidy question, a clarification."""
    g = stores.generator
    stores.write("h5-a", g.policy, g.declined, meta={"channel": "h5", "region": "彭阳县"})
    stores.write("h5-b", g.subsidy, g.unclear)
    sync(stores.tracker_url, stores.database_url)
    return stores


def turn_of(stores, sender: str, number: int) -> dict:
    return conversation(sender, stores.database_url)[number - 1]


def test_relabel_checks_intent_entities_and_spans(reviewed):
    url = reviewed.database_url
    first = turn_of(reviewed, "h5-b", 1)  # e.g. 叉车证能补多少钱
    stored = labels.relabel("h5-b", 1, "ask_subsidy", [{"entity": "certificate", "start": 0, "end": 3}], url)
    assert stored["entities"] == [{"entity": "certificate", "start": 0, "end": 3, "value": first["text"][:3]}]
    assert stored["text"] == first["text"] and stored["verdict"] is None

    refusals = {
        "unknown_intent": ("ask_weather", []),
        "unknown_entity": ("ask_subsidy", [{"entity": "phone", "start": 0, "end": 2}]),
        "bad_span": ("ask_subsidy", [{"entity": "certificate", "start": 2, "end": 99}]),
        "overlap": (
            "ask_subsidy",
            [{"entity": "certificate", "start": 0, "end": 3}, {"entity": "occupation", "start": 1, "end": 2}],
        ),
    }
    for code, (intent, spans) in refusals.items():
        with pytest.raises(labels.LabelError) as refused:
            labels.relabel("h5-b", 1, intent, spans, url)
        assert refused.value.code == code and refused.value.message
    with pytest.raises(labels.LabelError) as refused:
        labels.relabel("h5-b", 99, "ask_subsidy", [], url)
    assert refused.value.code == "no_turn"


def test_marking_an_answer(reviewed):
    url = reviewed.database_url
    answer = turn_of(reviewed, "h5-a", 1)
    right = labels.mark_answer("h5-a", 1, "right", database_url=url)
    assert (right["verdict"], right["expect"]) == ("right", "answer")
    assert right["clauses"] == [answer["citations"][0]["passage_id"]]

    with pytest.raises(labels.LabelError) as refused:
        labels.mark_answer("h5-a", 2, "wrong", database_url=url)
    assert refused.value.code == "bad_expect"
    with pytest.raises(labels.LabelError) as refused:
        labels.mark_answer("h5-a", 2, "wrong", expect="answer", clauses=["nowhere:1"], database_url=url)
    assert refused.value.code == "unknown_clause"
    wrong = labels.mark_answer(
        "h5-a",
        2,
        "wrong",
        expect="answer",
        clauses=["pengyang-2026:2.4"],
        note="彭阳有规定",
        database_url=url,
    )
    assert (wrong["expect"], wrong["clauses"], wrong["note"]) == (
        "answer",
        ["pengyang-2026:2.4"],
        "彭阳有规定",
    )

    relabelled = labels.relabel("h5-a", 2, "ask_policy", [], url)  # the verdict stays
    assert (relabelled["intent"], relabelled["verdict"]) == ("ask_policy", "wrong")


def label(text: str, intent: str | None, **extra) -> dict:
    return {
        "sender_id": extra.pop("sender_id", "h5-x"),
        "turn": extra.pop("turn", 1),
        "text": text,
        "intent": intent,
        "entities": extra.pop("entities", []),
        "verdict": extra.pop("verdict", None),
        "expect": extra.pop("expect", None),
        "clauses": extra.pop("clauses", None),
        "note": "",
        "place": extra.pop("place", ""),
        "labelled_at": extra.pop("at", datetime(2026, 12, 1)),
    }


def test_the_split_is_by_text_and_never_puts_a_message_in_both():
    texts = [f"我想问第{n}个培训补贴的问题" for n in range(200)]
    heldout = [t for t in texts if goes_to_heldout(t)]
    assert 20 < len(heldout) < 60  # about one in five
    assert goes_to_heldout("叉车证 能补多少钱？") == goes_to_heldout("叉车证能补多少钱")

    labels_ = [label(t, "ask_subsidy", sender_id=f"s{n}") for n, t in enumerate(texts)]
    labels_ += [
        label(t, "ask_subsidy", sender_id=f"again{n}") for n, t in enumerate(texts[:50])
    ]  # asked twice
    result = build(labels_, trained=set(), reserved=set())
    training = [comparison_form(e) for e in result.training["ask_subsidy"]]
    held = [comparison_form(e) for e in result.heldout["ask_subsidy"]]
    assert not set(training) & set(held)
    assert len(training) + len(held) == len(texts) == len(set(training) | set(held))


def test_what_is_exported_and_what_is_not():
    labels_ = [
        label(
            "我电话[手机号]，叉车证能补多少",
            "ask_subsidy",
            entities=[{"entity": "certificate", "start": 9, "end": 12}],
        ),
        label("你好", "greet"),  # already a training example
        label("/ask_subsidy", "ask_subsidy"),  # a button, not typed words
        label("这个培训补贴什么时候能到账", "ask_policy"),  # a real question of the evaluation set
        label(
            "补贴怎么领",
            None,
            verdict="right",
            expect="answer",
            clauses=["nat-2023-181:art5"],
            place="长沙市",
        ),
        label("课程在哪", None, verdict="right", expect=None),  # a course answer: no real-question case
    ]
    result = build(
        labels_, trained={comparison_form("你好")}, reserved={comparison_form("这个培训补贴什么时候能到账")}
    )
    everything = {**result.training, **result.heldout}
    assert result.heldout.get("ask_policy") == ["这个培训补贴什么时候能到账"]
    assert everything["ask_subsidy"] == ["我电话【手机号】，[叉车证](certificate)能补多少"]
    assert "greet" not in everything and result.already_trained == 1
    (case,) = result.cases
    assert set(case) == FIELDS
    assert (case["text"], case["expect"], case["clauses"]) == ("补贴怎么领", "answer", ["nat-2023-181:art5"])
    assert (case["place"], case["province"]) == ("长沙市", "湖南省")
    assert result.not_policy == 1


def test_annotation_markup():
    assert annotated(
        "彭阳考叉车证补多少",
        [{"entity": "certificate", "start": 3, "end": 6}, {"entity": "region", "start": 0, "end": 2}],
    ) == ("[彭阳](region)考[叉车证](certificate)补多少")


def test_export_round_trip_passes_the_project_validation(reviewed, tmp_path):
    """Exported files parse as Rasa NLU YAML with the labelled intents and spans, and the project's
    validation (rasa data validate with its settled warnings) passes with the export added."""
    g = reviewed.generator
    texts = ["俺家娃想学电焊县里给不给补贴呀", "我家闺女在彭阳想考育婴员证书能补点钱不"]

    def asks(w):
        for text in texts:
            g.user(w, text, "ask_subsidy")
            g.reply(w, "utter_ask_region")
            g.listen(w)

    reviewed.write("h5-new", asks)
    url = reviewed.database_url
    sync(reviewed.tracker_url, url)
    labels.relabel("h5-new", 1, "ask_subsidy", [{"entity": "occupation", "start": 5, "end": 7}], url)
    labels.relabel("h5-new", 2, "ask_subsidy", [{"entity": "region", "start": 5, "end": 7}], url)
    for n, t in enumerate(conversation("h5-a", url), start=1):
        labels.relabel("h5-a", n, t["intent"], [], url)
    labels.mark_answer("h5-a", 1, "right", database_url=url)
    paths = {key: tmp_path / name for key, name in export.OUT_NAMES.items()}
    export.export(paths, url)

    training, heldout = example_texts(paths["nlu"]), example_texts(paths["heldout"])
    assert set(texts) <= training | heldout and not training & heldout
    annotated_lines = paths["nlu"].read_text(encoding="utf-8") + paths["heldout"].read_text(encoding="utf-8")
    assert "俺家娃想学[电焊](occupation)" in annotated_lines and "我家闺女在[彭阳](region)" in annotated_lines
    cases = yaml.safe_load(paths["cases"].read_text(encoding="utf-8"))
    assert [c["text"] for c in cases] == [turn_of(reviewed, "h5-a", 1)["text"]]

    # The export adds nothing the validation objects to: its report is the project's own, word for word
    # (it passes whenever the project's data does; Rasa's own checks must pass either way).
    baseline = validate()
    assert "Rasa 检查有错误" not in baseline.stdout
    for path in (paths["nlu"], paths["heldout"]):
        with_export = validate(path)
        assert (with_export.returncode, with_export.stdout, with_export.stderr) == (
            baseline.returncode,
            baseline.stdout,
            baseline.stderr,
        )


def validate(*extra: Path) -> subprocess.CompletedProcess:
    """`python -m bot validate` (rasa_validation in the Rasa environment), with extra data files."""
    argv = [str(rasa_model.RASA_PYTHON), "-m", "rasa_validation", *rasa_model.PROJECT_ARGS, *map(str, extra)]
    return subprocess.run(
        argv, cwd=ROOT, env=rasa_model.rasa_env(), capture_output=True, text=True, timeout=600
    )


def test_nothing_is_exported_without_a_label(reviewed, tmp_path):
    paths = {key: tmp_path / name for key, name in export.OUT_NAMES.items()}
    result = export.export(paths, reviewed.database_url)
    assert (result.training, result.heldout, result.cases) == ({}, {}, [])
    assert yaml.safe_load(paths["nlu"].read_text(encoding="utf-8")) == {"version": "3.1", "nlu": []}
    assert Path(paths["cases"]).read_text(encoding="utf-8").rstrip().endswith("[]")
