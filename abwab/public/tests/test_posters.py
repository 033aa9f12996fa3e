"""Posters, share texts and documents on the public site: only public events of launched campaigns,
the address hidden when given on pre-registration, the QR code to the office's page, a PDF that says
the same, a province's text listing exactly its own public offices, and documents only when public."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from abwab.campaigns.documents import document_add
from abwab.campaigns.models import Campaign, CampaignStatus, Event, EventStatus
from abwab.core import bidi, dates
from abwab.territory.models import Territory
from abwab.territory.tests.factories import OfficeFactory
from conftest import MEKNES, TAOUNATE, in_arabic

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_campaign(nation, status=CampaignStatus.LAUNCHED, **extra) -> Campaign:
    today = timezone.localdate()
    return Campaign.objects.create(
        name_ar="الأبواب المفتوحة الثانية",
        name_fr="Portes ouvertes II",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=60),
        memo_ar="مذكرة",
        territory=nation,
        status=status,
        **extra,
    )


def make_event(campaign, node, *, name, public=True, address_on_request=False, days=(3, 4)):
    today = timezone.localdate()
    office = OfficeFactory(
        territory=node,
        name_ar=f"مقر {name}",
        name_fr=f"Bureau {name}",
        address=f"{name} street 12",
        phone="0535123456",
    )
    return Event.objects.create(
        campaign=campaign,
        office=office,
        starts_on=today + datetime.timedelta(days=days[0]),
        ends_on=today + datetime.timedelta(days=days[1]),
        opens_at=datetime.time(10),
        closes_at=datetime.time(19),
        status=EventStatus.READY,
        public=public,
        address_on_request=address_on_request,
    )


@pytest.fixture
def world(places):
    """A launched campaign with a public office and an internal one in Taounate, a public one in
    Meknès; the fixture's own campaign (past days) closed so that only these are current."""
    Campaign.objects.filter(pk=places["taounate_a"].event.campaign_id).update(
        status=CampaignStatus.CLOSED
    )
    nation = places["taounate_a"].event.campaign.territory
    campaign = make_campaign(nation)
    return {
        "campaign": campaign,
        "alpha": make_event(campaign, places["taounate_a"].node, name="Alpha"),
        "internal": make_event(campaign, places["taounate_b"].node, name="Bravo", public=False),
        "hidden": make_event(
            campaign, places["taounate_b"].node, name="Delta", address_on_request=True
        ),
        "meknes": make_event(campaign, places["meknes"].node, name="Charlie"),
    }


