import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from abwab.accounts.models import TotpDevice
from abwab.accounts.tests.factories import PASSWORD

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
    device = TotpDevice.objects.get(user=actors.fes_meknes)
    assert (
        client.post(
            reverse("accounts:second_factor"), {"code": "000000", "next": "/people/"}
        ).status_code
        == 200
    )
    assert client.get("/people/").status_code == 302
    code = pyotp.TOTP(device.secret).now()
    assert (
        client.post(reverse("accounts:second_factor"), {"code": code, "next": "/people/"}).url
        == "/people/"
    )
    assert client.get("/people/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed_at is not None
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
