"""Where the program keeps its data: the user data folder, unless ANTQ_DATA_DIR says otherwise.

ANTQ_DATA_DIR lets tests, benchmarks and a portable install keep everything in one folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "ANTQ Desktop"
DB_FILE_NAME = "antq.sqlite"


def data_dir() -> Path:
    override = os.environ.get("ANTQ_DATA_DIR")
    path = Path(override) if override else Path(user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / DB_FILE_NAME


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path
