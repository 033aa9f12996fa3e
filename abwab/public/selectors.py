"""What the public pages read: public events of launched campaigns, the territory tree around them,
published communiqués. Nothing here touches a person, a member, a check-in or a pre-registration;
every query starts from `public_events()` or from the territory tree and published communiqués."""

import datetime
import math
import unicodedata
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone

from abwab.campaigns.models import Campaign, CampaignStatus, Event
from abwab.meetings.models import Communique, CommuniqueStatus
from abwab.names.arabic import has_arabic, normalize_arabic
from abwab.names.keys import name_key
from abwab.names.latin import normalize_latin
from abwab.territory.models import Level, Territory
from abwab.territory.paths import (
    PROVINCE_DEPTH,
    ancestor_paths,
    path_at_depth,
    path_codes,
    path_depth,
)

REGION_DEPTH = 1
COMMUNE_DEPTH = 3
EARTH_RADIUS_KM = 6371.0088


def today() -> datetime.date:
    return timezone.localdate()


def live_campaigns():
    """Campaigns citizens may see: launched ones only (drafts and closed ones are not public)."""
    return Campaign.objects.filter(status=CampaignStatus.LAUNCHED).order_by("-starts_on")


def public_events():
    """Every event the public may see (its page, its .ics): public, of a launched campaign."""
    return Event.objects.filter(
        public=True, campaign__status=CampaignStatus.LAUNCHED
    ).select_related("office__territory", "campaign")


def current_events():
    """Public events not over yet: what the lists, counts and calendars offer."""
    return (
        public_events()
        .filter(ends_on__gte=today())
        .order_by("starts_on", "office__territory__path")
    )


def public_event_or_none(pk: int) -> Event | None:
    return public_events().filter(pk=pk).first()


def events_at_or_below(node: Territory):
    return current_events().filter(office__territory__path__startswith=node.path)


def counts_by_depth(depth: int, below: Territory | None = None) -> Counter:
    """Current public events counted by their office's ancestor at `depth` (path → count)."""
    events = current_events()
    if below is not None:
        events = events.filter(office__territory__path__startswith=below.path)
    paths = events.values_list("office__territory__path", flat=True).order_by()
    return Counter(path_at_depth(path, depth) for path in paths if path_depth(path) >= depth)


@dataclass
class Place:
    """A territory node and its number of open offices, for a list."""

    node: Territory
    count: int

    @property
    def province_code(self) -> str:
        return (
            path_codes(self.node.path)[PROVINCE_DEPTH] if self.node.depth >= PROVINCE_DEPTH else ""
        )


def places(depth: int, parent: Territory | None = None, *, only_open: bool = False) -> list[Place]:
    """The nodes at `depth` (under `parent`) with their counts of current public events."""
    counts = counts_by_depth(depth, parent)
    # Depth in the tree, not level: Casablanca's prefectures of arrondissements (level 2) sit at
    # depth 3, below their prefecture, and hold the arrondissements' offices.
    nodes = Territory.objects.filter(level__in=[depth - 1, depth])
    if parent is not None:
        nodes = nodes.filter(path__startswith=parent.path)
    rows = [
        Place(node, counts.get(node.path, 0))
        for node in nodes.order_by("path")
        if node.depth == depth
    ]
    return [row for row in rows if row.count] if only_open else rows


def node_or_none(code: str, depth: int) -> Territory | None:
    """The node with this code at this depth (a commune page also takes an arrondissement)."""
    node = Territory.objects.filter(code=code).first()
    if node is None:
        return None
    if depth >= COMMUNE_DEPTH:
        return node if node.depth >= COMMUNE_DEPTH else None
    return node if node.depth == depth else None


def breadcrumbs(node: Territory) -> list[Territory]:
    """Ancestors below the nation, for the trail region › province › commune."""
    return [a for a in node.ancestors() if a.depth >= REGION_DEPTH]


def territory_communiques(node: Territory, limit: int = 5):
    """Published communiqués of bodies at this node, above it up to its province, or below it."""
    above = [p for p in ancestor_paths(node.path) if path_depth(p) >= PROVINCE_DEPTH]
    return (
        Communique.objects.filter(status=CommuniqueStatus.PUBLISHED)
        .filter(
            Q(meeting__body__territory__path__in=above)
            | Q(meeting__body__territory__path__startswith=node.path)
        )
        .only("slug", "title", "language", "published_at")
        .order_by("-published_at")[:limit]
    )


def event_days(event: Event) -> list[datetime.date]:
    days = (event.ends_on - event.starts_on).days + 1
    return [event.starts_on + datetime.timedelta(days=i) for i in range(max(days, 0))]


