import datetime

import pytest
from django.urls import reverse

from abwab.people.services import member_register
from abwab.people.tests.factories import PersonFactory
from abwab.reports.selectors import dashboard, members_per_thousand
from abwab.territory.models import Territory

pytestmark = pytest.mark.django_db


def test_figures_of_a_province_are_counted_in_the_database(actors, places):
    taounate = Territory.objects.get(code="03.531")
    for gender, birth in (
        ("F", datetime.date(2000, 1, 1)),
        ("F", datetime.date(1970, 1, 1)),
        ("M", datetime.date(1995, 1, 1)),
    ):
        member_register(
            actor=actors.taounate,
            person=PersonFactory(
                gender=gender, birth_date=birth, territory=places["taounate_b"].node
            ),
            consent_given=True,
        )
    figures = dashboard(actor=actors.taounate, territory=taounate)
    series = {s.title: dict(s.rows) for s in figures["series"]}
    assert figures["members"] == 5  # the two place members + three
    assert series["Members by gender"]["Woman"] == 2
    assert series["Members by age"]["25–34"] == 2 and series["Members by age"]["45–59"] == 1
    assert series["Concerns by category"] == {"الماء والتطهير": 2}
    assert figures["decisions_open"] == 2


def test_members_per_thousand_inhabitants(actors, places):
    rows = {
        node.code: (count, rate)
        for node, count, rate in members_per_thousand(
            actor=actors.fes_meknes, territory=Territory.objects.get(code="03")
        )
    }
    taounate = Territory.objects.get(code="03.531")
    assert rows["03.531"] == (2, round(2000 / taounate.population_2024, 3))


def test_page_draws_charts_with_tables_and_stays_in_scope(client, actors, places):
    client.force_login(actors.taounate)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert page.count('<svg class="chart"') >= 3 and "<table>" in page
    assert client.get(reverse("reports:dashboard"), {"territory": "03.061"}).status_code == 404
    client.force_login(actors.media)
    assert (
        client.get(reverse("reports:dashboard"), {"territory": "03.531"}).status_code == 200
    )  # aggregates only
