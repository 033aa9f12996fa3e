"""The dashboard's member figures and the campaign's progress come from kept counts: after every
kind of write they must equal a direct count of the memberships, at the nation, a region, a
province and a commune."""

import datetime
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext

from abwab.campaigns.models import Campaign
from abwab.campaigns.selectors import campaign_progress
from abwab.people.merging import person_merge, person_merge_undo
from abwab.people.models import (
    Breakdown,
    Education,
    Gender,
    JoinTally,
    Membership,
    MembershipStatus,
    MemberTally,
    Skill,
)
from abwab.people.privacy import person_anonymise
from abwab.people.services import (
    consent_withdraw,
    member_register,
    membership_change_status,
    person_update,
)
from abwab.people.tallies import member_counts_differences, member_counts_rebuild
from abwab.people.tests.factories import PersonFactory
from abwab.reports.selectors import dashboard, members_per_thousand
from abwab.territory.models import Territory

pytestmark = pytest.mark.django_db
CHECKED = ["MA", "03", "03.531", "03.531.01.05", "03.061", "02"]
BANDS = [
    ("18–24", 18, 24),
    ("25–34", 25, 34),
    ("35–44", 35, 44),
    ("45–59", 45, 59),
    ("60+", 60, 200),
]


def unrecorded(rows: list[tuple[str, int]], missing: int) -> list[tuple[str, int]]:
    return [*rows, (gettext("Not recorded"), missing)] if missing else rows


def direct(territory: Territory) -> dict:
    """The figures counted member by member in Python: an oracle independent of the counts."""
    members = list(
        Membership.objects.filter(territory__path__startswith=territory.path)
        .exclude(status=MembershipStatus.ENDED)
        .select_related("person", "territory")
        .prefetch_related("person__skills")
    )
    today = timezone.localdate()
    first_day = today - datetime.timedelta(days=30)
    genders = Counter(m.person.gender for m in members)
    years = Counter(m.person.birth_date.year for m in members if m.person.birth_date)
    education = Counter(m.person.education for m in members)
    skills = Counter(s.name_ar for m in members for s in m.person.skills.all())
    signups = Counter(m.joined_on for m in members if m.joined_on >= first_day)
    children = {
        c.path: c.code for c in territory.children.exclude(kind="prefecture_of_arrondissements")
    }
    per_child = dict.fromkeys(children.values(), 0)
    for m in members:
        for path, code in children.items():
            if m.territory.path.startswith(path):
                per_child[code] += 1
    campaign = Campaign.objects.get()
    new = [m for m in members if campaign.starts_on <= m.joined_on <= campaign.ends_on]

    def age_on_joining(m):
        born = m.person.birth_date
        return (
            m.joined_on.year
            - born.year
            - ((m.joined_on.month, m.joined_on.day) < (born.month, born.day))
        )

    return {
        "campaign": (
            len(new),
            sum(m.person.gender == "F" for m in new),
            sum(m.person.birth_date is not None and age_on_joining(m) < 35 for m in new),
            sum(
                bool(m.person.skills.all())
                or m.person.education in (Education.UNIVERSITY, Education.POSTGRADUATE)
                for m in new
            ),
        ),
        "members": len(members),
        # Every breakdown adds up to the members: those with no gender, birth date or education
        # recorded are a row of their own (shown only when there are some).
        "Members by gender": unrecorded(
            [(str(Gender(g).label), genders[g]) for g in Gender.values],
            sum(not m.person.gender for m in members),
        ),
        "Members by age": unrecorded(
            [
                (label, sum(n for y, n in years.items() if low <= today.year - y <= high))
                for label, low, high in BANDS
            ],
            sum(m.person.birth_date is None for m in members),
        ),
        "Members by education level": unrecorded(
            [(str(Education(e).label), education[e]) for e in Education.values],
            sum(not m.person.education for m in members),
        ),
        "Members by skill": sorted(skills.items(), key=lambda row: (-row[1], row[0]))[:10],
        "Sign-ups per day": [(day.isoformat(), n) for day, n in sorted(signups.items())],
        "per child": per_child,
    }


