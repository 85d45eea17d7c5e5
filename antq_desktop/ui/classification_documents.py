"""The classification's papers from a window: the year's decision, the Tờ trình, the score list.

The year-end grid page calls these three functions; each shows a warning box (and does
nothing) when the year has nothing to print yet.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from antq_desktop.db.engine import Database
from antq_desktop.i18n import tr
from antq_desktop.services import classification_decision, classification_documents
from antq_desktop.services.tracking import current_actor
from antq_desktop.ui.messages import attempt
from antq_desktop.ui.pdf_preview import PdfPreviewDialog, rendered


def open_decision(parent: QWidget, db: Database, ward_id: int, year: int) -> int | None:
    """Open the year's newest classification decision (drafting one if there is none) in the
    decision dialog; returns its id, or None when it could not be opened."""
    from antq_desktop.ui.decision_dialog import DecisionDialog

    def find_or_draft(session) -> int:
        found = classification_decision.year_decisions(session, ward_id, year)
        return found[-1].id if found else classification_decision.draft_decision(session, ward_id, year,
                                                                                 current_actor())

    decision_id = attempt(parent, lambda: db.run(find_or_draft))
    if decision_id is None:
        return None
    dialog = DecisionDialog(db, decision_id, parent)
    dialog.exec()
    return dialog.decision_id  # a correction made in the dialog replaces the one opened


def _preview(parent: QWidget, db: Database, build: Callable, render: Callable, title: str, file_name: str) -> bool:
    """Build the paper's data in one transaction, render it, and show it before printing."""
    data = attempt(parent, lambda: db.run(build))
    if data is None:
        return False
    PdfPreviewDialog(rendered(render, data), title, file_name, parent).exec()
    return True


def preview_proposal(parent: QWidget, db: Database, ward_id: int, year: int) -> bool:
    """The Tờ trình đề nghị phân loại of ``year``, previewed; False when there is nothing to print."""
    from antq_desktop.reports.classification_proposal import (
        render_classification_proposal,
    )

    return _preview(parent, db, lambda s: classification_documents.classification_proposal(s, ward_id, year),
                    render_classification_proposal, tr("Tờ trình đề nghị phân loại phong trào năm {year}").format(
                        year=year), f"to-trinh-phan-loai-phong-trao-{year}.pdf")


def preview_score_list(parent: QWidget, db: Database, ward_id: int, year: int) -> bool:
    """The Thống kê danh sách chấm điểm of ``year``, previewed; False when there is nothing to print."""
    from antq_desktop.reports.score_list import render_score_list

    return _preview(parent, db, lambda s: classification_documents.score_list(s, ward_id, year), render_score_list,
                    tr("Thống kê danh sách chấm điểm năm {year}").format(year=year),
                    f"thong-ke-cham-diem-{year}.pdf")
