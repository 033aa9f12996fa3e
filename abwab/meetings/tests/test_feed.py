"""The public Atom feed carries communiqués as plain text: a feed reader never runs their markup."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from abwab.meetings.models import Communique, CommuniqueStatus

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_titles_and_summaries_are_text_not_html(client, places):
    # Given a published communiqué whose title and text hold markup.
    title = '<script>alert("title")</script> بلاغ'
    text = '<img src=x onerror="alert(1)"><script>alert("text")</script>'
    Communique.objects.filter(slug="communique-taounate_a").update(
        title=title, text=text, status=CommuniqueStatus.PUBLISHED, published_at=timezone.now()
    )
    # When the feed is read.
    response = client.get(reverse("news:feed"))
    # Then the markup comes out as the text it is, typed text.
    feed = ET.fromstring(response.content)  # noqa: S314 - our own feed
    (entry,) = feed.findall(f"{ATOM}entry")
    summary = entry.find(f"{ATOM}summary")
    assert (summary.get("type"), summary.text) == ("text", text)
    heading = entry.find(f"{ATOM}title")
    assert (heading.get("type", "text"), heading.text) == ("text", title)
    assert b"<script>" not in response.content and b'type="html"' not in response.content
