"""Which database this PC works on when ``--db`` is not given: the per-PC connection setting.

An office that shares one PostgreSQL server sets each PC once (Tệp → Kết nối máy chủ dữ liệu…,
ui/server_dialog.py), and both the window and the ``antq`` command line then open the server
without ``--db``. The setting is a small JSON file in the data folder, ``ket-noi.json``
(``{"database": "postgresql+psycopg://can_bo@192.168.1.10:5432/antq"}``, or a SQLite file's
path); without it the program uses its own SQLite file (paths.default_db_path).

The password is not in that file. It goes to ``pgpass.conf`` beside it, in the format of
PostgreSQL's own password file (``host:port:database:user:password``), which libpq reads by
itself (engine passes it as ``passfile``): the URL in the setting, the log and every message
stay free of it. The file is plain text in the user's own data folder, readable by that Windows
account only (on Linux and macOS it is made 0600, which libpq requires); docs/postgresql.md says
so and suggests a login role with rights on the program's database alone.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from antq_desktop import paths
from antq_desktop.errors import UserError

DEFAULT_PORT = 5432
DEFAULT_DATABASE = "antq"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Server:
    """A PostgreSQL server as the dialog asks for it (no password: see :func:`remember_password`)."""

    host: str
    port: int = DEFAULT_PORT
    database: str = DEFAULT_DATABASE
    user: str = ""

    def url(self, password: str | None = None) -> str:
        """The SQLAlchemy URL (the password only for a connection tried on the spot)."""
        from sqlalchemy.engine import URL

        url = URL.create("postgresql+psycopg", username=self.user or None, password=password or None,
                         host=self.host, port=self.port, database=self.database)
        return url.render_as_string(hide_password=False)

    @classmethod
    def from_url(cls, text: str) -> Server | None:
        """The server a saved URL names; None for a file or anything but PostgreSQL."""
        from sqlalchemy.engine import make_url

        try:
            url = make_url(text)
        except Exception:
            return None
        if url.get_backend_name() != "postgresql":
            return None
        return cls(url.host or "", url.port or DEFAULT_PORT, url.database or "", url.username or "")


# ---- the setting ------------------------------------------------------------------------------------


def chosen_target() -> str | None:
    """The database this PC is set to work on (a URL or a file path), or None: the default file.

    A setting file that cannot be read is told in the log and ignored: the program then opens
    its own file, and the dialog can write the setting again."""
    setting = paths.connection_file()
    try:
        text = setting.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as error:
        log.warning("cannot read %s: %s", setting, error)
        return None
    try:
        target = json.loads(text).get("database")
    except (ValueError, AttributeError):
        log.warning("%s is not the connection setting (JSON with a \"database\" key): ignored", setting)
        return None
    return target.strip() if isinstance(target, str) and target.strip() else None


def target_or_setting(given: str | None) -> str | None:
    """What ``--db`` named, else this PC's setting, else None (the default file)."""
    return given if given else chosen_target()


def save_target(target: str | Path | None) -> None:
    """Make ``target`` this PC's database (None: back to the program's own file). A URL with a
    password in it is refused: the password belongs in the password file."""
    setting = paths.connection_file()
    if target is None or str(target).strip() == "":
        setting.unlink(missing_ok=True)
        return
    text = str(target).strip()
    if "://" in text and Server.from_url(text) is not None and _has_password(text):
        raise ValueError("the password goes to the password file (remember_password), not the setting")
    _write_atomically(setting, json.dumps({"database": text}, ensure_ascii=False, indent=2) + "\n")


def _has_password(url_text: str) -> bool:
    from sqlalchemy.engine import make_url

    return bool(make_url(url_text).password)


def describe(target: str | None) -> str:
    """What the setting names, in words: for the dialog and the window's status line."""
    if not target:
        return f"tệp dữ liệu trên máy này ({paths.default_db_path()})"
    server = Server.from_url(target)
    if server is not None:
        who = f"{server.user}@" if server.user else ""
        return f"máy chủ PostgreSQL {who}{server.host}:{server.port}, cơ sở dữ liệu {server.database}"
    return f"tệp dữ liệu {target}"


# ---- the password file ------------------------------------------------------------------------------


def _escape(field: str) -> str:
    return field.replace("\\", "\\\\").replace(":", "\\:")


def _entry_key(line: str) -> str | None:
    """The host:port:database:user part of a pgpass line (escaped as it is written), or None."""
    fields, current, escaped = [], "", False
    for character in line:
        if escaped:
            current += "\\" + character
            escaped = False
        elif character == "\\":
            escaped = True
        elif character == ":" and len(fields) < 4:
            fields.append(current)
            current = ""
        else:
            current += character
    return ":".join(fields) if len(fields) == 4 else None


def remember_password(server: Server, password: str) -> None:
    """Keep ``password`` for ``server`` in the program's password file (an empty one forgets it).
    Other servers' lines stay as they were."""
    passfile = paths.pgpass_file()
    key = ":".join(_escape(part) for part in (server.host, str(server.port), server.database, server.user))
    try:
        lines = passfile.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        lines = []
    lines = [line for line in lines if _entry_key(line) != key]
    if password:
        lines.append(f"{key}:{_escape(password)}")
    if lines:
        _write_atomically(passfile, "\n".join(lines) + "\n", private=True)
    else:
        passfile.unlink(missing_ok=True)


def _write_atomically(target: Path, text: str, private: bool = False) -> None:
    partial = target.with_name(f".{target.name}.dang-ghi")
    try:
        if private:  # created 0600 from the start (libpq ignores a password file others can read)
            handle = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
        else:
            partial.write_text(text, encoding="utf-8")
        partial.replace(target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise UserError(f'Không ghi được cài đặt kết nối vào thư mục "{target.parent}": {error.strerror or error}. '
                        "Hãy kiểm tra quyền ghi của thư mục rồi thử lại.") from None


# ---- trying a connection -------------------------------------------------------------------------


def try_connection(target: str) -> str:
    """Connect to ``target`` for real and say in Vietnamese what is there; raises UserError with
    the plain reason when it cannot be used. Nothing is created or changed."""
    from sqlalchemy.engine import make_url

    from antq_desktop.db.engine import (
        current_revision,
        database_url,
        head_revision,
        open_database,
    )
    from antq_desktop.services.profile import get_profile

    url = make_url(database_url(target))
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        folder = Path(url.database).parent
        if not folder.is_dir():
            raise UserError(f"Thư mục chứa tệp dữ liệu không tồn tại: {folder}")
        return "Tệp này chưa có: lần mở đầu tiên, chương trình sẽ tạo tệp dữ liệu mới ở đây."
    db = open_database(target, upgrade=False)  # refuses a foreign or newer database, as the start would
    try:
        revision = current_revision(db.engine)
        if revision is None:
            return ("Kết nối được. Cơ sở dữ liệu còn trống: lần mở đầu tiên, chương trình sẽ tạo các bảng "
                    "và hỏi thông tin xã, phường.")
        if revision != head_revision():
            return ("Kết nối được. Dữ liệu do phiên bản cũ hơn của chương trình tạo: lần mở tới, chương trình "
                    "sẽ nâng cấp (mọi máy dùng chung cần cài cùng phiên bản mới này).")
        with db.reading() as session:
            profile = get_profile(session)
        if profile is None:
            return "Kết nối được. Cơ sở dữ liệu chưa có thông tin xã, phường: lần mở đầu tiên chương trình sẽ hỏi."
        return f"Kết nối được. Cơ sở dữ liệu đang giữ dữ liệu của {profile.kind.label.lower()} {profile.name}."
    finally:
        db.close()
