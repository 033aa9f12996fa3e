import pyotp
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from abwab.accounts import twofactor
from abwab.accounts.models import ApiToken, LoginAttempt, TotpDevice
from abwab.accounts.tests.factories import PASSWORD
from abwab.accounts.tokens import SecondFactorFirst, token_create
from abwab.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def log_in(username):
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code
        == 302
    )
    return client


def test_regional_roles_must_set_up_and_enter_a_code(actors):
    client = log_in("fes_meknes")
    response = client.get("/people/")
    assert response.status_code == 302 and response.url.startswith(
        reverse("accounts:second_factor")
    )
    setup = client.get(response.url)
    assert "<svg" in setup.content.decode()  # the QR code to scan
    secret = client.session[twofactor.SETUP_SECRET]
    assert secret in setup.content.decode()
    assert not TotpDevice.objects.filter(user=actors.fes_meknes).exists()  # not before a code
    assert (
        client.post(
            reverse("accounts:second_factor"), {"code": "000000", "next": "/people/"}
        ).status_code
        == 200
    )
    assert client.get("/people/").status_code == 302
    code = pyotp.TOTP(secret).now()
    assert (
        client.post(reverse("accounts:second_factor"), {"code": code, "next": "/people/"}).url
        == "/people/"
    )
    assert client.get("/people/").status_code == 200
    device = TotpDevice.objects.get(user=actors.fes_meknes)
    assert (device.secret, device.confirmed_at is not None) == (secret, True)
    other = log_in("fes_meknes")
    assert (
        other.post(reverse("accounts:second_factor"), {"code": code}).status_code == 200
    )  # a code works once


def test_the_demo_alone_can_turn_it_off(actors, settings):
    settings.REQUIRE_2FA = False
    assert log_in("fes_meknes").get("/").status_code == 200


def test_national_administrator_too_but_not_a_provincial_secretary(actors):
    assert log_in("admin").get("/").status_code == 302
    assert log_in("taounate").get("/").status_code == 200


def test_sensitive_actions_ask_for_the_password_again(actors, places, settings):
    settings.REAUTH_SECONDS = 0
    client = log_in("taounate")
    url = reverse("people:export", args=[places["taounate_a"].person.pk])
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(
        reverse("accounts:reauthenticate")
    )
    assert client.post(response.url, {"password": "wrong", "next": url}).status_code == 200
    settings.REAUTH_SECONDS = 300
    assert client.post(response.url, {"password": PASSWORD, "next": url}).url == url
    assert client.get(url).status_code == 200


SECOND_FACTOR = "/accounts/second-factor/"
CONFIRM = "/accounts/confirm/"


def enrolled(user) -> str:
    """Give the user a confirmed authenticator; returns its secret."""
    secret = pyotp.random_base32()
    TotpDevice.objects.create(user=user, secret=secret, confirmed_at=timezone.now())
    return secret


def test_wrong_codes_are_throttled_like_the_login_then_even_the_right_one_is_refused(actors):
    secret = enrolled(actors.fes_meknes)
    client = log_in("fes_meknes")
    for _ in range(5):
        response = client.post(SECOND_FACTOR, {"code": "000000"})
        assert response.status_code == 200
    response = client.post(SECOND_FACTOR, {"code": pyotp.TOTP(secret).now(), "next": "/"})
    assert response.status_code == 200
    assert twofactor.VERIFIED not in client.session
    assert response.context["throttled"] is True
    assert client.get("/people/").status_code == 302
    assert list(
        LoginAttempt.objects.filter(succeeded=False).values_list("username", "kind").distinct()
    ) == [("fes_meknes", "code")]


def test_wrong_codes_count_against_the_login_too(actors):
    enrolled(actors.fes_meknes)
    client = log_in("fes_meknes")
    for _ in range(5):
        client.post(SECOND_FACTOR, {"code": "123456"})
    response = Client().post("/accounts/login/", {"username": "fes_meknes", "password": PASSWORD})
    assert response.context["form"].non_field_errors().as_data()[0].code == "throttled"


def test_wrong_codes_and_the_throttle_are_in_the_audit_log(actors):
    enrolled(actors.fes_meknes)
    client = log_in("fes_meknes")
    for _ in range(6):
        client.post(SECOND_FACTOR, {"code": "000000"})
    entries = (
        AuditEntry.objects.filter(actor=actors.fes_meknes)
        .exclude(action="write")  # the login itself
        .order_by("at", "pk")
    )
    assert [entry.action for entry in entries] == ["code_failed"] * 5 + ["auth_throttled"]
    assert {entry.path for entry in entries} == {SECOND_FACTOR}


