"""``notes2anki.yaml``: loaded safely, validated as a whole.

Every problem is reported at once, each with its line; unknown keys are
warnings with a "did you mean …?" so a typo never silently does nothing. The
result is merged with command-line options into :class:`Settings`, the one
object the pipeline reads.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .diagnostics import Diagnostic, Severity, error, warning
from .errors import ConfigError
from .sources import decode, is_glob
from .wording import LANGUAGES

if TYPE_CHECKING:
    import yaml

CONFIG_NAMES = ("notes2anki.yaml", "notes2anki.yml")
DEFAULT_TAG_ROOT = "notes2anki"
DEFAULT_OUTPUT = "decks"
DEFAULT_LEDGER = "cards"
EXAMPLES_DIR = Path(__file__).parent / "examples"
EXAMPLES_DECK = "notes2anki examples"

# key -> (kind, help). Kinds: "str", "list" (of strings; one string allowed), "switches" (name -> bool).
FIELDS: dict[str, tuple[str, str]] = {
    "deck": ("str", "deck name in Anki (use :: for a sub-deck)"),
    "notes": ("list", "files, folders or globs to read, relative to this file"),
    "exclude": ("list", "globs of files or folders to leave out"),
    "output": ("str", "folder the .apkg is written to"),
    "ledger": ("str", "folder of the card ledger that keeps card identities (commit it)"),
    "tag_root": ("str", "first level of every card's topic tag"),
    "extractors": ("switches", "extractor name: true/false"),
    "rules": ("switches", "extraction rule name (extractor.rule): true/false"),
    "language": ("str", "language of generated questions: auto, zh or en"),
    "wording": ("templates", "question template key: text with {placeholders}"),
}


@dataclass(frozen=True)
class Config:
    """The validated content of a config file (every key optional)."""

    path: Path | None = None
    deck: str | None = None
    notes: tuple[str, ...] = ()
    notes_lines: tuple[int, ...] = ()
    exclude: tuple[str, ...] = ()
    output: str | None = None
    ledger: str | None = None
    tag_root: str | None = None
    extractors: Mapping[str, bool] = field(default_factory=dict)
    rules: Mapping[str, bool] = field(default_factory=dict)
    language: str | None = None
    wording: Mapping[str, str] = field(default_factory=dict)

    @property
    def base_dir(self) -> Path:
        return self.path.parent if self.path else Path.cwd()


@dataclass(frozen=True)
class Settings:
    """Everything a build needs, from the config file and the command line."""

    deck: str
    inputs: tuple[Path, ...]
    """Files and folders to read."""
    globs: tuple[tuple[Path, str], ...] = ()
    """``(base folder, pattern)`` pairs from the config."""
    exclude: tuple[str, ...] = ()
    out_dir: Path = Path(DEFAULT_OUTPUT)
    out_file: Path | None = None
    ledger_dir: Path = Path(DEFAULT_LEDGER)
    tag_root: str = DEFAULT_TAG_ROOT
    disabled: frozenset[str] = frozenset()
    """Extractors switched off."""
    disabled_rules: frozenset[str] = frozenset()
    """Individual rules (``extractor.rule``) switched off."""
    language: str = "auto"
    wording: Mapping[str, str] = field(default_factory=dict)
    examples: bool = False
    jobs: int = field(default_factory=lambda: default_jobs())
    """Processes that parse notes in parallel."""
    cache_dir: Path | None = field(default_factory=lambda: default_cache_dir())
    """Where extraction results are kept between builds; ``None`` turns the cache off."""
    """True when building the bundled example notes (no NOTES, no config)."""

    @property
    def out_path(self) -> Path:
        return self.out_file or self.out_dir / f"{deck_file_name(self.deck)}.apkg"

    @property
    def ledger_path(self) -> Path:
        return self.ledger_dir / f"{deck_file_name(self.deck)}.yaml"


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def default_cache_dir() -> Path | None:
    from .cache import default_folder

    return default_folder()


def deck_file_name(deck: str) -> str:
    """A file name for a deck name: ``::`` and characters file systems reject become ``-``/``_``."""
    name = deck.replace("::", "-")
    name = "".join("_" if c in '<>:"/\\|?*' or ord(c) < 32 else c for c in name).strip(" .")
    return name or "deck"


def find_config(cwd: Path) -> Path | None:
    for name in CONFIG_NAMES:
        candidate = cwd / name
        if candidate.is_file():
            return candidate
    return None


def _line_index(node: yaml.Node, path: tuple[Any, ...], out: dict[tuple[Any, ...], int]) -> None:
    """Map each key path (``("extractors", "section")``) to its 1-based line."""
    import yaml

    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = (*path, key.value)
            _line_index(value, sub, out)
            out[sub] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_index(item, (*path, i), out)


def load_config(path: Path, known_extractors: Sequence[str], known_rules: Sequence[str] = (),
                known_wording: Sequence[str] = ()) -> tuple[Config, list[Diagnostic]]:
    """Read and validate a config file; raise :class:`ConfigError` listing every error."""
    where = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError([error(where, None, f"cannot read config file: {exc.strerror or exc}",
                                 "check the path and its permissions", "config-unreadable")]) from None
    text, problem = decode(raw)
    if text is None:
        raise ConfigError([error(where, problem[0], problem[1].replace("; skipped", ""), problem[2],
                                 "config-encoding")])
    import yaml  # imported here: a build without a config file never needs it

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem_text = getattr(exc, "problem", None) or str(exc)
        raise ConfigError([error(where, line, f"config is not valid YAML: {problem_text}",
                                 "fix the YAML syntax (indentation, colons, quotes)", "config-yaml")]) from None
    if data is None:
        return Config(path=path), []
    lines: dict[tuple[Any, ...], int] = {}
    if node is not None:
        _line_index(node, (), lines)
    if not isinstance(data, dict):
        raise ConfigError([error(where, 1, "config must be a mapping of keys to values",
                                 "start with e.g. 'deck: My notes'", "config-shape")])
    return _validate(path, data, lines, {"extractors": known_extractors, "rules": known_rules}, known_wording)


def _did_you_mean(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else "known keys: " + ", ".join(choices)


def _validate(path: Path, data: dict[Any, Any], lines: dict[tuple[Any, ...], int],
              known: Mapping[str, Sequence[str]], known_wording: Sequence[str]) -> tuple[Config, list[Diagnostic]]:
    where = str(path)
    diags: list[Diagnostic] = []
    values: dict[str, Any] = {}

    def line(*key: Any) -> int | None:
        return lines.get(key)

    for key, value in data.items():
        if key not in FIELDS:
            diags.append(warning(where, line(key), f"unknown key '{key}' ignored",
                                 _did_you_mean(str(key), list(FIELDS)), "config-unknown-key"))
            continue
        kind, help_text = FIELDS[key]
        if kind == "str":
            if not isinstance(value, str) or not value.strip():
                diags.append(error(where, line(key), f"'{key}' must be a non-empty string",
                                   f"{key}: {help_text}", "config-type"))
            else:
                values[key] = value.strip()
        elif kind == "list":
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
                diags.append(error(where, line(key), f"'{key}' must be a string or a list of strings",
                                   f"{key}: {help_text}", "config-type"))
            else:
                values[key] = tuple(i.strip() for i in items)
                values[f"{key}_lines"] = tuple(
                    line(key, i) or line(key) or 1 for i in range(len(items))
                ) if isinstance(value, list) else (line(key) or 1,)
        elif kind == "switches":
            if not isinstance(value, dict):
                diags.append(error(where, line(key), f"'{key}' must map names to true/false",
                                   f"{key}: {help_text}", "config-type"))
                continue
            what = "extractor" if key == "extractors" else "rule"
            switches: dict[str, bool] = {}
            for name, on in value.items():
                if name not in known[key]:
                    diags.append(warning(where, line(key, name), f"unknown {what} '{name}' ignored",
                                         _did_you_mean(str(name), list(known[key])), f"config-unknown-{what}"))
                elif not isinstance(on, bool):
                    diags.append(error(where, line(key, name), f"{what} '{name}' must be true or false",
                                       code="config-type"))
                else:
                    switches[name] = on
            values[key] = switches
        elif kind == "templates":
            if not isinstance(value, dict):
                diags.append(error(where, line(key), f"'{key}' must map template keys to text",
                                   "e.g. 'wording: {definition.en: \"Define {term}\"}'", "config-type"))
                continue
            templates: dict[str, str] = {}
            for name, text in value.items():
                if name not in known_wording:
                    diags.append(warning(where, line(key, name), f"unknown wording key '{name}' ignored",
                                         _did_you_mean(str(name), list(known_wording)), "config-unknown-wording"))
                elif not isinstance(text, str) or not text.strip():
                    diags.append(error(where, line(key, name), f"wording '{name}' must be a non-empty string",
                                       code="config-type"))
                else:
                    templates[name] = text
            values[key] = templates
    if "language" in values and values["language"] not in ("auto", *LANGUAGES):
        diags.append(error(where, line("language"), f"language '{values['language']}' is not one of auto, "
                           + ", ".join(LANGUAGES), "use auto to follow each note's own language", "config-language"))
    if "tag_root" in values and any(c.isspace() for c in values["tag_root"]):
        diags.append(error(where, line("tag_root"), "'tag_root' cannot contain spaces (Anki tags can't)",
                           "use '_' instead of spaces", "config-tag-root"))
    if any(d.severity is Severity.ERROR for d in diags):
        raise ConfigError(diags)
    return Config(path=path, **{k: v for k, v in values.items() if k in Config.__dataclass_fields__}), diags


def resolve(
    config: Config,
    *,
    notes: Sequence[Path] = (),
    deck: str | None = None,
    out_file: Path | None = None,
    out_dir: Path | None = None,
) -> tuple[Settings, list[Diagnostic]]:
    """Merge a config with command-line options (the command line wins).

    With no NOTES on the command line the config's ``notes`` are read; with
    neither, the bundled example notes, so a fresh install builds a deck.
    """
    diags: list[Diagnostic] = []
    base = config.base_dir
    inputs: list[Path] = []
    globs: list[tuple[Path, str]] = []
    examples = False
    if notes:
        inputs = list(notes)
    elif config.notes:
        missing: list[Diagnostic] = []
        for written, line in zip(config.notes, config.notes_lines or (None,) * len(config.notes)):
            entry = os.path.expanduser(written)  # "~/notes" means the home folder, as in a shell
            if is_glob(entry):
                globs.append((base, entry))
            elif (base / entry).exists():
                inputs.append(base / entry)
            else:
                missing.append(error(str(config.path), line, f"notes path '{written}' does not exist",
                                     "fix the path (it is relative to the config file) or remove it",
                                     "config-missing-notes"))
        if missing:
            raise ConfigError(missing)
    else:
        inputs = [EXAMPLES_DIR]
        examples = True

    if deck:
        deck_name = deck
    elif config.deck:
        deck_name = config.deck
    elif examples:
        deck_name = EXAMPLES_DECK
    elif len(inputs) == 1 and not globs and inputs[0].is_dir():
        deck_name = inputs[0].resolve().name or "notes2anki"
    else:
        deck_name = "notes2anki"

    out_folder = out_dir if out_dir is not None else base / (config.output or DEFAULT_OUTPUT)
    settings = Settings(
        deck=deck_name,
        inputs=tuple(inputs),
        globs=tuple(globs),
        exclude=config.exclude,
        out_dir=out_folder,
        out_file=out_file,
        ledger_dir=base / (config.ledger or DEFAULT_LEDGER),
        tag_root=config.tag_root or DEFAULT_TAG_ROOT,
        disabled=frozenset(name for name, on in config.extractors.items() if not on),
        disabled_rules=frozenset(name for name, on in config.rules.items() if not on),
        language=config.language or "auto",
        wording=dict(config.wording),
        examples=examples,
    )
    return settings, diags
