"""The import's shortcuts give exactly what the validators give."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from abwab.people.import_lines import clean_date, fast_cin, fast_phone
from abwab.people.validation import clean_cin, clean_phone


def outcome(cleaner, value):
    try:
        return cleaner(value)
    except ValidationError as error:
        return ("error", error.messages)


def shapes(nsn: str) -> list[str]:
    return [
        f"0{nsn}",
        f"+212{nsn}",
        f"00212 {nsn[0]} {nsn[1:3]} {nsn[3:5]} {nsn[5:7]} {nsn[7:]}",
        f"0{nsn[0]}.{nsn[1:3]}.{nsn[3:5]}.{nsn[5:7]}.{nsn[7:]}",
        f"0{nsn[0]}-{nsn[1:3]}-{nsn[3:5]}-{nsn[5:7]}-{nsn[7:]}",
    ]


def test_fast_phone_agrees_with_clean_phone_on_every_four_digit_prefix():
    # Moroccan numbers are told apart by their first digits: every prefix 5000..8999, in
    # every shape the shortcut reads, valid or not.
    for prefix in range(5000, 9000):
        for nsn in (f"{prefix}00000", f"{prefix}73519"):
            for value in shapes(nsn):
                assert outcome(fast_phone, value) == outcome(clean_phone, value), value


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "0661000001",
        " 06 61 00 00 01 ",
        "+212661000001",
        "212661000001",
        "+2120661000001",
        "(0)661000001",
        "0661",
        "06610000011",
        "0961000001",
        "+33612345678",
        "٠٦٦١٠٠٠٠٠١",
        "phone",
        "0528812345",
        "0800123456",
    ],
)
def test_fast_phone_agrees_with_clean_phone_on_other_shapes(value):
    assert outcome(fast_phone, value) == outcome(clean_phone, value)


@pytest.mark.parametrize(
    "value", ["", " ", "AB123456", "ab 123456", "A-12", "AB123456\n", "ABC1", "12345", "A12345678"]
)
def test_fast_cin_agrees_with_clean_cin(value):
    assert outcome(fast_cin, value) == outcome(clean_cin, value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", None),
        ("  ", None),
        ("1990-05-12", datetime.date(1990, 5, 12)),
        (" 1990-05-12 ", datetime.date(1990, 5, 12)),
        ("1990-5-2", datetime.date(1990, 5, 2)),
        ("12/05/1990", datetime.date(1990, 5, 12)),
        ("12-05-1990", datetime.date(1990, 5, 12)),
    ],
)
def test_dates_are_read_as_before(value, expected):
    assert clean_date(value) == expected
    assert clean_date(value) == expected  # the second time from memory


@pytest.mark.parametrize(
    "value", ["1990-02-31", "19900512", "1990/05/12", "12.05.1990", "١٩٩٠-٠٥-١٢", "x"]
)
def test_unreadable_dates_say_so(value):
    with pytest.raises(ValidationError) as error:
        clean_date(value)
    assert error.value.messages == [f"unreadable date {value!r}"]
