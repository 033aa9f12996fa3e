"""Users and the roles they hold, each scoped to a territory node, a party unit or an office."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from abwab.accounts.usernames import normalise_username
from abwab.core.roles import Role


class AccountManager(UserManager):
    def get_by_natural_key(self, username):
        """The account a typed name designates, whatever its case or width (the login's lookup)."""
        return self.get(**{self.model.USERNAME_FIELD: normalise_username(username or "")})


class User(AbstractUser):
    """A person who logs in. What they may see comes only from their role assignments."""

    objects = AccountManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        """How pages name the user: their full name, the username only when no name is known."""
        return self.get_full_name() or self.get_username()

    @classmethod
    def normalize_username(cls, username):
        """Called by `create_user` and by `clean()` (so by the admin's forms): one key per name."""
        return normalise_username(username) if isinstance(username, str) else username


class RoleAssignmentQuerySet(models.QuerySet):
    def current(self, at=None) -> "RoleAssignmentQuerySet":
        """Assignments in force on the given day (today by default)."""
        day = at or timezone.localdate()
        return self.filter(Q(starts_on__lte=day), Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class RoleAssignment(models.Model):
    """A role a user holds over a territory node (and what is below it) or over a party unit."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    territory = models.ForeignKey(
        "territory.Territory",
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    party_unit = models.ForeignKey(
        "territory.PartyUnit",
        verbose_name=_("party unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A volunteer works at one office's door desk.
    office = models.ForeignKey(
        "territory.Office",
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    granted_by = models.ForeignKey(
        User,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(territory__isnull=False, party_unit__isnull=True)
                    | Q(territory__isnull=True, party_unit__isnull=False)
                ),
                name="role_on_territory_xor_unit",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.VOLUNTEER) | Q(office__isnull=False),
                name="role_volunteer_has_office",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="role_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.territory or self.party_unit}"


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None, today=None) -> "ApiTokenQuerySet":
        """Tokens that may act: not revoked or expired, of an active user, and, when the user's
        roles need a second factor, only once their authenticator is confirmed (a token made
        before that, or before 2FA was turned on, waits for it). `now` and `today` default to the
        clock's (a query compiled once passes them: abwab.accounts.tokens)."""
        from abwab.accounts.twofactor import REQUIRES_2FA

        now = now or timezone.now()
        tokens = self.filter(revoked_at__isnull=True, user__is_active=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )
        if not settings.REQUIRE_2FA:
            return tokens
        # The same rule as twofactor.requires_second_factor, in the query: no extra round trip.
        needs = RoleAssignment.objects.current(today).filter(
            user=models.OuterRef("user"), role__in=REQUIRES_2FA
        )
        has = TotpDevice.objects.filter(user=models.OuterRef("user"), confirmed_at__isnull=False)
        return tokens.exclude(models.Exists(needs) & ~models.Exists(has))


class ApiToken(models.Model):
    """A token an app uses to call the API as a user; only a hash of its secret is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # What the token is limited to, inside its user's scope (none of them: the user's whole scope):
    # a territory, an office, or one event (a door device).
    territory = models.ForeignKey(
        "territory.Territory",
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    office = models.ForeignKey(
        "territory.Office",
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    event = models.ForeignKey(
        "campaigns.Event",
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(territory__isnull=True, office__isnull=True)
                    | Q(territory__isnull=True, event__isnull=True)
                    | Q(office__isnull=True, event__isnull=True)
                ),
                name="api_token_one_limit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class IdempotencyRecord(models.Model):
    """The first answer to a write sent with an Idempotency-Key, replayed when the key comes again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_per_user")
        ]

    def __str__(self) -> str:
        return self.key


class AttemptKind(models.TextChoices):
    LOGIN = "login", _("login")
    CODE = "code", _("authenticator code")
    RECHECK = "recheck", _("password re-check")


class LoginAttempt(models.Model):
    """A try at a password or a code, kept a short while so that repeated failures can be slowed
    down; all kinds count together, so a code guesser cannot fall back on the login's tries."""

    username = models.CharField(max_length=150, db_index=True)  # normalised
    kind = models.CharField(max_length=10, choices=AttemptKind.choices, default=AttemptKind.LOGIN)
    address = models.GenericIPAddressField(db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    succeeded = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.username}@{self.address}"


class TotpDevice(models.Model):
    """A user's authenticator app (TOTP, RFC 6238); confirmed once a first code was entered."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp")
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_counter = models.BigIntegerField(default=0)  # a code is accepted once only

    def __str__(self) -> str:
        return f"TOTP {self.user}"
