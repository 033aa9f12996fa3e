"""API of the meetings app: meetings and decisions in the caller's scope."""

import datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from abwab.api.errors import responses
from abwab.core.scope import get_visible_or_404, visible_to
from abwab.meetings.models import Decision, Meeting

router = Router(tags=["meetings"])


class MeetingOut(Schema):
    id: int
    body_id: int
    kind: str
    starts_at: datetime.datetime
    status: str


class DecisionOut(Schema):
    id: int
    meeting_id: int
    text: str
    territory_id: int
    due_on: datetime.date | None
    status: str


@router.get("/", response=responses({200: list[MeetingOut]}))
@paginate
def list_meetings(request):
    return visible_to(request.user, Meeting.objects.all())


@router.get("/decisions", response=responses({200: list[DecisionOut]}))
@paginate
def list_decisions(request, status: str = ""):
    decisions = Decision.objects.all()
    if status:
        decisions = decisions.filter(status=status)
    return visible_to(request.user, decisions)


@router.get("/decisions/{decision_id}", response=responses({200: DecisionOut}))
def get_decision(request, decision_id: int):
    return get_visible_or_404(request.user, Decision, pk=decision_id)


@router.get("/{meeting_id}", response=responses({200: MeetingOut}))
def get_meeting(request, meeting_id: int):
    return get_visible_or_404(request.user, Meeting, pk=meeting_id)
