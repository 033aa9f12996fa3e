import csv
from collections import Counter
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from abwab.territory import sources
from abwab.territory.models import Kind, Level, PartyUnit, Territory
from abwab.territory.services import party_unit_create, territory_load

SHARED_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"


def snapshot():
    return list(
        Territory.objects.order_by("code").values_list(
            "code", "parent_id", "path", "name_ar", "name_fr", "population_2024", "group_id"
        )
    )


@pytest.mark.django_db
class TestTerritoryTree:
    def test_counts_of_each_level(self):
        kinds = Counter(Territory.objects.values_list("kind", flat=True))
        assert kinds[Kind.NATION] == 1
        assert kinds[Kind.REGION] == 12
        assert kinds[Kind.PROVINCE] + kinds[Kind.PREFECTURE] == 75
        assert kinds[Kind.PREFECTURE_OF_ARRONDISSEMENTS] == 8
        assert kinds[Kind.URBAN_COMMUNE] + kinds[Kind.RURAL_COMMUNE] == 1503
        assert kinds[Kind.ARRONDISSEMENT] == 41

    def test_codes_unique_and_every_node_under_its_parent(self):
        codes = list(Territory.objects.values_list("code", flat=True))
        assert len(codes) == len(set(codes)) == 1640
        for province in Territory.objects.filter(
            kind__in=[Kind.PROVINCE, Kind.PREFECTURE]
        ).select_related("parent"):
            assert province.parent.level == Level.REGION
            assert province.code.startswith(province.parent.code + ".")
            assert province.path == f"MA/{province.parent.code}/{province.code}/"
        for commune in Territory.objects.filter(level=Level.COMMUNE).select_related("parent"):
            assert commune.parent.kind in (Kind.PROVINCE, Kind.PREFECTURE)
            assert commune.path.startswith(commune.parent.path)

    def test_fes_meknes_holds_its_nine_provinces(self):
        names = set(Territory.objects.get(code="03").children.values_list("name_fr", flat=True))
        assert names == {
            "Fès",
            "Meknès",
            "El Hajeb",
            "Ifrane",
            "Moulay Yacoub",
            "Sefrou",
            "Boulemane",
            "Taounate",
            "Taza",
        }

    def test_casablanca_prefectures_of_arrondissements_group_its_arrondissements(self):
        sidi_bernoussi = Territory.objects.get(code="06.141.01.50")
        assert sidi_bernoussi.parent.code == "06.141"
        assert set(sidi_bernoussi.grouped.values_list("name_fr", flat=True)) == {
            "Sidi Bernoussi",
            "Sidi Moumen",
        }
        assert Territory.objects.get(code="06.141.01.53").parent.code == "06.141.01.0"

    def test_populations_add_up(self):
        region = Territory.objects.get(code="03")
        provinces = region.children.all()
        assert sum(p.population_2024 for p in provinces) == region.population_2024
        assert Territory.objects.get(code="MA").population_2024 == 36_828_330

    def test_loading_twice_changes_nothing(self):
        before = snapshot()
        result = territory_load(rows=sources.from_package())
        assert (result.created, result.updated, result.unchanged) == (0, 0, 1640)
        assert snapshot() == before

    @pytest.mark.skipif(not SHARED_DATA.exists(), reason="shared/data is not beside this checkout")
    def test_shared_csv_files_describe_the_same_tree(self):
        before = snapshot()
        result = territory_load(rows=sources.from_csv_dir(SHARED_DATA))
        assert (result.created, result.updated) == (0, 0)
        assert snapshot() == before


