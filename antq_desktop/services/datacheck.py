"""The data check ("Kiểm tra dữ liệu", `antq check`): is the file sound, and do the records obey
the rules the services enforce?

The services refuse every write that would break a rule below, so a problem found here means
the file was damaged (a disk fault, a power cut during a write the journal could not save), or
changed outside the program (another tool, an old release, a hand edit), or a bug let
something through. Each problem names the record in Vietnamese so that an officer, or the
person helping them, can find it; nothing is repaired automatically.

The checks:

* the file: SQLite's ``PRAGMA integrity_check`` and ``PRAGMA foreign_key_check`` (a row that
  points at a unit, decision… that no longer exists);
* units: two active units of one kind with the same name (compared without tones), search
  keys that no longer match the name, a merged or dissolved unit without its date;
* "An toàn về ANTT": a unit recognised without an issued recognition decision of that year, a
  unit in an issued decision's list without a registration that year, a unit recognised
  although its review meeting did not find it met, more households registered than exist;
* decisions: an issued decision without number, date or signer, two issued decisions with one
  number, a correction that replaces a decision never issued;
* classification: a year's stored score sheets that cannot be read, a score outside its
  item's range (above the maximum, negative, an item the sheet does not have), a total above
  100, another level than the proposed one without a reason or with a level that does not exist;
* models graded for a year before they started or after they were dissolved; budget lines
  whose amount is not quantity × unit price; tasks with a day outside their plan year (or done
  without a day, or a day without being done); a Ngày hội held outside its year; members who
  left before they joined and equipment returned before it was issued; more than one ward
  profile.

On PostgreSQL the file checks are the server's business (the domain checks still run).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import and_, extract, func, literal_column, or_, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, aliased

from antq_desktop.db.models import (
    AnttRecord,
    BudgetGroup,
    BudgetLine,
    ClassificationRecord,
    ClassificationScore,
    ClassificationYear,
    Decision,
    DecisionUnit,
    EquipmentIssue,
    Festival,
    ForceMember,
    PlanTask,
    SecurityModel,
    SecurityModelGrade,
    Unit,
    Ward,
)
from antq_desktop.domain import classification as rules
from antq_desktop.domain import vntext
from antq_desktop.domain.criteria import WARD
from antq_desktop.domain.units import UnitKind
from antq_desktop.errors import UserError

Progress = Callable[[int, int], bool]


class Severity(StrEnum):
    SERIOUS = "serious"  # the file itself is damaged: restore from a backup
    ERROR = "error"  # a record contradicts the rules: look at it and correct it

    @property
    def label(self) -> str:
        return {Severity.SERIOUS: "Nghiêm trọng", Severity.ERROR: "Sai lệch"}[self]


@dataclass(frozen=True)
class Problem:
    severity: Severity
    area: str
    message: str
    check: str = ""  # the check's code ("antt.recognized_without_decision"), for the help and the tests

    def line(self) -> str:
        return f"[{self.severity.label}] {self.area}: {self.message}"


@dataclass(frozen=True)
class CheckReport:
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was not checked, and why
    checks_run: int = 0
    checks_total: int = 0

    @property
    def complete(self) -> bool:
        return self.checks_run == self.checks_total

    @property
    def ok(self) -> bool:
        return self.complete and not self.problems

    def summary(self) -> str:
        if not self.complete:
            return (f"Đã dừng kiểm tra sau {self.checks_run}/{self.checks_total} bước; "
                    f"đã thấy {len(self.problems)} vấn đề.")
        if not self.problems:
            return "Không phát hiện lỗi nào."
        serious = sum(problem.severity is Severity.SERIOUS for problem in self.problems)
        text_ = f"Phát hiện {len(self.problems)} vấn đề"
        return text_ + (f", trong đó {serious} vấn đề nghiêm trọng về tệp dữ liệu." if serious else ".")


FILE, UNITS, ANTT, DECISIONS, CLASSIFICATION, MODELS, PLAN, FORCES, EVENTS, PROFILE = (
    "Tệp dữ liệu", "Đơn vị", "An toàn về ANTT", "Quyết định", "Phân loại phong trào", "Mô hình",
    "Kế hoạch, dự trù kinh phí", "Lực lượng nòng cốt", "Ngày hội, tuyên truyền", "Thông tin xã, phường")
POSTGRES_NOTE = ("Tính toàn vẹn của cơ sở dữ liệu trên máy chủ PostgreSQL do máy chủ tự đảm bảo; "
                 "chương trình chỉ kiểm tra số liệu.")
MAX_PER_CHECK = 200  # a file broken everywhere is told by its first problems, not by thousands of lines
RESTORE_HINT = "Hãy khôi phục từ bản sao lưu gần nhất (mục Sao lưu và khôi phục)."

TABLE_LABELS = {
    "ward": "thông tin xã, phường", "unit": "đơn vị", "setting": "cài đặt", "antt_record": "hồ sơ An toàn về ANTT",
    "antt_point_result": "kết quả điểm tiêu chí", "incident": "vụ việc", "decision": "quyết định",
    "decision_unit": "danh sách kèm quyết định", "classification_year": "bảng điểm của năm",
    "classification_record": "phiếu chấm điểm phân loại", "classification_score": "điểm từng mục",
    "force_rating": "đánh giá Tổ bảo vệ ANTT", "exemplary_criterion": "tiêu chí điển hình",
    "exemplary_status": "kết quả tiêu chí điển hình", "inspection": "lần kiểm tra",
    "inspection_recommendation": "kiến nghị sau kiểm tra", "security_model": "mô hình",
    "security_model_unit": "đơn vị chủ trì mô hình", "security_model_grade": "xếp loại mô hình",
    "force_member": "thành viên lực lượng nòng cốt", "training": "buổi huấn luyện",
    "training_attendee": "người dự huấn luyện", "equipment_issue": "cấp phát trang bị",
    "activity": "hoạt động tuyên truyền", "festival": "Ngày hội", "award": "khen thưởng",
    "plan_target": "chỉ tiêu kế hoạch", "plan_task": "nhiệm vụ kế hoạch", "budget_group": "nhóm dự trù kinh phí",
    "budget_line": "dòng dự trù kinh phí", "year_report": "báo cáo", "app_user": "tài khoản",
    "audit_entry": "nhật ký thay đổi",
}


def _table_label(name: str) -> str:
    return TABLE_LABELS.get(name, name)


def _unit_name(name: str | None, unit_id: int | None) -> str:
    return f"\u201c{name}\u201d" if name else f"đơn vị mã {unit_id}"


def _decision_name(number: str | None, symbol: str | None, year: int) -> str:
    number = (number or "").strip()
    return f"Quyết định số {number}/{symbol} năm {year}" if number else f"Quyết định (chưa có số) năm {year}"


# ---- the file ------------------------------------------------------------------------------

def _sqlite_only(check):
    check.sqlite_only = True
    return check


@_sqlite_only
def check_integrity(session: Session) -> Iterator[Problem]:
    try:
        lines = [row[0] for row in session.connection().exec_driver_sql("PRAGMA integrity_check(100)")]
    except DBAPIError as error:  # damage at the root of a table stops the check itself
        session.rollback()
        lines = [str(error.orig)]
    except UnicodeDecodeError:  # the damage reaches into SQLite's own report of it
        session.rollback()
        lines = ["báo cáo lỗi của SQLite cũng bị hỏng"]
    if lines == ["ok"]:
        return
    for line in lines[:MAX_PER_CHECK]:
        if "index" in line.lower() and "page" not in line.lower():
            yield Problem(Severity.SERIOUS, FILE, "Một chỉ mục tìm kiếm không khớp với dữ liệu (SQLite báo: "
                          f"{line}). Dữ liệu có thể vẫn đủ nhưng tìm kiếm, sắp xếp sẽ sai. {RESTORE_HINT}",
                          "file.integrity")
        else:
            yield Problem(Severity.SERIOUS, FILE, f"Tệp dữ liệu bị hỏng cấu trúc (SQLite báo: {line}). {RESTORE_HINT}",
                          "file.integrity")


@_sqlite_only
def check_foreign_keys(session: Session) -> Iterator[Problem]:
    connection = session.connection()
    rows = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    columns: dict[str, dict[int, tuple[str, str]]] = {}
    for count, (table, rowid, parent, fk_id) in enumerate(rows):
        if count == MAX_PER_CHECK:
            break
        if table not in columns:
            columns[table] = {row[0]: (row[3], row[4]) for row in
                              connection.exec_driver_sql(f'PRAGMA foreign_key_list("{table}")')}
        column, _target = columns[table].get(fk_id, ("?", "?"))
        value = None
        if rowid is not None and column != "?":
            value = connection.exec_driver_sql(f'SELECT "{column}" FROM "{table}" WHERE rowid = ?',
                                               (rowid,)).scalar()
        yield Problem(
            Severity.SERIOUS, FILE,
            f"Bảng {_table_label(table)} (dòng số {rowid}): cột {column} = {value} trỏ tới "
            f"{_table_label(parent)} không còn trong dữ liệu. {RESTORE_HINT}",
            "file.foreign_key")


# ---- units ---------------------------------------------------------------------------------

def check_duplicate_units(session: Session) -> Iterator[Problem]:
    groups = session.execute(
        select(Unit.kind, Unit.name_key, func.count())
        .where(Unit.status == "active").group_by(Unit.ward_id, Unit.kind, Unit.name_key).having(func.count() > 1)
        .limit(MAX_PER_CHECK)).all()
    for kind, key, count in groups:
        names = session.scalars(select(Unit.name).where(Unit.status == "active", Unit.kind == kind,
                                                        Unit.name_key == key).order_by(Unit.id)).all()
        shown = ", ".join(f"\u201c{name}\u201d" for name in names)
        yield Problem(Severity.ERROR, UNITS,
                      f"{count} {_kind_label(kind)} đang hoạt động trùng tên: {shown}. Hãy sáp nhập hoặc "
                      "đổi tên cho khỏi trùng (chương trình coi tên không dấu giống nhau là trùng).",
                      "units.duplicate")


def _kind_label(kind: str) -> str:
    try:
        return UnitKind(kind).label.lower()
    except ValueError:
        return f"đơn vị loại {kind}"


def check_unit_keys(session: Session) -> Iterator[Problem]:
    found = 0
    rows = session.execute(select(Unit.id, Unit.name, Unit.address, Unit.head_name, Unit.head_phone,
                                  Unit.name_key, Unit.search_text).order_by(Unit.id))
    for unit_id, name, address, head, phone, name_key, search_text in rows:
        searchable = " ".join(part for part in (name, address, head, phone) if part)
        if name_key != vntext.search_key(name) or search_text != vntext.search_key(searchable):
            found += 1
            yield Problem(Severity.ERROR, UNITS,
                          f"Khoá tìm kiếm của đơn vị {_unit_name(name, unit_id)} (mã {unit_id}) không khớp với tên, "
                          "địa chỉ: tìm kiếm và kiểm tra trùng tên sẽ bỏ sót đơn vị này. Hãy mở đơn vị, sửa và lưu "
                          "lại để chương trình tính lại.", "units.search_keys")
            if found == MAX_PER_CHECK:
                return


def check_unit_status_dates(session: Session) -> Iterator[Problem]:
    rows = session.execute(select(Unit.id, Unit.name, Unit.status).where(
        Unit.status != "active", Unit.status_date.is_(None)).limit(MAX_PER_CHECK))
    for unit_id, name, status in rows:
        what = "sáp nhập" if status == "merged" else "giải thể"
        yield Problem(Severity.ERROR, UNITS, f"Đơn vị {_unit_name(name, unit_id)} được ghi là đã {what} nhưng không "
                      f"có ngày {what}.", "units.status_date")


# ---- "An toàn về ANTT" ---------------------------------------------------------------------

def check_recognized_without_decision(session: Session) -> Iterator[Problem]:
    rows = session.execute(
        select(AnttRecord.unit_id, AnttRecord.year, Unit.name, Decision.id, Decision.status, Decision.year,
               Decision.kind, Decision.number, Decision.symbol)
        .outerjoin(Unit, Unit.id == AnttRecord.unit_id)
        .outerjoin(Decision, Decision.id == AnttRecord.decision_id)
        .where(AnttRecord.stage == "recognized",
               or_(Decision.id.is_(None), Decision.status != "issued", Decision.year != AnttRecord.year,
                   Decision.kind != "antt_recognition"))
        .order_by(AnttRecord.year, Unit.name_sort).limit(MAX_PER_CHECK))
    for unit_id, year, name, decision_id, status, decision_year, kind, number, symbol in rows:
        if decision_id is None:
            why = "không gắn với quyết định công nhận nào"
        elif kind != "antt_recognition":
            why = f"gắn với {_decision_name(number, symbol, decision_year)} không phải quyết định công nhận"
        elif status != "issued":
            why = f"{_decision_name(number, symbol, decision_year)} gắn với hồ sơ vẫn là dự thảo, chưa ban hành"
        else:
            why = f"quyết định gắn với hồ sơ là {_decision_name(number, symbol, decision_year)}, của năm khác"
        yield Problem(Severity.ERROR, ANTT,
                      f"{_unit_name(name, unit_id)} năm {year} được ghi là đạt \u201cAn toàn về ANTT\u201d nhưng {why}.",
                      "antt.recognized_without_decision")


def check_listed_without_registration(session: Session) -> Iterator[Problem]:
    registered = select(AnttRecord.id).where(AnttRecord.unit_id == DecisionUnit.unit_id,
                                             AnttRecord.year == Decision.year)
    rows = session.execute(
        select(DecisionUnit.name, DecisionUnit.unit_id, Decision.number, Decision.symbol, Decision.year)
        .join(Decision, Decision.id == DecisionUnit.decision_id)
        .where(Decision.kind == "antt_recognition", Decision.status == "issued", ~registered.exists())
        .order_by(Decision.year, DecisionUnit.position).limit(MAX_PER_CHECK))
    for name, unit_id, number, symbol, year in rows:
        yield Problem(Severity.ERROR, ANTT,
                      f"{_unit_name(name, unit_id)} có tên trong {_decision_name(number, symbol, year)} công nhận "
                      f"đạt \u201cAn toàn về ANTT\u201d nhưng không có đăng ký xây dựng tiêu chuẩn năm {year}.",
                      "antt.recognized_without_registration")


def check_recognized_without_passing(session: Session) -> Iterator[Problem]:
    rows = session.execute(
        select(AnttRecord.unit_id, AnttRecord.year, Unit.name, AnttRecord.passed)
        .outerjoin(Unit, Unit.id == AnttRecord.unit_id)
        .where(AnttRecord.stage == "recognized", or_(AnttRecord.passed.is_(None), AnttRecord.passed.is_(False)))
        .order_by(AnttRecord.year, Unit.name_sort).limit(MAX_PER_CHECK))
    for unit_id, year, name, passed in rows:
        result = "chưa có kết quả họp đánh giá" if passed is None else "họp đánh giá kết luận chưa đạt"
        yield Problem(Severity.ERROR, ANTT,
                      f"{_unit_name(name, unit_id)} năm {year} được ghi là đạt \u201cAn toàn về ANTT\u201d nhưng "
                      f"{result}.", "antt.recognized_without_passing")


def check_households(session: Session) -> Iterator[Problem]:
    rows = session.execute(
        select(AnttRecord.unit_id, AnttRecord.year, Unit.name, AnttRecord.households_registered,
               AnttRecord.households_total)
        .outerjoin(Unit, Unit.id == AnttRecord.unit_id)
        .where(AnttRecord.households_registered > AnttRecord.households_total)
        .order_by(AnttRecord.year).limit(MAX_PER_CHECK))
    for unit_id, year, name, registered, total in rows:
        yield Problem(Severity.ERROR, ANTT,
                      f"{_unit_name(name, unit_id)} năm {year}: số hộ đăng ký ({vntext.format_number(registered)}) "
                      f"nhiều hơn tổng số hộ ({vntext.format_number(total)}).", "antt.households")


# ---- decisions ------------------------------------------------------------------------------

def check_issued_decisions_complete(session: Session) -> Iterator[Problem]:
    rows = session.execute(
        select(Decision.id, Decision.number, Decision.symbol, Decision.year, Decision.issued_on, Decision.signer_name)
        .where(Decision.status == "issued",
               or_(func.trim(Decision.number) == "", Decision.issued_on.is_(None),
                   func.trim(Decision.signer_name) == ""))
        .order_by(Decision.year, Decision.id).limit(MAX_PER_CHECK))
    for _id, number, symbol, year, issued_on, signer in rows:
        missing = [label for label, value in (("số quyết định", (number or "").strip()), ("ngày ban hành", issued_on),
                                              ("họ tên người ký", (signer or "").strip())) if not value]
        yield Problem(Severity.ERROR, DECISIONS,
                      f"{_decision_name(number, symbol, year)} đã ban hành nhưng thiếu {', '.join(missing)}.",
                      "decisions.incomplete")


def check_decision_numbers(session: Session) -> Iterator[Problem]:
    rows = session.execute(
        select(Decision.number, Decision.symbol, Decision.year, func.count())
        .where(Decision.status == "issued", func.trim(Decision.number) != "")
        .group_by(Decision.ward_id, Decision.year, Decision.number, Decision.symbol)
        .having(func.count() > 1).limit(MAX_PER_CHECK))
    for number, symbol, year, count in rows:
        yield Problem(Severity.ERROR, DECISIONS,
                      f"Có {count} quyết định đã ban hành cùng mang số {number}/{symbol} năm {year}; mỗi số chỉ "
                      "được dùng cho một quyết định.", "decisions.duplicate_number")


def check_corrections(session: Session) -> Iterator[Problem]:
    old = aliased(Decision)
    rows = session.execute(
        select(Decision.number, Decision.symbol, Decision.year, old.number, old.symbol, old.year)
        .join(old, old.id == Decision.replaces_id)
        .where(Decision.status == "issued", old.status != "issued").limit(MAX_PER_CHECK))
    for number, symbol, year, old_number, old_symbol, old_year in rows:
        yield Problem(Severity.ERROR, DECISIONS,
                      f"{_decision_name(number, symbol, year)} đính chính (thay thế) "
                      f"{_decision_name(old_number, old_symbol, old_year)}, nhưng quyết định bị thay thế chưa từng "
                      "được ban hành.", "decisions.replaces_draft")


# ---- classification -----------------------------------------------------------------------

def _year_sheet_sets(session: Session, problems: list[Problem]) -> dict[tuple[int, int], rules.SheetSet | None]:
    """(ward, year) -> the year's stored sheet set; None (with a problem) when it cannot be read.
    A year scored without a stored set uses the ward's current sheets, as the services do."""
    from antq_desktop.services.classification import current_sheet_set

    result: dict[tuple[int, int], rules.SheetSet | None] = {}
    for ward_id, year, raw in session.execute(select(ClassificationYear.ward_id, ClassificationYear.year,
                                                     ClassificationYear.sheet_set)):
        try:
            result[(ward_id, year)] = rules.parse_sheet_set(json.loads(raw), f"năm {year}")
        except (UserError, ValueError, TypeError) as error:
            result[(ward_id, year)] = None
            problems.append(Problem(Severity.ERROR, CLASSIFICATION,
                                    f"Bảng điểm lưu cho năm {year} không đọc được ({error}), nên điểm năm {year} "
                                    "không tính được.", "classification.sheet_set"))
    for ward_id, year in session.execute(select(ClassificationRecord.ward_id, ClassificationRecord.year).distinct()):
        if (ward_id, year) not in result:
            try:
                result[(ward_id, year)] = current_sheet_set(session, ward_id)
            except UserError as error:
                result[(ward_id, year)] = None
                problems.append(Problem(Severity.ERROR, CLASSIFICATION, f"Bảng điểm hiện hành không đọc được ({error}).",
                                        "classification.sheet_set"))
    return result


