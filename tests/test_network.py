"""A build talks to nobody and runs nothing the notes contain.

No command that reads notes (``build``, ``cards``, ``preview`` without ``--open``, ``graph``)
opens a network connection or resolves a name, even for notes full of remote images and links:
checked in this process with the socket functions patched to refuse and record, and in real
build processes (worker processes included) with a Python audit hook that records every socket
event. YAML — the config file and the ledger — is only ever loaded with the safe loader: the
source is checked for any other loader, and YAML tags that would run code are refused.
"""

from __future__ import annotations

import ast
import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import notes2anki
from notes2anki.cli import cli

Notes = Callable[..., Path]

NOTE = """# Remote things

## Images and links
![remote](https://example.org/diagram.png) ![[local-missing.png]]
See [the docs](https://docs.example.org/x) and <https://example.org/auto>.
<img src="http://example.net/tracker.gif"> <iframe src="https://evil.example"></iframe>

- **MathJax**：公式 $E = mc^2$ 由 \\(x\\) 渲染。

```mermaid
flowchart LR
  A["https://example.org"] --> B
  click A "https://example.org/click"
```
"""


@pytest.fixture
def vault(notes: Notes) -> Path:
    root: Path = notes({f"n{i}.md": NOTE.replace("Remote things", f"Remote things {i}") for i in range(3)})
    return root


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every socket-level call refuses (and is recorded) while the test runs."""
    attempts: list[str] = []

    def refuse(name: str) -> Callable[..., object]:
        def fail(*args: object, **kwargs: object) -> object:
            attempts.append(f"{name}{args!r}")
            raise OSError(f"network access during a build: {name}")
        return fail

    class NoSocket(socket.socket):
        def __init__(self, *args: object, **kwargs: object) -> None:
            attempts.append(f"socket{args!r}")
            raise OSError("network access during a build: socket")

    monkeypatch.setattr(socket, "socket", NoSocket)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr",
                 "create_server", "socketpair"):
        monkeypatch.setattr(socket, name, refuse(name))
    return attempts


@pytest.mark.parametrize("command", [
    ["build", "--out", "deck.apkg"],
    ["cards", "--format", "json"],
    ["preview", "--out", "page.html"],
])
def test_commands_complete_without_the_network(vault: Path, no_network: list[str], command: list[str]) -> None:
    result = CliRunner().invoke(cli, [command[0], str(vault), *command[1:]], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert no_network == []


def test_graph_completes_without_the_network(vault: Path, no_network: list[str]) -> None:
    result = CliRunner().invoke(cli, ["graph", str(vault / "n0.md"), "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)
    assert no_network == []


AUDIT = """
import sys
log = open(sys.argv.pop(1), "a")

def hook(event, args):
    if event.startswith(("socket.", "urllib.", "http.", "ftplib.", "smtplib.", "webbrowser.")):
        log.write(event + "\\n")
        log.flush()
        raise OSError("network access during a build: " + event)

sys.addaudithook(hook)
sys.argv[0] = "notes2anki"
from notes2anki.cli import main
main()
"""


def test_real_build_processes_and_their_workers_make_no_socket_calls(notes: Notes, chdir: Path) -> None:
    # Enough notes for the build to parse them in worker processes, which inherit the hook.
    root = notes({f"n{i:03d}.md": NOTE.replace("Remote things", f"Remote {i}") for i in range(80)})
    log = chdir / "audit.log"
    log.touch()
    env = {**os.environ, "NOTES2ANKI_CACHE_DIR": str(chdir / "cache")}
    for command in (["build", str(root), "--out", "deck.apkg"], ["preview", str(root), "--out", "p.html"],
                    ["cards", str(root), "--format", "yaml"]):
        proc = subprocess.run([sys.executable, "-c", AUDIT, str(log), *command], capture_output=True, text=True,
                              timeout=120, env=env, cwd=chdir)
        assert proc.returncode == 0, proc.stderr
    assert log.read_text() == ""
    assert (chdir / "deck.apkg").is_file() and (chdir / "p.html").is_file()


# --- YAML ----------------------------------------------------------------------------------------

UNSAFE_LOADERS = {"load", "load_all", "full_load", "full_load_all", "unsafe_load", "unsafe_load_all"}


def test_the_source_only_ever_loads_yaml_safely() -> None:
    package = Path(notes2anki.__file__).parent
    problems = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "yaml"
                    and node.attr in UNSAFE_LOADERS | {"Loader", "FullLoader", "UnsafeLoader"}):
                problems.append(f"{path.name}:{node.lineno} yaml.{node.attr}")
            if isinstance(node, ast.keyword) and node.arg == "Loader":
                loader = ast.unparse(node.value)
                if loader not in ("yaml.SafeLoader", "SafeLoader", "yaml.CSafeLoader"):
                    problems.append(f"{path.name}:{node.lineno} Loader={loader}")
    assert problems == []


PWNED = "!!python/object/apply:os.system ['touch pwned']"


def test_a_config_with_a_code_tag_is_refused_and_nothing_runs(vault: Path, chdir: Path) -> None:
    config = chdir / "notes2anki.yaml"
    config.write_text(f"deck: {PWNED}\nnotes: [{vault}]\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 1
    assert "config is not valid YAML: could not determine a constructor" in result.output
    assert not (chdir / "pwned").exists()


def test_a_ledger_with_a_code_tag_is_refused_and_nothing_runs(vault: Path, chdir: Path) -> None:
    assert CliRunner().invoke(cli, ["build", str(vault), "--deck", "D"]).exit_code == 0
    ledger = chdir / "cards" / "D.yaml"
    ledger.write_text(f"version: 1\ndeck: D\ncards:\n- {PWNED}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(vault), "--deck", "D"])
    assert result.exit_code == 1
    assert "the card ledger is not valid YAML: could not determine a constructor" in result.output
    assert not (chdir / "pwned").exists()


def test_front_matter_in_notes_and_diagrams_is_never_run(notes: Notes, chdir: Path) -> None:
    root = notes({"a.md": f"---\ntitle: {PWNED}\n---\n# T\n\n## S\nbody\n\n```mermaid\n---\ntitle: {PWNED}\n---\n"
                          "flowchart LR\n  A --> B\n```\n"})
    result = CliRunner().invoke(cli, ["build", str(root), "--out", "deck.apkg"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert not (chdir / "pwned").exists()
