"""Step 3, scoring: the Fellegi-Sunter match weight of a pair of rows."""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable

from abwab.names import similarity

from .estimate import IdentifierWeights
from .reading import MIN_THRESHOLD, Table, cin_distance, phone_distance


class Weights:
    """Match weights, log2 likelihood ratios, hand-set from the reference name lists.

    Name levels are by abwab.names.similarity: an exact agreement weighs the key's
    ``Table.key_weight`` (a rare name proves more), a close one (>= 0.90: a transliteration
    variant, a typo, or a near name like Mohamed/Mahmoud) a share of it, and the lower levels
    were set from how often a typo or another name falls in them on the reference lists.
    """

    SAME = 0.97
    CLOSE = 0.90
    CLOSE_SHARE = 0.6
    CLOSE_BONUS = 1.0
    NAME_LEVELS = ((0.85, 1.5), (0.80, 0.5), (0.70, 0.0), (0.60, -3.0))
    NAME_DIFFERENT = -6.0
    SWAPPED_PENALTY = 0.5
    BIRTH_SAME = 12.0
    BIRTH_SWAPPED = 8.0  # day and month swapped
    BIRTH_DIFFERENT = -7.0
    # CIN and phone weigh by typing distance, as estimated on the file (estimate.py).
    # A CIN one or two errors off counts as another card when the given names differ this much
    # (a similarity below 0.70, NAME_LEVELS' fourth level): relatives hold cards a digit apart.
    GIVEN_DIFFERS = -3.0
    COMMUNE_DIFFERENT = -2.0  # people move; the same commune weighs Table.commune_weight


def name_weight(table: Table, a: int, b: int) -> float:
    """Weight of two spellings (name ids, both not blank) of one name part."""
    keys, weights = table.name_keys, table.key_weight
    score = 1.0 if a == b else similarity(table.names[a], table.names[b])
    if score >= Weights.SAME:
        return min(weights[keys[a]], weights[keys[b]])
    if score >= Weights.CLOSE:
        return min(weights[keys[a]], weights[keys[b]]) * Weights.CLOSE_SHARE + Weights.CLOSE_BONUS
    for level, weight in Weights.NAME_LEVELS:
        if score >= level:
            return weight
    return Weights.NAME_DIFFERENT


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
    # The most the names of a row can add (a close spelling may weigh more than an exact
    # agreement on a very common name).
    best = [max(w, w * Weights.CLOSE_SHARE + Weights.CLOSE_BONUS) if w else 0.0 for w in key_weight]
    name_cap = array(
        "d",
        [best[a] + best[b] for a, b in zip(table.first_keys, table.last_keys, strict=True)],
    )
    base = len(table.names) + 1
    cache: dict[int, float] = {}
    get = cache.get
    w = Weights

    def names_weight(a: int, b: int) -> float:
        if a == b:
            return key_weight[name_keys[a]]
        key = a * base + b if a < b else b * base + a
        weight = get(key)
        if weight is None:
            if len(cache) > 2_000_000:
                cache.clear()
            weight = cache[key] = name_weight(table, a, b)
        return weight

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
        names = given = 0.0
        if fi and fj:
            names += (given := names_weight(fi, fj))
        if li and lj:
            last_weight = names_weight(li, lj)
            names += last_weight
            given = given if fi and fj else last_weight
        if names < 8.0 and (fi or li) and (fj or lj):
            swapped = -w.SWAPPED_PENALTY
            swapped_given = None
            if fi and lj:
                swapped += (swapped_given := names_weight(fi, lj))
            if li and fj:
                other = names_weight(li, fj)
                swapped += other
                swapped_given = other if swapped_given is None else swapped_given
            if swapped > names:
                names, given = swapped, swapped_given or 0.0
        if near and given <= w.GIVEN_DIFFERS:
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
