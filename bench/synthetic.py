"""Synthetic people files with known truth, for benchmarking duplicate detection.

Every true person gets a first name consistent with their gender and a last name from the
reference lists in ``shared/data`` (Arabic and/or Latin, the Latin spelling chosen among the listed
variants), a birth date, a CIN such as "AB123456" (sometimes blank), a Moroccan mobile (sometimes
blank) and a commune drawn in proportion to its 2024 population. Some persons have a relative:
same last name, commune and often the same phone, another first name and birth date (the hard
negatives of a membership file). About a quarter of the persons get one to three extra records
with the usual corruptions: the other script or another transliteration, "El " added or removed,
a typo (deleted, swapped or replaced letter), first and last name swapped, missing fields, a CIN
typo (one digit changed), another or no phone, the birth date missing or with day and month
swapped, another commune.

The records are shuffled and written as ``id,first_name,last_name,birth_date,cin,phone,
commune_code``; the truth file maps each ``id`` to its ``person_id``.
"""

import csv
import datetime
import math
import os
import random
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

INPUT_COLUMNS = ["id", "first_name", "last_name", "birth_date", "cin", "phone", "commune_code"]

CIN_PREFIXES = (
    "A AA AB AD AE B BB BE BH BJ BK BL BM C CB CD D DA DN E EE F FA G GB GK H HA I IA J JA JB "
    "JC JE JH K KB L LA LB LC M MA N P PA Q R S SH T U UA V W WA X Y Z ZG ZT"
).split()
ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def shared_data_dir() -> Path:
    """shared/data, the sibling of the checkout (ABWAB_SHARED_DATA overrides it)."""
    override = os.environ.get("ABWAB_SHARED_DATA")
    if override:
        return Path(override)
    return (Path(__file__).resolve().parents[1] / ".." / "shared" / "data").resolve()


@dataclass(frozen=True)
class Name:
    arabic: str  # "" when the reference lists only Latin spellings
    latin: tuple[str, ...]


@dataclass
class Person:
    pid: int
    gender: str
    first: Name
    last: Name
    birth: datetime.date
    cin: str
    phone: str
    commune: str
    arabic: bool  # the script the person's own records prefer


