import datetime
import json

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from abwab.campaigns.models import Campaign, CheckIn
from abwab.campaigns.selectors import campaign_progress
from abwab.core.models import AuditEntry
from abwab.people.models import Person
from abwab.people.privacy import purge_visitors
from abwab.people.services import member_register
from abwab.people.tests.factories import PersonFactory
from abwab.territory.models import Territory

pytestmark = pytest.mark.django_db


def form(place, **extra):
    return {
        "first_name_ar": "سعاد",
        "last_name_ar": "بناني",
        "first_name_latin": "",
        "last_name_latin": "",
        "gender": "F",
        "birth_date": "1985-03-02",
        "cin": "",
        "phone": "",
        "email": "",
        "education": "",
        "profession": "",
        "territory": place.node.pk,
        **extra,
    }


def test_each_kind_of_action_is_logged_without_the_cin_in_clear(client, actors, places):
    client.force_login(actors.taounate)
    person = places["taounate_a"].person
    client.post(
        reverse("people:register"), form(places["taounate_a"], cin="ZX987654", confirm_new="on")
    )
    client.get(reverse("people:detail", args=[person.pk]))
    client.get(reverse("people:list"))
    client.post(reverse("people:export", args=[person.pk]), {"reason": "demande de l'intéressée"})
    entries = list(
        AuditEntry.objects.filter(actor=actors.taounate)
        .order_by("at", "pk")
        .values_list("action", "object_type", "method", "reason")
    )
    assert entries == [
        ("write", "", "POST", ""),
        ("read", "people.Person", "GET", ""),
        ("read_list", "people.Person", "GET", ""),
        ("export", "people.Person", "POST", "demande de l'intéressée"),
    ]
    assert all(e.address == "127.0.0.1" for e in AuditEntry.objects.all())
    dump = json.dumps(list(AuditEntry.objects.values()), default=str)
    assert "ZX987654" not in dump and Person.objects.filter(cin="ZX987654").exists()


def test_the_log_is_append_only(actors, places, rf):
    request = rf.get("/")
    request.user = actors.taounate
    from abwab.core.audit import audit

    entry = audit(request, "read", places["taounate_a"].person)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(actor_label="someone else")
    entry.refresh_from_db()
    assert entry.actor_label == "taounate"


@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM core_auditentry WHERE id = %s",
        "UPDATE core_auditentry SET reason = 'rewritten' WHERE id = %s",
    ],
)
def test_the_database_refuses_to_delete_or_change_an_entry(actors, places, rf, statement):
    from django.db import connection

    from abwab.core.audit import audit

    request = rf.get("/")
    request.user = actors.taounate
    entry = audit(request, "read", places["taounate_a"].person, reason="why")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    assert (entry.reason, entry.actor_label) == ("why", "taounate")


def test_auditors_search_their_subtree_only(client, actors, places):
    client.force_login(actors.taounate)
    client.get(reverse("people:detail", args=[places["taounate_a"].person.pk]))
    client.force_login(actors.meknes)
    client.get(reverse("people:detail", args=[places["meknes"].person.pk]))
    client.force_login(actors.auditor)
    page = client.get(reverse("core:audit"), {"action": "read"}).content.decode()
    assert "taounate" in page and "meknes" not in page
    client.force_login(actors.taounate)
    assert client.get(reverse("core:audit")).status_code == 404


def test_export_gives_the_person_their_data(client, actors, places):
    client.force_login(actors.taounate)
    person = places["taounate_a"].person
    assert (
        client.post(reverse("people:export", args=[person.pk]), {"reason": ""}).status_code == 200
    )  # asks why
    response = client.post(reverse("people:export", args=[person.pk]), {"reason": "demande"})
    data = json.loads(response.content)
    assert data["person"]["last_name_latin"] == "person-taounate_a"
    assert data["memberships"][0]["card_number"] == places["taounate_a"].membership.card_number
    assert data["consents"][0]["purpose"] == "membership"


def test_anonymisation_keeps_report_totals(client, actors, places):
    campaign = Campaign.objects.get()
    region = Territory.objects.get(code="03")
    people = [
        PersonFactory(
            gender="F", birth_date=datetime.date(1999, 5, 5), territory=places["taounate_a"].node
        )
        for _ in range(3)
    ]
    for person in people:
        member_register(
            actor=actors.taounate,
            person=person,
            consent_given=True,
            joined_on=datetime.date(2026, 11, 15),
        )
    before = campaign_progress(actor=actors.fes_meknes, campaign=campaign, territory=region)
    client.force_login(actors.taounate)
    client.post(reverse("people:anonymise", args=[people[0].pk]), {"reason": "erasure request"})
    after = campaign_progress(actor=actors.fes_meknes, campaign=campaign, territory=region)
    assert (
        (after.new_members, after.women, after.under35)
        == (before.new_members, before.women, before.under35)
        == (3, 3, 3)
    )
    erased = Person.objects.get(pk=people[0].pk)
    assert (erased.first_name_ar, erased.cin, erased.phone, erased.birth_date) == (
        "",
        None,
        "",
        datetime.date(1999, 7, 1),
    )
    assert not Person.objects.live().filter(pk=erased.pk).exists()
    assert AuditEntry.objects.filter(
        action="anonymise", object_id=str(erased.pk), reason="erasure request"
    ).exists()


def test_visitors_who_did_not_join_are_purged_after_the_retention(actors, places, settings):
    settings.VISITOR_RETENTION_DAYS = 30
    long_ago = timezone.now() - datetime.timedelta(days=31)
    visitor = PersonFactory(territory=places["taounate_a"].node)
    Person.objects.filter(pk=visitor.pk).update(created_at=long_ago)
    recent = PersonFactory(territory=places["taounate_a"].node)
    checkin = CheckIn.objects.create(
        event=places["taounate_a"].event,
        office=places["taounate_a"].office,
        territory=places["taounate_a"].node,
        name="زائر قديم",
        phone="+212661234567",
        purpose="information",
        client_key="old",
    )
    CheckIn.objects.filter(pk=checkin.pk).update(at=long_ago)
    member = places["taounate_a"].person
    Person.objects.filter(pk=member.pk).update(created_at=long_ago)
    cleared, anonymised = purge_visitors()
    assert (cleared, anonymised) == (1, 1)
    checkin.refresh_from_db()
    assert (checkin.name, checkin.phone) == ("", "")
    assert Person.objects.get(pk=visitor.pk).anonymised_at is not None
    assert Person.objects.get(pk=recent.pk).anonymised_at is None
    assert Person.objects.get(pk=member.pk).anonymised_at is None  # a member is kept
