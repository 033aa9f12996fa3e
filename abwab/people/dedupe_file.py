"""Find the duplicates of a people file: which rows of a CSV are the same person.

Pure Python (abwab.names for names, the CIN and phone rules of abwab.people.validation), no
database, one streaming read and one streaming write; a million rows take well under 1 GiB.

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
   and birth date; same order-free name key and commune; same first-name key and birth date; same
   last-name key and either half of the CIN digits (a one-digit CIN typo); same birth date and
   commune. Birth dates are compared with day and month in order, so a swap still meets. A rule's
   key is a 64-bit integer per row; a dict of first rows gives the blocks. A pair that an earlier
   rule already produced is skipped, so each pair is scored once. A block larger than
   ``max_block`` is not expanded into all its pairs: its rows are sorted by a second field and each
   is compared with the next ``window`` rows (sorted neighbourhood), or, for the name-and-commune
   rule, it is skipped (a common name in a big town proves nothing by itself), so a common name
   with a blank birth date cannot explode. ``jobs=2`` scores the rules in two forked processes.
3. **Scoring**, Fellegi-Sunter style: a sum of log2 likelihood-ratio weights (``Weights``),
   hand-set from what ``abwab.names.similarity`` gives for same and different names. First and
   last names are compared in both orders (swapped names); an exact name agreement weighs
   log2(0.9 / key frequency), so a common name proves less. Birth date: same, day and month
   swapped, different. CIN: same, one digit apart, different. Phone: same (households share one,
   so it is not decisive), different. Commune: same (weighted by its share of the file),
   different. A pair is kept at or above ``threshold``, by default ``auto_threshold``, which is
   log2(rows) minus 1.5 and at least 14: the more rows, the more namesakes.
4. **Clustering**: the kept pairs are merged strongest first (array-based union-find), and two
   clusters are not merged when they already hold different CINs (more than one digit apart) or
   different birth dates, or when the merged cluster would exceed ``max_cluster`` rows; this stops
   one weak link from chaining namesakes together.

On the benchmark's synthetic files (bench/README.md) a million rows take about 20 s and 450 MiB.
"""

from __future__ import annotations

import csv
import datetime
import gc
import math
import os
import re
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import combinations
from operator import itemgetter
from pathlib import Path

from django.core.exceptions import ValidationError

from abwab.core.spreadsheets import spreadsheet_cell
from abwab.names import name_key, similarity
from abwab.people.validation import clean_cin, clean_phone

REQUIRED_COLUMNS = ("id", "first_name", "last_name", "birth_date", "cin", "phone", "commune_code")
OUTPUT_COLUMNS = ("id", "cluster_id")

MIN_THRESHOLD = 14.0
DEFAULT_MAX_BLOCK = 60
DEFAULT_WINDOW = 12
DEFAULT_MAX_CLUSTER = 50

_NONE = -1  # a blocking key for a row the rule does not apply to
_DAY_ZERO = datetime.date(1800, 1, 1).toordinal()
_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_CIN = re.compile(r"([A-Za-z])([A-Za-z]?)([0-9]{1,7})")
# A Moroccan number as usually written: 0XXXXXXXXX, +212XXXXXXXXX or 00212XXXXXXXXX.
_PHONE = re.compile(r"(?:\+212|00212|0)([5-8][0-9]{8})")
_PHONE_SEPARATORS = str.maketrans("", "", " \t.-/()")


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
    threshold: float = 0.0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


# --- field cleaning ----------------------------------------------------------------------------


