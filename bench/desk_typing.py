"""A third people file for ``bench.dedupe``: ``bench/synthetic.py``'s file typed again at a door desk.

Written from issue 18's plain description only (not from the scorer, and not from
``bench/typed_people.py``, which is never read): every record after a person's first one in the
file is retyped by a volunteer reading a card held up across a table, in proportions chosen here
once and not changed after seeing a figure:

* the CIN (35 % of the records that hold one): two characters swapped; a digit dropped, doubled,
  inserted or replaced; the letter prefix swapped (AB/BA), one of its letters dropped or added;
  a digit typed as a look-alike letter (0/O, 1/l/I, 8/B, 5/S, 2/Z, 6/G/b); spaces, dashes or
  lower case; one record in seven of these gets two such errors;
* the phone (20 %): the same kinds of error on its digits, or written otherwise (+212, spaces);
* the names (30 %): a typo in either script (a letter dropped, two swapped, one replaced; in
  Arabic, often by a letter differing only by its dots), a long vowel dropped in a long Arabic
  name, first and last names swapped, "El"/"ال" added or removed, "Ben"/"بن" and "Abd"/"عبد"
  split from or joined to the rest of the name.

The truth is the synthetic file's. ``python -m bench.dedupe --generator desk`` builds it.
"""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

LOOK_ALIKE = {"0": "O", "1": "lI", "8": "B", "5": "S", "2": "Z", "6": "Gb"}
# Arabic letters a hurried hand or eye confuses: the same shape, other dots.
ARABIC_DOTS = ["بتثني", "جحخ", "دذ", "رز", "سش", "صض", "طظ", "عغ", "فق"]
ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyz"
LONG_VOWELS = "اوي"

CIN_SHARE, TWO_CIN_ERRORS, PHONE_SHARE, NAME_SHARE = 0.35, 1 / 7, 0.20, 0.30


def _digit_error(rng: random.Random, text: str) -> str:
    """One typing error among the digits of ``text`` (letters elsewhere are left alone)."""
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    if len(digits) < 2:
        return text
    kind = rng.randrange(6)
    i = rng.choice(digits[:-1])
    if kind == 0 and text[i + 1].isdigit() and text[i] != text[i + 1]:  # two swapped
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind == 1:  # dropped
        return text[:i] + text[i + 1 :]
    if kind == 2:  # doubled
        return text[: i + 1] + text[i] + text[i + 1 :]
    if kind == 3:  # inserted
        return text[:i] + rng.choice("0123456789") + text[i:]
    if kind == 4 and any(text[j] in LOOK_ALIKE for j in digits):  # a look-alike letter
        j = rng.choice([j for j in digits if text[j] in LOOK_ALIKE])
        return text[:j] + rng.choice(LOOK_ALIKE[text[j]]) + text[j + 1 :]
    other = rng.choice([d for d in "0123456789" if d != text[i]])  # replaced
    return text[:i] + other + text[i + 1 :]


def cin_error(rng: random.Random, cin: str) -> str:
    match = re.fullmatch(r"([A-Za-z]{1,2})(\d+)", cin)
    if match is None:
        return cin
    prefix, digits = match.groups()
    kind = rng.random()
    if kind < 0.2:
        if len(prefix) == 2 and prefix[0] != prefix[1] and rng.random() < 0.5:
            prefix = prefix[::-1]
        elif len(prefix) == 2:
            prefix = prefix[rng.randrange(2)]
        else:
            added = rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ")
            prefix = prefix + added if rng.random() < 0.5 else added + prefix
        return prefix + digits
    if kind < 0.3:  # spaces, dashes, lower case
        return rng.choice([f"{prefix} {digits}", f"{prefix}-{digits}", (prefix + digits).lower()])
    return prefix + _digit_error(rng, digits)


def phone_error(rng: random.Random, phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("212"):
        digits = "0" + digits[3:]
    if rng.random() < 0.2:
        return "+212 " + " ".join(digits[i : i + 2] for i in range(1, len(digits), 2))
    return digits[:2] + _digit_error(rng, digits[2:])


def _is_arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text)


