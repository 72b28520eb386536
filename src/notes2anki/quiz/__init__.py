"""Self-quiz in the terminal, from the same cards a build puts in the deck.

The stages, each a module of its own:

``items``      what is asked: one item per thing Anki would ask of a card (front, reverse, each cloze)
``htmltext``   card fields that exist only as HTML (a cloze's text, ``extra``) back to Markdown
``scope``      which items a session draws from (topic trail or tag prefix, kind) and near-miss topics
``state``      the SQLite store of review state, keyed by card GUID, one commit per grade
``scheduler``  FSRS (the ``fsrs`` package, as modern Anki uses) between stored rows and due dates
``session``    the quiz as a plain state machine: queue per mode, reveal, grade, undo, quit, summary
``stats``      due/learned/weak counts per topic and the due forecast
``terminal``   cards rendered for a terminal (Markdown, tables, code, CJK widths, math as LaTeX)
``report``     the end-of-session summary and ``--stats`` tables
``keys``       one keypress on a terminal, one line otherwise
``driver``     the loop joining keys, session and screen

Only the session and what it calls decide anything; the driver and the CLI only
show and ask, so tests drive a session with a fixed clock and seed.
"""
