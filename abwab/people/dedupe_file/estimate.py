"""The weights of CIN and phone agreement levels, estimated from the file itself by EM.

A CIN or a phone typed again may be the same, one typing error away, two, or another number
(``abwab.names.identifiers.typing_distance``). How much each level says depends on how carefully
the file was typed, so it is not set by hand: the Fellegi-Sunter m and u probabilities of every
field's levels are estimated by expectation-maximisation (a two-class mixture, fields independent
within a class) on a sample of pairs that share a birth date and a commune, a name and a commune,
a first name and a birth date, or a last name and a commune (households: they share phones).
These blocks do not look at the CIN or the phone, so they say nothing about them: in them a true
pair and a namesake or a relative differ by how their identifiers compare.
The weight of a level is log2(m / u), kept within what a single field may prove
(``WEIGHT_RANGE``) and non-increasing from "same" to "different". A file too small for the
estimate (fewer than ``MIN_SAMPLE`` pairs) uses ``DEFAULT_CIN``/``DEFAULT_PHONE``, the same EM run
on bench/synthetic.py's 100,000-row file (seed 1).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from itertools import combinations

from .reading import Table, cin_distance, phone_distance

MIN_SAMPLE = 5_000
MAX_SAMPLE = 150_000
MAX_BLOCK = 30
ITERATIONS = 40
WEIGHT_RANGE = (-12.0, 14.0)
SAMPLE_RULES = ("birth_commune", "name_commune", "first_birth", "last_commune")
# EM on bench/synthetic.py --rows 100000 --seed 1 (see bench/README.md).
DEFAULT_CIN = (14.0, 13.03, 6.13, -12.0)
DEFAULT_PHONE = (6.51, 1.55, -0.03, -3.01)

_MISSING = -1
# Field order of a comparison pattern: names, birth date, CIN, phone, commune.
_LEVELS = (3, 3, 4, 4, 2)


# Name agreement levels by abwab.names.similarity: the same (>= 0.97, weighed by the key's
# frequency), then at least each bound in turn, then different. Their weights are estimated too.
NAME_BOUNDS = (0.97, 0.90, 0.85, 0.80, 0.70, 0.60)
NAME_LEVELS = len(NAME_BOUNDS) + 1
NAME_SAMPLE_RULES = ("birth_commune", "cin", "phone")
MAX_NAME_SAMPLE = 60_000
# Before the estimate (a file too small): the hand-set weights the engine had until issue 18,
# a share of a common name's exact weight (about 4) for a close spelling.
DEFAULT_NAME = (0.0, 3.4, 1.5, 0.5, 0.0, -3.0, -6.0)
_NAME_FIELDS = (NAME_LEVELS, NAME_LEVELS, 3, 4, 4, 2)


def name_level(score: float) -> int:
    """The agreement level (0: the same ... NAME_LEVELS - 1: different) of a similarity."""
    for level, bound in enumerate(NAME_BOUNDS):
        if score >= bound:
            return level
    return NAME_LEVELS - 1


@dataclass(frozen=True)
class NameWeights:
    """Weights of first and last names by agreement level, estimated on the file by EM.

    Level 0 (the same name) is weighed by how common the name's key is
    (``Table.key_weight``, log2(0.9 / frequency)) plus ``log2(m / 0.9)``, the term-frequency
    form of log2(m / u); the other levels weigh log2(m / u) as estimated.
    """

    first: tuple[float, ...] = DEFAULT_NAME
    last: tuple[float, ...] = DEFAULT_NAME
    sample: int = 0
    match_share: float = 0.0


@dataclass(frozen=True)
class IdentifierWeights:
    """Weights of CIN and phone by typing distance (0, 1, 2, 3 or more), and how they came."""

    cin: tuple[float, float, float, float] = DEFAULT_CIN
    phone: tuple[float, float, float, float] = DEFAULT_PHONE
    sample: int = 0  # pairs the estimate was made on (0: the defaults)
    match_share: float = 0.0  # the estimated share of true pairs in the sample


def _pattern(table: Table, i: int, j: int) -> tuple[int, ...]:
    fi, li, fj, lj = (
        table.first_keys[i],
        table.last_keys[i],
        table.first_keys[j],
        table.last_keys[j],
    )
    if (fi or li) and (fj or lj):
        same = max(
            (fi == fj and fi != 0) + (li == lj and li != 0),
            (fi == lj and fi != 0) + (li == fj and li != 0),
        )
        names = 2 - same
    else:
        names = _MISSING
    bi, bj = table.birth[i], table.birth[j]
    if bi and bj:
        birth = 0 if bi == bj else 1 if table.birth_keys[i] == table.birth_keys[j] else 2
    else:
        birth = _MISSING
    ci, cj = table.cin[i], table.cin[j]
    cin = cin_distance(ci, cj) if ci and cj else _MISSING
    pi, pj = table.phone[i], table.phone[j]
    phone = phone_distance(pi, pj) if pi and pj else _MISSING
    mi, mj = table.commune[i], table.commune[j]
    commune = (0 if mi == mj else 1) if mi and mj else _MISSING
    return names, birth, cin, phone, commune


def sample_patterns(table: Table) -> Counter:
    """How often each comparison pattern occurs among the sampled pairs."""
    from .blocking import _blocks, _rule_keys  # blocking imports scoring, which imports us

    patterns: Counter = Counter()
    seen: set[tuple[int, int]] = set()
    per_rule = MAX_SAMPLE // len(SAMPLE_RULES)
    for rule in SAMPLE_RULES:
        taken = 0
        for block in _blocks(_rule_keys(table, rule)):
            if len(block) > MAX_BLOCK:
                continue
            for i, j in combinations(block, 2):
                if (i, j) in seen:
                    continue
                seen.add((i, j))
                patterns[_pattern(table, i, j)] += 1
                taken += 1
            if taken >= per_rule:
                break
    return patterns


def em(patterns: Counter, iterations: int = ITERATIONS, levels: tuple[int, ...] = _LEVELS):
    """(share of true pairs, m, u): m[f][level] and u[f][level] for each field f."""
    _LEVELS = levels  # noqa: N806 - the fields' level counts, names and birth... by default
    share = 0.1
    m = [[0.9] + [0.1 / (n - 1)] * (n - 1) for n in _LEVELS]
    u = [[0.1] + [0.9 / (n - 1)] * (n - 1) for n in _LEVELS]
    items = list(patterns.items())
    for _ in range(iterations):
        m_counts = [[0.5] * n for n in _LEVELS]  # a half-pair of prior on every level
        u_counts = [[0.5] * n for n in _LEVELS]
        matched = 0.0
        total = 0
        for pattern, count in items:
            pm, pu = share, 1.0 - share
            for f, level in enumerate(pattern):
                if level != _MISSING:
                    pm *= m[f][level]
                    pu *= u[f][level]
            g = pm / (pm + pu) if pm + pu > 0 else 0.0
            matched += g * count
            total += count
            for f, level in enumerate(pattern):
                if level != _MISSING:
                    m_counts[f][level] += g * count
                    u_counts[f][level] += (1.0 - g) * count
        share = min(0.99, max(1e-6, matched / max(total, 1)))
        m = [[c / sum(row) for c in row] for row in m_counts]
        u = [[c / sum(row) for c in row] for row in u_counts]
    return share, m, u


def _weights(m: list[float], u: list[float]) -> tuple[float, float, float, float]:
    low, high = WEIGHT_RANGE
    weights = []
    for level in range(4):
        weight = min(high, max(low, math.log2(m[level] / u[level])))
        if weights:
            weight = min(weight, weights[-1])  # one error more never proves more
        weights.append(round(weight, 2))
    return tuple(weights)  # type: ignore[return-value]


def _name_pattern(table: Table, i: int, j: int, level) -> tuple[int, ...]:
    fi, li, fj, lj = table.first[i], table.last[i], table.first[j], table.last[j]
    direct = (level(fi, fj), level(li, lj))
    swapped = (level(fi, lj), level(li, fj))
    # First and last names swapped: the orientation where they agree best, when all four are known.
    first, last = swapped if min(direct) >= 0 and sum(swapped) < sum(direct) else direct
    _names, birth, cin, phone, commune = _pattern(table, i, j)
    return first, last, birth, cin, phone, commune


def sample_name_patterns(table: Table) -> Counter:
    """Comparison patterns (first and last name levels first) of pairs blocked without names:
    a birth date and commune (strangers and duplicates alike), a CIN or a phone (duplicates and
    households), so that the name levels' m and u are not those of pairs chosen for their name."""
    from abwab.names import similarity

    from .blocking import _blocks, _rule_keys

    names = table.names
    levels: dict[tuple[int, int], int] = {}

    def level(a: int, b: int) -> int:
        if not a or not b:
            return _MISSING
        if a == b:
            return 0
        key = (a, b) if a < b else (b, a)
        found = levels.get(key)
        if found is None:
            found = levels[key] = name_level(similarity(names[a], names[b]))
        return found

    patterns: Counter = Counter()
    seen: set[tuple[int, int]] = set()
    per_rule = MAX_NAME_SAMPLE // len(NAME_SAMPLE_RULES)
    for rule in NAME_SAMPLE_RULES:
        taken = 0
        for block in _blocks(_rule_keys(table, rule)):
            if len(block) > MAX_BLOCK:
                continue
            for i, j in combinations(block, 2):
                if (i, j) in seen:
                    continue
                seen.add((i, j))
                patterns[_name_pattern(table, i, j, level)] += 1
                taken += 1
            if taken >= per_rule:
                break
    return patterns


