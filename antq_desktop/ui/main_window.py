"""One window: the program's areas on the left, the chosen one in the middle.

The window is shown first, as an empty frame, and the database and the pages come after:
the database layer takes most of the start-up time to import, and a window that appears at
once tells the user that the program is starting. So this module imports no page and no
service at load time.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
)

from antq_desktop import __version__
from antq_desktop.i18n import tr
from antq_desktop.ui.app import apply_font_size, saved_font_size
from antq_desktop.ui.settings import FONT_SIZES, ui_settings

if TYPE_CHECKING:
    from antq_desktop.db.engine import Database
    from antq_desktop.services.profile import WardProfile


# attribute of the window, title, module in antq_desktop.ui, class: pages built the first time
# they are shown, so that their imports and queries do not slow the start.
LAZY_PAGES = (
    ("classification_page", "Phân loại phong trào", "classification_page", "ClassificationPage"),
    ("inspections_page", "Kiểm tra, hướng dẫn", "inspections_page", "InspectionsPage"),
    ("forces_page", "Lực lượng nòng cốt", "core_forces_page", "CoreForcesPage"),
    ("models_page", "Mô hình", "models_page", "ModelsPage"),
    ("events_page", "Tuyên truyền, Ngày hội", "events_page", "EventsPage"),
    ("awards_page", "Khen thưởng", "awards_page", "AwardsPage"),
    ("exemplary_page", "Xã, phường điển hình", "exemplary_page", "ExemplaryPage"),
    ("plan_page", "Kế hoạch, chỉ tiêu", "plan_page", "PlanPage"),
    ("reports_page", "Báo cáo", "reports_page", "ReportsPage"),
    ("province_page", "Tổng hợp các xã, phường", "province_page", "ProvincePage"),
    ("audit_page", "Nhật ký thay đổi", "audit_page", "AuditPage"),
)
# the keys the dashboard (and the deadlines' settings) name pages by -> (window attribute, tab of the plan page)
PAGE_KEYS = {
    "dashboard": ("dashboard_page", None), "units": ("units_page", None), "antt": ("antt_page", None),
    "classification": ("classification_page", None), "inspections": ("inspections_page", None),
    "forces": ("forces_page", None), "models": ("models_page", None), "events": ("events_page", None),
    "awards": ("awards_page", None), "exemplary": ("exemplary_page", None), "plan": ("plan_page", "targets"),
    "tasks": ("plan_page", "tasks"), "budget": ("plan_page", "budget"), "reports": ("reports_page", None), "audit": ("audit_page", None),
    "province": ("province_page", None),
    "profile": ("profile_page", None),
}


class _LazyPage(QLabel):
    """Stands in the page stack for a page not built yet."""

    def __init__(self, attribute: str, module: str, class_name: str):
        super().__init__(tr("Đang mở…"))
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.attribute, self.module, self.class_name = attribute, module, class_name


class MainWindow(QMainWindow):
    """``MainWindow()`` is the frame alone; ``open_database(db)`` (or ``MainWindow(db)``) fills it."""

    def __init__(self, db: Database | None = None, parent=None):
        super().__init__(parent)
        self._db: Database | None = None
        self.dashboard_page = self.units_page = self.antt_page = self.profile_page = None
        self.classification_page = self.exemplary_page = self.plan_page = self.reports_page = None
        self.inspections_page = self.forces_page = self.models_page = self.events_page = self.awards_page = None
        self._rows: dict[str, int] = {}  # window attribute of a page -> its row in the navigation
        self._help = None  # the guide's window, made the first time it is asked for (F1)
        self.audit_page = self.province_page = None
        self.idle_lock = None
        self.signing_out = False  # "Đăng xuất" closed the window: __main__ signs the next officer in
        self.restore_request = None  # a backup chosen in "Khôi phục…": __main__ restores it once closed
        self.daily_backup = None
        self._build()
        self._build_menus()
        self.setWindowTitle(f"ANTQ Desktop {__version__}")
        self._restore()
        if db is not None:
            self.open_database(db)

    def open_database(self, db: Database) -> None:
        """Show the pages of ``db``'s ward; only areas that work get a place in the navigation."""
        from antq_desktop.services import profile as profile_service
        from antq_desktop.ui.antt_page import AnttPage
        from antq_desktop.ui.dashboard_page import DashboardPage
        from antq_desktop.ui.profile_form import ProfilePage
        from antq_desktop.ui.units_page import UnitsPage

        self._db = db
        with db.transaction() as session:
            self._profile = profile_service.require_profile(session)
        self.dashboard_page = DashboardPage(db, self._profile.id)
        self.dashboard_page.open_page.connect(self.show_page)
        self.units_page = UnitsPage(db, self._profile.id)
        self.antt_page = AnttPage(db, self._profile.id, self._profile.ward_title)
        self.profile_page = ProfilePage(db, self._profile_saved)
        for page in (self.dashboard_page, self.units_page, self.antt_page):
            page.status_message.connect(self.statusBar().showMessage)
        self.stack.removeWidget(self.loading)
        pages = [("dashboard_page", tr("Tổng quan"), self.dashboard_page),
                 ("units_page", tr("Đơn vị trên địa bàn"), self.units_page),
                 ("antt_page", tr("An toàn về ANTT"), self.antt_page)]
        pages += [(attribute, tr(title), _LazyPage(attribute, module, name))
                  for attribute, title, module, name in LAZY_PAGES]
        pages.append(("profile_page", tr("Thông tin xã, phường"), self.profile_page))
        for number, (attribute, title, page) in enumerate(pages, start=1):
            self.navigation.addItem(title)
            self.stack.addWidget(page)
            self._rows[attribute] = number - 1
            self._add_page_action(number, title)
        self.navigation.setCurrentRow(0)
        self.db_label.setText(str(db.file or db.engine.url.render_as_string(hide_password=True)))
        self.fieldwork_settings_action.setEnabled(True)
        for action in self._database_actions:
            action.setEnabled(True)
        self._start_daily_backups(db)
        self._enable_account_actions(db)
        self._update_title()

    def _enable_account_actions(self, db: Database) -> None:
        """What the signed-in officer may do from the menus (the database layer enforces it anyway)."""
        from antq_desktop import identity
        from antq_desktop.ui.idle_lock import IdleLock

        me = identity.signed_in()
        self.idle_lock = IdleLock(db, self, on_sign_out=self.sign_out)
        for action in (*self._account_actions, self.idle_action):
            action.setEnabled(me is not None)
        self.users_action.setVisible(me is not None and me.role.can_administer)
        # Imports write many records at once: a viewer is not offered them (the services refuse anyway).
        self.import_workbook_action.setEnabled(me is None or me.role.can_write)
        self.import_package_action.setEnabled(me is None or me.role.can_administer)

    def show_page(self, key: str, record=None):
        """Open a page by its key ("antt", "tasks"…), on ``record`` where the page can show one;
        returns the page (or the plan page's tab)."""
        attribute, tab = PAGE_KEYS[key]
        self.navigation.setCurrentRow(self._rows[attribute])
        page = getattr(self, attribute)
        if tab is not None:
            page = page.show_tab(tab)
        if record is not None and hasattr(page, "select_task"):
            page.select_task(record)
        return page

    def _build_page(self, row: int, stand_in: _LazyPage) -> None:
        """Put the real page in place of its stand-in, the first time it is shown."""
        page_class = getattr(import_module(f"antq_desktop.ui.{stand_in.module}"), stand_in.class_name)
        page = page_class(self._db, self._profile.id)
        page.status_message.connect(self.statusBar().showMessage)
        if stand_in.attribute == "province_page":
            page.package_imported.connect(self.package_imported)
        setattr(self, stand_in.attribute, page)
        self.stack.insertWidget(row, page)
        self.stack.removeWidget(stand_in)
        stand_in.deleteLater()

    def _build(self) -> None:
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.stack = QStackedWidget()
        self.loading = QLabel(tr("Đang mở dữ liệu…"))
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.loading)
        self.navigation.currentRowChanged.connect(self._show_page)
        self.navigation.setMinimumWidth(190)
        self.navigation.setStyleSheet("QListWidget#navigation::item { padding: 8px 6px; }")
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.navigation)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([220, 1060])
        self.setCentralWidget(self.splitter)
        self.db_label = QLabel()
        self.statusBar().addPermanentWidget(self.db_label)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(tr("&Tệp"))
        self.backups_action = QAction(tr("Sao lưu và khôi phục…"), self)
        self.backups_action.triggered.connect(self.show_backups)
        self.check_action = QAction(tr("Kiểm tra dữ liệu…"), self)
        self.check_action.triggered.connect(self.check_data)
        file_menu.addSeparator()
        self.export_package_action = QAction(tr("Xuất gói dữ liệu…"), self)
        self.export_package_action.triggered.connect(self.export_package)
        self.import_package_action = QAction(tr("Nhập gói dữ liệu…"), self)
        self.import_package_action.triggered.connect(self.import_package)
        self.export_workbook_action = QAction(tr("Xuất bảng tổng hợp cuối năm (Excel)…"), self)
        self.export_workbook_action.triggered.connect(self.export_workbook)
        self.import_workbook_action = QAction(tr("Nhập bảng tổng hợp cuối năm (Excel)…"), self)
        self.import_workbook_action.triggered.connect(self.import_workbook)
        self._database_actions = (self.backups_action, self.check_action, self.export_workbook_action,
                                  self.import_workbook_action, self.export_package_action,
                                  self.import_package_action)
        for action in self._database_actions:
            action.setEnabled(False)  # until a database is open
        self.server_action = QAction(tr("Kết nối máy chủ dữ liệu…"), self)
        self.server_action.triggered.connect(self.choose_server)
        file_menu.addActions([self.backups_action, self.check_action])
        file_menu.addSeparator()
        file_menu.addActions([self.export_workbook_action, self.import_workbook_action])
        file_menu.addSeparator()
        file_menu.addActions([self.export_package_action, self.import_package_action, self.server_action])
        file_menu.addSeparator()
        self.change_password_action = QAction(tr("Đổi mật khẩu…"), self)
        self.change_password_action.triggered.connect(self.change_password)
        self.lock_action = QAction(tr("Khoá màn hình"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock_screen)
        self.sign_out_action = QAction(tr("Đăng xuất"), self)
        self.sign_out_action.triggered.connect(self.sign_out)
        self._account_actions = (self.change_password_action, self.lock_action, self.sign_out_action)
        for action in self._account_actions:
            action.setEnabled(False)  # until someone is signed in on an open database
            file_menu.addAction(action)
        file_menu.addSeparator()
        quit_action = QAction(tr("Thoát"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        tools = self.menuBar().addMenu(tr("&Cài đặt"))
        self.fieldwork_settings_action = QAction(tr("Chỉ tiêu công tác và ngày kỷ niệm…"), self)
        self.fieldwork_settings_action.triggered.connect(self.edit_fieldwork_settings)
        self.fieldwork_settings_action.setEnabled(False)  # until a database is open
        tools.addAction(self.fieldwork_settings_action)
        self.users_action = QAction(tr("Tài khoản người dùng…"), self)
        self.users_action.triggered.connect(self.edit_users)
        self.users_action.setVisible(False)  # administrators only
        tools.addAction(self.users_action)
        self.idle_action = QAction(tr("Tự khoá màn hình…"), self)
        self.idle_action.triggered.connect(self.edit_idle_lock)
        self.idle_action.setEnabled(False)
        tools.addAction(self.idle_action)

        self.view_menu = self.menuBar().addMenu(tr("&Xem"))
        sizes = self.view_menu.addMenu(tr("Cỡ chữ"))
        self.view_menu.addSeparator()
        group = QActionGroup(self)
        for label, points in FONT_SIZES.items():
            action = QAction(label, self, checkable=True)
            action.setChecked(points == saved_font_size())
            action.triggered.connect(lambda _=False, p=points: self.set_font_size(p))
            group.addAction(action)
            sizes.addAction(action)

        help_menu = self.menuBar().addMenu(tr("Trợ &giúp"))
        self.help_action = QAction(tr("Hướng dẫn sử dụng"), self)
        self.help_action.setShortcut(QKeySequence(Qt.Key.Key_F1))  # on the section of the page shown
        self.help_action.triggered.connect(lambda: self.show_help())
        help_menu.addAction(self.help_action)
        help_menu.addSeparator()
        about = QAction(tr("Giới thiệu"), self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def _show_page(self, row: int) -> None:
        stand_in = self.stack.widget(row)
        if isinstance(stand_in, _LazyPage):
            self._build_page(row, stand_in)  # it reads its records as it is built
            self.stack.setCurrentIndex(row)
            return
        self.stack.setCurrentIndex(row)
        # What the other pages changed since (units, ratings, a decision moving the number series on):
        shown = self.stack.currentWidget()
        if shown is self.profile_page and shown is not None:
            self.profile_page.reload()
        elif shown is self.units_page and shown is not None:
            self.units_page.announce_counts()  # only this page changes the register: its rows are current
        elif shown in self._working_pages()[1:]:
            shown.refresh()

    def _working_pages(self) -> tuple:
        """The pages that show records and report to the status bar (the units page first)."""
        return (self.units_page, self.dashboard_page, self.antt_page, self.classification_page, self.inspections_page,
                self.forces_page, self.models_page, self.events_page, self.awards_page, self.exemplary_page,
                self.plan_page, self.reports_page, self.province_page, self.audit_page)

    def _add_page_action(self, number: int, title: str) -> None:
        action = QAction(title, self)
        if number <= 9:  # Ctrl+1 … Ctrl+9
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
        action.triggered.connect(lambda _=False, row=number - 1: self.navigation.setCurrentRow(row))
        self.view_menu.addAction(action)

    def edit_fieldwork_settings(self) -> None:
        from antq_desktop.ui.fieldwork_settings_dialog import FieldworkSettingsDialog

        if FieldworkSettingsDialog(self._db, self._profile.id, self).exec():
            self._show_page(self.stack.currentIndex())  # the page on screen shows the new targets

    def set_font_size(self, points: int) -> None:
        ui_settings().setValue("ui/font_size", points)
        apply_font_size(QApplication.instance(), points)

    def current_page_key(self) -> str | None:
        """The key (of PAGE_KEYS) of the page on screen, its tab for the plan page; None before a database is open."""
        shown = self.stack.currentWidget()
        for key, (attribute, tab) in PAGE_KEYS.items():
            if shown is None or getattr(self, attribute) is not shown:
                continue
            if tab is None:
                return key
            from antq_desktop.ui.plan_page import TABS  # built already: it is on screen

            if TABS[shown.tabs.currentIndex()][0] == tab:
                return key
        return None

    def show_help(self, section: str | None = None):
        """The guide (one window, kept), on ``section`` or on that of the page shown; returns it."""
        from antq_desktop.ui.help_dialog import FIRST_SECTION, HelpDialog

        if self._help is None:
            self._help = HelpDialog(self)
        self._help.show_section(section or self.current_page_key() or FIRST_SECTION)
        if self._help.isMinimized():
            self._help.showNormal()
        self._help.show()  # a window of this one: it stays in front of it
        self._help.activateWindow()
        return self._help

    def show_about(self):
        """Giới thiệu: version, data file, licences; returns the dialog (window-modal, not blocking)."""
        from antq_desktop.ui.about_dialog import AboutDialog

        location = None if self._db is None else str(
            self._db.file or self._db.engine.url.render_as_string(hide_password=True))
        dialog = AboutDialog(location, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _profile_saved(self, profile: WardProfile, announce: bool = True) -> None:
        self._profile = profile
        self.antt_page.ward_title = profile.ward_title
        self._update_title()
        if announce:
            self.statusBar().showMessage(tr("Đã lưu thông tin xã, phường."), 5000)

    def _update_title(self) -> None:
        from antq_desktop.ui.sign_in import window_title_user

        user = window_title_user()
        self.setWindowTitle(f"ANTQ Desktop {__version__} — {self._profile.police_unit_name}"
                            + (f" — {user}" if user else ""))

    # ---- backups and the data check ----------------------------------------------------------------

    def _start_daily_backups(self, db: Database) -> None:
        from antq_desktop.ui.backup_dialog import DailyBackup

        if db.file is None or self.daily_backup is not None:  # a server keeps its own backups
            return
        self.daily_backup = DailyBackup(db.file, self)
        self.daily_backup.done.connect(lambda info: info and self.statusBar().showMessage(
            tr("Đã tự sao lưu dữ liệu lúc {time}.").format(time=info.created_text), 10000))
        self.daily_backup.failed.connect(lambda message: QMessageBox.warning(
            self, tr("Chưa tự sao lưu được"), message))
        self.daily_backup.schedule()

    def show_backups(self) -> None:
        from antq_desktop.ui.backup_dialog import BackupDialog

        dialog = BackupDialog(self._db, self)
        if dialog.exec() and dialog.chosen_backup is not None:
            self.restore_request = dialog.chosen_backup
            if not self.close():  # the officer chose to stay (an unsaved report)
                self.restore_request = None

    def export_workbook(self) -> None:
        from antq_desktop.ui import workbook_dialog

        workbook_dialog.export_workbook(self, self._db, self._profile.id)

    def import_workbook(self) -> None:
        from antq_desktop.ui import workbook_dialog

        if workbook_dialog.import_workbook(self, self._db, self._profile.id) is not None:
            self._refresh_pages()

    def choose_server(self) -> None:
        from antq_desktop.ui.server_dialog import ServerDialog

        ServerDialog(self, restart_needed=True).exec()

    def export_package(self) -> None:
        from antq_desktop.ui import package_dialog

        package_dialog.export_package(self, self._db, self._profile.id)

    def import_package(self) -> None:
        from antq_desktop.ui import package_dialog

        result = package_dialog.import_package(self, self._db)
        if result is not None:
            self.package_imported(result.ward_id)

    def package_imported(self, ward_id: int) -> None:
        """A package added a ward or replaced one; when it replaced this window's own ward, every
        page shows the data that came with it."""
        if ward_id != self._profile.id:
            if self.province_page is not None:
                self.province_page.refresh()
            return
        from antq_desktop.services import profile as profile_service

        with self._db.transaction() as session:
            self._profile_saved(profile_service.require_profile(session), announce=False)
        self.profile_page.reload()
        self._refresh_pages()

    def _refresh_pages(self) -> None:
        """Every page built so far reads its records again (an import changed many at once)."""
        for page in self._working_pages():
            if page is not None:
                page.refresh()

    def check_data(self) -> None:
        from antq_desktop.ui.backup_dialog import DataCheckDialog

        DataCheckDialog(self._db, self).exec()

    # ---- the officer's account ---------------------------------------------------------------------

    def change_password(self) -> None:
        from antq_desktop.ui.sign_in import ChangePasswordDialog

        if ChangePasswordDialog(self._db, self).exec():
            self.statusBar().showMessage(tr("Đã đổi mật khẩu."), 5000)

    def lock_screen(self) -> None:
        if self.idle_lock is None or not self.idle_lock.lock():
            self.statusBar().showMessage(tr("Chưa có ai đăng nhập: không có gì để khoá."), 5000)

    def sign_out(self) -> bool:
        """Close the window for another officer (__main__ signs the next one in); False if the
        officer chose to stay (unsaved work)."""
        self.signing_out = True
        if not self.close():
            self.signing_out = False
            return False
        return True

    def edit_users(self) -> None:
        from antq_desktop.ui.users_dialog import UsersDialog

        UsersDialog(self._db, self).exec()

    def edit_idle_lock(self) -> None:
        from antq_desktop.ui.idle_lock import IdleSettingsDialog

        IdleSettingsDialog(self.idle_lock, self).exec()

    def _restore(self) -> None:
        settings = ui_settings()
        geometry = settings.value("main/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 760)
        splitter = settings.value("main/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def closeEvent(self, event) -> None:
        if self.reports_page is not None and not self.reports_page.confirm_leave():
            event.ignore()  # the officer chose to stay with the report's unsaved text
            return
        settings = ui_settings()
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/splitter", self.splitter.saveState())
        for page in self._working_pages():
            if page is not None:
                page.save_state()
        if self.idle_lock is not None:
            self.idle_lock.stop()
        if self.daily_backup is not None:
            self.daily_backup.stop()
        super().closeEvent(event)
