"""Whether to show a link to a people page: the same answers the pages' views give."""

from django import template

from abwab.people import permissions
from abwab.people.officials.selectors import may_read_officials as _may_read_officials

register = template.Library()


@register.filter
def may_register_people(user) -> bool:
    return permissions.may_register_people(user)


@register.filter
def may_export_people(user) -> bool:
    return permissions.may_export_people(user)


@register.filter
def may_print_cards(user) -> bool:
    return permissions.may_print_cards(user)


@register.filter
def may_read_officials(user) -> bool:
    return _may_read_officials(user)
