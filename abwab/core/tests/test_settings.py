"""Settings read from the environment: production is secure with nothing but a key and a host
set, and a rotated key still opens what was sealed under the old one."""

import json
import subprocess
import sys

import pytest

from abwab.campaigns import sealing

PRODUCTION_KEY = "k" * 40 + "-production-secret-0123456789"
HOSTS = "abwab.example.org"


def run(args, tmp_path, **env):
    """Python with only the given variables in its environment (so debug is off)."""
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, *args],
        env={"PATH": "/usr/bin:/bin", "ABWAB_VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        check=False,
    )


def with_django(code: str, *args, tmp_path, **env):
    setup = "import django; django.setup(); from django.conf import settings; "
    return run(
        ["-c", setup + code, *args], tmp_path, DJANGO_SETTINGS_MODULE="abwab.settings", **env
    )


def test_check_deploy_passes_with_only_a_key_and_hosts(tmp_path):
    result = run(
        ["-m", "abwab.cli", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        SECRET_KEY=PRODUCTION_KEY,
        ALLOWED_HOSTS=HOSTS,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_https_is_turned_off_only_by_an_explicit_setting(tmp_path):
    code = "print(settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS)"
    production = with_django(
        code, tmp_path=tmp_path, SECRET_KEY=PRODUCTION_KEY, ALLOWED_HOSTS=HOSTS
    )
    assert production.stdout.split() == ["True", "31536000"], production.stderr
    proxy = with_django(
        code,
        tmp_path=tmp_path,
        SECRET_KEY=PRODUCTION_KEY,
        ALLOWED_HOSTS=HOSTS,
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
    )
    assert proxy.stdout.split() == ["False", "0"], proxy.stderr
    laptop = with_django(code, tmp_path=tmp_path, ABWAB_DEBUG="1")
    assert laptop.stdout.split() == ["False", "0"], laptop.stderr


@pytest.mark.django_db
def test_production_redirects_http_to_https_but_for_the_liveness_check(client, settings):
    settings.SECURE_SSL_REDIRECT = True  # production's default (tests speak plain http)
    response = client.get("/accounts/login/?next=/people/")
    assert (response.status_code, response["Location"]) == (
        301,
        "https://testserver/accounts/login/?next=/people/",
    )
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/accounts/login/", secure=True).status_code == 200


def test_an_entry_sealed_under_a_rotated_key_still_opens(settings, tmp_path):
    # Given an entry an offline desk sealed under the key in use before the rotation.
    old_key = "o" * 40 + "-the-key-before-the-rotation-012345"
    settings.SECRET_KEY = old_key
    sealed = sealing.seal({"client_key": "desk-1-entry-1", "first_name": "Sara"})
    # When the server restarts with a new key and the old one among the fallbacks.
    code = (
        "import json, sys; from abwab.campaigns.sealing import unseal; "
        "print(json.dumps(unseal(**json.loads(sys.argv[1]))))"
    )
    opened = with_django(
        code,
        json.dumps(sealed),
        tmp_path=tmp_path,
        SECRET_KEY=PRODUCTION_KEY,
        SECRET_KEY_FALLBACKS=f"retired-key-2, {old_key}",
    )
    # Then it still opens, whole.
    assert opened.returncode == 0, opened.stderr
    assert json.loads(opened.stdout) == {"client_key": "desk-1-entry-1", "first_name": "Sara"}
