"""One whole campaign through every state: memo, targets split down, readiness, the door, close, report."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError

from abwab.accounts.tests.factories import RoleAssignmentFactory
from abwab.campaigns.door import checkin_record, door_signup
from abwab.campaigns.models import CampaignStatus, EventStatus, Purpose, Target
from abwab.campaigns.selectors import campaign_drilldown, campaign_progress
from abwab.campaigns.services import (
    campaign_create,
    campaign_set_status,
    event_plan,
    event_transition,
    readiness_update,
)
from abwab.campaigns.targets import SPLIT_FIELDS, target_set_top, targets_split
from abwab.core.roles import Role
from abwab.listening.models import Category
from abwab.listening.selectors import concerns_by_category
from abwab.listening.services import concern_record
from abwab.people.models import Membership
from abwab.territory.models import Territory

pytestmark = pytest.mark.django_db
START = datetime.date(2026, 11, 1)


def territory(code):
    return Territory.objects.get(code=code)


@pytest.fixture
def campaign(actors):
    return campaign_create(
        actor=actors.admin,
        name_ar="الأبواب المفتوحة — الدورة الأولى",
        name_fr="Portes ouvertes — 1re édition",
        starts_on=START,
        ends_on=datetime.date(2026, 12, 31),
        memo_ar="مذكرة وطنية",
    )


def test_targets_split_down_with_sums_checked(actors, campaign):
    target_set_top(
        actor=actors.admin,
        campaign=campaign,
        new_members=10_000,
        professionals=1_000,
        women_percent=40,
        under35_percent=50,
    )
    regions = targets_split(actor=actors.admin, campaign=campaign, territory=territory("MA"))
    assert len(regions) == 12
    assert sum(t.new_members for t in regions) == 10_000
    assert sum(t.professionals for t in regions) == 1_000
    fes_meknes = Target.objects.get(campaign=campaign, territory__code="03")
    casablanca = Target.objects.get(campaign=campaign, territory__code="06")
    assert casablanca.new_members > fes_meknes.new_members  # by census population
    assert (fes_meknes.women_percent, fes_meknes.under35_percent) == (40, 50)

    with pytest.raises(ValidationError, match="cannot split the target"):
        targets_split(actor=actors.taounate, campaign=campaign, territory=territory("03"))
    provinces = targets_split(actor=actors.fes_meknes, campaign=campaign, territory=territory("03"))
    assert sum(t.new_members for t in provinces) == fes_meknes.new_members

    taounate = Target.objects.get(campaign=campaign, territory__code="03.531")
    communes = [c.code for c in territory("03.531").children.order_by("code")]
    bad = {code: {} for code in communes}
    bad[communes[0]] = {name: getattr(taounate, name) for name in SPLIT_FIELDS}
    bad[communes[0]]["new_members"] += 1
    with pytest.raises(
        ValidationError,
        match=f"add up to {taounate.new_members + 1}, but {territory('03.531')} received {taounate.new_members}",
    ):
        targets_split(
            actor=actors.taounate, campaign=campaign, territory=territory("03.531"), allocations=bad
        )
    with pytest.raises(ValidationError, match=f"cannot split the target of {territory('03.061')}"):
        targets_split(actor=actors.taounate, campaign=campaign, territory=territory("03.061"))
    with pytest.raises(ValidationError, match="has received no target"):
        targets_split(actor=actors.local, campaign=campaign, territory=territory(communes[0]))
    by_hand = {code: {} for code in communes}
    by_hand[communes[0]] = {name: getattr(taounate, name) for name in SPLIT_FIELDS}
    targets_split(
        actor=actors.taounate, campaign=campaign, territory=territory("03.531"), allocations=by_hand
    )
    assert (
        Target.objects.get(campaign=campaign, territory__code=communes[0]).new_members
        == taounate.new_members
    )
    assert Target.objects.get(campaign=campaign, territory__code=communes[1]).new_members == 0
    # The region cannot silently change Taounate's number once Taounate has split it.
    with pytest.raises(ValidationError, match="already split its target further"):
        targets_split(
            actor=actors.fes_meknes,
            campaign=campaign,
            territory=territory("03"),
            allocations={
                (f"unit:{p.party_unit.code}" if p.party_unit else p.territory.code): {
                    "new_members": p.new_members
                    + (
                        1
                        if p.territory.code == "03.531"
                        else -1
                        if p.territory.code == "03.061"
                        else 0
                    ),
                    **{name: getattr(p, name) for name in SPLIT_FIELDS if name != "new_members"},
                }
                for p in provinces
            },
        )


def test_a_whole_campaign_walks_through_every_state(actors, places, campaign):
    target_set_top(actor=actors.admin, campaign=campaign, new_members=10_000, professionals=1_000)
    targets_split(actor=actors.admin, campaign=campaign, territory=territory("MA"))
    targets_split(actor=actors.fes_meknes, campaign=campaign, territory=territory("03"))
    office_a, office_b = places["taounate_a"].office, places["taounate_b"].office
    second_volunteer = RoleAssignmentFactory(
        role=Role.VOLUNTEER, territory=office_b.territory, office=office_b
    ).user
    events = [
        event_plan(
            actor=actors.taounate,
            campaign=campaign,
            office=office,
            starts_on=datetime.date(2026, 11, 20),
            ends_on=datetime.date(2026, 11, 22),
            opens_at=datetime.time(9),
            closes_at=datetime.time(18),
        )
        for office in (office_a, office_b)
    ]
    with pytest.raises(ValidationError, match="Not ready: still missing"):
        event_transition(actor=actors.taounate, event=events[0], to_status=EventStatus.READY)
    for event in events:
        for item in event.items.all():
            readiness_update(
                actor=actors.local if event.office == office_a else actors.taounate,
                item=item,
                allocated=item.needed,
                delivered=item.needed,
            )
        event_transition(actor=actors.taounate, event=event, to_status=EventStatus.READY)
    with pytest.raises(ValidationError, match="not been launched"):
        event_transition(actor=actors.taounate, event=events[0], to_status=EventStatus.OPEN)
    campaign_set_status(actor=actors.admin, campaign=campaign, status=CampaignStatus.LAUNCHED)
    for event in events:
        event_transition(actor=actors.taounate, event=event, to_status=EventStatus.OPEN)

    for event, volunteer, tag in (
        (events[0], actors.volunteer, "a"),
        (events[1], second_volunteer, "b"),
    ):
        for i in range(25):
            purpose = Purpose.MEMBERSHIP if i < 10 else Purpose.INFORMATION
            checkin, created = checkin_record(
                actor=volunteer,
                event=event,
                client_key=str(uuid.uuid4()),
                name=f"زائر {tag}{i}",
                purpose=purpose,
                gender="F" if i % 2 else "M",
                age_band="25-34",
            )
            assert created
            if purpose == Purpose.MEMBERSHIP:
                door_signup(
                    actor=volunteer,
                    checkin=checkin,
                    consent_given=True,
                    first_name_ar=f"زائر{tag}{i}",
                    last_name_ar="التازي",
                    gender="F" if i % 2 else "M",
                    birth_date=datetime.date(1995, 1, 1 + i),
                    skills=[],
                )
        for i, code in enumerate(("water", "water", "roads")):
            concern_record(
                actor=volunteer,
                client_key=f"c-{tag}-{i}",
                territory=event.office.territory,
                category=Category.objects.get(code=code),
                description="انقطاع الماء",
                event=event,
            )
    with pytest.raises(ValidationError, match="cannot welcome visitors at this office"):
        checkin_record(
            actor=actors.volunteer,
            event=events[1],
            client_key="x",
            name="س",
            purpose=Purpose.INFORMATION,
        )

    for event in events:
        event_transition(actor=actors.taounate, event=event, to_status=EventStatus.CLOSED)
        event_transition(actor=actors.taounate, event=event, to_status=EventStatus.REPORTED)
    assert [t.to_status for t in events[0].transitions.all()] == [
        "ready",
        "open",
        "closed",
        "reported",
    ]
    with pytest.raises(ValidationError, match="door desk opens only while the event is open"):
        checkin_record(
            actor=actors.volunteer,
            event=events[0],
            client_key="late",
            name="س",
            purpose=Purpose.INFORMATION,
        )

    region = campaign_progress(
        actor=actors.fes_meknes, campaign=campaign, territory=territory("03")
    )
    assert (region.new_members, region.visitors, region.events, region.readiness) == (
        20,
        50,
        2,
        100,
    )
    assert (region.women, region.under35) == (10, 20)
    provinces = campaign_drilldown(
        actor=actors.fes_meknes, campaign=campaign, territory=territory("03")
    )
    assert sum(p.new_members for p in provinces) == 20
    assert sum(p.visitors for p in provinces) == 50
    taounate = next(p for p in provinces if p.territory.code == "03.531")
    assert taounate.members_percent == int(100 * 20 / taounate.target.new_members)
    signed_up = Membership.objects.filter(joined_on__gte=START)
    assert (
        signed_up.filter(office=office_a).count() == signed_up.filter(office=office_b).count() == 10
    )
    by_category = {
        row["category__code"]: n
        for row, n in concerns_by_category(actor=actors.fes_meknes, territory=territory("03"))
    }
    assert by_category == {
        "water": 4 + 5,
        "roads": 2,
    }  # + one water concern at each of the five places of Fès-Meknès
    media_view = campaign_progress(actor=actors.media, campaign=campaign, territory=territory("03"))
    assert media_view.new_members == 20  # aggregates, without access to a single name


def test_the_same_entry_sent_twice_is_saved_once(actors, places, campaign):
    campaign_set_status(actor=actors.admin, campaign=campaign, status=CampaignStatus.LAUNCHED)
    event = event_plan(
        actor=actors.taounate,
        campaign=campaign,
        office=places["taounate_a"].office,
        starts_on=START,
        ends_on=START,
        opens_at=datetime.time(9),
        closes_at=datetime.time(18),
    )
    event.items.update(allocated=1000, delivered=1000)
    event_transition(actor=actors.taounate, event=event, to_status=EventStatus.READY)
    event_transition(actor=actors.taounate, event=event, to_status=EventStatus.OPEN)
    first, created = checkin_record(
        actor=actors.volunteer,
        event=event,
        client_key="k-1",
        name="سعاد",
        purpose=Purpose.MEMBERSHIP,
    )
    again, created_again = checkin_record(
        actor=actors.volunteer,
        event=event,
        client_key="k-1",
        name="سعاد",
        purpose=Purpose.MEMBERSHIP,
    )
    assert (created, created_again, first.pk) == (True, False, again.pk)
    fields = {
        "first_name_ar": "سعاد",
        "last_name_ar": "الوزاني",
        "birth_date": datetime.date(1990, 1, 1),
    }
    card = door_signup(actor=actors.volunteer, checkin=first, consent_given=True, **fields)
    assert door_signup(actor=actors.volunteer, checkin=first, consent_given=True, **fields) == card
    assert Membership.objects.filter(person__last_name_ar="الوزاني").count() == 1
    with pytest.raises(ValidationError, match="explicit consent"):
        second, _ = checkin_record(
            actor=actors.volunteer,
            event=event,
            client_key="k-2",
            name="ن",
            purpose=Purpose.MEMBERSHIP,
        )
        door_signup(
            actor=actors.volunteer, checkin=second, consent_given=False, first_name_ar="نادية"
        )


def test_roster_by_shift(actors, places, campaign):
    from abwab.campaigns.services import shift_add
    from abwab.people.tests.factories import PersonFactory

    event = event_plan(
        actor=actors.taounate,
        campaign=campaign,
        office=places["taounate_a"].office,
        starts_on=datetime.date(2026, 11, 20),
        ends_on=datetime.date(2026, 11, 21),
        opens_at=datetime.time(9),
        closes_at=datetime.time(18),
    )
    volunteer = PersonFactory()
    shift = shift_add(
        actor=actors.local,
        event=event,
        volunteer=volunteer,
        day=datetime.date(2026, 11, 21),
        starts_at=datetime.time(9),
        ends_at=datetime.time(13),
    )
    assert list(event.shifts.all()) == [shift]
    with pytest.raises(ValidationError, match="one of the event's days"):
        shift_add(
            actor=actors.local,
            event=event,
            volunteer=volunteer,
            day=datetime.date(2026, 11, 25),
            starts_at=datetime.time(9),
            ends_at=datetime.time(13),
        )
    with pytest.raises(ValidationError, match="cannot change this event"):
        shift_add(
            actor=actors.meknes,
            event=event,
            volunteer=volunteer,
            day=datetime.date(2026, 11, 21),
            starts_at=datetime.time(14),
            ends_at=datetime.time(18),
        )
    assert event.shifts.count() == 1