def check_classification(session: Session) -> Iterator[Problem]:
    problems: list[Problem] = []
    sheet_sets = _year_sheet_sets(session, problems)
    yield from problems
    yield from _score_ranges(session, sheet_sets)
    yield from _totals(session)
    yield from _overrides(session, sheet_sets)


def _record_kind():
    """The sheet a record is scored on: its unit's kind, the ward's own sheet without a unit. The
    constant is written into the SQL (not a bound parameter), so that PostgreSQL sees the grouped
    expression and the selected one as the same."""
    return func.coalesce(Unit.kind, literal_column(f"'{WARD}'"))


def _limits(sheet: rules.ScoreSheet) -> dict[str, tuple[int, int]]:
    """Item code -> (lowest, highest) score in hundredths, for the items that are scored."""
    limits = {}
    for item in sheet.leaves():
        top = int(item.max_points * 100)
        limits[item.code] = (-top, 0) if item.deduction else (0, top)
    return limits


def _score_ranges(session: Session, sheet_sets) -> Iterator[Problem]:
    """One grouped query finds the (year, kind, item) groups holding a faulty score; then the
    faulty rows of those groups are listed by name."""
    groups = session.execute(
        select(ClassificationRecord.ward_id, ClassificationRecord.year, _record_kind(), ClassificationScore.item_code,
               func.min(ClassificationScore.self_cents), func.max(ClassificationScore.self_cents),
               func.min(ClassificationScore.ward_cents), func.max(ClassificationScore.ward_cents))
        .join(ClassificationRecord, ClassificationRecord.id == ClassificationScore.record_id)
        .outerjoin(Unit, Unit.id == ClassificationRecord.unit_id)
        .group_by(ClassificationRecord.ward_id, ClassificationRecord.year, _record_kind(),
                  ClassificationScore.item_code)).all()
    shown = 0
    for ward_id, year, kind, code, self_min, self_max, ward_min, ward_max in groups:
        sheet_set = sheet_sets.get((ward_id, year))
        if sheet_set is None:
            continue
        try:
            sheet = sheet_set.sheet(kind)
        except ValueError:
            continue  # a unit of an unknown kind: the database's CHECK refuses it
        limits = _limits(sheet)
        low, high = limits.get(code, (None, None))
        values = [value for value in (self_min, self_max, ward_min, ward_max) if value is not None]
        if low is not None and all(low <= value <= high for value in values):
            continue
        for problem in _faulty_scores(session, ward_id, year, kind, code, sheet, low, high):
            yield problem
            shown += 1
            if shown == MAX_PER_CHECK:
                return


