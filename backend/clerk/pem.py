"""Reading the PEM public key that Clerk's dashboard shows (API keys → Show JWT public key)."""

import base64
import binascii
import re

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.serialization import load_der_public_key

from clerk.errors import ClerkConfigError

_ARMOR = re.compile(r"-----(BEGIN|END) [A-Z ]+-----")


def load_rsa_public_key(text: str, *, variable: str = "CLERK_JWT_KEY") -> RSAPublicKey:
    """Parse a PEM public key pasted into an environment variable.

    Accepts literal `\\n` escapes (how one-line .env files carry it) or real newlines,
    with or without the BEGIN/END lines.
    """
    body = _ARMOR.sub("", text.replace("\\n", "\n"))
    der_b64 = "".join(body.split())
    if not der_b64:
        raise ClerkConfigError(variable, "is empty")
    try:
        der = base64.b64decode(der_b64, validate=True)
        key = load_der_public_key(der)
    except (binascii.Error, ValueError):
        raise ClerkConfigError(variable, "is not a PEM public key") from None
    if not isinstance(key, RSAPublicKey):
        raise ClerkConfigError(variable, "must be an RSA public key")
    if key.key_size < 2048:
        raise ClerkConfigError(variable, "RSA key is shorter than 2048 bits")
    return key
