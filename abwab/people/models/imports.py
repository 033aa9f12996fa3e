"""Member lists brought in from files, line by line."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from abwab.territory.models import Territory


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    CHECKED = "checked", _("Checked")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    ROLLED_BACK = "rolled_back", _("Rolled back")


class ImportBatch(models.Model):
    """A member list brought into Abwab: its file, how its columns map, and where it stands."""

    territory = models.ForeignKey(
        Territory, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(upload_to="imports/%Y/%m/")
    name = models.CharField(max_length=200)
    columns = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)
    status = models.CharField(
        max_length=20, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Lines that are not imported have an ImportRow (invalid or already known); the others are
    # counted here. Lines are imported in file order, each chunk committed with `imported_through`
    # (its last line), so an interrupted import resumes after it and never imports a line twice.
    lines = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    imported_through = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class RowStatus(models.TextChoices):
    PENDING = "pending", _("To import")
    INVALID = "invalid", _("Invalid")
    DUPLICATE = "duplicate", _("Already known")
    IMPORTED = "imported", _("Imported")


class ImportRow(models.Model):
    """A line of an imported file that is not imported (invalid, or already known), with its error."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField()
    data = models.JSONField()
    status = models.CharField(max_length=20, choices=RowStatus.choices, default=RowStatus.PENDING)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["line"]
        constraints = [models.UniqueConstraint(fields=["batch", "line"], name="import_row_once")]
        indexes = [models.Index(fields=["batch", "status", "line"], name="import_row_status_line")]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.line}"
