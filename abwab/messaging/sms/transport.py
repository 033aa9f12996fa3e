"""What an SMS transport (SMPP or an HTTP gateway) takes and gives back, and which one the
`ABWAB_SMS_URL` setting names:

- `smpp://system_id:password@host:2775?source=Abwab` (`smpps://` for TLS; optional
  `system_type=`, `timeout=` seconds);
- `https://user:password@gateway.example/api/sms?source=Abwab` (or `http://`): a JSON gateway;
- unset: `file://<var dir>/sms`, each part written to a file (a local run sends nothing).
"""

import datetime
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from abwab.messaging.sms.encoding import GSM7, encode, split, udh


@dataclass(frozen=True)
class OutPart:
    """One SMS part ready to submit: its text and the octets SMPP carries (header included)."""

    seq: int  # 1-based
    total: int
    text: str
    encoding: str  # GSM7 or UCS2
    header: bytes  # the concatenation UDH, empty for a single SMS

    @property
    def data_coding(self) -> int:
        return 0x00 if self.encoding == GSM7 else 0x08

    @property
    def esm_class(self) -> int:
        return 0x40 if self.header else 0x00  # UDH indicator

    @property
    def short_message(self) -> bytes:
        return self.header + encode(self.text, self.encoding)


def out_parts(text: str, *, encoding: str, reference: int) -> list[OutPart]:
    """The text cut into parts, each with its concatenation header when there are several."""
    pieces = split(text, encoding)
    total = len(pieces)
    return [
        OutPart(
            seq=seq,
            total=total,
            text=piece,
            encoding=encoding,
            header=udh(reference, total, seq) if total > 1 else b"",
        )
        for seq, piece in enumerate(pieces, start=1)
    ]


@dataclass(frozen=True)
class Receipt:
    """A delivery receipt for one part, as the SMSC or gateway reported it."""

    smsc_id: str
    stat: str  # DELIVRD, UNDELIV, REJECTD, EXPIRED, DELETED, ACCEPTD, ENROUTE, UNKNOWN
    err: str = ""
    at: datetime.datetime = field(default_factory=lambda: datetime.datetime.now(datetime.UTC))


@dataclass(frozen=True)
class Inbound:
    """A message a person sent to our number."""

    sender: str
    text: str


@dataclass(frozen=True)
class SmsConfig:
    scheme: str
    host: str
    port: int | None
    username: str
    password: str
    source: str
    options: dict[str, str]
    url: str  # the gateway URL without credentials (HTTP)


def parse_sms_url(url: str) -> SmsConfig:
    parts = urlsplit(url)
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    source = options.pop("source", "Abwab")
    clean = parts._replace(netloc=(parts.hostname or "") + (f":{parts.port}" if parts.port else ""))
    query = "&".join(f"{k}={v}" for k, v in parse_qs(parts.query).items() if k != "source")
    return SmsConfig(
        scheme=parts.scheme,
        host=parts.hostname or "",
        port=parts.port,
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        source=source,
        options=options,
        url=clean._replace(query=query).geturl(),
    )


def transport_for(url: str, *, callback_url: str = ""):
    """The transport the URL names (SMPP, an HTTP gateway, or a folder for local runs)."""
    config = parse_sms_url(url)
    if config.scheme in ("smpp", "smpps"):
        from abwab.messaging.sms.smpp import SmppTransport

        return SmppTransport(config)
    if config.scheme in ("http", "https"):
        from abwab.messaging.sms.http import HttpTransport

        return HttpTransport(config, callback_url=callback_url)
    if config.scheme == "file":
        return FileTransport(urlsplit(url).path)
    raise ValueError(f"unknown SMS transport: {config.scheme!r}")


class Sessionless:
    """A transport that keeps no session: nothing to open or close, and receipts (if any) come
    back another way (the HTTP gateway's callback), so there are none to drain."""

    def open(self) -> None:
        return None

    def drain(self, timeout: float = 0.0) -> None:
        return None

    def take_events(self) -> list:
        return []

    def close(self) -> None:
        return None


class FileTransport(Sessionless):
    """A local run's SMS: each part appended as one JSON line to <folder>/outbox.jsonl; nothing
    leaves the machine and no receipt comes back."""

    def __init__(self, folder: str):
        self.path = Path(folder) / "outbox.jsonl"

    def submit(self, destination: str, part: OutPart) -> str:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        smsc_id = f"file-{uuid.uuid4().hex}"
        line = {"id": smsc_id, "to": destination, "part": part.seq, "parts": part.total}
        line |= {"encoding": part.encoding, "text": part.text}
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
        return smsc_id
