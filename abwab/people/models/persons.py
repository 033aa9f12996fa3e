"""Persons: anyone we know of, with names in either script and the keys that find them again."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from abwab.territory.models import Office, Territory


class Gender(models.TextChoices):
    FEMALE = "F", _("Woman")
    MALE = "M", _("Man")


class Education(models.TextChoices):
    NONE = "none", _("No schooling")
    PRIMARY = "primary", _("Primary")
    SECONDARY = "secondary", _("Secondary")
    BACCALAUREATE = "bac", _("Baccalaureate")
    UNIVERSITY = "university", _("University degree")
    POSTGRADUATE = "postgraduate", _("Master's or doctorate")
    VOCATIONAL = "vocational", _("Vocational training")


class Skill(models.Model):
    """A competency the party wants to attract (engineer, doctor, lawyer, teacher...)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_ar = models.CharField(_("Arabic name"), max_length=100)
    name_fr = models.CharField(_("French name"), max_length=100)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["code"]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return self.name_fr if get_language() == "fr" else self.name_ar


class PersonQuerySet(models.QuerySet):
    def live(self) -> "PersonQuerySet":
        """Persons shown in lists and lookups: not anonymised, not merged into another record."""
        return self.filter(anonymised_at__isnull=True, merged_into__isnull=True)


class Person(models.Model):
    """Anyone we know of: member, visitor, official. Either script of the name may be missing."""

    first_name_ar = models.CharField(_("first name (Arabic)"), max_length=100, blank=True)
    last_name_ar = models.CharField(_("last name (Arabic)"), max_length=100, blank=True)
    first_name_latin = models.CharField(_("first name (Latin)"), max_length=100, blank=True)
    last_name_latin = models.CharField(_("last name (Latin)"), max_length=100, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    cin = models.CharField(
        _("national ID number (CIN)"), max_length=10, null=True, blank=True, unique=True
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    email = models.EmailField(_("email"), blank=True)
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("commune of residence"),
        on_delete=models.PROTECT,
        related_name="residents",
    )
    # The office whose door desk registered the person; a volunteer sees only these.
    office = models.ForeignKey(
        Office,
        verbose_name=_("registered at"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    education = models.CharField(
        _("education level"), max_length=20, choices=Education.choices, blank=True
    )
    profession = models.CharField(_("profession"), max_length=120, blank=True)
    skills = models.ManyToManyField(
        Skill, verbose_name=_("skills"), blank=True, related_name="people"
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    # Blocking keys for duplicate lookup, derived from the names by abwab.names (kept in the row so
    # the lookup is an index probe, not a scan).
    key_first = models.CharField(max_length=60, blank=True, editable=False)
    key_last = models.CharField(max_length=60, blank=True, editable=False)
    key_full = models.CharField(max_length=120, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
        editable=False,
    )
    # The member list this person was imported from (what an import's rollback removes).
    import_batch = models.ForeignKey(
        "people.ImportBatch",
        verbose_name=_("imported from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="persons",
        editable=False,
        db_index=False,
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [
            models.Index(fields=["key_full", "birth_date"], name="person_key_birth"),
            models.Index(fields=["key_last", "key_first"], name="person_key_names"),
            models.Index(fields=["key_full", "territory"], name="person_key_commune"),
            models.Index(fields=["key_last", "birth_date"], name="person_lastkey_birth"),
            models.Index(
                fields=["import_batch"],
                condition=Q(import_batch__isnull=False),
                name="person_import_batch",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(
                    first_name_ar="", last_name_ar="", first_name_latin="", last_name_latin=""
                )
                | Q(anonymised_at__isnull=False),
                name="person_has_a_name",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def name_ar(self) -> str:
        return f"{self.first_name_ar} {self.last_name_ar}".strip()

    @property
    def name_latin(self) -> str:
        return f"{self.first_name_latin} {self.last_name_latin}".strip()

    @property
    def display_name(self) -> str:
        return self.name_ar or self.name_latin or "—"

    @cached_property
    def membership(self):
        """The membership that has not ended, else the latest one (uses prefetched rows when there)."""
        rows = sorted(
            self.memberships.all(),
            key=lambda m: (m.status != "ended", m.joined_on, m.pk),  # the open one sorts last
        )
        return rows[-1] if rows else None
