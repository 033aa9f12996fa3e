"""Weight and server time of the public open-doors pages (issue 19: each under 100 KB transferred).

    .venv/bin/python -m bench.public                      # SQLite under var/bench, 30 runs a page
    .venv/bin/python -m bench.public --database-url postgres://postgres@127.0.0.1:5432/abwab_bench_public

The other parts' public pages are measured too (pre-registration and concern forms, follow,
poster, share text, documents). Builds (or reuses with ``--reuse``) a database with the whole territory tree and a launched campaign
with one public office in every commune of the country (``--offices-per-commune``), positions for
four offices in five, some internal events and address-on-request offices, and published
communiqués of provincial bodies. Then, for each public page (index, a region, a province, a
commune, an office, a search in Latin and in Arabic script, near me, both .ics files, in Arabic and
in French), requests it ``--runs`` times through Django's test client and prints:

- bytes: the page and every stylesheet and script it links, raw and gzipped (what a phone on a
  weak connection receives; fonts aside, the system's are used);
- server time: median and p95 of the whole request through the middleware.

Exits with status 1 when any page is 100 KB or more (raw, the worst case of no compression).
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import random
import re
import statistics
import sys
import time
from decimal import Decimal

from bench.door_lookup import REPO, prepare_database, setup_django

OUT = REPO / "var" / "bench"
DEFAULT_URL = f"sqlite:///{OUT / 'public.sqlite3'}"
LIMIT = 100 * 1024
ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"')


def build(offices_per_commune: int, seed: int) -> None:
    """The tree, one campaign, offices and events, communiqués (idempotent with --reuse)."""
    from django.core.management import call_command
    from django.utils import timezone

    from abwab.campaigns.models import Campaign, CampaignStatus, Event
    from abwab.meetings.models import Communique, CommuniqueStatus, Meeting
    from abwab.territory.models import Body, BodyKind, Level, Office, Territory
    from abwab.territory.services import territory_load
    from abwab.territory.sources import NATION_CODE, from_package

    call_command("migrate", verbosity=0)
    if Campaign.objects.filter(status=CampaignStatus.LAUNCHED).exists():
        return
    territory_load(rows=from_package())
    rng = random.Random(seed)
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name_ar="الأبواب المفتوحة",
        name_fr="Portes ouvertes",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=30),
        memo_ar="مذكرة",
        territory=Territory.objects.get(code=NATION_CODE),
        status=CampaignStatus.LAUNCHED,
        launched_at=timezone.now(),
        public_intro_ar="يفتح الحزب مقراته للمواطنات والمواطنين لتقديم حصيلته وبرنامجه. " * 4,
        public_intro_fr="Le parti ouvre ses sièges aux citoyennes et citoyens. " * 4,
    )
    communes = list(Territory.objects.filter(level__gte=Level.COMMUNE, children__isnull=True))
    offices = []
    for commune in communes:
        for i in range(offices_per_commune):
            positioned = rng.random() < 0.8
            offices.append(
                Office(
                    territory=commune,
                    name_ar=f"مقر {commune.name_ar} {i + 1}",
                    name_fr=f"Siège de {commune.name_fr} {i + 1}",
                    address=f"{rng.randint(1, 200)}، شارع محمد الخامس، {commune.name_ar}",
                    phone=f"05{rng.randint(10_000_000, 39_999_999)}",
                    latitude=Decimal(f"{rng.uniform(28.0, 35.8):.5f}") if positioned else None,
                    longitude=Decimal(f"{rng.uniform(-11.0, -1.5):.5f}") if positioned else None,
                    accessible_entrance=rng.random() < 0.5,
                )
            )
    Office.objects.bulk_create(offices, batch_size=2000)
    events = []
    for office in Office.objects.all():
        start = today + datetime.timedelta(days=rng.randint(0, 20))
        events.append(
            Event(
                campaign=campaign,
                office=office,
                starts_on=start,
                ends_on=start + datetime.timedelta(days=rng.randint(0, 4)),
                opens_at=datetime.time(9),
                closes_at=datetime.time(18),
                public=rng.random() < 0.95,
                address_on_request=rng.random() < 0.05,
            )
        )
    Event.objects.bulk_create(events, batch_size=2000)
    for province in Territory.objects.filter(level=Level.PROVINCE):
        body = Body.objects.create(
            kind=BodyKind.PROVINCIAL_SECRETARIAT,
            territory=province,
            name_ar=f"الكتابة الإقليمية {province.name_ar}",
            name_fr=f"Secrétariat provincial {province.name_fr}",
        )
        meeting = Meeting.objects.create(body=body, starts_at=timezone.now())
        for n in range(3):
            Communique.objects.create(
                meeting=meeting,
                language="ar" if n % 2 == 0 else "fr",
                title=f"بلاغ {body.name_ar} رقم {n + 1}",
                text="…",
                slug=f"c-{province.code}-{n}".replace(".", "-"),
                status=CommuniqueStatus.PUBLISHED,
                published_at=timezone.now(),
            )


def pages() -> list[tuple[str, str]]:
    """(label, URL) of every public page, at its heaviest: the biggest region, province, commune."""
    from django.db.models import Count
    from django.urls import reverse

    from abwab.public import selectors
    from abwab.territory.paths import path_at_depth

    events = selectors.current_events()
    paths = list(events.values_list("office__territory__path", flat=True))

    def busiest(depth: int) -> str:
        counts: dict[str, int] = {}
        for path in paths:
            key = path_at_depth(path, depth)
            counts[key] = counts.get(key, 0) + 1
        return max(counts, key=counts.get).rstrip("/").split("/")[-1]

    event = events.annotate(n=Count("office__territory__offices")).order_by("-n", "pk").first()
    urls = [
        ("index", reverse("public:index")),
        ("region", reverse("public:region", args=[busiest(1)])),
        ("province", reverse("public:province", args=[busiest(2)])),
        ("commune", reverse("public:commune", args=[busiest(3)])),
        ("event", reverse("public:event", args=[event.pk])),
        ("search latin", reverse("public:search") + "?q=ait"),
        ("search arabic", reverse("public:search") + "?q=%D8%B3%D9%8A%D8%AF%D9%8A"),  # سيدي
        ("near me", reverse("public:near") + "?lat=34.03&lon=-5.00"),
        # The other parts' public pages (forms, posters, documents): the same budget.
        ("pre-registration", reverse("public:prereg", args=[event.pk])),
        ("concern", reverse("public:concern") + f"?commune={busiest(3)}"),
        ("follow", reverse("public:follow") + "?receipt=NOPE1234"),
        ("poster", reverse("public:poster", args=[event.pk])),
        ("share", reverse("public:share", args=[busiest(2)])),
        ("documents", reverse("public:documents")),
        ("event .ics", reverse("public:event_ics", args=[event.pk])),
        ("commune .ics", reverse("public:commune_ics", args=[busiest(3)])),
    ]
    return [
        (f"{label} [{lang}]", f"{url}{'&' if '?' in url else '?'}lang={lang}")
        for label, url in urls
        for lang in ("ar", "fr")
    ]


def asset_bytes(html: str) -> bytes:
    """The stylesheets and scripts a page links, read from the static folders."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    out = b""
    for url in ASSET.findall(html):
        if url.startswith(settings.STATIC_URL) or url.startswith("/" + settings.STATIC_URL):
            name = url.split(settings.STATIC_URL.strip("/") + "/", 1)[1]
            path = finders.find(name)
            if path:
                with open(path, "rb") as f:
                    out += f.read()
    return out


