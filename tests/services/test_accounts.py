"""Accounts: the password hash, signing in and the five-minute lock (on a fake clock), the
password rules, and the administrator who can never be the last one removed."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from antq_desktop import identity
from antq_desktop.db.models import AppUser
from antq_desktop.domain.roles import Role
from antq_desktop.errors import UserError
from antq_desktop.services import accounts

ADMIN, ADMIN_PASSWORD = "quantri", "Mật khẩu quản trị 1"
OFFICER, OFFICER_PASSWORD = "tuan.nv", "canbo-2026!"
T0 = datetime(2026, 12, 1, 8, 0, 0)


@pytest.fixture(autouse=True)
def nobody_signed_in():
    """Who is signed in belongs to the process: every test starts and ends with nobody."""
    identity.sign_out()
    yield
    identity.sign_out()


@pytest.fixture
def fast_hashing(monkeypatch):
    """Cheaper scrypt for the tests that are not about the hash (the parameters travel with it)."""
    monkeypatch.setattr(accounts, "SCRYPT_N", 2**10)


@pytest.fixture
def office(empty_db, fast_hashing):
    """A database with its administrator (signed in) and one cán bộ."""
    with empty_db.transaction() as session:
        accounts.create_first_admin(session, ADMIN, "Nguyễn Văn Quản", ADMIN_PASSWORD)
    accounts.sign_in_and_remember(empty_db, ADMIN, ADMIN_PASSWORD)
    with empty_db.transaction() as session:
        accounts.add_user(session, OFFICER, "Nguyễn Văn Tuấn", Role.CAN_BO, OFFICER_PASSWORD, ADMIN)
    return empty_db


def _user(db, username: str) -> SimpleNamespace:
    """The account's row as the file holds it."""
    with db.reading() as session:
        return SimpleNamespace(**session.execute(
            select(AppUser.__table__).where(AppUser.username == username)).mappings().one())


def _refused(db, username: str, password: str, now: datetime) -> str:
    before = identity.signed_in()
    with pytest.raises(UserError) as refused:
        accounts.sign_in_and_remember(db, username, password, now)
    assert identity.signed_in() == before  # a refused sign-in changes nobody's session
    return refused.value.message


# ---- the hash ----------------------------------------------------------------------------------

def test_a_password_is_hashed_with_a_random_salt_and_its_parameters():
    first, second = accounts.hash_password("mật khẩu 123"), accounts.hash_password("mật khẩu 123")
    assert first != second  # a new salt each time
    scheme, n, r, p, salt, key = first.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(2**14), "8", "1")
    assert salt != second.split("$")[4]
    assert "mật khẩu" not in first
    assert accounts.verify_password("mật khẩu 123", first) and accounts.verify_password("mật khẩu 123", second)
    assert not accounts.verify_password("mật khẩu 124", first)
    assert not accounts.verify_password("", first)


def test_the_same_word_typed_composed_or_decomposed_is_one_password(fast_hashing):
    composed = "Trường học 2026"
    stored = accounts.hash_password(unicodedata.normalize("NFD", composed))
    assert accounts.verify_password(unicodedata.normalize("NFC", composed), stored)


@pytest.mark.parametrize("stored", ["", "plain text", "scrypt$16384$8$1$abc", "md5$1$1$1$AAAA$AAAA",
                                    "scrypt$99999999$8$1$AAAA$AAAA", "scrypt$16384$8$1$!!!$AAAA"])
def test_a_damaged_hash_never_lets_anyone_in(stored):
    assert not accounts.verify_password("anything at all", stored)


def test_the_hash_keeps_its_own_parameters(fast_hashing, monkeypatch):
    """A hash made with other parameters still verifies: they are read from it, not assumed."""
    stored = accounts.hash_password("mật khẩu cũ 1")
    assert stored.split("$")[1] == str(2**10)
    monkeypatch.setattr(accounts, "SCRYPT_N", 2**14)
    assert accounts.verify_password("mật khẩu cũ 1", stored)


# ---- the first administrator and new accounts ------------------------------------------------

def test_the_first_administrator_is_created_once(empty_db, fast_hashing):
    with empty_db.transaction() as session:
        assert not accounts.has_accounts(session)
        row = accounts.create_first_admin(session, " quantri ", " Nguyễn  Văn Quản ", ADMIN_PASSWORD)
    assert (row.username, row.full_name, row.role, row.active) == ("quantri", "Nguyễn Văn Quản", Role.QUAN_TRI, True)
    stored = _user(empty_db, "quantri").password_hash
    assert stored.startswith("scrypt$") and ADMIN_PASSWORD not in stored
    with pytest.raises(UserError, match="đã có tài khoản quản trị"), empty_db.transaction() as session:
        accounts.create_first_admin(session, "quantri2", "", ADMIN_PASSWORD)
    with empty_db.reading() as session:
        assert [user.username for user in accounts.list_users(session)] == ["quantri"]


