"""The typing model of CINs and phones: one error of each kind is distance 1, and its blocks meet."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from abwab.names.identifiers import (
    cin_distance,
    cin_variants,
    deletion_neighbourhood,
    digit_halves,
    phone_distance,
    phone_variants,
    read_cin,
    read_phone,
    sorted_digits,
    typing_distance,
)

CIN = "AB123456"
# One typing error of each kind the issue names, on AB123456.
CIN_ONE_ERROR = {
    "two digits swapped": "AB124356",
    "a digit dropped": "AB12356",
    "a digit doubled": "AB1233456",
    "a digit added": "AB1293456",
    "a digit replaced": "AB128456",
    "prefix swapped": "BA123456",
    "prefix letter dropped": "B123456",
    "prefix letter added": "AKB123456",
    "prefix letter replaced": "AD123456",
}
# Writings of the same CIN: distance 0.
CIN_SAME_READING = [
    "ab123456",
    " AB 123 456 ",
    "AB-123-456",
    "AB1234S6",
    "AB12345b",
    "AB12345G",
    "ＡＢ１２３４５６",
    "AB١٢٣٤٥٦",
    "AB l23456",
    "AB I23456",
]


@pytest.mark.parametrize("kind", sorted(CIN_ONE_ERROR))
def test_one_typing_error_of_each_kind_is_distance_one(kind):
    typed = CIN_ONE_ERROR[kind]
    assert cin_distance(CIN, typed) == 1
    assert cin_distance(typed, CIN) == 1


@pytest.mark.parametrize("typed", CIN_SAME_READING)
def test_case_spaces_dashes_widths_scripts_and_look_alikes_are_the_same_reading(typed):
    assert read_cin(typed) == CIN
    assert cin_distance(typed, CIN) == 0


def test_look_alike_letters_in_the_digits_are_read_as_digits():
    assert read_cin("AB12O4S6") == "AB120456"
    assert read_cin("AB1Z3G56") == "AB123656"
    assert read_cin("al 1B2345") == "AL182345"
    assert read_cin("8E123456") == "BE123456"  # a prefix letter read as a digit


def test_two_errors_and_other_cards():
    assert cin_distance(CIN, "AB214356") == 2
    assert cin_distance(CIN, "BA123465") == 2
    assert cin_distance(CIN, "CD654321") == 3
    assert cin_distance(CIN, "") == 3
    assert typing_distance("", "") == 3


def test_phones():
    assert read_phone("+212 6 61-23.45.67") == "0661234567"
    assert read_phone("00212661234567") == "0661234567"
    assert read_phone("212661234567") == "0661234567"
    assert read_phone("066l23456O") == "0661234560"
    assert phone_distance("0661234567", "06 61 23 45 67") == 0
    assert phone_distance("0661234567", "0661234576") == 1  # swapped
    assert phone_distance("0661234567", "066123456") == 1  # dropped
    assert phone_distance("0661234567", "06612344567") == 1  # doubled
    assert phone_distance("0661234567", "0661234568") == 1  # replaced
    assert phone_distance("0661234567", "0662134576") == 2
    assert phone_distance("0661234567", "0522987654") == 3


@pytest.mark.parametrize("kind", sorted(CIN_ONE_ERROR))
def test_one_error_is_among_the_variants_of_the_lookup(kind):
    # The door types a CIN one error off; the stored one (well formed) is among its variants.
    assert CIN in cin_variants(CIN_ONE_ERROR[kind])


def test_variants_are_well_formed_and_exclude_the_reading():
    variants = cin_variants("ab 123456")
    assert "AB123456" not in variants
    assert all(v[:1].isalpha() and v[-1].isdigit() for v in variants)
    assert len(variants) == len(set(variants))
    assert phone_variants("066123456") == sorted(
        v for v in phone_variants("066123456") if len(v) == 10
    )
    assert "0661234567" in phone_variants("066123456")
    assert "0661234567" in phone_variants("0661234576")


def test_blocking_keys():
    assert sorted_digits("AB124356") == sorted_digits("BA123456") == "123456"
    assert digit_halves("AB123456") == ("123", "456")
    assert digit_halves("AB12356")[1] == "356" and digit_halves("AB124356")[0] == "124"


readings = st.from_regex(r"[A-Z]{1,2}[0-9]{4,7}", fullmatch=True)


@given(readings, st.data())
def test_every_single_error_shares_a_deletion_key_and_is_distance_one(reading, data):
    position = data.draw(st.integers(0, len(reading) - 1))
    kind = data.draw(st.sampled_from(["drop", "add", "replace", "swap"]))
    char = data.draw(st.sampled_from("0123456789"))
    if kind == "drop":
        typed = reading[:position] + reading[position + 1 :]
    elif kind == "add":
        typed = reading[:position] + char + reading[position:]
    elif kind == "replace":
        typed = reading[:position] + char + reading[position + 1 :]
    else:
        position = min(position, len(reading) - 2)
        typed = (
            reading[:position] + reading[position + 1] + reading[position] + reading[position + 2 :]
        )
    if typed == reading:
        return
    assert typing_distance(reading, typed) == 1
    assert deletion_neighbourhood(reading) & deletion_neighbourhood(typed)


@given(st.text(max_size=20), st.text(max_size=20))
def test_distance_is_symmetric_and_bounded(a, b):
    assert cin_distance(a, b) == cin_distance(b, a) in (0, 1, 2, 3)
    assert phone_distance(a, b) == phone_distance(b, a) in (0, 1, 2, 3)
