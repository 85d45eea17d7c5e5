"""The exemplary-ward (phường điển hình) checklist, ticked each year toward the 2030 goal.

The criteria (QĐ 3554/QĐ-BCA-V05 and the province's list) are not shipped: the administrator
types them or imports the province's Excel list. Each year the ward records, per criterion,
where it stands (chưa đạt / đang thực hiện / đạt), the evidence and a note.

Rules chosen here (safe for the records of past years):

* **Deleting** a criterion is refused once any year has a result for it; its text can still
  be corrected. A result set back to "Chưa đạt" with no evidence and no note is removed (it
  says no more than "nothing recorded"), which lets a criterion created by mistake go.
* **Importing** from Excel checks every row first; if any row is wrong, nothing is written and
  every fault is named by row and column. A valid file **replaces** the whole list while no
  result was recorded for any criterion of the ward; once results exist it **merges by code**:
  a criterion with the same code (case and tones ignored) gets the file's group and text and
  keeps its place and results, a new code is added at the end in the file's order, and a
  criterion missing from the file is kept.
* The file needs a header row (on any sheet, the active one first) with a code column ("Mã",
  "TT", "STT"...) and a content column ("Nội dung tiêu chí"); a group column ("Nhóm") is
  optional, and a group typed once in merged cells is every merged row's. Without that column,
  a row whose code is a Roman numeral ("I", "II.") is a group heading for the rows below it, as
  lists are often typed. Reading the file is services/excel.py's, as for the score sheets.

Version checks: ``expected_version`` is the version the user saw; for a year's result ``0``
means the user saw no result recorded; ``None`` skips the check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from antq_desktop.db.models import ExemplaryCriterion, ExemplaryStatus
from antq_desktop.domain import vntext
from antq_desktop.domain.antt import percent
from antq_desktop.domain.exemplary import CriterionStatus
from antq_desktop.errors import UserError, stale_edit_error
from antq_desktop.services import excel
from antq_desktop.services.antt import check_year
from antq_desktop.services.tracking import existing_row, stamp_created, stamp_updated

CODE_MAX = 20
GROUP_MAX = 300
NOT_RECORDED = 0  # the expected version of a year's result the user saw as missing
_NOT_FOUND = "Không tìm thấy tiêu chí này; có thể người khác vừa xoá. Hãy tải lại danh sách."


@dataclass(frozen=True)
class CriterionInput:
    code: str
    title: str
    group_title: str = ""


@dataclass(frozen=True)
class CriterionRow(CriterionInput):
    id: int = 0
    position: int = 0
    version: int = 0


@dataclass(frozen=True)
class ChecklistRow:
    """One criterion and where the ward stands on it in the year (version None: nothing recorded)."""

    criterion_id: int
    position: int
    code: str
    group_title: str
    title: str
    status: CriterionStatus
    evidence: str
    note: str
    version: int | None

    @property
    def expected_version(self) -> int:
        return NOT_RECORDED if self.version is None else self.version


@dataclass(frozen=True)
class Progress:
    year: int
    total: int
    by_status: dict[CriterionStatus, int]

    @classmethod
    def of(cls, year: int, rows: list[ChecklistRow]) -> Progress:
        """The progress a year's checklist shows."""
        by_status = {status: sum(row.status is status for row in rows) for status in CriterionStatus}
        return cls(year=year, total=len(rows), by_status=by_status)

    @property
    def met(self) -> int:
        return self.by_status[CriterionStatus.DAT]

    @property
    def percent_met(self) -> float | None:
        return percent(self.met, self.total)

    @property
    def summary(self) -> str:
        """"Đạt 3/8 tiêu chí (37,5%)"."""
        share = self.percent_met
        if share is None:
            return "Chưa có tiêu chí nào"
        decimals = 0 if float(share).is_integer() else 1
        return f"Đạt {self.met}/{self.total} tiêu chí ({vntext.format_percent(share, decimals)})"


@dataclass(frozen=True)
class ImportResult:
    replaced: bool  # True: the file's list replaced the old one; False: merged by code
    added: int
    updated: int
    unchanged: int
    removed: int

    @property
    def summary(self) -> str:
        if self.replaced:
            text = f"Đã nhập {self.added} tiêu chí từ tệp"
            return text + (f" (thay cho {self.removed} tiêu chí cũ)." if self.removed else ".")
        return (f"Đã thêm {self.added} tiêu chí mới, cập nhật {self.updated} tiêu chí trùng mã, "
                f"{self.unchanged} tiêu chí không đổi (đã có kết quả nên danh sách cũ được giữ).")


