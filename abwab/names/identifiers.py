"""How a CIN or a phone number is really mistyped, and how to find it again.

A volunteer at a door desk copies a card held up across a table. What goes wrong, one error at a
time: two characters swapped; a digit dropped, doubled or added; the CIN's letter prefix swapped
(AL/LA) or one of its letters dropped or added; a key next to the right one (a digit replaced);
a letter read for a digit or back (l/1/I, O/0, B/8, S/5, Z/2, G/6, b/6); spaces, dashes, dots and
lower case. The last two are not errors of the number but of its writing: ``read_cin`` and
``read_phone`` undo them, so a distance is between *readings*.

``typing_distance(a, b)`` counts the edits (swap of neighbours, drop, add, replace: optimal string
alignment) between two readings, capped at 3: 0 the same, 1 one such error, 2 two, 3 different.
Blocking keys put one-error variants in a common block: the digits without the prefix (prefix
errors), the digits sorted (swaps, prefix errors), each half of the digits (any one error leaves
one half intact, counted from its own end), and the deletion neighbourhood (a reading and each
reading with one character deleted: two readings one error apart share one of them). For an
indexed lookup, ``cin_variants``/``phone_variants`` list every reading one error away.

Pure Python (rapidfuzz for the distance), no Django; the batch engine, the door lookup and the
import check share it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from string import ascii_uppercase, digits

from rapidfuzz.distance import OSA

DIFFERENT = 3  # typing_distance's cap: "not one person's number mistyped"

# Read as a digit inside the digits of a CIN or a phone.
_AS_DIGIT = str.maketrans(
    {
        "O": "0",
        "o": "0",
        "Q": "0",
        "l": "1",
        "I": "1",
        "i": "1",
        "|": "1",
        "L": "1",
        "B": "8",
        "S": "5",
        "s": "5",
        "Z": "2",
        "z": "2",
        "G": "6",
        "b": "6",
    }
)
# Read as a letter inside a CIN's prefix.
_AS_LETTER = str.maketrans({"0": "O", "1": "I", "8": "B", "5": "S", "2": "Z", "6": "G"})
_SEPARATORS = re.compile(r"[\s\-._/()]+")
_CIN_SHAPE = re.compile(r"[A-Z]{1,2}[0-9]{1,7}")


def _plain(value: str) -> str:
    """NFKC (full width), any script's decimal digits as ASCII, separators dropped."""
    text = unicodedata.normalize("NFKC", value or "")
    if not text.isascii():
        text = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)
    return _SEPARATORS.sub("", text)


@lru_cache(maxsize=65536)
def read_cin(value: str) -> str:
    """The reading of a typed CIN: its letter prefix (upper case) then its digits, look-alike
    letters read as digits there; "" when nothing is left.

    ``read_cin(" ab-12O 456")`` is ``"AB120456"``. It is not a validator: an impossible CIN reads
    as well as it can (the validators of abwab.people decide what may be stored).
    """
    text = _plain(value)
    if not text:
        return ""
    head = 0
    while head < len(text) and text[head].isalpha() and text[head].isascii():
        head += 1
    if head > 2 and sum(c.isdigit() for c in text[head:]) < 6:
        # Letters past the second are digits read wrong (ABO12345) unless six digits follow,
        # which makes them a letter added to the prefix (AKB123456).
        head = 2
    if head == 0 and len(text) > 1 and text[0] in "012586" and text[1:2].isalpha():
        # A prefix letter read as a digit: 8E123456 for BE123456.
        return (text[0].translate(_AS_LETTER) + text[1].upper() + _digits(text[2:])).upper()
    return text[:head].upper() + _digits(text[head:])


def _digits(text: str) -> str:
    return text.translate(_AS_DIGIT).upper()


