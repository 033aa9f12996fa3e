"""The media office's workflow: a draft sent to it, edited, sent back with a comment or approved,
published once, recorded where it went; every step audited; nothing outside its region."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from abwab.core.models import AuditEntry
from abwab.meetings.models import Communique, CommuniqueStatus, MeetingStatus, Publication
from abwab.meetings.publishing import communique_generate, communique_publish
from abwab.meetings.tests.domain import domain_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(actors):
    meeting, _people = domain_meeting(actors.fes_meknes)
    return meeting


def _step(client, communique, step, **data):
    return client.post(reverse("meetings:communique", args=[communique.pk]), {"step": step, **data})


def test_writing_the_communique_twice_reopens_the_same_draft(client, actors, meeting):
    client.force_login(actors.fes_meknes)
    url = reverse("meetings:communique_new", args=[meeting.pk])
    first = client.post(url, {"language": "ar"})
    second = client.post(url, {"language": "ar"})
    communique = Communique.objects.get(meeting=meeting)
    assert first.url == second.url == reverse("meetings:communique", args=[communique.pk])
    client.post(url, {"language": "fr"})
    assert sorted(meeting.communiques.values_list("language", flat=True)) == ["ar", "fr"]


def test_draft_sent_back_then_approved_and_published_once_every_step_audited(
    client, actors, meeting
):
    client.force_login(actors.fes_meknes)
    client.post(reverse("meetings:communique_new", args=[meeting.pk]), {"language": "ar"})
    communique = Communique.objects.get(meeting=meeting)
    _step(client, communique, "submit", title=communique.title, text=communique.text)
    communique.refresh_from_db()
    assert communique.status == CommuniqueStatus.SUBMITTED
    # the secretary can no longer edit, nor approve or publish: the media office has it
    text = communique.text
    for step in ("save", "approve", "publish"):
        _step(client, communique, step, title="x", text="y")
        communique.refresh_from_db()
        assert (communique.status, communique.text) == (CommuniqueStatus.SUBMITTED, text), step

    client.force_login(actors.media)
    desk = client.get(reverse("meetings:communiques")).content.decode()
    assert reverse("meetings:communique", args=[communique.pk]) in desk
    _step(client, communique, "send_back", comment="")
    communique.refresh_from_db()
    assert communique.status == CommuniqueStatus.SUBMITTED  # a comment is required
    _step(client, communique, "send_back", comment="اذكروا عدد الحاضرين")
    communique.refresh_from_db()
    assert (communique.status, communique.review_comment) == (
        CommuniqueStatus.DRAFT,
        "اذكروا عدد الحاضرين",
    )

    client.force_login(actors.fes_meknes)
    _step(client, communique, "submit", title=communique.title, text=text + "\n\nحضر 16 عضوا.")
    client.force_login(actors.media)
    _step(client, communique, "approve", title=communique.title, text=text + "\n\nحضر 16 عضوا.")
    communique.refresh_from_db()
    assert (communique.status, communique.review_comment) == (CommuniqueStatus.APPROVED, "")
    response = _step(client, communique, "publish")
    assert response.url == reverse("news:detail", args=[communique.slug])
    published_at = Communique.objects.get(pk=communique.pk).published_at
    _step(client, communique, "publish")
    communique.refresh_from_db()
    assert (communique.status, communique.published_at) == (
        CommuniqueStatus.PUBLISHED,
        published_at,
    )
    _step(client, communique, "channel", channel="press", url="https://example.org/a")
    assert list(communique.publications.values_list("channel", "url")) == [
        ("news_page", ""),
        ("press", "https://example.org/a"),
    ]
    public = client.get(reverse("news:detail", args=[communique.slug])).content.decode()
    assert "حضر 16 عضوا." in public
    desk = client.get(reverse("meetings:communique", args=[communique.pk])).content.decode()
    assert "https://example.org/a" in desk
    steps = list(
        AuditEntry.objects.filter(object_type="meetings.Communique", object_id=str(communique.pk))
        .order_by("pk")
        .values_list("action", "actor_label")
    )
    assert steps == [
        ("communique.draft", "fes_meknes"),
        ("communique.submit", "fes_meknes"),
        ("communique.send_back", "media"),
        ("communique.submit", "fes_meknes"),
        ("communique.approve", "media"),
        ("communique.publish", "media"),
        ("communique.publish", "media"),
        ("communique.channel", "media"),
    ]


def test_only_the_media_office_of_the_region_publishes(actors, meeting, places):
    communique = communique_generate(actor=actors.fes_meknes, meeting=meeting)
    communique.status = CommuniqueStatus.APPROVED
    communique.save()
    with pytest.raises(ValidationError) as error:
        communique_publish(actor=actors.fes_meknes, communique=communique)
    assert error.value.code == "forbidden"
    other = places["oriental"].communique
    other.status = CommuniqueStatus.APPROVED
    other.save()
    with pytest.raises(ValidationError):
        communique_publish(actor=actors.media, communique=other)
    assert Communique.objects.filter(status=CommuniqueStatus.PUBLISHED).count() == 0
    assert Publication.objects.count() == 0


def test_a_media_officer_cannot_reach_another_regions_communique(client, actors, places):
    meeting = places["oriental"].meeting
    meeting.status = MeetingStatus.HELD
    meeting.save()
    client.force_login(actors.media)
    url = reverse("meetings:communique", args=[places["oriental"].communique.pk])
    assert client.get(url).status_code == 404
    assert _step(client, places["oriental"].communique, "approve").status_code == 404
    response = client.post(
        reverse("meetings:communique_new", args=[meeting.pk]), {"language": "ar"}
    )
    assert response.status_code == 404
    assert meeting.communiques.count() == 1
    assert places["oriental"].communique.status == CommuniqueStatus.DRAFT
