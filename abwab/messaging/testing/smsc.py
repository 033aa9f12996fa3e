"""A small SMSC that speaks SMPP 3.4 on loopback, for the tests and `bench.messages`.

It accepts binds (transceiver, transmitter, receiver) with one system_id and password, answers
submit_sm with a message id and records each part as it came (the raw short_message, so a test can
join the parts back from the header it carries), sends a delivery receipt per part on a bound
transceiver or receiver session (at once, or held for the test to release in any order), answers
enquire_link and unbind, and can be told to throttle (ESME_RTHROTTLED), refuse a number, or drop
every connection. `inbound(sender, text)` sends a mobile-originated deliver_sm (a "STOP" reply).

Written by hand with `struct` (16-byte header: length, command id, status, sequence; then the
body's fields), so it checks the client rather than sharing its code.
"""

import datetime
import itertools
import socket
import socketserver
import struct
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass

from abwab.messaging.sms.encoding import decode, strip_udh

BIND_RECEIVER, BIND_TRANSMITTER, BIND_TRANSCEIVER = 0x00000001, 0x00000002, 0x00000009
SUBMIT_SM, DELIVER_SM, UNBIND, ENQUIRE_LINK = 0x00000004, 0x00000005, 0x00000006, 0x00000015
GENERIC_NACK, RESP = 0x80000000, 0x80000000

ESME_ROK = 0x00
ESME_RINVCMDID = 0x03
ESME_RINVBNDSTS = 0x04
ESME_RSYSERR = 0x08
ESME_RINVDSTADR = 0x0B
ESME_RBINDFAIL = 0x0D
ESME_RINVPASWD = 0x0E
ESME_RTHROTTLED = 0x58

TLV_RECEIPTED_MESSAGE_ID = 0x001E
TLV_MESSAGE_STATE = 0x0427
MESSAGE_STATES = {
    "DELIVRD": 2,
    "EXPIRED": 3,
    "DELETED": 4,
    "UNDELIV": 5,
    "ACCEPTD": 6,
    "REJECTD": 8,
}


def _cstring(body: bytes, pos: int) -> tuple[bytes, int]:
    end = body.index(b"\0", pos)
    return body[pos:end], end + 1


def _c(value: str) -> bytes:
    return value.encode("latin-1") + b"\0"


def pdu(command_id: int, sequence: int, body: bytes = b"", status: int = ESME_ROK) -> bytes:
    return struct.pack(">IIII", 16 + len(body), command_id, status, sequence) + body


@dataclass
class SubmittedPart:
    """One submit_sm as the SMSC received it."""

    message_id: str
    system_id: str
    source: str
    destination: str
    esm_class: int
    data_coding: int
    registered_delivery: int
    short_message: bytes

    @property
    def concat(self) -> tuple[int, int, int] | None:
        """(reference, total, seq) from the user data header, when the part has one."""
        if self.esm_class & 0x40:
            return strip_udh(self.short_message)[1]
        return None

    @property
    def text(self) -> str:
        payload = self.short_message
        if self.esm_class & 0x40:
            payload = strip_udh(payload)[0]
        return decode(payload, self.data_coding)


def parse_submit_sm(body: bytes) -> dict:
    """The mandatory fields of a submit_sm (or deliver_sm) body."""
    pos = 0
    _service_type, pos = _cstring(body, pos)
    source, pos = _cstring(body, pos + 2)  # after source TON and NPI
    destination, pos = _cstring(body, pos + 2)
    esm_class = body[pos]  # then protocol_id, priority_flag
    _schedule, pos = _cstring(body, pos + 3)
    _validity, pos = _cstring(body, pos)
    registered, _replace, data_coding, _default_id, length = body[pos : pos + 5]
    pos += 5
    short_message = body[pos : pos + length]
    return {
        "source": source.decode("latin-1"),
        "destination": destination.decode("latin-1"),
        "esm_class": esm_class,
        "registered_delivery": registered,
        "data_coding": data_coding,
        "short_message": short_message,
        "tlvs": body[pos + length :],
    }


def deliver_sm_body(
    *, source: str, destination: str, esm_class: int, data_coding: int, short_message: bytes
) -> bytes:
    return (
        _c("")  # service_type
        + bytes((1, 1))
        + _c(source)
        + bytes((1, 1))
        + _c(destination)
        + bytes((esm_class, 0, 0))
        + _c("")
        + _c("")
        + bytes((0, 0, data_coding, 0, len(short_message)))
        + short_message
    )