@lru_cache(maxsize=65536)
def read_phone(value: str) -> str:
    """The reading of a typed phone number: its digits, look-alike letters read as digits,
    a Moroccan number in national form (0 and nine digits, ``+212``/``00212``/``212`` dropped)."""
    text = _plain(value)
    plus = text.startswith("+")
    text = _digits(text.lstrip("+"))
    if not text.isdigit():
        text = "".join(c for c in text if c.isdigit())
    if plus or text.startswith("00"):
        text = text[2:] if text.startswith("00") else text
        if text.startswith("212"):
            return "0" + text[3:]
        return "+" + text
    if text.startswith("212") and len(text) >= 11:
        return "0" + text[3:]
    return text


def typing_distance(a: str, b: str) -> int:
    """0, 1, 2 or 3 (``DIFFERENT``): how many typing errors apart two readings are (a blank one
    is ``DIFFERENT`` from anything)."""
    if not a or not b:
        return DIFFERENT
    if a == b:
        return 0
    return min(DIFFERENT, OSA.distance(a, b, score_cutoff=DIFFERENT))


def cin_distance(a: str, b: str) -> int:
    """``typing_distance`` of two CINs as typed."""
    return typing_distance(read_cin(a), read_cin(b))


def phone_distance(a: str, b: str) -> int:
    """``typing_distance`` of two phone numbers as typed (any of their writings)."""
    return typing_distance(read_phone(a), read_phone(b))


# --- blocking keys -----------------------------------------------------------------------------


def cin_digits(reading: str) -> str:
    """The digits of a CIN reading without its prefix: the block of prefix errors."""
    return reading.lstrip(ascii_uppercase)


def sorted_digits(reading: str) -> str:
    """The digits sorted: the block of swapped digits and of prefix errors."""
    return "".join(sorted(cin_digits(reading)))


def digit_halves(reading: str) -> tuple[str, str]:
    """The first half of the digits counted from the start and the second counted from the end:
    one swap, drop, addition or replacement leaves at least one of them as it was (a swap across
    the middle aside)."""
    number = cin_digits(reading)
    half = (len(number) + 1) // 2
    return number[:half], number[-half:] if half else ""


def deletion_neighbourhood(reading: str) -> set[str]:
    """The reading and each reading with one character deleted: two readings one error apart
    (swap, drop, addition, replacement) always share one of these."""
    return {reading} | {reading[:i] + reading[i + 1 :] for i in range(len(reading))}


# --- readings one error away, for an indexed lookup ----------------------------------------------


def _one_edit(text: str, alphabet: str) -> set[str]:
    found = set()
    for i in range(len(text) + 1):
        for c in alphabet:
            found.add(text[:i] + c + text[i:])  # added (a doubled one too)
    for i in range(len(text)):
        found.add(text[:i] + text[i + 1 :])  # dropped
        for c in alphabet:
            found.add(text[:i] + c + text[i + 1 :])  # replaced
        if i + 1 < len(text):
            found.add(text[:i] + text[i + 1] + text[i] + text[i + 2 :])  # swapped
    return found


def cin_variants(value: str) -> list[str]:
    """Every well-formed CIN one typing error away from a typed one (the reading itself is not
    among them), sorted: a few hundred, for one indexed ``IN`` lookup."""
    reading = read_cin(value)
    if not reading:
        return []
    prefix, number = reading[: len(reading) - len(cin_digits(reading))], cin_digits(reading)
    found = {prefix + n for n in _one_edit(number, digits)}
    found |= {p + number for p in _one_edit(prefix, ascii_uppercase)}
    found.discard(reading)
    return sorted(v for v in found if _CIN_SHAPE.fullmatch(v))


def phone_variants(value: str, *, length: int = 10) -> list[str]:
    """Every national phone reading of ``length`` digits one typing error away from a typed
    one (the reading itself is not among them), sorted."""
    reading = read_phone(value)
    if not reading.isdigit():
        return []
    found = {v for v in _one_edit(reading, digits) if len(v) == length and v[0] == "0"}
    found.discard(reading)
    return sorted(found)
