"""The data folder of a portable copy: ``data`` beside the frozen program when the marker file
sits beside it; ANTQ_DATA_DIR still wins; an installed or unfrozen program uses the user folder."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from antq_desktop import paths


@pytest.fixture
def program_dir(tmp_path, monkeypatch) -> Path:
    """A frozen program in a folder of its own, with the user data folder pointed elsewhere."""
    folder = tmp_path / "ANTQ Desktop"
    folder.mkdir()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(folder / "ANTQ Desktop.exe"))
    monkeypatch.delenv("ANTQ_DATA_DIR", raising=False)
    monkeypatch.setattr(paths, "user_data_dir", lambda *args, **kwargs: str(tmp_path / "user-data"))
    return folder


def test_a_frozen_program_with_the_marker_keeps_its_data_beside_itself(program_dir):
    (program_dir / paths.PORTABLE_MARKER).write_text("portable", encoding="utf-8")
    assert paths.data_dir() == program_dir.resolve() / "data"
    assert paths.default_db_path() == program_dir.resolve() / "data" / paths.DB_FILE_NAME
    assert paths.log_dir().is_dir()


def test_without_the_marker_the_data_is_in_the_user_folder(program_dir, tmp_path):
    assert paths.data_dir() == tmp_path / "user-data"
    assert not (program_dir / "data").exists()


def test_the_marker_counts_only_for_a_frozen_program(program_dir, tmp_path, monkeypatch):
    (program_dir / paths.PORTABLE_MARKER).write_text("portable", encoding="utf-8")
    monkeypatch.delattr(sys, "frozen")
    assert paths.data_dir() == tmp_path / "user-data"


def test_a_folder_named_like_the_marker_does_not_count(program_dir, tmp_path):
    (program_dir / paths.PORTABLE_MARKER).mkdir()
    assert paths.data_dir() == tmp_path / "user-data"


def test_antq_data_dir_wins_over_the_marker(program_dir, tmp_path, monkeypatch):
    (program_dir / paths.PORTABLE_MARKER).write_text("portable", encoding="utf-8")
    monkeypatch.setenv("ANTQ_DATA_DIR", str(tmp_path / "chosen"))
    assert paths.data_dir() == tmp_path / "chosen"
