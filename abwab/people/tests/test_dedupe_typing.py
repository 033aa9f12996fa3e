"""The file deduplicator forgives real typing: each error class of a CIN, a phone and a name."""

import pytest

from abwab.people import dedupe_file

# Strangers, so that the names weigh what they would in a file (none is a namesake of Hajar).
FILLER = [
    ("Youssef", "Tazi", "1971-01-03", "C111222", "0661000001", "03.061.01.01"),
    ("Khadija", "Bennani", "1985-06-12", "D222333", "0661000002", "06.141.01.0"),
    ("Karim", "Idrissi", "1990-09-09", "E333444", "0661000003", "04.281.01.01"),
    ("Fatima", "Chraibi", "1966-02-14", "F444555", "", "01.511.01.0"),
    ("سعيد", "الفاسي", "1979-12-01", "G555666", "", "09.001.01.01"),
    ("Nadia", "Berrada", "1983-03-03", "H666777", "0661000006", "06.141.01.0"),
    ("Hamid", "Ouazzani", "1958-08-08", "J777888", "", "03.061.01.01"),
    ("Salma", "Kettani", "2001-04-04", "K888999", "0661000008", "04.281.01.01"),
    ("Omar", "Benjelloun", "1995-05-05", "L999000", "", "01.511.01.0"),
    ("Latifa", "Sqalli", "1962-07-07", "M000111", "0661000010", "09.001.01.01"),
]
HEADER = ("id", "first_name", "last_name", "birth_date", "cin", "phone", "commune_code")
BASE = ("Hajar", "Lahlou", "1988-10-21", "AB123456", "", "")

# One CIN typing error; the names agree (the second row in the other script), nothing else shared.
CIN_ERRORS = {
    "two digits swapped": "AB124356",
    "a digit dropped": "AB12356",
    "a digit doubled": "AB1233456",
    "a digit added": "AB1293456",
    "a digit replaced": "AB123856",
    "prefix swapped": "BA123456",
    "prefix letter dropped": "B123456",
    "prefix letter added": "AKB123456",
    "look-alike letters": "ab-12345b",
    "spaces and lower case": "ab 123 456",
}
PHONE = "0661234567"
PHONE_ERRORS = {
    "two digits swapped": "0661234576",
    "a digit replaced": "0661234568",
    "written otherwise": "+212 6 61 23 45 67",
    "look-alike letters": "066l234S67",
}
# A name typed otherwise; the birth date and commune agree (as with a stranger of that name
# below, who is born the same day in the same commune but is called something else).
NAME_ERRORS = {
    "latin typo": ("Hajar", "Lahlu"),
    "arabic typo": ("هاجر", "لحلوا"),
    "letter dropped in a long arabic name": ("هاجر", "لحلو"),
    "other script": ("هاجر", "لحلو"),
    "first and last swapped": ("Lahlou", "Hajar"),
    "first and last swapped in the other script": ("لحلو", "هاجر"),
    "el added": ("Hajar", "El Lahlou"),
}


def cluster_of(rows):
    lines = [HEADER, *((str(i + 1), *row) for i, row in enumerate(rows))]
    table, clusters = dedupe_file.dedupe_rows(lines[1:])
    return [table.ids[c] for c in clusters]


@pytest.mark.parametrize("kind", sorted(CIN_ERRORS))
def test_a_cin_one_typing_error_off_with_the_same_name_is_one_person(kind):
    typed = ("هاجر", "لحلو", "", CIN_ERRORS[kind], "", "")
    clusters = cluster_of([BASE, typed, *FILLER])
    assert clusters[:2] == ["1", "1"]
    assert clusters[2:] == [str(i) for i in range(3, 3 + len(FILLER))]


def test_a_cin_two_errors_off_with_nothing_else_shared_is_not_joined():
    typed = ("هاجر", "لحلو", "", "AB214365", "", "")
    assert cluster_of([BASE, typed, *FILLER])[:2] == ["1", "2"]


@pytest.mark.parametrize("kind", sorted(PHONE_ERRORS))
def test_a_phone_one_typing_error_off_with_the_same_name_and_birth_is_one_person(kind):
    base = ("Hajar", "Lahlou", "1988-10-21", "", PHONE, "")
    typed = ("هاجر", "لحلو", "1988-10-21", "", PHONE_ERRORS[kind], "")
    assert cluster_of([base, typed, *FILLER])[:2] == ["1", "1"]


@pytest.mark.parametrize("kind", sorted(NAME_ERRORS))
def test_a_name_typed_otherwise_with_the_same_birth_and_commune_is_one_person(kind):
    base = ("Hajar", "Lahlou", "1988-10-21", "", "", "06.141.01.0")
    typed = (*NAME_ERRORS[kind], "1988-10-21", "", "", "06.141.01.0")
    stranger = ("Meryem", "Alami", "1988-10-21", "", "", "06.141.01.0")
    assert cluster_of([base, typed, stranger, *FILLER])[:3] == ["1", "1", "3"]


@pytest.mark.parametrize(
    ("first", "other"),
    [
        (("Abdelaziz", "El Alaoui"), ("عبد العزيز", "العلوي")),
        (("Abd El Aziz", "Alaoui"), ("عبدالعزيز", "علوي")),
        (("Ahmed", "Ben Kirane"), ("أحمد", "بنكيران")),
        (("Ahmed", "Benkirane"), ("احمد", "بن كيران")),
        (("Noureddine", "Elfassi"), ("Nour Eddine", "El Fassi")),
    ],
)
def test_el_and_compounds_split_or_joined_are_one_person(first, other):
    base = (*first, "1970-01-15", "", "", "06.141.01.0")
    typed = (*other, "1970-01-15", "", "", "06.141.01.0")
    assert cluster_of([base, typed, *FILLER])[:2] == ["1", "1"]


