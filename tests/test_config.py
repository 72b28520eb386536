"""The config file: every problem reported at once, each with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from notes2anki import extractors
from notes2anki.config import EXAMPLES_DIR, Config, deck_file_name, load_config, resolve
from notes2anki.errors import ConfigError


def _load(tmp_path: Path, text: str):
    path = tmp_path / "notes2anki.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, extractors.names())


def test_valid_config(tmp_path):
    (tmp_path / "notes").mkdir()
    config, diags = _load(tmp_path, "deck: AI 笔记\nnotes: [notes]\nexclude: drafts\ntag_root: ai\n"
                                    "output: out\nextractors: {section: false}\n")
    assert diags == []
    settings, _ = resolve(config)
    assert settings.deck == "AI 笔记"
    assert settings.inputs == (tmp_path / "notes",)
    assert settings.exclude == ("drafts",)
    assert settings.out_path == tmp_path / "out" / "AI 笔记.apkg"
    assert settings.disabled == frozenset({"section"})
    assert settings.tag_root == "ai"


def test_every_error_is_reported_at_once_with_its_line(tmp_path):
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, "deck: 3\nnotes: {a: b}\ntag_root: has space\nextractors:\n  section: maybe\n")
    found = {(d.line, d.code) for d in info.value.diagnostics}
    assert found == {(1, "config-type"), (2, "config-type"), (3, "config-tag-root"), (5, "config-type")}


def test_unknown_keys_are_warnings_with_a_suggestion(tmp_path):
    config, diags = _load(tmp_path, "deck: x\ndekc: y\nextractors:\n  sectoin: false\n")
    assert [(d.line, d.code) for d in diags] == [(2, "config-unknown-key"), (4, "config-unknown-extractor")]
    assert "did you mean 'deck'?" in diags[0].hint
    assert "did you mean 'section'?" in diags[1].hint
    assert config.deck == "x"


def test_broken_yaml_names_the_line(tmp_path):
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, "deck: x\nnotes: [a, b\nexclude: c\n")
    (d,) = info.value.diagnostics
    assert d.code == "config-yaml" and d.line is not None and d.line >= 2


def test_yaml_tags_that_run_code_are_refused(tmp_path):
    with pytest.raises(ConfigError):
        _load(tmp_path, "deck: !!python/object/apply:os.system ['echo hi']\n")


def test_empty_config_is_fine(tmp_path):
    config, diags = _load(tmp_path, "# nothing yet\n")
    assert diags == [] and config.deck is None


def test_missing_notes_path_in_config_names_its_line(tmp_path):
    config, _ = _load(tmp_path, "notes:\n  - here\n  - gone\n")
    (tmp_path / "here").mkdir()
    with pytest.raises(ConfigError) as info:
        resolve(config)
    (d,) = info.value.diagnostics
    assert d.line == 3 and "gone" in d.message


def test_no_notes_and_no_config_means_the_bundled_examples():
    settings, _ = resolve(Config())
    assert settings.examples and settings.inputs == (EXAMPLES_DIR,)


def test_command_line_wins_over_config(tmp_path):
    config = Config(path=tmp_path / "c.yaml", deck="from config")
    settings, _ = resolve(config, notes=[tmp_path], deck="from cli")
    assert settings.deck == "from cli" and settings.inputs == (tmp_path,)


def test_deck_defaults_to_the_folder_name(tmp_path):
    folder = tmp_path / "ai-notes"
    folder.mkdir()
    settings, _ = resolve(Config(), notes=[folder])
    assert settings.deck == "ai-notes"


@pytest.mark.parametrize(("deck", "name"), [("AI::Inference", "AI-Inference"), ('a/b:c"d', "a_b_c_d"),
                                            ("中文 笔记", "中文 笔记")])
def test_deck_file_names(deck, name):
    assert deck_file_name(deck) == name


def test_language_wording_and_rules(tmp_path):
    path = tmp_path / "notes2anki.yaml"
    path.write_text("language: zh\nwording:\n  definition.en: 'Define {term}'\n  defnition.zh: x\n"
                    "rules:\n  section.x: false\n", encoding="utf-8")
    config, diags = load_config(path, ["section"], ["section.x"], ["definition.en", "definition.zh"])
    assert [(d.line, d.code) for d in diags] == [(4, "config-unknown-wording")]
    assert "did you mean 'definition.zh'?" in diags[0].hint
    settings, _ = resolve(config)
    assert settings.language == "zh"
    assert settings.wording == {"definition.en": "Define {term}"}
    assert settings.disabled_rules == frozenset({"section.x"})


def test_unknown_language_is_an_error(tmp_path):
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, "language: fr\n")
    assert info.value.diagnostics[0].code == "config-language"


def test_home_folder_in_notes_paths(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home" / "notes").mkdir(parents=True)
    config, _ = _load(tmp_path, "notes: ['~/notes']\n")
    settings, _ = resolve(config)
    assert settings.inputs == (tmp_path / "home" / "notes",)
