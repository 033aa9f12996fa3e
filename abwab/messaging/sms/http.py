"""SMS through a generic HTTP gateway, for aggregators that offer a JSON API rather than SMPP.

Each part is one POST of JSON to the configured URL (HTTP Basic credentials from the URL):

    {"to": "+212612345678", "from": "Abwab", "text": "<this part's text>",
     "encoding": "gsm7" | "ucs2", "udh": "0500030a0301" | "", "part": 1, "parts": 3,
     "callback_url": "https://…/messages/sms/callback/<secret>/"}

and the gateway answers 2xx with `{"id": "<its message id>"}`. 429 and 5xx are temporary (a
`Retry-After` is passed on), other 4xx permanent. Receipts and replies come back to the callback
view (`abwab/messaging/views_sms.py`), not through this object.
"""

import base64
import json
import urllib.error
import urllib.request

from abwab.messaging.errors import PermanentFailure, SendError, TemporaryFailure
from abwab.messaging.sms.transport import OutPart, Sessionless, SmsConfig


class HttpTransport(Sessionless):
    def __init__(self, config: SmsConfig, *, callback_url: str = ""):
        self.config = config
        self.callback_url = callback_url
        self.timeout = float(config.options.get("timeout", 10))
        self.events: list = []  # receipts arrive on the callback view instead

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.config.username or self.config.password:
            token = f"{self.config.username}:{self.config.password}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(token).decode()
        return headers

    def submit(self, destination: str, part: OutPart) -> str:
        body = {
            "to": destination,
            "from": self.config.source,
            "text": part.text,
            "encoding": part.encoding,
            "udh": part.header.hex(),
            "part": part.seq,
            "parts": part.total,
        }
        if self.callback_url:
            body["callback_url"] = self.callback_url
        request = urllib.request.Request(  # noqa: S310 (the URL is the operator's setting)
            self.config.url, data=json.dumps(body).encode(), headers=self._headers(), method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            detail = f"HTTP {error.code}"
            if error.code == 429:
                retry = error.headers.get("Retry-After")
                raise TemporaryFailure(
                    SendError.THROTTLED,
                    detail=detail,
                    retry_after=int(retry) if retry and retry.isdigit() else None,
                ) from error
            if error.code >= 500:
                raise TemporaryFailure(SendError.RELAY_ERROR, detail=detail) from error
            if error.code in (401, 403):
                raise TemporaryFailure(SendError.NOT_CONFIGURED, detail=detail) from error
            raise PermanentFailure(SendError.REFUSED_BY_RELAY, detail=detail) from error
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise TemporaryFailure(SendError.UNREACHABLE, detail=type(error).__name__) from error
        smsc_id = str(answer.get("id") or answer.get("message_id") or "")
        if not smsc_id:
            raise TemporaryFailure(SendError.RELAY_ERROR, detail="no id in the answer")
        return smsc_id
