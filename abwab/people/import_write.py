"""Writing a chunk of imported members at once: persons, consents, memberships, status changes.

On PostgreSQL the rows go in with COPY, their ids drawn beforehand from the tables' sequences (so
a consent can name its person before either is written); elsewhere with `bulk_create`. Both write
the same rows. Card numbers are taken in blocks under the lock `card_number_allocate` uses: the
region and year's CardSequence row, locked until the chunk's transaction commits.
"""

import functools

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection
from django.db.models import NOT_PROVIDED, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from abwab.people.keys import person_keys
from abwab.people.models import (
    CardSequence,
    Consent,
    ConsentChannel,
    ConsentPurpose,
    ImportBatch,
    Membership,
    MembershipChange,
    MembershipStatus,
    Person,
)
from abwab.people.tallies import member_counts_add_new
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


User = get_user_model()

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


# Foreign keys on PostgreSQL are checked row by row: Django declares them DEFERRABLE INITIALLY
# DEFERRED, so each inserted row queues one trigger per foreign key (15 per imported line, NULLs
# included), fired at commit; a quarter of PostgreSQL's time in an import. Every key a chunk
# writes is known beforehand: its territories, the actor and the batch already exist (checked and
# locked here once, FOR KEY SHARE, as the row checks would), and its persons, consents and
# memberships are the rows it writes itself, with ids drawn from their sequences. So when the
# database role may set session_replication_role (a superuser, or after `GRANT SET ON PARAMETER
# session_replication_role TO <role>`, PostgreSQL 15; a table's owner could drop the keys anyway),
# the rows are written in "replica" mode, which queues no row trigger, for this transaction's COPYs
# only. Otherwise each row is checked as usual: same result, slower.
_MAY_SET_ROLE = "SELECT has_parameter_privilege('session_replication_role', 'SET')"


def _foreign_keys_checked_once(*, actor_id, batch_id: int, territory_ids: set[int]) -> bool:
    """On PostgreSQL, when allowed: lock the rows the chunk will point at (an IntegrityError when
    one is gone, as the row checks would raise) and stop the row checks; True when stopped."""
    if connection.vendor != "postgresql" or connection.pg_version < 150000:
        return False
    with connection.cursor() as cursor:
        cursor.execute(_MAY_SET_ROLE)
        if not cursor.fetchone()[0]:
            return False
        wanted = [
            (Territory._meta.db_table, sorted(territory_ids)),
            (ImportBatch._meta.db_table, [batch_id]),
        ]
        if actor_id is not None:
            wanted.append((User._meta.db_table, [actor_id]))
        for table, ids in wanted:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {connection.ops.quote_name(table)} "  # noqa: S608 - a model's table
                "WHERE id = ANY(%s) ORDER BY id FOR KEY SHARE) AS locked",
                [ids],
            )
            if cursor.fetchone()[0] != len(ids):
                raise IntegrityError(f"{table}: a row this import points at no longer exists")
        cursor.execute("SET LOCAL session_replication_role = replica")
    return True


def _row_checks_on() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = origin")


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


def members_import(
    *, actor, batch, people: list[dict], region_of: dict[int, str], path_of: dict[int, str]
) -> None:
    """Make each cleaned line a person and an active member, with the consent a membership needs
    (law 09-08: channel "import", the register's own consent) and the first status change.
    `region_of` and `path_of`: each commune's region code and path."""
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
    joined = [p["joined_on"] or today for p in people]
    numbers = card_numbers_allocate(
        [(region_of[p["territory_id"]], day.year) for p, day in zip(people, joined, strict=True)]
    )
    row_checks_off = _foreign_keys_checked_once(
        actor_id=actor_id, batch_id=batch.pk, territory_ids={p["territory_id"] for p in people}
    )
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
    if row_checks_off:
        _row_checks_on()
    # The dashboard's counts, same transaction, once per chunk, from the values just written
    # (imported members have no education or skills yet): nothing read back.
    member_counts_add_new(
        members=[
            (
                p["territory_id"],
                path_of.get(p["territory_id"]),
                day,
                p["gender"],
                p["birth_date"],
                "",
            )
            for p, day in zip(people, joined, strict=True)
        ]
    )
