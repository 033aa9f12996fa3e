"""The main menu shows a link only to those who may follow it."""

from django import template

from abwab.core.policies import may_read_audit as _may_read_audit

register = template.Library()


@register.filter
def may_read_audit(user) -> bool:
    return _may_read_audit(user)