def _faulty_scores(session: Session, ward_id: int, year: int, kind: str, code: str, sheet: rules.ScoreSheet,
                   low: int | None, high: int | None) -> Iterator[Problem]:
    rows = session.execute(
        select(ClassificationRecord.unit_id, Unit.name, ClassificationScore.self_cents, ClassificationScore.ward_cents)
        .join(ClassificationRecord, ClassificationRecord.id == ClassificationScore.record_id)
        .outerjoin(Unit, Unit.id == ClassificationRecord.unit_id)
        .where(ClassificationRecord.ward_id == ward_id, ClassificationRecord.year == year, _record_kind() == kind,
               ClassificationScore.item_code == code)
        .order_by(Unit.name_sort).limit(MAX_PER_CHECK))
    for unit_id, name, self_cents, ward_cents in rows:
        who = "Phiếu tự chấm của xã, phường" if unit_id is None else _unit_name(name, unit_id)
        for column, cents in (("tự chấm", self_cents), ("xã chấm", ward_cents)):
            if cents is None:
                continue
            if low is None:
                why = ("là mục có mục con, không chấm trực tiếp" if code in {i.code for i in sheet.all_items()}
                       else "không có trong bảng điểm của năm")
                yield Problem(Severity.ERROR, CLASSIFICATION,
                              f"{who} năm {year}: có điểm {column} cho mục {code}, nhưng mục này {why}.",
                              "classification.score_item")
            elif not low <= cents <= high:
                item = sheet.item(code)
                points = rules.points_text(Decimal(cents) / 100)
                limit = (f"mức trừ tối đa là {rules.points_text(item.max_points)} điểm" if item.deduction
                         else f"điểm chuẩn là {rules.points_text(item.max_points)}")
                yield Problem(Severity.ERROR, CLASSIFICATION,
                              f"{who} năm {year}: điểm {column} mục {code} là {points}, ngoài khoảng cho phép "
                              f"({limit}).", "classification.score_range")


