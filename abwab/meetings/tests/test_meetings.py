import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from abwab.meetings.communique import compose_ar, compose_fr
from abwab.meetings.models import MeetingKind, MeetingStatus, Presence
from abwab.meetings.selectors import communes_without_secretariat, coverage
from abwab.meetings.services import (
    agenda_set,
    attendance_invite_position,
    attendance_record,
    decision_add,
    local_secretariat_found,
    meeting_approve,
    meeting_convoke,
    meeting_hold,
    meeting_plan,
    programme_create,
    programme_progress,
    quorum,
)
from abwab.people.models import Function
from abwab.people.services import position_assign
from abwab.people.tests.factories import PersonFactory
from abwab.territory.models import Body, BodyKind, Territory
from abwab.territory.services import body_create

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 11, 10)  # a Sunday
WHEN = datetime.datetime(2024, 11, 10, 10, 0, tzinfo=ZoneInfo("Africa/Casablanca"))


def node(code):
    return Territory.objects.get(code=code)


@pytest.fixture
def regional_secretariat(actors):
    return body_create(
        kind=BodyKind.REGIONAL_SECRETARIAT,
        territory=node("03"),
        name_ar="الأمانة الجهوية لجهة فاس مكناس",
        name_fr="secrétariat régional de Fès-Meknès",
    )


@pytest.fixture
def full_meeting(actors, places, regional_secretariat):
    """A held meeting of the regional secretariat with twelve attendees of different functions and provinces."""
    provinces = [
        "03.531.01.05",
        "03.061.01.01",
        "03.231.01.01",
        "03.561.01.11",
        "03.451.01.09",
        "03.171.01.05",
    ]
    roster = [
        (Function.REGIONAL_SECRETARY, "كريم", "بناني", "Karim", "Bennani", "M", provinces[2]),
        (Function.DEPUTY_SECRETARY, "نادية", "العلوي", "Nadia", "Alaoui", "F", provinces[0]),
        (Function.TREASURER, "يوسف", "برادة", "Youssef", "Berrada", "M", provinces[1]),
        (Function.PROVINCIAL_SECRETARY, "حسن", "التازي", "Hassan", "Tazi", "M", provinces[3]),
        (
            Function.PROVINCIAL_SECRETARY,
            "خديجة",
            "الشرايبي",
            "Khadija",
            "Chraibi",
            "F",
            provinces[4],
        ),
        (Function.PROVINCIAL_SECRETARY, "رشيد", "الكتاني", "Rachid", "Kettani", "M", provinces[5]),
    ] + [
        (
            Function.MEMBER,
            f"عضو{i}",
            "الفاسي",
            f"Membre{i}",
            "Fassi",
            "M" if i % 2 else "F",
            provinces[i % 6],
        )
        for i in range(6)
    ]
    people = []
    for function, fa, la, fl, ll, gender, commune in roster:
        person = PersonFactory(
            first_name_ar=fa,
            last_name_ar=la,
            first_name_latin=fl,
            last_name_latin=ll,
            gender=gender,
            territory=node(commune),
        )
        position_assign(
            person=person,
            body=regional_secretariat,
            function=function,
            starts_on=datetime.date(2023, 1, 1),
        )
        people.append(person)
    meeting = meeting_plan(
        actor=actors.fes_meknes,
        body=regional_secretariat,
        starts_at=WHEN,
        office=places["taounate_a"].office,
        chair=people[0],
    )
    attendance_record(
        actor=actors.fes_meknes,
        meeting=meeting,
        presences={p.pk: Presence.PRESENT for p in people[:-1]} | {people[-1].pk: Presence.EXCUSED},
    )
    agenda_set(
        actor=actors.fes_meknes,
        meeting=meeting,
        items=[
            ("التحضير لأيام الأبواب المفتوحة", "تمت مناقشة التعبئة"),
            ("تقييم أداء المنتخبين", ""),
        ],
    )
    decision_add(
        actor=actors.fes_meknes,
        meeting=meeting,
        text="تعميم الأبواب المفتوحة على جميع المقرات",
        due_on=datetime.date(2024, 12, 1),
    )
    decision_add(
        actor=actors.fes_meknes,
        meeting=meeting,
        text="عقد اجتماع الأمانة الإقليمية بتاونات",
        territory=node("03.531"),
    )
    meeting_hold(actor=actors.fes_meknes, meeting=meeting)
    return meeting, people


