import pytest
from hypothesis import given
from hypothesis import strategies as st

from abwab.names import rank_candidates, similarity
from abwab.names.tests import read_names, variants
from abwab.names.tests.test_arabic import arabic_names
from abwab.names.tests.test_latin import latin_names

any_names = st.one_of(st.text(), latin_names, arabic_names)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Mohamed", "Mohammed"),
        ("محمد", "Mohamed"),
        ("محمد العلوي", "Mohamed El Alaoui"),
        ("Mohamed Alaoui", "Alaoui Mohamed"),
        ("عبد الله", "Abdellah"),
        ("فاطمة الزهراء", "Fatima Ezzahra"),
        ("مُحَمَّد", "محمد"),
    ],
)
def test_spellings_of_one_name_score_high(a, b):
    assert similarity(a, b) >= 0.9


def test_close_but_different_names_score_lower():
    assert similarity("Mohamed", "Mahmoud") < similarity("Mohamed", "Muhammad")
    assert similarity("محمد", "Mahmoud") < similarity("محمد", "Mohamed")
    assert similarity("Amine", "Amina") < similarity("Amine", "Amin")
    assert similarity("Youssef Bennani", "Karima Tazi") < 0.5


def test_empty_names_match_nothing():
    assert similarity("", "Mohamed") == 0.0
    assert similarity("--", "...") == 0.0


def test_rank_strings_best_first():
    ranked = rank_candidates("Mohammed", ["أحمد", "محمود", "محمد", "Mhamed"], limit=2)
    assert [name for name, _ in ranked] in (["محمد", "Mhamed"], ["Mhamed", "محمد"])
    assert ranked[0][1] >= ranked[1][1]


def test_rank_id_name_pairs_returns_the_pairs():
    people = [(1, "Karima Tazi"), (2, "Youssef Bennani"), (3, "يوسف بناني")]
    ranked = rank_candidates("Youcef Benani", people, cutoff=0.8)
    assert {pair for pair, _ in ranked} == {(2, "Youssef Bennani"), (3, "يوسف بناني")}


def test_rank_limit_none_and_ties_keep_input_order():
    ranked = rank_candidates("Sara", ["Sarah", "Sarah", "Sara"], limit=None)
    assert [name for name, _ in ranked] == ["Sara", "Sarah", "Sarah"]
    assert rank_candidates("Sara", []) == []


@given(any_names)
def test_identity_scores_one(name):
    assert similarity(name, name) == 1.0


@given(any_names, any_names)
def test_symmetric_and_in_range(a, b):
    score = similarity(a, b)
    assert 0.0 <= score <= 1.0
    assert similarity(b, a) == score


@given(
    st.text(),
    st.lists(st.text(), max_size=5),
    st.integers(min_value=0, max_value=6),
    st.floats(min_value=0, max_value=1),
)
def test_rank_respects_limit_cutoff_and_order(query, names, limit, cutoff):
    ranked = rank_candidates(query, names, limit=limit, cutoff=cutoff)
    scores = [score for _, score in ranked]
    assert len(ranked) <= limit
    assert scores == sorted(scores, reverse=True)
    assert all(score >= cutoff for score in scores)


def test_latin_spellings_rank_their_arabic_name_first():
    """96.9 % of the 840 distinct reference spellings rank their own Arabic name first."""
    hits = total = 0
    for filename in ("first_names.csv", "last_names.csv"):
        rows = read_names(filename)
        arabic = sorted({row["name_ar"] for row in rows})
        expected: dict[str, set[str]] = {}
        for row in rows:  # a spelling listed under two forms (وسام M and F) is right for both
            for latin in variants(row):
                expected.setdefault(latin, set()).add(row["name_ar"])
        for latin, right in expected.items():
            (best, _), *_ = rank_candidates(latin, arabic, limit=1)
            hits += best in right
            total += 1
    assert total > 800
    assert hits / total >= 0.96


def test_arabic_letters_that_differ_only_by_their_dots_are_a_close_name():
    # A typing error, not the same name: يسرى and بشرى are two names of one shape.
    for a, b in (("هاجر", "هاخر"), ("نادية", "نادبة"), ("يسرى", "بشرى")):
        assert 0.85 <= similarity(a, b) < 0.97
    assert similarity("هاجر", "مريم") < 0.5
