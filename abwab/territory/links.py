"""Links from the territory's pages to the office holders of a node or a body, given by the app
that owns them (people: positions and mandates) through `register_office_holders` in its
AppConfig.ready. The territory app imports no domain app and names none of their pages: it asks
here, for the user, where a node's or a body's office holders are shown, if the user may read them.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class OfficeHolders:
    """Where the office holders of a node and of a body are shown, for one user."""

    node_url: Callable[[object], str]
    body_url: Callable[[object], str]


_providers: list[Callable[..., OfficeHolders | None]] = []


def register_office_holders(provider: Callable[..., OfficeHolders | None]) -> None:
    """`provider(user)` gives the user's OfficeHolders, or None when they may not read them."""
    if provider not in _providers:
        _providers.append(provider)


def office_holders(user) -> OfficeHolders | None:
    """The office holders' pages the user may open, or None (no provider, or not for them)."""
    for provider in _providers:
        holders = provider(user)
        if holders is not None:
            return holders
    return None


def with_holders(user, bodies) -> list[tuple]:
    """(body, the page of its office holders or "") for each body, for the user."""
    holders = office_holders(user)
    return [(body, holders.body_url(body) if holders else "") for body in bodies]
