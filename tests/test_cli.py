"""The command line as a user drives it: output, messages and exit codes (0 ok, 1 error, 2 usage)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from notes2anki.cli import cli


def run(*args: str, **kw):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, **kw)


def test_build_with_no_arguments_builds_the_bundled_examples(chdir):
    result = run("build")
    assert result.exit_code == 0, result.output
    out = chdir / "decks" / "notes2anki examples.apkg"
    assert out.is_file()
    assert "Read 3 files" in result.output and "section" in result.output
    assert str(out.relative_to(chdir)) in result.output or str(out) in result.output


def test_build_writes_to_out_exactly(chdir, notes):
    root = notes({"a.md": "# T\n## S\nbody\n"})
    result = run("build", str(root), "--out", "my.apkg", "--deck", "Mine")
    assert result.exit_code == 0, result.output
    assert (chdir / "my.apkg").is_file()
    assert 'deck "Mine"' in result.output


def test_build_out_dir(chdir, notes):
    root = notes({"a.md": "# T\n## S\nbody\n"})
    assert run("build", str(root), "--out-dir", "out").exit_code == 0
    assert (chdir / "out" / "notes.apkg").is_file()


def test_out_and_out_dir_together_is_a_usage_error(chdir):
    result = run("build", "--out", "a.apkg", "--out-dir", "x")
    assert result.exit_code == 2 and "either --out or --out-dir" in result.output


def test_out_must_be_an_apkg(chdir):
    assert run("build", "--out", "deck.zip").exit_code == 2


def test_missing_notes_path_is_a_usage_error(chdir):
    result = run("build", "no/such/folder")
    assert result.exit_code == 2
    assert "no/such/folder" in result.output and "does not exist" in result.output


def test_bad_files_are_skipped_and_the_rest_is_built(chdir, notes):
    root = notes({"good.md": "# T\n## S\nbody\n", "bad.md": b"# x\n\xff\xfe broken", "empty.md": ""})
    result = run("build", str(root))
    assert result.exit_code == 0
    assert "bad.md:2: warning: file is not valid UTF-8" in result.output
    assert "empty.md: warning: file is empty" in result.output
    assert "Read 1 file (skipped 2)" in result.output
    assert (chdir / "decks" / "notes.apkg").is_file()


def test_strict_turns_warnings_into_failure_and_writes_nothing(chdir, notes):
    root = notes({"good.md": "# T\n## S\nbody\n", "empty.md": ""})
    result = run("build", str(root), "--strict")
    assert result.exit_code == 1
    assert not (chdir / "decks" / "notes.apkg").exists()


def test_folder_without_notes_is_an_error(chdir, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("build", str(empty))
    assert result.exit_code == 1
    assert "no Markdown files" in result.output and "nothing was written" in result.output


def test_broken_config_is_an_error_with_its_line(chdir):
    (chdir / "notes2anki.yaml").write_text("deck: [unclosed\n", encoding="utf-8")
    result = run("build")
    assert result.exit_code == 1
    assert "notes2anki.yaml:" in result.output and "not valid YAML" in result.output
    assert "Traceback" not in result.output


def test_config_notes_and_deck_are_used(chdir, notes):
    notes({"a.md": "# T\n## S\nbody\n"}, folder="vault")
    (chdir / "notes2anki.yaml").write_text("deck: Vault 笔记\nnotes: [vault]\ndekc: typo\n", encoding="utf-8")
    result = run("build")
    assert result.exit_code == 0
    assert "unknown key 'dekc'" in result.output and "did you mean 'deck'?" in result.output
    assert (chdir / "decks" / "Vault 笔记.apkg").is_file()


def test_explicit_missing_config_is_a_usage_error(chdir):
    assert run("build", "--config", "nope.yaml").exit_code == 2


def test_duplicate_questions_keep_one_and_name_both_places(chdir, notes):
    root = notes({"a.md": "# T\n## S\none\n", "b.md": "# T\n## S\ntwo\n"})
    result = run("cards", str(root), "--format", "json")
    assert result.exit_code == 0
    assert "b.md:2: warning: duplicate section card 'S' (also at a.md:2)" in result.output


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_cards_prints_every_field_users_need(chdir, fmt):
    result = run("cards", "--format", fmt)
    assert result.exit_code == 0
    records = json.loads(result.stdout) if fmt == "json" else yaml.safe_load(result.stdout)
    assert len(records) >= 10
    for record in records:
        assert set(record) >= {"id", "kind", "front", "back", "context", "tags", "source"}
        path, line = record["source"].rsplit(":", 1)
        assert path.endswith(".md") and int(line) >= 1
        assert not Path(path).is_absolute()


def test_cards_table_and_kind_filter(chdir):
    result = run("cards", "--format", "table", "--kind", "section")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["KIND", "SOURCE", "FRONT", "BACK"]
    assert all(line.startswith("section") for line in lines[1:])


def test_cards_sources_are_relative_to_the_notes_argument(chdir, notes):
    root = notes({"AI/vllm.md": "# vLLM\n## PagedAttention\nblocks\n"})
    records = json.loads(run("cards", str(root), "--format", "json").output)
    assert records[0]["source"] == "AI/vllm.md:2"
    assert records[0]["tags"] == ["notes2anki::AI::vLLM::PagedAttention"]


def test_every_command_has_help():
    for name, command in cli.commands.items():
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert command.help and len(command.help) > 20, name


def test_unknown_option_is_a_usage_error():
    assert run("build", "--frobnicate").exit_code == 2


def test_python_dash_m_runs_the_cli(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "notes2anki", "--version"], capture_output=True, text=True,
                          cwd=tmp_path, env={**os.environ})
    assert proc.returncode == 0 and "notes2anki" in proc.stdout


def test_every_build_reports_changes_and_dry_run_writes_nothing(chdir, notes):
    root = notes({"a.md": "# T\n## KV Cache\nold\n## Gone\nbye\n"})
    first = run("build", str(root))
    assert "Changes since the last build: 2 added." in first.output
    ledger_file = chdir / "cards" / "notes.yaml"
    deck = chdir / "decks" / "notes.apkg"
    before = (ledger_file.read_bytes(), deck.read_bytes())
    (root / "a.md").write_text("# T\n## KV Cache\nnew\n## Fresh\nhi\n", encoding="utf-8")
    dry = run("build", str(root), "--dry-run")
    assert dry.exit_code == 0
    assert "1 added, 1 updated, 1 removed" in dry.output
    assert "updated  a.md:2: section: KV Cache" in dry.output
    assert "removed  a.md:4: section: Gone" in dry.output
    assert "tag:notes2anki::removed" in dry.output and "Dry run: nothing written." in dry.output
    assert (ledger_file.read_bytes(), deck.read_bytes()) == before
    assert run("build", str(root)).exit_code == 0
    assert "No changes since the last build." in run("build", str(root)).output
    pruned = run("build", str(root), "--prune")
    assert pruned.exit_code == 0 and "Gone" not in ledger_file.read_text(encoding="utf-8")


def test_corrupt_ledger_stops_the_build_and_is_kept(chdir, notes):
    root = notes({"a.md": "# T\n## S\nbody\n"})
    run("build", str(root))
    ledger_file = chdir / "cards" / "notes.yaml"
    ledger_file.write_text("cards: [broken\n", encoding="utf-8")
    result = run("build", str(root))
    assert result.exit_code == 1
    assert "cards/notes.yaml" in result.output and "not valid YAML" in result.output
    assert "restore it from version control" in result.output
    assert ledger_file.read_text(encoding="utf-8") == "cards: [broken\n"


def test_cards_shows_the_ids_a_build_keeps(chdir, notes):
    root = notes({"a.md": "# T\n## 数据并行\n每张卡一份副本\n"})
    run("build", str(root))
    first = json.loads(run("cards", str(root), "--format", "json").stdout)
    (root / "a.md").write_text("# T\n## 数据并行 Data Parallelism\n每张卡一份副本\n", encoding="utf-8")
    second = json.loads(run("cards", str(root), "--format", "json").stdout)
    assert first[0]["id"] == second[0]["id"]
    assert second[0]["front"] == "数据并行 Data Parallelism"


GRAPH_NOTE = """# Chain
```mermaid
flowchart TD
CuFile[".cu (CUDA C++)"] --> NVCC
NVCC -- .ptx (PTX ISA) --> JIT["Device JIT Compiler"]
```
text
```mermaid
flowchart LR
A --> B[unclosed
```
"""


def test_graph_prints_each_diagram_with_nodes_and_edges(chdir):
    (chdir / "n.md").write_text(GRAPH_NOTE, encoding="utf-8")
    result = run("graph", "n.md")
    assert result.exit_code == 0
    assert "n.md:3: flowchart TB — 3 nodes, 2 edges" in result.stdout
    assert "CuFile → .cu (CUDA C++)" in result.stdout
    assert "NVCC —.ptx (PTX ISA)→ Device JIT Compiler  (arrow_point, line 5)" in result.stdout
    assert "n.md:10: warning: Mermaid rejects this diagram" in result.output


def test_graph_json_has_one_object_per_diagram(chdir):
    (chdir / "n.md").write_text(GRAPH_NOTE, encoding="utf-8")
    (diagram,) = json.loads(run("graph", "n.md", "--format", "json").stdout)
    assert (diagram["line"], diagram["kind"]) == (3, "flowchart")
    assert {n["id"]: n["label"] for n in diagram["nodes"]} == {
        "CuFile": ".cu (CUDA C++)", "NVCC": "NVCC", "JIT": "Device JIT Compiler"}
    edge = diagram["edges"][1]
    assert {k: edge[k] for k in ("src", "dst", "src_label", "dst_label", "label")} == {
        "src": "NVCC", "dst": "JIT", "src_label": "NVCC", "dst_label": "Device JIT Compiler", "label": ".ptx (PTX ISA)"}


def test_graph_on_a_note_without_diagrams(chdir):
    (chdir / "n.md").write_text("# Nothing\n", encoding="utf-8")
    result = run("graph", "n.md")
    assert result.exit_code == 0 and "no diagram read" in result.stdout


def test_graph_needs_an_existing_file(chdir):
    assert run("graph", "missing.md").exit_code == 2


def test_the_console_command_keeps_exit_codes_and_every_line_of_output(tmp_path):
    """``main`` leaves with os._exit (no heap teardown): buffered output and exit codes must survive it."""
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("# Topic\n" + "".join(f"## Heading {n}\nBody {n}.\n" for n in range(300))
                                + "## Heading 0\nAgain.\n", encoding="utf-8")

    def cli_run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "notes2anki", *args], capture_output=True, text=True,
                              cwd=tmp_path, env={**os.environ, "NOTES2ANKI_CACHE_DIR": str(tmp_path / "cache")})

    built = cli_run("build", "notes", "--verbose")  # stdout is a pipe: block-buffered, ~20 KB of report
    assert built.returncode == 0, built.stderr
    assert built.stdout.count("\n  added    a.md:") == 300
    assert built.stdout.rstrip().endswith("Import the deck in Anki with File > Import.")
    assert "duplicate" in built.stderr  # the repeated heading: a warning, on stderr
    assert cli_run("build", "notes", "--strict").returncode == 1
    usage = cli_run("build", "--frobnicate")
    assert usage.returncode == 2 and "No such option" in usage.stderr
    assert cli_run("build", "missing-folder").returncode == 2