def cin_code(value: str) -> int:
    """A CIN packed into an int (0 when blank or invalid): letters, digit count, digits.

    The rule of ``validation.clean_cin`` (spaces and dashes dropped, upper case, one or two
    letters then one to seven digits), without its exception for an invalid one: a CIN already
    plain is read here, any other goes through ``clean_cin`` itself (full-width, Arabic digits).
    """
    if not value:
        return 0
    match = _CIN.fullmatch(value)
    if match is None:
        try:
            canonical = clean_cin(value)
        except ValidationError:
            return 0
        match = _CIN.fullmatch(canonical or "")
        if match is None:
            return 0
    first, second, digits = match.groups()
    letters = (ord(first.upper()) - 64) * 27 + (ord(second.upper()) - 64 if second else 0)
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
    difference = a - b if a > b else b - a
    if not difference or difference >= 10**7 or a // 10**7 != b // 10**7:
        return False
    place = 10
    while difference % place == 0:
        place *= 10
    # The difference is a multiple of place/10; only that digit may differ (no carry).
    return a // place == b // place


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
        if not value:
            return 0
        match = _PHONE.fullmatch(value)
        if match is None:
            compact = value.strip().translate(_PHONE_SEPARATORS)
            match = _PHONE.fullmatch(compact)
            if match is None:
                cleaned = _safe_phone(value) if compact else ""
                return int(cleaned[1:]) if cleaned else 0
        national = match.group(1)
        prefix = national[:5]
        valid = self._prefix_valid.get(prefix)
        if valid is None:
            valid = self._prefix_valid[prefix] = bool(_safe_phone("0" + national))
        return 212_000_000_000 + int(national) if valid else 0


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
        self.first = array("i")  # name ids (0: blank)
        self.last = array("i")
        self.birth = array("i")  # date_day (0: blank)
        self.cin = array("q")  # cin_code (0: blank)
        self.phone = array("q")  # E.164 digits (0: blank)
        self.commune = array("i")  # commune ids (0: blank)
        self.names: list[str] = [""]  # name id -> spelling
        self.communes: list[str] = [""]  # commune id -> code
        # Filled by finish():
        self.name_keys = array("i")  # name id -> key id
        self.first_keys = array("i")  # row -> key id of its first name
        self.last_keys = array("i")  # row -> key id of its last name
        self.birth_keys = array("i")  # row -> birth date with day and month in order (0: blank)
        self.key_weight: list[float] = []  # key id -> agreement weight, log2(0.9 / frequency)
        self.commune_weight: list[float] = []  # commune id -> agreement weight

    def __len__(self) -> int:
        return len(self.ids)

    def finish(self) -> None:
        """Key every distinct spelling once and weigh keys and communes by their frequency."""
        key_ids: dict[str, int] = {"": 0}
        name_keys = self.name_keys = array("i", [0]) * len(self.names)
        for name_id in range(1, len(self.names)):
            key = name_key(self.names[name_id])
            name_keys[name_id] = key_ids.setdefault(key, len(key_ids))
        self.first_keys = array("i", [name_keys[i] for i in self.first])
        self.last_keys = array("i", [name_keys[i] for i in self.last])
        counts = Counter(self.first_keys)
        counts.update(self.last_keys)
        total = 2 * max(1, len(self))
        self.key_weight = [
            min(10.0, max(1.0, math.log2(0.9 * total / counts[k]))) if k and counts[k] else 0.0
            for k in range(len(key_ids))
        ]
        rows = max(1, len(self))
        commune_counts = Counter(self.commune)
        self.commune_weight = [
            min(8.0, max(1.0, math.log2(0.85 * rows / commune_counts[c])))
            if c and commune_counts[c]
            else 0.0
            for c in range(len(self.communes))
        ]
        ordered: dict[int, int] = {0: 0}
        for day in set(self.birth):
            if day:
                date = _date_of(day)
                low, high = sorted((date.month, date.day))
                ordered[day] = date.year * 10000 + low * 100 + high
        self.birth_keys = array("i", [ordered[day] for day in self.birth])


def read_rows(lines: Iterable[str]) -> Iterator[Sequence[str]]:
    """The required fields of each CSV row, in REQUIRED_COLUMNS order (header checked)."""
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        raise MissingColumnsError(REQUIRED_COLUMNS) from None
    names = [column.strip().lower().lstrip("\ufeff") for column in header]
    missing = [column for column in REQUIRED_COLUMNS if column not in names]
    if missing:
        raise MissingColumnsError(missing)
    positions = [names.index(column) for column in REQUIRED_COLUMNS]
    pick = itemgetter(*positions)
    width = max(positions) + 1
    padding = [""] * width
    line = 1
    try:
        for row in reader:
            line = reader.line_num
            if len(row) >= width:
                yield pick(row)
            elif row:
                yield pick(row + padding)
    except UnicodeDecodeError as error:
        raise EncodingError(line + 1) from error


