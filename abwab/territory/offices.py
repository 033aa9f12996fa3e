"""Writes to offices: a secretariat opens and describes the offices of its territory."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from abwab.core.errors import ErrorCode
from abwab.core.scope import can_add, require_change
from abwab.territory.models import Office, Territory

OFFICE_FIELDS = (
    "name_ar",
    "name_fr",
    "address",
    "phone",
    "hours",
    "latitude",
    "longitude",
    "accessible_entrance",
)


def _check_position(latitude: Decimal | None, longitude: Decimal | None) -> None:
    if (latitude is None) != (longitude is None):
        raise ValidationError(
            _("Give both the latitude and the longitude, or neither."), code=ErrorCode.HALF_POSITION
        )
    if latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValidationError(_("This is not a position on the map."), code=ErrorCode.BAD_POSITION)


@transaction.atomic
def office_open(*, actor, territory: Territory, **fields) -> Office:
    """Open an office at a node of the actor's territory, with its address, hours and position."""
    if not can_add(actor, Office, path=territory.path):
        raise ValidationError(_("You cannot open an office there."), code=ErrorCode.FORBIDDEN)
    _check_position(fields.get("latitude"), fields.get("longitude"))
    office = Office(territory=territory, **{k: v for k, v in fields.items() if k in OFFICE_FIELDS})
    office.full_clean()
    office.save()
    return office


@transaction.atomic
def office_update(*, actor, office: Office, **fields) -> Office:
    """Change an office's names, address, phone, hours, position or entrance."""
    require_change(actor, office, _("You cannot change this office."))
    merged = {name: fields.get(name, getattr(office, name)) for name in OFFICE_FIELDS}
    _check_position(merged["latitude"], merged["longitude"])
    for name, value in merged.items():
        setattr(office, name, value)
    office.full_clean()
    office.save()
    return office
