"""SMS over SMPP 3.4 with `smpplib`: one transceiver session per worker, bound on first use and
bound again when the link drops; submit_sm per part (UDH, data_coding, a receipt asked for), and
the deliver_sm that arrive meanwhile (delivery receipts, people's replies) kept for the channel.

Parts are submitted one at a time and each submit_sm_resp is awaited: the SMSC's message id is
what the receipt will name, and an error (throttled, refused number) must stop the message before
its next part.
"""

import logging
import re
import select
import socket
import ssl

from smpplib import consts, exceptions, smpp
from smpplib.client import Client

from abwab.messaging.errors import PermanentFailure, SendError, TemporaryFailure
from abwab.messaging.sms.encoding import decode, strip_udh
from abwab.messaging.sms.transport import Inbound, OutPart, Receipt, SmsConfig

log = logging.getLogger(__name__)

# Errors worth trying again later; any other submit_sm error fails the message.
TEMPORARY = {
    consts.SMPP_ESME_RTHROTTLED: SendError.THROTTLED,
    consts.SMPP_ESME_RMSGQFUL: SendError.RELAY_BUSY,
    consts.SMPP_ESME_RSYSERR: SendError.RELAY_ERROR,
    consts.SMPP_ESME_RX_T_APPN: SendError.RELAY_ERROR,
    consts.SMPP_ESME_RSUBMITFAIL: SendError.RELAY_ERROR,
    consts.SMPP_ESME_RUNKNOWNERR: SendError.RELAY_ERROR,
}
PERMANENT = {
    consts.SMPP_ESME_RINVDSTADR: SendError.BAD_ADDRESS,
    consts.SMPP_ESME_RINVDSTTON: SendError.BAD_ADDRESS,
    consts.SMPP_ESME_RINVDSTNPI: SendError.BAD_ADDRESS,
    consts.SMPP_ESME_RINVMSGLEN: SendError.TOO_LONG,
}
# message_state TLV values, for receipts that carry it without a readable text.
MESSAGE_STATES = {
    1: "ENROUTE",
    2: "DELIVRD",
    3: "EXPIRED",
    4: "DELETED",
    5: "UNDELIV",
    6: "ACCEPTD",
    7: "UNKNOWN",
    8: "REJECTD",
}
RECEIPT_TEXT = re.compile(
    rb"id:(?P<id>\S+).*?stat:(?P<stat>\w+)(?:.*?err:(?P<err>\w+))?", re.I | re.S
)


def status_name(status: int) -> str:
    for name in dir(consts):
        if name.startswith("SMPP_ESME_") and getattr(consts, name) == status:
            return name.removeprefix("SMPP_")
    return f"0x{status:08X}"


def _text(value) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else (value or "")


def parse_deliver_sm(pdu) -> Receipt | Inbound:
    """A deliver_sm as a receipt (esm_class says so) or as a person's message."""
    payload = pdu.short_message or b""
    if pdu.esm_class & 0x04:
        found = RECEIPT_TEXT.search(payload)
        smsc_id = _text(pdu.receipted_message_id).rstrip("\0") or (
            found.group("id").decode() if found else ""
        )
        if found:
            stat = found.group("stat").decode().upper()
        else:
            stat = MESSAGE_STATES.get(pdu.message_state or 7, "UNKNOWN")
        err = found.group("err").decode() if found and found.group("err") else ""
        return Receipt(smsc_id=smsc_id, stat=stat, err=err)
    if pdu.esm_class & 0x40:
        payload = strip_udh(payload)[0]
    return Inbound(sender=_text(pdu.source_addr), text=decode(payload, pdu.data_coding or 0))


