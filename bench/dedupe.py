"""Benchmark `abwab dedupe` against splink (DuckDB) on a synthetic people file with known truth.

    .venv/bin/python -m bench.dedupe --rows 100000 [--generator synthetic|typed]

Generates (or reuses) ``var/bench/dedupe-<rows>-<seed>.csv`` (``dedupe-typed-...`` with
``--generator typed``: bench/typed_people.py, written apart from the engine, which the engine's
weights were never tuned on) and its truth file, then runs each
tool in its own subprocess, timing it and measuring its peak memory (``os.wait4``'s ``ru_maxrss``,
or the sampled PSS of its process tree when larger), and scores the clusters pairwise against the
truth: precision, recall and F1 over same-person pairs, counted from
cluster sizes. splink runs twice: on the names as written (it cannot match Arabic to Latin) and on
names transliterated and normalised by abwab.names (``transliterate_arabic`` + ``normalize_latin``).
See bench/README.md.
"""

from __future__ import annotations

import argparse
import collections
import csv
import logging
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bench.desk_typing import retype
from bench.synthetic import generate

REPO = Path(__file__).resolve().parents[1]
DEFAULT_WORKDIR = REPO / "var" / "bench"


@dataclass
class Result:
    tool: str
    rows: int
    seconds: float
    peak_mib: float
    precision: float = float("nan")
    recall: float = float("nan")
    f1: float = float("nan")
    note: str = ""


# --- measuring ---------------------------------------------------------------------------------


