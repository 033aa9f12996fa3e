"""Step 4, clustering: kept pairs merged strongest first, with guards against chaining."""

from __future__ import annotations

from array import array

from .blocking import Pairs
from .estimate import IdentifierWeights
from .reading import DEFAULT_MAX_CLUSTER, Table, _date_of, cin_distance


def _swapped_day_month(a: int, b: int) -> bool:
    da, db = _date_of(a), _date_of(b)
    return da.year == db.year and da.month == db.day and da.day == db.month


# How far apart two clusters' CINs may be when the pair joining them is one person by its other
# fields alone (names, birth date, phone, commune reach the threshold without the CIN): two
# typing errors, no more (another card altogether stays another person).
STRONG_PAIR_CIN_ERRORS = 2


def cluster(
    table: Table,
    pairs: Pairs,
    *,
    max_cluster: int = DEFAULT_MAX_CLUSTER,
    threshold: float | None = None,
) -> array:
    """For each row, the row number of its cluster's first row.

    Pairs are merged strongest first; two clusters of more than one row are not merged when
    their birth dates differ (day and month swapped aside) or a CIN of one is more than one typing
    error from every CIN of the other (a CIN one error off is the same card mistyped when the
    pair scored this high; a cluster keeps each spelling of its card, so two records each one
    error from the right CIN still meet through it), nor when the result would pass
    ``max_cluster`` rows. When the pair joining them reaches ``threshold`` without its CINs'
    weight (its names, birth date, phone and commune say one person by themselves), the CINs
    may be up to ``STRONG_PAIR_CIN_ERRORS`` typing errors apart.
    """
    n = len(table)
    parent = array("i", range(n))
    size = array("i", [1]) * n
    birth = array("i", table.birth)  # a cluster's birth date and CIN, kept at its root
    cin = array("q", table.cin)
    spellings: dict[int, list[int]] = {}  # root -> its cluster's CINs, when more than one

    def near(ours: list[int], theirs: list[int], errors: int = 1) -> bool:
        return all(any(cin_distance(x, y) <= errors for y in theirs) for x in ours)

    cin_levels = (table.identifier_weights or IdentifierWeights()).cin
    rows_cin = table.cin

    def strong_without_cin(p: int) -> bool:
        if threshold is None:
            return False
        ci, cj = rows_cin[left[p]], rows_cin[right[p]]
        cin_part = cin_levels[cin_distance(ci, cj)] if ci and cj else 0.0
        return weights[p] - cin_part >= threshold

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    left, right, weights = pairs.left, pairs.right, pairs.weight
    order = sorted(range(len(pairs)), key=weights.__getitem__, reverse=True)
    for p in order:
        a, b = find(left[p]), find(right[p])
        if a == b or size[a] + size[b] > max_cluster:
            continue
        ca, cb = cin[a], cin[b]
        both = ca and cb and ca != cb
        if size[a] > 1 or size[b] > 1:
            ba, bb = birth[a], birth[b]
            if ba and bb and ba != bb and not _swapped_day_month(ba, bb):
                continue
            ours, theirs = spellings.get(a) or [ca], spellings.get(b) or [cb]
            if (
                both
                and not (near(ours, theirs) or near(theirs, ours))
                and not (
                    strong_without_cin(p)
                    and any(near([x], theirs, STRONG_PAIR_CIN_ERRORS) for x in ours)
                )
            ):
                continue
        if both:  # the merged cluster keeps every spelling of its card
            spellings[a] = spellings[b] = sorted(
                {*(spellings.get(a) or [ca]), *(spellings.get(b) or [cb])}
            )
        if size[a] < size[b]:
            a, b = b, a
        parent[b] = a
        size[a] += size[b]
        if not birth[a]:
            birth[a] = birth[b]
        if not cin[a]:
            cin[a] = cin[b]
            if b in spellings:
                spellings[a] = spellings[b]
    first = array("i", [-1]) * n
    result = array("i", [0]) * n
    for i in range(n):
        root = find(i)
        if first[root] < 0:
            first[root] = i
        result[i] = first[root]
    return result
