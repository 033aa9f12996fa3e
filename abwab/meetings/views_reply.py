"""The invitee's reply page, opened from the personal link in a convocation: no login, the signed
link is the invitee's key. It asks before it records (a mail scanner opening the link answers
nothing) and shows only the meeting and the invitee's own answer."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from abwab.meetings.convocations import attendance_from_token, attendance_reply, may_reply
from abwab.meetings.models import Reply


@never_cache
@require_http_methods(["GET", "POST"])
def meeting_reply(request: HttpRequest, token: str) -> HttpResponse:
    attendance = attendance_from_token(token)
    if attendance is None:
        raise Http404
    error, saved = "", False
    if request.method == "POST":
        try:
            attendance = attendance_reply(
                attendance=attendance, reply=request.POST.get("reply", "")
            )
            saved = True
        except ValidationError as problem:
            error = " ".join(problem.messages)
    meeting = attendance.meeting
    context = {
        "attendance": attendance,
        "meeting": meeting,
        "open": may_reply(meeting),
        "replies": Reply.choices,
        "saved": saved,
        "error": error,
    }
    response = render(request, "meetings/meeting_reply.html", context)
    response["Referrer-Policy"] = "same-origin"  # the token stays out of other sites' logs
    response["X-Robots-Tag"] = "noindex"
    return response