def _name_weights(m: list[float], u: list[float]) -> tuple[float, ...]:
    low, high = WEIGHT_RANGE
    weights = [round(math.log2(m[0] / 0.9), 2)]  # added to the key's frequency weight
    for level in range(1, NAME_LEVELS):
        weight = min(high, max(low, math.log2(m[level] / u[level])))
        if len(weights) > 1:
            weight = min(weight, weights[-1])  # a lower similarity never proves more
        weights.append(round(weight, 2))
    return tuple(weights)


def estimate_name_weights(table: Table) -> NameWeights:
    """First and last name level weights for this file (the defaults when it is too small)."""
    patterns = sample_name_patterns(table)
    sample = sum(patterns.values())
    if sample < MIN_SAMPLE:
        return NameWeights()
    share, m, u = em(patterns, levels=_NAME_FIELDS)
    if m[3][0] < u[3][0]:  # the classes came out the other way round (by the CIN)
        share, m, u = 1.0 - share, u, m
    if not 1e-4 < share < 0.99:
        return NameWeights(sample=sample, match_share=share)
    return NameWeights(
        first=_name_weights(m[0], u[0]),
        last=_name_weights(m[1], u[1]),
        sample=sample,
        match_share=share,
    )


def estimate_identifier_weights(table: Table) -> IdentifierWeights:
    """CIN and phone level weights for this file (the defaults when it is too small)."""
    patterns = sample_patterns(table)
    sample = sum(patterns.values())
    if sample < MIN_SAMPLE:
        return IdentifierWeights()
    share, m, u = em(patterns)
    if m[2][0] < u[2][0]:  # the classes came out the other way round
        share, m, u = 1.0 - share, u, m
    if not 1e-4 < share < 0.9:  # EM found no two classes: keep what a known file gave
        return IdentifierWeights(sample=sample, match_share=share)
    return IdentifierWeights(
        cin=_weights(m[2], u[2]), phone=_weights(m[3], u[3]), sample=sample, match_share=share
    )
