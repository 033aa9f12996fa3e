"""The SMS gateway's callback: delivery receipts and people's replies posted by an HTTP gateway.

A machine endpoint, not a page: no session, no CSRF token, but a shared secret
(ABWAB_SMS_CALLBACK_SECRET) in the URL or in the `X-Abwab-Secret` header; anything else is
refused with 403 (404 when no secret is configured: the callback is off). It reads no personal
data and answers only counts.

The body is JSON, one object or a list of them:
    {"id": "<the gateway's message id>", "status": "DELIVRD" | "delivered" | "failed" …,
     "error": "…"}                                  a delivery receipt for one part
    {"from": "+212612345678", "text": "STOP"}       a person's reply
"""

import hmac
import json

from django.conf import settings
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from abwab.core.errors import ErrorCode
from abwab.messaging.sms.receipts import inbound_record, receipt_record


def _authorised(request: HttpRequest, secret: str | None) -> bool:
    expected = getattr(settings, "ABWAB_SMS_CALLBACK_SECRET", "")
    if not expected:
        raise Http404
    given = secret if secret is not None else request.headers.get("X-Abwab-Secret", "")
    return hmac.compare_digest(given.encode(), expected.encode())


@csrf_exempt
@require_POST
def sms_callback(request: HttpRequest, secret: str | None = None) -> JsonResponse:
    if not _authorised(request, secret):
        return JsonResponse({"code": ErrorCode.FORBIDDEN}, status=403)
    try:
        payload = json.loads(request.body or b"null")
    except ValueError:
        return JsonResponse({"code": ErrorCode.INVALID_INPUT}, status=400)
    items = payload if isinstance(payload, list) else [payload]
    if not items or not all(isinstance(item, dict) for item in items):
        return JsonResponse({"code": ErrorCode.INVALID_INPUT}, status=400)
    receipts = unknown = replies = 0
    for item in items:
        if item.get("id") and item.get("status"):
            found = receipt_record(
                smsc_id=str(item["id"])[:100],
                stat=str(item["status"])[:20],
                err=str(item.get("error", ""))[:20],
            )
            receipts += found is not None
            unknown += found is None
        elif item.get("from") and "text" in item:
            inbound_record(sender=str(item["from"])[:20], text=str(item["text"]))
            replies += 1
        else:
            return JsonResponse({"code": ErrorCode.INVALID_INPUT}, status=400)
    return JsonResponse({"receipts": receipts, "unknown": unknown, "replies": replies})
