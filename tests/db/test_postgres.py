"""Opening a PostgreSQL server: every way it can fail is a plain message, and an upgrade is one
transaction. Against the real server of the PostgreSQL pass (``make test-postgres``); the tests
that need no server run in the SQLite pass."""

from __future__ import annotations

import shutil
import socket

import psycopg
import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from antq_desktop.db import engine as engine_module
from antq_desktop.db import errors as db_errors
from antq_desktop.db.engine import (
    _alembic_config,
    current_revision,
    database_url,
    head_revision,
    known_revisions,
    open_database,
)
from antq_desktop.errors import UserError
from antq_desktop.services import demo


def _url(admin_url: str, **parts) -> str:
    return make_url(admin_url).set(**parts).render_as_string(hide_password=False)


def _refusal(url: str) -> str:
    with pytest.raises(UserError) as caught:
        open_database(url)
    return caught.value.message


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ---- what the user typed ------------------------------------------------------------------------


def test_postgres_urls_as_postgresql_tools_write_them_use_the_shipped_driver():
    assert database_url("postgresql://can_bo@may-chu:5432/antq") == "postgresql+psycopg://can_bo@may-chu:5432/antq"
    assert database_url("postgres://can_bo@may-chu/antq") == "postgresql+psycopg://can_bo@may-chu/antq"
    assert database_url("postgresql+psycopg://a@b/c") == "postgresql+psycopg://a@b/c"


@pytest.mark.parametrize("url", ["postgresql+psycopg2://can_bo@127.0.0.1/antq", "mysql://can_bo@127.0.0.1/antq",
                                 "oracle+cx_oracle://a@b/c", "khong-phai-url://x"])
def test_a_database_the_program_has_no_driver_for_is_refused_plainly(url):
    message = _refusal(url)
    assert message.startswith(f'Chương trình không làm việc được với loại cơ sở dữ liệu "{url.split("://")[0]}"')
    assert "postgresql+psycopg://" in message


# ---- a server that cannot be reached or refuses -----------------------------------------------------


def test_a_server_that_does_not_answer_says_to_check_it_and_the_network(postgres_admin_url):
    message = _refusal(_url(postgres_admin_url, port=_free_port(), database="antq"))
    assert message == db_errors.UNREACHABLE_MESSAGE


def test_an_unknown_server_name_says_the_same(postgres_admin_url):
    assert _refusal(_url(postgres_admin_url, host="khong-co-may-chu-nay.invalid")) == db_errors.UNREACHABLE_MESSAGE


def test_a_database_the_server_does_not_have_is_named(postgres_admin_url):
    message = _refusal(_url(postgres_admin_url, database="antq_khong_co_csdl_nay"))
    assert message.startswith('Máy chủ dữ liệu không có cơ sở dữ liệu tên "antq_khong_co_csdl_nay".')


def test_an_unknown_login_is_named(postgres_admin_url):
    message = _refusal(_url(postgres_admin_url, username="antq_khong_co_nguoi_nay", password=None))
    assert message.startswith('Máy chủ dữ liệu không có tài khoản đăng nhập "antq_khong_co_nguoi_nay".')


def test_another_program_on_the_port_is_not_taken_for_a_server(postgres_admin_url):
    """An office types the port of some other service: a program answers, but not PostgreSQL."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]

        def answer_nonsense():
            connection, _ = other.accept()
            with connection:
                connection.recv(100)
                connection.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")

        import threading

        server = threading.Thread(target=answer_nonsense, daemon=True)
        server.start()
        message = _refusal(_url(postgres_admin_url, host="127.0.0.1", port=port))
        server.join(5)
    assert message == db_errors.NOT_POSTGRES_MESSAGE


@pytest.fixture
def password_login(postgres_admin_url):
    """A login role with a password. Whether a wrong password is refused depends on the server's
    pg_hba.conf: .ci/run's server asks this role for its password (scram-sha-256)."""
    role, password = "antq_kiem_thu_mat_khau", "mat-khau-dung-2026"
    with psycopg.connect(_url(postgres_admin_url, drivername="postgresql"), autocommit=True) as admin:
        admin.execute(f"DROP ROLE IF EXISTS {role}")
        admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
    try:
        yield role, password
    finally:
        with psycopg.connect(_url(postgres_admin_url, drivername="postgresql"), autocommit=True) as admin:
            admin.execute(f"DROP ROLE IF EXISTS {role}")


def test_a_wrong_password_says_so(postgres_admin_url, password_login):
    role, password = password_login
    wrong = _url(postgres_admin_url, username=role, password=password + "x")
    try:
        psycopg.connect(_url(wrong, drivername="postgresql")).close()
    except psycopg.OperationalError:
        pass
    else:
        pytest.skip("this server lets every login in without a password (trust in pg_hba.conf); .ci/run's does not")
    message = _refusal(wrong)
    assert message.startswith("Máy chủ dữ liệu từ chối đăng nhập: tên đăng nhập hoặc mật khẩu không đúng.")
    without = _refusal(_url(postgres_admin_url, username=role, password=None))
    assert "cần mật khẩu" in without or "từ chối đăng nhập" in without


def test_a_login_without_rights_on_the_database_is_told_to_ask_for_them(postgres_admin_url, password_login,
                                                                        fresh_postgres_database):
    """PostgreSQL 15 lets only the owner create tables in a new database: a role that is not its
    owner cannot build the program's tables there."""
    role, password = password_login
    message = _refusal(_url(fresh_postgres_database, username=role, password=password))
    assert message.startswith("Chưa nâng cấp được tệp dữ liệu lên phiên bản mới. Tài khoản đăng nhập máy chủ dữ "
                              "liệu không có quyền")


