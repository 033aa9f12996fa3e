"""Member and sign-up counts kept per territory node, so that a dashboard sums a few thousand rows
instead of scanning every membership.

A row counts the members (memberships that have not ended) whose membership belongs to one node,
for one value of one breakdown the dashboard shows. Rows are never edited by hand: the services that
change members call `abwab.people.tallies` in their own transaction (never a signal), so the counts
are exact at every commit; `abwab recount_members` rebuilds them from the memberships and check-ins
(after a raw SQL load or a restore) and `--check` reports any difference.

The tables keep their first names (reports_*): they moved here from the reports app without moving
any data.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from abwab.territory.models import Territory
from abwab.territory.tallies import ROLLUP_HELP


class Breakdown(models.TextChoices):
    """Which figure a row counts by (internal: never shown, hence no translated labels)."""

    TOTAL = "total"
    GENDER = "gender"
    # The birth year, not an age band: bands are computed when read (this year minus the birth
    # year, as the dashboard always did), so they move on 1 January with nothing to recount.
    BIRTH_YEAR = "birth_year"
    EDUCATION = "education"
    SKILL = "skill"


class MemberTally(models.Model):
    """Members of one territory node having one value of one breakdown."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    rollup = models.BooleanField(default=False, help_text=ROLLUP_HELP)
    breakdown = models.CharField(max_length=12, choices=Breakdown.choices)
    # The gender or education code ("" when not recorded), the birth year, or the skill's id.
    value = models.CharField(max_length=20, blank=True)
    members = models.IntegerField(default=0)

    class Meta:
        db_table = "reports_membertally"
        verbose_name = _("member count")
        verbose_name_plural = _("member counts")
        constraints = [
            # Rollup first: a national or regional dashboard reads the ~5,000 province rows as
            # one index range, not a scan of the ~100,000 rows of every commune.
            models.UniqueConstraint(
                fields=["rollup", "territory", "breakdown", "value"], name="member_tally_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.territory_id} {self.breakdown}={self.value}: {self.members}"


class JoinTally(models.Model):
    """Members of one territory node who joined on one day (sign-ups per day, new members)."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    rollup = models.BooleanField(default=False, help_text=ROLLUP_HELP)
    joined_on = models.DateField()
    # What campaign targets count among new members: women, those under 35 on the day they
    # joined, and professionals (a skill, or a university degree or more).
    woman = models.BooleanField(default=False)
    young = models.BooleanField(default=False)
    professional = models.BooleanField(default=False)
    members = models.IntegerField(default=0)

    class Meta:
        db_table = "reports_jointally"
        verbose_name = _("sign-up count")
        verbose_name_plural = _("sign-up counts")
        constraints = [
            models.UniqueConstraint(
                fields=["rollup", "territory", "joined_on", "woman", "young", "professional"],
                name="join_tally_unique",
            )
        ]
        indexes = [models.Index(fields=["rollup", "joined_on"], name="join_tally_day")]

    def __str__(self) -> str:
        return f"{self.territory_id} {self.joined_on}: {self.members}"