def _totals(session: Session) -> Iterator[Problem]:
    """A total above 100: per column, and for the final scores (the ward's where given)."""
    top = int(rules.TOTAL_MAX * 100)
    self_total = func.sum(ClassificationScore.self_cents)
    final_total = func.sum(func.coalesce(ClassificationScore.ward_cents, ClassificationScore.self_cents))
    rows = session.execute(
        select(ClassificationRecord.unit_id, Unit.name, ClassificationRecord.year, self_total, final_total)
        .join(ClassificationRecord, ClassificationRecord.id == ClassificationScore.record_id)
        .outerjoin(Unit, Unit.id == ClassificationRecord.unit_id)
        .group_by(ClassificationRecord.id, ClassificationRecord.unit_id, Unit.name, ClassificationRecord.year)
        .having(or_(self_total > top, final_total > top)).limit(MAX_PER_CHECK))
    for unit_id, name, year, self_cents, final_cents in rows:
        who = "Phiếu tự chấm của xã, phường" if unit_id is None else _unit_name(name, unit_id)
        worst = max(value for value in (self_cents, final_cents) if value is not None)
        yield Problem(Severity.ERROR, CLASSIFICATION,
                      f"{who} năm {year}: tổng điểm {rules.points_text(Decimal(worst) / 100)} vượt quá "
                      f"{rules.points_text(rules.TOTAL_MAX)} điểm.", "classification.total")