def load_table(rows: Iterable[Sequence[str]]) -> Table:
    """Turn rows (REQUIRED_COLUMNS order) into a Table, one pass, nothing per row but ints."""
    table = Table()
    clean_phone_ = PhoneCleaner()
    name_ids: dict[str, int] = {"": 0}
    commune_ids: dict[str, int] = {"": 0}
    names, communes = table.names, table.communes

    def new_name(text: str) -> int:
        clean = " ".join(text.split())
        name_id = name_ids.get(clean)
        if name_id is None:
            name_id = name_ids[clean] = len(names)
            names.append(clean)
        name_ids[text] = name_id
        return name_id

    def new_commune(text: str) -> int:
        clean = text.strip()
        commune_id = commune_ids.get(clean)
        if commune_id is None:
            commune_id = commune_ids[clean] = len(communes)
            communes.append(clean)
        commune_ids[text] = commune_id
        return commune_id

    add_id, add_first, add_last = table.ids.append, table.first.append, table.last.append
    add_birth, add_cin, add_phone = table.birth.append, table.cin.append, table.phone.append
    add_commune = table.commune.append
    get_name, get_commune, get_day = name_ids.get, commune_ids.get, _DAYS.get
    for record_id, first, last, birth, cin, phone, commune in rows:
        add_id(record_id)
        name_id = get_name(first)
        add_first(new_name(first) if name_id is None else name_id)
        name_id = get_name(last)
        add_last(new_name(last) if name_id is None else name_id)
        day = get_day(birth)
        add_birth(date_day(birth) if day is None else day)
        add_cin(cin_code(cin) if cin else 0)
        add_phone(clean_phone_(phone) if phone else 0)
        commune_id = get_commune(commune)
        add_commune(new_commune(commune) if commune_id is None else commune_id)
    table.finish()
    return table


# --- blocking ----------------------------------------------------------------------------------


