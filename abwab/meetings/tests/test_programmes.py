"""Programmes of meetings and the territory calendar (issue 14, item 6)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from abwab.meetings.founding import founding_plan
from abwab.meetings.models import Meeting, MeetingKind, Programme, ProgrammePlace
from abwab.meetings.programmes import calendar_items, programme_plan, reminders, to_ics
from abwab.territory.models import Body, BodyKind, Kind, Territory
from abwab.territory.services import body_create

pytestmark = pytest.mark.django_db
CASA = ZoneInfo("Africa/Casablanca")
FIRST = datetime.datetime(2027, 1, 15, 18, 0, tzinfo=CASA)
TAOUNATE, MEKNES = "03.531", "03.061"


def node(code):
    return Territory.objects.get(code=code)


@pytest.fixture
def regional(actors):
    return body_create(
        kind=BodyKind.REGIONAL_SECRETARIAT,
        territory=node("03"),
        name_ar="الأمانة الجهوية لفاس مكناس",
        name_fr="Secrétariat régional de Fès-Meknès",
    )


def provinces_of_the_region():
    return list(
        node("03")
        .children.exclude(kind=Kind.PREFECTURE_OF_ARRONDISSEMENTS)
        .filter(level__lte=3)
        .order_by("code")
    )


def test_the_regional_secretariat_meets_in_every_province_monthly(actors, places, regional):
    programme = programme_plan(
        actor=actors.fes_meknes,
        name_ar="اجتماع الأمانة الجهوية في كل إقليم",
        name_fr="Le secrétariat régional dans chaque province",
        pattern="each_place",
        body=regional,
        starts_at=FIRST,
        spacing="monthly",
    )
    provinces = provinces_of_the_region()
    meetings = list(programme.meetings.order_by("starts_at"))
    assert len(meetings) == len(provinces) == 9
    assert [m.programme_place.territory for m in meetings] == provinces
    assert [timezone.localtime(m.starts_at).date() for m in meetings[:3]] == [
        datetime.date(2027, 1, 15),
        datetime.date(2027, 2, 15),
        datetime.date(2027, 3, 15),
    ]
    assert {m.body for m in meetings} == {regional}
    assert programme.due_on == timezone.localtime(meetings[-1].starts_at).date()
    # Held at the party's office where the province has one, else named by the province
    in_taounate = next(m for m in meetings if m.programme_place.territory.code == TAOUNATE)
    assert in_taounate.office.territory.path.startswith(node(TAOUNATE).path)
    other = next(m for m in meetings if m.programme_place.territory.code == "03.131")
    assert (other.office, other.place) == (None, node("03.131").name_ar)


def test_every_provincial_secretariat_meets_and_council_sessions_are_numbered(
    actors, places, regional
):
    for code in (TAOUNATE, MEKNES):
        body_create(
            kind=BodyKind.PROVINCIAL_SECRETARIAT, territory=node(code), name_ar="إ", name_fr=code
        )
    programme = programme_plan(
        actor=actors.fes_meknes,
        name_ar="اجتماعات الأمانات الإقليمية",
        name_fr="",
        pattern="each_body",
        body_kind=BodyKind.PROVINCIAL_SECRETARIAT,
        territory=node("03"),
        starts_at=FIRST,
    )
    assert sorted(programme.meetings.values_list("body__territory__code", flat=True)) == [
        MEKNES,
        TAOUNATE,
    ]
    assert set(programme.meetings.values_list("starts_at", flat=True)) == {FIRST}
    council = body_create(
        kind=BodyKind.REGIONAL_COUNCIL, territory=node("03"), name_ar="م", name_fr="Conseil"
    )
    sessions = programme_plan(
        actor=actors.fes_meknes,
        name_ar="دورات المجلس",
        name_fr="",
        pattern="repeat",
        body=council,
        count=3,
        starts_at=FIRST,
        spacing="quarterly",
    )
    assert list(sessions.meetings.order_by("starts_at").values_list("kind", "session_number")) == [
        (MeetingKind.COUNCIL_SESSION, n) for n in (1, 2, 3)
    ]


def test_taounate_plans_no_programme_of_meknes_or_the_region(client, actors, places, regional):
    meknes_body = Body.objects.create(
        kind=BodyKind.PROVINCIAL_SECRETARIAT, territory=node(MEKNES), name_ar="م", name_fr="M"
    )
    with pytest.raises(ValidationError) as error:
        programme_plan(
            actor=actors.taounate,
            name_ar="x",
            name_fr="",
            pattern="repeat",
            body=meknes_body,
            count=2,
            starts_at=FIRST,
            spacing="monthly",
        )
    assert error.value.code == "no_body"
    client.force_login(actors.taounate)
    url = reverse("meetings:programmes")
    for data in (
        {"pattern": "repeat", "body": meknes_body.pk, "count": "2"},
        {"pattern": "each_place", "body": regional.pk},
        {"pattern": "each_body", "territory": "03", "body_kind": "provincial_secretariat"},
        {"pattern": "each_body", "territory": MEKNES, "body_kind": "local_secretariat"},
    ):
        response = client.post(
            url, {"name_ar": "x", "starts_at": "2027-01-15T18:00", "spacing": "monthly", **data}
        )
        assert response.status_code == 404
    assert (Programme.objects.count(), Meeting.objects.filter(programme__isnull=False).count()) == (
        0,
        0,
    )


def test_programme_screen_plans_in_one_step(client, actors, places, regional):
    client.force_login(actors.fes_meknes)
    response = client.post(
        reverse("meetings:programmes"),
        {
            "name_ar": "اجتماع في كل إقليم",
            "name_fr": "Dans chaque province",
            "pattern": "each_place",
            "body": regional.pk,
            "starts_at": "2027-01-15T18:00",
            "spacing": "monthly",
        },
    )
    assert response.status_code == 302
    programme = Programme.objects.get()
    assert programme.meetings.count() == 9
    page = client.get(reverse("meetings:programmes"))
    assert page.status_code == 200
    assert [(row[0], row[1], row[2]) for row in page.context["rows"]] == [(programme, 0, 9)]


def test_calendar_shows_meetings_foundings_and_hosted_meetings(client, actors, places, regional):
    programme_plan(
        actor=actors.fes_meknes,
        name_ar="اجتماع في كل إقليم",
        name_fr="",
        pattern="each_place",
        body=regional,
        starts_at=FIRST,
        spacing="same_day",
    )
    commune = (
        node(TAOUNATE)
        .children.exclude(pk__in=[places["taounate_a"].node.pk, places["taounate_b"].node.pk])
        .order_by("code")
        .first()
    )
    founding = founding_plan(
        actor=actors.taounate, commune=commune, starts_at=FIRST + datetime.timedelta(days=2)
    )
    january = (datetime.date(2027, 1, 1), datetime.date(2027, 2, 1))
    # The region's secretary sees its own meeting held in Taounate, with its page
    items = calendar_items(
        actor=actors.fes_meknes,
        territory=node(TAOUNATE),
        start=january[0],
        end=january[1],
        language="ar",
    )
    assert [(i.kind, i.day) for i in items] == [
        ("meeting", datetime.date(2027, 1, 15)),
        ("founding", datetime.date(2027, 1, 17)),
    ]
    # Taounate's secretary sees the region's meeting hosted in the province (no page), not Meknès's
    items = calendar_items(
        actor=actors.taounate,
        territory=node(TAOUNATE),
        start=january[0],
        end=january[1],
        language="fr",
    )
    assert [(i.kind, i.title, i.url) for i in items] == [
        ("hosted", "Secrétariat régional de Fès-Meknès", ""),
        (
            "founding",
            f"Founding of the local secretariat of {commune.name_fr}",
            reverse("meetings:founding", args=[founding.pk]),
        ),
    ]
    # The page: Moroccan month names, day-month-year
    client.force_login(actors.taounate)
    page = client.get(
        reverse("meetings:calendar"),
        {"territory": TAOUNATE, "month": "2027-01"},
        HTTP_ACCEPT_LANGUAGE="ar",
    )
    content = page.content.decode()
    assert page.status_code == 200
    assert "يناير 2027" in content and "15 يناير 2027" in content and "17 يناير 2027" in content
    assert [count for week in page.context["weeks"] for _day, _in, count in week if count] == [1, 1]
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("meetings:calendar"), {"territory": TAOUNATE, "month": "2027-01"})
    assert "janvier 2027" in page.content.decode() and "15 janvier 2027" in page.content.decode()
    # Meknès's calendar is not Taounate's to read
    assert client.get(reverse("meetings:calendar"), {"territory": MEKNES}).status_code == 404


def test_reminders_list_the_coming_week(actors, places):
    now = timezone.now()
    body = places["taounate_a"].body
    soon = Meeting.objects.create(body=body, starts_at=now + datetime.timedelta(days=2))
    Meeting.objects.create(body=body, starts_at=now + datetime.timedelta(days=10))
    Meeting.objects.create(body=body, starts_at=now - datetime.timedelta(days=1))
    Meeting.objects.create(body=places["meknes"].body, starts_at=now + datetime.timedelta(days=2))
    found = reminders(actor=actors.taounate, territory=node(TAOUNATE), language="ar")
    assert [item.uid for item in found] == [f"meeting-{soon.pk}"]


def test_ics_export_of_a_territory(client, actors, places):
    when = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    mine = Meeting.objects.create(
        body=places["taounate_a"].body, starts_at=when, place="قاعة 1, الطابق 2"
    )
    theirs = Meeting.objects.create(body=places["meknes"].body, starts_at=when)
    client.force_login(actors.taounate)
    response = client.get(reverse("meetings:calendar_ics"), {"territory": TAOUNATE})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith(
        "END:VCALENDAR\r\n"
    )
    # Its meeting and the two places' meetings of today in Taounate; none of Meknès
    assert text.count("BEGIN:VEVENT") == 3
    assert f"UID:meeting-{places['taounate_b'].meeting.pk}@testserver" in text
    assert f"UID:meeting-{mine.pk}@testserver" in text
    assert f"meeting-{theirs.pk}@" not in text
    assert f"DTSTART:{when.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}" in text
    assert "LOCATION:" in text and "\\," in text  # the comma escaped
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert client.get(reverse("meetings:calendar_ics"), {"territory": MEKNES}).status_code == 404


def test_ics_folds_long_arabic_lines_without_splitting_letters():
    from abwab.meetings.programmes import CalendarItem

    item = CalendarItem(
        datetime.datetime(2027, 1, 15, 17, tzinfo=datetime.UTC),
        "اجتماع " * 30,
        "",
        "",
        "meeting",
        "x",
    )
    text = to_ics([item], name="تاونات", host="example.org")
    lines = text.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:" + "اجتماع " * 29 + "اجتماع" in unfolded


def test_programme_places_are_kept(actors, places, regional):
    programme_plan(
        actor=actors.fes_meknes,
        name_ar="x",
        name_fr="",
        pattern="each_place",
        body=regional,
        starts_at=FIRST,
        spacing="weekly",
    )
    assert ProgrammePlace.objects.count() == 9
