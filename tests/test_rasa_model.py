"""The training fingerprint: stable while the inputs are unchanged, different when any input changes."""

from bot.rasa_model import model_path, training_fingerprint


def make_project(root):
    (root / "nlu_data" / "nlu").mkdir(parents=True)
    (root / "config.yml").write_text("language: zh\n")
    (root / "domain.yml").write_text("intents: [greet]\n")
    (root / "nlu_data" / "nlu" / "chitchat.yml").write_text("nlu: []\n")


def test_fingerprint_is_stable(tmp_path):
    make_project(tmp_path)
    assert training_fingerprint(tmp_path) == training_fingerprint(tmp_path)


def test_fingerprint_changes_with_any_input(tmp_path):
    make_project(tmp_path)
    before = training_fingerprint(tmp_path)
    (tmp_path / "nlu_data" / "nlu" / "chitchat.yml").write_text("nlu: [x]\n")
    after_nlu = training_fingerprint(tmp_path)
    (tmp_path / "var" / "jieba").mkdir(parents=True)
    (tmp_path / "var" / "jieba" / "userdict.txt").write_text("以工代训 100 n\n")
    after_dictionary = training_fingerprint(tmp_path)
    (tmp_path / "var" / "entities").mkdir(parents=True)
    (tmp_path / "var" / "entities" / "patterns.jsonl").write_text(
        '{"label": "region", "pattern": "西吉县"}\n'
    )
    after_patterns = training_fingerprint(tmp_path)
    assert len({before, after_nlu, after_dictionary, after_patterns}) == 4


def test_component_bytecode_does_not_change_it(tmp_path):
    make_project(tmp_path)
    (tmp_path / "rasa_addons").mkdir()
    (tmp_path / "rasa_addons" / "glossary_entities.py").write_text("X = 1\n")
    before = training_fingerprint(tmp_path)
    (tmp_path / "rasa_addons" / "__pycache__").mkdir()
    (tmp_path / "rasa_addons" / "__pycache__" / "glossary_entities.cpython-311.pyc").write_bytes(b"\0")
    assert training_fingerprint(tmp_path) == before


def test_unrelated_files_do_not_change_it(tmp_path):
    make_project(tmp_path)
    before = training_fingerprint(tmp_path)
    (tmp_path / "README.md").write_text("说明")
    assert training_fingerprint(tmp_path) == before


def test_model_named_after_fingerprint(tmp_path):
    assert model_path("abc123", tmp_path) == tmp_path / "model-abc123.tar.gz"
