"""Menu Tệp → Kết nối máy chủ dữ liệu…: which database this PC works on.

Either a SQLite file on this PC (the program's own file, or one the officer picks), or the
office's shared PostgreSQL server: address, port, database name, login and password. "Thử kết
nối" really connects (off the GUI thread: a server that does not answer takes up to ten
seconds) and says in Vietnamese what it found. "Lưu" keeps the choice for this PC
(antq_desktop/connection.py: ``ket-noi.json``, the password in ``pgpass.conf``); the program
works on the new database from its next start, which the dialog says (at the start itself,
when the saved server could not be reached, the window opens the new choice at once).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from antq_desktop import connection, paths
from antq_desktop.connection import Server
from antq_desktop.errors import UserError
from antq_desktop.i18n import tr
from antq_desktop.ui.background import run_with_progress
from antq_desktop.ui.forms import error_label, show_error


class ServerDialog(QDialog):
    """The connection setting of this PC. ``restart_needed``: a database is open in the window,
    so a saved change applies from the next start (the dialog says so); ``saved_target`` is what
    was saved (None: the program's own file)."""

    def __init__(self, parent: QWidget | None = None, *, restart_needed: bool = True):
        super().__init__(parent)
        self.setWindowTitle(tr("Kết nối máy chủ dữ liệu"))
        self.setMinimumWidth(560)
        self._restart_needed = restart_needed
        self.saved_target: str | None = None
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.error = error_label()
        self._build()
        self._show(connection.chosen_target())

    # ---- layout ----------------------------------------------------------------------------------

    def _build(self) -> None:
        intro = QLabel(tr("Chọn nơi chương trình trên máy này lưu và đọc dữ liệu. Các máy trong cơ quan dùng "
                          "chung một máy chủ PostgreSQL thì cùng thấy một dữ liệu."))
        intro.setWordWrap(True)
        self.use_file = QRadioButton(tr("Tệp dữ liệu trên máy này"))
        self.use_server = QRadioButton(tr("Máy chủ PostgreSQL dùng chung của cơ quan"))
        choice = QButtonGroup(self)
        for button in (self.use_file, self.use_server):
            choice.addButton(button)
            button.toggled.connect(self._update_enabled)

        self.file_path = QLineEdit()
        self.file_path.setPlaceholderText(str(paths.default_db_path()))
        self.file_path.setToolTip(tr("Để trống: tệp dữ liệu mặc định của chương trình"))
        self.pick_file = QPushButton(tr("Chọn tệp…"))
        self.pick_file.clicked.connect(self._choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_path, 1)
        file_row.addWidget(self.pick_file)

        self.host = QLineEdit()
        self.host.setPlaceholderText(tr("ví dụ: 192.168.1.10 hoặc MAYCHU"))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(connection.DEFAULT_PORT)
        self.database = QLineEdit(connection.DEFAULT_DATABASE)
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(tr("Ghi nhớ mật khẩu trên máy này"))
        self.remember.setChecked(True)
        self.server_form = QFormLayout()
        for label, field in ((tr("Địa chỉ máy chủ"), self.host), (tr("Cổng"), self.port),
                             (tr("Tên cơ sở dữ liệu"), self.database), (tr("Tên đăng nhập"), self.user),
                             (tr("Mật khẩu"), self.password), ("", self.remember)):
            self.server_form.addRow(label, field)
        self._server_fields = (self.host, self.port, self.database, self.user, self.password, self.remember)

        buttons = QDialogButtonBox()
        self.try_button = buttons.addButton(tr("Thử kết nối"), QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = buttons.addButton(tr("Lưu"), QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(tr("Huỷ"), QDialogButtonBox.ButtonRole.RejectRole)
        self.try_button.clicked.connect(self.try_connection)
        self.save_button.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.use_file)
        layout.addLayout(file_row)
        layout.addWidget(self.use_server)
        layout.addLayout(self.server_form)
        layout.addWidget(self.result_label)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _show(self, target: str | None) -> None:
        server = Server.from_url(target) if target else None
        if server is None:
            self.use_file.setChecked(True)
            self.file_path.setText(target or "")
        else:
            self.use_server.setChecked(True)
            self.host.setText(server.host)
            self.port.setValue(server.port)
            self.database.setText(server.database)
            self.user.setText(server.user)
        self._update_enabled()

    def _update_enabled(self) -> None:
        on_server = self.use_server.isChecked()
        for field in self._server_fields:
            field.setEnabled(on_server)
        self.file_path.setEnabled(not on_server)
        self.pick_file.setEnabled(not on_server)

    def _choose_file(self) -> None:
        start = self.file_path.text().strip() or str(paths.default_db_path())
        chosen, _filter = QFileDialog.getSaveFileName(
            self, tr("Chọn tệp dữ liệu"), start, tr("Tệp dữ liệu ANTQ (*.sqlite);;Mọi tệp (*)"),
            options=QFileDialog.Option.DontConfirmOverwrite)
        if chosen:
            self.file_path.setText(chosen)

    # ---- what was typed --------------------------------------------------------------------------

    def server(self) -> Server:
        host, database = self.host.text().strip(), self.database.text().strip()
        if not host:
            raise UserError(tr("Hãy nhập địa chỉ máy chủ (tên máy hoặc địa chỉ IP, ví dụ 192.168.1.10)."))
        if not database:
            raise UserError(tr("Hãy nhập tên cơ sở dữ liệu trên máy chủ (người quản trị máy chủ đã đặt, "
                               "thường là antq)."))
        if not self.user.text().strip():
            raise UserError(tr("Hãy nhập tên đăng nhập máy chủ dữ liệu."))
        return Server(host, self.port.value(), database, self.user.text().strip())

    def target(self, with_password: bool = False) -> str | None:
        """The chosen database: a server URL, a file path, or None (the program's own file)."""
        if self.use_server.isChecked():
            return self.server().url(self.password.text() if with_password else None)
        path = self.file_path.text().strip()
        if not path:
            return None
        if "://" in path:
            raise UserError(tr("Ô tệp dữ liệu chỉ nhận đường dẫn một tệp trên máy; máy chủ thì chọn mục "
                               "máy chủ PostgreSQL bên dưới."))
        return str(Path(path).expanduser())

    # ---- the buttons -----------------------------------------------------------------------------

    def try_connection(self) -> bool:
        """Connect for real and show what was found (green) or why not (red)."""
        self.result_label.clear()
        show_error(self.error, "")
        try:
            target = self.target(with_password=True) or str(paths.default_db_path())
            found, _cancelled = run_with_progress(self, tr("Đang kết nối…"),
                                                  lambda _progress: connection.try_connection(target))
        except UserError as error:
            show_error(self.error, error.message)
            return False
        self.result_label.setStyleSheet("color: #1b5e20; font-weight: bold;")
        self.result_label.setText(found)
        return True

    def save(self) -> None:
        show_error(self.error, "")
        try:
            target = self.target()
            if self.use_server.isChecked():
                server = self.server()
                connection.remember_password(server, self.password.text() if self.remember.isChecked() else "")
            connection.save_target(target)
        except UserError as error:
            show_error(self.error, error.message)
            return
        self.saved_target = target
        if self._restart_needed:
            QMessageBox.information(self, tr("Đã lưu cách kết nối"), tr(
                "Đã lưu. Chương trình trên máy này sẽ làm việc với {what} từ lần mở tới: hãy đóng chương trình "
                "rồi mở lại.").format(what=connection.describe(target)))
        self.accept()
