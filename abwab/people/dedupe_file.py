"""Find the duplicates of a people file: which rows of a CSV are the same person.

Pure Python (abwab.names for names, the CIN rule of abwab.people.validation), no database, one
streaming read and one streaming write; a million rows take well under 1 GiB.

Input: a UTF-8 CSV with the columns ``id,first_name,last_name,birth_date,cin,phone,commune_code``
(others are ignored, order is free). Names may be in Arabic or Latin script, any field may be
blank, ``birth_date`` is ``YYYY-MM-DD``. An invalid CIN, phone or date counts as blank.

Output: ``id,cluster_id`` for every input row, in input order. ``cluster_id`` is the ``id`` of the
cluster's first row in the file, so a row alone is its own cluster and the output is stable.

How:

1. **Features**, in one pass. Each row is kept as a handful of integers in ``array`` columns: the
   first and last name as ids into a vocabulary of distinct spellings, the birth date as a day
   number, the CIN and phone packed into 64-bit integers (CIN canonical as ``clean_cin`` has it;
   phone as E.164 digits, Moroccan numbers through a fast path whose validity is checked with
   ``clean_phone`` once per 5-digit prefix), the commune as a vocabulary id. Each distinct spelling
   gets its phonetic key (``abwab.names.name_key``) once; how often each key occurs gives the
   term frequency that makes "Mohamed" weigh less than a rare name.
2. **Blocking**, one rule at a time (see ``RULES``): same CIN; same phone; same order-free name key
   and birth date; same order-free name key and commune; same last-name key and birth date; same
   first-name key and birth date; same first-name key, birth year and commune; same last-name key
   and either half of the CIN digits (a one-digit CIN typo); same birth date and commune. A rule's
   key is a 64-bit integer per row; sorting the row numbers by it gives the blocks. A pair that an
   earlier rule already produced is skipped, so each pair is scored once. A block larger than
   ``max_block`` is not expanded into all its pairs: its rows are sorted by a second field and each
   is compared with the next ``window`` rows (sorted neighbourhood), so a common name with a blank
   birth date cannot explode.
3. **Scoring**, Fellegi-Sunter style: a sum of log2 likelihood-ratio weights, hand-set from what
   ``abwab.names.similarity`` gives for same and different names. First and last names are compared
   in both orders (swapped names); an exact name agreement weighs log2(0.9 / key frequency), so a
   common name proves less. Birth date: same, day and month swapped, different. CIN: same, one
   digit apart, different. Phone: same (households share one, so it is not decisive), different.
   Commune: same (weighted by its share of the file), different. Pairs at or above ``threshold``
   are kept.
4. **Clustering**: the kept pairs are merged strongest first (array-based union-find), and two
   clusters are not merged when they already hold different CINs (more than one digit apart) or
   different birth dates, or when the merged cluster would exceed ``max_cluster`` rows; this stops
   one weak link from chaining namesakes together.
"""

from __future__ import annotations

import csv
import datetime
import math
import re
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from abwab.names import name_key, similarity
from abwab.people.validation import CIN_PATTERN, clean_phone

REQUIRED_COLUMNS = ("id", "first_name", "last_name", "birth_date", "cin", "phone", "commune_code")
OUTPUT_COLUMNS = ("id", "cluster_id")

DEFAULT_THRESHOLD = 16.0
DEFAULT_MAX_BLOCK = 60
DEFAULT_WINDOW = 12
DEFAULT_MAX_CLUSTER = 50

_NONE = -1  # a blocking key for a row the rule does not apply to
_DAY_ZERO = datetime.date(1800, 1, 1).toordinal()
_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_NOT_DIGIT = re.compile(r"\D")
_CIN_SEPARATORS = re.compile(r"[\s\-]")


class DedupeInputError(Exception):
    """The input file cannot be read; the command turns these into translated messages."""


class MissingColumnsError(DedupeInputError):
    def __init__(self, missing: Sequence[str]) -> None:
        super().__init__(", ".join(missing))
        self.missing = list(missing)


class EncodingError(DedupeInputError):
    def __init__(self, line: int) -> None:
        super().__init__(f"not UTF-8 near line {line}")
        self.line = line


