"""The tree arithmetic every app uses (abwab.territory.paths, and the territory model's methods and
queryset built on it), on made-up paths and on the real tree loaded for the tests."""

import pytest

from abwab.territory.models import Level, Territory
from abwab.territory.paths import (
    ancestor_paths,
    common_path,
    is_below,
    path_at_depth,
    path_codes,
    path_depth,
    province_path,
)
from abwab.territory.services import party_unit_create


def test_paths_are_read_segment_by_segment():
    path = "MA/03/03.531/03.531.01.05/"
    assert path_codes(path) == ["MA", "03", "03.531", "03.531.01.05"]
    assert path_codes("") == []
    assert [path_depth(p) for p in ("MA/", "MA/03/", path)] == [0, 1, 3]
    assert ancestor_paths(path) == ["MA/", "MA/03/", "MA/03/03.531/", path]
    assert ancestor_paths(path, include_self=False) == ["MA/", "MA/03/", "MA/03/03.531/"]
    assert ancestor_paths("MA/", include_self=False) == []
    assert path_at_depth(path, Level.REGION) == "MA/03/"
    assert province_path(path) == "MA/03/03.531/"
    assert province_path("MA/03/") == "MA/03/"  # a node above a province is its own


def test_below_is_by_whole_segments_and_strictly_excludes_the_node():
    assert is_below("MA/03/03.531/", "MA/03/")
    assert is_below("MA/03/", "MA/03/")
    assert not is_below("MA/03/", "MA/03/", strictly=True)
    assert not is_below("MA/03/", "MA/03/03.531/")  # above is not below
    # "MA/03" is not a prefix of "MA/031/": the separator ends each code.
    assert not is_below("MA/031/", "MA/03/")


def test_lowest_common_ancestor_of_paths():
    a, b = "MA/03/03.531/03.531.01.05/", "MA/03/03.531/03.531.03.01/"
    assert common_path([a, b]) == "MA/03/03.531/"
    assert common_path([a, "MA/02/"]) == "MA/"
    assert common_path([a]) == a
    assert common_path([a, "MA/03/03.531/"]) == "MA/03/03.531/"  # an ancestor of the other
    assert common_path([]) == ""
    assert common_path(["MA/", "XX/"]) == ""  # two trees: no common node


@pytest.mark.django_db
def test_the_model_answers_on_the_real_tree(django_assert_num_queries):
    commune = Territory.objects.filter(level=Level.COMMUNE, path__startswith="MA/03/").first()
    province = Territory.objects.get(path=province_path(commune.path))
    region = Territory.objects.get(code="03")
    assert province.level == Level.PROVINCE and commune.depth == Level.COMMUNE
    assert commune.is_below(region) and commune.is_below(province)
    assert region.contains(commune) and not commune.contains(region)
    assert not region.is_below(region, strictly=True)
    with django_assert_num_queries(1):
        ancestors = commune.ancestors()
    assert [t.level for t in ancestors] == [Level.NATION, Level.REGION, Level.PROVINCE]
    assert ancestors[-1] == province
    assert commune.ancestor_codes() == [t.code for t in ancestors]
    assert list(Territory.objects.ancestors_of(commune.path, include_self=True))[-1] == commune
    below = Territory.objects.below(province.path, strictly=True)
    assert commune in below and province not in below
    other = Territory.objects.filter(level=Level.COMMUNE, path__startswith="MA/02/").first()
    with django_assert_num_queries(1):
        assert Territory.objects.common_ancestor([commune.path, other.path]).level == 0
    assert Territory.objects.common_ancestor([]) is None
    # Provinces of nodes: two queries, one when their paths are known.
    with django_assert_num_queries(2):
        assert Territory.objects.provinces_of({commune.pk, region.pk}) == {
            commune.pk: province.pk,
            region.pk: region.pk,
        }
    with django_assert_num_queries(1):
        assert Territory.objects.provinces_of({commune.pk}, {commune.pk: commune.path}) == {
            commune.pk: province.pk
        }


@pytest.mark.django_db
def test_party_units_across_the_tree_anchor_at_the_lowest_common_node():
    """A unit within one prefecture anchors there; one across two provinces of a region anchors
    at the region."""
    local = party_unit_create(
        code="fes-north",
        name_ar="فاس الشمالية",
        name_fr="Fès Nord",
        territory_codes=["03.231.01.11", "03.231.01.09"],
    )
    nodes = list(local.territories.all())
    assert local.anchor.path == common_path(node.path for node in nodes)
    assert all(node.is_below(local.anchor) for node in nodes)
    communes = [
        Territory.objects.filter(level=Level.COMMUNE, path__startswith=path).first()
        for path in ("MA/03/03.531/", "MA/03/03.061/")
    ]
    wide = party_unit_create(
        code="two-provinces",
        name_ar="وحدة",
        name_fr="Unité",
        territory_codes=[c.code for c in communes],
    )
    assert wide.anchor.code == "03" and wide.anchor.level == Level.REGION
