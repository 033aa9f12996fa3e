import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from abwab.meetings.models import CommuniqueStatus, MeetingStatus
from abwab.meetings.publishing import (
    communique_approve,
    communique_generate,
    communique_publish,
    communique_update,
)

pytestmark = pytest.mark.django_db


def test_draft_is_private_published_is_public_with_feed_and_pdf(client, actors, places):
    meeting = places["taounate_a"].meeting
    with pytest.raises(ValidationError, match="once the meeting has been held"):
        communique_generate(actor=actors.taounate, meeting=meeting)
    meeting.status = MeetingStatus.HELD
    meeting.save()
    with pytest.raises(ValidationError, match="cannot write this body"):
        communique_generate(actor=actors.meknes, meeting=meeting)
    communique = communique_generate(actor=actors.media, meeting=meeting)
    assert communique.status == CommuniqueStatus.DRAFT
    assert client.get(reverse("news:detail", args=[communique.slug])).status_code == 404
    communique_update(
        actor=actors.media,
        communique=communique,
        title="بلاغ الأمانة المحلية",
        text=communique.text + "\n\nحرر بتاونات.",
    )
    communique_approve(actor=actors.media, communique=communique)
    communique_publish(actor=actors.media, communique=communique)
    page = client.get(reverse("news:detail", args=[communique.slug])).content.decode()
    assert "بلاغ الأمانة المحلية" in page and "حرر بتاونات" in page
    feed = client.get(reverse("news:feed")).content.decode()
    assert "<feed" in feed and "بلاغ الأمانة المحلية" in feed and "communique-meknes" not in feed
    response = client.get(reverse("news:pdf", args=[communique.slug]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert {"بلاغ", "الأمانة", "المحلية"} <= set(text.split())
    with pytest.raises(ValidationError) as error:
        communique_update(actor=actors.media, communique=communique, title="x", text="y")
    assert error.value.code == "published"


def test_other_drafts_never_reach_the_public_pages(client, places):
    for place in places.values():
        assert client.get(reverse("news:detail", args=[place.communique.slug])).status_code == 404
        assert client.get(reverse("news:pdf", args=[place.communique.slug])).status_code == 404
    assert "communique-" not in client.get(reverse("news:list")).content.decode()