def shown(actor, territory: Territory) -> dict:
    figures = dashboard(actor=actor, territory=territory)
    series = {s.title: s.rows for s in figures["series"]}
    progress = campaign_progress(actor=actor, campaign=Campaign.objects.get(), territory=territory)
    return {
        "campaign": (
            progress.new_members,
            progress.women,
            progress.under35,
            progress.professionals,
        ),
        "members": figures["members"],
        **{title: series[title] for title in direct(territory) if title in series},
        "per child": {
            child.code: count
            for child, count, _rate in members_per_thousand(actor=actor, territory=territory)
        },
    }


def assert_exact(actor) -> None:
    for code in CHECKED:
        territory = Territory.objects.get(code=code)
        assert shown(actor, territory) == direct(territory), code
    assert member_counts_differences() == []


@pytest.fixture
def member(actors, places):
    person = PersonFactory(
        gender="F",
        birth_date=datetime.date(1990, 5, 5),
        education=Education.UNIVERSITY,
        territory=places["taounate_b"].node,
    )
    person_update(actor=actors.admin, person=person, skills=list(Skill.objects.all()[:2]))
    return member_register(actor=actors.taounate, person=person, consent_given=True)


def test_sign_up_counts_at_every_level(actors, places, member):
    taounate = Territory.objects.get(code="03.531")
    figures = shown(actors.admin, taounate)
    assert figures["members"] == 3  # the two place members + the new one
    assert dict(figures["Members by gender"])["Woman"] == 1
    assert dict(figures["Members by education level"])["University degree"] == 1
    assert figures["Sign-ups per day"] == [(timezone.localdate().isoformat(), 1)]
    assert len(figures["Members by skill"]) == 2
    assert figures["campaign"] == (1, 1, 0, 1)  # 36 on the day she joined, a university degree
    assert_exact(actors.admin)
    # Turning 35 tomorrow: young on the day of joining.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    if (tomorrow.month, tomorrow.day) == (2, 29):
        tomorrow += datetime.timedelta(days=1)  # born on 1 March, 35 years before
    young = PersonFactory(
        gender="M",
        birth_date=tomorrow.replace(year=tomorrow.year - 35),
        education=Education.SECONDARY,
        territory=places["taounate_b"].node,
    )
    member_register(actor=actors.taounate, person=young, consent_given=True)
    assert shown(actors.admin, taounate)["campaign"] == (2, 1, 1, 1)
    assert_exact(actors.admin)
    # A member of the regional office itself: counted in the region's own rows and sums.
    regional = PersonFactory(gender="M", territory=places["meknes"].node)
    member_register(
        actor=actors.admin,
        person=regional,
        consent_given=True,
        territory=Territory.objects.get(code="03"),
    )
    assert shown(actors.admin, Territory.objects.get(code="03"))["members"] == 5 + 2 + 1
    assert_exact(actors.admin)
    # Casablanca's prefectures of arrondissements are at the province level but below a province.
    prefecture = Territory.objects.get(code="06.141.01.00")
    member_register(
        actor=actors.admin,
        person=PersonFactory(gender="F", territory=places["meknes"].node),
        consent_given=True,
        territory=prefecture,
    )
    for code in ("06.141.01.00", "06.141", "06"):
        assert shown(actors.admin, Territory.objects.get(code=code))["members"] == 1, code
        assert shown(actors.admin, Territory.objects.get(code=code)) == direct(
            Territory.objects.get(code=code)
        )
    assert_exact(actors.admin)


def test_status_changes_and_consent_withdrawal(actors, places, member):
    membership_change_status(
        actor=actors.taounate, membership=member, to_status=MembershipStatus.SUSPENDED
    )
    assert shown(actors.admin, Territory.objects.get(code="03.531"))["members"] == 3
    assert_exact(actors.admin)
    membership_change_status(
        actor=actors.taounate, membership=member, to_status=MembershipStatus.ENDED
    )
    assert shown(actors.admin, Territory.objects.get(code="03.531"))["members"] == 2
    assert_exact(actors.admin)
    membership_change_status(
        actor=actors.taounate, membership=member, to_status=MembershipStatus.ACTIVE
    )
    assert_exact(actors.admin)
    consent_withdraw(actor=actors.taounate, consent=member.consent)
    assert Membership.objects.get(pk=member.pk).status == MembershipStatus.ENDED
    assert shown(actors.admin, Territory.objects.get(code="03.531"))["members"] == 2
    assert_exact(actors.admin)


