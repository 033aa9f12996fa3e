"""Each abuse rule of the public forms, alone: rate limits per address and per phone, the honeypot,
the proof of work (missing, wrong, expired, reused, too fast), and Moroccan phone plausibility."""

import datetime
import time

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from abwab.public import abuse
from abwab.public.abuse import Held, Verdict
from abwab.public.models import RateCounter, SpentChallenge

pytestmark = pytest.mark.django_db

BITS = 6


@pytest.fixture(autouse=True)
def _rules(settings):
    settings.PUBLIC_POW_BITS = BITS
    settings.PUBLIC_MIN_FILL_SECONDS = 0
    settings.PUBLIC_RATE_PER_ADDRESS = 3
    settings.PUBLIC_RATE_PER_PHONE = 2
    settings.PUBLIC_RATE_LOOKUPS = 2
    settings.TRUSTED_PROXIES = 0


def solved() -> dict:
    challenge = abuse.challenge_new()
    return {abuse.CHALLENGE_FIELD: challenge, abuse.NONCE_FIELD: abuse.solve(challenge, BITS)}


def post(data: dict | None = None, address: str = "197.230.1.10", **meta):
    return RequestFactory().post("/open-doors/concern/", data or {}, REMOTE_ADDR=address, **meta)


# --- phones ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("0661234567", "+212661234567"),
        ("06 61 23 45 67", "+212661234567"),
        ("+212 661-234-567", "+212661234567"),
        ("00212661234567", "+212661234567"),
        ("٠٧٠٠٤٣٢١٩٨", "+212700432198"),  # Arabic-Indic digits, as Arabic keyboards type them
        ("0535623456", "+212535623456"),  # a landline in Fès
    ],
)
def test_plausible_moroccan_phones_come_out_in_e164(raw, e164):
    assert abuse.plausible_phone(raw) == e164


@pytest.mark.parametrize(
    "raw", ["", "0612", "0800123456", "+33612345678", "hello", "06123456789012"]
)
def test_implausible_phones_are_refused_with_a_clear_message(raw):
    with pytest.raises(ValidationError) as error:
        abuse.plausible_phone(raw)
    assert error.value.code == "invalid_phone"
    assert "Give a Moroccan mobile number (06 or 07) or landline (05)" in error.value.messages[0]


@pytest.mark.parametrize("raw", ["0666666666", "0612345678", "0698765432"])
def test_made_up_numbers_are_refused(raw):
    with pytest.raises(ValidationError) as error:
        abuse.plausible_phone(raw)
    assert error.value.messages == [
        "This phone number looks made up; give the number you can be reached on."
    ]


def test_the_phone_message_reads_in_arabic_with_the_example_kept_whole():
    from django.utils import translation

    with translation.override("ar"), pytest.raises(ValidationError) as error:
        abuse.plausible_phone("0612")
    assert "\u20660661 23 45 67\u2069" in error.value.messages[0]


# --- rate limits -------------------------------------------------------------------------------


def test_an_address_over_its_limit_is_refused_and_another_address_is_not():
    verdicts = [abuse.check(post(solved()), form="concern") for _ in range(4)]
    assert [v.refused is None for v in verdicts] == [True, True, True, False]
    assert verdicts[3].refused.startswith("Too many forms were sent")
    assert abuse.check(post(solved(), address="197.230.1.11"), form="concern") == Verdict()


def test_the_limit_counts_per_form():
    for _ in range(3):
        abuse.check(post(solved()), form="concern")
    assert abuse.check(post(solved()), form="preregistration").refused is None


def test_a_phone_over_its_limit_is_refused_from_any_address():
    phone = "+212661234567"
    verdicts = [
        abuse.check(post(solved(), address=f"105.66.0.{n}"), form="concern", phone=phone)
        for n in range(3)
    ]
    assert [v.refused is None for v in verdicts] == [True, True, False]
    other = abuse.check(post(solved(), address="105.66.0.9"), form="concern", phone="+212700432198")
    assert other.refused is None


