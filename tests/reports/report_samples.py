"""Realistic sample data: phường Minh Xuân, tỉnh Tuyên Quang (DOCUMENTS.md §2.2, §2.4)."""

from __future__ import annotations

from datetime import date

from antq_desktop.reports.data import (
    Certificate,
    Issuer,
    ListedUnit,
    RecognitionDecision,
    Signer,
)

ISSUER = Issuer(parent=None, name="ỦY BAN NHÂN DÂN\nPHƯỜNG MINH XUÂN", place="Minh Xuân")
POLICE = Issuer(parent="CÔNG AN TỈNH TUYÊN QUANG", name="CÔNG AN PHƯỜNG MINH XUÂN", place="Minh Xuân")
CHAIRMAN = Signer(authority=None, title="CHỦ TỊCH", name="Hoàng Văn Thắng")
AUTHORITY = "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG MINH XUÂN"
STANDARD = "“An toàn về an ninh, trật tự”"
LONG_NAME = ("Chi nhánh Công ty Trách nhiệm hữu hạn Một thành viên Thủy điện và Khai thác khoáng sản "
             "Tuyên Quang tại phường Minh Xuân")  # about 120 characters

BASES = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
    "Căn cứ Thông tư số 124/2021/TT-BCA ngày 28 tháng 12 năm 2021 của Bộ trưởng Bộ Công an quy định "
    f"khu dân cư, xã, phường, thị trấn, cơ quan, doanh nghiệp, cơ sở giáo dục đạt tiêu chuẩn {STANDARD};",
    "Căn cứ Thông tư số 48/2025/TT-BCA của Bộ trưởng Bộ Công an sửa đổi, bổ sung một số điều của "
    "Thông tư số 09/2024/TT-BCA và Thông tư số 124/2021/TT-BCA;",
    "Căn cứ Kế hoạch số 15/KH-UBND ngày 20 tháng 02 năm 2026 của Ủy ban nhân dân phường Minh Xuân về "
    "thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2026;",
    "Xét đề nghị của Trưởng Công an phường Minh Xuân tại Tờ trình số 32/TTr-CAP ngày 10 tháng 11 năm 2026.",
)

_KINDS = (
    ("Khu dân cư", ("Tổ dân phố {n}", "Tổ dân phố Tân Hà {n}", "Tổ dân phố Đồng Tâm {n}")),
    ("Cơ quan", ("Trạm Y tế phường Minh Xuân", "Kho bạc Nhà nước khu vực {n}", "Ban Chỉ huy Quân sự phường")),
    ("Doanh nghiệp", ("Công ty Cổ phần Xi măng Tân Quang", "Công ty TNHH Thương mại Hưng Thịnh {n}", LONG_NAME)),
    ("Cơ sở giáo dục", ("Trường THCS Minh Xuân", "Trường Tiểu học Ỷ La {n}", "Trường Mầm non Hoa Hồng {n}")),
)


def units(count: int) -> tuple[ListedUnit, ...]:
    """``count`` units grouped by kind: half khu dân cư, the rest shared by the other kinds."""
    shares = [count - 3 * (count // 6), count // 6, count // 6, count // 6]
    result = []
    n = 0
    for (kind, patterns), share in zip(_KINDS, shares):
        for i in range(share):
            n += 1
            pattern = patterns[i % len(patterns)]
            # Every name distinct: a running number in the pattern, or after a repeated one.
            name = pattern.format(n=n) if "{n}" in pattern else pattern if i < len(patterns) else f"{pattern} ({n})"
            result.append(ListedUnit(name=name, kind_label=kind, address=f"Tổ {n % 40 + 1}, phường Minh Xuân",
                                     note="Đạt lần đầu" if n % 7 == 0 else ""))
    return tuple(result)


def decision(count: int = 40, *, number: str = "125", issued_on: date | None = date(2026, 1, 5)) -> RecognitionDecision:
    return RecognitionDecision(
        issuer=ISSUER, number=number, symbol="QĐ-UBND", issued_on=issued_on, year=2026,
        subject=("Về việc công nhận khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục đạt tiêu chuẩn "
                 f"{STANDARD} năm 2026"),
        deciding_authority=AUTHORITY, bases=BASES,
        articles=(
            f"Công nhận {count} khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục trên địa bàn phường đạt "
            f"tiêu chuẩn {STANDARD} năm 2026 (có danh sách kèm theo).",
            "Quyết định này có hiệu lực kể từ ngày ký. Các khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục "
            "có tên tại Điều 1 được cấp Giấy công nhận.",
            "Văn phòng HĐND và UBND phường, Trưởng Công an phường, Trưởng các khu dân cư, thủ trưởng các cơ "
            "quan, đơn vị có tên tại Điều 1 và các cá nhân có liên quan chịu trách nhiệm thi hành Quyết định "
            "này./.",
        ),
        units=units(count),
        recipients=("- Như Điều 3;", "- Công an tỉnh Tuyên Quang (để b/c);", "- Đảng ủy, HĐND phường (để b/c);",
                    "- Lưu: VT, CA."),
        signer=CHAIRMAN,
    )


def certificate(unit_name: str, *, issued_on: date | None = date(2026, 11, 18),
                register_number: str = "") -> Certificate:
    return Certificate(
        issuer=ISSUER, deciding_authority=AUTHORITY, unit_name=unit_name,
        achievement=f"Đạt tiêu chuẩn {STANDARD} năm 2026",
        decision_ref="(Quyết định số 125/QĐ-UBND ngày 18 tháng 11 năm 2026 của Chủ tịch UBND phường Minh Xuân)",
        issued_on=issued_on, signer=CHAIRMAN, register_number=register_number,
    )
