import subprocess
import sys
import time

import pytest
from django.urls import reverse

from abwab.accounts.models import LoginAttempt
from abwab.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def attempt(client, username, password, **headers):
    return client.post(LOGIN, {"username": username, "password": password}, **headers)


def test_account_is_throttled_after_five_failures_even_with_the_right_password(client, actors):
    for _ in range(5):
        assert attempt(client, "taounate", "wrong").status_code == 200
    response = attempt(client, "taounate", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].non_field_errors().as_data()[0].code == "throttled"


def test_a_forged_forwarded_for_header_does_not_reset_the_count(client, actors, settings):
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 8
    for i in range(8):
        attempt(client, f"nobody{i}", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")
    assert set(LoginAttempt.objects.values_list("address", flat=True)) == {"127.0.0.1"}
    response = attempt(client, "meknes", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert "_auth_user_id" not in client.session
    assert response.context["form"].non_field_errors().as_data()[0].code == "throttled"


def test_behind_a_trusted_proxy_only_its_own_hop_counts(client, actors, settings):
    settings.TRUSTED_PROXIES = 1
    attempt(client, "x", "wrong", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert LoginAttempt.objects.get().address == "203.0.113.7"


def test_disabling_an_account_ends_its_sessions(client, actors):
    assert attempt(client, "taounate", PASSWORD).status_code == 302
    assert client.get("/").status_code == 200
    actors.taounate.is_active = False
    actors.taounate.save()
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_absolute_session_timeout(client, actors, settings):
    attempt(client, "taounate", PASSWORD)
    session = client.session
    session["abwab_login_at"] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    assert client.get("/").status_code == 302


def test_idle_timeout_is_an_hour_renewed_on_each_request(client, actors):
    attempt(client, "taounate", PASSWORD)
    for _ in range(2):  # every request sends the cookie again with a fresh hour
        response = client.get("/")
        assert response.cookies["sessionid"]["max-age"] == 3600
    assert client.session.get_expiry_age() == 3600


def test_every_page_has_a_content_security_policy(client):
    policy = client.get(LOGIN).headers["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "frame-ancestors 'none'" in policy
        and "unsafe-eval" not in policy
    )


def test_passwords_are_hashed_with_argon2(actors, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    actors.taounate.set_password("a long enough passphrase")
    assert actors.taounate.password.startswith("argon2")


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "x" * 64 + "-production-secret-0123456789",
        "ALLOWED_HOSTS": "abwab.example.org",
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_HSTS_SECONDS": "31536000",
        "ABWAB_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "abwab.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_a_nul_character_is_refused_before_any_view(client, actors):
    client.force_login(actors.taounate)
    response = client.get("/api/people/?q=a%00b")
    assert (response.status_code, response.json()["code"]) == (400, "invalid_input")
    response = client.post(
        "/api/people/", '{"territory_code": "x\\u0000"}', content_type="application/json"
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "password", ["password123", "azerty2024", "soleil123", "Password2024", "taounate1", "maroc123"]
)
def test_leaked_or_guessable_passwords_are_refused(actors, password):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password(password, user=actors.taounate)


def test_a_strong_passphrase_passes(actors):
    from django.contrib.auth.password_validation import validate_password

    validate_password("nuages-sur-le-col-du-tichka-47", user=actors.taounate)


def test_the_admins_login_shares_the_throttle(client, actors):
    for _ in range(5):
        attempt(client, "admin", "wrong")
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "admin", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_wrong_passwords_at_the_admins_login_count_too(client, actors):
    for _ in range(5):
        client.post("/admin/login/", {"username": "ADMIN", "password": "wrong"})
    assert list(LoginAttempt.objects.values_list("username", "succeeded").distinct()) == [
        ("admin", False)
    ]
    response = attempt(client, "admin", PASSWORD)
    assert response.context["form"].non_field_errors().as_data()[0].code == "throttled"
