"""Sealing the offline desk's queue: entries a device keeps are readable only by the server.

The device encrypts each entry to the server's public key (ECDH P-256, an ephemeral key per entry,
HKDF-SHA256, AES-256-GCM bound to the entry's key) and forgets the ephemeral private key: a lost or
seized phone holds only ciphertext, and the key that opens it is not on the phone at all. The
server's key pair is derived from SECRET_KEY (and SECRET_KEY_FALLBACKS during a rotation), so app
servers stay stateless and share it without storing anything.
"""

import base64
import binascii
import functools
import hashlib
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

SALT = b"abwab-door-entry-v1"
# The order of the P-256 group: a private scalar must lie in [1, n - 1].
P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


class Unreadable(Exception):
    """A sealed entry that no current key opens, or that was altered."""


@functools.lru_cache(maxsize=8)
def _key_pair(secret: str) -> tuple[str, ec.EllipticCurvePrivateKey, bytes]:
    seed = hashlib.sha256(b"abwab door seal key\x00" + secret.encode()).digest()
    private = ec.derive_private_key(
        int.from_bytes(seed, "big") % (P256_ORDER - 1) + 1, ec.SECP256R1()
    )
    public = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return hashlib.sha256(public).hexdigest()[:16], private, public


def _secrets() -> list[str]:
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def public_key() -> dict:
    """What a desk needs to seal entries: the key's id and its public point (base64)."""
    kid, _private, public = _key_pair(settings.SECRET_KEY)
    return {"kid": kid, "public": base64.b64encode(public).decode()}


def _aes_key(private: ec.EllipticCurvePrivateKey, ephemeral: bytes, client_key: str) -> bytes:
    peer = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), ephemeral)
    shared = private.exchange(ec.ECDH(), peer)
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=SALT, info=client_key.encode()).derive(
        shared
    )


def unseal(*, client_key: str, kid: str, epk: str, iv: str, ct: str) -> dict:
    """The entry a device sealed, checked to be whole and to belong to `client_key`."""
    pairs = {pair[0]: pair for pair in map(_key_pair, _secrets())}
    if kid not in pairs:
        raise Unreadable("unknown key")
    _kid, private, _public = pairs[kid]
    try:
        key = _aes_key(private, base64.b64decode(epk), client_key)
        plain = AESGCM(key).decrypt(base64.b64decode(iv), base64.b64decode(ct), client_key.encode())
        entry = json.loads(plain)
    except (InvalidTag, ValueError, binascii.Error) as error:
        raise Unreadable(str(error)) from error
    if not isinstance(entry, dict) or entry.get("client_key") != client_key:
        raise Unreadable("entry does not match its key")
    return entry


def seal(entry: dict, *, public: str | None = None) -> dict:
    """Seal as a device does (for tests and load tools; devices do it in the browser)."""
    raw = base64.b64decode(public or public_key()["public"])
    server = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    ephemeral = ec.generate_private_key(ec.SECP256R1())
    shared = ephemeral.exchange(ec.ECDH(), server)
    client_key = entry["client_key"]
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=SALT, info=client_key.encode()).derive(
        shared
    )
    iv = os.urandom(12)
    ct = AESGCM(key).encrypt(iv, json.dumps(entry).encode(), client_key.encode())
    epk = ephemeral.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    b64 = lambda raw: base64.b64encode(raw).decode()  # noqa: E731
    return {
        "client_key": client_key,
        "kid": hashlib.sha256(raw).hexdigest()[:16],
        "epk": b64(epk),
        "iv": b64(iv),
        "ct": b64(ct),
    }