# --- Search by name, in either script ---------------------------------------------------------


def fold(text: str) -> str:
    """A name as compared for a substring match: Latin folded (case, accents, hyphens, "Aït"),
    Arabic normalised (hamza forms, tatweel, diacritics), spaces removed."""
    if has_arabic(text):
        return normalize_arabic(text).replace(" ", "")
    text = unicodedata.normalize("NFKD", text)
    return normalize_latin(text).replace(" ", "")


@dataclass(frozen=True)
class _Named:
    pk: int
    names: tuple[str, ...]  # folded French and Arabic names
    keys: tuple[str, ...]  # their phonetic keys


_NAME_INDEX: dict[tuple, list[_Named]] = {}


def _name_index() -> list[_Named]:
    """Folded names and keys of every commune and arrondissement, computed once per process while
    the tree stays the same (it changes only when the territory is reloaded)."""
    nodes = Territory.objects.filter(level__gte=Level.COMMUNE)
    version = tuple(nodes.aggregate(n=models.Count("pk"), top=models.Max("pk")).values())
    if version not in _NAME_INDEX:
        _NAME_INDEX.clear()
        _NAME_INDEX[version] = [
            _Named(
                pk,
                tuple(fold(name) for name in (fr, ar) if name),
                tuple(name_key(name) for name in (fr, ar) if name),
            )
            for pk, fr, ar in nodes.values_list("pk", "name_fr", "name_ar").order_by()
        ]
    return _NAME_INDEX[version]


def search_communes(text: str, limit: int = 30) -> list[Place]:
    """Communes (and arrondissements) whose French or Arabic name matches `text` (a folded
    substring: "Taounate", "تاونات", "Ait"/"Aït"; else the same phonetic key), each with its count
    of open offices; those with offices first."""
    text = (text or "").strip()[:100]
    query = fold(text)
    if len(query) < 2:
        return []
    query_key = name_key(text)
    index = _name_index()
    wanted = [named.pk for named in index if any(query in name for name in named.names)]
    if not wanted and len(query_key) >= 2:
        # No name holds the letters typed: the same sounds then ("Tawnat" for Taounate). Only
        # then, or a short key would bring unrelated names (Tahannaout sounds like Taounate).
        wanted = [named.pk for named in index if query_key in named.keys]
    found = list(Territory.objects.filter(pk__in=wanted[:500]))
    parents = {
        node.path: node
        for node in Territory.objects.filter(
            path__in={path_at_depth(n.path, n.depth - 1) for n in found}
        )
    }
    query_paths = Q()
    for node in found:
        node.parent_node = parents.get(path_at_depth(node.path, node.depth - 1))
        query_paths |= Q(office__territory__path__startswith=node.path)
    paths = (
        list(
            current_events()
            .filter(query_paths)
            .values_list("office__territory__path", flat=True)
            .order_by()
        )
        if found
        else []
    )
    rows = [Place(node, sum(path.startswith(node.path) for path in paths)) for node in found]
    rows.sort(key=lambda row: (row.count == 0, row.node.name_fr))
    return rows[:limit]


# --- Near me ----------------------------------------------------------------------------------


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass
class Nearby:
    event: Event
    km: float


def nearest_events(lat: float, lon: float, limit: int = 20) -> tuple[list[Nearby], int]:
    """Current public events by distance from (lat, lon), and how many were left out: offices
    without coordinates (the territory data has no commune positions to fall back on), and those
    whose address is given only after pre-registration (distances from a few points would give
    their position away)."""
    events = current_events()
    positioned = events.filter(
        office__latitude__isnull=False, office__longitude__isnull=False, address_on_request=False
    )
    missing = events.count() - positioned.count()
    distances = sorted(
        (distance_km(lat, lon, float(la), float(lo)), pk)
        for pk, la, lo in positioned.values_list(
            "pk", "office__latitude", "office__longitude"
        ).order_by()
    )[:limit]
    by_pk = public_events().in_bulk([pk for _km, pk in distances])
    return [Nearby(by_pk[pk], km) for km, pk in distances], missing


def parse_position(lat: str, lon: str) -> tuple[float, float] | None:
    """(lat, lon) as floats when both are numbers within the Earth's ranges, else None."""
    try:
        values = Decimal(lat.strip()), Decimal(lon.strip())
    except (ArithmeticError, ValueError, AttributeError):
        return None
    if not all(v.is_finite() for v in values):
        return None
    la, lo = float(values[0]), float(values[1])
    if not (-90 <= la <= 90 and -180 <= lo <= 180):
        return None
    return la, lo
