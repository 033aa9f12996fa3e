"""One account per name however it is spelt: full-width letters, other cases and compatibility forms
are the same key at creation, at login and in the throttle."""

import importlib
import string
import unicodedata

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.test import Client
from hypothesis import example, given
from hypothesis import strategies as st

from abwab.accounts.models import LoginAttempt, User
from abwab.accounts.tests.factories import PASSWORD
from abwab.accounts.usernames import normalise_username

LOGIN = "/accounts/login/"
USERNAME_CHARACTERS = string.ascii_letters + string.digits + ".@+-_"


def full_width(text: str) -> str:
    """The full-width forms (U+FF01…U+FF5E) of printable ASCII characters."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def attempt(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


# The login ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_full_width_spelling_shares_the_accounts_five_tries(actors):
    client = Client()
    for _ in range(5):
        attempt(client, "meknes", "wrong")
    response = attempt(client, "ｍｅｋｎｅｓ", PASSWORD)
    assert "_auth_user_id" not in client.session
    assert response.context["form"].non_field_errors().as_data()[0].code == "throttled"
    assert set(LoginAttempt.objects.values_list("username", flat=True)) == {"meknes"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "spelling", ["MEKNES", "Meknes", "ｍｅｋｎｅｓ", "ＭＥＫＮＥＳ", " meknes "]
)
def test_any_spelling_of_a_name_is_the_same_account(actors, spelling):
    client = Client()
    assert attempt(client, spelling, PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(actors.meknes.pk)
    assert list(LoginAttempt.objects.values_list("username", "succeeded")) == [("meknes", True)]


@pytest.mark.django_db
def test_failures_under_look_alike_spellings_add_up(actors):
    client = Client()
    for spelling in ("MEKNES", "ｍｅｋｎｅｓ", "Meknes", "ＭＥＫＮＥＳ", "meknes"):
        attempt(client, spelling, "wrong")
    response = attempt(client, "meknes", PASSWORD)
    assert response.context["form"].non_field_errors().as_data()[0].code == "throttled"


# Creation -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_user_stores_the_key():
    user = get_user_model().objects.create_user(username="Ｆｅｓ．Ｎｏｒｄ", password=PASSWORD)
    assert user.username == "fes.nord"


@pytest.mark.django_db
def test_the_admin_refuses_a_look_alike_of_an_existing_name(actors):
    from django.contrib.auth.forms import UserCreationForm

    class Form(UserCreationForm):
        class Meta(UserCreationForm.Meta):
            model = User

    form = Form({"username": "ＭＥＫＮＥＳ", "password1": PASSWORD, "password2": PASSWORD})
    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["username"]] == ["unique"]
    assert User.objects.filter(username__iexact="meknes").count() == 1


@pytest.mark.django_db
def test_full_clean_normalises_a_name_typed_in_the_admin(actors):
    user = User(username="Ｏｕｊｄａ")
    user.set_password(PASSWORD)
    user.full_clean()
    assert user.username == "oujda"


# The migration for names stored before ------------------------------------------------------------

migration = importlib.import_module("abwab.accounts.migrations.0006_normalise_usernames")


@pytest.mark.django_db
def test_the_migration_normalises_stored_names(actors):
    User.objects.filter(pk=actors.local.pk).update(username="ＬＯＣＡＬ")
    migration.normalise(django_apps, None)
    assert User.objects.get(pk=actors.local.pk).username == "local"
    assert User.objects.get(pk=actors.meknes.pk).username == "meknes"


@pytest.mark.django_db
def test_the_migration_stops_on_a_collision_and_names_both_accounts(actors):
    User.objects.create(username="ＭＥＫＮＥＳ")
    with pytest.raises(migration.UsernameCollision) as error:
        migration.normalise(django_apps, None)
    assert "'meknes'" in str(error.value) and "'ＭＥＫＮＥＳ'" in str(error.value)
    assert User.objects.filter(username="ＭＥＫＮＥＳ").count() == 1  # nothing renamed


# Properties of the key ----------------------------------------------------------------------------

names = st.text(alphabet=USERNAME_CHARACTERS, min_size=1, max_size=30)


@given(st.text())
@example("\u0345")  # case folding leaves a character that NFKC changes again
@example("ẞ")
def test_the_key_of_a_key_is_itself(value):
    assert normalise_username(normalise_username(value)) == normalise_username(value)


@given(st.text())
def test_the_key_ignores_the_unicode_form(value):
    key = normalise_username(value)
    for form in ("NFC", "NFD", "NFKC", "NFKD"):
        assert normalise_username(unicodedata.normalize(form, value)) == key
    assert normalise_username(value.casefold()) == key


@given(names)
def test_the_key_ignores_case_and_width(name):
    key = normalise_username(name)
    assert key == name.lower()
    for spelling in (name.upper(), name.swapcase(), full_width(name), full_width(name.upper())):
        assert normalise_username(spelling) == key


@given(names, st.sampled_from([" ", "\t", "\u3000", "\u00a0"]))
def test_the_key_ignores_surrounding_spaces(name, space):
    assert normalise_username(f"{space}{name}{space}") == normalise_username(name)


@pytest.mark.parametrize(
    ("spelling", "key"),
    [
        ("ﬁrdaous", "firdaous"),
        ("ＭＥＫＮＥＳ", "meknes"),
        ("Straße", "strasse"),
        ("Ⅳ.rabat", "iv.rabat"),
    ],
)
def test_look_alike_forms_map_to_the_plain_name(spelling, key):
    assert normalise_username(spelling) == key
