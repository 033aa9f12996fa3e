"""The meetings API refuses ids from another territory, in the path and in the body (404, nothing
changed), and shows the media office only the names a communiqué publishes."""

import datetime
import json

import pytest

from abwab.accounts.tokens import token_create
from abwab.meetings.models import Meeting, MeetingStatus, Presence
from abwab.meetings.services import attendance_record, meeting_plan
from abwab.people.models import Function
from abwab.people.services import position_assign
from abwab.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
SINCE = datetime.date(2025, 1, 1)


def call(client, user, method, path, payload=None):
    _token, value = token_create(user=user, name="t")
    return getattr(client, method)(
        "/api/meetings" + path,
        json.dumps(payload) if payload is not None else None,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {value}",
    )


def holder(place, function=Function.LOCAL_SECRETARY, **fields):
    person = PersonFactory(territory=place.node, **fields)
    return position_assign(person=person, body=place.body, function=function, starts_on=SINCE)


@pytest.fixture
def taounate_meeting(actors, places):
    holder(places["taounate_a"])
    return meeting_plan(
        actor=actors.taounate,
        body=places["taounate_a"].body,
        starts_at=datetime.datetime(2026, 12, 1, 10, tzinfo=datetime.UTC),
    )


def test_ids_from_meknes_are_refused_from_taounate(client, actors, places, taounate_meeting):
    meeting = taounate_meeting
    foreign = holder(places["meknes"])
    before = Meeting.objects.count()
    for method, path, payload in (
        ("post", "/", {"body_id": places["meknes"].body.pk, "starts_at": "2026-12-01T10:00:00Z"}),
        (
            "post",
            "/",
            {
                "body_id": places["taounate_a"].body.pk,
                "starts_at": "2026-12-01T10:00:00Z",
                "chair_id": foreign.person_id,
            },
        ),
        ("patch", f"/{meeting.pk}", {"chair_id": foreign.person_id}),
        ("patch", f"/{meeting.pk}", {"office_id": places["meknes"].office.pk}),
        ("post", f"/{meeting.pk}/invitations", {"positions": [foreign.pk]}),
        ("post", f"/{meeting.pk}/invitations", {"guests": [foreign.person_id]}),
        ("post", f"/{meeting.pk}/decisions", {"text": "x", "owner_person_id": foreign.person_id}),
        ("post", f"/{places['meknes'].meeting.pk}/hold", {}),
        ("post", f"/{places['meknes'].meeting.pk}/cancel", {"reason": "x"}),
        ("delete", f"/{places['meknes'].meeting.pk}", None),
    ):
        response = call(client, actors.taounate, method, path, payload)
        assert (response.status_code, response.json()["code"]) == (404, "not_found"), path
    meeting.refresh_from_db()
    assert (meeting.chair_id, meeting.office_id) == (None, None)
    assert meeting.attendances.count() == 1 and meeting.decisions.count() == 0
    assert Meeting.objects.count() == before
    assert places["meknes"].meeting.status == MeetingStatus.DRAFT


def test_cancel_and_delete_through_the_api(client, actors, taounate_meeting, places):
    meeting = taounate_meeting
    response = call(client, actors.taounate, "post", f"/{meeting.pk}/cancel", {"reason": " "})
    assert (response.status_code, response.json()["code"]) == (422, "reason_missing")
    response = call(client, actors.taounate, "post", f"/{meeting.pk}/approve", {})
    assert (response.status_code, response.json()["code"]) == (422, "not_held")
    attendance_record(
        actor=actors.taounate,
        meeting=meeting,
        presences={meeting.attendances.get().person_id: Presence.PRESENT},
    )
    response = call(client, actors.taounate, "delete", f"/{meeting.pk}")
    assert (response.status_code, response.json()["code"]) == (422, "recorded")
    response = call(client, actors.taounate, "post", f"/{meeting.pk}/cancel", {"reason": "rain"})
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancelled_reason"] == "rain"
    empty = meeting_plan(
        actor=actors.taounate, body=places["taounate_a"].body, starts_at=meeting.starts_at
    )
    empty.attendances.all().delete()
    assert call(client, actors.taounate, "delete", f"/{empty.pk}").status_code == 204
    assert not Meeting.objects.filter(pk=empty.pk).exists()


def test_the_media_office_reads_only_published_names(client, actors, places, taounate_meeting):
    meeting = taounate_meeting
    absent = holder(places["taounate_a"], Function.MEMBER)
    meeting.attendances.create(person=absent.person, function="member", presence="absent")
    attendance_record(
        actor=actors.taounate,
        meeting=meeting,
        presences={meeting.attendances.first().person_id: Presence.PRESENT},
    )
    rows = call(client, actors.media, "get", f"/{meeting.pk}/attendance").json()
    assert [row["presence"] for row in rows] == ["present"]
    assert call(client, actors.media, "get", f"/{meeting.pk}/candidates").json() == []
    secretary = call(client, actors.taounate, "get", f"/{meeting.pk}/attendance").json()
    assert sorted(row["presence"] for row in secretary) == ["absent", "present"]
    response = call(client, actors.media, "post", f"/{meeting.pk}/hold", {})
    assert response.status_code == 404
