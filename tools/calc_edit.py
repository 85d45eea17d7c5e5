"""Type values into a workbook with LibreOffice Calc itself, and save it as .xlsx again: what an
officer does with the year-end workbook, for the test that the edits come back exactly
(tests/services/test_workbook_calc.py).

Run by the system's Python, which has LibreOffice's ``uno`` module (Debian: python3-uno):

    python3 tools/calc_edit.py SOURCE.xlsx TARGET.xlsx EDITS.json PROFILE_FOLDER

EDITS.json is a list of {"sheet": title, "row": n, "column": n, "value": text or number}
(1-based, as Calc shows them). Calc runs headless with its own profile folder, so it never
touches a user's settings, and is closed at the end whatever happens.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import uno  # noqa: I001 (LibreOffice's bridge: must come before the com.sun.star imports)
from com.sun.star.beans import PropertyValue

XLSX_FILTER = "Calc MS Excel 2007 XML"


def _property(name: str, value) -> PropertyValue:
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def _connect(pipe: str, office: subprocess.Popen):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(240):  # the first start of a fresh profile takes a few seconds
        if office.poll() is not None:
            raise SystemExit(f"LibreOffice stopped at start (exit {office.returncode})")
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:  # NoConnectException: not listening yet
            time.sleep(0.5)
    raise SystemExit("LibreOffice did not answer within two minutes")


def edit(source: Path, target: Path, edits: list[dict], profile: Path) -> None:
    pipe = f"antq_calc_{os.getpid()}"
    office = subprocess.Popen(["soffice", f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
                               "--invisible", "--norestore", "--nologo", f"--accept=pipe,name={pipe};urp;"])
    try:
        context = _connect(pipe, office)
        desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        document = desktop.loadComponentFromURL(source.resolve().as_uri(), "_blank", 0,
                                                (_property("Hidden", True),))
        for change in edits:
            cell = document.Sheets.getByName(change["sheet"]).getCellByPosition(change["column"] - 1, change["row"] - 1)
            if isinstance(change["value"], str):
                cell.setString(change["value"])
            else:
                cell.setValue(change["value"])
        document.storeToURL(target.resolve().as_uri(), (_property("FilterName", XLSX_FILTER),))
        document.close(True)
        try:
            desktop.terminate()
        except Exception:  # the bridge goes away with the office: that is the point
            pass
        office.wait(timeout=60)
    finally:
        if office.poll() is None:
            office.kill()


if __name__ == "__main__":
    source, target, edits_file, profile = sys.argv[1:5]
    edit(Path(source), Path(target), json.loads(Path(edits_file).read_text(encoding="utf-8")), Path(profile))
