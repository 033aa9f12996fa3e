"""The meeting record from the screen: what issue 13 found broken, and the rules of the record."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from abwab.meetings.models import (
    Attendance,
    Communique,
    Decision,
    DecisionStatus,
    Meeting,
    MeetingStatus,
    Presence,
)
from abwab.meetings.selectors import closing_report
from abwab.meetings.services import (
    attendance_invite_position,
    attendance_record,
    decision_add,
    decision_set_status,
    meeting_hold,
    meeting_plan,
    quorum,
)
from abwab.people.models import Function
from abwab.people.services import position_assign
from abwab.people.tests.factories import PersonFactory
from abwab.territory.models import BodyKind, Quorum, Territory
from abwab.territory.services import body_create
from conftest import in_arabic

pytestmark = pytest.mark.django_db
WHEN = datetime.datetime(2026, 11, 29, 10, 0, tzinfo=ZoneInfo("Africa/Casablanca"))
SINCE = datetime.date(2025, 1, 1)


def node(code):
    return Territory.objects.get(code=code)


@pytest.fixture
def secretariat(actors):
    return body_create(
        kind=BodyKind.REGIONAL_SECRETARIAT,
        territory=node("03"),
        name_ar="الأمانة الجهوية",
        name_fr="Secrétariat régional",
    )


def holder(body, function, *, gender="M", commune="03.231.01.01", **names):
    person = PersonFactory(territory=node(commune), gender=gender, **names)
    position_assign(person=person, body=body, function=function, starts_on=SINCE)
    return person


@pytest.fixture
def planned(actors, secretariat):
    """A planned meeting of the regional secretariat with its secretary and the group's head."""
    secretary = holder(
        secretariat, Function.REGIONAL_SECRETARY, first_name_ar="كريم", last_name_ar="بناني"
    )
    head = holder(
        secretariat,
        Function.GROUP_HEAD,
        gender="F",
        first_name_ar="سعاد",
        last_name_ar="العمراني",
    )
    meeting = meeting_plan(actor=actors.fes_meknes, body=secretariat, starts_at=WHEN)
    return meeting, secretary, head


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _post(client, meeting, **data):
    return client.post(reverse("meetings:detail", args=[meeting.pk]), data)


def test_approving_the_minutes_twice_changes_nothing_and_errors_nowhere(client, actors, planned):
    meeting, secretary, head = planned
    attendance_record(
        actor=actors.fes_meknes,
        meeting=meeting,
        presences={secretary.pk: Presence.PRESENT, head.pk: Presence.PRESENT},
    )
    meeting_hold(actor=actors.fes_meknes, meeting=meeting)
    client.force_login(actors.fes_meknes)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    # The approve button's form posts that action alone (it used to share a form with the
    # communiqué's hidden action, so "approve" wrote a communiqué, and the second click failed).
    form = next(f for f in re.findall(r"<form.*?</form>", page, re.S) if 'value="approve"' in f)
    assert re.findall(r'name="action"[^>]*value="([a-z_]+)"', form) == ["approve"]
    first = _post(client, meeting, action="approve")
    meeting.refresh_from_db()
    approved_at = meeting.approved_at
    assert (meeting.status, meeting.approved_by) == (MeetingStatus.APPROVED, actors.fes_meknes)
    second = _post(client, meeting, action="approve")
    meeting.refresh_from_db()
    assert (first.status_code, second.status_code) == (302, 302)
    assert _messages(second) == []
    assert (meeting.status, meeting.approved_at) == (MeetingStatus.APPROVED, approved_at)
    assert Communique.objects.filter(meeting=meeting).count() == 0


def test_a_meeting_with_nobody_present_cannot_be_marked_held(client, actors, secretariat):
    meeting = meeting_plan(actor=actors.fes_meknes, body=secretariat, starts_at=WHEN)
    assert quorum(meeting) == (0, 0, False)
    client.force_login(actors.fes_meknes)
    response = _post(client, meeting, action="hold")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DRAFT and meeting.held_at is None
    assert _messages(response) == [
        in_arabic("A meeting is held with someone present: record the attendance first.")
    ]


def test_all_absent_or_no_quorum_without_a_note_is_not_held(actors, planned):
    meeting, secretary, head = planned
    attendance_record(
        actor=actors.fes_meknes,
        meeting=meeting,
        presences={secretary.pk: Presence.ABSENT, head.pk: Presence.EXCUSED},
    )
    with pytest.raises(ValidationError) as error:
        meeting_hold(actor=actors.fes_meknes, meeting=meeting)
    assert error.value.code == "nobody_present"
    attendance_record(actor=actors.fes_meknes, meeting=meeting, presences={head.pk: "present"})
    assert quorum(meeting) == (1, 2, False)  # more than half of two is two
    with pytest.raises(ValidationError) as error:
        meeting_hold(actor=actors.fes_meknes, meeting=meeting)
    assert error.value.code == "no_quorum"
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DRAFT
    meeting_hold(actor=actors.fes_meknes, meeting=meeting, quorum_note="second convocation")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.quorum_note) == (MeetingStatus.HELD, "second convocation")