def test_a_connection_lost_mid_work_is_a_plain_message_and_loses_nothing_saved(demo_db, postgres_admin_url):
    from antq_desktop.services import profile

    database = make_url(demo_db.url).database
    with demo_db.transaction() as session:
        profile.set_profile_field(session, "chairman_name", "Lê Văn Đã Lưu", "kiểm thử")
    with pytest.raises(UserError) as caught:
        with demo_db.transaction() as session:
            profile.set_profile_field(session, "chairman_name", "Lê Văn Chưa Lưu", "kiểm thử")
            with psycopg.connect(_url(postgres_admin_url, drivername="postgresql"), autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = %s AND pid <> pg_backend_pid()", (database,))
    assert caught.value.message == db_errors.CONNECTION_LOST_MESSAGE
    with demo_db.transaction() as session:  # the pool lets the dead connection go and takes a new one
        assert profile.require_profile(session).chairman_name == "Lê Văn Đã Lưu"


def test_connections_the_server_dropped_while_idle_are_replaced_unseen(demo_db, postgres_admin_url):
    """The server restarted overnight: the morning's first action works (each pooled connection
    is tried before use)."""
    from antq_desktop.services import profile

    for _ in range(2):
        with demo_db.reading() as session:
            assert profile.require_profile(session).name == "Minh Xuân"
        with psycopg.connect(_url(postgres_admin_url, drivername="postgresql"), autocommit=True) as admin:
            ended = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                  "WHERE datname = %s AND pid <> pg_backend_pid()",
                                  (make_url(demo_db.url).database,)).fetchone()[0]
        assert ended >= 1


# ---- "Thử kết nối" ------------------------------------------------------------------------------------


def test_trying_a_server_says_what_it_holds_and_changes_nothing(fresh_postgres_database):
    from antq_desktop import connection

    assert connection.try_connection(fresh_postgres_database).startswith("Kết nối được. Cơ sở dữ liệu còn trống")
    assert _schema(fresh_postgres_database) == {}
    db = open_database(fresh_postgres_database)
    with db.transaction() as session:
        demo.load_demo(session, "kiểm thử", field_work=False)
    db.close()
    assert connection.try_connection(fresh_postgres_database).endswith("dữ liệu của phường Minh Xuân.")


def test_trying_a_server_that_is_down_gives_the_reason(postgres_admin_url):
    from antq_desktop import connection

    with pytest.raises(UserError) as caught:
        connection.try_connection(_url(postgres_admin_url, port=_free_port()))
    assert caught.value.message == db_errors.UNREACHABLE_MESSAGE


# ---- the schema upgrade is one transaction ----------------------------------------------------------


def _break_last_revision(tmp_path, patch) -> None:
    """The program's migrations with the last revision failing after it did its work."""
    folder = tmp_path / "migrations"
    shutil.copytree(engine_module.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    last = max((folder / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
    last.write_text(last.read_text() + (
        "\n\n_real_upgrade = upgrade\n\n\ndef upgrade() -> None:\n    _real_upgrade()\n"
        "    raise RuntimeError('the revision failed half way')\n"))
    patch.setattr(engine_module, "MIGRATIONS_DIR", folder)
    patch.setattr(engine_module, "VERSIONS_DIR", folder / "versions")


def _schema(url: str) -> dict[str, list[str]]:
    probe = engine_module.make_engine(url)
    try:
        found = inspect(probe)
        return {table: sorted(column["name"] for column in found.get_columns(table))
                for table in found.get_table_names()}
    finally:
        probe.dispose()


def _revision(url: str) -> str | None:
    probe = engine_module.make_engine(url)
    try:
        return current_revision(probe)
    finally:
        probe.dispose()


def _units(url: str) -> int:
    with psycopg.connect(_url(url, drivername="postgresql")) as connection:
        return connection.execute("SELECT count(*) FROM unit").fetchone()[0]


def test_a_failed_first_upgrade_leaves_the_database_empty(fresh_postgres_database, tmp_path, monkeypatch):
    with monkeypatch.context() as broken:
        _break_last_revision(tmp_path, broken)
        message = _refusal(fresh_postgres_database)
    assert message.startswith("Chưa nâng cấp được tệp dữ liệu lên phiên bản mới vì chương trình gặp lỗi")
    assert _schema(fresh_postgres_database) == {}, "the revisions before the failing one are rolled back too"
    open_database(fresh_postgres_database).close()  # the fixed release builds it
    assert _revision(fresh_postgres_database) == head_revision()


def test_an_older_database_is_untouched_by_a_failed_upgrade_and_upgraded_by_a_good_one(
        fresh_postgres_database, tmp_path, monkeypatch):
    previous = known_revisions()[-2]
    db = open_database(fresh_postgres_database)
    with db.transaction() as session:
        demo.load_demo(session, "kiểm thử", field_work=False)
    with db.engine.begin() as connection:  # the database as the previous release left it
        command.downgrade(_alembic_config(connection), previous)
    db.close()
    schema, units = _schema(fresh_postgres_database), _units(fresh_postgres_database)
    assert _revision(fresh_postgres_database) == previous and units > 0

    with monkeypatch.context() as broken:
        _break_last_revision(tmp_path, broken)
        message = _refusal(fresh_postgres_database)
    assert "vẫn giữ nguyên như trước khi nâng cấp" in message
    assert _schema(fresh_postgres_database) == schema
    assert (_revision(fresh_postgres_database), _units(fresh_postgres_database)) == (previous, units)

    db = open_database(fresh_postgres_database)
    try:
        assert current_revision(db.engine) == head_revision()
        with db.reading() as session:
            assert session.scalar(text("SELECT count(*) FROM unit")) == units
    finally:
        db.close()
