"""Office holders and mandates: dates, overlapping terms, vacancies, and who holds what where."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from abwab.people.models import Function, Institution, Mandate, MandateRole, Position
from abwab.people.officials import selectors
from abwab.people.officials.services import (
    mandate_end,
    mandate_enter,
    position_appoint,
    position_end,
)
from abwab.people.tests.factories import PersonFactory
from abwab.territory.models import BodyKind, Quorum, Territory, quorum_for
from abwab.territory.services import body_create

pytestmark = pytest.mark.django_db

D = datetime.date
FES_MEKNES, TAOUNATE, MEKNES = "03", "03.531", "03.061"


def node(code: str) -> Territory:
    return Territory.objects.get(code=code)


@pytest.fixture
def secretariat(db):
    return body_create(
        kind=BodyKind.REGIONAL_SECRETARIAT,
        territory=node(FES_MEKNES),
        name_ar="الكتابة الجهوية لجهة فاس مكناس",
        name_fr="Secrétariat régional de Fès-Meknès",
    )


def appoint(body, function, starts_on, ends_on=None, person=None, actor=None):
    return position_appoint(
        actor=actor,
        person=person or PersonFactory(),
        body=body,
        function=function,
        starts_on=starts_on,
        ends_on=ends_on,
    )


def test_a_single_holder_function_refuses_an_overlapping_term(secretariat):
    first = appoint(secretariat, Function.REGIONAL_SECRETARY, D(2024, 1, 1), D(2025, 12, 31))
    with pytest.raises(ValidationError) as error:
        appoint(secretariat, Function.REGIONAL_SECRETARY, D(2025, 6, 1))
    assert error.value.code == "taken"
    # The day after the first term ends is free.
    second = appoint(secretariat, Function.REGIONAL_SECRETARY, D(2026, 1, 1))
    assert list(Position.objects.filter(body=secretariat).order_by("starts_on")) == [first, second]


def test_a_later_term_cannot_start_inside_an_open_one_nor_an_earlier_one_reach_into_it(
    secretariat,
):
    appoint(secretariat, Function.TREASURER, D(2025, 1, 1))
    with pytest.raises(ValidationError):
        appoint(secretariat, Function.TREASURER, D(2020, 1, 1), D(2025, 1, 1))  # the last day
    earlier = appoint(secretariat, Function.TREASURER, D(2020, 1, 1), D(2024, 12, 31))
    assert earlier.ends_on == D(2024, 12, 31)


def test_several_deputies_and_provincial_secretaries_but_not_the_same_person_twice(secretariat):
    person = PersonFactory()
    appoint(secretariat, Function.DEPUTY_SECRETARY, D(2025, 1, 1), person=person)
    appoint(secretariat, Function.DEPUTY_SECRETARY, D(2025, 1, 1))
    appoint(secretariat, Function.PROVINCIAL_SECRETARY, D(2025, 1, 1))
    appoint(secretariat, Function.PROVINCIAL_SECRETARY, D(2025, 1, 1))
    with pytest.raises(ValidationError) as error:
        appoint(secretariat, Function.DEPUTY_SECRETARY, D(2025, 3, 1), person=person)
    assert error.value.code == "already_holds"
    assert Position.objects.filter(body=secretariat).count() == 4


def test_one_person_holds_several_positions_and_a_mandate(secretariat):
    person = PersonFactory(gender="F")
    appoint(secretariat, Function.TREASURER, D(2025, 1, 1), person=person)
    provincial = body_create(
        kind=BodyKind.PROVINCIAL_SECRETARIAT,
        territory=node(TAOUNATE),
        name_ar="الكتابة الإقليمية بتاونات",
        name_fr="Secrétariat provincial de Taounate",
    )
    appoint(provincial, Function.PROVINCIAL_SECRETARY, D(2025, 1, 1), person=person)
    mandate_enter(
        actor=None,
        person=person,
        institution=Institution.PARLIAMENT,
        role=MandateRole.MEMBER,
        territory=node(TAOUNATE),
        starts_on=D(2021, 10, 1),
    )
    found = selectors.officials_for(node(FES_MEKNES), D(2026, 1, 1))
    assert [(o.kind, o.function, o.institution, o.territory.code) for o in found] == [
        ("position", Function.PROVINCIAL_SECRETARY, "", TAOUNATE),
        ("position", Function.TREASURER, "", FES_MEKNES),
        ("mandate", MandateRole.MEMBER, Institution.PARLIAMENT, TAOUNATE),
    ]
    assert [o.title("ar") for o in found] == [
        "الأمينة الإقليمية",
        "أمينة المال",
        "النائبة البرلمانية",
    ]
    assert [o.title("fr", definite=False) for o in found] == [
        "secrétaire provinciale",
        "trésorière",
        "députée",
    ]


def test_vacancies_are_the_expected_functions_nobody_holds_on_the_day(secretariat):
    appoint(secretariat, Function.REGIONAL_SECRETARY, D(2024, 1, 1), D(2025, 12, 31))
    appoint(secretariat, Function.TREASURER, D(2024, 1, 1))
    appoint(secretariat, Function.MEMBER, D(2024, 1, 1))
    on_2025 = selectors.body_terms(actor=None, body=secretariat, on=D(2025, 6, 1))
    on_2026 = selectors.body_terms(actor=None, body=secretariat, on=D(2026, 6, 1))
    assert on_2025.vacancies == [Function.DEPUTY_SECRETARY]
    assert on_2026.vacancies == [Function.REGIONAL_SECRETARY, Function.DEPUTY_SECRETARY]
    assert [p.function for p in on_2026.current] == [Function.TREASURER, Function.MEMBER]
    assert [p.function for p in on_2026.past] == [Function.REGIONAL_SECRETARY]


def test_ending_a_term(secretariat):
    position = appoint(secretariat, Function.TREASURER, D(2024, 1, 1))
    with pytest.raises(ValidationError):
        position_end(actor=None, position=position, ends_on=D(2023, 12, 31))
    position_end(actor=None, position=position, ends_on=D(2025, 3, 31))
    position.refresh_from_db()
    assert position.ends_on == D(2025, 3, 31)
    with pytest.raises(ValidationError) as error:
        position_end(actor=None, position=position, ends_on=D(2025, 4, 30))
    assert error.value.code == "ended"
    position.refresh_from_db()
    assert position.ends_on == D(2025, 3, 31)


def test_a_mandate_sits_at_its_institutions_level_with_its_roles():
    person = PersonFactory()
    with pytest.raises(ValidationError) as error:
        mandate_enter(
            actor=None,
            person=person,
            institution=Institution.COMMUNAL_COUNCIL,
            role=MandateRole.PRESIDENT,
            territory=node(TAOUNATE),
            starts_on=D(2021, 9, 20),
        )
    assert error.value.message_dict == {
        "territory": ["This institution has no seat at this level of the territory."]
    }
    with pytest.raises(ValidationError):
        mandate_enter(
            actor=None,
            person=person,
            institution=Institution.PARLIAMENT,
            role=MandateRole.MINISTER,
            territory=node(TAOUNATE),
            starts_on=D(2021, 9, 20),
        )
    assert not Mandate.objects.filter(person=person).exists()


def test_one_president_per_council_and_ending_a_mandate():
    commune = node(TAOUNATE).children.filter(level=3).order_by("code").first()
    president = mandate_enter(
        actor=None,
        person=PersonFactory(),
        institution=Institution.COMMUNAL_COUNCIL,
        role=MandateRole.PRESIDENT,
        territory=commune,
        starts_on=D(2021, 9, 20),
    )
    kwargs = {
        "institution": Institution.COMMUNAL_COUNCIL,
        "role": MandateRole.PRESIDENT,
        "territory": commune,
        "starts_on": D(2024, 1, 1),
    }
    with pytest.raises(ValidationError) as error:
        mandate_enter(actor=None, person=PersonFactory(), **kwargs)
    assert error.value.code == "taken"
    mandate_end(actor=None, mandate=president, ends_on=D(2023, 12, 31))
    successor = mandate_enter(actor=None, person=PersonFactory(gender="F"), **kwargs)
    assert [m.pk for m in Mandate.objects.filter(territory=commune).order_by("starts_on")] == [
        president.pk,
        successor.pk,
    ]
    assert [o.record for o in selectors.officials_for(commune, D(2023, 6, 1))] == [president]
    assert [o.record for o in selectors.officials_for(commune, D(2025, 6, 1))] == [successor]


def test_officials_for_filters_by_the_actor_and_the_subtree(actors, secretariat):
    meknes_body = body_create(
        kind=BodyKind.PROVINCIAL_SECRETARIAT,
        territory=node(MEKNES),
        name_ar="الكتابة الإقليمية بمكناس",
        name_fr="Secrétariat provincial de Meknès",
    )
    regional = appoint(secretariat, Function.REGIONAL_SECRETARY, D(2025, 1, 1))
    meknes = appoint(meknes_body, Function.PROVINCIAL_SECRETARY, D(2025, 1, 1))
    day = D(2026, 1, 1)
    assert [o.record for o in selectors.officials_for(node(FES_MEKNES), day)] == [regional, meknes]
    assert [o.record for o in selectors.officials_for(node(MEKNES), day)] == [meknes]
    assert selectors.officials_for(node(FES_MEKNES), day, actor=actors.taounate) == []
    assert [
        o.record for o in selectors.officials_for(node(FES_MEKNES), day, actor=actors.meknes)
    ] == [meknes]
    assert selectors.officials_for(node(FES_MEKNES), day, actor=actors.media) == []


def test_services_refuse_an_actor_outside_the_scope(actors, secretariat):
    meknes_person = PersonFactory(territory=node(MEKNES).children.filter(level=3).first())
    taounate_body = body_create(
        kind=BodyKind.PROVINCIAL_SECRETARIAT,
        territory=node(TAOUNATE),
        name_ar="الكتابة الإقليمية بتاونات",
        name_fr="Secrétariat provincial de Taounate",
    )
    for body, person in ((secretariat, PersonFactory()), (taounate_body, meknes_person)):
        with pytest.raises(ValidationError) as error:
            appoint(body, Function.MEMBER, D(2025, 1, 1), person=person, actor=actors.taounate)
        assert error.value.code == "forbidden"
    assert Position.objects.count() == 0
    appoint(taounate_body, Function.MEMBER, D(2025, 1, 1), actor=actors.taounate)
    appoint(
        secretariat, Function.MEMBER, D(2025, 1, 1), person=meknes_person, actor=actors.fes_meknes
    )
    assert Position.objects.count() == 2


def test_body_rules_and_quorum():
    assert [quorum_for(Quorum.MAJORITY, n) for n in (0, 1, 2, 3, 4, 13)] == [0, 1, 2, 2, 3, 7]
    assert [quorum_for(Quorum.TWO_THIRDS, n) for n in (3, 4, 13)] == [2, 3, 9]
    assert [quorum_for(Quorum.ONE_THIRD, n) for n in (3, 4, 13)] == [1, 2, 5]
    assert quorum_for(Quorum.NONE, 13) == 0


def test_body_create_checks_the_actor(actors):
    with pytest.raises(ValidationError) as error:
        body_create(
            actor=actors.taounate,
            kind=BodyKind.YOUTH_ORGANISATION,
            territory=node(MEKNES),
            name_ar="ش",
            name_fr="J",
        )
    assert error.value.code == "forbidden"
    body = body_create(
        actor=actors.taounate,
        kind=BodyKind.YOUTH_ORGANISATION,
        territory=node(TAOUNATE),
        name_ar=" الشبيبة  بتاونات ",
        name_fr="Jeunesse de Taounate",
        proxies_allowed=True,
        quorum=Quorum.ONE_THIRD,
    )
    assert (body.name_ar, body.proxies_allowed, body.quorum_for(7)) == ("الشبيبة بتاونات", True, 3)
