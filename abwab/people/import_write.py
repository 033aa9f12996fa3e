"""Writing a chunk of imported members at once: persons, consents, memberships, status changes.

On PostgreSQL the rows go in with COPY, their ids drawn beforehand from the tables' sequences (so
a consent can name its person before either is written); elsewhere with `bulk_create`. Both write
the same rows. Card numbers are taken in blocks under the lock `card_number_allocate` uses: the
region and year's CardSequence row, locked until the chunk's transaction commits.
"""

import functools

from django.db import connection
from django.db.models import NOT_PROVIDED, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from abwab.people.keys import person_keys
from abwab.people.models import (
    CardSequence,
    Consent,
    ConsentChannel,
    ConsentPurpose,
    Membership,
    MembershipChange,
    MembershipStatus,
    Person,
)
from abwab.people.tallies import member_counts_add
from abwab.territory.models import Territory

CONSENT_VERSION = "import"
PERSON = (
    "first_name_ar",
    "last_name_ar",
    "first_name_latin",
    "last_name_latin",
    "gender",
    "birth_date",
    "cin",
    "phone",
    "email",
    "territory_id",
)


# `person_keys`, remembered: a file repeats its first and last names over and over.
_keys = functools.lru_cache(maxsize=1 << 17)(person_keys)


def _insert(model, names: tuple, rows: list, *, ids: bool) -> list[int] | None:
    """Insert rows (tuples of the attributes `names`), the model's defaults for the other fields;
    returns the new ids when asked."""
    if not rows:
        return [] if ids else None
    if connection.vendor != "postgresql":
        objects = [model(**dict(zip(names, row, strict=True))) for row in rows]
        model.objects.bulk_create(objects)
        return [obj.pk for obj in objects] if ids else None
    meta = model._meta
    rest = [
        f
        for f in meta.concrete_fields
        if f.attname not in names and not f.primary_key and f.db_default is NOT_PROVIDED
    ]
    columns = [f.column for f in rest]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
    columns = [meta.get_field(name).column for name in names] + columns
    with connection.cursor() as cursor:
        new = None
        if ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(rows)],
            )
            new = [pk for (pk,) in cursor.fetchall()]
            columns.insert(0, meta.pk.column)
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        statement = f"COPY {connection.ops.quote_name(meta.db_table)} ({quoted}) FROM STDIN"
        with cursor.cursor.copy(statement) as copy:
            write = copy.write_row
            if new is None:
                for row in rows:
                    write(row + defaults)
            else:
                for pk, row in zip(new, rows, strict=True):
                    write((pk, *row, *defaults))
    return new


def card_numbers_allocate(wanted: list[tuple[str, int]]) -> list[str]:
    """Card numbers for (region code, year) pairs, e.g. 03-2026-000042: one locked increment of
    each region and year's sequence (locked in a fixed order, so two imports cannot deadlock).
    Must run inside the transaction that writes the memberships, like `card_number_allocate`."""
    count: dict[tuple[str, int], int] = {}
    for key in wanted:
        count[key] = count.get(key, 0) + 1
    regions = dict(
        Territory.objects.filter(code__in={r for r, _y in count}).values_list("code", "pk")
    )
    CardSequence.objects.bulk_create(
        [CardSequence(region_id=regions[r], year=y) for r, y in count], ignore_conflicts=True
    )
    which = Q()
    for region, year in count:
        which |= Q(region_id=regions[region], year=year)
    code = {pk: c for c, pk in regions.items()}
    sequences = list(CardSequence.objects.select_for_update().filter(which).order_by("pk"))
    last = {}
    for sequence in sequences:
        key = (code[sequence.region_id], sequence.year)
        last[key] = sequence.last
        CardSequence.objects.filter(pk=sequence.pk).update(last=F("last") + count[key])
    numbers = []
    for region, year in wanted:
        last[(region, year)] += 1
        numbers.append(f"{region}-{year}-{last[(region, year)]:06d}")
    return numbers


def members_import(*, actor, batch, people: list[dict], region_of: dict[int, str]) -> None:
    """Make each cleaned line a person and an active member, with the consent a membership needs
    (law 09-08: channel "import", the register's own consent) and the first status change."""
    if not people:
        return
    now = timezone.now()
    today = timezone.localdate()
    actor_id = actor.pk if actor is not None else None
    rows = []
    for p in people:
        keys = _keys(
            p["first_name_ar"], p["last_name_ar"], p["first_name_latin"], p["last_name_latin"]
        )
        rows.append((*(p[f] for f in PERSON), *keys, now, actor_id, batch.pk))
    names = (*PERSON, "key_first", "key_last", "key_full", "created_at", "created_by_id")
    person_ids = _insert(Person, (*names, "import_batch_id"), rows, ids=True)
    consent_ids = _insert(
        Consent,
        ("person_id", "purpose", "text_version", "given_at", "channel", "collected_by_id"),
        [
            (pk, ConsentPurpose.MEMBERSHIP, CONSENT_VERSION, now, ConsentChannel.IMPORT, actor_id)
            for pk in person_ids
        ],
        ids=True,
    )
    joined = [p["joined_on"] or today for p in people]
    numbers = card_numbers_allocate(
        [(region_of[p["territory_id"]], day.year) for p, day in zip(people, joined, strict=True)]
    )
    active = MembershipStatus.ACTIVE
    membership_ids = _insert(
        Membership,
        ("person_id", "status", "territory_id", "joined_on", "consent_id", "card_number"),
        [
            (person, active, p["territory_id"], day, consent, number)
            for person, p, day, consent, number in zip(
                person_ids, people, joined, consent_ids, numbers, strict=True
            )
        ],
        ids=True,
    )
    reason = _("Imported")
    _insert(
        MembershipChange,
        ("membership_id", "from_status", "to_status", "at", "by_id", "reason"),
        [(pk, "", active, now, actor_id, reason) for pk in membership_ids],
        ids=False,
    )
    # The dashboard's counts, same transaction. The chunk's memberships are those of this batch
    # between its first and last id (ids only grow, and earlier chunks have smaller ones): a range
    # the database reads by index, where thousands of listed ids cost more to send and plan.
    member_counts_add(
        memberships=Membership.objects.filter(
            pk__range=(min(membership_ids), max(membership_ids)), person__import_batch=batch
        )
    )
