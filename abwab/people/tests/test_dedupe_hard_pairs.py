"""Hard pairs written by hand (households, namesakes, twins, one-error CINs and phones, names
across scripts, split or joined, swapped): a regression test of the file deduplicator's precision
and recall, and of the door lookup's first candidate, on ``data/dedupe_hard_pairs.csv``.

Each pair is deduplicated alone among the same strangers, so one pair cannot help another.
"""

import csv
import datetime
from pathlib import Path

import pytest

from abwab.people import dedupe_file
from abwab.people.duplicates import duplicate_candidates
from abwab.people.tests.factories import PersonFactory
from abwab.people.tests.test_dedupe_typing import FILLER
from abwab.territory.models import Territory

PAIRS = Path(__file__).with_name("data") / "dedupe_hard_pairs.csv"
FIELDS = ("first", "last", "birth", "cin", "phone", "commune")


def read_pairs():
    with open(PAIRS, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def joined(pair) -> bool:
    rows = [
        ("a", *(pair[f"a_{f}"] for f in FIELDS)),
        ("b", *(pair[f"b_{f}"] for f in FIELDS)),
        *((f"f{i}", *row) for i, row in enumerate(FILLER)),
    ]
    _table, clusters = dedupe_file.dedupe_rows(rows)
    return clusters[0] == clusters[1]


def test_the_hard_pairs_are_a_hundred_sixty_of_them_one_person():
    pairs = read_pairs()
    assert len(pairs) == 100
    assert sum(p["label"] == "same" for p in pairs) == 60


def test_the_file_deduplicator_on_the_hard_pairs():
    pairs = read_pairs()
    decided = [(p, joined(p)) for p in pairs]
    true_positive = sum(found and p["label"] == "same" for p, found in decided)
    false_positive = [p["pair"] for p, found in decided if found and p["label"] == "different"]
    missed = [p["pair"] for p, found in decided if not found and p["label"] == "same"]
    precision = true_positive / (true_positive + len(false_positive))
    recall = true_positive / (true_positive + len(missed))
    # The pairs it gets wrong, named, so that a change in either direction shows here.
    assert (false_positive, missed) == (EXPECTED_FALSE_POSITIVES, EXPECTED_MISSED)
    assert (round(precision, 3), round(recall, 3)) == EXPECTED_PRECISION_RECALL


# 57, 58: twins named Hassan and Houssine (حسن/حسين), no CIN: one name key, one birth date, phone
# and commune. 70: Amine and Amina, same family, birth date and commune. 75: Mohamed Amrani born
# the same day, nothing else known (a namesake, as far as anyone can tell). 92: Hassan and
# Hassania, a household with cards a digit apart and given names that close; 95: Soufiane and
# Sofia, twins with cards a digit apart (a near CIN is another card only under a given name
# clearly another, similarity below 0.70).
# Before issue 18 the engine had ['57', '58', '70', '75', '95'] and missed 25 one-error pairs
# (precision 0.875, recall 0.583).
EXPECTED_FALSE_POSITIVES = ["57", "58", "70", "75", "92", "95"]
# 84: a phone with two digits swapped, no birth date, nothing else but the names and commune.
EXPECTED_MISSED = ["84"]
EXPECTED_PRECISION_RECALL = (0.908, 0.983)


def _person(pair, side):
    first, last = pair[f"{side}_first"], pair[f"{side}_last"]
    arabic = any("\u0600" <= c <= "\u06ff" for c in first + last)
    commune = pair[f"{side}_commune"]
    territory = Territory.objects.filter(code=commune).first() if commune else None
    fields = {
        "first_name_ar": first if arabic else "",
        "last_name_ar": last if arabic else "",
        "first_name_latin": "" if arabic else first,
        "last_name_latin": "" if arabic else last,
        "birth_date": datetime.date.fromisoformat(pair[f"{side}_birth"])
        if pair[f"{side}_birth"]
        else None,
        "cin": pair[f"{side}_cin"],
        "phone": pair[f"{side}_phone"],
    }
    return fields, territory


@pytest.mark.django_db
def test_the_door_lookup_ranks_the_person_first_on_the_hard_pairs():
    same = [p for p in read_pairs() if p["label"] == "same"]
    first = []
    for pair in same:
        fields, territory = _person(pair, "a")
        stored = PersonFactory(**fields, **({"territory": territory} if territory else {}))
        query, territory = _person(pair, "b")
        found = duplicate_candidates(**query, territory=territory, exclude_pk=None)
        first.append(bool(found) and found[0].person.pk == stored.pk)
        stored.delete()
    missed = [p["pair"] for p, ok in zip(same, first, strict=True) if not ok]
    assert missed == EXPECTED_DOOR_MISSED


EXPECTED_DOOR_MISSED: list[str] = []