def test_the_cluster_guard_joins_two_clusters_whose_cins_are_one_error_apart():
    # Two records of Hajar under her CIN, two under the CIN with two digits swapped, all with
    # her name and birth date: one person (the guard used to refuse any other CIN).
    rows = [
        BASE,
        ("Hajar", "Lahlou", "1988-10-21", "AB123456", "0661234567", ""),
        ("هاجر", "لحلو", "1988-10-21", "AB124356", "", ""),
        ("هاجر", "لحلو", "1988-10-21", "AB124356", "0661234567", ""),
        *FILLER,
    ]
    assert cluster_of(rows)[:4] == ["1", "1", "1", "1"]


def test_the_cluster_guard_still_refuses_two_cards():
    # Twins: same last name, birth date, phone and commune, two first names, two CINs.
    rows = [
        ("Hajar", "Lahlou", "1988-10-21", "AB123456", "0661234567", "06.141.01.0"),
        ("Hajar", "Lahlou", "1988-10-21", "AB123456", "", "06.141.01.0"),
        ("Hiba", "Lahlou", "1988-10-21", "AB987321", "0661234567", "06.141.01.0"),
        ("Hiba", "Lahlou", "1988-10-21", "AB987321", "", "06.141.01.0"),
        *FILLER,
    ]
    assert cluster_of(rows)[:4] == ["1", "1", "3", "3"]


def test_two_records_each_one_error_from_the_card_meet_through_it():
    # The card AB123456 typed right once, then with a digit doubled, then with two digits
    # swapped: the two mistyped ones are two errors apart, but each is one from the card.
    rows = [
        ("Hajar", "Lahlou", "1988-10-21", "AB123456", "", ""),
        ("هاجر", "لحلو", "1988-10-21", "AB1233456", "", ""),
        ("Hajar", "Lahlou", "1988-10-21", "AB124356", "", ""),
        ("هاجر", "لحلو", "1988-10-21", "AB1233456", "", ""),
        ("Hajar", "Lahlou", "1988-10-21", "AB124356", "", ""),
        *FILLER,
    ]
    assert cluster_of(rows)[:5] == ["1"] * 5


def test_a_card_one_digit_off_under_another_given_name_is_a_relatives():
    # Brothers with cards issued together, one household: same last name, phone and commune.
    rows = [
        ("Yassine", "Filali", "1991-01-01", "EE100001", "0633000111", "04.281.01.01"),
        ("Younes", "Filali", "1993-03-03", "EE100002", "0633000111", "04.281.01.01"),
        *FILLER,
    ]
    assert cluster_of(rows)[:2] == ["1", "2"]


def test_a_cin_one_error_off_and_a_typo_in_the_last_name_meet_through_the_first_name():
    # The typo changes the last name's key (Lahrou), so only a rule with the first name alone
    # and four of the CIN's digits (here the first four) brings the two rows together.
    typed = ("Hajar", "Lahrou", "", "AB123458", "", "")
    assert cluster_of([BASE, typed, *FILLER])[:2] == ["1", "1"]


def test_the_cluster_guard_forgives_two_cin_errors_when_the_rest_says_one_person():
    # Two records under AB123456, two under BA124356 (prefix swapped and two digits swapped:
    # two errors); the pair that joins them agrees on both names, birth date, phone, commune.
    rows = [
        ("Hajar", "Lahlou", "1988-10-21", "AB123456", "0661234567", "06.141.01.0"),
        ("Hajar", "Lahlou", "1988-10-21", "AB123456", "", ""),
        ("هاجر", "لحلو", "1988-10-21", "BA124356", "0661234567", "06.141.01.0"),
        ("هاجر", "لحلو", "1988-10-21", "BA124356", "", ""),
        *FILLER,
    ]
    assert cluster_of(rows)[:4] == ["1", "1", "1", "1"]


def test_the_cluster_guard_keeps_two_cin_errors_apart_on_a_name_alone():
    # The same two cards, but the joining pair shares only the names: not enough to call
    # a card two errors off the same card.
    rows = [
        ("Hajar", "Lahlou", "1988-10-21", "AB123456", "0661234567", ""),
        ("Hajar", "Lahlou", "1988-10-21", "AB123456", "", ""),
        ("هاجر", "لحلو", "1975-03-02", "BA124356", "0677000000", ""),
        ("هاجر", "لحلو", "1975-03-02", "BA124356", "", ""),
        *FILLER,
    ]
    assert cluster_of(rows)[:4] == ["1", "1", "3", "3"]


@pytest.mark.parametrize(
    ("first", "typed"), [("هاجر", "هاخر"), ("نادية", "نادبة"), ("سعيد", "شعيد")]
)
def test_an_arabic_given_name_with_other_dots_is_one_person(first, typed):
    base = (first, "لحلو", "1988-10-21", "", "", "06.141.01.0")
    retyped = (typed, "لحلو", "1988-10-21", "", "", "06.141.01.0")
    sister = ("مريم", "لحلو", "1988-10-21", "", "", "06.141.01.0")
    assert cluster_of([base, retyped, sister, *FILLER])[:3] == ["1", "1", "3"]