def name_typo(rng: random.Random, name: str) -> str:
    if len(name) < 3:
        return name
    i = rng.randrange(1, len(name) - 1)
    if not name[i].isalpha():
        return name
    arabic = _is_arabic(name)
    kind = rng.random()
    if kind < 0.3:
        return name[:i] + name[i + 1 :]
    if kind < 0.55 and name[i + 1].isalpha():
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if arabic:
        group = next((g for g in ARABIC_DOTS if name[i] in g), None)
        if group and kind < 0.85:
            return name[:i] + rng.choice([c for c in group if c != name[i]]) + name[i + 1 :]
        return name[:i] + rng.choice(ARABIC_LETTERS) + name[i + 1 :]
    return name[:i] + rng.choice(LATIN_LETTERS) + name[i + 1 :]


def drop_long_vowel(rng: random.Random, name: str) -> str:
    places = [i for i, c in enumerate(name) if c in LONG_VOWELS and 0 < i < len(name) - 1]
    if len(name.replace(" ", "")) < 5 or not places:
        return name_typo(rng, name)
    i = rng.choice(places)
    return name[:i] + name[i + 1 :]


def toggle_article(name: str) -> str:
    if _is_arabic(name):
        return name[2:] if name.startswith("ال") and len(name) > 4 else "ال" + name
    if name.lower().startswith("el "):
        return name[3:]
    if name.lower().startswith("el") and len(name) > 5:
        return name[2:].capitalize()
    return "El " + name


_COMPOUND = re.compile(r"^(Ben|Abd ?el|Abd|Bou|بن|عبد|بو) ?(.+)$", re.IGNORECASE)


def split_or_join(name: str) -> str | None:
    """Ben Ali <-> Benali, Abd El Kader <-> Abdelkader, بن علي <-> بنعلي: None when not compound."""
    if " " in name:
        head, _, rest = name.partition(" ")
        if head.lower() in ("ben", "abd", "bou", "بن", "عبد", "بو", "abdel"):
            return head + rest.replace(" ", "").lower() if not _is_arabic(name) else head + rest
        return None
    match = _COMPOUND.match(name)
    if match is None or len(match.group(2)) < 3:
        return None
    head, rest = match.groups()
    return f"{head} {rest.capitalize() if not _is_arabic(name) else rest}"


def name_error(rng: random.Random, first: str, last: str) -> tuple[str, str]:
    kind = rng.random()
    if kind < 0.15:
        return last, first
    if kind < 0.3 and last:
        return first, toggle_article(last)
    if kind < 0.45:
        for slot, name in (
            ((0, first), (1, last)) if rng.random() < 0.5 else ((1, last), (0, first))
        ):
            changed = split_or_join(name)
            if changed:
                return (changed, last) if slot == 0 else (first, changed)
    which = rng.randrange(2)
    name = (first, last)[which]
    if not name:
        return first, last
    if _is_arabic(name) and kind < 0.6:
        name = drop_long_vowel(rng, name)
    else:
        name = name_typo(rng, name)
    return (name, last) if which == 0 else (first, name)


def retype(source: Path, truth: Path, target: Path, seed: int = 1) -> dict[str, int]:
    """Write ``target``: the rows of ``source``, each person's later records retyped."""
    rng = random.Random(f"desk-{seed}")
    with open(truth, encoding="utf-8", newline="") as handle:
        person = {row["id"]: row["person_id"] for row in csv.DictReader(handle)}
    seen: set[str] = set()
    counts = {"rows": 0, "retyped": 0, "cin": 0, "phone": 0, "names": 0}
    with (
        open(source, encoding="utf-8", newline="") as handle,
        open(target, "w", encoding="utf-8", newline="") as out,
    ):
        reader = csv.DictReader(handle)
        writer = csv.DictWriter(out, fieldnames=reader.fieldnames)
        writer.writeheader()
        for row in reader:
            counts["rows"] += 1
            pid = person[row["id"]]
            if pid in seen:
                counts["retyped"] += 1
                if row["cin"] and rng.random() < CIN_SHARE:
                    row["cin"] = cin_error(rng, row["cin"])
                    if rng.random() < TWO_CIN_ERRORS:
                        row["cin"] = cin_error(rng, row["cin"])
                    counts["cin"] += 1
                if row["phone"] and rng.random() < PHONE_SHARE:
                    row["phone"] = phone_error(rng, row["phone"])
                    counts["phone"] += 1
                if rng.random() < NAME_SHARE:
                    row["first_name"], row["last_name"] = name_error(
                        rng, row["first_name"], row["last_name"]
                    )
                    counts["names"] += 1
            seen.add(pid)
            writer.writerow(row)
    return counts
