"""The roles a user can hold, each granted on a territory node or a party unit."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("National administrator")
    REGIONAL_SECRETARY = "regional_secretary", _("Regional secretary")
    PROVINCIAL_SECRETARY = "provincial_secretary", _("Provincial secretary")
    LOCAL_SECRETARY = "local_secretary", _("Local secretary")
    VOLUNTEER = "volunteer", _("Office volunteer")
    MEDIA_OFFICER = "media_officer", _("Media officer")
    AUDITOR = "auditor", _("Auditor")


# Secretaries and the administrator are ordered: a higher level may do what a lower one may.
LEVEL = {
    Role.NATIONAL_ADMIN: 100,
    Role.REGIONAL_SECRETARY: 80,
    Role.PROVINCIAL_SECRETARY: 60,
    Role.LOCAL_SECRETARY: 40,
    Role.VOLUNTEER: 20,
    Role.MEDIA_OFFICER: 0,
    Role.AUDITOR: 0,
}

SECRETARIES = frozenset(
    {Role.NATIONAL_ADMIN, Role.REGIONAL_SECRETARY, Role.PROVINCIAL_SECRETARY, Role.LOCAL_SECRETARY}
)
ALL_ROLES = frozenset(Role)
# Roles that may read names and contact details of people in their subtree.
PERSONAL_DATA_READERS = SECRETARIES | {Role.AUDITOR}
