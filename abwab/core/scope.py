"""The one gate: what a user may see and change.

Every role is granted on a territory node (covering its subtree), on a party unit (covering exactly
its nodes and their subtrees) or, for volunteers, on an office. Each model that holds scoped data
registers a Policy saying how to reach its territory path; lists are then filtered inside the query,
and single objects are fetched through `get_visible_or_404`, so a forbidden id and a missing id both
answer 404 and leak nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from abwab.core.errors import ErrorCode
from abwab.core.roles import Role
from abwab.territory.paths import ancestor_paths, is_below

VIEW = "view"
CHANGE = "change"


@dataclass(frozen=True)
class Grant:
    role: str
    paths: tuple[str, ...]
    unit_id: int | None = None
    office_id: int | None = None
    # A grant narrowed by an API token to one event (a door device): rows tied to an event are
    # reached only for that one.
    event_id: int | None = None


@dataclass(frozen=True)
class Policy:
    """How a model's rows map onto the territory, and which roles may view or change them."""

    path: str
    view: frozenset[str]
    change: frozenset[str] = frozenset()
    unit: str | None = None
    office: str | None = None
    # Extra condition for grants held on an office (volunteers), e.g. "only while the event is open".
    office_condition: Q | None = None
    # Also visible from below: a national campaign is seen by every secretary under the nation.
    from_below: bool = False
    # How a row reaches its event ("pk" for events), for grants narrowed to one event.
    event: str | None = None


_POLICIES: dict[type[Model], Policy] = {}


def register(model: type[Model], policy: Policy) -> None:
    """Declare how `model` is scoped; a model without a policy is visible to nobody."""
    _POLICIES[model] = policy


def policy_for(model: type[Model]) -> Policy | None:
    return _POLICIES.get(model)


def registered_models() -> list[type[Model]]:
    return list(_POLICIES)


# What one held role needs to become a grant, read in the assignment's query (`grants`) or in
# the API token's (`accounts.tokens.token_user`, which joins them to the token: one query).
GRANT_FIELDS = (
    "role",
    "party_unit_id",
    "office_id",
    "territory_id",
    "territory__path",
    "territory__kind",
    "office__territory_id",
    "office__territory__path",
)


def grant_from(row: dict, nodes: dict[str, int]) -> Grant:
    """The grant of one assignment read as GRANT_FIELDS; notes each covered node's id by its path
    in `nodes` (what `top_territory_id` answers from). Only a party unit or a prefecture grouping
    arrondissements reads more (the nodes they cover)."""
    from abwab.territory.models import Kind, PartyUnit, Territory

    role, unit_id, office_id = row["role"], row["party_unit_id"], row["office_id"]
    if role == Role.VOLUNTEER:  # an office's desk: the office's node
        path = row["office__territory__path"]
        nodes[path] = row["office__territory_id"]
        return Grant(role, (path,), unit_id, office_id)
    if unit_id:
        return Grant(role, tuple(PartyUnit(pk=unit_id).covered_paths()), unit_id, office_id)
    path = row["territory__path"]
    nodes[path] = row["territory_id"]
    if row["territory__kind"] == Kind.PREFECTURE_OF_ARRONDISSEMENTS:
        node = Territory(pk=row["territory_id"], path=path, kind=row["territory__kind"])
        return Grant(role, tuple(node.covered_paths()), unit_id, office_id)
    return Grant(role, (path,), unit_id, office_id)


def grants_set(user, held: tuple[Grant, ...], nodes: dict[str, int]) -> tuple[Grant, ...]:
    """Keep `held` as the user's grants for this user object (this request), with the ids of the
    nodes they name."""
    user._abwab_grants, user._abwab_nodes = held, nodes
    return held