class _Session(socketserver.BaseRequestHandler):
    """One ESME connection: read PDUs, answer them; receipts are written by any thread under the
    session's lock."""

    server: "_Server"

    def setup(self):
        # Small PDUs answered at once: without this, Nagle and delayed ACKs cost ~40 ms a PDU.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.lock = threading.Lock()
        self.bound_as: int | None = None
        self.system_id = ""
        self.sequence = itertools.count(1)

    def write(self, data: bytes) -> None:
        with self.lock:
            self.request.sendall(data)

    def _read_exact(self, size: int) -> bytes:
        chunks, got = [], 0
        while got < size:
            chunk = self.request.recv(size - got)
            if not chunk:
                raise ConnectionError
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def handle(self):
        smsc = self.server.smsc
        smsc._sessions.add(self)
        try:
            while True:
                length, command_id, _status, sequence = struct.unpack(">IIII", self._read_exact(16))
                body = self._read_exact(length - 16)
                if not smsc._handle(self, command_id, sequence, body):
                    return
        except (ConnectionError, OSError):
            return
        finally:
            smsc._sessions.discard(self)

    def receives(self) -> bool:
        return self.bound_as in (BIND_TRANSCEIVER, BIND_RECEIVER)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    smsc: "LoopbackSmsc"


class LoopbackSmsc:
    """The SMSC. `start()` listens on 127.0.0.1 (a free port unless one is given); `url` is the
    ABWAB_SMS_URL that points the product at it."""

    def __init__(
        self,
        *,
        system_id: str = "abwab",
        password: str = "secret",  # noqa: S107 (a loopback test server)
        source: str = "Abwab",
        port: int = 0,
        receipts: str = "auto",  # "auto": a DELIVRD receipt per part at once; "hold": on release
        record: bool = True,  # keep each part (the bench counts only, to keep memory flat)
    ):
        self.system_id, self.password, self.source = system_id, password, source
        self.receipts, self.record = receipts, record
        self._port = port
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._sessions: set[_Session] = set()
        self.submitted: list[SubmittedPart] = []
        self.held: list[SubmittedPart] = []  # parts whose receipt waits for `release`
        self.per_destination: Counter = Counter()
        self.submit_count = 0
        self.throttle_next = 0  # answer that many next submit_sm with ESME_RTHROTTLED…
        self.throttle_skip = 0  # …after letting this many through
        self.refused: dict[str, int] = {}  # destination -> error status to answer
        self.fail_receipts: dict[str, str] = {}  # message_id -> stat to report instead of DELIVRD
        self.waiting: list[bytes] = []  # deliver_sm bodies for when a receiver binds again
        self.binds = 0
        self.deliver_acks = 0
        self._server: _Server | None = None

    # -- life --------------------------------------------------------------------------------
    def start(self) -> "LoopbackSmsc":
        self._server = _Server(("127.0.0.1", self._port), _Session)
        self._server.smsc = self
        self._port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self.drop_connections()
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        return f"smpp://{self.system_id}:{self.password}@127.0.0.1:{self.port}?source={self.source}"

    def drop_connections(self) -> None:
        """Close every session, as a restarting SMSC or a broken link would."""
        for session in list(self._sessions):
            try:
                session.request.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            session.request.close()
        self._sessions.clear()

    # -- what the tests read -----------------------------------------------------------------
    def texts(self, destination: str | None = None) -> list[str]:
        """Every message received (for one destination), its parts joined in order by their
        concatenation header: what the phone would show."""
        groups: dict[tuple, list[SubmittedPart]] = defaultdict(list)
        singles = []
        with self._lock:
            parts = list(self.submitted)
        for part in parts:
            if destination is not None and part.destination != destination.lstrip("+"):
                continue
            if part.concat is None:
                singles.append(part.text)
            else:
                reference, total, _seq = part.concat
                groups[(part.destination, reference, total)].append(part)
        joined = []
        for (_dest, _ref, total), members in groups.items():
            by_seq = {m.concat[2]: m for m in members}
            if sorted(by_seq) != list(range(1, total + 1)):
                raise ValueError(f"parts missing: {sorted(by_seq)} of {total}")
            joined.append("".join(by_seq[seq].text for seq in range(1, total + 1)))
        return singles + joined

    # -- what the tests do -------------------------------------------------------------------
    def release(self, message_id: str, stat: str = "DELIVRD", err: str = "000") -> None:
        """Send the receipt of one held part."""
        with self._lock:
            part = next(p for p in self.held if p.message_id == message_id)
            self.held.remove(part)
        self._receipt(part, stat, err)

    def inbound(self, sender: str, text: str, *, data_coding: int | None = None) -> None:
        """A person's reply (mobile-originated deliver_sm) to every receiving session."""
        if data_coding is None:
            try:
                text.encode("ascii")
                data_coding, payload = 0x00, text.encode("ascii")
            except UnicodeEncodeError:
                data_coding, payload = 0x08, text.encode("utf-16-be")
        else:
            payload = text.encode("utf-16-be" if data_coding == 0x08 else "latin-1")
        body = deliver_sm_body(
            source=sender.lstrip("+"),
            destination=self.source,
            esm_class=0x00,
            data_coding=data_coding,
            short_message=payload,
        )
        self._to_receivers(body)

    # -- protocol ----------------------------------------------------------------------------
    def _handle(self, session: _Session, command_id: int, sequence: int, body: bytes) -> bool:
        if command_id in (BIND_TRANSCEIVER, BIND_TRANSMITTER, BIND_RECEIVER):
            system_id, pos = _cstring(body, 0)
            password, pos = _cstring(body, pos)
            ok = system_id.decode() == self.system_id and password.decode() == self.password
            status = ESME_ROK if ok else ESME_RINVPASWD
            if ok:
                session.bound_as, session.system_id = command_id, system_id.decode()
                self.binds += 1
            session.write(pdu(command_id | RESP, sequence, _c("LoopbackSMSC"), status))
            if ok and session.receives():
                self._flush_waiting(session)
            return ok
        if command_id == ENQUIRE_LINK:
            session.write(pdu(ENQUIRE_LINK | RESP, sequence))
            return True
        if command_id == UNBIND:
            session.write(pdu(UNBIND | RESP, sequence))
            return False
        if command_id == DELIVER_SM | RESP:
            self.deliver_acks += 1
            return True
        if command_id == ENQUIRE_LINK | RESP:
            return True
        if session.bound_as is None:
            session.write(pdu(GENERIC_NACK, sequence, status=ESME_RINVBNDSTS))
            return True
        if command_id == SUBMIT_SM:
            self._submit(session, sequence, body)
            return True
        session.write(pdu(GENERIC_NACK, sequence, status=ESME_RINVCMDID))
        return True

    def _submit(self, session: _Session, sequence: int, body: bytes) -> None:
        fields = parse_submit_sm(body)
        with self._lock:
            if self.throttle_next > 0 and self.throttle_skip > 0:
                self.throttle_skip -= 1
                status = self.refused.get(fields["destination"], ESME_ROK)
            elif self.throttle_next > 0:
                self.throttle_next -= 1
                status = ESME_RTHROTTLED
            else:
                status = self.refused.get(fields["destination"], ESME_ROK)
            if status != ESME_ROK:
                session.write(pdu(SUBMIT_SM | RESP, sequence, _c(""), status))
                return
            message_id = f"{next(self._ids):08X}"
            part = SubmittedPart(
                message_id=message_id,
                system_id=session.system_id,
                source=fields["source"],
                destination=fields["destination"],
                esm_class=fields["esm_class"],
                data_coding=fields["data_coding"],
                registered_delivery=fields["registered_delivery"],
                short_message=fields["short_message"],
            )
            self.submit_count += 1
            self.per_destination[part.destination] += 1
            if self.record:
                self.submitted.append(part)
            hold = self.receipts == "hold" and part.registered_delivery & 0x01
            if hold:
                self.held.append(part)
        session.write(pdu(SUBMIT_SM | RESP, sequence, _c(message_id)))
        if part.registered_delivery & 0x01 and not hold:
            self._receipt(part, self.fail_receipts.get(message_id, "DELIVRD"), "000")

    def _receipt(self, part: SubmittedPart, stat: str, err: str) -> None:
        now = datetime.datetime.now(datetime.UTC).strftime("%y%m%d%H%M")
        delivered = "001" if stat == "DELIVRD" else "000"
        text = (
            f"id:{part.message_id} sub:001 dlvrd:{delivered} submit date:{now} done date:{now} "
            f"stat:{stat} err:{err} text:"
        ).encode("ascii")
        body = deliver_sm_body(
            source=part.destination,
            destination=part.source,
            esm_class=0x04,  # SMSC delivery receipt
            data_coding=0x00,
            short_message=text,
        )
        message_id = _c(part.message_id)
        body += struct.pack(">HH", TLV_RECEIPTED_MESSAGE_ID, len(message_id)) + message_id
        body += struct.pack(">HHB", TLV_MESSAGE_STATE, 1, MESSAGE_STATES.get(stat, 7))
        self._to_receivers(body, system_id=part.system_id)

    def _to_receivers(self, body: bytes, system_id: str | None = None) -> None:
        """Deliver to one bound receiving session; with none bound, keep it for the next bind
        (a real SMSC stores receipts and replies until the ESME comes back)."""
        for session in list(self._sessions):
            if session.receives() and (system_id is None or session.system_id == system_id):
                try:
                    session.write(pdu(DELIVER_SM, next(session.sequence), body))
                except OSError:
                    continue
                return
        with self._lock:
            self.waiting.append(body)

    def _flush_waiting(self, session: _Session) -> None:
        with self._lock:
            bodies, self.waiting = self.waiting, []
        for body in bodies:
            session.write(pdu(DELIVER_SM, next(session.sequence), body))