def _overrides(session: Session, sheet_sets) -> Iterator[Problem]:
    rows = session.execute(
        select(ClassificationRecord.ward_id, ClassificationRecord.year, ClassificationRecord.unit_id, Unit.name,
               ClassificationRecord.level_override, ClassificationRecord.override_reason)
        .outerjoin(Unit, Unit.id == ClassificationRecord.unit_id)
        .where(ClassificationRecord.level_override.is_not(None)).limit(MAX_PER_CHECK))
    for ward_id, year, unit_id, name, level, reason in rows:
        who = "Xã, phường" if unit_id is None else _unit_name(name, unit_id)
        sheet_set = sheet_sets.get((ward_id, year))
        known = {item.code for item in sheet_set.levels} if sheet_set is not None else None
        if known is not None and level not in known:
            yield Problem(Severity.ERROR, CLASSIFICATION,
                          f"{who} năm {year} được xếp mức \u201c{level}\u201d, không có trong các mức của bảng điểm năm "
                          f"{year}.", "classification.level")
        elif not (reason or "").strip():
            yield Problem(Severity.ERROR, CLASSIFICATION,
                          f"{who} năm {year} được xếp mức khác mức đề xuất theo điểm nhưng không ghi lý do.",
                          "classification.override_reason")


# ---- field work, the plan, the profile --------------------------------------------------------

