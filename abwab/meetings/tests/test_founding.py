"""Founding local secretariats from the coverage work list (issue 14, item 5)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from abwab.core.models import AuditEntry
from abwab.meetings.founding import (
    commune_worklist,
    founding_add_founder,
    founding_plan,
    founding_progress,
    founding_record,
)
from abwab.meetings.models import Founding, FoundingStatus, MeetingKind, MeetingStatus
from abwab.meetings.selectors import coverage, coverage_total
from abwab.people.models import Function, Person, Position
from abwab.people.tests.factories import PersonFactory
from abwab.territory.models import Body, BodyKind, Territory

pytestmark = pytest.mark.django_db
WHEN = datetime.datetime(2026, 12, 5, 17, 0, tzinfo=ZoneInfo("Africa/Casablanca"))
TAOUNATE, MEKNES = "03.531", "03.061"


def node(code):
    return Territory.objects.get(code=code)


def bare_commune(province: str) -> Territory:
    """A commune of the province with no local secretariat (the places' bodies cover two)."""
    covered = Body.objects.filter(kind=BodyKind.LOCAL_SECRETARIAT).values("territory_id")
    return node(province).children.filter(level=3).exclude(pk__in=covered).order_by("code").first()


def test_coverage_of_a_province_lists_its_communes(actors, places):
    # Given Taounate's 49 communes, two of them with a local secretariat (the places' bodies)
    taounate = node(TAOUNATE)
    # When its coverage is read
    rows = coverage(actor=actors.taounate, territory=taounate)
    # Then each commune is a row (the table was empty: only provinces were counted)
    assert len(rows) == 49
    assert sum(row.communes for row in rows) == 49
    assert sum(row.covered for row in rows) == 2
    total = coverage_total(actor=actors.taounate, territory=taounate)
    assert (total.communes, total.covered, total.percent) == (49, 2, 4)


def test_coverage_page_of_a_province_is_a_work_list(client, actors, places):
    client.force_login(actors.taounate)
    response = client.get(reverse("meetings:coverage"), {"territory": TAOUNATE})
    assert response.status_code == 200
    items = response.context["worklist"]
    assert len(items) == 49
    states = {item.commune.code: bool(item.body) for item in items}
    assert states[places["taounate_a"].node.code] is True
    assert sum(states.values()) == 2
    assert response.context["tally"] == {"founded": 2, "planned": 0, "to_plan": 47}
    content = response.content.decode()
    assert content.count('data-state="none"') == 47
    assert content.count('class="plan-founding"') == 47
    assert places["meknes"].node.name_fr not in content


def found(actor, commune, founders):
    founding = founding_plan(actor=actor, commune=commune, starts_at=WHEN)
    for person in founders:
        founding_add_founder(actor=actor, founding=founding, person=person)
    return founding


def test_a_recorded_founding_covers_the_commune(actors, places):
    # Given a commune of Taounate without a local secretariat and three founders living there
    commune = bare_commune(TAOUNATE)
    secretary, deputy, other = (PersonFactory(territory=commune) for _ in range(3))
    founding = found(actors.taounate, commune, [secretary, deputy, other])
    progress = {
        r.territory.code: r
        for r in founding_progress(actor=actors.fes_meknes, territory=node("03"))
    }
    assert (progress[TAOUNATE].covered, progress[TAOUNATE].planned) == (2, 1)
    # When the founding meeting is recorded with its officers
    body = founding_record(
        actor=actors.taounate,
        founding=founding,
        founded_on=WHEN.date(),
        officers={Function.LOCAL_SECRETARY: secretary, Function.DEPUTY_SECRETARY: deputy},
    )
    # Then the local secretariat exists with its officers, the meeting is held, the commune covered
    assert (body.kind, body.territory, body.founded_on) == (
        BodyKind.LOCAL_SECRETARIAT,
        commune,
        WHEN.date(),
    )
    assert set(Position.objects.filter(body=body).values_list("person_id", "function")) == {
        (secretary.pk, Function.LOCAL_SECRETARY),
        (deputy.pk, Function.DEPUTY_SECRETARY),
    }
    founding.refresh_from_db()
    assert founding.status == FoundingStatus.FOUNDED
    assert (founding.meeting.kind, founding.meeting.status) == (
        MeetingKind.FOUNDING,
        MeetingStatus.HELD,
    )
    assert set(founding.meeting.attendances.values_list("person_id", flat=True)) == {
        secretary.pk,
        deputy.pk,
        other.pk,
    }
    progress = {
        r.territory.code: r
        for r in founding_progress(actor=actors.fes_meknes, territory=node("03"))
    }
    assert (progress[TAOUNATE].covered, progress[TAOUNATE].planned) == (3, 0)
    assert coverage_total(actor=actors.taounate, territory=node(TAOUNATE)).covered == 3


def test_founding_needs_founders_and_a_secretary_among_them(actors, places):
    commune = bare_commune(TAOUNATE)
    founding = founding_plan(actor=actors.taounate, commune=commune, starts_at=WHEN)
    outsider = PersonFactory(territory=commune)
    with pytest.raises(ValidationError) as error:
        founding_record(
            actor=actors.taounate, founding=founding, founded_on=WHEN.date(), officers={}
        )
    assert error.value.code == "no_founders"
    founding_add_founder(
        actor=actors.taounate, founding=founding, person=PersonFactory(territory=commune)
    )
    with pytest.raises(ValidationError) as error:
        founding_record(
            actor=actors.taounate,
            founding=founding,
            founded_on=WHEN.date(),
            officers={Function.LOCAL_SECRETARY: outsider},
        )
    assert error.value.code == "not_a_founder"
    assert not Body.objects.filter(territory=commune).exists()
    with pytest.raises(ValidationError) as error:
        founding_plan(actor=actors.taounate, commune=commune, starts_at=WHEN)
    assert error.value.code == "planned"
    with pytest.raises(ValidationError) as error:
        founding_plan(actor=actors.taounate, commune=places["taounate_a"].node, starts_at=WHEN)
    assert error.value.code == "exists"


def test_taounate_cannot_found_in_meknes_nor_name_meknes_founders(actors, places):
    meknes_commune = bare_commune(MEKNES)
    with pytest.raises(ValidationError) as error:
        founding_plan(actor=actors.taounate, commune=meknes_commune, starts_at=WHEN)
    assert error.value.code == "forbidden"
    founding = founding_plan(actor=actors.taounate, commune=bare_commune(TAOUNATE), starts_at=WHEN)
    with pytest.raises(ValidationError) as error:
        founding_add_founder(
            actor=actors.taounate, founding=founding, person=places["meknes"].person
        )
    assert error.value.code == "forbidden"
    assert founding.founders.count() == 0
    assert Founding.objects.count() == 1


def test_screens_plan_gather_and_record_a_founding(client, actors, places):
    client.force_login(actors.taounate)
    commune = bare_commune(TAOUNATE)
    supervisor = PersonFactory(territory=node(TAOUNATE).children.first())
    provincial = Body.objects.create(
        kind=BodyKind.PROVINCIAL_SECRETARIAT, territory=node(TAOUNATE), name_ar="إ", name_fr="P"
    )
    Position.objects.create(
        person=supervisor,
        body=provincial,
        function=Function.PROVINCIAL_SECRETARY,
        rank=1,
        starts_on=datetime.date(2026, 1, 1),
    )
    form = client.get(reverse("meetings:founding_new"), {"commune": commune.code})
    assert form.status_code == 200
    assert list(form.context["supervisors"]) == [supervisor]
    response = client.post(
        reverse("meetings:founding_new"),
        {
            "commune": commune.code,
            "starts_at": "2026-12-05T17:00",
            "supervisor": supervisor.pk,
            "office": places["taounate_a"].office.pk,
            "place": "دار الشباب",
        },
    )
    founding = Founding.objects.get(commune=commune)
    assert response.status_code == 302 and response.url == reverse(
        "meetings:founding", args=[founding.pk]
    )
    assert (founding.supervisor, founding.office, founding.place) == (
        supervisor,
        places["taounate_a"].office,
        "دار الشباب",
    )
    url = reverse("meetings:founding", args=[founding.pk])
    known = places["taounate_a"].person
    found_page = client.get(url, {"q": "person-taounate_a"})
    assert known in list(found_page.context["found"])
    client.post(url, {"action": "add_founder", "person": known.pk})
    client.post(
        url,
        {
            "action": "new_founder",
            "new_first_name_ar": "خديجة",
            "new_last_name_ar": "البقالي",
            "new_gender": "F",
            "new_territory": commune.code,
        },
    )
    new = Person.objects.get(first_name_ar="خديجة", last_name_ar="البقالي")
    assert set(founding.founders.all()) == {known, new}
    response = client.post(
        url,
        {
            "action": "record",
            "founded_on": "2026-12-05",
            "local_secretary": new.pk,
            "treasurer": known.pk,
        },
    )
    assert response.status_code == 302
    founding.refresh_from_db()
    assert founding.status == FoundingStatus.FOUNDED
    assert set(founding.body.positions.values_list("person_id", "function")) == {
        (new.pk, Function.LOCAL_SECRETARY),
        (known.pk, Function.TREASURER),
    }
    assert set(
        AuditEntry.objects.filter(object_type="meetings.Founding").values_list("action", flat=True)
    ) == {"founding.plan", "founding.add_founder", "founding.new_founder", "founding.record"}
    page = client.get(reverse("meetings:coverage"), {"territory": TAOUNATE})
    states = {i.commune.code: i for i in page.context["worklist"]}
    assert states[commune.code].body == founding.body
    assert page.context["total"].covered == 3
    assert page.context["tally"] == {"founded": 3, "planned": 0, "to_plan": 46}


def test_screens_refuse_meknes_ids_from_taounate(client, actors, places):
    client.force_login(actors.taounate)
    meknes_commune = bare_commune(MEKNES)
    assert (
        client.get(reverse("meetings:founding_new"), {"commune": meknes_commune.code}).status_code
        == 404
    )
    response = client.post(
        reverse("meetings:founding_new"),
        {"commune": meknes_commune.code, "starts_at": "2026-12-05T17:00"},
    )
    assert response.status_code == 404
    assert Founding.objects.count() == 0
    # A Meknès supervisor or office in the body of a Taounate plan: 404, nothing planned
    commune = bare_commune(TAOUNATE)
    for field, value in (
        ("supervisor", places["meknes"].person.pk),
        ("office", places["meknes"].office.pk),
    ):
        response = client.post(
            reverse("meetings:founding_new"),
            {"commune": commune.code, "starts_at": "2026-12-05T17:00", field: value},
        )
        assert response.status_code == 404
    assert Founding.objects.count() == 0
    founding = founding_plan(actor=actors.taounate, commune=commune, starts_at=WHEN)
    url = reverse("meetings:founding", args=[founding.pk])
    # A Meknès person as founder, or a new founder living in Meknès: 404, nobody added or created
    people = Person.objects.count()
    assert (
        client.post(
            url, {"action": "add_founder", "person": places["meknes"].person.pk}
        ).status_code
        == 404
    )
    response = client.post(
        url,
        {
            "action": "new_founder",
            "new_first_name_ar": "سعاد",
            "new_territory": meknes_commune.code,
        },
    )
    assert response.status_code == 404
    assert (founding.founders.count(), Person.objects.count()) == (0, people)
    # Meknès's secretary cannot open or change Taounate's founding
    client.force_login(actors.meknes)
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "cancel", "reason": "x"}).status_code == 404
    founding.refresh_from_db()
    assert founding.status == FoundingStatus.PLANNED


def test_worklist_is_gated(actors, places):
    with pytest.raises(PermissionDenied):
        commune_worklist(actor=actors.taounate, territory=node(MEKNES))