def test_forwarded_for_is_ignored_unless_a_proxy_is_trusted(settings):
    # Without a trusted proxy a client cannot dodge the limit by writing its own header.
    for n in range(3):
        abuse.check(post(solved(), HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"), form="concern")
    assert abuse.check(post(solved(), HTTP_X_FORWARDED_FOR="10.0.0.99"), form="concern").refused
    # Behind one trusted proxy, the address it recorded is the client's.
    settings.TRUSTED_PROXIES = 1
    assert (
        abuse.check(post(solved(), HTTP_X_FORWARDED_FOR="10.0.0.99"), form="concern").refused
        is None
    )


def test_ipv6_clients_count_by_their_64_prefix():
    for n in range(3):
        abuse.check(post(solved(), address=f"2a02:4780:1:2::{n + 1}"), form="concern")
    assert abuse.check(post(solved(), address="2a02:4780:1:2::ffff"), form="concern").refused
    assert abuse.check(post(solved(), address="2a02:4780:1:3::1"), form="concern").refused is None


def test_counters_keep_hashes_one_row_per_window_and_drop_ended_windows(settings):
    old = RateCounter.objects.create(
        key="concern:addr:old", window_start=timezone.now() - datetime.timedelta(days=1), hits=5
    )
    abuse.hit("concern:addr:x")
    abuse.hit("concern:addr:x")
    row = RateCounter.objects.get(key="concern:addr:x")
    assert row.hits == 2
    assert not RateCounter.objects.filter(pk=old.pk).exists()
    abuse.check(post(solved()), form="concern")
    assert not RateCounter.objects.filter(key__contains="197.230").exists()  # never the address


def test_receipt_lookups_are_limited_per_address():
    request = RequestFactory().get("/open-doors/follow/", REMOTE_ADDR="41.250.3.3")
    assert [abuse.lookup_refused(request) for _ in range(3)][:2] == [None, None]
    assert abuse.lookup_refused(request).startswith("Too many look-ups")


# --- honeypot and proof of work ----------------------------------------------------------------


def test_a_filled_honeypot_holds_the_form():
    verdict = abuse.check(post({**solved(), abuse.HONEYPOT: "http://spam.example"}), form="concern")
    assert verdict == Verdict(held=Held.HONEYPOT)


def test_a_good_fresh_proof_passes_and_is_spent():
    assert abuse.check(post(solved()), form="concern") == Verdict()
    assert SpentChallenge.objects.count() == 1


def test_a_missing_proof_holds_the_form_without_refusing_it():
    assert abuse.check(post({}), form="concern") == Verdict(held=Held.NO_PROOF)
    challenge_only = {abuse.CHALLENGE_FIELD: abuse.challenge_new()}
    assert abuse.check(post(challenge_only), form="concern") == Verdict(held=Held.NO_PROOF)


def test_a_wrong_nonce_or_a_forged_challenge_holds_the_form():
    challenge = abuse.challenge_new()
    nonce = abuse.solve(challenge, BITS)
    wrong = next(
        str(n)
        for n in range(int(nonce) + 1, 10**6)
        if abuse.leading_zero_bits(
            __import__("hashlib").sha256(f"{challenge}{n}".encode()).digest()
        )
        < BITS
    )
    data = {abuse.CHALLENGE_FIELD: challenge, abuse.NONCE_FIELD: wrong}
    assert abuse.check(post(data), form="concern") == Verdict(held=Held.BAD_PROOF)
    forged = challenge[:-2] + ("AA" if not challenge.endswith("AA") else "BB")
    data = {abuse.CHALLENGE_FIELD: forged, abuse.NONCE_FIELD: abuse.solve(forged, BITS)}
    assert abuse.check(post(data), form="concern") == Verdict(held=Held.BAD_PROOF)


def test_an_easier_challenge_than_the_settings_ask_is_not_enough(settings):
    easy = abuse.challenge_new(bits=1)
    data = {abuse.CHALLENGE_FIELD: easy, abuse.NONCE_FIELD: abuse.solve(easy, 1)}
    digest = __import__("hashlib").sha256(f"{easy}{data[abuse.NONCE_FIELD]}".encode()).digest()
    expected = (
        Verdict() if abuse.leading_zero_bits(digest) >= BITS else Verdict(held=Held.BAD_PROOF)
    )
    assert abuse.check(post(data), form="concern") == expected


def test_a_reused_proof_holds_the_second_form():
    data = solved()
    assert abuse.check(post(data), form="concern") == Verdict()
    assert abuse.check(post(data, address="197.230.9.9"), form="concern") == Verdict(
        held=Held.REUSED
    )


def test_an_expired_challenge_holds_the_form(monkeypatch, settings):
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() - settings.PUBLIC_POW_MAX_AGE - 60)
    data = solved()
    monkeypatch.setattr(time, "time", real)
    assert abuse.check(post(data), form="concern") == Verdict(held=Held.EXPIRED)


def test_a_form_sent_faster_than_a_person_can_is_held(settings):
    settings.PUBLIC_MIN_FILL_SECONDS = 3
    assert abuse.check(post(solved()), form="concern") == Verdict(held=Held.TOO_FAST)


def test_a_form_sent_after_the_minimum_time_passes(monkeypatch, settings):
    settings.PUBLIC_MIN_FILL_SECONDS = 3
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() - 5)
    data = solved()
    monkeypatch.setattr(time, "time", real)
    assert abuse.check(post(data), form="concern") == Verdict()


def test_spent_challenges_past_their_expiry_are_dropped():
    SpentChallenge.objects.create(
        digest="0" * 64, expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    abuse.check(post(solved()), form="concern")
    assert list(SpentChallenge.objects.values_list("digest", flat=True)) != ["0" * 64]
    assert not SpentChallenge.objects.filter(digest="0" * 64).exists()


def test_the_guard_fields_render_with_a_fresh_challenge(rf):
    from django.template.loader import render_to_string

    html = render_to_string("public/_guard.html", abuse.guard_context(rf.get("/")))
    assert f'data-pow-bits="{BITS}"' in html
    assert f'name="{abuse.HONEYPOT}"' in html
    assert "public/pow.js" in html


@pytest.mark.django_db(transaction=True)
def test_hits_from_parallel_workers_are_all_counted():
    """Workers bumping one counter at once, each with its own connection: no hit is lost, one row."""
    import threading

    from django.db import connection

    errors = []

    def worker():
        try:
            for _ in range(5):
                abuse.hit("concern:addr:parallel")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert list(
        RateCounter.objects.filter(key="concern:addr:parallel").values_list("hits", flat=True)
    ) == [30]
