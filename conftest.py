"""Shared fixtures: the whole territory loaded once per test database, and the fixed actors.

The actors are the same everywhere, like healthchecks' alice/bob/charlie: a national administrator,
the regional secretary of Fès-Meknès, the provincial secretaries of Taounate and of Meknès, a local
secretary and a volunteer in Taounate, a media officer and an auditor of Fès-Meknès, the secretary of
the party unit "Fès North", and an outsider with no role.
"""

import datetime
import os
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from abwab.accounts import twofactor
from abwab.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from abwab.campaigns.models import Campaign, CampaignStatus, Event, EventStatus, Target
from abwab.core.models import Job
from abwab.core.roles import Role
from abwab.core.tests import snapshot
from abwab.listening.models import Category, Concern, Dossier
from abwab.listening.reference import ensure_categories
from abwab.meetings.models import Attachment, Communique, Decision, Meeting
from abwab.people.merging import person_merge
from abwab.people.models import DuplicateCluster, ImportBatch, Mandate, Position, Skill
from abwab.people.reference import ensure_skills
from abwab.people.services import member_register, person_create
from abwab.territory import sources
from abwab.territory.models import Territory
from abwab.territory.services import party_unit_create, territory_load
from abwab.territory.tests.factories import BodyFactory, OfficeFactory

FES_MEKNES, ORIENTAL = "03", "02"
TAOUNATE, MEKNES, FES = "03.531", "03.061", "03.231"
FES_NORTH_ARRONDISSEMENTS = ["03.231.01.11", "03.231.01.09"]  # El Mariniyine, Jnan El Ouard
FES_SOUTH_ARRONDISSEMENT = "03.231.01.01"  # Agdal


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        territory_load(rows=sources.from_package())
        _PLACES.baseline = snapshot.signature()


@pytest.fixture
def transactional_territory(transactional_db):
    """For transaction=True tests (which pytest-django runs last): each one ends by emptying every
    table, so the next one loads the tree and the reference lists again (no-ops when still there)."""
    territory_load(rows=sources.from_package())
    ensure_skills(Skill)
    ensure_categories(Category)


def node(code: str) -> Territory:
    return Territory.objects.get(code=code)


def first_communes(province_code: str, count: int) -> list[Territory]:
    return list(node(province_code).children.filter(level=3).order_by("code")[:count])


@dataclass
class Place:
    """A territory node with an office and a body in it, named after the place for easy assertions."""

    key: str
    node: Territory
    office: object
    body: object
    person: object
    job: object
    cluster: object
    merge: object
    event: object
    target: object
    membership: object
    dossier: object
    meeting: object
    communique: object
    decision: object
    concern: object
    attachment: object
    import_batch: object

    # Made when a test first asks (most do not, and would see one more office holder or mandate).
    @property
    def position(self):
        """A member's term in the place's body."""
        return Position.objects.get_or_create(
            person=self.person,
            body=self.body,
            function="member",
            defaults={"rank": 11, "starts_on": datetime.date(2026, 1, 1)},
        )[0]

    @property
    def founding(self):
        """A planned founding of a local secretariat at the place's node."""
        from abwab.meetings.models import Founding

        return Founding.objects.get_or_create(
            commune=self.node,
            defaults={"starts_at": timezone.now() + datetime.timedelta(days=7)},
        )[0]

    @property
    def mandate(self):
        """A seat of the place's person on the place's communal council."""
        return Mandate.objects.get_or_create(
            person=self.person,
            institution="communal_council",
            role="member",
            territory=self.node,
            defaults={"starts_on": datetime.date(2026, 1, 1)},
        )[0]


class _KeptPlaces:
    """The places' rows, kept from their first build (see abwab/core/tests/snapshot.py)."""

    baseline: dict | None = None
    tried = False
    snapshot: "snapshot.Snapshot | None" = None
    refs: dict[str, dict[str, tuple[type, object]]] = {}
    built = restored = 0

    def fetch(self) -> dict[str, Place]:
        wanted: dict[type, set] = {}
        for fields in self.refs.values():
            for model, pk in fields.values():
                if model is not None:
                    wanted.setdefault(model, set()).add(pk)
        found = {model: model.objects.in_bulk(pks) for model, pks in wanted.items()}
        return {
            key: Place(
                **{
                    name: found[model][pk] if model is not None else pk
                    for name, (model, pk) in fields.items()
                }
            )
            for key, fields in self.refs.items()
        }


_PLACES = _KeptPlaces()


