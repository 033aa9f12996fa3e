"""Reviewing the clusters found by the batch dedup job: merge them into one record, or dismiss them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from abwab.core.errors import ErrorCode
from abwab.people.merging import person_merge
from abwab.people.models import ClusterStatus, DuplicateCluster, Person


@transaction.atomic
def cluster_merge(*, actor, cluster: DuplicateCluster, survivor: Person) -> list:
    """Merge every other live record of the cluster into the chosen survivor."""
    cluster = DuplicateCluster.objects.select_for_update().get(pk=cluster.pk)
    if cluster.status != ClusterStatus.OPEN:
        raise ValidationError(_("This cluster was already reviewed."), code=ErrorCode.REVIEWED)
    members = list(cluster.people.live())
    if survivor.pk not in {p.pk for p in members}:
        raise ValidationError(
            _("Choose the record to keep among the cluster's records."), code=ErrorCode.BAD_SURVIVOR
        )
    merges = [
        person_merge(actor=actor, survivor=survivor, duplicate=p)
        for p in members
        if p.pk != survivor.pk
    ]
    cluster.status, cluster.resolved_by, cluster.resolved_at = (
        ClusterStatus.MERGED,
        actor,
        timezone.now(),
    )
    cluster.save(update_fields=["status", "resolved_by", "resolved_at"])
    return merges


@transaction.atomic
def cluster_dismiss(*, actor, cluster: DuplicateCluster) -> DuplicateCluster:
    """Record that the cluster's records are different people."""
    cluster = DuplicateCluster.objects.select_for_update().get(pk=cluster.pk)
    if cluster.status != ClusterStatus.OPEN:
        raise ValidationError(_("This cluster was already reviewed."), code=ErrorCode.REVIEWED)
    cluster.status, cluster.resolved_by, cluster.resolved_at = (
        ClusterStatus.DISMISSED,
        actor,
        timezone.now(),
    )
    cluster.save(update_fields=["status", "resolved_by", "resolved_at"])
    return cluster