def test_only_a_signed_in_administrator_adds_accounts(office):
    identity.sign_out()
    with pytest.raises(UserError, match="Chỉ tài khoản quản trị"), office.transaction() as session:
        accounts.add_user(session, "nguoimoi", "", Role.CAN_BO, "mat-khau-moi", OFFICER)
    accounts.sign_in_and_remember(office, OFFICER, OFFICER_PASSWORD)
    with pytest.raises(UserError, match="Chỉ tài khoản quản trị"), office.transaction() as session:
        accounts.add_user(session, "nguoimoi", "", Role.CAN_BO, "mat-khau-moi", OFFICER)
    with office.reading() as session:
        assert [user.username for user in accounts.list_users(session)] == [ADMIN, OFFICER]


def test_add_user_on_a_file_without_accounts_asks_for_the_first_administrator(empty_db):
    with pytest.raises(UserError, match="tài khoản quản trị đầu tiên"), empty_db.transaction() as session:
        accounts.add_user(session, "tuan", "", Role.CAN_BO, "mat-khau-moi", "ai đó")


def test_user_names_are_one_whatever_the_case_and_tones(office):
    with pytest.raises(UserError, match="trùng với tài khoản “tuan.nv”"), office.transaction() as session:
        accounts.add_user(session, "Tuấn.NV", "", Role.CHI_XEM, "mat-khau-moi", ADMIN)
    accounts.sign_in_and_remember(office, "TUAN.NV", OFFICER_PASSWORD)  # signs in the same account
    assert identity.signed_in().username == OFFICER


@pytest.mark.parametrize("username, message", [("", "Hãy nhập tên đăng nhập"), ("tuan nv", "không có dấu cách"),
                                               ("tuan/nv", "chỉ gồm chữ cái"), ("a" * 51, "dài quá 50")])
def test_user_name_rules(office, username, message):
    with pytest.raises(UserError, match=message), office.transaction() as session:
        accounts.add_user(session, username, "", Role.CAN_BO, "mat-khau-moi", ADMIN)


def test_accounts_are_listed_in_vietnamese_order(office):
    with office.transaction() as session:
        for name in ("Đức", "an", "duong"):
            accounts.add_user(session, name, "", Role.CHI_XEM, "mat-khau-moi", ADMIN)
    with office.reading() as session:
        assert [user.username for user in accounts.list_users(session)] == ["an", "duong", "Đức", ADMIN, OFFICER]


# ---- password rules ----------------------------------------------------------------------------

@pytest.mark.parametrize("username, password, message", [
    ("nguyenvana", "", "không được để trống"),
    ("nguyenvana", "          ", "chỉ gồm dấu cách"),
    ("nguyenvana", "1234567", "ít nhất 8 ký tự"),
    ("nguyenvana", "Nguyễn7", "ít nhất 8 ký tự"),
    ("nguyenvana", "nguyenvana", "trùng với tên đăng nhập"),
    ("nguyen.van.a", "NGUYỄN.VĂN.A", "trùng với tên đăng nhập"),
    ("nguyenvana", "x" * 201, "dài quá 200"),
])
def test_password_rules(office, username, password, message):
    with pytest.raises(UserError, match=message), office.transaction() as session:
        accounts.add_user(session, username, "", Role.CAN_BO, password, ADMIN)
    with office.reading() as session:
        assert len(accounts.list_users(session)) == 2


def test_eight_characters_with_spaces_inside_are_a_good_password(office):
    with office.transaction() as session:
        accounts.add_user(session, "lan", "", Role.CAN_BO, "tổ số 3!", ADMIN)
    identity.sign_out()
    assert accounts.sign_in_and_remember(office, "lan", "tổ số 3!").role is Role.CAN_BO


# ---- signing in and the lock ------------------------------------------------------------------

def test_sign_in_returns_who_and_stamps_the_last_sign_in(office):
    identity.sign_out()
    with office.transaction() as session:
        who = accounts.sign_in(session, OFFICER, OFFICER_PASSWORD, T0)
    assert (who.username, who.role) == (OFFICER, Role.CAN_BO)
    assert identity.signed_in() is None  # the caller signs in, after the commit
    assert _user(office, OFFICER).last_sign_in == T0
    assert accounts.sign_in_and_remember(office, OFFICER, OFFICER_PASSWORD, T0) == who
    assert identity.signed_in() == who and identity.current_actor() == OFFICER


