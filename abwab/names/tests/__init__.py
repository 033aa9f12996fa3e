"""Tests of abwab.names, and access to the reference name lists beside the checkout."""

import csv
from pathlib import Path

import pytest

# shared/ is always a sibling of the repository checkout, wherever that is cloned.
DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"


def read_names(filename: str) -> list[dict[str, str]]:
    """Read one reference CSV, or skip the test when the shared data is not there."""
    path = DATA / filename
    if not path.is_file():
        pytest.skip(
            f"reference name list not found at {path.resolve()} (shared/data beside the repo)"
        )
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def variants(row: dict[str, str]) -> list[str]:
    """Return the Latin spellings of a reference row."""
    return [variant for variant in row["latin_variants"].split("|") if variant]