def write_csv_dir(tmp_path: Path, edit) -> Path:
    """A copy of the territory as CSV files, changed by `edit(name, rows)`."""
    folder = tmp_path / "data"
    folder.mkdir()
    rows = sources.from_package()
    files = {
        "regions.csv": [
            {
                "code": r.code,
                "name_fr": r.name_fr,
                "name_ar": r.name_ar,
                "population_2024": r.population_2024,
            }
            for r in rows
            if r.level == Level.REGION
        ],
        "provinces.csv": [
            {
                "code": r.code,
                "region_code": r.parent_code,
                "name_fr": r.name_fr,
                "name_ar": r.name_ar,
                "kind": r.kind,
                "population_2024": r.population_2024,
            }
            for r in rows
            if r.kind in (Kind.PROVINCE, Kind.PREFECTURE)
        ],
        "communes.csv": [
            {
                "code": r.code,
                "province_code": r.parent_code,
                "name_fr": r.name_fr,
                "name_ar": r.name_ar,
                "kind": r.kind,
                "population_2024": r.population_2024,
            }
            for r in rows
            if r.level == Level.COMMUNE
        ],
        "arrondissements.csv": [],
    }
    for name, data in files.items():
        edit(name, data)
        columns = sources._CSV_FILES[name]
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(data[0]) if data else list(columns))
            writer.writeheader()
            writer.writerows(data)
    return folder


@pytest.mark.django_db
class TestBadTerritoryData:
    def test_unknown_parent_code_loads_nothing(self, tmp_path):
        def edit(name, data):
            if name == "regions.csv":
                data[0]["name_fr"] = "Renamed region"
            if name == "communes.csv":
                data[-1]["province_code"] = "99.999"
                data.append({**data[0], "code": "03.531.99.99"})

        folder = write_csv_dir(tmp_path, edit)
        before = snapshot()
        with pytest.raises(CommandError) as error:
            call_command("territory", "load", "--from-csv", str(folder))
        assert "unknown parent territory code '99.999'" in str(error.value)
        assert "nothing was loaded" in str(error.value)
        assert snapshot() == before

    def test_missing_column_is_named(self, tmp_path):
        def edit(name, data):
            if name == "provinces.csv":
                for row in data:
                    del row["region_code"]

        folder = write_csv_dir(tmp_path, edit)
        with pytest.raises(CommandError, match=r"provinces.csv: missing column\(s\) region_code"):
            call_command("territory", "load", "--from-csv", str(folder))

    def test_bad_population_and_kind_are_reported_with_their_line(self, tmp_path):
        def edit(name, data):
            if name == "communes.csv":
                data[4]["population_2024"] = "lots"
                data[6]["kind"] = "village"

        folder = write_csv_dir(tmp_path, edit)
        with pytest.raises(sources.TerritoryDataError) as error:
            sources.from_csv_dir(folder)
        assert error.value.errors == [
            "communes.csv:6: population 'lots' is not a whole number",
            "communes.csv:8: unknown kind 'village'",
        ]

    def test_missing_file_and_not_utf8(self, tmp_path):
        folder = write_csv_dir(tmp_path, lambda name, data: None)
        (folder / "regions.csv").unlink()
        header = ",".join(sources._CSV_FILES["communes.csv"])
        (folder / "communes.csv").write_bytes(
            f"{header}\n03.531.01.01,F\xe8s,x,urban,1,2\n".encode("latin-1")
        )
        with pytest.raises(sources.TerritoryDataError) as error:
            sources.from_csv_dir(folder)
        assert any("regions.csv: file not found" in e for e in error.value.errors)
        assert any("communes.csv: cannot be read" in e for e in error.value.errors)

    def test_show_unknown_code(self):
        with pytest.raises(CommandError, match="Unknown territory code: 42.000"):
            call_command("territory", "show", "42.000")


@pytest.mark.django_db
class TestPartyUnit:
    def test_anchor_is_lowest_common_ancestor(self):
        unit = party_unit_create(
            code="fes-north",
            name_ar="فاس الشمالية",
            name_fr="Fès Nord",
            territory_codes=["03.231.01.11", "03.231.01.09"],
        )
        assert unit.anchor.code == "03.231.01.0"
        assert sorted(unit.territories.values_list("code", flat=True)) == [
            "03.231.01.09",
            "03.231.01.11",
        ]

    def test_unknown_code_creates_nothing(self):
        with pytest.raises(ValidationError) as error:
            party_unit_create(
                code="x", name_ar="س", name_fr="X", territory_codes=["03.231.01.11", "03.999"]
            )
        assert error.value.messages == ["Unknown territory code(s): 03.999"]
        assert not PartyUnit.objects.exists()