def test_a_wrong_name_or_password_does_not_say_which(office):
    unknown = _refused(office, "khongco", OFFICER_PASSWORD, T0)
    wrong = _refused(office, OFFICER, "mat khau sai", T0)
    assert unknown == wrong == accounts.WRONG_CREDENTIALS
    assert "5 lần liên tiếp" in wrong and "5 phút" in wrong


def test_five_wrong_passwords_lock_the_account_for_five_minutes(office):
    """Each failure is counted although the sign-in's transaction is refused; the fifth locks
    the account; the right password is refused until five minutes have passed, then works."""
    identity.sign_out()
    for attempt in range(1, 5):
        assert _refused(office, OFFICER, f"sai lần {attempt}", T0 + timedelta(seconds=attempt)) == \
            accounts.WRONG_CREDENTIALS
        assert _user(office, OFFICER).failed_attempts == attempt
    fifth = _refused(office, OFFICER, "sai lần 5", T0 + timedelta(seconds=5))
    assert "sai mật khẩu 5 lần liên tiếp" in fifth and "đến 08:05" in fifth
    locked_until = T0 + timedelta(seconds=5) + accounts.LOCK_DURATION
    assert _user(office, OFFICER).locked_until == locked_until
    for moment in (T0 + timedelta(seconds=6), T0 + timedelta(minutes=3), locked_until - timedelta(seconds=1)):
        assert "đang bị tạm khoá" in _refused(office, OFFICER, OFFICER_PASSWORD, moment)
    assert "thử lại sau 08:05" in _refused(office, OFFICER, OFFICER_PASSWORD, locked_until - timedelta(seconds=1))
    who = accounts.sign_in_and_remember(office, OFFICER, OFFICER_PASSWORD, locked_until)
    assert who.username == OFFICER
    user = _user(office, OFFICER)
    assert (user.failed_attempts, user.locked_until, user.last_sign_in) == (0, None, locked_until)


def test_a_good_sign_in_starts_the_count_again(office):
    for attempt in range(4):
        _refused(office, OFFICER, "sai", T0)
    accounts.sign_in_and_remember(office, OFFICER, OFFICER_PASSWORD, T0)
    for attempt in range(4):
        assert _refused(office, OFFICER, "sai", T0) == accounts.WRONG_CREDENTIALS  # not locked yet
    assert _user(office, OFFICER).locked_until is None and _user(office, OFFICER).failed_attempts == 4


def test_the_administrator_lifts_a_lock_with_a_new_password(office):
    for _ in range(5):
        _refused(office, OFFICER, "sai", T0)
    accounts.sign_in_and_remember(office, ADMIN, ADMIN_PASSWORD, T0)
    with office.transaction() as session:
        accounts.reset_password(session, _user(office, OFFICER).id, "mat-khau-moi-2", ADMIN)
    assert accounts.sign_in_and_remember(office, OFFICER, "mat-khau-moi-2", T0).username == OFFICER


def test_a_stopped_account_cannot_sign_in(office):
    with office.transaction() as session:
        accounts.set_active(session, _user(office, OFFICER).id, False, ADMIN)
    assert "đã ngừng sử dụng" in _refused(office, OFFICER, OFFICER_PASSWORD, T0)
    assert _refused(office, OFFICER, "sai", T0).startswith(accounts.WRONG_CREDENTIALS)  # says nothing more
    accounts.sign_in_and_remember(office, ADMIN, ADMIN_PASSWORD, T0)
    with office.transaction() as session:
        accounts.set_active(session, _user(office, OFFICER).id, True, ADMIN)
    assert accounts.sign_in_and_remember(office, OFFICER, OFFICER_PASSWORD, T0).username == OFFICER


# ---- changing passwords and roles --------------------------------------------------------------

def test_an_officer_changes_their_own_password(office):
    officer_id = _user(office, OFFICER).id
    accounts.sign_in_and_remember(office, OFFICER, OFFICER_PASSWORD)
    with pytest.raises(UserError, match="Mật khẩu hiện tại không đúng"), office.transaction() as session:
        accounts.change_password(session, officer_id, "sai", "mat-khau-moi-3")
    with pytest.raises(UserError, match="phải khác"), office.transaction() as session:
        accounts.change_password(session, officer_id, OFFICER_PASSWORD, OFFICER_PASSWORD)
    with pytest.raises(UserError, match="ít nhất 8"), office.transaction() as session:
        accounts.change_password(session, officer_id, OFFICER_PASSWORD, "ngắn")
    with office.transaction() as session:
        accounts.change_password(session, officer_id, OFFICER_PASSWORD, "mat-khau-moi-3")
    identity.sign_out()
    assert _refused(office, OFFICER, OFFICER_PASSWORD, T0).startswith(accounts.WRONG_CREDENTIALS)
    assert accounts.sign_in_and_remember(office, OFFICER, "mat-khau-moi-3").username == OFFICER


