"""Every error code that services, views and the API use, in one enum.

A refusal is `ValidationError(message, code=ErrorCode.X)`; the API answers
`{"code": "x", "message": ...}` with the member's string value (the values are the codes the API
has always answered, so clients keep working). A member's `status` is the HTTP status the API answers
it with; `message` is its default message where the code has one (most domain refusals say
something specific to where they happen, so they carry their own message).
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class ErrorCode(StrEnum):
    # The API's own answers.
    NOT_FOUND = "not_found"
    UNAUTHENTICATED = "unauthenticated"
    SECOND_FACTOR_REQUIRED = "second_factor_required"
    INVALID_INPUT = "invalid_input"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    POSSIBLE_DUPLICATES = "possible_duplicates"
    # Refusals of the domain rules (services raise ValidationError(message, code=ErrorCode.X)).
    ALREADY_HOLDS = "already_holds"
    ALREADY_MEMBER = "already_member"
    ALREADY_SPLIT = "already_split"
    ALREADY_UNDONE = "already_undone"
    ANSWER_NEEDED = "answer_needed"
    APPROVED = "approved"
    ATTENDANCE_MISSING = "attendance_missing"
    BAD_CONTENT = "bad_content"
    BAD_MERGE = "bad_merge"
    BAD_METHOD = "bad_method"
    BAD_POSITION = "bad_position"
    BAD_PROXY = "bad_proxy"
    BAD_SPLIT = "bad_split"
    BAD_SURVIVOR = "bad_survivor"
    BAD_TYPE = "bad_type"
    CAMPAIGN_NOT_LAUNCHED = "campaign_not_launched"
    CANCELLED = "cancelled"
    CIN_TAKEN = "cin_taken"
    CLOSED = "closed"
    CLOSED_PERSON = "closed_person"
    COMMENT_MISSING = "comment_missing"
    CONSENT_REQUIRED = "consent_required"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    CONTACT_NEEDED = "contact_needed"
    COUNT = "count"
    DAYS_REVERSED = "days_reversed"
    DELIVERED_GT_ALLOCATED = "delivered_gt_allocated"
    EMPTY = "empty"
    EMPTY_UNIT = "empty_unit"
    ENDED = "ended"
    ENDS_BEFORE_START = "ends_before_start"
    EVENT_NOT_OPEN = "event_not_open"
    EXISTS = "exists"
    EXPIRED = "expired"
    FORBIDDEN = "forbidden"
    FUTURE_BIRTH_DATE = "future_birth_date"
    GROUP_TOO_BIG = "group_too_big"
    HALF_POSITION = "half_position"
    HOURS = "hours"
    INVALID = "invalid"
    INVALID_CIN = "invalid_cin"
    INVALID_DATE = "invalid_date"
    INVALID_FUNCTION = "invalid_function"
    INVALID_GROUP = "invalid_group"
    INVALID_KIND = "invalid_kind"
    INVALID_PHONE = "invalid_phone"
    INVALID_PRESENCE = "invalid_presence"
    INVALID_STATUS = "invalid_status"
    INVALID_TRANSITION = "invalid_transition"
    KEY_REUSED = "key_reused"
    LABEL_REQUIRED = "label_required"
    LATER_MERGES = "later_merges"
    MISSING_CHILD = "missing_child"
    NEGATIVE = "negative"
    NO_BODY = "no_body"
    NO_DATE = "no_date"
    NO_FOUNDERS = "no_founders"
    NO_KIND = "no_kind"
    NO_MEETINGS = "no_meetings"
    NO_NAME = "no_name"
    NO_PREVIOUS = "no_previous"
    NO_PROXIES = "no_proxies"
    NO_QUORUM = "no_quorum"
    NO_REASON = "no_reason"
    NO_SECRETARY = "no_secretary"
    NO_TARGET = "no_target"
    NOBODY_PRESENT = "nobody_present"
    NOT_A_CHILD = "not_a_child"
    NOT_A_COMMUNE = "not_a_commune"
    NOT_A_FOUNDER = "not_a_founder"
    NOT_DRAFT = "not_draft"
    NOT_HANDED = "not_handed"
    NOT_HELD = "not_held"
    NOT_ITS_ELECTED = "not_its_elected"
    NOT_LAUNCHED = "not_launched"
    NOT_OFFERED = "not_offered"
    NOT_PLANNED = "not_planned"
    NOT_READY = "not_ready"
    NOT_REGION_OR_PROVINCE = "not_region_or_province"
    OLD_BIRTH_DATE = "old_birth_date"
    ONE_LIMIT = "one_limit"
    OUTSIDE_CAMPAIGN = "outside_campaign"
    OUTSIDE_EVENT = "outside_event"
    OUTSIDE_TERRITORY = "outside_territory"
    PASSWORD_BREACHED = "password_breached"  # noqa: S105 (a code, not a password)
    PATTERN = "pattern"
    PLANNED = "planned"
    PUBLISHED = "published"
    REASON_MISSING = "reason_missing"
    RECORDED = "recorded"
    REVIEWED = "reviewed"
    SPACING = "spacing"
    STALE_SPLIT = "stale_split"
    TAKEN = "taken"
    THROTTLED = "throttled"
    TOO_BIG = "too_big"
    TOO_MANY = "too_many"
    TOO_MANY_ENTRIES = "too_many_entries"
    TOO_YOUNG = "too_young"
    UNKNOWN_BODY = "unknown_body"
    UNKNOWN_CATEGORY = "unknown_category"
    UNKNOWN_MANDATE = "unknown_mandate"
    UNKNOWN_OFFICE = "unknown_office"
    UNKNOWN_PERSON = "unknown_person"
    UNKNOWN_POSITION = "unknown_position"
    UNKNOWN_TERRITORY = "unknown_territory"
    UNREADABLE = "unreadable"
    WRONG_LEVEL = "wrong_level"
    WRONG_ROLE = "wrong_role"
    WRONG_STATUS = "wrong_status"
    # Django's own validators (model and form fields), answered as they come.
    REQUIRED = "required"
    INVALID_CHOICE = "invalid_choice"
    MAX_LENGTH = "max_length"
    MIN_LENGTH = "min_length"
    MAX_VALUE = "max_value"
    MIN_VALUE = "min_value"
    MAX_DIGITS = "max_digits"
    MAX_DECIMAL_PLACES = "max_decimal_places"
    UNIQUE = "unique"
    UNIQUE_TOGETHER = "unique_together"
    BLANK = "blank"
    NULL = "null"

    @property
    def status(self) -> int:
        """The HTTP status the API answers with this code (a refused rule is a 422)."""
        return _STATUS.get(self, 422)

    @property
    def message(self):
        """The default message of this code, translated; None where the refusal says its own."""
        return _MESSAGES.get(self)


_STATUS = {
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.SECOND_FACTOR_REQUIRED: 401,
}

_MESSAGES = {
    ErrorCode.NOT_FOUND: _("Not found."),
    ErrorCode.UNAUTHENTICATED: _("Authentication required: a valid token or session."),
    ErrorCode.SECOND_FACTOR_REQUIRED: _(
        "Enter the code of your authenticator app on the second-factor page first."
    ),
    ErrorCode.INVALID_INPUT: _("The request does not match the schema."),
    ErrorCode.KEY_REUSED: _("This entry key was already used."),
    ErrorCode.POSSIBLE_DUPLICATES: _(
        "This person may already be recorded: choose the record, or confirm a new one."
    ),
}


def error_code(value) -> ErrorCode:
    """The member for a code read from a ValidationError; a code no rule declares answers as
    invalid input (the API never answers a code outside the enum)."""
    try:
        return ErrorCode(value)
    except ValueError:
        return ErrorCode.INVALID_INPUT