def test_rectifying_a_member_moves_their_counts(actors, places, member):
    person_update(
        actor=actors.taounate,
        person=member.person,
        gender="M",
        birth_date=datetime.date(1960, 1, 1),
        education=Education.SECONDARY,
        skills=list(Skill.objects.all()[2:3]),
    )
    figures = shown(actors.admin, Territory.objects.get(code="03.531"))
    assert dict(figures["Members by gender"])["Woman"] == 0
    assert dict(figures["Members by education level"])["Secondary"] == 1
    assert [n for _skill, n in figures["Members by skill"]] == [1]
    assert_exact(actors.admin)


def test_merge_and_its_undo(actors, places, member):
    # A second member in Meknès, same person typed again, with no gender nor education.
    twin = PersonFactory(
        gender="",
        birth_date=datetime.date(1991, 1, 1),
        territory=places["meknes"].node,
        skills=list(Skill.objects.all()[3:4]),
    )
    member_register(actor=actors.admin, person=twin, consent_given=True)
    bare = PersonFactory(gender="", birth_date=None, territory=places["oriental"].node)
    assert_exact(actors.admin)
    merge = person_merge(actor=actors.admin, survivor=member.person, duplicate=twin)
    assert shown(actors.admin, Territory.objects.get(code="03.061"))["members"] == 1  # ended
    assert_exact(actors.admin)
    person_merge_undo(actor=actors.admin, merge=merge)
    assert shown(actors.admin, Territory.objects.get(code="03.061"))["members"] == 2
    assert_exact(actors.admin)
    # The survivor without a membership gets the duplicate's, gender and birth date filled in.
    person_merge(actor=actors.admin, survivor=bare, duplicate=member.person)
    assert Membership.objects.get(pk=member.pk).person_id == bare.pk
    assert_exact(actors.admin)


def test_anonymisation_keeps_the_figures(actors, places, member):
    before = shown(actors.admin, Territory.objects.get(code="03.531"))
    person_anonymise(actor=actors.admin, person=member.person)
    assert shown(actors.admin, Territory.objects.get(code="03.531")) == before
    assert_exact(actors.admin)


def test_age_bands_move_on_new_year_with_nothing_recounted(actors, places, monkeypatch):
    person = PersonFactory(birth_date=datetime.date(2002, 3, 1), territory=places["meknes"].node)
    member_register(actor=actors.admin, person=person, consent_given=True)
    meknes = Territory.objects.get(code="03.061")
    rows = MemberTally.objects.count(), JoinTally.objects.count()
    for moment, band in (
        (datetime.datetime(2026, 12, 31, 12, tzinfo=datetime.UTC), "18–24"),
        (datetime.datetime(2027, 1, 1, 12, tzinfo=datetime.UTC), "25–34"),
    ):
        monkeypatch.setattr(timezone, "now", lambda moment=moment: moment)
        ages = dict(shown(actors.admin, meknes)["Members by age"])
        # The place member has no birth date: a row of its own, so that the rows add up.
        assert ages[band] == 1 and ages[gettext("Not recorded")] == 1 and sum(ages.values()) == 2
        assert_exact(actors.admin)
    assert (MemberTally.objects.count(), JoinTally.objects.count()) == rows


def test_visitors_per_day_are_counted_as_they_check_in(actors, places):
    from abwab.campaigns.door import checkin_record
    from abwab.campaigns.models import Event

    today = timezone.localdate()
    place = places["taounate_a"]
    # The place's event, opened 60 days ago, so that desks may record visits that old.
    Event.objects.filter(pk=place.event.pk).update(starts_on=today - datetime.timedelta(days=60))
    event = Event.objects.get(pk=place.event.pk)
    meknes_commune = places["meknes"].node
    for i, (days_ago, territory) in enumerate(
        [(0, None), (0, places["taounate_b"].node), (30, None), (31, None), (40, meknes_commune)]
    ):
        noon = datetime.datetime.combine(
            today - datetime.timedelta(days=days_ago), datetime.time(12)
        )
        checkin_record(
            actor=actors.volunteer,
            event=event,
            client_key=f"visit-{i}",
            name="visitor",
            purpose="information",
            territory=territory,
            at=min(timezone.now(), timezone.make_aware(noon)),
        )
    # Sent again by a desk that did not hear back: the same check-in, counted once.
    checkin_record(
        actor=actors.volunteer,
        event=event,
        client_key="visit-0",
        name="visitor",
        purpose="information",
    )
    for code, expected in (
        (
            "03.531",
            [((today - datetime.timedelta(days=30)).isoformat(), 1), (today.isoformat(), 2)],
        ),
        (
            place.node.code,
            [((today - datetime.timedelta(days=30)).isoformat(), 1), (today.isoformat(), 1)],
        ),
        ("03.061", []),
        ("MA", [((today - datetime.timedelta(days=30)).isoformat(), 1), (today.isoformat(), 2)]),
    ):
        figures = dashboard(actor=actors.admin, territory=Territory.objects.get(code=code))
        assert {s.title: s.rows for s in figures["series"]}["Visitors per day"] == expected, code
        assert figures["as_of"] <= timezone.now()
    assert member_counts_differences() == []