# ---- the list of criteria --------------------------------------------------------------------

def criteria(session: Session, ward_id: int) -> list[CriterionRow]:
    return [_criterion_row(c) for c in _ordered(session, ward_id)]


def _ordered(session: Session, ward_id: int) -> list[ExemplaryCriterion]:
    return list(session.scalars(select(ExemplaryCriterion).where(ExemplaryCriterion.ward_id == ward_id)
                                .order_by(ExemplaryCriterion.position, ExemplaryCriterion.id)))


def _criterion_row(criterion: ExemplaryCriterion) -> CriterionRow:
    return CriterionRow(code=criterion.code, title=criterion.title, group_title=criterion.group_title,
                        id=criterion.id, position=criterion.position, version=criterion.version)


def _code_key(code: str) -> str:
    """Codes are the same without case or tones: "Đ.1" is "d.1"."""
    return vntext.search_key(code)


def _clean_input(data: CriterionInput) -> dict:
    code, group, title = vntext.clean(data.code), vntext.clean(data.group_title), vntext.clean_paragraphs(data.title)
    if not code:
        raise UserError("Hãy nhập mã tiêu chí (ví dụ 1.2).")
    if len(code) > CODE_MAX:
        raise UserError(f"Mã tiêu chí dài quá {CODE_MAX} ký tự.")
    if len(group) > GROUP_MAX:
        raise UserError(f"Tên nhóm dài quá {GROUP_MAX} ký tự.")
    if not title:
        raise UserError("Hãy nhập nội dung tiêu chí.")
    return {"code": code, "group_title": group, "title": title}


def _check_unique_code(session: Session, ward_id: int, code: str, own_id: int | None = None) -> None:
    for other in _ordered(session, ward_id):
        if other.id != own_id and _code_key(other.code) == _code_key(code):
            raise UserError(f"Đã có tiêu chí mã \u201c{other.code}\u201d ({_shorten(other.title)}). Hãy dùng mã khác.")


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def add_criterion(session: Session, ward_id: int, data: CriterionInput, actor: str) -> int:
    """Add a criterion at the end of the list; returns its id."""
    values = _clean_input(data)
    _check_unique_code(session, ward_id, values["code"])
    criterion = ExemplaryCriterion(ward_id=ward_id, position=_next_position(session, ward_id), **values)
    stamp_created(criterion, actor)
    session.add(criterion)
    session.flush()
    return criterion.id


def _next_position(session: Session, ward_id: int) -> int:
    last = session.scalar(select(func.max(ExemplaryCriterion.position)).where(ExemplaryCriterion.ward_id == ward_id))
    return (last or 0) + 1


def update_criterion(session: Session, criterion_id: int, data: CriterionInput, actor: str,
                     expected_version: int | None = None) -> None:
    criterion = existing_row(session, ExemplaryCriterion, criterion_id, _NOT_FOUND, expected_version)
    values = _clean_input(data)
    _check_unique_code(session, criterion.ward_id, values["code"], criterion.id)
    for key, value in values.items():
        setattr(criterion, key, value)
    stamp_updated(criterion, actor)
    session.flush()


def delete_criterion(session: Session, criterion_id: int, expected_version: int | None = None) -> None:
    """Remove a criterion no year has a result for (see the module's rules)."""
    criterion = existing_row(session, ExemplaryCriterion, criterion_id, _NOT_FOUND, expected_version)
    years = list(session.scalars(select(ExemplaryStatus.year).where(ExemplaryStatus.criterion_id == criterion_id)
                                 .order_by(ExemplaryStatus.year)))
    if years:
        raise UserError(
            f"Tiêu chí \u201c{criterion.code}\u201d đã có kết quả năm {', '.join(map(str, years))} nên không xoá được "
            "(để giữ hồ sơ các năm). Nếu nội dung tiêu chí thay đổi, hãy sửa tiêu chí; nếu ghi nhầm kết quả, "
            "hãy đặt lại \u201cChưa đạt\u201d và xoá minh chứng, ghi chú của các năm đó trước."
        )
    session.delete(criterion)
    session.flush()


