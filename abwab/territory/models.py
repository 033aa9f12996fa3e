"""Morocco's administrative tree, the party's own units over it, and the party's offices and bodies."""

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from abwab.territory.paths import (  # noqa: F401  (the tree arithmetic on paths, re-exported)
    PATH_SEPARATOR,
    ancestor_paths,
    common_path,
    is_below,
    path_at_depth,
    path_codes,
    path_depth,
    province_path,
)


class Level(models.IntegerChoices):
    NATION = 0, _("Nation")
    REGION = 1, _("Region")
    PROVINCE = 2, _("Province or prefecture")
    COMMUNE = 3, _("Commune")
    ARRONDISSEMENT = 4, _("Arrondissement")


class Kind(models.TextChoices):
    NATION = "nation", _("Nation")
    REGION = "region", _("Region")
    PROVINCE = "province", _("Province")
    PREFECTURE = "prefecture", _("Prefecture")
    PREFECTURE_OF_ARRONDISSEMENTS = (
        "prefecture_of_arrondissements",
        _("Prefecture of arrondissements"),
    )
    URBAN_COMMUNE = "urban", _("Urban commune")
    RURAL_COMMUNE = "rural", _("Rural commune")
    ARRONDISSEMENT = "arrondissement", _("Arrondissement")


class BilingualName(models.Model):
    """Names users see in Arabic first, French second."""

    name_ar = models.CharField(_("Arabic name"), max_length=200)
    name_fr = models.CharField(_("French name"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_fr if get_language() == "fr" else self.name_ar


class TerritoryQuerySet(models.QuerySet):
    def within(self, paths) -> "TerritoryQuerySet":
        """Nodes at or below any of the given materialised paths."""
        query = Q()
        for path in paths:
            query |= Q(path__startswith=path)
        return self.filter(query) if paths else self.none()

    def below(self, path: str, *, strictly: bool = False) -> "TerritoryQuerySet":
        """Nodes at (unless `strictly`) or below the node at `path`."""
        nodes = self.filter(path__startswith=path)
        return nodes.exclude(path=path) if strictly else nodes

    def ancestors_of(self, path: str, *, include_self: bool = False) -> "TerritoryQuerySet":
        """The node's ancestors (and itself if asked), nation first: one query."""
        return self.filter(path__in=ancestor_paths(path, include_self=include_self)).order_by(
            "path"
        )

    def common_ancestor(self, paths) -> "Territory | None":
        """The lowest node holding every node given by its path: one query (none for no path)."""
        path = common_path(paths)
        return self.filter(path=path).first() if path else None

    def provinces_of(self, ids, known: dict[int, str] | None = None) -> dict[int, int]:
        """Each node's province or prefecture id (the node itself at or above one): one query when
        the nodes' paths are `known`, two otherwise."""
        return province_ids(self, ids, known)


def province_ids(nodes, ids, known: dict[int, str] | None = None) -> dict[int, int]:
    """`TerritoryQuerySet.provinces_of` on any queryset of territories (a migration's too)."""
    known = known or {}
    paths = {pk: known[pk] for pk in ids if pk in known}
    if len(paths) < len(ids):
        paths.update(
            nodes.filter(pk__in=set(ids) - paths.keys()).values_list("pk", "path").order_by()
        )
    wanted = {province_path(p) for p in paths.values()}
    found = dict(nodes.filter(path__in=wanted).values_list("path", "pk").order_by())
    return {pk: found[province_path(path)] for pk, path in paths.items()}


class Territory(BilingualName):
    """A node of the tree nation > region > province/prefecture > commune > arrondissement."""

    code = models.CharField(_("HCP code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Every ancestor's code and our own, each followed by "/": "subtree of X" is a prefix match.
    path = models.CharField(_("path"), max_length=255, unique=True)
    # Casablanca's arrondissements also belong to one of its 8 prefectures of arrondissements.
    group = models.ForeignKey(
        "self",
        verbose_name=_("prefecture of arrondissements"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grouped",
    )
    population_2024 = models.PositiveIntegerField(
        _("population (2024 census)"), null=True, blank=True
    )

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["path"]
        indexes = [
            models.Index(
                fields=["path"], name="territory_path_like", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["parent", "name_fr"], name="territory_children"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(level=0, parent__isnull=True) | Q(level__gt=0, parent__isnull=False),
                name="territory_only_nation_is_root",
            ),
        ]

    def covered_paths(self) -> list[str]:
        """Paths a grant on this node covers: its subtree, plus grouped arrondissements."""
        if self.kind == Kind.PREFECTURE_OF_ARRONDISSEMENTS:
            return [self.path, *self.grouped.values_list("path", flat=True)]
        return [self.path]

    def ancestor_codes(self) -> list[str]:
        return path_codes(self.path)[:-1]

    def ancestors(self) -> list["Territory"]:
        """Ancestors from the nation down, for breadcrumbs."""
        return list(Territory.objects.ancestors_of(self.path))

    def is_below(self, other: "Territory", *, strictly: bool = False) -> bool:
        """Whether this node is at (unless `strictly`) or below `other`."""
        return is_below(self.path, other.path, strictly=strictly)

    def contains(self, other: "Territory") -> bool:
        """Whether `other` is this node or below it."""
        return is_below(other.path, self.path)

    @property
    def depth(self) -> int:
        return path_depth(self.path)


class PartyUnit(BilingualName):
    """The party's own grouping of territory nodes, e.g. "Fès North" over several arrondissements."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    territories = models.ManyToManyField(
        Territory, verbose_name=_("territories"), related_name="party_units"
    )
    # The lowest node that holds every covered node: where the unit shows in the tree.
    anchor = models.ForeignKey(
        Territory, verbose_name=_("anchor"), on_delete=models.PROTECT, related_name="anchored_units"
    )

    class Meta:
        verbose_name = _("party unit")
        verbose_name_plural = _("party units")
        ordering = ["code"]

    def covered_paths(self) -> list[str]:
        """Paths a grant on this unit covers: exactly its nodes and what is below them."""
        paths: list[str] = []
        for node in self.territories.all():
            paths.extend(node.covered_paths())
        return paths


class Office(BilingualName):
    """A party office (مقر) at a territory node."""

    territory = models.ForeignKey(
        Territory, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="offices"
    )
    address = models.CharField(_("address"), max_length=300)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    accessible_entrance = models.BooleanField(_("step-free entrance"), default=False)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["territory__path", "name_fr"]
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "name_fr"], name="office_unique_name_in_territory"
            ),
        ]


class BodyKind(models.TextChoices):
    NATIONAL_SECRETARIAT = "national_secretariat", _("National secretariat")
    REGIONAL_SECRETARIAT = "regional_secretariat", _("Regional secretariat")
    PROVINCIAL_SECRETARIAT = "provincial_secretariat", _("Provincial secretariat")
    LOCAL_SECRETARIAT = "local_secretariat", _("Local secretariat")
    NATIONAL_COUNCIL = "national_council", _("National council")
    REGIONAL_COUNCIL = "regional_council", _("Regional council")
    WOMENS_ORGANISATION = "womens_organisation", _("Women's organisation")
    YOUTH_ORGANISATION = "youth_organisation", _("Youth organisation")
    PROVINCIAL_COUNCIL = "provincial_council", _("Provincial council")
    COUNCIL_GROUP = "council_group", _("Party group in an elected council")
    MEDIA_OFFICE = "media_office", _("Media office")
    ADMINISTRATION = "administration", _("Administration")


class Quorum(models.TextChoices):
    """How many of those expected must attend for a meeting of the body to decide."""

    MAJORITY = "majority", _("More than half")
    TWO_THIRDS = "two_thirds", _("Two thirds")
    ONE_THIRD = "one_third", _("One third")
    NONE = "none", _("No quorum")


def quorum_for(quorum: str, expected: int) -> int:
    """The fewest attendees that make the quorum among `expected` people."""
    if quorum == Quorum.MAJORITY:
        return expected // 2 + 1 if expected else 0
    if quorum == Quorum.TWO_THIRDS:
        return -(-2 * expected // 3)
    if quorum == Quorum.ONE_THIRD:
        return -(-expected // 3)
    return 0


class Body(BilingualName):
    """A secretariat, council or organisation of the party, at a territory node or party unit."""

    kind = models.CharField(_("kind"), max_length=40, choices=BodyKind.choices)
    territory = models.ForeignKey(
        Territory, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="bodies"
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    party_unit = models.ForeignKey(
        PartyUnit,
        verbose_name=_("party unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bodies",
    )
    # The body's rules, read by its meetings: quorum, and whether an absent member may give a proxy.
    quorum = models.CharField(
        _("quorum"), max_length=20, choices=Quorum.choices, default=Quorum.MAJORITY
    )
    proxies_allowed = models.BooleanField(_("proxies allowed"), default=False)

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["territory__path", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "territory"],
                condition=Q(party_unit__isnull=True),
                name="body_one_kind_per_territory",
            ),
            models.UniqueConstraint(
                fields=["kind", "party_unit"],
                condition=Q(party_unit__isnull=False),
                name="body_one_kind_per_unit",
            ),
        ]

    def quorum_for(self, expected: int) -> int:
        """The fewest attendees that make this body's quorum among `expected` people."""
        return quorum_for(self.quorum, expected)