def measure(runs: int) -> list[dict]:
    from django.test import Client

    client = Client()
    rows = []
    for label, url in pages():
        times = []
        response = None
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(url, secure=True)
            times.append((time.perf_counter() - started) * 1000)
        assert response is not None and response.status_code == 200, (url, response)
        body = response.content
        assets = asset_bytes(body.decode()) if "html" in response["Content-Type"] else b""
        etag = client.get(url, secure=True, HTTP_IF_NONE_MATCH=response.get("ETag", "-"))
        times.sort()
        rows.append(
            {
                "page": label,
                "url": url,
                "raw": len(body) + len(assets),
                "gzip": len(gzip.compress(body)) + (len(gzip.compress(assets)) if assets else 0),
                "html": len(body),
                "p50": statistics.median(times),
                "p95": times[min(len(times) - 1, int(len(times) * 0.95))],
                # Forms are private (no ETag, never in a shared cache): "-" rather than a failure.
                "304": ("yes" if etag.status_code == 304 else "NO")
                if response.has_header("ETag")
                else "-",
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--reuse", action="store_true", help="keep the database of a former run")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--offices-per-commune", type=int, default=1)
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args(argv)

    OUT.mkdir(parents=True, exist_ok=True)
    prepare_database(args.database_url, args.reuse)
    setup_django(args.database_url)
    from django.conf import settings

    # The test client's host, and static files read from the source folders (no collectstatic).
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    started = time.perf_counter()
    build(args.offices_per_commune, args.seed)
    print(f"database ready in {time.perf_counter() - started:.1f} s ({args.database_url})")

    rows = measure(args.runs)
    print(
        f"{'page':<22} {'raw KB':>8} {'gzip KB':>8} {'html KB':>8} {'p50 ms':>8} {'p95 ms':>8}  304"
    )
    for row in rows:
        print(
            f"{row['page']:<22} {row['raw'] / 1024:8.1f} {row['gzip'] / 1024:8.1f} "
            f"{row['html'] / 1024:8.1f} {row['p50']:8.1f} {row['p95']:8.1f}  "
            f"{row['304']}"
        )
    heavy = [row for row in rows if row["raw"] >= LIMIT]
    for row in heavy:
        print(f"TOO HEAVY: {row['page']} {row['url']} is {row['raw']} bytes (limit {LIMIT})")
    return 1 if heavy else 0


if __name__ == "__main__":
    sys.exit(main())
