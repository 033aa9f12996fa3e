"""What the public forms tell citizens before they send their name and phone (law 09-08 on the
protection of personal data): who processes the data, for what, how long it is kept, the rights of
access, rectification and opposition and where to write to use them, and the number of the
declaration to the CNDP. The version is stored with each consent, so a changed text is a new
version."""

from django.conf import settings
from django.utils.translation import gettext as _

CONSENT_VERSION = "public-2026-11"


def controller() -> str:
    """Who processes the data: the party by its name, when the settings give it."""
    from django.utils.translation import get_language

    if (get_language() or "ar").startswith("ar"):
        name = settings.PARTY_NAME_AR
    else:
        name = settings.PARTY_NAME_FR
    return name or _("the party")


def cndp_reference() -> str:
    """The CNDP declaration number, or a visible placeholder until the settings give it."""
    return settings.ABWAB_CNDP_REFERENCE or _("[CNDP declaration number to be completed]")


def privacy_address() -> str:
    """Where citizens write to use their rights, or a visible placeholder."""
    return settings.ABWAB_PRIVACY_ADDRESS or _("[address for privacy requests to be completed]")


def _common() -> dict:
    return {
        "controller": controller(),
        "days": settings.VISITOR_RETENTION_DAYS,
        "address": privacy_address(),
        "reference": cndp_reference(),
    }


def preregistration_text() -> str:
    """The notice beside the consent box of a pre-registration."""
    return (
        _(
            "Your name and phone are processed by %(controller)s only to prepare your visit to "
            "the office and, if you ask, to contact you about joining. They are not shared with "
            "anyone else. If you do not join, they are kept no longer than %(days)s days after "
            "your visit. Under law 09-08 you have the right to access, rectify and oppose the "
            "processing of your data: write to %(address)s. Declaration to the CNDP: "
            "%(reference)s."
        )
        % _common()
    )


def concern_text() -> str:
    """The notice beside the consent box of a concern whose author wants an answer."""
    return (
        _(
            "Your name and phone are processed by %(controller)s only to answer this concern; "
            "the concern itself is carried to the elected members without them. They are not "
            "shared with anyone else and are kept only as long as answering it needs. Under law 09-08 you have the right to access, "
            "rectify and oppose the processing of your data: write to %(address)s. Declaration "
            "to the CNDP: %(reference)s."
        )
        % _common()
    )
