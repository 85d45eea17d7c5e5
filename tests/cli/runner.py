"""Running the `antq` command as a user does: a real process, output read as UTF-8."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


def antq(*args: str, data_dir: Path, cwd: Path | None = None) -> Run:
    """Run ``python -m antq_desktop.cli ARGS`` with its data folder in ``data_dir``; output read as UTF-8."""
    env = dict(os.environ, ANTQ_DATA_DIR=str(data_dir))
    env.pop("PYTHONIOENCODING", None)  # the CLI must set UTF-8 itself
    completed = subprocess.run(
        [sys.executable, "-m", "antq_desktop.cli", *args],
        capture_output=True, env=env, cwd=cwd or data_dir.parent, timeout=60,
    )
    return Run(completed.returncode, completed.stdout.decode("utf-8"), completed.stderr.decode("utf-8"))
