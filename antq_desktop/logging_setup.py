"""The log file in the data folder: what a helper asks for when something went wrong."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from antq_desktop import paths

LOG_FILE_NAME = "antq.log"


def log_file() -> Path:
    return paths.log_dir() / LOG_FILE_NAME


def setup_logging() -> Path:
    """Log to a rotating file (1 MB x 3); returns the file's path."""
    path = log_file()
    root = logging.getLogger()
    if not any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.INFO)
        logging.getLogger("alembic").setLevel(logging.WARNING)  # its plugin list says nothing useful
    return path
