"""One unit's whole history on one screen, newest year first (issue 5 item 6)."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QDialog, QTextBrowser, QVBoxLayout

from antq_desktop.db.engine import Database
from antq_desktop.i18n import tr
from antq_desktop.services.unit_history import UnitHistory, unit_history
from antq_desktop.ui.forms import close_buttons


def history_html(history: UnitHistory) -> str:
    parts = [f"<h2>{html.escape(history.name)}</h2>",
             f"<p>{html.escape(history.kind.label)} · {html.escape(history.status)}</p>"]
    if not history.years:
        parts.append(tr("<p>Chưa có hồ sơ nào về đơn vị này.</p>"))
    for year in history.years:
        parts.append(tr("<h3>Năm {year}</h3>").format(year=year.year))
        rows = "".join(f"<tr><td style='padding-right:12px; color:#444'><b>{html.escape(line.area)}</b></td>"
                       f"<td>{html.escape(line.text)}</td></tr>" for line in year.lines)
        parts.append(f"<table cellspacing='2'>{rows}</table>")
    return "".join(parts)


class UnitHistoryDialog(QDialog):
    def __init__(self, db: Database, unit_id: int, parent=None):
        super().__init__(parent)
        with db.reading() as session:
            history = unit_history(session, unit_id)
        self.setWindowTitle(tr("Quá trình của đơn vị: {name}").format(name=history.name))
        self.text = QTextBrowser()
        self.text.setHtml(history_html(history))
        buttons = close_buttons(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(820, 640)
