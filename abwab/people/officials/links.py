"""The office holders' pages, offered to the territory's pages (abwab.territory.links), for the
roles that read office holders' names."""

from django.urls import reverse

from abwab.people.officials.selectors import may_read_officials
from abwab.territory.links import OfficeHolders, register_office_holders


def _office_holders(user) -> OfficeHolders | None:
    if not may_read_officials(user):
        return None
    return OfficeHolders(
        node_url=lambda node: f"{reverse('people:officials')}?territory={node.code}",
        body_url=lambda body: reverse("people:body", args=[body.pk]),
    )


register_office_holders(_office_holders)
