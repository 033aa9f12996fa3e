"""The communiqué's life: generated from a held meeting, edited, published on the public news page."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from abwab.core.scope import CHANGE, can, can_add
from abwab.meetings.communique import compose_ar, compose_fr, new_slug
from abwab.meetings.models import Communique, CommuniqueStatus, Meeting, MeetingStatus


@transaction.atomic
def communique_generate(*, actor, meeting: Meeting, language: str = "ar") -> Communique:
    """Draft the communiqué of a held meeting from its record (Arabic, or French on request)."""
    if not can_add(actor, Communique, path=meeting.body.territory.path):
        raise ValidationError(_("You cannot write this body's communiqués."), code="forbidden")
    if meeting.status == MeetingStatus.DRAFT:
        raise ValidationError(
            _("A communiqué is written once the meeting has been held."), code="not_held"
        )
    title, text = (compose_fr if language == "fr" else compose_ar)(meeting)
    communique = Communique(
        meeting=meeting, language=language, title=title, text=text, slug=new_slug(meeting, language)
    )
    communique.full_clean()
    communique.save()
    return communique


@transaction.atomic
def communique_update(*, actor, communique: Communique, title: str, text: str) -> Communique:
    """Edit a draft before publication."""
    if not can(actor, CHANGE, communique):
        raise ValidationError(_("You cannot edit this communiqué."), code="forbidden")
    if communique.status == CommuniqueStatus.PUBLISHED:
        raise ValidationError(
            _("A published communiqué is not edited; publish a correction."), code="published"
        )
    if not title.strip() or not text.strip():
        raise ValidationError(_("A communiqué needs a title and a text."), code="empty")
    communique.title, communique.text = title.strip(), text.strip()
    communique.save(update_fields=["title", "text"])
    return communique


@transaction.atomic
def communique_publish(*, actor, communique: Communique) -> Communique:
    """Put the communiqué on the public news page and in the feed."""
    if not can(actor, CHANGE, communique):
        raise ValidationError(_("You cannot publish this communiqué."), code="forbidden")
    communique.status, communique.published_at, communique.published_by = (
        CommuniqueStatus.PUBLISHED,
        timezone.now(),
        actor,
    )
    communique.save(update_fields=["status", "published_at", "published_by"])
    return communique