def grants(user) -> tuple[Grant, ...]:
    """The user's grants in force today, loaded once per user object (so once per request): one
    query, never cached beyond the request, so a revoked role stops at once."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ()
    cached = getattr(user, "_abwab_grants", None)
    if cached is not None:
        return cached
    from abwab.accounts.models import RoleAssignment

    nodes: dict[str, int] = {}
    rows = RoleAssignment.objects.current().filter(user=user).order_by("pk").values(*GRANT_FIELDS)
    return grants_set(user, tuple(grant_from(row, nodes) for row in rows), nodes)


def roles(user) -> set[str]:
    return {grant.role for grant in grants(user)}


def is_national_admin(user) -> bool:
    """Whether the user administers the whole party (and may use Django's admin)."""
    return Role.NATIONAL_ADMIN in roles(user)


def _ancestors(path: str) -> list[str]:
    return ancestor_paths(path)


def _grant_q(grant: Grant, policy: Policy) -> Q | None:
    if grant.role == Role.VOLUNTEER and policy.office:
        query = Q(**{policy.office: grant.office_id})
        if grant.event_id is not None and policy.event:
            query &= Q(**{policy.event: grant.event_id})
        return query & policy.office_condition if policy.office_condition is not None else query
    query = Q()
    for path in grant.paths:
        query |= Q(**{f"{policy.path}__startswith": path})
        if policy.from_below:
            query |= Q(**{f"{policy.path}__in": _ancestors(path)})
    if policy.unit and grant.unit_id:
        query |= Q(**{policy.unit: grant.unit_id})
    return query if grant.paths or grant.unit_id else None


def scope_filter(user, model: type[Model], action: str = VIEW) -> Q | None:
    """A Q selecting the rows of `model` the user may act on, or None when there are none."""
    policy = _POLICIES.get(model)
    if policy is None:
        return None
    allowed = policy.view if action == VIEW else policy.change
    query: Q | None = None
    for grant in grants(user):
        if grant.role not in allowed:
            continue
        grant_query = _grant_q(grant, policy)
        if grant_query is not None:
            query = grant_query if query is None else query | grant_query
    return query


def visible_to(user, queryset: QuerySet, action: str = VIEW) -> QuerySet:
    """Filter any queryset down to what the user may view (or change) — inside the query."""
    query = scope_filter(user, queryset.model, action)
    if query is None:
        return queryset.none()
    return (
        queryset.filter(query).distinct()
        if _crosses_many(queryset.model)
        else queryset.filter(query)
    )


def _crosses_many(model: type[Model]) -> bool:
    policy = _POLICIES[model]
    return any(
        getattr(model._meta.get_field(lookup.split("__")[0]), "many_to_many", False)
        for lookup in filter(None, (policy.path, policy.unit, policy.office))
        if lookup.split("__")[0] != "pk"
    )


def can(user, action: str, obj: Model) -> bool:
    """Whether the user may perform `action` on this object, by the same rule lists use."""
    return visible_to(user, type(obj)._default_manager.filter(pk=obj.pk), action).exists()


def get_visible_or_404(user, model_or_queryset, action: str = VIEW, **lookup) -> Model:
    """Fetch and authorise in one step: missing and forbidden both answer 404."""
    queryset = (
        model_or_queryset
        if isinstance(model_or_queryset, QuerySet)
        else model_or_queryset._default_manager.all()
    )
    try:
        return visible_to(user, queryset, action).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError) as error:
        # OverflowError: an id past 64 bits, which SQLite's driver cannot even send.
        raise Http404 from error


def territories_where(user, model: type[Model], action: str = CHANGE) -> QuerySet:
    """Territory nodes where the user may create (or change) rows of `model`, e.g. for a form's choices."""
    from abwab.territory.models import Territory

    policy = _POLICIES.get(model)
    allowed = (policy.view if action == VIEW else policy.change) if policy else frozenset()
    paths = [path for grant in grants(user) if grant.role in allowed for path in grant.paths]
    return Territory.objects.within(paths)


def can_add(user, model: type[Model], *, path: str, office_id: int | None = None) -> bool:
    """Whether the user may create a row of `model` at this territory path (or at this office)."""
    policy = _POLICIES.get(model)
    if policy is None:
        return False
    for grant in grants(user):
        if grant.role not in policy.change:
            continue
        if grant.role == Role.VOLUNTEER and policy.office:
            if office_id is not None and grant.office_id == office_id:
                return True
        elif any(is_below(path, granted) for granted in grant.paths):
            return True
    return False


def require_change(user, obj: Model, message: str) -> None:
    """Raise a ValidationError with `message` unless the user may change the object (for services)."""
    from django.core.exceptions import ValidationError

    if not can(user, CHANGE, obj):
        raise ValidationError(message, code=ErrorCode.FORBIDDEN)


def top_territory(user):
    """The highest node the user's roles cover: where their pages start when no territory is asked."""
    from abwab.territory.models import Territory

    if hasattr(user, "_abwab_top_territory"):  # once per user object, as grants (audit lines)
        return user._abwab_top_territory
    paths = sorted((path for grant in grants(user) for path in grant.paths), key=len)
    top = Territory.objects.filter(path=paths[0]).first() if paths else None
    if user is not None and user.is_authenticated:
        user._abwab_top_territory = top
    return top


def top_territory_id(user) -> int | None:
    """The id of `top_territory`, known without a query when the grants' own nodes hold it (the
    audit line's node, on every request)."""
    if hasattr(user, "_abwab_top_territory"):
        top = user._abwab_top_territory
        return top.pk if top is not None else None
    paths = sorted((path for grant in grants(user) for path in grant.paths), key=len)
    if not paths:
        return None
    known = getattr(user, "_abwab_nodes", {}).get(paths[0])
    if known is not None:
        return known
    top = top_territory(user)
    return top.pk if top is not None else None


def territory_or_404(user, code: str | None):
    """The territory a page is asked about (by HCP code), or the user's top node; 404 when out of scope."""
    from abwab.territory.models import Territory

    node = get_visible_or_404(user, Territory, code=code) if code else top_territory(user)
    if node is None or not can(user, VIEW, node):
        raise Http404
    return node


def visible_parent(user, node):
    """The node's parent when the user may open it, else None: a page links "one level up" only
    for those who would not meet a 404 there."""
    parent = node.parent if node is not None else None
    return parent if parent is not None and can(user, VIEW, parent) else None
