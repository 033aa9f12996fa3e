"""Pre-registering on the public pages: the form (consent, commune, days, guard), what it becomes
(accepted or held for a moderator), and the receipt (event, day, hours, address even when kept on
request, the number and its QR code; never the name or the phone)."""

import re

import pytest
import segno
from django.urls import reverse
from django.utils import timezone, translation

from abwab.campaigns.models import PreRegistration, PreRegistrationStatus, Purpose
from abwab.campaigns.tests.test_prereg import open_today
from abwab.public import abuse, consent
from abwab.public.consent import CONSENT_VERSION
from abwab.public.models import PublicSubmission, SubmissionStatus
from abwab.public.submissions import decide

pytestmark = pytest.mark.django_db

BITS = 4


@pytest.fixture(autouse=True)
def _rules(settings):
    settings.PUBLIC_POW_BITS = BITS
    settings.PUBLIC_MIN_FILL_SECONDS = 0
    settings.PUBLIC_RATE_PER_ADDRESS = 20
    settings.PUBLIC_RATE_PER_PHONE = 20
    settings.PUBLIC_RATE_LOOKUPS = 50


@pytest.fixture
def event(places):
    event = open_today(places["taounate_a"].event)
    office = event.office
    office.address = "12 rue des Oliviers"
    office.save(update_fields=["address"])
    return event


def form_data(event, *, proof=True, **extra) -> dict:
    data = {
        "name": "Salma Bennani",
        "phone": "06 61 23 45 67",
        "territory": event.office.territory.code,
        "purpose": Purpose.MEMBERSHIP,
        "expected_on": timezone.localdate().isoformat(),
        "note": "With my sister",
        "consent": "on",
    }
    if proof:
        challenge = abuse.challenge_new()
        data[abuse.CHALLENGE_FIELD] = challenge
        data[abuse.NONCE_FIELD] = abuse.solve(challenge, BITS)
    return {**data, **extra}


def receipt_of(response) -> str:
    return re.search(r"/receipt/([A-Z0-9-]+)/", response["Location"]).group(1)


def test_the_form_offers_the_provinces_communes_the_days_the_consent_and_the_guard(
    client, event, places
):
    response = client.get(reverse("public:prereg", args=[event.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    # The office's commune is chosen; the province's other communes are offered, no other's.
    assert f'value="{event.office.territory.code}" selected' in page
    assert f'value="{places["taounate_b"].node.code}"' in page
    assert f'value="{places["meknes"].node.code}"' not in page
    assert f'value="{timezone.localdate().isoformat()}"' in page
    # the 09-08 text, in the page's language, with the CNDP declaration's (placeholder) reference
    with translation.override("ar"):
        assert str(consent.cndp_reference()) in page
    assert 'name="consent"' in page and f'name="{abuse.HONEYPOT}"' in page


def test_a_preregistration_is_accepted_and_its_receipt_shows_the_visit_not_the_person(
    client, event
):
    event.address_on_request = True
    event.save(update_fields=["address_on_request"])
    response = client.post(reverse("public:prereg", args=[event.pk]), form_data(event))
    assert response.status_code == 302
    code = receipt_of(response)
    prereg = PreRegistration.objects.get(code=code)
    assert (prereg.name, prereg.phone, prereg.purpose, prereg.wants_to_join) == (
        "Salma Bennani",
        "+212661234567",
        Purpose.MEMBERSHIP,
        True,
    )
    assert prereg.event == event and prereg.territory == event.office.territory
    assert prereg.consent_version == CONSENT_VERSION and prereg.consent_at is not None
    assert prereg.status == PreRegistrationStatus.EXPECTED and prereg.note == "With my sister"
    submission = PublicSubmission.objects.get(receipt=code)
    assert submission.status == SubmissionStatus.ACCEPTED and submission.payload == {}

    receipt = client.get(response["Location"])
    page = receipt.content.decode()
    assert receipt.status_code == 200 and "no-store" in receipt["Cache-Control"]
    assert code in page and "<svg" in page
    assert "12 rue des Oliviers" in page  # given here even though the public pages keep it
    assert "Salma" not in page and "661234567" not in page and "sister" not in page
    # The QR code carries the receipt's address, which the desk reads back to the number.
    link = receipt.context["link"]
    assert link == f"http://testserver/open-doors/receipt/{code}/"
    assert segno.make(link, error="m").svg_inline(scale=4, dark="#1d2430") in page


def test_a_form_without_its_proof_is_held_with_the_same_receipt_then_approved(
    client, event, actors
):
    response = client.post(reverse("public:prereg", args=[event.pk]), form_data(event, proof=False))
    code = receipt_of(response)
    submission = PublicSubmission.objects.get(receipt=code)
    assert submission.status == SubmissionStatus.HELD
    assert not PreRegistration.objects.filter(code=code).exists()
    page = client.get(response["Location"]).content.decode()
    assert code in page and "12 rue des Oliviers" in page and "Salma" not in page

    decide(actors.taounate, submission, approve=True)

    prereg = PreRegistration.objects.get(code=code)
    assert prereg.name == "Salma Bennani" and prereg.event == event
    submission.refresh_from_db()
    assert submission.preregistration == prereg and submission.payload == {}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("phone", "0611111111"),
        ("phone", "+33612345678"),
        ("territory", "MEKNES"),
        ("expected_on", "2020-01-01"),
        ("consent", ""),
        ("name", ""),
    ],
)
def test_a_wrong_field_is_shown_and_nothing_is_saved(client, event, places, field, value):
    if value == "MEKNES":
        value = places["meknes"].node.code
    response = client.post(
        reverse("public:prereg", args=[event.pk]), form_data(event, **{field: value})
    )
    assert response.status_code == 200
    assert response.context["form"].errors.get(field)
    assert not PublicSubmission.objects.exists() and not PreRegistration.objects.exists()


def test_internal_and_unknown_events_and_receipts_are_not_found(client, event):
    code = receipt_of(client.post(reverse("public:prereg", args=[event.pk]), form_data(event)))
    event.public = False
    event.save(update_fields=["public"])
    assert client.get(reverse("public:prereg", args=[event.pk])).status_code == 404
    assert (
        client.post(reverse("public:prereg", args=[event.pk]), form_data(event)).status_code == 404
    )
    assert client.get(reverse("public:receipt", args=[code])).status_code == 404
    assert client.get(reverse("public:receipt", args=["ZZZZ-ZZZZ"])).status_code == 404
    assert PreRegistration.objects.count() == 1


def test_a_receipt_number_is_read_however_it_is_typed(client, event):
    code = receipt_of(client.post(reverse("public:prereg", args=[event.pk]), form_data(event)))
    typed = code.replace("-", "").lower()
    response = client.get(reverse("public:receipt", args=[typed]))
    assert response.status_code == 200 and code in response.content.decode()


def test_receipt_lookups_are_limited(client, event, settings):
    settings.PUBLIC_RATE_LOOKUPS = 2
    for _ in range(2):
        assert client.get(reverse("public:receipt", args=["ZZZZ-ZZZZ"])).status_code == 404
    assert client.get(reverse("public:receipt", args=["ZZZZ-ZZZZ"])).status_code == 429
