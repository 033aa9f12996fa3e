"""A held concern in a given commune, for tests (the isolation test's POST route among them)."""

from abwab.listening.models import Category
from abwab.public.models import PublicSubmission, SubmissionKind
from abwab.public.submissions import receipt_new


def held_concern(territory, *, receipt: str = "", reason: str = "no_proof") -> PublicSubmission:
    receipt = receipt or receipt_new()
    return PublicSubmission.objects.create(
        kind=SubmissionKind.CONCERN,
        receipt=receipt,
        reason=reason,
        territory=territory,
        payload={
            "category": Category.objects.get(code="water").pk,
            "description": "No water since Monday",
            "urgency": "high",
            "wants_answer": True,
            "contact_name": "Citizen Test",
            "contact_phone": "+212661234567",
            "contact_consent": True,
        },
    )
