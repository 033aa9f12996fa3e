"""Pre-registrations at the desk: found in one tap or by the receipt's number, the visit recorded
once whoever taps and however often, the sign-up completing that visit, and nothing reachable
from another event or territory."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.utils import timezone

from abwab.accounts.models import RoleAssignment
from abwab.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from abwab.campaigns.door_entries import OnDuplicate
from abwab.campaigns.models import (
    CheckIn,
    Event,
    PreRegistration,
    PreRegistrationStatus,
    Purpose,
    VisitTally,
)
from abwab.campaigns.prereg import (
    checkin_key,
    prereg_arrive,
    prereg_create,
    prereg_expected,
    prereg_signup,
    receipt_code,
)
from abwab.core.errors import ErrorCode
from abwab.core.roles import Role
from abwab.people.models import JoinTally, Membership, Person

pytestmark = pytest.mark.django_db


def open_today(event: Event) -> Event:
    """The fixture's events ran on the campaign's first day; these run from yesterday to tomorrow."""
    today = timezone.localdate()
    event.starts_on = today - datetime.timedelta(days=1)
    event.ends_on = today + datetime.timedelta(days=1)
    event.save(update_fields=["starts_on", "ends_on"])
    return event


def make_prereg(event: Event, code: str, *, wants_to_join=False, name="Salma Bennani", **extra):
    return prereg_create(
        event=event,
        territory=extra.pop("territory", event.office.territory),
        name=name,
        phone="+212661234567",
        purpose=Purpose.MEMBERSHIP if wants_to_join else Purpose.INFORMATION,
        wants_to_join=wants_to_join,
        note="",
        expected_on=extra.pop("expected_on", timezone.localdate()),
        consent_version="public-2026-11",
        code=code,
    )


def visits(place) -> int:
    return sum(
        VisitTally.objects.filter(rollup=False, territory=place.node).values_list(
            "visitors", flat=True
        )
    )


def joins(place) -> int:
    return sum(
        JoinTally.objects.filter(rollup=False, territory=place.node).values_list(
            "members", flat=True
        )
    )


def second_volunteer(place):
    """Another account keeping the same desk."""
    return RoleAssignmentFactory(
        user=UserFactory(username="volunteer2"),
        role=Role.VOLUNTEER,
        territory=place.node,
        office=place.office,
    ).user


@pytest.fixture
def desk(places):
    place = places["taounate_a"]
    open_today(place.event)
    return place


def test_receipt_code_reads_the_bare_number_and_the_receipts_address():
    assert receipt_code(" K7QX2M9A ") == "K7QX2M9A"
    assert receipt_code("https://abwab.example/open-doors/receipt/K7QX2M9A/") == "K7QX2M9A"
    assert receipt_code("https://abwab.example/open-doors/receipt/K7QX2M9A/?lang=fr") == "K7QX2M9A"
    assert receipt_code("<script>") == ""
    assert receipt_code("") == ""


def test_arrival_records_one_visit_and_a_second_tap_returns_it(desk, actors):
    prereg = make_prereg(desk.event, "K7QX-2M9A")
    before = visits(desk)

    checkin = prereg_arrive(actor=actors.volunteer, event=desk.event, code="K7QX2M9A")  # no dash

    prereg.refresh_from_db()
    assert prereg.status == PreRegistrationStatus.ARRIVED
    assert prereg.checkin == checkin and prereg.arrived_by == actors.volunteer
    assert (checkin.name, checkin.phone, checkin.purpose) == (
        "Salma Bennani",
        "+212661234567",
        Purpose.INFORMATION,
    )
    assert checkin.client_key == checkin_key("K7QX-2M9A")
    assert visits(desk) == before + 1
    # A double tap, a scan of the receipt's address, and another volunteer: the same visit.
    again = prereg_arrive(actor=actors.volunteer, event=desk.event, code="k7qx2m9a")
    read_aloud = prereg_arrive(actor=actors.volunteer, event=desk.event, code="K7QX 2M9A")
    scanned = prereg_arrive(
        actor=actors.volunteer,
        event=desk.event,
        code="http://testserver/open-doors/receipt/K7QX2M9A/",
    )
    other = prereg_arrive(actor=second_volunteer(desk), event=desk.event, code="K7QX-2M9A")
    assert again == read_aloud == scanned == other == checkin
    assert CheckIn.objects.filter(event=desk.event, name="Salma Bennani").count() == 1
    assert visits(desk) == before + 1


def test_another_events_or_territorys_code_is_not_found_like_an_unknown_one(desk, places, actors):
    meknes = places["meknes"]
    open_today(meknes.event)
    theirs = make_prereg(meknes.event, "MEKNES01")
    other_event = open_today(places["taounate_b"].event)  # the next office, same province
    sibling = make_prereg(other_event, "SIBLING1")
    messages = set()
    for code in ("MEKNES01", "SIBLING1", "UNKNOWN1"):
        with pytest.raises(ValidationError) as refused:
            prereg_arrive(actor=actors.volunteer, event=desk.event, code=code)
        assert refused.value.code == ErrorCode.NOT_FOUND
        messages.add(refused.value.messages[0])
    assert len(messages) == 1
    for prereg in (theirs, sibling):
        prereg.refresh_from_db()
        assert prereg.status == PreRegistrationStatus.EXPECTED and prereg.checkin is None
    assert not CheckIn.objects.filter(client_key__startswith="prereg-").exists()


def test_whoever_may_not_keep_the_desk_is_refused_and_nothing_moves(desk, actors):
    make_prereg(desk.event, "K7QX2M9A")
    for actor in (actors.meknes, actors.media, actors.outsider):
        with pytest.raises(ValidationError) as refused:
            prereg_arrive(actor=actor, event=desk.event, code="K7QX2M9A")
        assert refused.value.code == ErrorCode.FORBIDDEN
        assert list(prereg_expected(actor=actor, event=desk.event)) == []
    assert PreRegistration.objects.get(code="K7QX2M9A").status == PreRegistrationStatus.EXPECTED
    assert not CheckIn.objects.filter(client_key=checkin_key("K7QX2M9A")).exists()


def test_a_cancelled_preregistration_does_not_arrive(desk, actors):
    prereg = make_prereg(desk.event, "K7QX2M9A")
    PreRegistration.objects.filter(pk=prereg.pk).update(status=PreRegistrationStatus.CANCELLED)
    with pytest.raises(ValidationError) as refused:
        prereg_arrive(actor=actors.volunteer, event=desk.event, code="K7QX2M9A")
    assert refused.value.code == ErrorCode.CANCELLED
    assert not CheckIn.objects.filter(client_key=checkin_key("K7QX2M9A")).exists()


def test_the_desk_lists_todays_expected_and_searches_all_days(desk, actors):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    make_prereg(desk.event, "TODAY001", name="Salma Bennani")
    make_prereg(desk.event, "LATER001", name="Karim Tazi", expected_on=tomorrow)
    make_prereg(desk.event, "ANYDAY01", name="Nadia Idrissi", expected_on=None)
    arrived = make_prereg(desk.event, "ARRIVED1", name="Omar Fassi")
    prereg_arrive(actor=actors.volunteer, event=desk.event, code=arrived.code)

    def codes(query=""):
        return sorted(
            p.code for p in prereg_expected(actor=actors.volunteer, event=desk.event, query=query)
        )

    assert codes() == ["ANYDAY01", "TODAY001"]
    assert codes("tazi") == ["LATER001"]
    assert codes("later001") == ["LATER001"]
    assert codes("0661234567") == ["ANYDAY01", "LATER001", "TODAY001"]
    assert codes("Omar") == []


def test_create_refuses_internal_events_other_days_and_other_provinces(desk, places):
    desk.event.public = False
    desk.event.save(update_fields=["public"])
    with pytest.raises(ValidationError) as refused:
        make_prereg(desk.event, "INTERNAL")
    assert "event" in refused.value.error_dict
    desk.event.public = True
    desk.event.save(update_fields=["public"])
    with pytest.raises(ValidationError) as refused:
        make_prereg(desk.event, "FARDAY01", expected_on=datetime.date(2020, 1, 1))
    assert "expected_on" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        make_prereg(desk.event, "FARAWAY1", territory=places["meknes"].node)
    assert "territory" in refused.value.error_dict
    assert not PreRegistration.objects.exists()
    # A commune of the office's province other than the office's own is welcome.
    assert make_prereg(desk.event, "NEIGHBOR", territory=places["taounate_b"].node).pk


def signup(actor, event, code, **person):
    return prereg_signup(
        actor=actor,
        event=event,
        code=code,
        checkin={"name": "Salma Bennani", "phone": "+212661234567", "age_band": "", "gender": "F"},
        person={"birth_date": datetime.date(1990, 2, 3), **person},
        consent_given=True,
        on_duplicate=OnDuplicate.ASK,
    )


def test_a_sign_up_completes_the_arrival_of_another_volunteer(desk, actors):
    make_prereg(desk.event, "JOIN0001", wants_to_join=True)
    visits_before, joins_before = visits(desk), joins(desk)
    arrival = prereg_arrive(actor=actors.volunteer, event=desk.event, code="JOIN0001")

    outcome = signup(actors.local, desk.event, "JOIN0001")

    assert outcome.created and outcome.checkin.pk == arrival.pk
    arrival.refresh_from_db()
    assert arrival.person == outcome.membership.person
    assert outcome.membership.person.first_name_latin == "Salma"
    assert CheckIn.objects.filter(event=desk.event, name="Salma Bennani").count() == 1
    assert (visits(desk), joins(desk)) == (visits_before + 1, joins_before + 1)
    # Sent again (a double tap on "Sign up", or the first volunteer): the same member, once.
    again = signup(actors.volunteer, desk.event, "JOIN0001")
    assert not again.created and again.membership == outcome.membership
    assert Membership.objects.filter(person__first_name_latin="Salma").count() == 1
    assert (visits(desk), joins(desk)) == (visits_before + 1, joins_before + 1)


def test_a_sign_up_without_a_tap_on_arrived_records_the_visit_once(desk, actors):
    make_prereg(desk.event, "JOIN0002", wants_to_join=True)
    visits_before = visits(desk)
    outcome = signup(actors.volunteer, desk.event, "JOIN0002")
    assert outcome.created
    prereg = PreRegistration.objects.get(code="JOIN0002")
    assert prereg.checkin == outcome.checkin and prereg.status == PreRegistrationStatus.ARRIVED
    assert visits(desk) == visits_before + 1


def test_a_refused_sign_up_keeps_the_visit_and_makes_no_member(desk, actors):
    make_prereg(desk.event, "JOIN0003", wants_to_join=True)
    visits_before = visits(desk)
    with pytest.raises(ValidationError):
        prereg_signup(
            actor=actors.volunteer,
            event=desk.event,
            code="JOIN0003",
            checkin={"name": "Salma Bennani", "phone": "", "age_band": "", "gender": ""},
            person={},
            consent_given=False,
        )
    assert not Person.objects.filter(first_name_latin="Salma").exists()
    assert PreRegistration.objects.get(code="JOIN0003").status == PreRegistrationStatus.ARRIVED
    assert visits(desk) == visits_before + 1


@pytest.mark.django_db(transaction=True)
def test_two_volunteers_at_once_record_one_visit(transactional_territory, places, actors):
    desk = places["taounate_a"]
    open_today(desk.event)
    make_prereg(desk.event, "RACE0001")
    before = visits(desk)
    second = second_volunteer(desk)
    assert RoleAssignment.objects.filter(user=second).exists()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def tap(actor):
        try:
            barrier.wait(timeout=10)
            results.append(prereg_arrive(actor=actor, event=desk.event, code="RACE0001").pk)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=tap, args=(a,)) for a in (actors.volunteer, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(results) == 2 and results[0] == results[1]
    assert CheckIn.objects.filter(client_key=checkin_key("RACE0001")).count() == 1
    assert visits(desk) == before + 1


def test_the_retention_purge_clears_old_preregistrations(desk, actors, settings):
    from abwab.people.privacy import purge_visitors

    settings.VISITOR_RETENTION_DAYS = 30
    kept = make_prereg(desk.event, "RECENT01", name="Karim Tazi")
    old = make_prereg(desk.event, "OLDVISIT", name="Nadia Idrissi")
    prereg_arrive(actor=actors.volunteer, event=desk.event, code=old.code)
    PreRegistration.objects.filter(pk=old.pk).update(
        arrived_at=timezone.now() - datetime.timedelta(days=31)
    )

    purge_visitors()

    old.refresh_from_db()
    kept.refresh_from_db()
    assert (old.name, old.phone, old.note) == ("", "", "")
    assert (kept.name, kept.phone) == ("Karim Tazi", "+212661234567")