def _rule_keys(table: Table, rule: str) -> array:
    """One blocking key per row, _NONE (-1) for a row the rule does not apply to.

    A key is ``hash`` of a tuple of ints, masked to 62 bits: deterministic (ints and tuples of
    ints are not salted), and a collision only costs one pair more to score.
    """
    kf, kl, birth, commune, cin = (
        table.first_keys,
        table.last_keys,
        table.birth_keys,
        table.commune,
        table.cin,
    )
    mask = 0x3FFFFFFFFFFFFFFF
    if rule == "cin":
        keys = [c if c else _NONE for c in cin]
    elif rule == "phone":
        keys = [p if p else _NONE for p in table.phone]
    elif rule in ("name_birth", "name_commune"):
        # The order-free name key: the two key ids, the smaller first.
        other = birth if rule == "name_birth" else commune
        keys = [
            hash((a, b, o) if a <= b else (b, a, o)) & mask if (a or b) and o else _NONE
            for a, b, o in zip(kf, kl, other, strict=True)
        ]
    elif rule == "first_birth":
        keys = [hash((a, d)) & mask if a and d else _NONE for a, d in zip(kf, birth, strict=True)]
    elif rule in ("cin_head", "cin_tail"):
        # Either half of the digits is intact when one digit was mistyped.
        tail = rule == "cin_tail"
        keys = []
        for b, c in zip(kl, cin, strict=True):
            if b and c:
                head, number = divmod(c, 10**7)
                half = 10 ** ((head % 8 + 1) // 2)
                keys.append(hash((b, head, tail, number % half if tail else number // half)) & mask)
            else:
                keys.append(_NONE)
    elif rule == "birth_commune":
        keys = [
            hash((d, c)) & mask if d and c else _NONE for d, c in zip(birth, commune, strict=True)
        ]
    else:  # pragma: no cover - a programming error
        raise ValueError(rule)
    return array("q", keys)


# The blocking rules, in order. Birth dates are compared with day and month in order, so a
# swapped day and month still meet. A block larger than max_block is walked in the order of the
# named column with a sliding window, or skipped ("") when its rows share too little for the
# pair to reach the threshold on that ground alone (the other rules still see them).
RULES: tuple[tuple[str, str], ...] = (
    ("cin", "birth"),
    ("phone", "last"),
    ("name_birth", "commune"),
    ("name_commune", ""),
    ("first_birth", "last"),
    ("cin_head", "first"),
    ("cin_tail", "first"),
    ("birth_commune", "last"),
)
# Rules whose blocks are smaller still: 10 rows sharing a name and a commune are namesakes
# (the name is common), and such a pair proves nothing without the other rules' evidence.
RULE_MAX_BLOCK = {"name_commune": 10}
# Relative cost of each rule (seconds per million rows of the benchmark), to share them out.
RULE_COST = {
    "cin": 1.6,
    "phone": 1.2,
    "name_birth": 1.1,
    "name_commune": 2.3,
    "first_birth": 1.9,
    "cin_head": 1.1,
    "cin_tail": 1.0,
    "birth_commune": 2.8,
}


def _blocks(keys: array) -> Iterable[list[int]]:
    """The rows sharing a key, for every key held by two rows or more (rows in file order)."""
    first_row: dict[int, int] = {}
    seen = first_row.setdefault
    # Rows whose key an earlier row holds.
    repeats = [i for i, key in enumerate(keys) if key >= 0 and seen(key, i) != i]
    blocks: dict[int, list[int]] = {}
    get = blocks.get
    for i in repeats:
        key = keys[i]
        block = get(key)
        if block is None:
            blocks[key] = [first_row[key], i]
        else:
            block.append(i)
    return blocks.values()


# --- scoring -----------------------------------------------------------------------------------


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
    CIN_SAME = 14.0
    CIN_NEAR = 8.0  # one digit apart
    CIN_DIFFERENT = -12.0
    PHONE_SAME = 6.0  # households share a phone
    PHONE_DIFFERENT = -2.0
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
        ci, cj = cin[i], cin[j]
        if ci and cj:
            if ci == cj:
                weight += w.CIN_SAME
            elif _cin_near(ci, cj):
                weight += w.CIN_NEAR
            else:
                weight += w.CIN_DIFFERENT
        pi, pj = phone[i], phone[j]
        if pi and pj:
            weight += w.PHONE_SAME if pi == pj else w.PHONE_DIFFERENT
        mi, mj = commune[i], commune[j]
        if mi and mj:
            weight += commune_weight[mi] if mi == mj else w.COMMUNE_DIFFERENT
        cap = name_cap[i] if name_cap[i] < name_cap[j] else name_cap[j]
        if weight + cap < threshold:
            return weight + cap - 1.0  # hopeless: skip the names
        fi, li, fj, lj = first[i], last[i], first[j], last[j]
        names = 0.0
        if fi and fj:
            names += names_weight(fi, fj)
        if li and lj:
            names += names_weight(li, lj)
        if names < 8.0 and (fi or li) and (fj or lj):
            swapped = -w.SWAPPED_PENALTY
            if fi and lj:
                swapped += names_weight(fi, lj)
            if li and fj:
                swapped += names_weight(li, fj)
            if swapped > names:
                names = swapped
        return weight + names

    return score


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


def auto_threshold(rows: int) -> float:
    """The match weight two rows need, by default: log2(rows) - 1.5, and at least 14.

    Fellegi-Sunter: the odds that two rows are one person are the prior odds times 2**weight;
    in a file of n rows where a row has a duplicate about one time in three, the prior odds
    of a pair are about 1 in n/3, so even odds need a weight of about log2(n) - 1.5. The
    floor keeps small files from linking on a name and a commune alone.
    """
    return max(MIN_THRESHOLD, math.log2(max(rows, 1)) - 1.5)


def find_pairs(
    table: Table,
    *,
    threshold: float | None = None,
    max_block: int = DEFAULT_MAX_BLOCK,
    window: int = DEFAULT_WINDOW,
    progress: Callable[[str], None] | None = None,
    jobs: int = 1,
) -> Pairs:
    """Every blocked pair scoring at least ``threshold`` (``auto_threshold`` by default).

    With ``jobs`` > 1 (and ``os.fork``), the rules are split into that many consecutive runs of
    about equal cost, each scored in a forked process that shares the table copy-on-write; the
    pairs are the same, in the same order, as with one job.
    """
    if threshold is None:
        threshold = auto_threshold(len(table))
    groups = _rule_groups(jobs if hasattr(os, "fork") else 1)
    if len(groups) == 1:
        return _find_pairs(table, range(len(RULES)), threshold, max_block, window, progress)
    import multiprocessing

    context = multiprocessing.get_context("fork")
    children = []
    for group in groups[1:]:
        receive, send = context.Pipe(duplex=False)
        child = context.Process(
            target=_find_pairs_child,
            args=(send, table, group, threshold, max_block, window),
            daemon=True,
        )
        child.start()
        send.close()
        children.append((child, receive))
    pairs = _find_pairs(table, groups[0], threshold, max_block, window, progress)
    for child, receive in children:
        try:
            left, right, weight, compared, lines = receive.recv()
        except EOFError:
            child.join()
            raise RuntimeError(f"a dedupe worker died (exit code {child.exitcode})") from None
        child.join()
        pairs.left.frombytes(left)
        pairs.right.frombytes(right)
        pairs.weight.frombytes(weight)
        pairs.compared += compared
        for line in lines if progress else ():
            progress(line)
    return pairs


def _rule_groups(jobs: int) -> list[list[int]]:
    """RULES split into ``jobs`` consecutive runs of about equal RULE_COST."""
    jobs = max(1, min(jobs, len(RULES)))
    total = sum(RULE_COST[rule] for rule, _ in RULES)
    groups: list[list[int]] = [[]]
    done = 0.0
    for index, (rule, _) in enumerate(RULES):
        if groups[-1] and done >= total * len(groups) / jobs and len(groups) < jobs:
            groups.append([])
        groups[-1].append(index)
        done += RULE_COST[rule]
    return groups


def _find_pairs_child(send, table, group, threshold, max_block, window) -> None:
    lines: list[str] = []
    pairs = _find_pairs(table, group, threshold, max_block, window, lines.append)
    send.send(
        (
            pairs.left.tobytes(),
            pairs.right.tobytes(),
            pairs.weight.tobytes(),
            pairs.compared,
            lines,
        )
    )
    send.close()


def _window_pairs(block: list[int], window: int) -> Iterator[tuple[int, int]]:
    """Each row with the next ``window`` rows (sorted neighbourhood)."""
    for x, i in enumerate(block):
        for j in block[x + 1 : x + 1 + window]:
            yield i, j


def _find_pairs(
    table: Table,
    rules: Iterable[int],
    threshold: float,
    max_block: int,
    window: int,
    progress: Callable[[str], None] | None,
) -> Pairs:
    """The pairs of the given RULES (by index); the earlier rules only tell what was seen."""
    rules = list(rules)
    score = make_scorer(table, threshold)
    pairs = Pairs()
    done: list[array] = [_rule_keys(table, rule) for rule, _ in RULES[: rules[0]]]
    columns = {"birth": table.birth, "first": table.first, "last": table.last}
    add_left, add_right, add_weight = pairs.left.append, pairs.right.append, pairs.weight.append
    for rule, order_by in (RULES[index] for index in rules):
        started = time.perf_counter()
        keys = _rule_keys(table, rule)
        order = columns.get(order_by)
        limit = RULE_MAX_BLOCK.get(rule, max_block)
        compared = kept = 0
        for block in _blocks(keys):
            if len(block) <= (limit if limit < max_block else max_block):
                candidates: Iterable[tuple[int, int]] = combinations(block, 2)
            elif order is not None:
                block.sort(key=order.__getitem__)
                candidates = _window_pairs(block, window)
            else:
                continue
            for i, j in candidates:
                for earlier in done:  # an earlier rule has scored this pair already
                    key = earlier[i]
                    if key == earlier[j] and key != _NONE:
                        break
                else:
                    compared += 1
                    weight = score(i, j)
                    if weight >= threshold:
                        kept += 1
                        add_left(i if i < j else j)
                        add_right(j if i < j else i)
                        add_weight(weight)
        done.append(keys)
        pairs.compared += compared
        if progress:
            progress(
                f"{rule}: {compared} pairs compared, {kept} kept, "
                f"{time.perf_counter() - started:.1f}s"
            )
    return pairs


def cluster(table: Table, pairs: Pairs, *, max_cluster: int = DEFAULT_MAX_CLUSTER) -> array:
    """For each row, the row number of its cluster's first row.

    Pairs are merged strongest first; two clusters of more than one row are not merged when
    their birth dates differ (day and month swapped aside) or their CINs are more than one digit
    apart, nor when the result would pass ``max_cluster`` rows.
    """
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

    left, right, weights = pairs.left, pairs.right, pairs.weight
    order = sorted(range(len(pairs)), key=weights.__getitem__, reverse=True)
    for p in order:
        a, b = find(left[p]), find(right[p])
        if a == b or size[a] + size[b] > max_cluster:
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
    threshold: float | None = None,
    progress: Callable[[str], None] | None = None,
    stats: DedupeStats | None = None,
    jobs: int = 1,
) -> tuple[Table, array]:
    """Cluster rows given in REQUIRED_COLUMNS order; return the table and, per row, the row
    number of its cluster's first row."""
    stats = stats if stats is not None else DedupeStats()
    with _gc_paused():
        return _dedupe_rows(rows, threshold, progress, stats, jobs)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection meanwhile: nothing here makes cycles, and each collection
    would walk millions of live objects."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _dedupe_rows(rows, threshold, progress, stats, jobs) -> tuple[Table, array]:
    clock = time.perf_counter()
    table = load_table(rows)
    stats.timings["read"] = time.perf_counter() - clock
    if progress:
        progress(f"read {len(table)} rows, {len(table.names) - 1} distinct names")
    clock = time.perf_counter()
    if threshold is None:
        threshold = auto_threshold(len(table))
    stats.threshold = threshold
    pairs = find_pairs(table, threshold=threshold, progress=progress, jobs=jobs)
    stats.timings["pairs"] = time.perf_counter() - clock
    clock = time.perf_counter()
    clusters = cluster(table, pairs)
    stats.timings["cluster"] = time.perf_counter() - clock
    stats.rows = len(table)
    stats.candidate_pairs = pairs.compared
    stats.matched_pairs = len(pairs)
    stats.clusters = sum(1 for i, first in enumerate(clusters) if i == first)
    return table, clusters


def _first_undecodable_line(path: str | Path) -> int:
    """The number of the first line that is not UTF-8 (the text reader only knows its buffer)."""
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return 1


def dedupe_file(
    input_path: str | Path,
    output_path: str | Path,
    *,
    threshold: float | None = None,
    progress: Callable[[str], None] | None = None,
    jobs: int = 1,
) -> DedupeStats:
    """Read ``input_path``, write ``id,cluster_id`` for every row to ``output_path``."""
    started = time.perf_counter()
    stats = DedupeStats()
    try:
        with open(input_path, encoding="utf-8-sig", newline="") as handle:
            table, clusters = dedupe_rows(
                read_rows(handle), threshold=threshold, progress=progress, stats=stats, jobs=jobs
            )
    except (UnicodeDecodeError, EncodingError) as error:
        raise EncodingError(_first_undecodable_line(input_path)) from error
    clock = time.perf_counter()
    # The ids are the input file's: made inert once each, so no cell of the output runs as a formula.
    ids = [spreadsheet_cell(value) for value in table.ids]
    with open(output_path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(OUTPUT_COLUMNS)
        writer.writerows(zip(ids, map(ids.__getitem__, clusters), strict=True))
    stats.timings["write"] = time.perf_counter() - clock
    stats.seconds = time.perf_counter() - started
    if progress:
        progress(", ".join(f"{step} {seconds:.1f}s" for step, seconds in stats.timings.items()))
    return stats