def move_criterion(session: Session, criterion_id: int, step: int, actor: str) -> None:
    """Move a criterion ``step`` places up (negative) or down; at an end of the list it stays."""
    criterion = existing_row(session, ExemplaryCriterion, criterion_id, _NOT_FOUND)
    ordered = _ordered(session, criterion.ward_id)
    old = ordered.index(criterion)
    new = min(max(old + step, 0), len(ordered) - 1)
    ordered.insert(new, ordered.pop(old))
    for position, row in enumerate(ordered, start=1):
        if row.position != position:
            row.position = position
            stamp_updated(row, actor)
    session.flush()


# ---- the year's checklist --------------------------------------------------------------------

def year_checklist(session: Session, ward_id: int, year: int) -> list[ChecklistRow]:
    check_year(year)
    statement = (
        select(ExemplaryCriterion, ExemplaryStatus)
        .outerjoin(ExemplaryStatus, (ExemplaryStatus.criterion_id == ExemplaryCriterion.id)
                   & (ExemplaryStatus.year == year))
        .where(ExemplaryCriterion.ward_id == ward_id)
        .order_by(ExemplaryCriterion.position, ExemplaryCriterion.id)
    )
    return [_checklist_row(criterion, status) for criterion, status in session.execute(statement)]


def _checklist_row(criterion: ExemplaryCriterion, status: ExemplaryStatus | None) -> ChecklistRow:
    return ChecklistRow(
        criterion_id=criterion.id, position=criterion.position, code=criterion.code,
        group_title=criterion.group_title, title=criterion.title,
        status=CriterionStatus(status.status) if status else CriterionStatus.CHUA_DAT,
        evidence=status.evidence if status else "", note=status.note if status else "",
        version=status.version if status else None,
    )


def set_status(session: Session, criterion_id: int, year: int, status: CriterionStatus, evidence: str, note: str,
               actor: str, expected_version: int | None = None) -> None:
    """Record where the ward stands on a criterion in ``year``, with the evidence."""
    check_year(year)
    existing_row(session, ExemplaryCriterion, criterion_id, _NOT_FOUND)
    row = session.get(ExemplaryStatus, (criterion_id, year))
    if expected_version is not None and (row.version if row else NOT_RECORDED) != expected_version:
        raise stale_edit_error()
    evidence, note = vntext.clean_paragraphs(evidence), vntext.clean_paragraphs(note)
    if status is CriterionStatus.CHUA_DAT and not evidence and not note:
        # It says no more than "nothing recorded"; keeping no row lets the criterion be deleted.
        if row is not None:
            session.delete(row)
    elif row is None:
        row = ExemplaryStatus(criterion_id=criterion_id, year=year, status=status.value, evidence=evidence, note=note)
        stamp_created(row, actor)
        session.add(row)
    else:
        row.status, row.evidence, row.note = status.value, evidence, note
        stamp_updated(row, actor)
    session.flush()


def progress(session: Session, ward_id: int, year: int) -> Progress:
    return Progress.of(year, year_checklist(session, ward_id, year))


# ---- import from the province's Excel list -----------------------------------------------------

_HEADERS = {
    "code": ("Mã", "TT", "STT", "Mã/TT", "TT/Mã", "Mã/STT", "STT/Mã", "Mã số", "Mã tiêu chí", "Số TT", "Số thứ tự",
             "Thứ tự"),
    "title": ("Nội dung tiêu chí", "Nội dung…", "Tiêu chí", "Tên tiêu chí"),
    "group": ("Nhóm…", "Lĩnh vực"),
}
_ROMAN_NUMERAL = re.compile(r"[IVXLC]+\.?")


def import_criteria(session: Session, ward_id: int, path: str | Path, actor: str) -> ImportResult:
    """Import the province's list (see the module's rules); nothing is written if a row is wrong."""
    typed = read_criteria_file(path)
    existing = _ordered(session, ward_id)
    if _any_status(session, ward_id):
        return _merge(session, ward_id, existing, typed, actor)
    return _replace(session, ward_id, existing, typed, actor)


def _any_status(session: Session, ward_id: int) -> bool:
    found = session.scalar(select(ExemplaryStatus.criterion_id).join(ExemplaryCriterion)
                           .where(ExemplaryCriterion.ward_id == ward_id).limit(1))
    return found is not None


def _replace(session: Session, ward_id: int, existing: list[ExemplaryCriterion], typed: list[CriterionInput],
             actor: str) -> ImportResult:
    for criterion in existing:
        session.delete(criterion)
    session.flush()  # the old codes go before the new rows come
    for position, data in enumerate(typed, start=1):
        _insert(session, ward_id, position, data, actor)
    session.flush()
    return ImportResult(replaced=True, added=len(typed), updated=0, unchanged=0, removed=len(existing))