def test_nobody_changes_someone_elses_password_with_change_password(office):
    admin_id = _user(office, ADMIN).id
    with pytest.raises(UserError, match="của chính mình"), office.transaction() as session:
        accounts.change_password(session, _user(office, OFFICER).id, OFFICER_PASSWORD, "mat-khau-moi-4")
    identity.sign_out()
    with pytest.raises(UserError, match="của chính mình"), office.transaction() as session:
        accounts.change_password(session, admin_id, ADMIN_PASSWORD, "mat-khau-moi-4")


def test_only_the_administrator_changes_roles_and_resets_passwords(office):
    officer_id, admin_id = _user(office, OFFICER).id, _user(office, ADMIN).id
    accounts.sign_in_and_remember(office, OFFICER, OFFICER_PASSWORD)
    for action in (lambda s: accounts.set_role(s, officer_id, Role.QUAN_TRI, OFFICER),
                   lambda s: accounts.set_active(s, admin_id, False, OFFICER),
                   lambda s: accounts.reset_password(s, admin_id, "mat-khau-moi-5", OFFICER)):
        with pytest.raises(UserError, match="Chỉ tài khoản quản trị"), office.transaction() as session:
            action(session)
    assert _user(office, OFFICER).role == Role.CAN_BO.value


def test_the_last_active_administrator_is_never_demoted_or_stopped(office):
    admin_id, officer_id = _user(office, ADMIN).id, _user(office, OFFICER).id
    with pytest.raises(UserError, match="quản trị duy nhất"), office.transaction() as session:
        accounts.set_role(session, admin_id, Role.CAN_BO, ADMIN)
    with pytest.raises(UserError, match="quản trị duy nhất"), office.transaction() as session:
        accounts.set_active(session, admin_id, False, ADMIN)
    with office.transaction() as session:
        promoted = accounts.set_role(session, officer_id, Role.QUAN_TRI, ADMIN)
    assert promoted.role is Role.QUAN_TRI
    with office.transaction() as session:  # now there is another administrator
        assert accounts.set_role(session, admin_id, Role.CHI_XEM, ADMIN).role is Role.CHI_XEM
    accounts.sign_in_and_remember(office, OFFICER, OFFICER_PASSWORD)
    with pytest.raises(UserError, match="quản trị duy nhất"), office.transaction() as session:
        accounts.set_active(session, officer_id, False, OFFICER)


def test_a_stopped_administrator_does_not_count_as_the_one_left(office):
    officer_id, admin_id = _user(office, OFFICER).id, _user(office, ADMIN).id
    with office.transaction() as session:
        accounts.set_role(session, officer_id, Role.QUAN_TRI, ADMIN)
        accounts.set_active(session, officer_id, False, ADMIN)
    with pytest.raises(UserError, match="quản trị duy nhất"), office.transaction() as session:
        accounts.set_role(session, admin_id, Role.CAN_BO, ADMIN)


def test_a_role_change_on_a_stale_row_is_refused(office):
    officer = _user(office, OFFICER)
    with office.transaction() as session:
        accounts.set_role(session, officer.id, Role.CHI_XEM, ADMIN, expected_version=officer.version)
    with pytest.raises(UserError, match="vừa được người khác sửa"), office.transaction() as session:
        accounts.set_role(session, officer.id, Role.QUAN_TRI, ADMIN, expected_version=officer.version)
    assert _user(office, OFFICER).role == Role.CHI_XEM.value


def test_an_administrator_demoted_meanwhile_loses_the_rights_at_once(office):
    """The rights come from the file as it is now, not from the role at sign-in."""
    officer_id, admin_id = _user(office, OFFICER).id, _user(office, ADMIN).id
    with office.transaction() as session:
        accounts.set_role(session, officer_id, Role.QUAN_TRI, ADMIN)
    accounts.sign_in_and_remember(office, OFFICER, OFFICER_PASSWORD)
    with office.transaction() as session:
        accounts.set_role(session, admin_id, Role.CAN_BO, OFFICER)
    identity.sign_in_as(identity.SignedIn(admin_id, ADMIN, Role.QUAN_TRI))  # a window signed in before
    with pytest.raises(UserError, match="Chỉ tài khoản quản trị"), office.transaction() as session:
        accounts.reset_password(session, officer_id, "mat-khau-moi-6", ADMIN)
