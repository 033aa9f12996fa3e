"""Step 3, scoring: the Fellegi-Sunter match weight of a pair of rows."""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable

from abwab.names import similarity

from .estimate import IdentifierWeights, NameWeights, name_level
from .reading import MIN_THRESHOLD, Table, cin_distance, phone_distance


class Weights:
    """Match weights, log2 likelihood ratios.

    Names weigh by agreement level (``estimate.name_level`` of abwab.names.similarity), with
    the level weights estimated on the file by EM (``estimate.estimate_name_weights``); an exact
    agreement weighs the key's ``Table.key_weight`` (a rare name proves more) plus the
    estimate's correction. Birth date and commune stay set by hand.
    """

    SWAPPED_PENALTY = 0.5
    BIRTH_SAME = 12.0
    BIRTH_SWAPPED = 8.0  # day and month swapped
    BIRTH_DIFFERENT = -7.0
    # CIN and phone weigh by typing distance, as estimated on the file (estimate.py).
    # A CIN one or two errors off counts as another card when the given names differ this much
    # (similarity below 0.70, the fifth name level): relatives hold cards a digit apart.
    GIVEN_DIFFERS_LEVEL = 5
    COMMUNE_DIFFERENT = -2.0  # people move; the same commune weighs Table.commune_weight


def name_level_of(table: Table, a: int, b: int) -> int:
    """The agreement level of two spellings (name ids, both not blank) of one name part."""
    return 0 if a == b else name_level(similarity(table.names[a], table.names[b]))


def make_scorer(table: Table, threshold: float = -math.inf) -> Callable[[int, int], float]:
    """score(i, j): the match weight of rows i and j (a closure over the columns, for speed).

    The names, the costly part, are compared last, and not at all when even a full agreement
    of both names could not lift the pair to ``threshold``; such a pair scores below it.
    """
    first, last, birth, cin, phone, commune = (
        table.first,
        table.last,
        table.birth,
        table.cin,
        table.phone,
        table.commune,
    )
    commune_weight, key_weight, name_keys = table.commune_weight, table.key_weight, table.name_keys
    birth_keys = table.birth_keys
    identifiers = table.identifier_weights or IdentifierWeights()
    cin_levels, phone_levels = identifiers.cin, identifiers.phone
    name_weights = table.name_weights or NameWeights()
    first_levels, last_levels = name_weights.first, name_weights.last
    # The most the names of a row can add: an exact agreement, or any other level's weight.
    exact_bonus = max(first_levels[0], last_levels[0])
    other_best = max(max(first_levels[1:]), max(last_levels[1:]))
    best = [max(w + exact_bonus, other_best) if w else 0.0 for w in key_weight]
    name_cap = array(
        "d",
        [best[a] + best[b] for a, b in zip(table.first_keys, table.last_keys, strict=True)],
    )
    base = len(table.names) + 1
    cache: dict[int, int] = {}
    get = cache.get
    w = Weights
    given_differs = w.GIVEN_DIFFERS_LEVEL

    def level_of(a: int, b: int) -> int:
        if a == b:
            return 0
        key = a * base + b if a < b else b * base + a
        level = get(key)
        if level is None:
            if len(cache) > 4_000_000:
                cache.clear()
            level = cache[key] = name_level_of(table, a, b)
        return level

    def names_weight(a: int, b: int, levels: tuple[float, ...]) -> tuple[float, int]:
        level = level_of(a, b)
        # The same name weighs as rare as the commoner of the two keys; a near spelling never
        # proves more than the same name would (Mohamed/Mahmoud no more than Mohamed twice).
        ka, kb = key_weight[name_keys[a]], key_weight[name_keys[b]]
        same = (ka if ka < kb else kb) + levels[0]
        if level:
            weight = levels[level]
            return (weight if weight < same else same), level
        return same, 0

    def score(i: int, j: int) -> float:
        weight = 0.0
        bi, bj = birth[i], birth[j]
        if bi and bj:
            if bi == bj:
                weight += w.BIRTH_SAME
            elif birth_keys[i] == birth_keys[j]:  # day and month swapped
                weight += w.BIRTH_SWAPPED
            else:
                weight += w.BIRTH_DIFFERENT
        near = 0  # the CINs' typing distance when 1 or 2
        ci, cj = cin[i], cin[j]
        if ci and cj:
            if ci == cj:
                weight += cin_levels[0]
            else:
                near = cin_distance(ci, cj)
                weight += cin_levels[near]
                near = near if near < 3 else 0
        pi, pj = phone[i], phone[j]
        if pi and pj:
            weight += phone_levels[0] if pi == pj else phone_levels[phone_distance(pi, pj)]
        mi, mj = commune[i], commune[j]
        if mi and mj:
            weight += commune_weight[mi] if mi == mj else w.COMMUNE_DIFFERENT
        cap = name_cap[i] if name_cap[i] < name_cap[j] else name_cap[j]
        if weight + cap < threshold:
            return weight + cap - 1.0  # hopeless: skip the names
        fi, li, fj, lj = first[i], last[i], first[j], last[j]
        names = 0.0
        given = 0  # the given names' level (the last names' when a given name is blank)
        if fi and fj:
            part, given = names_weight(fi, fj, first_levels)
            names += part
        if li and lj:
            part, level = names_weight(li, lj, last_levels)
            names += part
            given = given if fi and fj else level
        if names < 8.0 and (fi or li) and (fj or lj):
            swapped = -w.SWAPPED_PENALTY
            swapped_given = None
            if fi and lj:
                part, swapped_given = names_weight(fi, lj, first_levels)
                swapped += part
            if li and fj:
                part, level = names_weight(li, fj, last_levels)
                swapped += part
                swapped_given = level if swapped_given is None else swapped_given
            if swapped > names:
                names, given = swapped, swapped_given or 0
        if near and given >= given_differs:
            # Relatives often hold cards a digit apart (issued together); a card typed again
            # keeps its holder's given name, give or take a typo. Under another one, a near
            # CIN is another card.
            weight += cin_levels[3] - cin_levels[near]
        return weight + names

    return score


def auto_threshold(rows: int) -> float:
    """The match weight two rows need, by default: log2(rows) - 1.5, and at least 14.

    Fellegi-Sunter: the odds that two rows are one person are the prior odds times 2**weight;
    in a file of n rows where a row has a duplicate about one time in three, the prior odds
    of a pair are about 1 in n/3, so even odds need a weight of about log2(n) - 1.5. The
    floor keeps small files from linking on a name and a commune alone.
    """
    return max(MIN_THRESHOLD, math.log2(max(rows, 1)) - 1.5)
