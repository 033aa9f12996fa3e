"""Find the duplicates of a people file: which rows of a CSV are the same person.

Pure Python (abwab.names for names, the CIN and phone rules of abwab.people.validation), no
database, one streaming read and one streaming write; a million rows take well under 1 GiB.

Input: a UTF-8 CSV with the columns ``id,first_name,last_name,birth_date,cin,phone,commune_code``
(others are ignored, order is free). Names may be in Arabic or Latin script, any field may be
blank, ``birth_date`` is ``YYYY-MM-DD``. An invalid CIN, phone or date counts as blank.

Output: ``id,cluster_id`` for every input row, in input order. ``cluster_id`` is the ``id`` of the
cluster's first row in the file, so a row alone is its own cluster and the output is stable.

How (one module per step: ``reading``, ``blocking``, ``scoring``, ``clustering``; this module
runs them in turn and writes the result):

1. **Features**, in one pass. Each row is kept as a handful of integers in ``array`` columns: the
   first and last name as ids into a vocabulary of distinct spellings, the birth date as a day
   number, the CIN and phone packed into 64-bit integers (CIN canonical as ``clean_cin`` has it;
   phone as E.164 digits, Moroccan numbers through a fast path whose validity is checked with
   ``clean_phone`` once per 5-digit prefix; one the validators refuse is read as typed by
   ``abwab.names.identifiers``: look-alike letters, a third prefix letter, a digit too many or
   too few), the commune as a vocabulary id. Each distinct spelling
   gets its phonetic key (``abwab.names.name_key``) once; how often each key occurs gives the
   term frequency that makes "Mohamed" weigh less than a rare name.
2. **Blocking**, one rule at a time (see ``RULES``): same CIN; same phone; same order-free name key
   and birth date; same order-free name key and commune; same first-name, last-name, or either
   name's key and birth date; the order-free name key and the first three CIN digits, the last
   three, or the digits sorted (one typing error leaves one of them intact; the letters are left
   out, so prefix errors meet too); the first name's or the last name's key alone and the first
   four CIN digits or the last four (a typo in the other name); same birth date and commune. Birth dates are compared with day and month in order, so a swap still meets. A rule's
   key is a 64-bit integer per row; a dict of first rows gives the blocks. A pair that an earlier
   rule already produced is skipped, so each pair is scored once. A block larger than
   ``max_block`` is not expanded into all its pairs: its rows are sorted by a second field and each
   is compared with the next ``window`` rows (sorted neighbourhood), or, for the name-and-commune
   rule, it is skipped (a common name in a big town proves nothing by itself), so a common name
   with a blank birth date cannot explode. ``jobs=2`` scores the rules in two forked processes.
3. **Scoring**, Fellegi-Sunter style: a sum of log2 likelihood-ratio weights (``Weights``).
   First and last names are weighed by their ``abwab.names.similarity`` level (same, >= 0.90,
   0.85, 0.80, 0.70, 0.60, less), each level's weight estimated on the file by EM over pairs
   blocked without names (``estimate.estimate_name_weights``); they are compared in both orders
   (swapped names); the same name weighs log2(m / key frequency), so a common name proves less,
   and a near spelling never weighs more than the same name would. Birth date: same, day and month swapped, different. CIN and phone: by typing
   distance (``abwab.names.identifiers.typing_distance``: same, one error, two, different), with
   weights estimated on the file itself by EM (``estimate``); a CIN one or two errors off under a
   given name clearly another is another card (relatives hold cards a digit apart). Commune:
   same (weighted by its share of the file), different. A pair is kept at or above ``threshold``, by default ``auto_threshold``, which is
   log2(rows) minus 1.5 and at least 14: the more rows, the more namesakes.
4. **Clustering**: the kept pairs are merged strongest first (array-based union-find), and two
   clusters are not merged when they already hold different birth dates or a CIN of one is more
   than one typing error from every CIN of the other (a cluster keeps each spelling of its card;
   two errors when the joining pair reaches the threshold without its CIN's weight), or when the
   merged cluster would exceed ``max_cluster`` rows; this stops
   one weak link from chaining namesakes together.

On the benchmark's synthetic files (bench/README.md) a million rows take about 20 s and 450 MiB.
"""

from __future__ import annotations

import csv
import gc
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from abwab.core.spreadsheets import spreadsheet_cell

