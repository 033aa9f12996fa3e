"""Email settings from ABWAB_EMAIL_URL, the unsubscribe token and its pages (RFC 8058)."""

import time
from pathlib import Path

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import translation

from abwab.env import email_config
from abwab.messaging.email import unsubscribe_read, unsubscribe_token
from abwab.messaging.tests.helpers import CONVOCATION_BY_EMAIL, NEWS_BY_EMAIL, person_with
from abwab.people.models import ConsentMedium, ConsentPurpose
from conftest import in_arabic


def test_an_smtp_url_with_starttls_and_a_password_of_any_character():
    config = email_config(
        "smtp://relay%40party.ma:p%40ss%3Aw%2Frd@smtp.example.org:587?tls=1", Path("/x")
    )
    assert config == {
        "EMAIL_BACKEND": "abwab.messaging.email.SmtpBackend",
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "relay@party.ma",
        "EMAIL_HOST_PASSWORD": "p@ss:w/rd",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 30,
    }


def test_smtps_means_implicit_tls_on_465():
    config = email_config("smtps://u:p@smtp.example.org?timeout=5", Path("/x"))
    assert (config["EMAIL_PORT"], config["EMAIL_USE_SSL"], config["EMAIL_USE_TLS"]) == (
        465,
        True,
        False,
    )
    assert config["EMAIL_TIMEOUT"] == 5


def test_without_a_url_emails_are_files_in_the_var_folder(tmp_path):
    assert email_config("", tmp_path / "mail") == {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
    }
    assert email_config("file:///srv/mail", tmp_path)["EMAIL_FILE_PATH"] == "/srv/mail"


def test_an_unknown_scheme_is_an_error_at_start():
    with pytest.raises(ValueError, match="unknown scheme"):
        email_config("sendmail://localhost", Path("/x"))


def test_the_token_names_person_purpose_and_channel_and_resists_tampering():
    token = unsubscribe_token(person_id=42, purpose="news", medium="email")
    assert unsubscribe_read(token) == (42, "news", "email")
    forged = unsubscribe_token(person_id=43, purpose="news", medium="email")
    payload, _rest = forged.split(":", 1)
    with pytest.raises(signing.BadSignature):
        unsubscribe_read(payload + ":" + token.split(":", 1)[1])  # another person, our signature


@pytest.fixture
def reader(places):
    """A person who agreed to party news and convocations by email, and their news link."""
    person = person_with(
        places["taounate_a"].node, 1, consents=NEWS_BY_EMAIL + CONVOCATION_BY_EMAIL
    )
    token = unsubscribe_token(person_id=person.pk, purpose="news", medium="email")
    return person, reverse("messaging:unsubscribe", kwargs={"token": token})


def _in_force(person, purpose):
    return person.consents.filter(
        purpose=purpose, medium=ConsentMedium.EMAIL, withdrawn_at__isnull=True
    ).exists()


def test_following_the_link_asks_first_and_withdraws_nothing(client, reader):
    person, url = reader
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-state="confirm"' in html and in_arabic("Stop these messages?") in html
    assert 'method="post"' in html
    assert _in_force(person, ConsentPurpose.NEWS)


def test_confirming_withdraws_that_purpose_only_at_once(client, reader):
    person, url = reader
    client.handler.enforce_csrf_checks = True  # a mail client's one-click POST has no token
    page = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert page.status_code == 200 and 'data-state="done"' in page.content.decode()
    assert not _in_force(person, ConsentPurpose.NEWS)
    assert _in_force(person, ConsentPurpose.CONVOCATIONS)  # the other purpose stays
    assert person.consents.get(purpose="news").withdrawn_via == "unsubscribe_link"
    # and following the link again says so, without a second withdrawal
    again = client.get(url)
    assert 'data-state="already"' in again.content.decode()


def test_a_tampered_link_shows_a_clear_page_and_changes_nothing(client, reader):
    person, url = reader
    page = client.post(url.replace("/unsubscribe/", "/unsubscribe/x"))
    assert page.status_code == 400
    assert in_arabic("This unsubscribe link is not valid") in page.content.decode()
    assert _in_force(person, ConsentPurpose.NEWS)


def test_an_expired_link_says_so_in_french_when_asked(client, reader, settings, monkeypatch):
    person, _url = reader
    settings.MESSAGING_UNSUBSCRIBE_DAYS = 30
    long_ago = time.time() - 31 * 24 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: long_ago)
    token = unsubscribe_token(person_id=person.pk, purpose="news", medium="email")
    monkeypatch.undo()
    page = client.post(reverse("messaging:unsubscribe", kwargs={"token": token}) + "?lang=fr")
    assert page.status_code == 400
    with translation.override("fr"):
        assert translation.gettext("This unsubscribe link has expired") in page.content.decode()
    assert _in_force(person, ConsentPurpose.NEWS)