def test_the_poster_in_arabic_shows_the_office_days_hours_address_and_qr(client, world):
    event = world["alpha"]
    response = client.get(reverse("public:poster", args=[event.pk]), {"lang": "ar"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'lang="ar" dir="rtl"' in page
    assert "الأبواب المفتوحة الثانية" in page
    assert "مقر Alpha" in page
    assert dates.long_date(event.starts_on, "ar", weekday=True) in page
    assert dates.month_name(event.starts_on.month, "ar") in page
    assert "10:00–19:00" in page
    assert "Alpha street 12" in page
    assert '<bdi dir="ltr">0535123456</bdi>' in page
    assert re.search(r'<figure class="qr" id="poster-qr"><svg', page)
    link = f"http://testserver/open-doors/event/{event.pk}/?lang=ar"
    assert link in page
    assert "public" in response["Cache-Control"] and response["ETag"]


def test_the_poster_in_french(client, world):
    event = world["alpha"]
    page = client.get(reverse("public:poster", args=[event.pk]), {"lang": "fr"}).content.decode()
    assert 'lang="fr" dir="ltr"' in page
    assert "Portes ouvertes II" in page
    assert "Bureau Alpha" in page
    assert dates.long_date(event.starts_on, "fr", weekday=True) in page
    assert f"/open-doors/event/{event.pk}/?lang=fr" in page


def test_the_poster_hides_an_address_given_on_pre_registration(client, world):
    event = world["hidden"]
    page = client.get(reverse("public:poster", args=[event.pk]), {"lang": "ar"}).content.decode()
    assert "Delta street 12" not in page
    assert in_arabic("The address is given to those who pre-register (scan the code).") in page
    assert "مقر Delta" in page


def test_internal_draft_and_unknown_events_have_no_poster(client, world, places):
    draft = make_campaign(world["campaign"].territory, status=CampaignStatus.DRAFT)
    in_draft = make_event(draft, places["oriental"].node, name="Echo")
    for pk in (world["internal"].pk, in_draft.pk, 999999):
        assert client.get(reverse("public:poster", args=[pk])).status_code == 404
        assert client.get(reverse("public:poster_pdf", args=[pk])).status_code == 404


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_the_poster_as_a_pdf(client, world):
    event = world["alpha"]
    response = client.get(reverse("public:poster_pdf", args=[event.pk]), {"lang": "fr"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="poster-{event.pk}-fr.pdf"'
    pages, text = pdf_text(response)
    assert pages == 1
    for words in ("Portes ouvertes II", "Bureau Alpha", "10:00", "19:00", "Alpha street 12"):
        assert words in text
    assert dates.month_name(event.starts_on.month, "fr") in text
    # The Arabic one renders too, on one page, with the office's street and hours.
    response = client.get(reverse("public:poster_pdf", args=[event.pk]), {"lang": "ar"})
    pages, text = pdf_text(response)
    assert pages == 1
    assert "Alpha street 12" in text and "10:00" in text


def offices_listed(text: str) -> list[str]:
    return [
        line.removeprefix("• ").split(" — ")[0]
        for line in text.splitlines()
        if line.startswith("• ")
    ]


def test_the_share_text_lists_exactly_the_provinces_public_offices(client, world):
    url = reverse("public:share", args=[TAOUNATE])
    response = client.get(url, {"lang": "ar"})
    assert response.status_code == 200
    text = response.context["text"]
    assert sorted(offices_listed(text)) == ["مقر Alpha", "مقر Delta"]
    assert "Bravo" not in text and "Charlie" not in text
    alpha = world["alpha"]
    assert f"http://testserver/open-doors/event/{alpha.pk}/?lang=ar" in text.splitlines()
    # Hours and phones are isolated left to right inside the Arabic lines.
    assert bidi.isolate_ltr("10:00–19:00") in text
    assert bidi.isolate_ltr("0535123456") in text
    assert dates.long_date(alpha.starts_on, "ar", weekday=True) in text
    page = response.content.decode()
    assert '<textarea id="share-text"' in page
    assert "public" in response["Cache-Control"]


def test_the_share_text_in_french_and_its_whatsapp_link(client, world):
    url = reverse("public:share", args=[MEKNES])
    text = client.get(url, {"lang": "fr"}).context["text"]
    assert offices_listed(text) == ["Bureau Charlie"]
    assert "\u2066" not in text  # no isolates needed in a left-to-right text
    assert dates.long_date(world["meknes"].starts_on, "fr", weekday=True) in text
    response = client.get(url, {"lang": "fr", "to": "whatsapp"})
    assert response.status_code == 302
    assert response["Location"].startswith("https://wa.me/?text=")
    assert "Bureau%20Charlie" in response["Location"]


def test_share_is_for_provinces_only(client, world, places):
    assert (
        client.get(reverse("public:share", args=[places["taounate_a"].node.code])).status_code
        == 404
    )
    assert client.get(reverse("public:share", args=["nowhere"])).status_code == 404
    region = Territory.objects.get(code="03")
    assert client.get(reverse("public:share", args=[region.code])).status_code == 404


@pytest.fixture
def documents(world, actors):
    def add(campaign, title, public=True):
        return document_add(
            actor=actors.admin,
            campaign=campaign,
            kind="government_record",
            title_ar=f"{title} ع",
            title_fr=f"{title} fr",
            summary_ar="ملخص",
            summary_fr="Résumé",
            file=SimpleUploadedFile(f"{title}.pdf", PDF, content_type="application/pdf"),
            public=public,
        )

    draft = make_campaign(world["campaign"].territory, status=CampaignStatus.DRAFT)
    return {
        "shown": add(world["campaign"], "Bilan"),
        "internal": add(world["campaign"], "Interne", public=False),
        "draft": add(draft, "Brouillon"),
    }


def test_the_documents_page_lists_the_public_documents_in_the_pages_language(client, documents):
    page = client.get(reverse("public:documents"), {"lang": "fr"}).content.decode()
    assert "Bilan fr" in page and "Résumé" in page
    assert "Interne" not in page and "Brouillon" not in page
    page = client.get(reverse("public:documents"), {"lang": "ar"}).content.decode()
    assert "Bilan ع" in page and "ملخص" in page
    assert f"{reverse('public:document', args=[documents['shown'].pk])}?lang=ar" in page


def test_a_public_document_is_served_inline(client, documents):
    response = client.get(reverse("public:document", args=[documents["shown"].pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('inline; filename="Bilan')
    assert "public" in response["Cache-Control"]


def test_internal_documents_and_those_of_a_campaign_not_launched_answer_404(client, documents):
    for key in ("internal", "draft"):
        assert client.get(reverse("public:document", args=[documents[key].pk])).status_code == 404
    assert client.get(reverse("public:document", args=[999999])).status_code == 404


def test_the_pdf_is_made_once_until_the_poster_changes(client, world, monkeypatch):
    import weasyprint
    from django.core.cache import cache

    cache.clear()  # another test may have made this very poster
    made = []
    real = weasyprint.HTML

    def counting(*args, **kwargs):
        made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", counting)
    event = world["meknes"]
    url = reverse("public:poster_pdf", args=[event.pk])
    first = client.get(url, {"lang": "fr"}).content
    assert client.get(url, {"lang": "fr"}).content == first
    assert len(made) == 1
    # An office that changes its hours gets a new poster
    Event.objects.filter(pk=event.pk).update(closes_at=datetime.time(20))
    response = client.get(url, {"lang": "fr"})
    assert len(made) == 2
    assert "20:00" in pdf_text(response)[1]
