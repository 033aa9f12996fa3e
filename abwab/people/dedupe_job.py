"""The batch dedup job: find clusters of probable duplicates among a territory's records.

It reads the territory's records once (only the fields matching needs), groups them by the same
blocking keys as the door lookup (CIN, phone, name key with birth date or commune, last-name key
with birth date, and a CIN or phone one typing error away: abwab.names.identifiers, met through
their deletion neighbourhoods), scores the pairs inside each block with abwab.names.similarity,
joins probable pairs with a union-find, and replaces the territory's open clusters with what it
found.
"""

from collections import defaultdict
from itertools import combinations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from abwab.core.jobs import job_handler, job_progress
from abwab.core.models import Job
from abwab.names import similarity
from abwab.names.identifiers import deletion_neighbourhood, read_cin, read_phone, typing_distance
from abwab.people.duplicates import probable
from abwab.people.keys import full_names
from abwab.people.models import ClusterStatus, DuplicateCluster, Person

MAX_BLOCK = 40  # a bigger block is a common name with nothing else shared: no evidence


class UnionFind:
    def __init__(self):
        self.parent: dict[int, int] = {}

    def find(self, item: int) -> int:
        root = self.parent.setdefault(item, item)
        while root != self.parent[root]:
            root = self.parent[root]
        while item != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def _names(row) -> list[str]:
    return full_names(
        row["first_name_ar"], row["last_name_ar"], row["first_name_latin"], row["last_name_latin"]
    )


def _blocks(rows: list[dict]):
    keyed = {
        "cin": lambda r: r["cin"],
        "phone": lambda r: r["phone"],
        "name_birth": lambda r: (
            r["key_full"] and r["birth_date"] and (r["key_full"], r["birth_date"])
        ),
        "name_commune": lambda r: r["key_full"] and (r["key_full"], r["territory_id"]),
        "close_name": lambda r: (
            r["key_last"] and r["birth_date"] and (r["key_last"], r["birth_date"])
        ),
    }
    for reason, key_of in keyed.items():
        groups: dict = defaultdict(list)
        for row in rows:
            if key := key_of(row):
                groups[key].append(row)
        for members in groups.values():
            if 1 < len(members) <= MAX_BLOCK:
                yield reason, members
    # One typing error apart: two readings one error apart share a deletion key.
    for reason, field, read in (("cin_near", "cin", read_cin), ("phone_near", "phone", read_phone)):
        groups = defaultdict(list)
        for row in rows:
            if row[field]:
                for key in deletion_neighbourhood(read(row[field])):
                    groups[key].append(row)
        for members in groups.values():
            if 1 < len(members) <= MAX_BLOCK:
                yield reason, members


def _near(reason: str, a: dict, b: dict) -> bool:
    """Whether a pair found by a near block is really one typing error apart."""
    field, read = ("cin", read_cin) if reason == "cin_near" else ("phone", read_phone)
    return typing_distance(read(a[field]), read(b[field])) == 1


def find_clusters(rows: list[dict], progress=None) -> list[tuple[list[int], float]]:
    """Clusters (person ids, best pair score) of probable duplicates among the rows."""
    reasons: dict[tuple[int, int], set[str]] = defaultdict(set)
    for reason, members in _blocks(rows):
        for a, b in combinations(members, 2):
            if reason.endswith("_near") and not _near(reason, a, b):
                continue
            reasons[(min(a["pk"], b["pk"]), max(a["pk"], b["pk"]))].add(reason)
    by_pk = {row["pk"]: row for row in rows}
    links = UnionFind()
    best: dict[int, float] = defaultdict(float)
    for done, ((a, b), found) in enumerate(reasons.items(), start=1):
        score = max(
            (similarity(x, y) for x in _names(by_pk[a]) for y in _names(by_pk[b])), default=0.0
        )
        if probable(found, score):
            links.union(a, b)
            best[a] = best[b] = max(best[a], best[b], score)
        if progress and done % 2000 == 0:
            progress(done, len(reasons))
    clusters: dict[int, list[int]] = defaultdict(list)
    for pk in list(links.parent):
        clusters[links.find(pk)].append(pk)
    return [(sorted(pks), max(best[pk] for pk in pks)) for pks in clusters.values() if len(pks) > 1]


@job_handler("people.dedupe")
def dedupe_territory(job: Job) -> dict:
    """Replace the open clusters of the job's territory with freshly found ones."""
    fields = (
        "pk",
        "first_name_ar",
        "last_name_ar",
        "first_name_latin",
        "last_name_latin",
        "cin",
        "phone",
        "birth_date",
        "territory_id",
        "key_full",
        "key_last",
    )
    rows = list(
        Person.objects.live().filter(territory__path__startswith=job.territory.path).values(*fields)
    )
    job_progress(
        job, done=0, total=len(rows), message=_("%(count)d records read") % {"count": len(rows)}
    )
    clusters = find_clusters(
        rows,
        progress=lambda done, total: job_progress(
            job, done=done, total=total, message=_("Comparing pairs")
        ),
    )
    with transaction.atomic():
        DuplicateCluster.objects.filter(territory=job.territory, status=ClusterStatus.OPEN).exclude(
            job=None
        ).delete()  # the door's review items are not the batch's to replace
        for pks, score in clusters:
            cluster = DuplicateCluster.objects.create(
                territory=job.territory, job=job, score=round(score, 3)
            )
            cluster.people.add(*pks)
    return {
        "records": len(rows),
        "clusters": len(clusters),
        "link": reverse("people:clusters"),
        "link_label": _("Review the duplicates"),
    }
