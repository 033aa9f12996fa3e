"""Concerns left online: the form, where they go, the receipt and what following it shows (status
only), and the moderators' queue of held forms."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from abwab.core.models import AuditEntry
from abwab.listening.models import Category, Concern, DossierStatus
from abwab.public import abuse
from abwab.public.models import PublicSubmission, SubmissionStatus
from abwab.public.submissions import (
    RECEIPT_ALPHABET,
    decide,
    moderation_panel,
    receipt_new,
    receipt_normalise,
)
from abwab.public.tests.held import held_concern
from conftest import in_arabic

pytestmark = pytest.mark.django_db

BITS = 4
CONCERN = reverse("public:concern")
FOLLOW = reverse("public:follow")
MODERATION = reverse("public:moderation")


@pytest.fixture(autouse=True)
def _rules(settings):
    settings.PUBLIC_POW_BITS = BITS
    settings.PUBLIC_MIN_FILL_SECONDS = 0
    settings.PUBLIC_RATE_PER_ADDRESS = 5
    settings.PUBLIC_RATE_PER_PHONE = 5
    settings.PUBLIC_RATE_LOOKUPS = 20


def form_data(commune, *, proof=True, **extra) -> dict:
    data = {
        "commune": commune.code,
        "category": Category.objects.get(code="water").pk,
        "description": "No water in the douar since Monday",
        "urgency": "high",
    }
    if proof:
        challenge = abuse.challenge_new()
        data[abuse.CHALLENGE_FIELD] = challenge
        data[abuse.NONCE_FIELD] = abuse.solve(challenge, BITS)
    return {**data, **extra}


def receipt_of(response) -> str:
    return re.search(r"receipt=([A-Z0-9-]+)", response["Location"]).group(1)


# --- receipts ----------------------------------------------------------------------------------


def test_receipt_numbers_are_short_unambiguous_and_read_back_however_typed():
    numbers = {receipt_new() for _ in range(500)}
    assert len(numbers) == 500
    for number in numbers:
        assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", number)
        assert not set(number) & set("01OIL")
        assert set(number.replace("-", "")) <= set(RECEIPT_ALPHABET)
    assert receipt_normalise(" abcd efgh ") == "ABCD-EFGH"
    assert receipt_normalise("ABCDEFGH") == "ABCD-EFGH"
    assert receipt_normalise("ABCD-EFG0") == ""  # a 0 is never in a receipt number
    assert receipt_normalise("ABC") == ""


# --- the form ----------------------------------------------------------------------------------


def test_the_citizen_first_finds_the_commune_by_its_latin_name(client, places):
    commune = places["taounate_a"].node
    response = client.get(CONCERN, {"q": commune.name_fr})
    assert response.status_code == 200
    assert f"commune={commune.code}" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_the_form_offers_the_active_categories_the_consent_and_the_guard(client, places):
    Category.objects.filter(code="water").update(active=True)
    hidden = Category.objects.exclude(code="water").first()
    hidden.active = False
    hidden.save()
    response = client.get(CONCERN, {"commune": places["taounate_a"].node.code})
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert f'value="{Category.objects.get(code="water").pk}"' in html
    assert f'value="{hidden.pk}"' not in html
    assert "09-08" in html
    assert 'name="website"' in html and "data-pow-challenge" in html


def test_an_accepted_concern_goes_to_the_commune_dossier_like_the_desk(client, places):
    commune = places["taounate_a"].node
    response = client.post(CONCERN, form_data(commune))
    assert response.status_code == 302
    receipt = receipt_of(response)
    submission = PublicSubmission.objects.get(receipt=receipt)
    concern = submission.concern
    assert submission.status == SubmissionStatus.ACCEPTED
    assert submission.payload == {}
    assert concern.dossier == places["taounate_a"].dossier  # the commune's "water" dossier
    assert (concern.territory, concern.recorded_by, concern.client_key) == (commune, None, receipt)
    assert concern.description == "No water in the douar since Monday"
    assert (concern.urgency, concern.wants_answer, concern.contact_phone) == ("high", False, "")


def test_a_concern_with_an_answer_asked_keeps_the_contact_and_the_consent(client, places):
    data = form_data(
        places["taounate_a"].node,
        wants_answer="on",
        contact_name="Citizen Test",
        contact_phone="06 61 23 45 67",
        contact_consent="on",
    )
    receipt = receipt_of(client.post(CONCERN, data))
    concern = Concern.objects.get(client_key=receipt)
    assert (concern.contact_name, concern.contact_phone) == ("Citizen Test", "+212661234567")
    assert concern.contact_consent_at is not None


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        (
            {"wants_answer": "on", "contact_consent": "on"},
            "contact_phone",
            "To be answered, give a phone number.",
        ),
        (
            {"wants_answer": "on", "contact_phone": "0661234567"},
            "contact_consent",
            "To be answered, you must agree to be contacted.",
        ),
        (
            {"wants_answer": "on", "contact_phone": "+33612345678", "contact_consent": "on"},
            "contact_phone",
            "Give a Moroccan mobile number (06 or 07) or landline (05), for example %(example)s.",
        ),
    ],
)
def test_an_incomplete_answer_request_is_explained_and_nothing_is_saved(
    client, places, extra, field, message
):
    response = client.post(CONCERN, form_data(places["taounate_a"].node, **extra))
    assert response.status_code == 200
    expected = in_arabic(message)
    if "%(example)s" in message:
        expected %= {"example": "\u20660661 23 45 67\u2069"}
    assert response.context["form"].errors[field] == [expected]
    assert PublicSubmission.objects.count() == 0
    assert not Concern.objects.filter(description__startswith="No water").exists()


def test_a_form_without_its_proof_is_held_not_refused(client, places):
    before = Concern.objects.count()
    response = client.post(CONCERN, form_data(places["taounate_a"].node, proof=False))
    assert response.status_code == 302
    submission = PublicSubmission.objects.get(receipt=receipt_of(response))
    assert (submission.status, submission.reason) == (SubmissionStatus.HELD, "no_proof")
    assert submission.payload["description"] == "No water in the douar since Monday"
    assert Concern.objects.count() == before


def test_over_the_rate_limit_the_citizen_is_told_and_nothing_is_saved(client, places, settings):
    settings.PUBLIC_RATE_PER_ADDRESS = 1
    commune = places["taounate_a"].node
    client.post(CONCERN, form_data(commune))
    response = client.post(CONCERN, form_data(commune))
    assert response.status_code == 200
    assert (
        in_arabic(
            "Too many forms were sent from this connection or for this phone. Try again in an hour."
        )
        in response.content.decode()
    )
    assert PublicSubmission.objects.count() == 1


# --- following ---------------------------------------------------------------------------------


def follow(client, receipt: str, **extra):
    return client.get(FOLLOW, {"receipt": receipt, **extra})


def stage(response) -> str | None:
    match = re.search(r'data-stage="([a-z_]+)"', response.content.decode())
    return match.group(1) if match else None


def test_following_shows_the_status_as_the_dossier_moves(client, places):
    data = form_data(
        places["taounate_a"].node,
        wants_answer="on",
        contact_name="Citizen Test",
        contact_phone="0661234567",
        contact_consent="on",
    )
    response = client.post(CONCERN, data)
    receipt = receipt_of(response)
    page = client.get(response["Location"])
    assert receipt in page.content.decode()
    assert stage(page) == "received"
    dossier = places["taounate_a"].dossier
    dossier.status = DossierStatus.COUNCIL
    dossier.save()
    page = follow(client, receipt.lower().replace("-", " "))
    assert stage(page) == "in_dossier"
    assert in_arabic("Carried to the council") in page.content.decode()
    dossier.status = DossierStatus.ANSWERED
    dossier.save()
    assert stage(follow(client, receipt)) == "answered"


def test_following_never_shows_the_concern_the_name_or_the_phone(client, places):
    data = form_data(
        places["taounate_a"].node,
        wants_answer="on",
        contact_name="Citizen Test",
        contact_phone="0661234567",
        contact_consent="on",
    )
    receipt = receipt_of(client.post(CONCERN, data))
    held = held_concern(places["taounate_a"].node)
    for number in (receipt, held.receipt):
        html = follow(client, number).content.decode()
        for secret in ("No water", "Citizen Test", "661234567", "douar", "taounate"):
            assert secret not in html
        assert places["taounate_a"].node.name_fr not in html
    assert stage(follow(client, held.receipt)) == "checking"


def test_an_unknown_and_a_malformed_receipt_get_the_same_answer(client, places):
    unknown = follow(client, "ZZZZ-ZZZZ").content.decode()
    malformed = follow(client, "hello").content.decode()
    not_found = in_arabic("No concern has this receipt number. Check the number you copied.")
    assert not_found in unknown and not_found in malformed


def test_lookups_are_limited_so_receipts_cannot_be_tried_one_after_another(
    client, places, settings
):
    settings.PUBLIC_RATE_LOOKUPS = 3
    receipt = receipt_of(client.post(CONCERN, form_data(places["taounate_a"].node)))
    for _ in range(3):
        follow(client, receipt_new())
    response = follow(client, receipt)
    assert stage(response) is None
    assert in_arabic("Too many look-ups from this connection. Try again in an hour.") in (
        response.content.decode()
    )


# --- moderation --------------------------------------------------------------------------------


def test_a_secretary_sees_the_held_forms_of_the_scope_only(client, actors, places):
    inside = held_concern(places["taounate_a"].node)
    outside = held_concern(places["meknes"].node)
    client.force_login(actors.taounate)
    response = client.get(MODERATION)
    html = response.content.decode()
    assert response.status_code == 200
    assert inside.receipt in html and outside.receipt not in html
    assert "Citizen Test" in html
    why = "The page's check did not run (the phone may have JavaScript turned off)."
    assert escape(in_arabic(why)) in html
    assert moderation_panel(actor=actors.taounate) == {"count": 1}
    assert moderation_panel(actor=actors.media) is None


def test_approving_creates_the_concern_clears_the_payload_and_is_audited(client, actors, places):
    submission = held_concern(places["taounate_a"].node)
    client.force_login(actors.taounate)
    response = client.post(
        reverse("public:moderation_decide", args=[submission.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTED
    assert submission.payload == {}
    assert submission.decided_by == actors.taounate
    concern = submission.concern
    assert (concern.client_key, concern.contact_phone) == (submission.receipt, "+212661234567")
    assert concern.dossier == places["taounate_a"].dossier
    assert AuditEntry.objects.filter(
        action="public.approve", object_id=str(submission.pk), actor=actors.taounate
    ).exists()


def test_rejecting_drops_the_form_and_its_payload(client, actors, places):
    submission = held_concern(places["taounate_a"].node)
    before = Concern.objects.count()
    client.force_login(actors.taounate)
    client.post(reverse("public:moderation_decide", args=[submission.pk]), {"decision": "reject"})
    submission.refresh_from_db()
    assert (submission.status, submission.payload, submission.concern) == (
        SubmissionStatus.REJECTED,
        {},
        None,
    )
    assert Concern.objects.count() == before
    assert AuditEntry.objects.filter(action="public.reject", object_id=str(submission.pk)).exists()
    assert stage(follow(client, submission.receipt)) == "rejected"


def test_a_form_of_another_territory_cannot_be_decided(client, actors, places):
    submission = held_concern(places["taounate_a"].node)
    client.force_login(actors.meknes)
    response = client.post(
        reverse("public:moderation_decide", args=[submission.pk]), {"decision": "approve"}
    )
    assert response.status_code == 404
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.HELD
    with pytest.raises(ValidationError):
        decide(actors.auditor, submission, True)  # auditors read, never decide
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.HELD and submission.payload


def test_a_decided_form_cannot_be_decided_again(actors, places):
    submission = held_concern(places["taounate_a"].node)
    decide(actors.taounate, submission, False)
    with pytest.raises(ValidationError) as error:
        decide(actors.taounate, submission, True)
    assert error.value.code == "not_held"


def test_the_moderation_queue_needs_a_login(client):
    response = client.get(MODERATION)
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_home_page_tells_moderators_what_waits(client, actors, places):
    held_concern(places["taounate_a"].node)
    client.force_login(actors.taounate)
    assert MODERATION in client.get(reverse("core:home")).content.decode()
    client.force_login(actors.meknes)  # nothing held in Meknès
    assert MODERATION not in client.get(reverse("core:home")).content.decode()
