"""Reads of the territory app, always through the scope gate."""

from django.db.models import QuerySet

from abwab.core.scope import visible_to
from abwab.territory.models import Body, Office, Territory


def office_list(*, actor, within: Territory | None = None) -> QuerySet[Office]:
    """Offices the actor may see, optionally only those in a subtree."""
    offices = Office.objects.select_related("territory")
    if within is not None:
        offices = offices.filter(territory__path__startswith=within.path)
    return visible_to(actor, offices)


def body_list(*, actor, within: Territory | None = None) -> QuerySet[Body]:
    """Bodies the actor may see, optionally only those in a subtree."""
    bodies = Body.objects.select_related("territory", "party_unit")
    if within is not None:
        bodies = bodies.filter(territory__path__startswith=within.path)
    return visible_to(actor, bodies)


def territory_children(*, actor, node: Territory) -> QuerySet[Territory]:
    """The node's children that the actor may see."""
    return visible_to(actor, node.children.all()).order_by("name_fr")