def _insert(session: Session, ward_id: int, position: int, data: CriterionInput, actor: str) -> None:
    criterion = ExemplaryCriterion(ward_id=ward_id, position=position, code=data.code,
                                   group_title=data.group_title, title=data.title)
    stamp_created(criterion, actor)
    session.add(criterion)


def _merge(session: Session, ward_id: int, existing: list[ExemplaryCriterion], typed: list[CriterionInput],
           actor: str) -> ImportResult:
    by_code = {_code_key(criterion.code): criterion for criterion in existing}
    position = _next_position(session, ward_id)
    added = updated = unchanged = 0
    for data in typed:
        criterion = by_code.get(_code_key(data.code))
        if criterion is None:
            _insert(session, ward_id, position, data, actor)
            position, added = position + 1, added + 1
        elif (criterion.group_title, criterion.title) == (data.group_title, data.title):
            unchanged += 1
        else:
            criterion.group_title, criterion.title = data.group_title, data.title
            stamp_updated(criterion, actor)
            updated += 1
    session.flush()
    return ImportResult(replaced=False, added=added, updated=updated, unchanged=unchanged, removed=0)


def read_criteria_file(path: str | Path) -> list[CriterionInput]:
    """The criteria of an Excel list, every row checked; a UserError names each wrong row and column."""
    workbook = excel.open_workbook(path)
    table = excel.find_table(workbook, _HEADERS, ("code", "title"))
    if table is None:
        raise UserError(
            f'Không tìm thấy dòng tiêu đề trong tệp "{Path(path).name}": cần một dòng có cột "Mã" (hoặc "TT", '
            '"STT") và cột "Nội dung tiêu chí"; cột "Nhóm" không bắt buộc. Dòng tiêu đề phải nằm trong '
            f"{excel.HEADER_SEARCH_ROWS} dòng đầu. Hãy sửa tệp rồi nhập lại."
        )
    sheet, header_row, columns = table
    faults = excel.Faults()
    typed = _read_rows(sheet, header_row, columns, faults)
    faults.refuse(path, "chưa nhập tiêu chí nào")
    if not typed:
        raise UserError(f'Trang "{sheet.title}": không có tiêu chí nào dưới dòng tiêu đề (dòng {header_row}).')
    return typed


def _read_rows(sheet, header_row: int, columns: dict[str, int], faults: excel.Faults) -> list[CriterionInput]:
    typed: list[CriterionInput] = []
    first_rows: dict[str, int] = {}  # code key -> the row it was first given on
    heading = ""  # the last "I.", "II." row's text: the group, when the file has no group column
    for row, values in excel.data_rows(sheet, header_row, columns, merged=("group",)):
        cell = excel.cell_at(sheet, row, columns)
        if isinstance(values["code"], date | time):  # a datetime is a date too
            faults.add(cell("code").error('ô mã đang là ngày tháng; hãy định dạng cột là "Văn bản" (Text) '
                                          "rồi gõ lại mã."))
            continue
        code = excel.text_value(values["code"])
        title = excel.text_value(values["title"], paragraphs=True)
        if not code and not title:
            continue  # a group alone, heading the rows below it in its own column
        with faults.collected():
            if "group" not in columns and _ROMAN_NUMERAL.fullmatch(code) and title:
                heading = _checked_group(excel.text_value(title), cell("title"))
                continue
            _check_code_and_title(code, title, cell, first_rows)
            group = _checked_group(excel.text_value(values["group"]), cell("group")) if "group" in columns else heading
            typed.append(CriterionInput(code=code, title=title, group_title=group))
            first_rows[_code_key(code)] = row
    return typed


def _check_code_and_title(code: str, title: str, cell, first_rows: dict[str, int]) -> None:
    if not code:
        raise cell("code").error("thiếu mã tiêu chí.")
    if len(code) > CODE_MAX:
        raise cell("code").error(f'mã "{_shorten(code, 30)}" dài quá {CODE_MAX} ký tự.')
    if _code_key(code) in first_rows:
        raise cell("code").error(f'mã "{code}" trùng với dòng {first_rows[_code_key(code)]}.')
    if not title:
        raise cell("title").error("thiếu nội dung tiêu chí.")


def _checked_group(group: str, cell: excel.Cell) -> str:
    if len(group) > GROUP_MAX:
        raise cell.error(f"tên nhóm dài quá {GROUP_MAX} ký tự.")
    return group
