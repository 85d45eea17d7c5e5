"""Amounts in words at the edges a budget hits that test_vntext.py does not name: "mười", "lăm",
"mốt" and "linh" in front of a scale word, zero groups inside billions, and the largest total a
budget accepts (below 10^15 đồng)."""

from __future__ import annotations

import pytest

from antq_desktop.domain.vntext import amount_in_words


@pytest.mark.parametrize(("n", "expected"), [
    (10_000, "Mười nghìn đồng"),
    (15_000_000, "Mười lăm triệu đồng"),
    (21_000, "Hai mươi mốt nghìn đồng"),
    (105_000, "Một trăm linh năm nghìn đồng"),
    (48_000_000, "Bốn mươi tám triệu đồng"),
    (2_500_000_000, "Hai tỷ năm trăm triệu đồng"),
    (10_000_000_000, "Mười tỷ đồng"),
    (1_000_000_005, "Một tỷ không trăm linh năm đồng"),
    (1_005_000_000, "Một tỷ không trăm linh năm triệu đồng"),
    (1_000_010_000, "Một tỷ không trăm mười nghìn đồng"),
    (21_015_000_105, "Hai mươi mốt tỷ không trăm mười lăm triệu một trăm linh năm đồng"),
    (999_999_999_999_999, "Chín trăm chín mươi chín nghìn tỷ chín trăm chín mươi chín tỷ chín trăm chín mươi "
                          "chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín đồng"),
])
def test_scale_words_after_the_special_forms(n, expected):
    assert amount_in_words(n) == expected
