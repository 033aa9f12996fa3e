"""Properties of the keys the duplicate checks compare: a CIN or a phone typed any way a person
would (other case, spaces, dashes, full-width or Arabic-Indic digits, another prefix) is one key or
refused, never a second key; the import's shortcuts give the same answers as the validators."""

import re

from django.core.exceptions import ValidationError
from hypothesis import assume, example, given
from hypothesis import strategies as st

from abwab.people.import_lines import fast_cin, fast_phone
from abwab.people.validation import clean_cin, clean_phone

ASCII_DIGITS = "0123456789"
ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"  # U+0660…: what an Arabic keyboard types
EASTERN_ARABIC = "۰۱۲۳۴۵۶۷۸۹"  # U+06F0…: the Persian forms, on some phones
FULL_WIDTH_DIGITS = "０１２３４５６７８９"


def digits_in(script: str, text: str) -> str:
    return text.translate(str.maketrans(ASCII_DIGITS, script))


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def outcome(function, value):
    """What a cleaner answers: the key, or the code of its refusal."""
    try:
        return function(value)
    except ValidationError as error:
        return ("refused", error.code)


# CIN ----------------------------------------------------------------------------------------------

cins = st.builds(
    lambda letters, number: letters + number,
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=2),
    st.text(alphabet=ASCII_DIGITS, min_size=1, max_size=7),
)
separators = st.sampled_from([" ", "-", "  ", " - ", "\u00a0", "\t"])


@given(cins)
def test_a_cin_key_is_canonical_and_its_own_key(cin):
    key = clean_cin(cin)
    assert key == cin and re.fullmatch(r"[A-Z]{1,2}[0-9]{1,7}", key)
    assert clean_cin(key) == key


@given(cins)
def test_a_cin_ignores_case(cin):
    assert clean_cin(cin.lower()) == clean_cin(cin.swapcase()) == clean_cin(cin)


@given(cins, separators, st.integers(min_value=0, max_value=9))
def test_a_cin_ignores_spaces_and_dashes(cin, separator, at):
    at = min(at, len(cin))
    assert clean_cin(f" {cin[:at]}{separator}{cin[at:]} ") == clean_cin(cin)


@given(cins)
def test_a_cin_typed_full_width_is_the_same_cin(cin):
    assert clean_cin(full_width(cin)) == clean_cin(full_width(cin.lower())) == clean_cin(cin)


@given(cins, st.sampled_from([ARABIC_INDIC, EASTERN_ARABIC, FULL_WIDTH_DIGITS]))
def test_a_cin_typed_with_arabic_digits_is_the_same_cin(cin, script):
    assert clean_cin(digits_in(script, cin)) == clean_cin(cin)


@given(st.text(max_size=20))
@example("АВ123456")  # Cyrillic А and В: refused, not a key of its own
@example("ab١٢٣")
def test_any_text_is_a_canonical_cin_or_refused(value):
    result = outcome(clean_cin, value)
    if isinstance(result, str):
        assert re.fullmatch(r"[A-Z]{1,2}[0-9]{1,7}", result)
        assert clean_cin(result) == result
    else:
        assert result is None or result == ("refused", "invalid_cin")


@given(st.text(max_size=20))
@example("ＡＢ１２３")
def test_the_imports_cin_shortcut_answers_as_the_validator(value):
    assert outcome(fast_cin, value) == outcome(clean_cin, value)


# Phones -------------------------------------------------------------------------------------------

national = st.builds(
    lambda first, rest: "0" + first + rest,
    st.sampled_from("5678"),
    st.text(alphabet=ASCII_DIGITS, min_size=8, max_size=8),
)


def valid(number: str) -> str:
    """The key of a number phonenumbers knows; other draws are skipped."""
    result = outcome(clean_phone, number)
    assume(isinstance(result, str))
    return result


@given(national)
def test_a_phone_key_is_e164_and_its_own_key(number):
    key = valid(number)
    assert re.fullmatch(r"\+212[5-8][0-9]{8}", key)
    assert clean_phone(key) == key


@given(national, st.sampled_from(["+212", "00212", "+212 ", "00 212 "]))
def test_a_phone_ignores_its_prefix(number, prefix):
    key = valid(number)
    assert clean_phone(prefix + number[1:]) == key


@given(national, st.sampled_from([" ", ".", "-", " - "]))
def test_a_phone_ignores_separators(number, separator):
    key = valid(number)
    pairs = separator.join(number[i : i + 2] for i in range(0, 10, 2))
    assert clean_phone(pairs) == key


@given(national, st.sampled_from([ARABIC_INDIC, EASTERN_ARABIC, FULL_WIDTH_DIGITS]))
def test_a_phone_typed_with_other_digits_is_the_same_phone(number, script):
    key = valid(number)
    assert clean_phone(digits_in(script, number)) == key


@given(st.one_of(national, st.text(alphabet=ASCII_DIGITS + " +.-()", max_size=18), st.text()))
@example("06.12.34.56.78")
@example("+212 612345678")
def test_the_imports_phone_shortcut_answers_as_the_validator(value):
    assert outcome(fast_phone, value) == outcome(clean_phone, value)


@given(st.one_of(cins, st.text(max_size=14)))
@example("ab-123 456")
@example("ＡＢ１２３")
@example("ab١٢٣")
def test_the_dedupe_files_cin_code_follows_the_validator(value):
    from abwab.people.dedupe_file import cin_code, cin_text

    result = outcome(clean_cin, value)
    expected = result if isinstance(result, str) else ""
    assert cin_text(cin_code(value)) == expected


@given(st.one_of(national, st.text(alphabet=ASCII_DIGITS + " +.-/()", max_size=18), st.text()))
@example("06/12/34/56/78")
@example("(0)612345678")
def test_the_dedupe_files_phone_code_follows_the_validator(value):
    from abwab.people.dedupe_file import PhoneCleaner

    result = outcome(clean_phone, value)
    expected = int(result[1:]) if isinstance(result, str) and result else 0
    assert PhoneCleaner()(value) == expected
