"""The ward profile: a form used by the first-start dialog and by the profile page."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from antq_desktop.db.engine import Database
from antq_desktop.domain.ward import ProvinceKind, WardKind
from antq_desktop.errors import UserError
from antq_desktop.i18n import tr
from antq_desktop.services import demo
from antq_desktop.services import profile as profile_service
from antq_desktop.services.profile import PROFILE_LABELS, ProfileInput, WardProfile
from antq_desktop.services.tracking import current_actor
from antq_desktop.ui.choices import choose, chosen, enum_combo
from antq_desktop.ui.forms import error_label, show_error

_TEXT_FIELDS = (
    "province_name", "name", "police_unit_name", "chairman_name", "chairman_title",
    "police_chief_name", "police_chief_title", "place_name", "ubnd_doc_suffix", "police_doc_suffix",
)
_NUMBER_FIELDS = ("next_ubnd_doc_number", "next_police_doc_number")
NEW_WARD = ProfileInput(province_kind=ProvinceKind.TINH, province_name="", kind=WardKind.PHUONG, name="")


class ProfileForm(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.province_kind = enum_combo(ProvinceKind)
        self.kind = enum_combo(WardKind)
        self.texts = {key: QLineEdit() for key in _TEXT_FIELDS}
        self.numbers = {key: QSpinBox() for key in _NUMBER_FIELDS}
        for box in self.numbers.values():
            box.setRange(1, 99_999)
        self.texts["police_unit_name"].setPlaceholderText(tr("Để trống: Công an + tên xã, phường"))
        self.texts["place_name"].setPlaceholderText(tr("Để trống: tên xã, phường"))

        place = QGroupBox(tr("Địa bàn"))
        place_form = QFormLayout(place)
        place_form.addRow(tr("Cấp tỉnh"), self.province_kind)
        place_form.addRow(PROFILE_LABELS["province_name"], self.texts["province_name"])
        place_form.addRow(tr("Cấp xã"), self.kind)
        for key in ("name", "police_unit_name", "place_name"):
            place_form.addRow(PROFILE_LABELS[key], self.texts[key])
        people = QGroupBox(tr("Người ký văn bản"))
        people_form = QFormLayout(people)
        for key in ("chairman_name", "chairman_title", "police_chief_name", "police_chief_title"):
            people_form.addRow(PROFILE_LABELS[key], self.texts[key])
        numbering = QGroupBox(tr("Số và ký hiệu văn bản"))
        numbering_form = QFormLayout(numbering)
        for key in ("ubnd_doc_suffix", "next_ubnd_doc_number", "police_doc_suffix", "next_police_doc_number"):
            numbering_form.addRow(PROFILE_LABELS[key], self.texts.get(key) or self.numbers[key])
        layout = QVBoxLayout(self)
        for group in (place, people, numbering):
            layout.addWidget(group)

    def load(self, profile: ProfileInput) -> None:
        choose(self.province_kind, profile.province_kind)
        choose(self.kind, profile.kind)
        for key, edit in self.texts.items():
            edit.setText(getattr(profile, key))
        for key, box in self.numbers.items():
            box.setValue(getattr(profile, key))

    def typed(self, doc_number_year: int | None = None) -> ProfileInput:
        return ProfileInput(
            province_kind=chosen(self.province_kind, ProvinceKind),
            kind=chosen(self.kind, WardKind),
            doc_number_year=doc_number_year,
            **{key: edit.text() for key, edit in self.texts.items()},
            **{key: box.value() for key, box in self.numbers.items()},
        )


class ProfilePage(QWidget):
    """The profile as a page of the main window; ``saved`` is told the stored profile."""

    def __init__(self, db: Database, on_saved: Callable[[WardProfile], None], parent=None):
        super().__init__(parent)
        self._db = db
        self._on_saved = on_saved
        self.form = ProfileForm()
        self.error = error_label()
        self.save_button = QPushButton(tr("Lưu thông tin"))
        self.save_button.clicked.connect(self.save)
        self.reload_button = QPushButton(tr("Bỏ thay đổi"))
        self.reload_button.clicked.connect(self.reload)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.reload_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.reload()

    def reload(self) -> None:
        with self._db.transaction() as session:
            self._profile = profile_service.require_profile(session)
        self.form.load(self._profile)
        self.error.hide()

    def save(self) -> None:
        typed = self.form.typed(self._profile.doc_number_year)
        try:
            with self._db.transaction() as session:
                self._profile = profile_service.save_profile(
                    session, typed, current_actor(), expected_version=self._profile.version
                )
        except UserError as error:
            show_error(self.error, error.message)
            return
        self.form.load(self._profile)
        self.error.hide()
        self._on_saved(self._profile)


class FirstStartDialog(QDialog):
    """The first start on an empty database: type the ward's profile, or open the demo ward."""

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self._db = db
        self.setWindowTitle(tr("Bắt đầu sử dụng ANTQ Desktop"))
        intro = QLabel(tr(
            "Chào mừng! Hãy nhập thông tin xã, phường của đơn vị. Các thông tin này được in ở phần đầu "
            "và phần chữ ký của mọi văn bản; có thể sửa lại bất cứ lúc nào.\n"
            "Muốn xem thử chương trình trước, hãy bấm «Dùng dữ liệu mẫu». Chuyển sang máy mới: "
            "bấm «Nhập gói dữ liệu từ máy khác…» và chọn gói đã xuất ở máy cũ."
        ))
        intro.setWordWrap(True)
        self.form = ProfileForm()
        self.form.load(NEW_WARD)
        self.error = error_label()
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(tr("Lưu và bắt đầu"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.demo_button = buttons.addButton(tr("Dùng dữ liệu mẫu (phường Minh Xuân)"),
                                             QDialogButtonBox.ButtonRole.ActionRole)
        self.package_button = buttons.addButton(tr("Nhập gói dữ liệu từ máy khác…"),
                                                QDialogButtonBox.ButtonRole.ActionRole)
        cancel = buttons.addButton(tr("Thoát"), QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save_profile)
        self.demo_button.clicked.connect(self.load_demo)
        self.package_button.clicked.connect(self.import_package)
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(620, 0)

    def _run(self, change: Callable) -> None:
        try:
            with self._db.transaction() as session:
                change(session)
        except UserError as error:
            show_error(self.error, error.message)
            return
        self.accept()

    def save_profile(self) -> None:
        typed = self.form.typed()
        self._run(lambda session: profile_service.save_profile(session, typed, current_actor()))

    def load_demo(self) -> None:
        self._run(lambda session: demo.load_demo(session, current_actor()))

    def import_package(self) -> None:
        """The ward moved from another PC: its package brings the profile with everything else."""
        from antq_desktop.ui.package_dialog import ImportPackageDialog

        dialog = ImportPackageDialog(self._db, self)
        dialog.exec()
        if dialog.imported is not None:
            self.accept()
