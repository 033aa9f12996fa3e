import re

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from abwab.accounts.models import RoleAssignment, User
from abwab.campaigns.models import Campaign, CheckIn, Event, Target
from abwab.core.roles import Role
from abwab.listening.models import Concern
from abwab.people.models import Membership, Person
from abwab.territory.models import Body, Office, PartyUnit

pytestmark = pytest.mark.django_db


def counts():
    return [
        m.objects.count()
        for m in (Office, Body, PartyUnit, User, RoleAssignment, Person, Membership)
    ]


@pytest.fixture
def debugging(settings):
    """As `make demo` runs it (ABWAB_DEBUG=1)."""
    settings.DEBUG = True


def test_demo_loads_once_and_twice_adds_nothing(capsys, debugging):
    call_command("demo", "load")
    first = counts()
    call_command("demo", "load")
    assert counts() == first
    assert Membership.objects.count() == 400
    assert Office.objects.filter(territory__path__startswith="MA/03/").count() == 28
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role)
    # Every synthetic member has names in both scripts and a card of the Fès-Meknès region.
    assert not Person.objects.filter(first_name_ar="").exists()
    assert not Person.objects.filter(first_name_latin="").exists()
    assert not Membership.objects.exclude(card_number__startswith="03-2026-").exists()
    assert "400 members created" in capsys.readouterr().out
    assert (
        Campaign.objects.count(),
        Event.objects.count(),
        CheckIn.objects.count(),
        Concern.objects.count(),
    ) == (1, 28, 30, 6)
    assert Target.objects.filter(territory__code="03.531").get().new_members > 0


def test_demo_users_can_log_in_and_see_their_scope(client, debugging):
    call_command("demo", "load")
    from abwab.demo.seed import DEMO_PASSWORD

    assert client.login(username="taounate", password=DEMO_PASSWORD)
    response = client.get("/")
    assert '<html lang="ar" dir="rtl">' in response.content.decode()
    assert "تاونات" in response.content.decode()


@pytest.mark.parametrize("action", ["load", "serve"])
def test_the_demo_refuses_a_database_outside_debugging(settings, monkeypatch, action):
    from abwab.demo.management.commands import demo

    def no_server(*args, **kwargs):
        raise AssertionError("the demo was served")

    monkeypatch.setattr(demo, "KeptRunning", no_server)
    monkeypatch.setattr(demo, "call_command", no_server)
    # Given a production-like instance (debug off) and its data.
    settings.DEBUG = False
    before = counts()
    # When the demo is asked for without --force.
    with pytest.raises(CommandError) as refused:
        call_command("demo", action)
    # Then it says why and how, and creates nothing (no account with the published password).
    assert str(refused.value) == (
        "The demo creates accounts, a superuser among them, whose password is published: it runs "
        "only with ABWAB_DEBUG=1. To load it into this database anyway, add --force."
    )
    assert counts() == before
    assert not User.objects.filter(is_superuser=True).exists()


def test_the_demo_loads_outside_debugging_when_forced(settings, capsys):
    settings.DEBUG = False
    call_command("demo", "load", "--force")
    assert Membership.objects.count() == 400
    assert "400 members created" in capsys.readouterr().out


ARABIC_LETTERS = re.compile(r"[\u0600-\u06FF]")


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_demo_login_table_speaks_one_language(debugging, language):
    from abwab.demo import seed

    _structure, logins = seed.seed_structure()
    lines = seed.login_table(logins, language)
    assert len(lines) == 1 + len(logins) and {login.role for login in logins} == set(Role)
    for login, line in zip(logins, lines[1:], strict=True):
        role_and_place = line.split(login.username, 1)[1]
        if language == "fr":
            assert not ARABIC_LETTERS.search(role_and_place), line
        else:
            assert login.place.name_ar in role_and_place and login.place.name_fr not in line
    with translation.override(language):
        assert str(Role.AUDITOR.label) in lines[-1]
