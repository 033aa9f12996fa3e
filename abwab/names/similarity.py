"""Cross-script name similarity and candidate ranking."""

import heapq
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple, TypeVar

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from .arabic import has_arabic, normalize_arabic, strip_article
from .keys import name_key, token_keys
from .latin import normalize_latin
from .translit import transliterate_arabic

Candidate = TypeVar("Candidate")

# The key decides whether two spellings sound alike; the vowels of the Latin form (Arabic is
# transliterated) break ties between names sharing a skeleton (محمد/محمود, أمين/إيمان).
# Weights tuned on the reference name lists (see tests/test_similarity.py).
_KEY_WEIGHT = 0.6

# Vowel qualities only: e/a, i/y and o/u are spelled interchangeably.
_VOWEL_CLASSES = str.maketrans({"e": "a", "y": "i", "o": "u"})
_DOUBLE = re.compile(r"(.)\1+")
# Long vowels only: Arabic writes ا و ي but no short vowel, French spellings write both, and
# a/e/o are mostly short while ou/i are mostly long.
_LONG_VOWELS = (("ou", "U"), ("oo", "U"), ("ee", "I"), ("u", "U"), ("i", "I"), ("y", "I"))
_SHORT_VOWELS = str.maketrans(dict.fromkeys("aeo"))


# Arabic letters that differ only by their dots (a hurried hand, a misread card): a name
# whose letters all keep their shape is one typing error away, at most, from the other.
_DOTLESS = str.maketrans(
    {
        **dict.fromkeys("بتثني", "ب"),
        **dict.fromkeys("جحخ", "ح"),
        **dict.fromkeys("دذ", "د"),
        **dict.fromkeys("رز", "ر"),
        **dict.fromkeys("سش", "س"),
        **dict.fromkeys("صض", "ص"),
        **dict.fromkeys("طظ", "ط"),
        **dict.fromkeys("عغ", "ع"),
        **dict.fromkeys("فق", "ف"),
        **dict.fromkeys("ةه", "ه"),
    }
)
# The score of two Arabic spellings of one shape (their dots aside): a close name, not the same
# (يسرى and بشرى are two names of one shape).
_SAME_SHAPE = 0.86


class _Profile(NamedTuple):
    key: str
    sorted_key: str
    vowels: str
    long_vowels: str
    arabic: str
    shape: str


def _long_vowels(latin: str) -> str:
    for spelling, code in _LONG_VOWELS:
        latin = latin.replace(spelling, code)
    return _DOUBLE.sub(r"\1", latin.translate(_SHORT_VOWELS))


@lru_cache(maxsize=131072)
def _profile(text: str) -> _Profile:
    if has_arabic(text):
        arabic = " ".join(strip_article(token) for token in normalize_arabic(text).split())
        latin = normalize_latin(transliterate_arabic(text))
    else:
        arabic, latin = "", normalize_latin(text)
    vowels = _DOUBLE.sub(r"\1", latin.translate(_VOWEL_CLASSES))
    sorted_key = " ".join(sorted(token_keys(text)))
    shape = arabic.translate(_DOTLESS)
    return _Profile(name_key(text), sorted_key, vowels, _long_vowels(latin), arabic, shape)


def _score(a: _Profile, b: _Profile) -> float:
    if not (a.key and b.key or a.vowels and b.vowels or a.arabic and b.arabic):
        return 0.0
    key = max(
        Indel.normalized_similarity(a.key, b.key),
        Indel.normalized_similarity(a.sorted_key, b.sorted_key),
    )
    form = (
        fuzz.token_sort_ratio(a.vowels, b.vowels)
        + fuzz.token_sort_ratio(a.long_vowels, b.long_vowels)
    ) / 200
    if a.arabic and b.arabic:
        form = max(form, fuzz.token_sort_ratio(a.arabic, b.arabic) / 100)
    score = min(1.0, max(0.0, _KEY_WEIGHT * key + (1 - _KEY_WEIGHT) * form))
    if a.shape and a.shape == b.shape and score < _SAME_SHAPE:
        return _SAME_SHAPE
    return score


def similarity(a: str, b: str) -> float:
    """Score in [0, 1] how likely two names (either script) are spellings of one name."""
    if a == b:
        return 1.0
    if b < a:  # the same operand order both ways makes the score exactly symmetric
        a, b = b, a
    return _score(_profile(a), _profile(b))


def _name_of(candidate: object) -> str:
    return candidate if isinstance(candidate, str) else candidate[1]  # type: ignore[index]


def rank_candidates(
    query: str,
    candidates: Iterable[Candidate],
    *,
    limit: int | None = 10,
    cutoff: float = 0.0,
) -> list[tuple[Candidate, float]]:
    """Return the candidates scoring at least cutoff against query, best first.

    A candidate is either a name (str) or an ``(id, name)`` pair; it is returned unchanged
    next to its score. Ties keep the input order; ``limit=None`` returns every match.
    """
    scored = []
    for position, candidate in enumerate(candidates):
        score = similarity(query, _name_of(candidate))
        if score >= cutoff:
            scored.append((score, -position, candidate))
    best = sorted(scored, reverse=True) if limit is None else heapq.nlargest(limit, scored)
    return [(candidate, score) for score, _, candidate in best]