def test_proxies_count_where_the_body_allows_them(actors, secretariat):
    secretariat.quorum, secretariat.proxies_allowed = Quorum.TWO_THIRDS, True
    secretariat.save()
    members = [holder(secretariat, Function.MEMBER) for _ in range(3)]
    meeting = meeting_plan(actor=actors.fes_meknes, body=secretariat, starts_at=WHEN)
    assert (meeting.quorum, meeting.proxies_allowed) == (Quorum.TWO_THIRDS, True)
    attendance_record(
        actor=actors.fes_meknes,
        meeting=meeting,
        presences={
            members[0].pk: Presence.PRESENT,
            members[1].pk: Presence.ABSENT,
            members[2].pk: Presence.ABSENT,
        },
        proxies={members[1].pk: members[0].pk},
    )
    assert quorum(meeting) == (2, 3, True)
    with pytest.raises(ValidationError) as error:  # a proxy goes to someone present
        attendance_record(
            actor=actors.fes_meknes,
            meeting=meeting,
            presences={},
            proxies={members[2].pk: members[1].pk},
        )
    assert error.value.code == "bad_proxy"
    assert Attendance.objects.get(meeting=meeting, person=members[2]).proxy_id is None
    secretariat.proxies_allowed = False
    secretariat.save()
    other = meeting_plan(actor=actors.fes_meknes, body=secretariat, starts_at=WHEN)
    with pytest.raises(ValidationError) as error:
        attendance_record(
            actor=actors.fes_meknes,
            meeting=other,
            presences={members[0].pk: Presence.PRESENT},
            proxies={members[1].pk: members[0].pk},
        )
    assert error.value.code == "no_proxies"
    assert other.attendances.filter(presence=Presence.PRESENT).count() == 0


def test_the_attendance_shows_titles_not_codes(client, actors, planned):
    meeting, _secretary, _head = planned
    client.force_login(actors.fes_meknes)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "regional_secretary" not in page and "group_head" not in page
    assert "كريم بناني</strong> — الأمين الجهوي" in page
    assert "سعاد العمراني</strong> — رئيسة الفريق" in page  # she heads the group
    client.post(reverse("set_language"), {"language": "fr"})
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "— secrétaire régional" in page and "— présidente du groupe" in page


def test_the_media_officer_sees_the_meetings_of_their_region_without_personal_data(
    client, actors, planned, places
):
    meeting, secretary, head = planned
    absent = holder(meeting.body, Function.MEMBER, first_name_ar="غائب", last_name_ar="مجهول")
    attendance_invite_position(
        actor=actors.fes_meknes, meeting=meeting, position=absent.positions.get()
    )
    attendance_record(
        actor=actors.fes_meknes,
        meeting=meeting,
        presences={
            secretary.pk: Presence.PRESENT,
            head.pk: Presence.PRESENT,
            absent.pk: Presence.ABSENT,
        },
    )
    decision_add(actor=actors.fes_meknes, meeting=meeting, text="متابعة", owner_person=absent)
    client.force_login(actors.media)
    listing = client.get(reverse("meetings:list")).content.decode()
    assert reverse("meetings:detail", args=[meeting.pk]) in listing
    assert reverse("meetings:detail", args=[places["oriental"].meeting.pk]) not in listing
    response = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "كريم بناني" in page and "سعاد العمراني" in page
    assert "غائب مجهول" not in page  # absentees (here also a decision's owner) are not published
    assert "متابعة" in page
    assert secretary.phone not in page or not secretary.phone
    assert 'name="action"' not in page  # reads, changes nothing
    assert reverse("people:detail", args=[secretary.pk]) not in page
    assert (
        client.get(reverse("meetings:detail", args=[places["oriental"].meeting.pk])).status_code
        == 404
    )


def test_cancel_needs_a_reason_and_only_a_planned_meeting_is_cancelled(client, actors, planned):
    meeting, _secretary, _head = planned
    client.force_login(actors.fes_meknes)
    response = _post(client, meeting, action="cancel", reason=" ")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DRAFT
    assert _messages(response) == [in_arabic("Say why the meeting is cancelled.")]
    _post(client, meeting, action="cancel", reason="the hall was not free")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancelled_reason, meeting.cancelled_by) == (
        MeetingStatus.CANCELLED,
        "the hall was not free",
        actors.fes_meknes,
    )
    _post(client, meeting, action="agenda", title="x")
    assert meeting.agenda.count() == 0  # a cancelled meeting records nothing more


def test_delete_only_while_planned_and_nothing_recorded(client, actors, planned, secretariat):
    meeting, secretary, _head = planned
    client.force_login(actors.taounate)  # another province's secretary: not theirs
    assert _post(client, meeting, action="delete").status_code == 404
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    client.force_login(actors.fes_meknes)
    attendance_record(
        actor=actors.fes_meknes, meeting=meeting, presences={secretary.pk: Presence.PRESENT}
    )
    response = _post(client, meeting, action="delete")
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    assert _messages(response) == [
        in_arabic("Only a planned meeting with nothing recorded can be deleted; cancel it instead.")
    ]
    empty = meeting_plan(actor=actors.fes_meknes, body=secretariat, starts_at=WHEN)
    response = _post(client, empty, action="delete")
    assert response.url == reverse("meetings:list")
    assert not Meeting.objects.filter(pk=empty.pk).exists()
    assert not Attendance.objects.filter(meeting_id=empty.pk).exists()


