"""How an SMS text is encoded and cut into parts, and what it will cost.

A text made only of GSM 03.38 characters goes as GSM-7: 160 characters in one SMS, 153 per part
when it must be split (the concatenation header takes the rest); the extension characters
(`{ } [ ] ~ \\ | ^ €` and form feed) take two places. One character outside that alphabet (an
Arabic letter, an emoji, a `ç`) turns the whole text into UCS-2: 70 per SMS, 67 per part, counted
in UTF-16 units (an emoji takes two). `estimate` says which characters did it, so a sender can
remove a stray one that would double the cost.

Pure Python: no Django import, so the cost estimate can run anywhere.
"""

from dataclasses import dataclass

GSM7 = "gsm7"
UCS2 = "ucs2"

# GSM 03.38 default alphabet, in code order (0x00–0x7F); 0x1B is the escape to the extension table.
GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = {
    "\f": 0x0A,
    "^": 0x14,
    "{": 0x28,
    "}": 0x29,
    "\\": 0x2F,
    "[": 0x3C,
    "~": 0x3D,
    "]": 0x3E,
    "|": 0x40,
    "€": 0x65,
}
_BASIC_CODE = {char: code for code, char in enumerate(GSM_BASIC) if char != "\x1b"}
_BASIC_CHAR = dict(enumerate(GSM_BASIC))
_EXTENSION_CHAR = {code: char for char, code in GSM_EXTENSION.items()}

# Capacity of one SMS, and of each part of a split one (6 octets go to the concatenation header).
SINGLE = {GSM7: 160, UCS2: 70}
PER_PART = {GSM7: 153, UCS2: 67}
MAX_PARTS = 255  # the concatenation header counts parts on one octet


@dataclass(frozen=True)
class Estimate:
    encoding: str  # GSM7 or UCS2
    parts: int  # SMS billed for one recipient
    per_part: int  # characters (GSM-7 places or UTF-16 units) each part holds
    chars: int  # the text's length in those places
    culprits: tuple[str, ...]  # the characters that forced UCS-2, each once, in order of appearance


def gsm_places(char: str) -> int | None:
    """How many GSM-7 places a character takes (1 or 2), or None when GSM-7 cannot carry it."""
    if char in _BASIC_CODE:
        return 1
    if char in GSM_EXTENSION:
        return 2
    return None


def culprits(text: str) -> tuple[str, ...]:
    """The characters GSM-7 cannot carry, each once, in the order they appear."""
    seen: dict[str, None] = {}
    for char in text:
        if gsm_places(char) is None:
            seen.setdefault(char, None)
    return tuple(seen)


def _units(text: str, encoding: str) -> list[int]:
    """The size of each character in the encoding's places (kept per character so a split never
    cuts an escape sequence or a surrogate pair)."""
    if encoding == GSM7:
        return [gsm_places(char) or 0 for char in text]
    return [2 if ord(char) > 0xFFFF else 1 for char in text]


def split(text: str, encoding: str | None = None) -> list[str]:
    """The text cut into the parts it will be sent as (one part when it fits a single SMS)."""
    encoding = encoding or (UCS2 if culprits(text) else GSM7)
    units = _units(text, encoding)
    if sum(units) <= SINGLE[encoding]:
        return [text]
    parts, start, used = [], 0, 0
    for index, size in enumerate(units):
        if used + size > PER_PART[encoding]:
            parts.append(text[start:index])
            start, used = index, 0
        used += size
    parts.append(text[start:])
    return parts


def estimate(text: str) -> Estimate:
    """Encoding, number of parts and the characters that forced UCS-2, for one text."""
    found = culprits(text)
    encoding = UCS2 if found else GSM7
    chars = sum(_units(text, encoding))
    parts = len(split(text, encoding)) if text else 1
    per_part = SINGLE[encoding] if parts == 1 else PER_PART[encoding]
    return Estimate(encoding=encoding, parts=parts, per_part=per_part, chars=chars, culprits=found)


def gsm_encode(text: str) -> bytes:
    """GSM-7 as SMPP carries it with data_coding 0: one septet per octet, extension characters
    after the 0x1B escape."""
    out = bytearray()
    for char in text:
        if char in _BASIC_CODE:
            out.append(_BASIC_CODE[char])
        elif char in GSM_EXTENSION:
            out += bytes((0x1B, GSM_EXTENSION[char]))
        else:
            raise ValueError(f"not a GSM-7 character: {char!r}")
    return bytes(out)


def gsm_decode(data: bytes) -> str:
    """The inverse of `gsm_encode` (unknown codes become '?')."""
    out, escape = [], False
    for byte in data:
        if escape:
            out.append(_EXTENSION_CHAR.get(byte, "?"))
            escape = False
        elif byte == 0x1B:
            escape = True
        else:
            out.append(_BASIC_CHAR.get(byte & 0x7F, "?"))
    return "".join(out)


def encode(text: str, encoding: str) -> bytes:
    return gsm_encode(text) if encoding == GSM7 else text.encode("utf-16-be")


def decode(data: bytes, data_coding: int) -> str:
    """An incoming short message's text, from its SMPP data_coding (0 GSM-7, 3 Latin-1, 8 UCS-2)."""
    if data_coding == 0x08:
        return data.decode("utf-16-be", errors="replace")
    if data_coding in (0x03, 0x04):
        return data.decode("latin-1")
    if data_coding == 0x01:
        return data.decode("ascii", errors="replace")
    return gsm_decode(data)


def udh(reference: int, total: int, seq: int) -> bytes:
    """The concatenation header (IEI 0x00, 8-bit reference) for part `seq` (1-based) of `total`."""
    return bytes((0x05, 0x00, 0x03, reference & 0xFF, total, seq))


def strip_udh(data: bytes) -> tuple[bytes, tuple[int, int, int] | None]:
    """Remove a user data header; returns the payload and (reference, total, seq) when the header
    carried a concatenation element (8- or 16-bit reference)."""
    length = data[0]
    header, payload = data[1 : 1 + length], data[1 + length :]
    concat, pos = None, 0
    while pos + 1 < len(header):
        iei, size = header[pos], header[pos + 1]
        value = header[pos + 2 : pos + 2 + size]
        if iei == 0x00 and size == 3:
            concat = (value[0], value[1], value[2])
        elif iei == 0x08 and size == 4:
            concat = ((value[0] << 8) | value[1], value[2], value[3])
        pos += 2 + size
    return payload, concat
