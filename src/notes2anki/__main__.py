"""``python -m notes2anki`` runs the CLI."""

from notes2anki.cli import main

main()
