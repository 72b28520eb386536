"""Finding and reading notes: what is read, what is skipped and what the user is told."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from notes2anki.sources import FileRef, decode, discover, matches_any, read


def _rels(root: Path, **kw: object) -> list[str]:
    refs, _ = discover([root], **kw)  # type: ignore[arg-type]
    return [r.rel for r in refs]


def test_walks_folders_recursively_in_sorted_order(notes):
    root = notes({"b.md": "# B", "a.markdown": "# A", "sub/c.md": "# C", "sub/deeper/d.MD": "# D",
                  "notes.txt": "not markdown"})
    assert _rels(root) == ["a.markdown", "b.md", "sub/c.md", "sub/deeper/d.MD"]


def test_skips_hidden_folders_and_node_modules(notes):
    root = notes({"a.md": "# A", ".obsidian/x.md": "# X", "node_modules/pkg/README.md": "# R",
                  ".git/y.md": "# Y"})
    assert _rels(root) == ["a.md"]


def test_folders_between_root_and_file_are_recorded(notes):
    root = notes({"AI/Inference/vllm.md": "# vLLM"})
    (ref,), _ = discover([root])
    assert ref.folders == ("AI", "Inference")
    assert ref.rel == "AI/Inference/vllm.md"


def test_a_file_argument_is_relative_to_itself(notes):
    root = notes({"sub/a.md": "# A"})
    (ref,), _ = discover([root / "sub" / "a.md"])
    assert ref.rel == "a.md" and ref.folders == ()


def test_same_file_named_twice_is_read_once(notes):
    root = notes({"a.md": "# A"})
    refs, _ = discover([root, root / "a.md"])
    assert len(refs) == 1


@pytest.mark.parametrize(("rel", "patterns", "expected"), [
    ("drafts/x.md", ["drafts"], True),
    ("a/drafts/x.md", ["drafts"], True),
    ("a/b.md", ["**/b.md"], True),
    ("a/b.md", ["a/*.md"], True),
    ("a/c/b.md", ["a/*.md"], False),
    ("b.md", ["*.md"], True),
    ("keep.md", ["drafts/**"], False),
])
def test_exclude_globs(rel, patterns, expected):
    assert matches_any(rel, patterns) is expected


def test_excluded_files_are_not_read(notes):
    root = notes({"a.md": "# A", "drafts/b.md": "# B", "c.md": "# C"})
    assert _rels(root, excludes=["drafts", "c.md"]) == ["a.md"]


def test_config_globs_are_relative_to_their_literal_prefix(notes):
    root = notes({"notes/x/a.md": "# A", "notes/b.md": "# B", "other/c.md": "# C"}, folder="vault")
    refs, _ = discover([], globs=[(root, "notes/**/*.md")])
    assert sorted(r.rel for r in refs) == ["b.md", "x/a.md"]


@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_symlink_loop_is_cut_with_a_warning(notes):
    root = notes({"a.md": "# A"})
    (root / "loop").symlink_to(root, target_is_directory=True)
    refs, diags = discover([root])
    assert [r.rel for r in refs] == ["a.md"]
    assert any(d.code == "symlink-loop" for d in diags)


@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_symlink_out_of_the_notes_folder_is_refused(notes, tmp_path):
    root = notes({"a.md": "# A"})
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.md").write_text("# S")
    (root / "link").symlink_to(outside, target_is_directory=True)
    refs, diags = discover([root])
    assert [r.rel for r in refs] == ["a.md"]
    assert any(d.code == "symlink-outside" for d in diags)


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root can read anything")
def test_unreadable_folder_is_skipped_with_a_warning(notes):
    root = notes({"a.md": "# A", "locked/b.md": "# B"})
    (root / "locked").chmod(0)
    try:
        refs, diags = discover([root])
    finally:
        (root / "locked").chmod(0o755)
    assert [r.rel for r in refs] == ["a.md"]
    assert any(d.code == "unreadable-folder" for d in diags)


def _ref(path: Path) -> FileRef:
    return FileRef(path, path.name, ())


@pytest.mark.parametrize(("raw", "text"), [
    (b"# T\r\nline\r\n", "# T\nline\n"),
    (b"# T\rline\r", "# T\nline\n"),
    (codecs.BOM_UTF8 + "# 标题\n".encode(), "# 标题\n"),
    (codecs.BOM_UTF16_LE + "# 标题\r\n".encode("utf-16-le"), "# 标题\n"),
    (codecs.BOM_UTF16_BE + "# 标题\n".encode("utf-16-be"), "# 标题\n"),
])
def test_decodes_utf8_utf16_and_normalises_line_ends(raw, text):
    assert decode(raw)[0] == text


def test_invalid_utf8_names_the_line_and_is_skipped(tmp_path):
    path = tmp_path / "bad.md"
    path.write_bytes(b"# ok\nfine\n" + b"caf\xe9\n")
    source, diags = read(_ref(path))
    assert source is None
    (d,) = diags
    assert (d.path, d.line) == ("bad.md", 3)
    assert "UTF-8" in d.message and "re-save" in d.hint


def test_binary_file_named_md_is_skipped(tmp_path):
    path = tmp_path / "image.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00")
    source, diags = read(_ref(path))
    assert source is None
    assert "binary" in diags[0].message


@pytest.mark.parametrize("content", [b"", b"  \n\n\t\n"])
def test_empty_file_is_a_warning(tmp_path, content):
    path = tmp_path / "empty.md"
    path.write_bytes(content)
    source, diags = read(_ref(path))
    assert source is None
    assert diags[0].code == "empty-file"


def test_nul_bytes_in_text_are_replaced_and_reported(tmp_path):
    path = tmp_path / "nul.md"
    path.write_bytes(b"# A\nx\x00y\n")
    source, diags = read(_ref(path))
    assert source is not None and "\x00" not in source.text
    assert diags[0].line == 2


def test_missing_file_is_a_warning_not_an_exception(tmp_path):
    source, diags = read(_ref(tmp_path / "gone.md"))
    assert source is None and diags[0].code == "unreadable-file"