def run_measured(command: list[str], timeout: float) -> tuple[int, float, float]:
    """Run a command; return (exit code, wall seconds, peak memory MiB).

    The peak is the larger of the process's own ``ru_maxrss`` (from ``os.wait4``) and the sum
    of the PSS of the process and its children, sampled every 250 ms (``abwab dedupe --jobs 2``
    forks a worker that shares the table copy-on-write; PSS splits shared pages between the
    processes, where adding up their RSS would count them twice).
    """
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO)
    timer = threading.Timer(timeout, process.kill)
    timer.start()
    sampled = [0]
    finished = threading.Event()

    def sample() -> None:
        while not finished.wait(0.25):
            sampled[0] = max(sampled[0], tree_pss_kib(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        _, status, usage = os.wait4(process.pid, 0)
    finally:
        timer.cancel()
        finished.set()
        sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    return process.returncode, seconds, max(usage.ru_maxrss, sampled[0]) / 1024  # KiB on Linux


def tree_pss_kib(pid: int) -> int:
    """PSS of a process and all its descendants, in KiB (0 once it is gone)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(child) for child in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return total


def pair_metrics(clusters_path: Path, truth_path: Path) -> tuple[float, float, float, int]:
    """Pairwise precision, recall, F1 (and the number of rows) of clusters against the truth."""
    truth: dict[str, str] = {}
    with open(truth_path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = [column.strip().lower() for column in next(reader)]
        # id and person_id, or the first two columns of a generator that names them otherwise
        record = header.index("id") if "id" in header else 0
        person = header.index("person_id") if "person_id" in header else 1 - record
        for row in reader:
            truth[row[record]] = row[person]
    predicted: collections.Counter = collections.Counter()
    both: collections.Counter = collections.Counter()
    seen = set()
    with open(clusters_path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            record, cluster_id = row["id"], row["cluster_id"]
            seen.add(record)
            predicted[cluster_id] += 1
            both[(cluster_id, truth[record])] += 1
    # A row the tool left out counts as a singleton.
    for record in truth.keys() - seen:
        predicted[("missing", record)] += 1
        both[(("missing", record), truth[record])] += 1
    actual = collections.Counter(truth.values())

    def pairs(counter: collections.Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counter.values())

    true_positive, predicted_pairs, true_pairs = pairs(both), pairs(predicted), pairs(actual)
    precision = true_positive / predicted_pairs if predicted_pairs else 0.0
    recall = true_positive / true_pairs if true_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, len(truth)


def abwab_command() -> list[str]:
    script = Path(sys.executable).with_name("abwab")
    return [str(script)] if script.exists() else [sys.executable, "-m", "abwab.cli"]


# --- splink ------------------------------------------------------------------------------------

_ARABIC = re.compile("[\u0600-\u06ff]")


def _splink_rows(input_path: Path, transliterate: bool):
    """The input, lightly cleaned the way a splink user would, as column lists."""
    from abwab.names import normalize_latin, transliterate_arabic
    from abwab.people.dedupe_file import read_rows

    def name(value: str) -> str | None:
        value = " ".join(value.split())
        if not value:
            return None
        if transliterate:
            value = normalize_latin(transliterate_arabic(value) if _ARABIC.search(value) else value)
        return value.lower() or None

    columns: dict[str, list] = {
        key: []
        for key in ("id", "first_name", "last_name", "full_name", "birth_date", "cin", "phone")
    }
    columns["commune_code"] = []
    with open(input_path, encoding="utf-8", newline="") as handle:
        for record, first, last, birth, cin, phone, commune in read_rows(handle):
            first_name, last_name = name(first), name(last)
            columns["id"].append(record)
            columns["first_name"].append(first_name)
            columns["last_name"].append(last_name)
            full = " ".join(part for part in (first_name, last_name) if part)
            columns["full_name"].append(full or None)
            columns["birth_date"].append(birth.strip() or None)
            cin = re.sub(r"[\s\-]", "", cin).upper()
            columns["cin"].append(cin or None)
            digits = re.sub(r"\D", "", phone)
            columns["phone"].append(digits[-9:] if len(digits) >= 9 else None)
            columns["commune_code"].append(commune.strip() or None)
    return columns


def splink_worker(input_path: Path, output_path: Path, transliterate: bool, threshold: float):
    """Train a splink model on the file, predict, cluster, write id,cluster_id."""
    import duckdb
    import pyarrow
    import splink
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on

    try:
        from splink import DuckDBAPI
    except ImportError:
        from splink.backends.duckdb import DuckDBAPI

    logging.getLogger("splink").setLevel(logging.WARNING)
    major = int(splink.__version__.split(".")[0])
    con = duckdb.connect()
    arrow = pyarrow.table(_splink_rows(input_path, transliterate))
    con.register("people_arrow", arrow)
    con.execute("CREATE TABLE people AS SELECT * FROM people_arrow")
    con.unregister("people_arrow")
    del arrow

    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="id",
        comparisons=[
            cl.ForenameSurnameComparison(
                "first_name", "last_name", forename_surname_concat_col_name="full_name"
            ),
            cl.DateOfBirthComparison("birth_date", input_is_string=True),
            cl.LevenshteinAtThresholds("cin", 1),
            cl.ExactMatch("phone"),
            cl.ExactMatch("commune_code").configure(term_frequency_adjustments=True),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("cin"),
            block_on("phone"),
            block_on("first_name", "last_name", "birth_date"),
            block_on("first_name", "last_name", "commune_code"),
            "l.first_name = r.last_name and l.last_name = r.first_name",
            block_on("last_name", "birth_date"),
            block_on("first_name", "birth_date"),
            block_on("birth_date", "commune_code"),
            "l.last_name = r.last_name and substr(l.cin, 1, 5) = substr(r.cin, 1, 5)",
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    db_api = DuckDBAPI(connection=con)
    if major >= 5:
        linker = Linker(db_api.register("people"), settings, log_level=logging.WARNING)
    else:
        linker = Linker("people", settings, db_api)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("cin"), block_on("first_name", "last_name", "birth_date")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("phone"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("birth_date", "commune_code")
    )
    predictions = linker.inference.predict(threshold_match_probability=min(threshold, 0.5))
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    target = str(output_path).replace("'", "''")
    con.execute(
        f"COPY (SELECT id, cluster_id FROM {clusters.physical_name}) TO '{target}' (HEADER)"  # noqa: S608 - our own table and path
    )


# --- the benchmark -----------------------------------------------------------------------------


def run_abwab(input_path: Path, truth: Path, out: Path, rows: int, args) -> Result:
    command = [*abwab_command(), "dedupe", str(input_path), "-o", str(out)]
    if args.threshold is not None:
        command += ["--threshold", str(args.threshold)]
    label = "abwab dedupe"
    if args.jobs is not None:
        command += ["--jobs", str(args.jobs)]
        label += f" --jobs {args.jobs}"
    code, seconds, peak = run_measured(command, args.timeout)
    result = Result(label, rows, seconds, peak)
    if code == 0:
        result.precision, result.recall, result.f1, _ = pair_metrics(out, truth)
    else:
        result.note = f"exit {code}"
    return result


def run_splink(input_path: Path, truth: Path, out: Path, rows: int, args, transliterate: bool):
    command = [
        sys.executable,
        "-m",
        "bench.dedupe",
        "--splink-worker",
        str(input_path),
        str(out),
        "--splink-threshold",
        str(args.splink_threshold),
    ]
    if transliterate:
        command.append("--transliterate")
    code, seconds, peak = run_measured(command, args.timeout)
    label = "splink (names transliterated)" if transliterate else "splink (names as written)"
    result = Result(label, rows, seconds, peak)
    if code == 0:
        result.precision, result.recall, result.f1, _ = pair_metrics(out, truth)
    else:
        result.note = "killed after timeout" if code < 0 else f"exit {code}"
    return result


def splink_version() -> str:
    try:
        from importlib.metadata import version

        return f"splink {version('splink')}, duckdb {version('duckdb')}"
    except Exception:  # noqa: BLE001 - only for the table's caption
        return "splink not installed (pip install -r bench/requirements.txt)"


def print_table(results: list[Result]) -> None:
    header = f"| {'tool':<30} | {'rows':>9} | {'precision':>9} | {'recall':>7} | {'F1':>7} | {'seconds':>8} | {'rows/s':>8} | {'peak MiB':>12} |"
    print(header)
    print("|" + "|".join("-" * (len(cell)) for cell in header.split("|")[1:-1]) + "|")
    for r in results:
        rate = r.rows / r.seconds if r.seconds else 0
        line = (
            f"| {r.tool:<30} | {r.rows:>9,} | {r.precision:>9.4f} | {r.recall:>7.4f} | {r.f1:>7.4f} "
            f"| {r.seconds:>8.1f} | {rate:>8,.0f} | {r.peak_mib:>12,.0f} |"
        )
        print(line + (f" {r.note}" if r.note else ""))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.dedupe", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the synthetic file")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--generator",
        choices=("synthetic", "desk", "typed"),
        default="synthetic",
        help="bench/synthetic.py (ours), the same typed again at a desk (bench/desk_typing.py) "
        "or bench/typed_people.py (written apart, never tuned on)",
    )
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument("--threshold", type=float, help="abwab dedupe --threshold")
    parser.add_argument("--jobs", type=int, help="abwab dedupe --jobs (default: its own)")
    parser.add_argument(
        "--splink-threshold", type=float, default=0.9, help="splink cluster match probability"
    )
    parser.add_argument("--no-splink", action="store_true", help="run abwab dedupe only")
    parser.add_argument(
        "--no-transliterated", action="store_true", help="skip splink on transliterated names"
    )
    parser.add_argument(
        "--timeout", type=float, default=3600, help="seconds before a tool is killed"
    )
    parser.add_argument("--regenerate", action="store_true", help="rewrite the synthetic file")
    parser.add_argument(
        "--splink-worker", nargs=2, metavar=("INPUT", "OUTPUT"), help=argparse.SUPPRESS
    )
    parser.add_argument("--transliterate", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.splink_worker:
        sys.path.insert(0, str(REPO))
        splink_worker(
            Path(args.splink_worker[0]),
            Path(args.splink_worker[1]),
            args.transliterate,
            args.splink_threshold,
        )
        return

    workdir = args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    typed = args.generator == "typed"
    prefix = "" if args.generator == "synthetic" else f"{args.generator}-"
    stem = f"dedupe-{prefix}{args.rows}-{args.seed}"
    input_path, truth = workdir / f"{stem}.csv", workdir / f"{stem}.truth.csv"
    if args.regenerate or not (input_path.exists() and truth.exists()):
        started = time.perf_counter()
        if typed:
            subprocess.run(  # noqa: S603 - our own script
                [
                    sys.executable,
                    "-m",
                    "bench.typed_people",
                    "--rows",
                    str(args.rows),
                    "--seed",
                    str(args.seed),
                    "--out",
                    str(input_path),
                    "--truth",
                    str(truth),
                ],
                cwd=REPO,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            print(f"generated {input_path} with bench.typed_people", flush=True)
        elif args.generator == "desk":
            source = workdir / f"dedupe-{args.rows}-{args.seed}.csv"
            source_truth = workdir / f"dedupe-{args.rows}-{args.seed}.truth.csv"
            if args.regenerate or not (source.exists() and source_truth.exists()):
                generate(args.rows, source, source_truth, seed=args.seed)
            counts = retype(source, source_truth, input_path, seed=args.seed)
            shutil.copyfile(source_truth, truth)
            print(f"generated {input_path} with bench.desk_typing: {counts}", flush=True)
        else:
            counts = generate(args.rows, input_path, truth, seed=args.seed)
            print(
                f"generated {counts['rows']:,} rows of {counts['persons']:,} persons "
                f"in {time.perf_counter() - started:.1f}s: {input_path}",
                flush=True,
            )
    results = [run_abwab(input_path, truth, workdir / f"{stem}.abwab.csv", args.rows, args)]
    print_table(results)
    if not args.no_splink:
        results.append(
            run_splink(input_path, truth, workdir / f"{stem}.splink.csv", args.rows, args, False)
        )
        print_table(results[-1:])
        if not args.no_transliterated:
            results.append(
                run_splink(
                    input_path,
                    truth,
                    workdir / f"{stem}.splink-translit.csv",
                    args.rows,
                    args,
                    True,
                )
            )
    print()
    print(f"generator: {args.generator}, seed {args.seed}; load average {os.getloadavg()[0]:.1f}")
    print(f"{splink_version()}; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    print_table(results)


if __name__ == "__main__":
    main()