def check_model_grades(session: Session) -> Iterator[Problem]:
    rows = session.execute(
        select(SecurityModel.name, SecurityModel.started_on, SecurityModel.dissolved_on, SecurityModelGrade.year)
        .join(SecurityModelGrade, SecurityModelGrade.model_id == SecurityModel.id)
        .order_by(SecurityModel.id, SecurityModelGrade.year))
    shown = 0
    for name, started_on, dissolved_on, year in rows:
        if started_on is not None and year < started_on.year:
            why = f"trước năm bắt đầu ({vntext.format_date(started_on)})"
        elif dissolved_on is not None and year > dissolved_on.year:
            why = f"sau khi đã giải thể ({vntext.format_date(dissolved_on)})"
        else:
            continue
        yield Problem(Severity.ERROR, MODELS, f"Mô hình \u201c{name}\u201d được xếp loại năm {year}, {why}.",
                      "models.grade_year")
        shown += 1
        if shown == MAX_PER_CHECK:
            return


def check_budget_lines(session: Session) -> Iterator[Problem]:
    rows = session.execute(
        select(BudgetGroup.year, BudgetLine.content, BudgetLine.quantity, BudgetLine.unit_price, BudgetLine.amount)
        .join(BudgetGroup, BudgetGroup.id == BudgetLine.group_id)
        .where(or_(and_(BudgetLine.quantity.is_not(None), BudgetLine.unit_price.is_not(None),
                        BudgetLine.amount != BudgetLine.quantity * BudgetLine.unit_price),
                   and_(BudgetLine.quantity.is_(None), BudgetLine.unit_price.is_not(None)),
                   and_(BudgetLine.quantity.is_not(None), BudgetLine.unit_price.is_(None))))
        .order_by(BudgetGroup.year, BudgetGroup.position, BudgetLine.position).limit(MAX_PER_CHECK))
    number = vntext.format_number
    for year, content, quantity, price, amount in rows:
        title = _short(content)
        if quantity is None or price is None:
            why = "chỉ có một trong hai ô số lượng, đơn giá (khoản khoán gọn để trống cả hai)"
        else:
            why = (f"thành tiền {number(amount)} đồng khác số lượng × đơn giá = {number(quantity)} × "
                   f"{number(price)} = {number(quantity * price)} đồng")
        yield Problem(Severity.ERROR, PLAN, f"Dự trù kinh phí năm {year}, khoản \u201c{title}\u201d: {why}.",
                      "budget.amount")