from .blocking import RULES, Pairs, find_pairs
from .clustering import cluster
from .estimate import estimate_identifier_weights, estimate_name_weights
from .reading import (
    DEFAULT_MAX_CLUSTER,
    MIN_THRESHOLD,
    OUTPUT_COLUMNS,
    REQUIRED_COLUMNS,
    DedupeInputError,
    DedupeStats,
    EncodingError,
    MissingColumnsError,
    PhoneCleaner,
    Table,
    cin_code,
    cin_text,
    date_day,
    load_table,
    read_rows,
)
from .scoring import Weights, auto_threshold, make_scorer

__all__ = [
    "DEFAULT_MAX_CLUSTER",
    "MIN_THRESHOLD",
    "OUTPUT_COLUMNS",
    "REQUIRED_COLUMNS",
    "RULES",
    "DedupeInputError",
    "DedupeStats",
    "EncodingError",
    "MissingColumnsError",
    "Pairs",
    "PhoneCleaner",
    "Table",
    "Weights",
    "auto_threshold",
    "cin_code",
    "cin_text",
    "cluster",
    "date_day",
    "dedupe_file",
    "dedupe_rows",
    "find_pairs",
    "load_table",
    "make_scorer",
    "read_rows",
]


def dedupe_rows(
    rows: Iterable[Sequence[str]],
    *,
    threshold: float | None = None,
    progress: Callable[[str], None] | None = None,
    stats: DedupeStats | None = None,
    jobs: int = 1,
) -> tuple[Table, array]:
    """Cluster rows given in REQUIRED_COLUMNS order; return the table and, per row, the row
    number of its cluster's first row."""
    stats = stats if stats is not None else DedupeStats()
    with _gc_paused():
        return _dedupe_rows(rows, threshold, progress, stats, jobs)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection meanwhile: nothing here makes cycles, and each collection
    would walk millions of live objects."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _dedupe_rows(rows, threshold, progress, stats, jobs) -> tuple[Table, array]:
    clock = time.perf_counter()
    table = load_table(rows)
    stats.timings["read"] = time.perf_counter() - clock
    if progress:
        progress(f"read {len(table)} rows, {len(table.names) - 1} distinct names")
    clock = time.perf_counter()
    if threshold is None:
        threshold = auto_threshold(len(table))
    stats.threshold = threshold
    table.identifier_weights = estimate_identifier_weights(table)
    table.name_weights = estimate_name_weights(table)
    stats.timings["estimate"] = time.perf_counter() - clock
    clock = time.perf_counter()
    if progress:
        found = table.identifier_weights
        progress(
            f"CIN weights {found.cin}, phone weights {found.phone} "
            f"(EM on {found.sample} pairs, {found.match_share:.1%} matches)"
        )
        names = table.name_weights
        progress(
            f"first-name weights {names.first}, last-name weights {names.last} "
            f"(EM on {names.sample} pairs, {names.match_share:.1%} matches)"
        )
    pairs = find_pairs(table, threshold=threshold, progress=progress, jobs=jobs)
    stats.timings["pairs"] = time.perf_counter() - clock
    clock = time.perf_counter()
    clusters = cluster(table, pairs, threshold=threshold)
    stats.timings["cluster"] = time.perf_counter() - clock
    stats.rows = len(table)
    stats.candidate_pairs = pairs.compared
    stats.matched_pairs = len(pairs)
    stats.clusters = sum(1 for i, first in enumerate(clusters) if i == first)
    return table, clusters


def _first_undecodable_line(path: str | Path) -> int:
    """The number of the first line that is not UTF-8 (the text reader only knows its buffer)."""
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return 1


def dedupe_file(
    input_path: str | Path,
    output_path: str | Path,
    *,
    threshold: float | None = None,
    progress: Callable[[str], None] | None = None,
    jobs: int = 1,
) -> DedupeStats:
    """Read ``input_path``, write ``id,cluster_id`` for every row to ``output_path``."""
    started = time.perf_counter()
    stats = DedupeStats()
    try:
        with open(input_path, encoding="utf-8-sig", newline="") as handle:
            table, clusters = dedupe_rows(
                read_rows(handle), threshold=threshold, progress=progress, stats=stats, jobs=jobs
            )
    except (UnicodeDecodeError, EncodingError) as error:
        raise EncodingError(_first_undecodable_line(input_path)) from error
    clock = time.perf_counter()
    # The ids are the input file's: made inert once each, so no cell of the output runs as a formula.
    ids = [spreadsheet_cell(value) for value in table.ids]
    with open(output_path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(OUTPUT_COLUMNS)
        writer.writerows(zip(ids, map(ids.__getitem__, clusters), strict=True))
    stats.timings["write"] = time.perf_counter() - clock
    stats.seconds = time.perf_counter() - started
    if progress:
        progress(", ".join(f"{step} {seconds:.1f}s" for step, seconds in stats.timings.items()))
    return stats