def test_password_rechecks_are_throttled_and_audited(actors, settings):
    settings.REAUTH_SECONDS = 0
    client = log_in("taounate")
    checked_at = client.session[twofactor.REAUTH]
    for _ in range(5):
        assert client.post(CONFIRM, {"password": "wrong", "next": "/"}).status_code == 200
    response = client.post(CONFIRM, {"password": PASSWORD, "next": "/"})
    assert response.status_code == 200
    assert [error.code for error in response.context["form"].errors.as_data()["password"]] == [
        "throttled"
    ]
    assert client.session[twofactor.REAUTH] == checked_at  # the right password did not count
    actions = (
        AuditEntry.objects.filter(actor=actors.taounate)
        .exclude(action="write")  # the login itself
        .values_list("action", flat=True)
    )
    assert sorted(actions) == ["auth_throttled"] + ["recheck_failed"] * 5


def test_the_password_alone_never_shows_a_secret_someone_is_setting_up(actors):
    owner = log_in("fes_meknes")
    setup = owner.get(SECOND_FACTOR).content.decode()
    shown = owner.session[twofactor.SETUP_SECRET]
    assert shown in setup
    intruder = log_in("fes_meknes")
    page = intruder.get(SECOND_FACTOR).content.decode()
    assert shown not in page
    # The intruder's own secret does not displace the owner's: each session confirms its own.
    code = pyotp.TOTP(shown).now()
    assert owner.post(SECOND_FACTOR, {"code": code, "next": "/"}).status_code == 302
    assert TotpDevice.objects.get(user=actors.fes_meknes).secret == shown


def test_the_password_alone_never_shows_a_confirmed_factor(actors):
    secret = enrolled(actors.fes_meknes)
    intruder = log_in("fes_meknes")
    page = intruder.get(SECOND_FACTOR).content.decode()
    assert secret not in page and "<svg" not in page
    assert twofactor.SETUP_SECRET not in intruder.session  # no new secret to set up either
    assert intruder.post(SECOND_FACTOR, {"code": "000000"}).status_code == 200
    assert TotpDevice.objects.get(user=actors.fes_meknes).secret == secret


def test_a_legacy_unconfirmed_device_is_not_shown_either(actors):
    TotpDevice.objects.create(user=actors.fes_meknes, secret="JBSWY3DPEHPK3PXP")
    page = log_in("fes_meknes").get(SECOND_FACTOR).content.decode()
    assert "JBSWY3DPEHPK3PXP" not in page and "<svg" in page


def test_tokens_for_a_factor_role_only_once_the_factor_is_set_up(actors):
    with pytest.raises(SecondFactorFirst):
        token_create(user=actors.fes_meknes, name="script")
    assert not ApiToken.objects.filter(user=actors.fes_meknes).exists()
    enrolled(actors.fes_meknes)
    _token, value = token_create(user=actors.fes_meknes, name="script")
    response = Client().get("/api/people/", HTTP_AUTHORIZATION=f"Bearer {value}")
    assert response.status_code == 200


def test_tokens_for_other_roles_need_no_factor(actors):
    token, _value = token_create(user=actors.taounate, name="tablet")
    assert token.user == actors.taounate


def test_passing_the_factor_gives_the_session_a_new_key(actors):
    secret = enrolled(actors.fes_meknes)
    client = log_in("fes_meknes")
    before = client.session.session_key
    response = client.post(SECOND_FACTOR, {"code": pyotp.TOTP(secret).now(), "next": "/"})
    assert response.status_code == 302
    assert client.session.session_key != before
    stale = Client()
    stale.cookies["sessionid"] = before
    assert stale.get("/api/people/").status_code == 401


def test_a_token_made_before_the_factor_waits_for_it(actors):
    from abwab.accounts.tokens import PREFIX, _hash

    ApiToken.objects.create(  # as an older version made it, before any factor
        user=actors.fes_meknes, name="old", prefix="0123456789ab", secret_hash=_hash("s3cret")
    )
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {PREFIX}_0123456789ab_s3cret"}
    response = Client().get("/api/people/", **bearer)
    assert (response.status_code, response.json()["code"]) == (401, "unauthenticated")
    enrolled(actors.fes_meknes)
    assert Client().get("/api/people/", **bearer).status_code == 200


def test_with_2fa_off_a_token_needs_no_factor(actors, settings):
    settings.REQUIRE_2FA = False
    _token, value = token_create(user=actors.fes_meknes, name="demo")
    assert Client().get("/api/people/", HTTP_AUTHORIZATION=f"Bearer {value}").status_code == 200