def test_states_and_who_may_approve(actors, full_meeting):
    meeting, _people = full_meeting
    assert meeting.status == MeetingStatus.HELD
    with pytest.raises(ValidationError, match="cannot approve the minutes"):
        meeting_approve(actor=actors.taounate, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.approved_by is None
    meeting_approve(actor=actors.fes_meknes, meeting=meeting)
    assert (meeting.status, meeting.approved_by) == (MeetingStatus.APPROVED, actors.fes_meknes)
    with pytest.raises(ValidationError, match="can no longer change"):
        agenda_set(actor=actors.fes_meknes, meeting=meeting, items=[("x", "")])


def test_hold_needs_attendance_and_council_quorum(actors, regional_secretariat):
    council = body_create(
        kind=BodyKind.REGIONAL_COUNCIL,
        territory=node("03"),
        name_ar="المجلس الجهوي",
        name_fr="conseil régional",
    )
    members = [PersonFactory() for _ in range(5)]
    for person in members:
        position_assign(
            person=person,
            body=council,
            function=Function.MEMBER,
            starts_on=datetime.date(2023, 1, 1),
        )
    session = meeting_plan(
        actor=actors.fes_meknes,
        body=council,
        starts_at=WHEN,
        kind=MeetingKind.COUNCIL_SESSION,
        session_number=2,
    )
    with pytest.raises(ValidationError, match="Record everyone's attendance"):
        meeting_hold(actor=actors.fes_meknes, meeting=session)
    attendance_record(
        actor=actors.fes_meknes,
        meeting=session,
        presences={
            p.pk: (Presence.PRESENT if i < 2 else Presence.ABSENT) for i, p in enumerate(members)
        },
    )
    assert quorum(session) == (2, 5, False)
    with pytest.raises(ValidationError, match="No quorum: 2 of 5 members present, 3 needed"):
        meeting_hold(actor=actors.fes_meknes, meeting=session)
    session.refresh_from_db()
    assert session.status == MeetingStatus.DRAFT
    attendance_record(
        actor=actors.fes_meknes, meeting=session, presences={members[2].pk: Presence.PRESENT}
    )
    assert quorum(session) == (3, 5, True)
    meeting_hold(actor=actors.fes_meknes, meeting=session)
    assert compose_ar(session)[1].startswith(
        "عقد المجلس الجهوي للحزب بجهة فاس-مكناس دورته العادية الثانية، يوم الأحد 10 نونبر 2024."
    )
    assert compose_fr(session)[1].startswith(
        "Le conseil régional du parti dans la région de Fès-Meknès a tenu sa deuxième session "
        "ordinaire le dimanche 10 novembre 2024."
    )


def test_programme_plans_a_meeting_in_every_province(actors):
    provinces = node("03").children.exclude(kind="prefecture_of_arrondissements")
    for province in provinces:
        body_create(
            kind=BodyKind.PROVINCIAL_SECRETARIAT,
            territory=province,
            name_ar=f"الأمانة الإقليمية {province.name_ar}",
            name_fr=f"SP {province.name_fr}",
        )
    programme = programme_create(
        actor=actors.fes_meknes,
        territory=node("03"),
        body_kind=BodyKind.PROVINCIAL_SECRETARIAT,
        name_ar="اجتماع في كل إقليم",
        name_fr="Une réunion par province",
        due_on=DAY,
        starts_at=WHEN,
    )
    assert programme_progress(programme) == (0, 9)
    meeting = programme.meetings.get(body__territory__code="03.531")
    secretary = PersonFactory(territory=node("03.531.01.05"))
    position = position_assign(
        person=secretary, body=meeting.body, function=Function.PROVINCIAL_SECRETARY, starts_on=DAY
    )
    attendance_invite_position(actor=actors.taounate, meeting=meeting, position=position)
    attendance_record(
        actor=actors.taounate, meeting=meeting, presences={secretary.pk: Presence.PRESENT}
    )
    meeting_hold(actor=actors.taounate, meeting=meeting)
    assert programme_progress(programme) == (1, 9)
    with pytest.raises(ValidationError, match="cannot start a programme"):
        programme_create(
            actor=actors.taounate,
            territory=node("03"),
            body_kind=BodyKind.PROVINCIAL_SECRETARIAT,
            name_ar="x",
            name_fr="x",
            due_on=DAY,
            starts_at=WHEN,
        )


def test_local_branch_coverage(actors, places):
    taounate = node("03.531")
    before = {
        row.territory.code: row for row in coverage(actor=actors.fes_meknes, territory=node("03"))
    }
    assert (before["03.531"].covered, before["03.531"].communes) == (2, 49)  # the two place bodies
    without = list(communes_without_secretariat(actor=actors.taounate, territory=taounate))
    assert len(without) == 47 and places["taounate_a"].node not in without
    for commune in without[:7]:
        local_secretariat_found(
            actor=actors.taounate,
            commune=commune,
            founded_on=DAY,
            secretary=PersonFactory(territory=commune),
        )
    with pytest.raises(ValidationError, match="already has a local secretariat"):
        local_secretariat_found(
            actor=actors.taounate, commune=without[0], founded_on=DAY, secretary=PersonFactory()
        )
    with pytest.raises(ValidationError, match="cannot found a secretariat here"):
        local_secretariat_found(
            actor=actors.meknes, commune=without[8], founded_on=DAY, secretary=PersonFactory()
        )
    rows = {
        row.territory.code: row for row in coverage(actor=actors.fes_meknes, territory=node("03"))
    }
    assert (rows["03.531"].covered, rows["03.531"].communes, rows["03.531"].percent) == (9, 49, 18)
    assert rows["03.061"].covered == 1
    assert len(communes_without_secretariat(actor=actors.taounate, territory=taounate)) == 40
    founded = Body.objects.get(kind=BodyKind.LOCAL_SECRETARIAT, territory=without[0])
    assert founded.founded_on == DAY
    assert founded.meetings.get().kind == MeetingKind.FOUNDING
    assert founded.positions.get().function == Function.LOCAL_SECRETARY


def test_council_session_convocation_is_recorded_by_the_level_only(actors):
    council = body_create(
        kind=BodyKind.REGIONAL_COUNCIL,
        territory=node("03"),
        name_ar="المجلس الجهوي",
        name_fr="conseil régional",
    )
    session = meeting_plan(
        actor=actors.fes_meknes,
        body=council,
        starts_at=WHEN,
        kind=MeetingKind.COUNCIL_SESSION,
        session="الدورة الثانية",
    )
    with pytest.raises(ValidationError, match="cannot change this meeting"):
        meeting_convoke(actor=actors.taounate, meeting=session)
    session.refresh_from_db()
    assert session.convoked_at is None
    meeting_convoke(actor=actors.fes_meknes, meeting=session)
    session.refresh_from_db()
    assert session.convoked_at is not None