def _short(content: str, limit: int = 80) -> str:
    content = " ".join((content or "").split())
    return content if len(content) <= limit else content[: limit - 1] + "…"


def check_tasks(session: Session) -> Iterator[Problem]:
    rows = session.execute(select(PlanTask.year, PlanTask.position, PlanTask.content, PlanTask.due_date,
                                  PlanTask.status, PlanTask.done_on).order_by(PlanTask.year, PlanTask.position))
    shown = 0
    for year, position, content, due_date, status, done_on in rows:
        first, last = date(year - 1, 1, 1), date(year + 1, 12, 31)
        whys = []
        if due_date is not None and not first <= due_date <= last:
            whys.append(f"hạn hoàn thành {vntext.format_date(due_date)} nằm ngoài kế hoạch năm {year} "
                        f"(từ {vntext.format_date(first)} đến {vntext.format_date(last)})")
        if status == "xong" and done_on is None:
            whys.append("đã hoàn thành nhưng không có ngày hoàn thành")
        elif status != "xong" and done_on is not None:
            whys.append(f"chưa hoàn thành nhưng có ngày hoàn thành {vntext.format_date(done_on)}")
        elif done_on is not None and not first <= done_on <= last:
            whys.append(f"ngày hoàn thành {vntext.format_date(done_on)} nằm ngoài kế hoạch năm {year}")
        for why in whys:
            yield Problem(Severity.ERROR, PLAN,
                          f"Nhiệm vụ số {position} năm {year} (\u201c{_short(content)}\u201d): {why}.", "tasks.days")
            shown += 1
            if shown == MAX_PER_CHECK:
                return


def check_festivals(session: Session) -> Iterator[Problem]:
    rows = session.execute(
        select(Festival.unit_id, Unit.name, Festival.year, Festival.held_on)
        .outerjoin(Unit, Unit.id == Festival.unit_id)
        .where(extract("year", Festival.held_on) != Festival.year).limit(MAX_PER_CHECK))
    for unit_id, name, year, held_on in rows:
        yield Problem(Severity.ERROR, EVENTS,
                      f"Ngày hội năm {year} của {_unit_name(name, unit_id)} được ghi tổ chức ngày "
                      f"{vntext.format_date(held_on)}, không thuộc năm {year}.", "events.festival_year")


