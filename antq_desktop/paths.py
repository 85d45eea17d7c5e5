"""Where the program keeps its data.

In this order: the folder ANTQ_DATA_DIR names (tests, benchmarks, an office's own choice); a
``data`` folder beside the program when it runs from the portable zip (a frozen build with the
marker file ``portable.txt`` beside the executable); otherwise the user data folder
(``%LOCALAPPDATA%\\ANTQ Desktop`` on Windows), which the installer never touches, so
uninstalling or upgrading the program keeps the data.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "ANTQ Desktop"
DB_FILE_NAME = "antq.sqlite"
CONNECTION_FILE_NAME = "ket-noi.json"
PGPASS_FILE_NAME = "pgpass.conf"
PORTABLE_MARKER = "portable.txt"  # written by installer/build.py into the portable zip only
PORTABLE_DATA_DIR = "data"


def portable_dir() -> Path | None:
    """The program's folder if this is a portable copy, else None."""
    if not getattr(sys, "frozen", False):
        return None
    program_dir = Path(sys.executable).resolve().parent
    return program_dir if (program_dir / PORTABLE_MARKER).is_file() else None


def data_dir() -> Path:
    override = os.environ.get("ANTQ_DATA_DIR")
    if override:
        path = Path(override)
    elif (portable := portable_dir()) is not None:
        path = portable / PORTABLE_DATA_DIR
    else:
        path = Path(user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / DB_FILE_NAME


def connection_file() -> Path:
    """This PC's choice of database when ``--db`` is not given (antq_desktop/connection.py)."""
    return data_dir() / CONNECTION_FILE_NAME


def pgpass_file() -> Path:
    """The PostgreSQL server's password, in libpq's own format (antq_desktop/connection.py)."""
    return data_dir() / PGPASS_FILE_NAME


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path
