"""The territory's pages link to office holders through abwab.territory.links, filled by the people
app: the roles that read office holders get the links, the media officer does not (and the
territory app names no page of the people app)."""

import pytest
from django.urls import reverse

from abwab.territory.models import BodyKind, Territory
from abwab.territory.services import body_create

pytestmark = pytest.mark.django_db


def test_office_holders_come_to_territory_pages_from_people(client, actors, places):
    region = Territory.objects.get(code="03")
    body = body_create(
        kind=BodyKind.REGIONAL_SECRETARIAT, territory=region, name_ar="كتابة", name_fr="Secrétariat"
    )
    holders = reverse("people:body", args=[body.pk])
    officials = f"{reverse('people:officials')}?territory={region.code}"
    pages = [
        reverse("territory:detail", args=[region.pk]),
        f"{reverse('territory:body_list')}?territory={region.code}",
        reverse("territory:body_detail", args=[body.pk]),
    ]
    client.force_login(actors.fes_meknes)
    for page in pages:
        html = client.get(page).content.decode()
        assert f'href="{holders}"' in html, page
    assert officials in client.get(pages[0]).content.decode()
    client.force_login(actors.media)
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        assert holders not in html and reverse("people:officials") not in html, page
        assert "Secrétariat" in html or "كتابة" in html, page