def check_force_dates(session: Session) -> Iterator[Problem]:
    members = session.execute(
        select(ForceMember.full_name, ForceMember.joined_on, ForceMember.left_on)
        .where(ForceMember.left_on < ForceMember.joined_on).limit(MAX_PER_CHECK))
    for name, joined_on, left_on in members:
        yield Problem(Severity.ERROR, FORCES,
                      f"Thành viên \u201c{name}\u201d có ngày thôi tham gia {vntext.format_date(left_on)} trước ngày "
                      f"tham gia {vntext.format_date(joined_on)}.", "forces.member_dates")
    issues = session.execute(
        select(ForceMember.full_name, EquipmentIssue.item, EquipmentIssue.issued_on, EquipmentIssue.returned_on)
        .join(ForceMember, ForceMember.id == EquipmentIssue.member_id)
        .where(EquipmentIssue.returned_on < EquipmentIssue.issued_on).limit(MAX_PER_CHECK))
    for name, item, issued_on, returned_on in issues:
        yield Problem(Severity.ERROR, FORCES,
                      f"Trang bị \u201c{item}\u201d cấp cho \u201c{name}\u201d ngày {vntext.format_date(issued_on)} "
                      f"được ghi trả ngày {vntext.format_date(returned_on)}, trước ngày cấp.", "forces.equipment_dates")


def check_profile(session: Session) -> Iterator[Problem]:
    wards = session.scalar(select(func.count()).select_from(Ward))
    if wards > 1:
        yield Problem(Severity.ERROR, PROFILE,
                      f"Tệp dữ liệu có {wards} bộ thông tin xã, phường; mỗi tệp chỉ dành cho một xã, phường.",
                      "profile.count")
    elif wards == 0 and session.scalar(select(func.count()).select_from(Unit)):
        yield Problem(Severity.ERROR, PROFILE, "Tệp dữ liệu có đơn vị nhưng không có thông tin xã, phường.",
                      "profile.count")


# ---- running them -------------------------------------------------------------------------

CHECKS: tuple[tuple[str, Callable[[Session], Iterable[Problem]]], ...] = (
    ("Tính toàn vẹn của tệp", check_integrity),
    ("Liên kết giữa các bảng", check_foreign_keys),
    ("Thông tin xã, phường", check_profile),
    ("Đơn vị trùng tên", check_duplicate_units),
    ("Khoá tìm kiếm của đơn vị", check_unit_keys),
    ("Ngày sáp nhập, giải thể", check_unit_status_dates),
    ("Công nhận không có quyết định", check_recognized_without_decision),
    ("Công nhận không có đăng ký", check_listed_without_registration),
    ("Công nhận khi chưa đạt", check_recognized_without_passing),
    ("Số hộ đăng ký", check_households),
    ("Quyết định thiếu thông tin", check_issued_decisions_complete),
    ("Số quyết định trùng", check_decision_numbers),
    ("Quyết định đính chính", check_corrections),
    ("Điểm phân loại", check_classification),
    ("Xếp loại mô hình", check_model_grades),
    ("Dự trù kinh phí", check_budget_lines),
    ("Nhiệm vụ kế hoạch", check_tasks),
    ("Ngày hội", check_festivals),
    ("Lực lượng nòng cốt", check_force_dates),
)


def run_checks(db, progress: Progress | None = None) -> CheckReport:
    """Every check on ``db`` (an open Database), in one read-only session that is rolled back.

    ``progress(done, total)`` after each check; returning False stops (the report then says it
    is incomplete). A check the file is too damaged to run becomes a problem of its own.
    """
    sqlite = db.engine.dialect.name == "sqlite"
    checks = [(title, check) for title, check in CHECKS if sqlite or not getattr(check, "sqlite_only", False)]
    notes = [] if sqlite else [POSTGRES_NOTE]
    problems: list[Problem] = []
    done = 0
    with db.reading() as session:
        for title, check in checks:
            problems.extend(_run_one(session, title, check))
            done += 1
            if progress is not None and not progress(done, len(checks)):
                break
    return CheckReport(problems=problems, notes=notes, checks_run=done, checks_total=len(checks))


def _run_one(session: Session, title: str, check) -> list[Problem]:
    try:
        return list(check(session))
    except (DBAPIError, UnicodeDecodeError) as error:  # "malformed"…: the file cannot answer this check
        session.rollback()
        reason = error.orig if isinstance(error, DBAPIError) else "dữ liệu đọc ra không phải văn bản hợp lệ"
        return [Problem(Severity.SERIOUS, FILE, f"Không kiểm tra được mục \u201c{title}\u201d vì tệp dữ liệu báo lỗi "
                        f"({reason}). {RESTORE_HINT}", "file.unreadable")]