@pytest.fixture
def places(db) -> dict[str, Place]:
    kept = _PLACES
    pristine = (
        kept.baseline is not None
        and not os.environ.get("ABWAB_TEST_BUILD_PLACES")  # to compare with the slow way
        and snapshot.signature() == kept.baseline
    )
    if pristine and kept.snapshot is not None:
        kept.snapshot.restore()
        kept.restored += 1
        return kept.fetch()
    kept.built += 1
    if not pristine or kept.tried:
        return _build_places()
    kept.tried = True
    result, kept.snapshot = snapshot.keep(_build_places)
    if kept.snapshot is not None:
        kept.refs = {
            key: {
                name: (type(value), value.pk) if hasattr(value, "_meta") else (None, value)
                for name, value in vars(place).items()
                if name in Place.__dataclass_fields__
            }
            for key, place in result.items()
        }
    return result


def pytest_terminal_summary(terminalreporter):
    if _PLACES.built or _PLACES.restored:
        terminalreporter.write_line(
            f"places: built {_PLACES.built} times, put back from the kept rows "
            f"{_PLACES.restored} times ({'kept' if _PLACES.snapshot else 'not kept'})"
        )


def _build_places() -> dict[str, Place]:
    taounate_a, taounate_b = first_communes(TAOUNATE, 2)
    nodes = {
        "taounate_a": taounate_a,
        "taounate_b": taounate_b,
        "meknes": first_communes(MEKNES, 1)[0],
        "oriental": node(ORIENTAL).children.first().children.order_by("code").first(),
        "fes_north": node(FES_NORTH_ARRONDISSEMENTS[0]),
        "fes_south": node(FES_SOUTH_ARRONDISSEMENT),
    }
    result = {}
    campaign = Campaign.objects.create(
        name_ar="الأبواب المفتوحة",
        name_fr="Portes ouvertes",
        starts_on=datetime.date(2026, 11, 1),
        ends_on=datetime.date(2026, 12, 31),
        memo_ar="مذكرة",
        territory=node(sources.NATION_CODE),
        status=CampaignStatus.LAUNCHED,
    )
    for key, territory in nodes.items():
        office = OfficeFactory(
            territory=territory, name_ar=f"office-{key}", name_fr=f"office-{key}"
        )
        body = BodyFactory(territory=territory, name_ar=f"body-{key}", name_fr=f"body-{key}")
        person = person_create(
            actor=None,
            territory=territory,
            office=office,
            first_name_ar="سعاد",
            last_name_latin=f"person-{key}",
        )
        job = Job.objects.create(kind="people.dedupe", territory=territory, message=f"job-{key}")
        twin = person_create(
            actor=None, territory=territory, first_name_ar="سعاد", last_name_latin=f"twin-{key}"
        )
        cluster = DuplicateCluster.objects.create(territory=territory, score=0.9)
        cluster.people.add(person, twin)
        merged = person_create(actor=None, territory=territory, first_name_ar="سعاد")
        merge = person_merge(actor=None, survivor=person, duplicate=merged)
        event = Event.objects.create(
            campaign=campaign,
            office=office,
            starts_on=campaign.starts_on,
            ends_on=campaign.starts_on,
            opens_at=datetime.time(9),
            closes_at=datetime.time(18),
            status=EventStatus.OPEN,
        )
        target = Target.objects.create(campaign=campaign, territory=territory, new_members=10)
        membership = member_register(
            actor=None,
            person=person,
            consent_given=True,
            office=office,
            joined_on=datetime.date(2025, 6, 1),
        )
        dossier = Dossier.objects.create(
            territory=territory, category=Category.objects.get(code="water")
        )
        meeting = Meeting.objects.create(body=body, starts_at=timezone.now(), office=office)
        communique = Communique.objects.create(
            meeting=meeting,
            language="ar",
            title=f"communique-{key}",
            text="…",
            slug=f"communique-{key}",
        )
        decision = Decision.objects.create(
            meeting=meeting, text=f"decision-{key}", territory=territory
        )
        concern = Concern.objects.create(
            territory=territory,
            category=dossier.category,
            dossier=dossier,
            description=f"concern-{key}",
            event=event,
            office=office,
            client_key=f"concern-{key}",
        )
        attachment = Attachment.objects.create(
            meeting=meeting,
            file=ContentFile(b"%PDF-1.4 minutes", name="minutes.pdf"),
            name=f"attachment-{key}.pdf",
            size=16,
        )
        import_batch = ImportBatch.objects.create(
            territory=territory,
            file=ContentFile(b"nom\n", name="list.csv"),
            name=f"import-{key}.csv",
        )
        # Everything the isolation test needs of this place, taken by the names of Place's fields.
        fields = {
            name: value for name, value in locals().items() if name in Place.__dataclass_fields__
        }
        result[key] = Place(**fields, node=territory)
    return result


