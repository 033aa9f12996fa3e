"""The home page's panels, contributed by the apps that own what they show.

`core` draws the home page but depends on no domain: an app registers a panel in its
`AppConfig.ready` (campaigns: the door desks open now), with the template that draws it and a
function giving its context for the signed-in user, or None when the panel has nothing to show
(the function reads through the scope gate like any selector).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable[..., dict | None]
    order: int = 100


_panels: dict[str, Panel] = {}


def register_home_panel(
    name: str, *, template: str, context: Callable[..., dict | None], order: int = 100
) -> None:
    """Show a panel on the home page (above the scope cards, by `order`); registering the same
    name again replaces it."""
    _panels[name] = Panel(name, template, context, order)


def home_panels(*, actor) -> list[tuple[str, dict]]:
    """(template, context) of each panel that has something to show to the actor, in order."""
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.name)):
        context = panel.context(actor=actor)
        if context:
            shown.append((panel.template, context))
    return shown
