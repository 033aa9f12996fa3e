"""Positions in party bodies and mandates in elected institutions, dated."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from abwab.people.models.persons import Person
from abwab.territory.models import Body, Territory


class Function(models.TextChoices):
    """Functions in a party body, in rank order (lower rank is listed first)."""

    SECRETARY_GENERAL = "secretary_general", _("Secretary general")
    REGIONAL_SECRETARY = "regional_secretary", _("Regional secretary")
    PROVINCIAL_SECRETARY = "provincial_secretary", _("Provincial secretary")
    LOCAL_SECRETARY = "local_secretary", _("Local secretary")
    PRESIDENT = "president", _("President")
    VICE_PRESIDENT = "vice_president", _("Vice-president")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    TREASURER = "treasurer", _("Treasurer")
    GROUP_HEAD = "group_head", _("Head of the group")
    DIRECTOR = "director", _("Director")
    SPOKESPERSON = "spokesperson", _("Spokesperson")
    MEMBER = "member", _("Member")


FUNCTION_RANK = {function: rank for rank, function in enumerate(Function)}


class Position(models.Model):
    """A dated role of a person in a party body."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="positions")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="positions")
    function = models.CharField(_("function"), max_length=30, choices=Function.choices)
    rank = models.PositiveSmallIntegerField(_("rank"), editable=False)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["rank", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="position_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_function_display()} — {self.body}"

    @property
    def territory(self):
        """The body's node: where the position sits (for the audit log and the scope)."""
        return self.body.territory


class Institution(models.TextChoices):
    PARLIAMENT = "parliament", _("House of Representatives")
    COUNCILLORS = "councillors", _("House of Councillors")
    GOVERNMENT = "government", _("Government")
    REGIONAL_COUNCIL = "regional_council", _("Regional council")
    PROVINCIAL_COUNCIL = "provincial_council", _("Provincial council")
    COMMUNAL_COUNCIL = "communal_council", _("Communal council")


class MandateRole(models.TextChoices):
    PRESIDENT = "president", _("President")
    VICE_PRESIDENT = "vice_president", _("Vice-president")
    MINISTER = "minister", _("Minister")
    GROUP_HEAD = "group_head", _("Head of the party group")
    MEMBER = "member", _("Member")


class Mandate(models.Model):
    """A dated elected office (member of parliament, president of a communal council, ...)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="mandates")
    institution = models.CharField(_("institution"), max_length=30, choices=Institution.choices)
    role = models.CharField(_("role"), max_length=30, choices=MandateRole.choices)
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territory represented"),
        on_delete=models.PROTECT,
        related_name="mandates",
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="mandate_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.get_institution_display()}"
