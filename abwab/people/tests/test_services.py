import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from abwab.people.models import (
    CardSequence,
    Consent,
    Function,
    Membership,
    MembershipStatus,
    Person,
)
from abwab.people.selectors import body_office_holders
from abwab.people.services import (
    consent_withdraw,
    member_register,
    membership_change_status,
    person_create,
    person_update,
    position_assign,
)
from abwab.people.tests.factories import PersonFactory
from abwab.territory.models import Territory

pytestmark = pytest.mark.django_db
TAOUNATE_TOWN = "03.531.01.05"


def commune(code=TAOUNATE_TOWN):
    return Territory.objects.get(code=code)


class TestPerson:
    def test_identifiers_are_cleaned(self):
        person = person_create(
            actor=None,
            territory=commune(),
            first_name_ar="  عبد  الله ",
            last_name_latin="Alaoui",
            cin="ab 123456",
            phone="06 61 23 45 67",
        )
        assert (person.first_name_ar, person.cin, person.phone) == (
            "عبد الله",
            "AB123456",
            "+212661234567",
        )
        assert person.key_full

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            (
                "cin",
                "123456",
                "A national ID number (CIN) is one or two letters followed by digits, for example AB123456.",
            ),
            (
                "cin",
                "ABC12",
                "A national ID number (CIN) is one or two letters followed by digits, for example AB123456.",
            ),
            ("phone", "abc", "This phone number cannot be read."),
            ("phone", "+212 1 23", "This phone number does not exist."),
            ("birth_date", datetime.date(2999, 1, 1), "The birth date is in the future."),
            ("email", "not-an-email", "Enter a valid email address."),
        ],
    )
    def test_bad_field_has_a_clear_message_and_saves_nothing(self, field, value, message):
        with pytest.raises(ValidationError) as error:
            person_create(actor=None, territory=commune(), first_name_ar="سلمى", **{field: value})
        assert error.value.message_dict[field] == [message]
        assert not Person.objects.exists()

    def test_a_name_in_either_script_is_required(self):
        with pytest.raises(ValidationError) as error:
            person_create(actor=None, territory=commune())
        assert error.value.message_dict["first_name_ar"] == [
            "Give the name in Arabic or in Latin letters."
        ]

    def test_residence_must_be_a_commune(self):
        with pytest.raises(ValidationError) as error:
            person_create(
                actor=None, territory=Territory.objects.get(code="03"), first_name_ar="سلمى"
            )
        assert error.value.message_dict["territory"] == ["Choose a commune or an arrondissement."]

    def test_cin_is_unique(self):
        PersonFactory(cin="AB123456")
        with pytest.raises(ValidationError) as error:
            PersonFactory(cin="ab123456")
        assert "cin" in error.value.message_dict
        assert Person.objects.count() == 1

    def test_rectification_cleans_too(self):
        person = PersonFactory()
        person_update(actor=None, person=person, phone="0537-12-34-56")
        person.refresh_from_db()
        assert person.phone == "+212537123456"
        with pytest.raises(ValidationError):
            person_update(actor=None, person=person, cin="??")
        person.refresh_from_db()
        assert person.cin is None


class TestMembership:
    def test_card_numbers_follow_region_and_year_without_gaps(self, actors):
        joined = datetime.date(2026, 11, 29)
        cards = [
            member_register(
                actor=actors.volunteer, person=PersonFactory(), consent_given=True, joined_on=joined
            ).card_number
            for _ in range(3)
        ]
        oriental = (
            Territory.objects.get(code="02").children.first().children.filter(level=3).first()
        )
        other = member_register(
            actor=actors.admin,
            person=PersonFactory(territory=oriental),
            consent_given=True,
            joined_on=joined,
        )
        assert cards == ["03-2026-000001", "03-2026-000002", "03-2026-000003"]
        assert other.card_number == "02-2026-000001"

    def test_no_membership_without_consent(self, actors):
        person = PersonFactory()
        sequences = list(CardSequence.objects.values_list("pk", "last"))
        with pytest.raises(ValidationError) as error:
            member_register(actor=actors.volunteer, person=person, consent_given=False)
        assert error.value.code == "consent_required"
        assert not Membership.objects.filter(person=person).exists()
        assert not Consent.objects.filter(person=person).exists()
        assert list(CardSequence.objects.values_list("pk", "last")) == sequences

    def test_consent_records_what_when_how_and_who(self, actors):
        membership = member_register(
            actor=actors.volunteer, person=PersonFactory(), consent_given=True
        )
        consent = membership.consent
        assert (consent.purpose, consent.text_version, consent.channel, consent.collected_by) == (
            "membership",
            "2026-1",
            "door",
            actors.volunteer,
        )
        assert consent.given_at is not None

    def test_a_failed_sign_up_gives_its_card_number_back(self, actors):
        young = PersonFactory(birth_date=datetime.date(2015, 1, 1))
        with pytest.raises(ValidationError, match="at least 18 years old"):
            member_register(actor=actors.volunteer, person=young, consent_given=True)
        first = member_register(actor=actors.volunteer, person=PersonFactory(), consent_given=True)
        assert first.card_number.endswith("-000001")

    def test_status_history_is_dated_and_checked(self, actors):
        membership = member_register(
            actor=actors.taounate, person=PersonFactory(), consent_given=True
        )
        membership_change_status(
            actor=actors.taounate,
            membership=membership,
            to_status=MembershipStatus.SUSPENDED,
            reason="absence",
        )
        with pytest.raises(ValidationError, match="cannot go from Suspended to Applicant"):
            membership_change_status(
                actor=actors.taounate, membership=membership, to_status=MembershipStatus.APPLICANT
            )
        history = list(membership.changes.values_list("from_status", "to_status", "reason"))
        assert history == [("", "active", "Joined"), ("active", "suspended", "absence")]

    def test_withdrawing_consent_ends_the_membership_and_shows(self, actors):
        membership = member_register(
            actor=actors.taounate, person=PersonFactory(), consent_given=True
        )
        consent_withdraw(actor=actors.taounate, consent=membership.consent)
        membership.refresh_from_db()
        assert membership.status == MembershipStatus.ENDED
        assert membership.consent.withdrawn_at is not None
        assert membership.changes.last().reason == "Consent withdrawn"
        with pytest.raises(ValidationError, match="withdrew their consent"):
            membership_change_status(
                actor=actors.taounate, membership=membership, to_status=MembershipStatus.ACTIVE
            )

    def test_one_membership_per_person(self, actors):
        person = PersonFactory()
        member_register(actor=actors.taounate, person=person, consent_given=True)
        with pytest.raises(ValidationError, match="already a member"):
            member_register(actor=actors.taounate, person=person, consent_given=True)


def test_body_lists_current_office_holders_by_rank(actors, places):
    body = places["taounate_a"].body
    today = timezone.localdate()
    member = position_assign(
        person=PersonFactory(), body=body, function=Function.MEMBER, starts_on=today
    )
    treasurer = position_assign(
        person=PersonFactory(), body=body, function=Function.TREASURER, starts_on=today
    )
    secretary = position_assign(
        person=PersonFactory(), body=body, function=Function.LOCAL_SECRETARY, starts_on=today
    )
    position_assign(
        person=PersonFactory(),
        body=body,
        function=Function.LOCAL_SECRETARY,
        starts_on=today - datetime.timedelta(days=900),
        ends_on=today - datetime.timedelta(days=30),
    )
    assert list(body_office_holders(actor=actors.taounate, body=body)) == [
        secretary,
        treasurer,
        member,
    ]
    assert list(body_office_holders(actor=actors.meknes, body=body)) == []
