import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from abwab.names import full_name_keys, name_key, normalize_latin, token_keys
from abwab.names.tests import read_names, variants
from abwab.names.tests.test_arabic import arabic_names, decorated
from abwab.names.tests.test_latin import accented, latin_names

SAME_KEY = [
    ["محمد", "Mohamed", "Mohammed", "Muhammad", "Mohammad", "Mhamed", "M'hamed", "مُحَمَّد"],
    ["فاطمة", "فاطمه", "Fatima", "Fatma", "Fatimah"],
    ["يوسف", "Youssef", "Yousef", "Yusuf", "Youcef"],
    ["خديجة", "Khadija", "Khadidja"],
    ["العلوي", "علوي", "Alaoui", "El Alaoui", "Al-Alaoui", "Elalaoui"],
    ["بناني", "Bennani", "Benani", "Ben Nani"],
    ["الشرايبي", "Chraibi", "Ech-Chraibi"],
    ["برادة", "Berrada"],
    ["عبد الله", "عبدالله", "Abdellah", "Abdallah", "Abd Allah", "Abdullah", "Abdelah"],
    ["عبد العزيز", "Abdelaziz", "Abdel Aziz", "Abd El Aziz", "Abdul Aziz"],
    ["عبد الرحيم", "Abderrahim", "Abderahim", "Abdel Rahim"],
    ["نور الدين", "Noureddine", "Nour Eddine", "Nourdine"],
    ["فاطمة الزهراء", "Fatima Ezzahra", "Fatima-Zahra", "Fatimazahra"],
    ["العمراني", "Amrani", "Lamrani", "El Amrani"],
    ["السعيدي", "Saidi", "Essaidi", "Es-Saidi"],
    ["إسماعيل", "Ismail", "Smail"],
    ["إلياس", "Ilyas", "Elias"],
    ["ابن كيران", "بنكيران", "Benkirane", "Ibn Kirane"],
    ["أبو بكر", "Aboubakr", "Boubker"],
    ["نجاة", "Najat"],
]
DIFFERENT_KEYS = [
    ("أمين", "أمينة"),
    ("Amine", "Amina"),
    ("Karim", "Karima"),
    ("Said", "Saida"),
    ("Mohamed", "Ahmed"),
    ("Youssef", "Younes"),
    ("Alaoui", "Alami"),
]
# Letters that are no part of a digraph, so doubling one is only a spelling variant.
PLAIN_CONSONANTS = "bdfklmnrstvz"
# Prefixes whose heuristics (article, "abd", abbreviations) look at exact letters.
HEURISTIC_PREFIXES = ("el", "al", "abd", "med", "md", "mhd", "mohd", "ould", "ly", "ou")


@pytest.mark.parametrize("group", SAME_KEY, ids=lambda group: group[1])
def test_spellings_of_one_name_share_a_key(group):
    assert {name_key(name) for name in group} == {name_key(group[0])}, [
        (name, name_key(name)) for name in group
    ]


@pytest.mark.parametrize(("a", "b"), DIFFERENT_KEYS)
def test_different_names_keep_different_keys(a, b):
    assert name_key(a) != name_key(b)


def test_example_keys():
    assert name_key("Mohamed") == "mhmd"
    assert name_key("Fatima") == "ftma"
    assert name_key("") == name_key("  -- ") == ""


def test_token_keys_follow_the_words():
    assert token_keys("Mohamed El Alaoui") == ("mhmd", "la")
    assert token_keys("محمد العلوي") == ("mhmd", "la")


def test_full_name_keys():
    keys = full_name_keys("Mohamed", "El Alaoui")
    assert keys == ("mhmd", "la", "mhmd la", "la mhmd")
    assert keys.unordered == full_name_keys("العلوي", "محمد").unordered
    assert full_name_keys("", "Alaoui").full == "la"


@given(st.text())
def test_keys_never_raise_and_are_short_ascii(text):
    key = name_key(text)
    assert re.fullmatch("[a-z]*", key)
    assert all(re.fullmatch("[a-z]*", part) for part in token_keys(text))
    assert isinstance(full_name_keys(text, text[::-1]), tuple)


@given(decorated())
def test_arabic_keys_ignore_diacritics_and_tatweel(pair):
    plain, marked = pair
    assert name_key(marked) == name_key(plain)


@given(accented())
def test_latin_keys_ignore_case_and_accents(pair):
    plain, decorated_name = pair
    assert name_key(decorated_name) == name_key(plain)


@given(st.text(alphabet="abdefiklmnorstuvz", min_size=1, max_size=10), st.data())
def test_latin_keys_ignore_doubled_letters(word, data):
    assume(not word.startswith(HEURISTIC_PREFIXES))
    positions = [i for i, char in enumerate(word) if char in PLAIN_CONSONANTS]
    assume(positions)
    i = data.draw(st.sampled_from(positions))
    assert name_key(word[:i] + word[i] + word[i:]) == name_key(word)


@given(latin_names, st.sampled_from(["el ", "El ", "al-", "Al-", "EL-", "el-"]))
def test_latin_keys_ignore_a_spelled_out_article(name, article):
    assert name_key(article + name) == name_key(name)


@given(latin_names)
def test_latin_key_of_the_normal_form_is_the_key(name):
    assert name_key(normalize_latin(name)) == name_key(name)


@given(arabic_names)
def test_arabic_keys_are_stable(name):
    assert name_key(name) == name_key(name)
    assert name_key("  " + name + " ") == name_key(name)


@given(latin_names, arabic_names)
def test_unordered_key_survives_swapped_names(first, last):
    assert full_name_keys(first, last).unordered == full_name_keys(last, first).unordered


def _pairs(filename):
    return [(row["name_ar"], variant) for row in read_names(filename) for variant in variants(row)]


def test_latin_spellings_share_the_arabic_key():
    """98.3 % of the 843 (Arabic, Latin spelling) reference pairs share one key."""
    pairs = _pairs("first_names.csv") + _pairs("last_names.csv")
    matched = sum(name_key(arabic) == name_key(latin) for arabic, latin in pairs)
    assert len(pairs) > 800
    assert matched / len(pairs) >= 0.98


@pytest.mark.parametrize("filename", ["first_names.csv", "last_names.csv"])
def test_each_list_mostly_matches(filename):
    pairs = _pairs(filename)
    matched = sum(name_key(arabic) == name_key(latin) for arabic, latin in pairs)
    assert matched / len(pairs) >= 0.97


def test_spelled_out_articles_of_family_names_share_the_key():
    rows = [row for row in read_names("last_names.csv") if row["name_ar"].startswith("ال")]
    for row in rows:
        for latin in variants(row):
            for spelled in (f"El {latin}", f"Al-{latin}", f"EL-{latin.upper()}"):
                assert name_key(spelled) == name_key(latin), spelled


def test_keys_keep_distinct_first_names_apart():
    """The 273 distinct Arabic first names give 229 distinct keys (0.84)."""
    names = {row["name_ar"] for row in read_names("first_names.csv")}
    keys = {name_key(name) for name in names}
    assert len(keys) >= 0.83 * len(names)
