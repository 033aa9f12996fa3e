"""The campaign's documents from the screen: the national administrator adds PDFs (checked, a refusal
keeping what was typed and storing nothing) and removes them after a confirmation; a provincial
secretary can neither add nor remove, whether the ids are in the URL or in the body. And the event's
and the campaign's public fields, edited by those who may change them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from abwab.campaigns.documents import document_add
from abwab.campaigns.models import Campaign, CampaignDocument, CampaignStatus, Event
from abwab.core.models import AuditEntry
from conftest import in_arabic

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="programme.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def upload_post(**extra):
    return {
        "action": "add",
        "kind": "programme",
        "title_ar": "البرنامج الانتخابي",
        "title_fr": "Le programme",
        "summary_ar": "ملخص البرنامج",
        "summary_fr": "Résumé du programme",
        "public": "on",
        "file": pdf(),
        **extra,
    }


def stored_files(settings) -> list:
    folder = settings.MEDIA_ROOT / "campaigns" / "documents"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def campaign(places):
    return places["taounate_a"].event.campaign


def test_the_national_administrator_adds_a_document(client, actors, campaign, settings):
    # Given the national administrator on the campaign's documents page
    client.force_login(actors.admin)
    assert client.get(reverse("campaigns:documents", args=[campaign.pk])).status_code == 200
    # When they add the programme as a PDF
    response = client.post(reverse("campaigns:documents", args=[campaign.pk]), upload_post())
    # Then it is stored with its titles and summaries, public, and audited
    assert response.status_code == 302
    document = CampaignDocument.objects.get(campaign=campaign)
    assert (document.kind, document.title_ar, document.title_fr, document.public) == (
        "programme",
        "البرنامج الانتخابي",
        "Le programme",
        True,
    )
    assert (document.summary_ar, document.summary_fr) == ("ملخص البرنامج", "Résumé du programme")
    assert document.added_by == actors.admin
    assert document.file.read() == PDF
    assert AuditEntry.objects.filter(action="document.create", object_id=str(document.pk)).exists()
    page = client.get(reverse("campaigns:documents", args=[campaign.pk])).content.decode()
    assert "البرنامج الانتخابي" in page
    read = client.get(reverse("campaigns:documents", args=[campaign.pk]), {"read": document.pk})
    assert b"".join(read.streaming_content) == PDF


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            lambda: pdf("programme.docx", b"PK\x03\x04 not a word file"),
            "This kind of file is not accepted; accepted: %(kinds)s.",
        ),
        (
            lambda: pdf("programme.pdf", b"MZ\x90\x00 an executable"),
            "The file's content does not match its name (.%(ext)s).",
        ),
    ],
    ids=["not-a-pdf-name", "not-a-pdf-content"],
)
def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_typed_is_lost(
    client, actors, campaign, settings, upload, message
):
    client.force_login(actors.admin)
    response = client.post(
        reverse("campaigns:documents", args=[campaign.pk]), upload_post(file=upload())
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert in_arabic(message) % {"kinds": "pdf", "ext": "pdf"} in page
    # What was typed is still in the form; nothing is stored.
    assert 'value="البرنامج الانتخابي"' in page
    assert "Résumé du programme" in page
    assert not CampaignDocument.objects.exists()
    assert stored_files(settings) == []


def test_an_oversized_file_is_refused(client, actors, campaign, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    client.force_login(actors.admin)
    big = pdf(content=PDF + b"0" * (1024 * 1024))
    response = client.post(
        reverse("campaigns:documents", args=[campaign.pk]), upload_post(file=big)
    )
    assert response.status_code == 400
    assert in_arabic("The file is larger than %(mb)d MB.") % {"mb": 1} in response.content.decode()
    assert not CampaignDocument.objects.exists()
    assert stored_files(settings) == []


def test_removal_asks_for_confirmation_then_removes_the_file(
    client, actors, campaign, settings, django_capture_on_commit_callbacks
):
    # Given a document of the campaign
    document = document_add(
        actor=actors.admin, campaign=campaign, kind="programme", title_ar="برنامج", file=pdf()
    )
    name = document.file.name.rsplit("/", 1)[-1]
    assert stored_files(settings) == [name]
    client.force_login(actors.admin)
    url = reverse("campaigns:documents", args=[campaign.pk])
    # When the administrator asks to remove it, a confirmation is shown and nothing is removed yet
    page = client.get(url, {"remove": document.pk}).content.decode()
    assert 'id="remove-document"' in page
    assert CampaignDocument.objects.filter(pk=document.pk).exists()
    # And when they confirm, the row and its file are gone, and the removal is audited
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "remove", "document": document.pk})
    assert response.status_code == 302
    assert not CampaignDocument.objects.filter(pk=document.pk).exists()
    assert stored_files(settings) == []
    assert AuditEntry.objects.filter(action="document.delete", object_id=str(document.pk)).exists()


@pytest.mark.parametrize("actor_name", ["taounate", "meknes", "fes_meknes", "local", "media"])
def test_a_secretary_below_cannot_add_or_remove_documents(
    client, actors, campaign, settings, actor_name
):
    # Given a document of the national campaign and a secretary (or officer) below the nation
    document = document_add(
        actor=actors.admin, campaign=campaign, kind="programme", title_ar="برنامج", file=pdf()
    )
    client.force_login(getattr(actors, actor_name))
    url = reverse("campaigns:documents", args=[campaign.pk])
    # They see the documents but no form to add or remove
    page = client.get(url).content.decode()
    assert "برنامج" in page
    assert 'id="document-form"' not in page
    assert client.get(url, {"remove": document.pk}).content.decode().count("remove-document") == 0
    # When they post an upload, or a removal with the document's id in the body: 404, nothing moves
    assert client.post(url, upload_post()).status_code == 404
    assert client.post(url, {"action": "remove", "document": document.pk}).status_code == 404
    assert list(CampaignDocument.objects.values_list("pk", flat=True)) == [document.pk]
    assert len(stored_files(settings)) == 1


def test_a_document_of_another_campaign_cannot_be_removed_through_this_one(
    client, actors, campaign, settings
):
    # Given two campaigns, a document in the other one
    other = Campaign.objects.create(
        name_ar="حملة أخرى",
        name_fr="Autre",
        starts_on=campaign.starts_on,
        ends_on=campaign.ends_on,
        memo_ar="م",
        territory=campaign.territory,
        status=CampaignStatus.LAUNCHED,
    )
    theirs = document_add(
        actor=actors.admin, campaign=other, kind="programme", title_ar="برنامج", file=pdf()
    )
    client.force_login(actors.admin)
    # When its id is posted to this campaign's page: 404, it stays
    response = client.post(
        reverse("campaigns:documents", args=[campaign.pk]),
        {"action": "remove", "document": theirs.pk},
    )
    assert response.status_code == 404
    assert CampaignDocument.objects.filter(pk=theirs.pk).exists()


def test_the_event_public_fields_are_set_by_those_who_change_the_event(client, actors, places):
    event = places["taounate_a"].event
    url = reverse("campaigns:event_public", args=[event.pk])
    # A Meknès secretary cannot, with the event in the URL: 404, nothing changed
    client.force_login(actors.meknes)
    assert client.get(url).status_code == 404
    assert client.post(url, {"address_on_request": "on"}).status_code == 404
    event.refresh_from_db()
    assert (event.public, event.address_on_request) == (True, False)
    # The Taounate secretary keeps it internal and hides its address
    client.force_login(actors.taounate)
    assert client.get(url).status_code == 200
    response = client.post(url, {"address_on_request": "on"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.public, event.address_on_request) == (False, True)
    assert AuditEntry.objects.filter(action="event.update", object_id=str(event.pk)).exists()
    page = client.get(reverse("campaigns:event", args=[event.pk])).content.decode()
    assert in_arabic("Internal event: not on the public site.") in page


def test_a_planned_event_takes_its_public_fields_from_the_form(client, actors, places):
    campaign = places["taounate_a"].event.campaign
    office = places["taounate_a"].office
    Event.objects.filter(office=office).delete()
    client.force_login(actors.taounate)
    response = client.post(
        reverse("campaigns:event_new", args=[campaign.pk]),
        {
            "office": office.pk,
            "starts_on": "2026-11-10",
            "ends_on": "2026-11-11",
            "opens_at": "10:00",
            "closes_at": "18:00",
            "address_on_request": "on",
        },
    )
    assert response.status_code == 302
    event = Event.objects.get(campaign=campaign, office=office)
    assert (event.public, event.address_on_request) == (False, True)


def test_the_campaigns_text_for_citizens(client, actors, places):
    campaign = places["taounate_a"].event.campaign
    url = reverse("campaigns:public", args=[campaign.pk])
    client.force_login(actors.taounate)
    assert client.post(url, {"public_intro_ar": "نص"}).status_code == 404
    client.force_login(actors.admin)
    response = client.post(
        url, {"public_intro_ar": "سنقدم البرنامج", "public_intro_fr": "Nous présenterons"}
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.public_intro_ar, campaign.public_intro_fr) == (
        "سنقدم البرنامج",
        "Nous présenterons",
    )
