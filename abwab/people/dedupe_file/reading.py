"""Step 1, reading: a people CSV into a ``Table`` of integer columns (see the package docstring)."""

from __future__ import annotations

import csv
import datetime
import math
import re
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter

from django.core.exceptions import ValidationError

from abwab.names import name_key
from abwab.names.identifiers import read_cin, read_phone, typing_distance
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
_TYPED_CIN = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
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


def typed_cin_code(reading: str) -> int:
    """``cin_code`` of a CIN reading (``abwab.names.identifiers.read_cin``) the validator
    refuses, three prefix letters included (a letter added): 0 when it is no CIN at all."""
    match = _TYPED_CIN.fullmatch(reading)
    if match is None:
        return 0
    prefix, digits = match.groups()
    letters = 0
    for letter in prefix:
        letters = letters * 27 + ord(letter) - 64
    if len(prefix) == 1:
        letters *= 27
    return (letters * 8 + len(digits)) * 10**7 + int(digits)


def cin_text(code: int) -> str:
    """The canonical CIN back from ``cin_code`` (or ``typed_cin_code``)."""
    if not code:
        return ""
    head, number = divmod(code, 10**7)
    letters, length = divmod(head, 8)
    prefix = ""
    while letters:
        letters, letter = divmod(letters, 27)
        prefix = (chr(letter + 64) if letter else "") + prefix
    return prefix + str(number).zfill(length)


def cin_number(code: int) -> tuple[int, int]:
    """(the CIN's digits as an int, how many digits): the CIN without its letters."""
    head, number = divmod(code, 10**7)
    return number, head % 8


def cin_distance(a: int, b: int) -> int:
    """``abwab.names.identifiers.typing_distance`` of two CIN codes (both not blank): 0, 1, 2, 3."""
    if a == b:
        return 0
    return typing_distance(cin_text(a), cin_text(b))


def phone_distance(a: int, b: int) -> int:
    """``typing_distance`` of two phones (E.164 digits as ints, both not blank): 0, 1, 2, 3."""
    if a == b:
        return 0
    return typing_distance(str(a), str(b))


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


def typed_phone_code(reading: str) -> int:
    """A Moroccan phone reading the validator refuses (a digit dropped or doubled), as E.164
    digits as typed, so that ``phone_distance`` sees it one error from the right number; any
    other invalid phone is blank (0)."""
    if reading[:1] == "0" and reading[1:2] in "5678" and 9 <= len(reading) <= 11:
        if reading.isdigit():
            return int("212" + reading[1:])
    return PhoneCleaner()(reading) if reading.isdigit() else 0


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
        self.identifier_weights = None  # estimate.IdentifierWeights, set before scoring
        self.name_weights = None  # estimate.NameWeights, set before scoring

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
        # A CIN or phone the validators refuse is read as typed (look-alike letters, "O" for 0).
        add_cin((cin_code(cin) or typed_cin_code(read_cin(cin))) if cin else 0)
        add_phone((clean_phone_(phone) or typed_phone_code(read_phone(phone))) if phone else 0)
        commune_id = get_commune(commune)
        add_commune(new_commune(commune) if commune_id is None else commune_id)
    table.finish()
    return table
