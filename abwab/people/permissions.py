"""Who may open the people pages that not every role reaches: the views raise 404 on the same
answers, and the templates show a link only to those who may follow it (no dead ends)."""

from abwab.core.roles import PERSONAL_DATA_READERS, SECRETARIES
from abwab.core.scope import roles, territories_where
from abwab.people.models import Person


def may_register_people(user) -> bool:
    """Register a person or import a list: somewhere in the user's scope takes new people."""
    return territories_where(user, Person).exists()


def may_export_people(user) -> bool:
    """Export people: volunteers and media officers do not."""
    return bool(roles(user) & PERSONAL_DATA_READERS)


def may_print_cards(user) -> bool:
    """Print a list's membership cards: secretaries (a volunteer prints one member's card)."""
    return bool(roles(user) & SECRETARIES)
