"""The communiqué's life: drafted from a held meeting, sent to the media office, edited there,
approved or sent back with a comment, published on the public news page (and recorded wherever
else it went). Views and the API audit each step (abwab.core.audit)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from abwab.core.errors import ErrorCode
from abwab.core.roles import Role
from abwab.core.scope import CHANGE, can, can_add, grants
from abwab.meetings.communique import compose_ar, compose_fr, new_slug
from abwab.meetings.models import (
    Channel,
    Communique,
    CommuniqueStatus,
    Meeting,
    MeetingStatus,
    Publication,
)
from abwab.territory.paths import is_below

# Who approves, sends back and publishes: the media office (and the national administrator).
MEDIA_DESK = frozenset({Role.MEDIA_OFFICER, Role.NATIONAL_ADMIN})


def is_media_desk(actor, communique: Communique) -> bool:
    """Whether the actor works the media desk over the communiqué's body (its territory or unit)."""
    if not can(actor, CHANGE, communique):
        return False
    body = communique.meeting.body
    path = body.territory.path
    return any(
        grant.role in MEDIA_DESK
        and (
            any(is_below(path, granted) for granted in grant.paths)
            or (grant.unit_id and grant.unit_id == body.party_unit_id)
        )
        for grant in grants(actor)
    )


def _require_desk(actor, communique: Communique, message: str) -> None:
    if not is_media_desk(actor, communique):
        raise ValidationError(message, code=ErrorCode.FORBIDDEN)


def _require_status(communique: Communique, *statuses: str) -> None:
    if communique.status not in statuses:
        raise ValidationError(
            _("That step does not apply to this communiqué as it stands."),
            code=ErrorCode.WRONG_STATUS,
        )


@transaction.atomic
def communique_generate(*, actor, meeting: Meeting, language: str = "ar") -> Communique:
    """Draft the communiqué of a held meeting from its record (Arabic, or French on request); the
    draft already under way in that language is returned instead of a second one."""
    if not can_add(actor, Communique, path=meeting.body.territory.path):
        raise ValidationError(
            _("You cannot write this body's communiqués."), code=ErrorCode.FORBIDDEN
        )
    if meeting.status not in (MeetingStatus.HELD, MeetingStatus.APPROVED):
        raise ValidationError(
            _("A communiqué is written once the meeting has been held."), code=ErrorCode.NOT_HELD
        )
    language = "fr" if language == "fr" else "ar"
    current = (
        meeting.communiques.select_for_update()
        .filter(language=language)
        .exclude(status=CommuniqueStatus.PUBLISHED)
        .first()
    )
    if current is not None:
        return current
    title, text = (compose_fr if language == "fr" else compose_ar)(meeting)
    communique = Communique(
        meeting=meeting, language=language, title=title, text=text, slug=new_slug(meeting, language)
    )
    communique.full_clean()
    communique.save()
    return communique


@transaction.atomic
def communique_update(*, actor, communique: Communique, title: str, text: str) -> Communique:
    """Edit a communiqué before publication (the writers while a draft, the media office after)."""
    if not can(actor, CHANGE, communique):
        raise ValidationError(_("You cannot edit this communiqué."), code=ErrorCode.FORBIDDEN)
    if communique.status == CommuniqueStatus.PUBLISHED:
        raise ValidationError(
            _("A published communiqué is not edited; publish a correction."),
            code=ErrorCode.PUBLISHED,
        )
    if communique.status != CommuniqueStatus.DRAFT:
        _require_desk(actor, communique, _("The media office has this communiqué now."))
    if not title.strip() or not text.strip():
        raise ValidationError(_("A communiqué needs a title and a text."), code=ErrorCode.EMPTY)
    # A browser's textarea sends CRLF line ends: keep the text's own "\n".
    communique.title, communique.text = title.strip(), text.replace("\r\n", "\n").strip()
    communique.save(update_fields=["title", "text"])
    return communique


@transaction.atomic
def communique_submit(*, actor, communique: Communique) -> Communique:
    """Send a draft to the media office."""
    if not can(actor, CHANGE, communique):
        raise ValidationError(_("You cannot send this communiqué."), code=ErrorCode.FORBIDDEN)
    _require_status(communique, CommuniqueStatus.DRAFT)
    communique.status, communique.review_comment = CommuniqueStatus.SUBMITTED, ""
    communique.save(update_fields=["status", "review_comment"])
    return communique


@transaction.atomic
def communique_approve(*, actor, communique: Communique) -> Communique:
    """The media office approves the text for publication."""
    _require_desk(actor, communique, _("Only the media office approves communiqués."))
    _require_status(communique, CommuniqueStatus.DRAFT, CommuniqueStatus.SUBMITTED)
    communique.status, communique.review_comment = CommuniqueStatus.APPROVED, ""
    communique.save(update_fields=["status", "review_comment"])
    return communique


@transaction.atomic
def communique_send_back(*, actor, communique: Communique, comment: str) -> Communique:
    """The media office returns the text to its writers, saying what to change."""
    _require_desk(actor, communique, _("Only the media office sends communiqués back."))
    _require_status(communique, CommuniqueStatus.SUBMITTED, CommuniqueStatus.APPROVED)
    if not comment.strip():
        raise ValidationError(_("Say what should change."), code=ErrorCode.COMMENT_MISSING)
    communique.status, communique.review_comment = CommuniqueStatus.DRAFT, comment.strip()[:500]
    communique.save(update_fields=["status", "review_comment"])
    return communique


@transaction.atomic
def communique_publish(*, actor, communique: Communique) -> Communique:
    """Put an approved communiqué on the public news page and in the feed (once: publishing a
    published one changes nothing)."""
    _require_desk(actor, communique, _("Only the media office publishes communiqués."))
    communique.status = (
        Communique.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=communique.pk)
    )
    if communique.status == CommuniqueStatus.PUBLISHED:
        communique.refresh_from_db()
        return communique
    _require_status(communique, CommuniqueStatus.APPROVED)
    communique.status, communique.published_at, communique.published_by = (
        CommuniqueStatus.PUBLISHED,
        timezone.now(),
        actor,
    )
    communique.save(update_fields=["status", "published_at", "published_by"])
    Publication.objects.create(
        communique=communique,
        channel=Channel.NEWS_PAGE,
        published_at=communique.published_at,
        published_by=actor,
    )
    return communique


@transaction.atomic
def publication_record(
    *, actor, communique: Communique, channel: str, url: str = ""
) -> Publication:
    """Record that a published communiqué also went out elsewhere (the party's site, a paper)."""
    _require_desk(actor, communique, _("Only the media office records publications."))
    _require_status(communique, CommuniqueStatus.PUBLISHED)
    publication = Publication(
        communique=communique, channel=channel, url=url.strip(), published_by=actor
    )
    publication.full_clean()
    publication.save()
    return publication
