"""Benchmark the membership-card sheet (abwab.people.cards.cards_pdf).

    .venv/bin/python -m bench.cards                  # 400 and 4,000 cards
    .venv/bin/python -m bench.cards --sizes 400 --save var/bench/cards-400.pdf

Builds synthetic cards (Arabic and Latin names of varying length, card numbers, regions, a record
link for the QR code; no database), renders one card first to load WeasyPrint and the fonts (its
time is printed apart), then times `cards_pdf` for each size: seconds, cards per second, pages,
PDF size, and the time of the first progress report (what the job's page shows first), and the process's CPU
time, which moves less than the wall clock when others share the machine. ``uptime`` is printed
before and after.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import time
from pathlib import Path

FIRST = ["سعاد", "محمد", "فاطمة الزهراء", "عبد الرحمان", "خديجة", "يوسف", "نزهة", "إدريس"]
LAST = ["العلوي", "بنعلي", "الإدريسي الحسني", "التازي", "بنكيران", "الفاسي الفهري", "أمزيان"]
FIRST_LATIN = ["Souad", "Mohammed", "Fatima Zahra", "Abderrahmane", "Khadija", "Youssef", "Nezha"]
LAST_LATIN = ["El Alaoui", "Benali", "El Idrissi El Hassani", "Tazi", "Benkirane", "Amezian"]


def synthetic_cards(count: int):
    from abwab.people.cards import Card

    return [
        Card(
            name_ar=f"{FIRST[i % len(FIRST)]} {LAST[i % len(LAST)]}",
            name_latin=f"{FIRST_LATIN[i % len(FIRST_LATIN)]} {LAST_LATIN[i % len(LAST_LATIN)]}",
            number=f"{3 + i % 9:02d}-2026-{i:06d}",
            region_ar="جهة فاس - مكناس",
            region_fr="Fès-Meknès",
            link=f"https://abwab.example/people/{100000 + i}/",
        )
        for i in range(count)
    ]


def uptime() -> str:
    environment = {**os.environ, "TZ": "UTC"}  # Django set the process's zone to Casablanca
    return subprocess.run(
        ["uptime"], capture_output=True, text=True, env=environment
    ).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[400, 4000])
    parser.add_argument("--save", type=Path, help="write the last sheet there")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "abwab.settings")
    import django

    django.setup()
    from abwab.people.cards import cards_pdf

    print("uptime before:", uptime())
    started = time.perf_counter()
    cards_pdf(synthetic_cards(1))
    print(f"warm-up (WeasyPrint, fonts, one card): {time.perf_counter() - started:.2f} s")
    pdf = b""
    for size in args.sizes:
        cards = synthetic_cards(size)
        first: list[float] = []
        started, cpu = time.perf_counter(), time.process_time()
        pdf = cards_pdf(
            cards,
            progress=lambda done, total, t0=started, seen=first: (
                seen or seen.append(time.perf_counter() - t0)
            ),
        )
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"{size:>6} cards: {elapsed:6.2f} s, {size / elapsed:6.1f} cards/s "
            f"(CPU {cpu:.2f} s, {size / cpu:.1f} cards per CPU second), "
            f"{-(-size // 10)} pages, {len(pdf) / 1e6:.2f} MB, first progress after {first[0]:.2f} s"
        )
    print("uptime after: ", uptime())
    if args.save:
        args.save.parent.mkdir(parents=True, exist_ok=True)
        args.save.write_bytes(pdf)
        print("sheet written to", args.save)


if __name__ == "__main__":
    main()
