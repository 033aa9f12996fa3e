"""Nothing a volunteer entered is lost or saved twice, whatever breaks in the middle.

The fault scenario of ``bench.faults`` at a small size, against the real server (gunicorn, two
sync workers) on the test database: desks post check-ins and sign-ups one by one and offline
batches through a proxy that drops connections, retrying with the same key; three workers are
killed with SIGKILL while requests are in flight and, on PostgreSQL, the cluster is restarted.
Every entry is then looked up in the database.
"""

import pytest
from django.db import connection, connections

from bench.door_world import door_world
from bench.faults import people_on_file, run_scenario
from bench.server import Gunicorn

SUBMISSIONS = 150
PATHS = {"checkin (direct)", "signup (direct)", "checkin (sync)", "signup (sync)"}


@pytest.mark.django_db(transaction=True)
def test_every_entry_stored_once_through_worker_kills_restarts_and_dropped_links(
    transactional_territory, tmp_path
):
    desks = door_world(offices=4, tag="faults")
    on_file = people_on_file(desks, 12)
    postgres = connection.vendor == "postgresql"
    database = str(connection.settings_dict["NAME"])
    connections.close_all()

    log = tmp_path / "gunicorn.log"
    with Gunicorn(workers=2, db_name=database, log_path=log) as server:
        result = run_scenario(
            server,
            desks,
            submissions=SUBMISSIONS,
            on_file=on_file,
            restart_postgres=postgres,
            concurrency=8,
            seed=3,
        )
    print(result.table())

    assert (result.sent, result.acknowledged, result.stored) == (SUBMISSIONS,) * 3
    assert (result.lost, result.duplicated, result.mismatched) == (0, 0, 0)
    assert result.stored_unacknowledged == 0
    # Every path was taken and every fault happened, and the desks had to retry through them.
    assert set(result.by_kind) == PATHS
    assert all(row["sent"] > 0 for row in result.by_kind.values())
    assert (result.worker_kills, result.postgres_restarts) == (3, 1 if postgres else 0)
    assert result.proxy_fates["before"] > 0 and result.proxy_fates["after"] > 0
    assert result.attempts > result.sent
    assert result.conflicts > 0  # sign-ups that asked were shown candidates, then saved for review


@pytest.mark.django_db
def test_reconciliation_counts_what_is_missing_or_doubled(actors, places):
    """The figures are not vacuous: an acknowledged entry with nothing stored is lost, a second
    person with an entry's e-mail is a duplicate, an answer naming another row is a mismatch."""
    from abwab.campaigns.door import checkin_record
    from abwab.people.services import member_register, person_create
    from bench.door_world import Desk
    from bench.faults import Entry, Reconciliation, reconcile

    place = places["taounate_a"]
    desk = Desk(event_id=place.event.pk, territory_code=place.node.code, token="")
    stored, _ = checkin_record(
        actor=actors.local,
        event=place.event,
        client_key="ok-checkin",
        name="x",
        purpose="information",
    )
    twice, _ = checkin_record(
        actor=actors.local,
        event=place.event,
        client_key="dup-signup",
        name="y",
        purpose="membership",
    )
    people = [
        person_create(actor=None, territory=place.node, first_name_ar="سعاد", email="d@x.example")
        for _ in range(2)
    ]
    member_register(actor=None, person=people[0], consent_given=True, office=place.office)
    twice.person = people[0]
    twice.save()
    entries = [
        Entry("ok-checkin", "checkin", "direct", desk, {}, status=201, answer={"id": stored.pk}),
        Entry("gone", "checkin", "direct", desk, {}, status=201, answer={"id": 0}),
        Entry("never", "checkin", "sync", desk, {}, status=None, answer=None),
        Entry(
            "dup-signup",
            "signup",
            "direct",
            desk,
            {},
            email="d@x.example",
            status=200,
            answer={"checkin_id": twice.pk, "person_id": people[1].pk},
        ),  # fmt: skip
    ]

    result = reconcile(entries, Reconciliation())

    assert (result.sent, result.acknowledged, result.stored) == (4, 3, 2)
    assert (result.lost, result.duplicated, result.mismatched) == (1, 1, 1)
    assert result.by_kind["checkin (direct)"]["lost"] == 1
    assert result.by_kind["signup (direct)"]["duplicated"] == 1