def test_recount_rebuilds_and_check_reports_drift(actors, places, member):
    assert MemberTally.objects.filter(breakdown=Breakdown.GENDER, value="F").update(members=7) == 2
    JoinTally.objects.all().delete()
    # Woman in Taounate B and in Taounate's sum; the 7 (node, day) pairs (six places joined on
    # 2025-06-01, one today) and 5 (province, day) pairs (Taounate twice, Meknès, Fès, Oriental's).
    assert len(member_counts_differences()) == 2 + 7 + 5
    with pytest.raises(CommandError, match="14 counts differ"):
        call_command("recount_members", "--check", stdout=io.StringIO())
    assert member_counts_rebuild() == 7
    out = io.StringIO()
    call_command("recount_members", "--check", stdout=out)
    assert out.getvalue() == "The member counts are exact.\n"
    assert_exact(actors.admin)


def test_import_and_its_rollback(actors, places, django_capture_on_commit_callbacks):
    from abwab.people.imports import import_rollback, import_upload
    from abwab.people.tests.test_imports import good, members_csv, run

    lines = [good(i) for i in range(5)] + [good(5, commune="03.531.01.01")]
    batch = import_upload(
        actor=actors.taounate,
        territory=Territory.objects.get(code="03.531"),
        upload=members_csv(lines),
    )
    run("people.import_check", batch, actors.taounate, django_capture_on_commit_callbacks)
    run("people.import_run", batch, actors.taounate, django_capture_on_commit_callbacks)
    figures = shown(actors.admin, Territory.objects.get(code="03.531"))
    assert figures["members"] == 2 + 6
    # The two place members have no gender recorded.
    assert dict(figures["Members by gender"]) == {"Man": 3, "Woman": 3, gettext("Not recorded"): 2}
    assert_exact(actors.admin)
    import_rollback(actor=actors.taounate, batch=batch)
    assert shown(actors.admin, Territory.objects.get(code="03.531"))["members"] == 2
    assert_exact(actors.admin)


def test_every_breakdown_adds_up_to_the_members(actors, places, member):
    """A member with no gender, birth date or education recorded is counted in a row of their own:
    the gender, age and education rows each add up to the members (they showed one fewer)."""
    taounate = Territory.objects.get(code="03.531")
    for gender, birth_date, education in (
        ("", None, ""),
        ("M", datetime.date(1980, 1, 1), ""),
        ("", datetime.date(1990, 1, 1), Education.SECONDARY),
    ):
        member_register(
            actor=actors.taounate,
            person=PersonFactory(
                gender=gender,
                birth_date=birth_date,
                education=education,
                territory=places["taounate_b"].node,
            ),
            consent_given=True,
        )
    for code in ("MA", "03", "03.531"):
        figures = dashboard(actor=actors.admin, territory=Territory.objects.get(code=code))
        series = {s.title: dict(s.rows) for s in figures["series"]}
        for title in ("Members by gender", "Members by age", "Members by education level"):
            assert sum(series[title].values()) == figures["members"], (code, title)
        assert series["Members by gender"][gettext("Not recorded")] >= 2
        assert series["Members by age"][gettext("Not recorded")] >= 1
        assert series["Members by education level"][gettext("Not recorded")] >= 2
    figures = dashboard(actor=actors.taounate, territory=taounate)
    assert (
        figures["members"]
        == Membership.objects.filter(territory__path__startswith=taounate.path)
        .exclude(status=MembershipStatus.ENDED)
        .count()
    )
