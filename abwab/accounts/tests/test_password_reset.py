"""Password reset by email from the login page: the link arrives (built on the site's address,
not the request's Host), works once, the answer never tells whether an account has the address,
requests are throttled per address; a changed password or a new authenticator sends a notice."""

import re

import pyotp
import pytest
from django.core import mail
from django.urls import reverse

from abwab.accounts import twofactor
from abwab.accounts.tests.factories import UserFactory
from abwab.messaging.models import Message, Send, SendKind

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a-quite-long-new-passphrase-2026"


@pytest.fixture
def amina(db, settings):
    settings.ABWAB_SITE_URL = "https://abwab.example.ma"
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]  # a Host the requester chose
    user = UserFactory(username="amina")
    user.email = "amina@example.org"
    user.save()
    return user


def ask(client, email, capture, **extra):
    with capture(execute=True):
        return client.post(reverse("accounts:password_reset"), {"email": email}, **extra)


def test_the_reset_link_arrives_and_works_once(client, amina, django_capture_on_commit_callbacks):
    login = client.get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:password_reset") in login

    response = ask(
        client, "AMINA@example.org", django_capture_on_commit_callbacks, HTTP_HOST="evil.example"
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert [m.to for m in mail.outbox] == [["amina@example.org"]]
    link = re.search(
        r"https://abwab\.example\.ma(/accounts/password/reset/\S+/)", mail.outbox[0].body
    )[1]
    assert "evil.example" not in mail.outbox[0].body
    assert Send.objects.get().kind == SendKind.ACCOUNT

    form = client.get(link, follow=True)
    assert form.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            form.redirect_chain[-1][0],
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
    assert done.status_code == 302
    amina.refresh_from_db()
    assert amina.check_password(NEW_PASSWORD)
    # The notice that the password changed.
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["amina@example.org"]
    assert Send.objects.filter(
        kind=SendKind.ACCOUNT, about=f"accounts.password:{amina.pk}"
    ).exists()
    # The link works once.
    again = client.get(link, follow=True).content.decode()
    assert 'id="reset-invalid"' in again


def test_an_unknown_address_gets_the_same_answer_and_no_mail(
    client, amina, django_capture_on_commit_callbacks
):
    known = ask(client, "amina@example.org", django_capture_on_commit_callbacks)
    unknown = ask(client, "nobody@example.org", django_capture_on_commit_callbacks)
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1


def test_requests_are_throttled_per_address(client, amina, django_capture_on_commit_callbacks):
    for _ in range(5):
        response = ask(client, "amina@example.org", django_capture_on_commit_callbacks)
        assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 3
    assert Message.objects.count() == 3


def test_a_new_authenticator_sends_a_notice(amina, django_capture_on_commit_callbacks):
    secret = pyotp.random_base32()
    with django_capture_on_commit_callbacks(execute=True):
        assert twofactor.device_enrol(user=amina, secret=secret, code=pyotp.TOTP(secret).now())
    assert [m.to for m in mail.outbox] == [["amina@example.org"]]
    assert "amina" in mail.outbox[0].body


def test_changing_ones_password_sends_a_notice(client, amina, django_capture_on_commit_callbacks):
    from abwab.accounts.tests.factories import PASSWORD

    client.force_login(amina)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["amina@example.org"]]