def test_chair_and_place_are_set_from_the_screen(client, actors, planned, places):
    meeting, secretary, _head = planned
    client.force_login(actors.fes_meknes)
    _post(
        client,
        meeting,
        action="details",
        starts_at="2026-11-29T10:00",
        kind="extraordinary",
        chair=secretary.pk,
        place="المقر الجهوي بفاس",
        place_fr="le siège régional à Fès",
    )
    meeting.refresh_from_db()
    assert (meeting.chair, meeting.place, meeting.place_fr, meeting.kind) == (
        secretary,
        "المقر الجهوي بفاس",
        "le siège régional à Fès",
        "extraordinary",
    )
    office = places["taounate_a"].office
    _post(client, meeting, action="details", starts_at="2026-11-29T10:00", office=office.pk)
    meeting.refresh_from_db()
    assert meeting.office == office and meeting.chair is None


def test_ids_from_another_territory_are_refused_in_the_body(client, actors, places, secretariat):
    """A Taounate secretary names a Meknès person, office or position: 404 and nothing changes."""
    body = places["taounate_a"].body
    mine = holder(body, Function.LOCAL_SECRETARY, commune=places["taounate_a"].node.code)
    meeting = meeting_plan(actor=actors.taounate, body=body, starts_at=WHEN)
    foreign = holder(
        places["meknes"].body, Function.LOCAL_SECRETARY, commune=places["meknes"].node.code
    )
    client.force_login(actors.taounate)
    for data in (
        {"action": "details", "starts_at": "2026-11-29T10:00", "chair": foreign.pk},
        {
            "action": "details",
            "starts_at": "2026-11-29T10:00",
            "office": places["meknes"].office.pk,
        },
        {"action": "invite", "position": foreign.positions.get().pk},
        {"action": "guest", "person": foreign.pk},
        {"action": "decision", "text": "x", "owner": foreign.pk},
    ):
        assert _post(client, meeting, **data).status_code == 404, data
    meeting.refresh_from_db()
    assert (meeting.chair, meeting.office) == (None, None)
    assert list(meeting.attendances.values_list("person_id", flat=True)) == [mine.pk]
    assert meeting.decisions.count() == 0
    response = client.post(
        reverse("meetings:new"), {"body": places["meknes"].body.pk, "starts_at": "2026-12-01T10:00"}
    )
    assert response.status_code == 404


def test_decisions_are_numbered_per_body_and_year_and_followed_until_done(client, actors, planned):
    meeting, secretary, _head = planned
    first = decision_add(actor=actors.fes_meknes, meeting=meeting, text="أ", text_fr="a")
    second = decision_add(actor=actors.fes_meknes, meeting=meeting, text="ب")
    later = meeting_plan(
        actor=actors.fes_meknes, body=meeting.body, starts_at=WHEN.replace(year=2027)
    )
    next_year = decision_add(actor=actors.fes_meknes, meeting=later, text="ج")
    assert [first.reference, second.reference, next_year.reference] == [
        "1/2026",
        "2/2026",
        "1/2027",
    ]
    with pytest.raises(ValidationError):
        decision_add(actor=actors.fes_meknes, meeting=meeting, text=" ", text_fr="")
    decision_set_status(
        actor=actors.fes_meknes, decision=first, status=DecisionStatus.IN_PROGRESS, note="begun"
    )
    decision_set_status(actor=actors.fes_meknes, decision=first, status=DecisionStatus.DONE)
    first.refresh_from_db()
    assert first.status == DecisionStatus.DONE and first.done_at is not None
    assert list(first.updates.values_list("status", "note")) == [
        ("in_progress", "begun"),
        ("done", ""),
    ]
    client.force_login(actors.fes_meknes)
    board = client.get(reverse("meetings:decisions")).content.decode()
    assert "1/2026" in board and "— <bdi>begun</bdi>" in board
    with pytest.raises(ValidationError):
        decision_set_status(actor=actors.taounate, decision=first, status=DecisionStatus.OPEN)
    assert Decision.objects.get(pk=first.pk).status == DecisionStatus.DONE


def test_the_closing_report_counts_the_record(actors, planned):
    meeting, secretary, head = planned
    attendance_record(
        actor=actors.fes_meknes,
        meeting=meeting,
        presences={secretary.pk: Presence.PRESENT, head.pk: Presence.EXCUSED},
    )
    decision_add(actor=actors.fes_meknes, meeting=meeting, text="أ")
    report = closing_report(meeting)
    assert (report.present, report.excused, report.absent, report.decisions) == (1, 1, 0, 1)
    assert (report.members_present, report.members, report.quorum_reached) == (1, 2, False)
    assert report.attachments == []