@dataclass
class DedupeStats:
    rows: int = 0
    clusters: int = 0
    candidate_pairs: int = 0
    matched_pairs: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


# --- field cleaning ----------------------------------------------------------------------------


def cin_code(value: str) -> int:
    """A CIN packed into an int (0 when blank or invalid): letters, digit count, digits."""
    value = value.strip()
    if not value:
        return 0
    cin = value.upper()
    if " " in cin or "-" in cin or "\t" in cin:
        cin = _CIN_SEPARATORS.sub("", cin)
    if not CIN_PATTERN.match(cin):  # the rule of validation.clean_cin, without the exception
        return 0
    split = 2 if cin[1].isalpha() else 1
    letters = (ord(cin[0]) - 64) * 27 + (ord(cin[1]) - 64 if split == 2 else 0)
    digits = cin[split:]
    return (letters * 8 + len(digits)) * 10**7 + int(digits)


def cin_text(code: int) -> str:
    """The canonical CIN back from ``cin_code``."""
    if not code:
        return ""
    head, number = divmod(code, 10**7)
    letters, length = divmod(head, 8)
    first, second = divmod(letters, 27)
    return chr(first + 64) + (chr(second + 64) if second else "") + str(number).zfill(length)


def _cin_parts(code: int) -> tuple[int, int, int]:
    """(letters and digit count, first half of the digits, second half)."""
    head, number = divmod(code, 10**7)
    length = head % 8
    half = 10 ** (length - length // 2)
    return head, number // half, number % half


def _cin_near(a: int, b: int) -> bool:
    """Same letters and length, and the digits differ in exactly one place."""
    head_a, number_a = divmod(a, 10**7)
    head_b, number_b = divmod(b, 10**7)
    if head_a != head_b:
        return False
    differences = 0
    while number_a or number_b:
        if number_a % 10 != number_b % 10:
            differences += 1
            if differences > 1:
                return False
        number_a //= 10
        number_b //= 10
    return differences == 1


class PhoneCleaner:
    """Phones to E.164 digits as an int (0 when blank or invalid), as ``clean_phone`` does.

    ``clean_phone`` (phonenumbers) costs about 16 µs a number; the usual Moroccan writings
    (06..., +212..., 00212..., spaces, dots, dashes) are read directly, and whether a 9-digit
    national number is valid is asked of ``clean_phone`` once per 5-digit prefix (Moroccan
    numbering validity depends on no more than that prefix). Anything else goes through
    ``clean_phone``.
    """

    def __init__(self) -> None:
        self._prefix_valid: dict[str, bool] = {}

    def __call__(self, value: str) -> int:
        value = value.strip()
        if not value:
            return 0
        digits = _NOT_DIGIT.sub("", value)
        national = ""
        if value[0] == "+" or digits.startswith("00"):
            digits = digits[2:] if value[0] != "+" else digits
            if len(digits) == 12 and digits.startswith("212"):
                national = digits[3:]
        elif len(digits) == 10 and digits[0] == "0":
            national = digits[1:]
        if national and national[0] != "0":
            prefix = national[:5]
            valid = self._prefix_valid.get(prefix)
            if valid is None:
                valid = self._prefix_valid[prefix] = bool(_safe_phone("0" + national))
            return int("212" + national) if valid else 0
        cleaned = _safe_phone(value)
        return int(cleaned[1:]) if cleaned else 0


def _safe_phone(value: str) -> str:
    try:
        return clean_phone(value)
    except Exception:  # noqa: BLE001 - an invalid phone is a blank phone here
        return ""


_DAYS: dict[str, int] = {}


def date_day(value: str) -> int:
    """Days since 1800-01-01 (>= 1), or 0 when blank or not a real ISO date."""
    day = _DAYS.get(value)
    if day is not None:
        return day
    day = 0
    match = _DATE.match(value)
    if match:
        try:
            day = datetime.date(*map(int, match.groups())).toordinal() - _DAY_ZERO + 1
        except ValueError:
            day = 0
        day = max(day, 0)
    if len(_DAYS) < 200_000:
        _DAYS[value] = day
    return day


def _date_of(day: int) -> datetime.date:
    return datetime.date.fromordinal(day + _DAY_ZERO - 1)


# --- the table of rows -------------------------------------------------------------------------


class Table:
    """Rows as parallel integer columns, names and communes as vocabularies."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.first = array("i")
        self.last = array("i")
        self.birth = array("i")
        self.cin = array("q")
        self.phone = array("q")
        self.commune = array("i")
        self.names: list[str] = [""]  # name id -> spelling (0 is blank)
        self._name_ids: dict[str, int] = {"": 0}
        self._commune_ids: dict[str, int] = {"": 0}
        self.commune_count = array("i", [0])
        # Filled by finish():
        self.name_keys = array("i")  # name id -> key id
        self.key_weight: list[float] = []  # key id -> log2(0.9 / frequency), at most 10
        self.commune_weight: list[float] = []

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, fields: Sequence[str], clean_phone_: Callable[[str], int]) -> None:
        record_id, first, last, birth, cin, phone, commune = fields
        self.ids.append(record_id)
        self.first.append(self._name_id(first))
        self.last.append(self._name_id(last))
        self.birth.append(date_day(birth) if birth else 0)
        self.cin.append(cin_code(cin) if cin else 0)
        self.phone.append(clean_phone_(phone) if phone else 0)
        commune = commune.strip()
        commune_id = self._commune_ids.get(commune)
        if commune_id is None:
            commune_id = self._commune_ids[commune] = len(self._commune_ids)
            self.commune_count.append(0)
        self.commune_count[commune_id] += 1
        self.commune.append(commune_id)

    def _name_id(self, text: str) -> int:
        name_id = self._name_ids.get(text)
        if name_id is None:
            clean = " ".join(text.split())
            name_id = self._name_ids.get(clean)
            if name_id is None:
                name_id = len(self.names)
                self.names.append(clean)
                self._name_ids[clean] = name_id
            self._name_ids[text] = name_id
        return name_id

    def finish(self) -> None:
        """Key every distinct spelling once and weigh keys and communes by their frequency."""
        self._name_ids = {}
        key_ids: dict[str, int] = {"": 0}
        self.name_keys = array("i", [0]) * len(self.names)
        for name_id, text in enumerate(self.names):
            if name_id:
                key = name_key(text)
                self.name_keys[name_id] = key_ids.setdefault(key, len(key_ids))
        counts = array("i", [0]) * len(key_ids)
        name_keys = self.name_keys
        for column in (self.first, self.last):
            for name_id in column:
                counts[name_keys[name_id]] += 1
        total = max(1, 2 * len(self))
        self.key_weight = [
            min(10.0, max(1.0, math.log2(0.9 * total / count))) if count else 0.0
            for count in counts
        ]
        self.key_weight[0] = 0.0
        rows = max(1, len(self))
        self.commune_weight = [
            min(8.0, max(1.0, math.log2(0.85 * rows / count))) if count else 0.0
            for count in self.commune_count
        ]
        self.commune_weight[0] = 0.0


def read_rows(lines: Iterable[str]) -> Iterator[list[str]]:
    """The required fields of each CSV row, in REQUIRED_COLUMNS order (header checked)."""
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        raise MissingColumnsError(REQUIRED_COLUMNS) from None
    names = [column.strip().lower() for column in header]
    missing = [column for column in REQUIRED_COLUMNS if column not in names]
    if missing:
        raise MissingColumnsError(missing)
    positions = [names.index(column) for column in REQUIRED_COLUMNS]
    width = max(positions) + 1
    line = 1
    try:
        for row in reader:
            line += 1
            if not row:
                continue
            if len(row) < width:
                row = row + [""] * (width - len(row))
            yield [row[p] for p in positions]
    except UnicodeDecodeError as error:
        raise EncodingError(line + 1) from error


def load_table(rows: Iterable[Sequence[str]]) -> Table:
    table = Table()
    phone = PhoneCleaner()
    for fields in rows:
        table.add(fields, phone)
    table.finish()
    return table


# --- blocking ----------------------------------------------------------------------------------


def _hash_key(*parts: int) -> int:
    """A deterministic non-negative 62-bit key (hash of a tuple of ints is not salted)."""
    return hash(parts) & 0x3FFFFFFFFFFFFFFF


def _rule_keys(table: Table, rule: str) -> array:
    """One blocking key per row (_NONE where the rule does not apply)."""
    name_keys = table.name_keys
    kf = [name_keys[i] for i in table.first]
    kl = [name_keys[i] for i in table.last]
    birth, commune, cin, phone = table.birth, table.commune, table.cin, table.phone
    h = _hash_key
    if rule == "cin":
        keys = [c if c else _NONE for c in cin]
    elif rule == "phone":
        keys = [p if p else _NONE for p in phone]
    elif rule in ("name_birth", "name_commune"):
        # The order-free name key: the two key ids, smaller first.
        other = birth if rule == "name_birth" else commune
        keys = [
            (h(a, b, o) if a <= b else h(b, a, o)) if (a or b) and o else _NONE
            for a, b, o in zip(kf, kl, other, strict=True)
        ]
    elif rule == "name":
        keys = [
            (h(a, b) if a <= b else h(b, a)) if a and b else _NONE
            for a, b in zip(kf, kl, strict=True)
        ]
    elif rule == "last_birth":
        keys = [h(b, d) if b and d else _NONE for b, d in zip(kl, birth, strict=True)]
    elif rule == "first_birth":
        keys = [h(a, d) if a and d else _NONE for a, d in zip(kf, birth, strict=True)]
    elif rule == "first_year_commune":
        keys = [
            h(a, _date_of(d).year, c) if a and d and c else _NONE
            for a, d, c in zip(kf, birth, commune, strict=True)
        ]
    elif rule in ("cin_head", "cin_tail"):
        part = 1 if rule == "cin_head" else 2
        keys = []
        for b, c in zip(kl, cin, strict=True):
            if b and c:
                parts = _cin_parts(c)
                keys.append(h(b, parts[0], part, parts[part]))
            else:
                keys.append(_NONE)
    elif rule == "birth_commune":
        keys = [h(d, c) if d and c else _NONE for d, c in zip(birth, commune, strict=True)]
    else:  # pragma: no cover - a programming error
        raise ValueError(rule)
    return array("q", keys)


# The blocking rules, in order. A block larger than max_block is walked in the order of the
# named column with a sliding window, or skipped ("") when its rows share too little to tell
# namesakes apart anyway.
RULES: tuple[tuple[str, str], ...] = (
    ("cin", "birth"),
    ("phone", "last"),
    ("name_birth", "commune"),
    ("name_commune", "birth"),
    ("last_birth", "first"),
    ("first_birth", "last"),
    ("first_year_commune", "birth"),
    ("cin_head", "first"),
    ("cin_tail", "first"),
    ("birth_commune", "last"),
    ("name", ""),
)


# --- scoring -----------------------------------------------------------------------------------


class Scorer:
    """Match weight of a pair of rows: a sum of log2 likelihood ratios."""

    # Name levels by abwab.names.similarity, and their weights: an exact agreement weighs by
    # the key's frequency; the others were set from how often a typo, another transliteration
    # or another name falls in each level on the reference name lists.
    SAME = 0.97
    CLOSE = 0.90
    NAME_LEVELS = ((0.85, 1.5), (0.80, 0.5), (0.70, 0.0), (0.60, -3.0))
    NAME_DIFFERENT = -6.0
    BIRTH_SAME = 12.0
    BIRTH_SWAPPED = 8.0
    BIRTH_DIFFERENT = -7.0
    CIN_SAME = 14.0
    CIN_NEAR = 8.0
    CIN_DIFFERENT = -12.0
    PHONE_SAME = 6.0
    PHONE_DIFFERENT = -1.0
    COMMUNE_DIFFERENT = -1.5

    def __init__(self, table: Table) -> None:
        self.table = table
        self._similarity: dict[int, float] = {}
        self._base = len(table.names) + 1

    def name_similarity(self, a: int, b: int) -> float:
        if a == b:
            return 1.0
        if a > b:
            a, b = b, a
        key = a * self._base + b
        score = self._similarity.get(key)
        if score is None:
            if len(self._similarity) > 2_000_000:
                self._similarity.clear()
            names = self.table.names
            score = self._similarity[key] = similarity(names[a], names[b])
        return score

    def name_weight(self, a: int, b: int) -> float | None:
        """Weight of two spellings of a name part (None when one is blank)."""
        if not a or not b:
            return None
        score = self.name_similarity(a, b)
        if score >= self.SAME:
            keys, weights = self.table.name_keys, self.table.key_weight
            return min(weights[keys[a]], weights[keys[b]])
        if score >= self.CLOSE:
            keys, weights = self.table.name_keys, self.table.key_weight
            return min(weights[keys[a]], weights[keys[b]]) * 0.6 + 1.0
        for level, weight in self.NAME_LEVELS:
            if score >= level:
                return weight
        return self.NAME_DIFFERENT

    def names(self, i: int, j: int) -> float:
        t = self.table
        fi, li, fj, lj = t.first[i], t.last[i], t.first[j], t.last[j]
        direct = _sum_known(self.name_weight(fi, fj), self.name_weight(li, lj))
        if direct >= 8.0 or not (fi or li) or not (fj or lj):
            return direct
        swapped = _sum_known(self.name_weight(fi, lj), self.name_weight(li, fj))
        return max(direct, swapped - 0.5)

    def __call__(self, i: int, j: int) -> float:
        t = self.table
        weight = self.names(i, j)
        bi, bj = t.birth[i], t.birth[j]
        if bi and bj:
            if bi == bj:
                weight += self.BIRTH_SAME
            elif _swapped_day_month(bi, bj):
                weight += self.BIRTH_SWAPPED
            else:
                weight += self.BIRTH_DIFFERENT
        ci, cj = t.cin[i], t.cin[j]
        if ci and cj:
            if ci == cj:
                weight += self.CIN_SAME
            elif _cin_near(ci, cj):
                weight += self.CIN_NEAR
            else:
                weight += self.CIN_DIFFERENT
        pi, pj = t.phone[i], t.phone[j]
        if pi and pj:
            weight += self.PHONE_SAME if pi == pj else self.PHONE_DIFFERENT
        mi, mj = t.commune[i], t.commune[j]
        if mi and mj:
            weight += t.commune_weight[mi] if mi == mj else self.COMMUNE_DIFFERENT
        return weight


def _sum_known(*weights: float | None) -> float:
    return sum(w for w in weights if w is not None)


def _swapped_day_month(a: int, b: int) -> bool:
    da, db = _date_of(a), _date_of(b)
    return da.year == db.year and da.month == db.day and da.day == db.month


# --- pairs and clusters ------------------------------------------------------------------------


@dataclass
class Pairs:
    left: array = field(default_factory=lambda: array("i"))
    right: array = field(default_factory=lambda: array("i"))
    weight: array = field(default_factory=lambda: array("d"))
    compared: int = 0

    def __len__(self) -> int:
        return len(self.left)


def find_pairs(
    table: Table,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    max_block: int = DEFAULT_MAX_BLOCK,
    window: int = DEFAULT_WINDOW,
    progress: Callable[[str], None] | None = None,
) -> Pairs:
    """Every blocked pair scoring at least ``threshold``."""
    score = Scorer(table)
    pairs = Pairs()
    done: list[array] = []
    order_columns = {
        "birth": table.birth,
        "first": table.first,
        "last": table.last,
        "commune": table.commune,
    }
    for rule, order_by in RULES:
        started = time.perf_counter()
        keys = _rule_keys(table, rule)
        rows = [i for i, key in enumerate(keys) if key != _NONE]
        rows.sort(key=keys.__getitem__)
        before = pairs.compared, len(pairs)
        order = order_columns.get(order_by)
        start = 0
        count = len(rows)
        while start < count:
            key = keys[rows[start]]
            end = start + 1
            while end < count and keys[rows[end]] == key:
                end += 1
            if end - start > 1:
                block = rows[start:end]
                if len(block) <= max_block:
                    _score_block(block, len(block), done, score, threshold, pairs)
                elif order is not None:
                    block.sort(key=order.__getitem__)
                    _score_block(block, window, done, score, threshold, pairs)
            start = end
        done.append(keys)
        if progress:
            progress(
                f"{rule}: {pairs.compared - before[0]} pairs compared, "
                f"{len(pairs) - before[1]} kept, {time.perf_counter() - started:.1f}s"
            )
    return pairs


def _score_block(
    block: list[int], reach: int, done: list[array], score: Scorer, threshold: float, pairs: Pairs
) -> None:
    size = len(block)
    for x in range(size - 1):
        i = block[x]
        for y in range(x + 1, min(size, x + 1 + reach)):
            j = block[y]
            seen = False
            for keys in done:
                key = keys[i]
                if key != _NONE and key == keys[j]:
                    seen = True
                    break
            if seen:
                continue
            pairs.compared += 1
            weight = score(i, j)
            if weight >= threshold:
                pairs.left.append(min(i, j))
                pairs.right.append(max(i, j))
                pairs.weight.append(weight)


def cluster(table: Table, pairs: Pairs, *, max_cluster: int = DEFAULT_MAX_CLUSTER) -> array:
    """For each row, the row number of its cluster's first row."""
    n = len(table)
    parent = array("i", range(n))
    size = array("i", [1]) * n
    birth = array("i", table.birth)  # a cluster's birth date and CIN, kept at its root
    cin = array("q", table.cin)

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    order = sorted(range(len(pairs)), key=lambda p: (-pairs.weight[p], pairs.left[p]))
    left, right = pairs.left, pairs.right
    for p in order:
        a, b = find(left[p]), find(right[p])
        if a == b:
            continue
        if size[a] + size[b] > max_cluster:
            continue
        if size[a] > 1 or size[b] > 1:
            ba, bb = birth[a], birth[b]
            if ba and bb and ba != bb and not _swapped_day_month(ba, bb):
                continue
            ca, cb = cin[a], cin[b]
            if ca and cb and ca != cb and not _cin_near(ca, cb):
                continue
        if size[a] < size[b]:
            a, b = b, a
        parent[b] = a
        size[a] += size[b]
        if not birth[a]:
            birth[a] = birth[b]
        if not cin[a]:
            cin[a] = cin[b]
    first = array("i", [-1]) * n
    result = array("i", [0]) * n
    for i in range(n):
        root = find(i)
        if first[root] < 0:
            first[root] = i
        result[i] = first[root]
    return result


# --- the whole job -----------------------------------------------------------------------------


def dedupe_rows(
    rows: Iterable[Sequence[str]],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    progress: Callable[[str], None] | None = None,
    stats: DedupeStats | None = None,
) -> tuple[Table, array]:
    """Cluster rows given as REQUIRED_COLUMNS-ordered sequences; returns the table and clusters."""
    stats = stats if stats is not None else DedupeStats()
    clock = time.perf_counter()
    table = load_table(rows)
    stats.timings["read"] = time.perf_counter() - clock
    if progress:
        progress(f"read {len(table)} rows, {len(table.names) - 1} distinct names")
    clock = time.perf_counter()
    pairs = find_pairs(table, threshold=threshold, progress=progress)
    stats.timings["pairs"] = time.perf_counter() - clock
    clock = time.perf_counter()
    clusters = cluster(table, pairs)
    stats.timings["cluster"] = time.perf_counter() - clock
    stats.rows = len(table)
    stats.candidate_pairs = pairs.compared
    stats.matched_pairs = len(pairs)
    stats.clusters = sum(1 for i, first in enumerate(clusters) if i == first)
    return table, clusters


def dedupe_file(
    input_path: str | Path,
    output_path: str | Path,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    progress: Callable[[str], None] | None = None,
) -> DedupeStats:
    """Read ``input_path``, write ``id,cluster_id`` for every row to ``output_path``."""
    started = time.perf_counter()
    stats = DedupeStats()
    with open(input_path, encoding="utf-8-sig", newline="") as handle:
        table, clusters = dedupe_rows(
            read_rows(handle), threshold=threshold, progress=progress, stats=stats
        )
    clock = time.perf_counter()
    ids = table.ids
    with open(output_path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(OUTPUT_COLUMNS)
        writer.writerows(zip(ids, (ids[c] for c in clusters), strict=True))
    stats.timings["write"] = time.perf_counter() - clock
    stats.seconds = time.perf_counter() - started
    return stats