@pytest.fixture
def fes_north(db):
    return party_unit_create(
        code="fes-north",
        name_ar="فاس الشمالية",
        name_fr="Fès Nord",
        territory_codes=FES_NORTH_ARRONDISSEMENTS,
    )


@pytest.fixture
def actors(db, places, fes_north) -> SimpleNamespace:
    def grant(username: str, role: str, **where):
        assignment = RoleAssignmentFactory(user=UserFactory(username=username), role=role, **where)
        return assignment.user

    admin = grant("admin", Role.NATIONAL_ADMIN, territory=node(sources.NATION_CODE))
    admin.is_staff = True
    admin.save()
    return SimpleNamespace(
        admin=admin,
        fes_meknes=grant("fes_meknes", Role.REGIONAL_SECRETARY, territory=node(FES_MEKNES)),
        taounate=grant("taounate", Role.PROVINCIAL_SECRETARY, territory=node(TAOUNATE)),
        meknes=grant("meknes", Role.PROVINCIAL_SECRETARY, territory=node(MEKNES)),
        local=grant("local", Role.LOCAL_SECRETARY, territory=places["taounate_a"].node),
        volunteer=grant(
            "volunteer",
            Role.VOLUNTEER,
            territory=places["taounate_a"].node,
            office=places["taounate_a"].office,
        ),
        media=grant("media", Role.MEDIA_OFFICER, territory=node(FES_MEKNES)),
        auditor=grant("auditor", Role.AUDITOR, territory=node(TAOUNATE)),
        fes_north=grant("fes_north", Role.PROVINCIAL_SECRETARY, party_unit=fes_north),
        outsider=UserFactory(username="outsider"),
    )


@pytest.fixture(autouse=True, scope="session")
def _plain_http():
    """Production redirects http to https (SECURE_SSL_REDIRECT); the test client and the live
    server speak plain http. Session-wide: the live server reads it once, when it starts."""
    from django.test import override_settings

    with override_settings(SECURE_SSL_REDIRECT=False):
        yield


@pytest.fixture(autouse=True, scope="session")
def _flush_passes_the_audit_triggers():
    """Transactional tests end with Django's flush, which on SQLite empties each table with DELETE:
    the audit log's append-only triggers would refuse it (PostgreSQL's TRUNCATE fires no row
    trigger). Tests only: the flush lifts the triggers and puts them back in its transaction."""
    from django.db.backends.sqlite3.base import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        statements = original(self, style, tables, **kwargs)
        if "core_auditentry" not in tables:
            return statements
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'trigger' AND tbl_name = 'core_auditentry'"
            )
            triggers = cursor.fetchall()
        drops = [f'DROP TRIGGER "{name}"' for name, _sql in triggers]
        return [*drops, *statements, *(sql for _name, sql in triggers)]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush)
        yield


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher.
    Static files are served from the source folders: tests do not run collectstatic."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    # Jobs run inline when their transaction commits (tests use django_capture_on_commit_callbacks).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = (
        False  # the live server is plain http
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def in_arabic(message: str) -> str:
    """A source message as an Arabic page shows it (pages render in the request's language)."""
    from django.utils import translation

    with translation.override("ar"):
        return translation.gettext(message)


@pytest.fixture(autouse=True)
def _messages_in_english():
    """Service-level assertions read the source (English) messages; pages still render in Arabic,
    since the locale middleware activates the request's language."""
    from django.utils import translation

    with translation.override("en"):
        yield


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (never `playwright install`: it downloads a browser)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: scripts/ensure-browser should have installed it")
        pytest.skip(f"{CHROMIUM} is not installed (run scripts/ensure-browser as root)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="ar-MA", viewport={"width": 412, "height": 860})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    yield page
    context.close()


def log_in(page, username: str) -> None:
    """Sign in through the login form, as a person would (the test users share one password)."""
    from abwab.accounts.tests.factories import PASSWORD

    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


class SignedInClient(Client):
    """The test client; `force_login` also counts as having passed the second factor and a recent
    password check, as a user who just logged in fully would have (2FA itself is tested apart)."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        session = self.session
        session[twofactor.VERIFIED] = session[twofactor.REAUTH] = int(time.time())
        session.save()


@pytest.fixture
def client():
    return SignedInClient()