class SmppTransport:
    """One SMPP transceiver session (not shared between threads)."""

    def __init__(self, config: SmsConfig):
        self.config = config
        self.timeout = float(config.options.get("timeout", 10))
        self.client: Client | None = None
        self.events: list[Receipt | Inbound] = []
        self.binds = 0

    # -- session -------------------------------------------------------------------------------
    def _bind(self) -> Client:
        context = ssl.create_default_context() if self.config.scheme == "smpps" else None
        client = Client(
            self.config.host,
            self.config.port or 2775,
            timeout=self.timeout,
            ssl_context=context,
            allow_unknown_opt_params=True,
            logger_name="abwab.sms.smpp",
        )
        try:
            client.connect()
            # One small PDU at a time, each awaited: Nagle's delay would cost ~40 ms a part.
            client._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            client.bind_transceiver(
                system_id=self.config.username,
                password=self.config.password,
                system_type=self.config.options.get("system_type", ""),
            )
        except exceptions.PDUError as error:
            client.disconnect()
            status = error.args[1] if len(error.args) > 1 else 0
            raise TemporaryFailure(
                SendError.RELAY_ERROR, detail=f"bind refused {status_name(status)}"
            ) from error
        except (exceptions.ConnectionError, OSError) as error:
            client.disconnect()
            raise TemporaryFailure(SendError.UNREACHABLE, detail="SMSC unreachable") from error
        self.binds += 1
        return client

    def open(self) -> None:
        """Bind now (a listener, or a worker that wants to know the SMSC is there)."""
        self._session()

    def _session(self) -> Client:
        if self.client is None:
            self.client = self._bind()
        return self.client

    def _drop(self) -> None:
        if self.client is not None:
            try:
                self.client.disconnect()
            except OSError:
                pass
            self.client = None

    def close(self) -> None:
        """Unbind and close (at the end of a worker's run)."""
        if self.client is not None:
            try:
                self.drain()
                self.client.unbind()
            except (exceptions.ConnectionError, exceptions.PDUError, OSError):
                pass
            self._drop()

    # -- reading -------------------------------------------------------------------------------
    def _on_pdu(self, client: Client, pdu) -> None:
        """Answer what the SMSC asks (receipts, replies, enquire_link); keep receipts and replies."""
        if pdu.command == "deliver_sm":
            self.events.append(parse_deliver_sm(pdu))
            answer = smpp.make_pdu("deliver_sm_resp", client=client)
            answer.sequence = pdu.sequence
            client.send_pdu(answer)
        elif pdu.command == "enquire_link":
            answer = smpp.make_pdu("enquire_link_resp", client=client)
            answer.sequence = pdu.sequence
            client.send_pdu(answer)
        elif pdu.command == "unbind":
            answer = smpp.make_pdu("unbind_resp", client=client)
            answer.sequence = pdu.sequence
            client.send_pdu(answer)
            raise exceptions.ConnectionError("unbound by the SMSC")

    def drain(self, timeout: float = 0.0) -> None:
        """Read whatever the SMSC has sent (waiting up to `timeout` seconds for the first PDU)."""
        client = self.client
        if client is None:
            return
        wait = timeout
        try:
            while select.select([client._socket], [], [], wait)[0]:
                self._on_pdu(client, client.read_pdu())
                wait = 0.0
        except (exceptions.ConnectionError, OSError, ValueError):
            self._drop()  # bound again on next use

    def take_events(self) -> list[Receipt | Inbound]:
        events, self.events = self.events, []
        return events

    # -- sending -------------------------------------------------------------------------------
    def submit(self, destination: str, part: OutPart) -> str:
        """Submit one part; returns the SMSC's message id. A dropped link is bound again once."""
        for attempt in (1, 2):
            self.drain()  # also notices a link the SMSC closed
            client = self._session()
            try:
                return self._submit_once(client, destination, part)
            except (exceptions.ConnectionError, OSError) as error:
                self._drop()
                if attempt == 2:
                    raise TemporaryFailure(
                        SendError.UNREACHABLE, detail="SMPP link lost"
                    ) from error
        raise AssertionError("unreachable")

    def _submit_once(self, client: Client, destination: str, part: OutPart) -> str:
        source = self.config.source
        alphanumeric = not source.lstrip("+").isdigit()
        pdu = smpp.make_pdu(
            "submit_sm",
            client=client,
            service_type="",
            source_addr_ton=consts.SMPP_TON_ALNUM if alphanumeric else consts.SMPP_TON_INTL,
            source_addr_npi=consts.SMPP_NPI_UNK if alphanumeric else consts.SMPP_NPI_ISDN,
            source_addr=source.lstrip("+"),
            dest_addr_ton=consts.SMPP_TON_INTL,
            dest_addr_npi=consts.SMPP_NPI_ISDN,
            destination_addr=destination.lstrip("+"),
            esm_class=part.esm_class,
            registered_delivery=1,  # a receipt for every part
            data_coding=part.data_coding,
            short_message=part.short_message,
        )
        client.send_pdu(pdu)
        while True:
            try:
                answer = client.read_pdu()
            except TimeoutError as error:  # socket.timeout
                raise exceptions.ConnectionError("no answer to submit_sm") from error
            if answer.command in ("submit_sm_resp", "generic_nack") and (
                answer.sequence == pdu.sequence
            ):
                break
            self._on_pdu(client, answer)
        if answer.status == consts.SMPP_ESME_ROK and answer.command == "submit_sm_resp":
            return _text(answer.message_id).rstrip("\0")
        detail = status_name(answer.status)
        if answer.status in TEMPORARY:
            raise TemporaryFailure(TEMPORARY[answer.status], detail=detail)
        raise PermanentFailure(
            PERMANENT.get(answer.status, SendError.REFUSED_BY_RELAY), detail=detail
        )