class NamePool:
    """The reference names, weighted by how often Wikidata lists them."""

    def __init__(self, data: Path) -> None:
        self.first: dict[str, list[Name]] = {"F": [], "M": []}
        self.first_weights: dict[str, list[float]] = {"F": [], "M": []}
        with open(data / "first_names.csv", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                variants = tuple(v for v in row["latin_variants"].split("|") if v)
                if row["gender"] in self.first and variants:
                    self.first[row["gender"]].append(Name(row["name_ar"], variants))
                    # Wikidata over-counts the names of the famous (Maria would be a fifth of all
                    # women): the square root flattens that.
                    count = int(row["wikidata_count"] or 0)
                    self.first_weights[row["gender"]].append(math.sqrt(count) + 1)
        with open(data / "first_names_latin_only.csv", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["gender"] in self.first:
                    self.first[row["gender"]].append(Name("", (row["name_latin"],)))
                    self.first_weights[row["gender"]].append(1)
        self.last: list[Name] = []
        self.last_weights: list[float] = []
        with open(data / "last_names.csv", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                variants = tuple(v for v in row["latin_variants"].split("|") if v)
                if variants:
                    self.last.append(Name(row["name_ar"], variants))
                    self.last_weights.append(int(row["wikidata_count"] or 0) + 2)
        self.communes: list[str] = []
        self.commune_weights: list[float] = []
        with open(data / "communes.csv", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                self.communes.append(row["code"])
                self.commune_weights.append(int(row["population_2024"] or 0) + 1)


class Generator:
    def __init__(self, seed: int = 1, data: Path | None = None) -> None:
        self.rng = random.Random(seed)
        self.pool = NamePool(data or shared_data_dir())
        self._cins: set[str] = set()
        self._phones: set[str] = set()
        # Cumulative weights, so that each draw is a bisect.
        self._first_cum = {g: _cumulative(w) for g, w in self.pool.first_weights.items()}
        self._last_cum = _cumulative(self.pool.last_weights)
        self._commune_cum = _cumulative(self.pool.commune_weights)

    # --- identifiers -------------------------------------------------------------------------
    def new_cin(self) -> str:
        while True:
            digits = 6 if self.rng.random() < 0.9 else 5
            cin = self.rng.choice(CIN_PREFIXES) + str(self.rng.randrange(10**digits)).zfill(digits)
            if cin not in self._cins:
                self._cins.add(cin)
                return cin

    def new_phone(self) -> str:
        while True:
            # Prefixes that phonenumbers accepts as Moroccan mobiles.
            prefix = self.rng.choice(
                ("60", "61", "62", "64", "65", "66", "67", "69", "70", "76", "77", "78")
            )
            phone = "0" + prefix + str(self.rng.randrange(10**7)).zfill(7)
            if phone not in self._phones:
                self._phones.add(phone)
                return phone

    def format_phone(self, phone: str) -> str:
        """The same number the way people write it."""
        national = phone[1:]
        style = self.rng.random()
        if style < 0.55:
            return phone
        if style < 0.7:
            return " ".join(phone[i : i + 2] for i in range(0, 10, 2))
        if style < 0.85:
            return "+212" + national
        if style < 0.95:
            return (
                f"+212 {national[0]} {national[1:3]} {national[3:5]} {national[5:7]} {national[7:]}"
            )
        return "00212" + national

    def birth_date(self) -> datetime.date:
        start = datetime.date(1945, 1, 1).toordinal()
        end = datetime.date(2007, 12, 31).toordinal()
        return datetime.date.fromordinal(self.rng.randint(start, end))

    # --- persons -----------------------------------------------------------------------------
    def person(self, pid: int) -> Person:
        rng = self.rng
        gender = "M" if rng.random() < 0.55 else "F"
        first = self._pick_first(gender)
        last = self.pool.last[_draw(rng, self._last_cum)]
        commune = self.pool.communes[_draw(rng, self._commune_cum)]
        return Person(
            pid=pid,
            gender=gender,
            first=first,
            last=last,
            birth=self.birth_date(),
            cin=self.new_cin() if rng.random() < 0.85 else "",
            phone=self.new_phone() if rng.random() < 0.8 else "",
            commune=commune,
            arabic=bool(first.arabic) and rng.random() < 0.5,
        )

    def relative(self, pid: int, of: Person) -> Person:
        """Another person of the same household: same last name and commune, often same phone."""
        rng = self.rng
        gender = "M" if rng.random() < 0.5 else "F"
        first = self._pick_first(gender)
        while first == of.first:
            first = self._pick_first(gender)
        return Person(
            pid=pid,
            gender=gender,
            first=first,
            last=of.last,
            birth=self.birth_date(),
            cin=self.new_cin() if rng.random() < 0.85 else "",
            phone=of.phone
            if rng.random() < 0.6
            else (self.new_phone() if rng.random() < 0.7 else ""),
            commune=of.commune,
            arabic=bool(first.arabic) and rng.random() < 0.5,
        )

    def _pick_first(self, gender: str) -> Name:
        return self.pool.first[gender][_draw(self.rng, self._first_cum[gender])]

    # --- records -----------------------------------------------------------------------------
    def record(self, person: Person, duplicate: bool) -> list[str]:
        """One row for the person; a duplicate carries corruptions."""
        rng = self.rng
        arabic = person.arabic
        latin_pick = 0 if not duplicate else None  # a person's first record uses their spelling
        if duplicate and person.first.arabic and rng.random() < 0.4:
            arabic = not arabic
        first = self._spell(person.first, arabic, latin_pick, person.pid)
        last = self._spell(person.last, arabic, latin_pick, person.pid)
        birth = person.birth.isoformat()
        cin, phone, commune = person.cin, person.phone, person.commune
        if duplicate:
            if rng.random() < 0.15:
                last = self._toggle_article(last)
            if rng.random() < 0.2:
                if rng.random() < 0.5:
                    first = self._typo(first)
                else:
                    last = self._typo(last)
            if rng.random() < 0.08:
                first, last = last, first
            if rng.random() < 0.15:
                birth = ""
            elif rng.random() < 0.05 and person.birth.day <= 12:
                birth = person.birth.replace(
                    month=person.birth.day, day=person.birth.month
                ).isoformat()
            if cin and rng.random() < 0.3:
                cin = ""
            elif cin and rng.random() < 0.07:
                cin = self._cin_typo(cin)
            if rng.random() < 0.3:
                phone = ""
            elif rng.random() < 0.1:
                phone = self.new_phone()
            if rng.random() < 0.1:
                commune = ""
            elif rng.random() < 0.1:
                commune = self.pool.communes[_draw(rng, self._commune_cum)]
            if rng.random() < 0.03:
                first = ""
        elif rng.random() < 0.05:
            birth = ""  # even a first record may lack its birth date
        cin = cin.lower() if cin and rng.random() < 0.05 else cin
        return [first, last, birth, cin, self.format_phone(phone) if phone else "", commune]

    def _spell(self, name: Name, arabic: bool, latin_pick: int | None, pid: int) -> str:
        if arabic and name.arabic:
            return name.arabic
        if latin_pick is None:
            return self.rng.choice(name.latin)
        # The person's usual spelling: stable per person, not always the first variant.
        return name.latin[(pid * 7919) % len(name.latin)]

    def _toggle_article(self, last: str) -> str:
        if not last:
            return last
        if last[0] in ARABIC_LETTERS or last[0] in "أإآ":
            return last[2:] if last.startswith("ال") and len(last) > 3 else "ال" + last
        if last.lower().startswith("el "):
            return last[3:]
        return "El " + last

    def _typo(self, text: str) -> str:
        if len(text) < 4:
            return text
        rng = self.rng
        letters = ARABIC_LETTERS if text[0] in ARABIC_LETTERS or text[0] in "أإآ" else LATIN_LETTERS
        i = rng.randrange(1, len(text) - 1)
        kind = rng.random()
        if kind < 0.4:
            return text[:i] + text[i + 1 :]
        if kind < 0.7:
            return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        return text[:i] + rng.choice(letters) + text[i + 1 :]

    def _cin_typo(self, cin: str) -> str:
        positions = [i for i, c in enumerate(cin) if c.isdigit()]
        i = self.rng.choice(positions)
        digit = self.rng.choice([d for d in "0123456789" if d != cin[i]])
        return cin[:i] + digit + cin[i + 1 :]


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def _draw(rng: random.Random, cumulative: list[float]) -> int:
    return min(bisect_right(cumulative, rng.random() * cumulative[-1]), len(cumulative) - 1)


def generate(
    rows: int,
    input_path: Path,
    truth_path: Path,
    *,
    seed: int = 1,
    duplicate_share: float = 0.25,
    relative_share: float = 0.08,
) -> dict[str, int]:
    """Write about ``rows`` records (exactly ``rows``) and their truth; return counts."""
    gen = Generator(seed)
    rng = gen.rng
    records: list[tuple[int, list[str]]] = []
    pid = 0
    persons = 0
    while len(records) < rows:
        pid += 1
        person = gen.person(pid)
        group = [person]
        if rng.random() < relative_share:
            pid += 1
            group.append(gen.relative(pid, person))
        for member in group:
            persons += 1
            records.append((member.pid, gen.record(member, duplicate=False)))
            if rng.random() < duplicate_share:
                extra = rng.choices((1, 2, 3), weights=(0.65, 0.25, 0.1))[0]
                for _ in range(extra):
                    records.append((member.pid, gen.record(member, duplicate=True)))
    del records[rows:]
    rng.shuffle(records)
    input_path.parent.mkdir(parents=True, exist_ok=True)
    with (
        open(input_path, "w", encoding="utf-8", newline="") as out,
        open(truth_path, "w", encoding="utf-8", newline="") as truth,
    ):
        writer, truth_writer = csv.writer(out), csv.writer(truth)
        writer.writerow(INPUT_COLUMNS)
        truth_writer.writerow(["id", "person_id"])
        for number, (person_id, fields) in enumerate(records, start=1):
            record_id = str(number)
            writer.writerow([record_id, *fields])
            truth_writer.writerow([record_id, person_id])
    return {"rows": len(records), "persons": len({p for p, _ in records})}
